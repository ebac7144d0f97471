// The board page's state and lifecycle as one rune class: the board's connection and view, the
// session (socket.io), private drafts, what this person may do now, and every action the lanes and
// cards offer. The page creates one while it initialises (its effects belong to the page) and hands
// its actions to the lanes and cards through context (boardActions), not a dozen callbacks.
import { createContext, tick } from 'svelte';
import { LANE_INFO, getCard, type CardView, type Lane } from '$lib/board/schema';
import { canEditBoard, type Role } from '$lib/domain/roles';
import type { Command, CommandResult, ParticipantInfo, PublicState } from '$lib/protocol/session';
import { BoardConnection } from './board-connection.svelte';
import { BoardView } from './board-view.svelte';
import { SessionConnection } from './session.svelte';
import { DraftStore } from './drafts.svelte';
import { endSessionHere, forgetWorkshop, keepForOffline, leaveWorkshop, onLeftElsewhere, signedInHere } from './device';

export type AddMode = 'card' | 'draft' | 'nameless-optional' | 'nameless-always';

/** What the board page's server load gives a signed-in person. */
export interface SignedInData {
  signedIn: true;
  workshopId: string;
  ended: boolean;
  workshop: { id: string; title: string; question: string };
  boards: string[];
  board: { id: string; title: string };
  me: { id: string; name: string; role: Role; roleLabel: string };
}

export type BoardPageData = SignedInData | { signedIn: false; workshopId: string };

/** What lanes and cards may do, from context (set by the board page). */
export interface BoardActions {
  readonly isFacilitator: boolean;
  cardReadOnly(card: CardView): boolean;
  add(lane: Lane): Promise<void>;
  addNameless(lane: Lane, text: string, withoutName: boolean): Promise<boolean>;
  move(id: string, lane: Lane, index: number): Promise<void>;
  remove(id: string): Promise<void>;
  focusCard(id: string | null): void;
  undo(): void;
  redo(): void;
  draftInput(id: string, text: string): void;
  draftDelete(id: string): void;
  /** Facilitators: bring everyone's view to a card, or hide it with a reason. */
  spotlight(cardId: string): void;
  hide(cardId: string): void;
}

export const [boardActions, setBoardActions] = createContext<BoardActions>();

const SPOTLIGHT = 'The facilitator is showing everyone';

const NOT_CONNECTED: CommandResult = { ok: false, error: { code: 'server_error', message: 'Not connected yet.' } };

export class BoardPage implements BoardActions {
  connection = $state<BoardConnection | null>(null);
  view = $state<BoardView | null>(null);
  session = $state<SessionConnection | null>(null);
  drafts = $state<DraftStore | null>(null);
  /** The polite live region's words (status messages for screen readers). */
  announcement = $state('');
  onBreak = $state(false);
  leaveOpen = $state(false);
  leaving = $state<'no' | 'busy' | 'failed'>('no');
  private leftElsewhere = $state(false);
  private lastDeleted: string | null = null;
  private forgot = false;
  private cleared = false;
  private stoppedKeeping = false;
  private lastSpot = '';
  private stopListening: (() => void) | undefined;

  constructor(private data: () => BoardPageData) {
    // Removed, forgotten, the workshop deleted, or left in another tab: nothing of it stays on
    // this device, and both cookies go (the session has ended already; this deletes them).
    $effect(() => {
      const d = this.data();
      if (!this.gone || this.cleared || !d.signedIn) return;
      this.cleared = true;
      this.drafts?.clear();
      this.session?.destroy();
      void (this.connection?.forgetLocalCopy() ?? Promise.resolve())
        .then(() => forgetWorkshop(d.workshop.id, { boardIds: d.boards, name: this.forgot }))
        .then(() => (this.leftElsewhere ? undefined : endSessionHere(d.workshop.id)));
    });
    // The workshop ended: the board stays readable online, and this device stops keeping a copy.
    $effect(() => {
      const d = this.data();
      if (!this.ended || this.stoppedKeeping || !d.signedIn) return;
      this.stoppedKeeping = true;
      this.drafts?.clear();
      void (this.connection?.stopKeeping() ?? Promise.resolve()).then(() => forgetWorkshop(d.workshop.id, { boardIds: d.boards }));
    });
    // Follow the facilitator's spotlight, without pulling anyone out of what they are typing.
    $effect(() => {
      const spot = this.spotlightNow;
      const key = spot ? JSON.stringify(spot) : '';
      if (key === this.lastSpot) return;
      this.lastSpot = key;
      // Once the spotlight is over, its words leave the status region too.
      if (!spot) {
        if (this.announcement.startsWith(SPOTLIGHT)) this.announcement = '';
        return;
      }
      this.say(spot.kind === 'card' ? `${SPOTLIGHT} a card.` : `${SPOTLIGHT} the ${LANE_INFO[spot.lane].title} list.`);
      const typing = document.activeElement instanceof HTMLTextAreaElement || document.activeElement instanceof HTMLInputElement;
      if (!typing) void tick().then(() => this.goToSpotlight());
    });
  }

  /** Opens the board and the session (in the browser, once mounted). */
  start(): void {
    const d = this.data();
    if (!d.signedIn || !this.stillHere) {
      // Signed out: nothing of this workshop stays on this device.
      void forgetWorkshop(d.workshopId, { boardIds: d.signedIn ? d.boards : [] });
      return;
    }
    this.stopListening = onLeftElsewhere(d.workshop.id, () => (this.leftElsewhere = true));
    const connection = new BoardConnection(d.board.id, d.workshop.id, { keepOnDevice: !d.ended });
    connection.provider.awareness.setLocalState({ user: { name: d.me.name, role: d.me.role, color: '#1d3557' }, editing: null });
    this.connection = connection;
    this.view = new BoardView(connection.doc, connection.provider.awareness);
    this.session = new SessionConnection(d.workshop.id, { id: d.me.id, name: d.me.name, role: d.me.role });
    this.drafts = new DraftStore(d.workshop.id, this.session);
    // Keep a copy of this page for reloads without a signal (see src/lib/client/device.ts).
    if (!d.ended) keepForOffline(d.workshop.id, d.boards).catch(() => undefined);
  }

  destroy(): void {
    this.stopListening?.();
    this.drafts?.destroy();
    this.session?.destroy();
    this.view?.destroy();
    this.connection?.destroy();
  }

  // ---- What this person is and may do now ---------------------------------------------------

  /**
   * False for a copy of this page kept for offline use and opened after this device was signed
   * out (cookies cleared on a shared computer, where the service worker cannot check).
   */
  get stillHere(): boolean {
    const d = this.data();
    return typeof document === 'undefined' || !d.signedIn || signedInHere(d.workshopId);
  }

  /** Why this person is no longer in the workshop, once they are not. */
  get gone(): string | null {
    return this.session?.stopped ?? (this.leftElsewhere ? 'This device left the workshop in another tab.' : null);
  }

  get me(): ParticipantInfo | null {
    const d = this.data();
    return this.session?.me ?? (d.signedIn ? { id: d.me.id, name: d.me.name, role: d.me.role } : null);
  }
  get role(): Role {
    return this.me?.role ?? 'observer';
  }
  get isFacilitator(): boolean {
    return this.role === 'facilitator';
  }
  get shared(): PublicState | null {
    return this.session?.state ?? null;
  }
  get locked(): boolean {
    const d = this.data();
    return !!(d.signedIn && this.shared?.lockedBoards.includes(d.board.id));
  }
  get canEdit(): boolean {
    return this.data().signedIn && !this.ended && canEditBoard(this.role, { locked: this.locked });
  }
  get silent(): boolean {
    const s = this.shared;
    return !!s && s.phases[Math.min(s.phaseIndex, s.phases.length - 1)].kind === 'silent';
  }
  get addMode(): AddMode {
    const anon = this.shared?.settings.anonymousCards;
    return this.silent ? 'draft' : anon === 'always' ? 'nameless-always' : anon === 'optional' ? 'nameless-optional' : 'card';
  }
  /** Whether this person may add to a lane now (a card, or a private draft while writing silently). */
  get canAdd(): boolean {
    return this.canEdit || (this.silent && this.role !== 'observer' && !this.ended);
  }
  get ended(): boolean {
    const d = this.data();
    return !!(d.signedIn && (d.ended || this.shared?.ended));
  }
  /** The facilitator's spotlight, when it is on this board. */
  get spotlightNow(): PublicState['spotlight'] {
    const d = this.data();
    return d.signedIn && this.shared?.spotlight?.boardId === d.board.id ? this.shared.spotlight : null;
  }

  cardReadOnly = (card: CardView): boolean => {
    if (!this.canEdit) return true;
    // Cards posted without a name stay as they are, so editing them cannot reveal who wrote them.
    return card.anonymous && !this.isFacilitator;
  };

  // ---- Actions ---------------------------------------------------------------------------------

  say(text: string): void {
    this.announcement = '';
    void tick().then(() => (this.announcement = text));
  }

  run = async (command: Command): Promise<CommandResult> => {
    const result = this.session ? await this.session.run(command) : NOT_CONNECTED;
    if (!result.ok) this.say(result.error.message);
    return result;
  };

  private get boardId(): string {
    const d = this.data();
    return d.signedIn ? d.board.id : '';
  }

  goToSpotlight(): void {
    const spot = this.spotlightNow;
    if (!spot) return;
    const el =
      spot.kind === 'card'
        ? document.querySelector<HTMLElement>(`[data-card-id="${spot.cardId}"]`)
        : document.getElementById(`lane-${spot.lane}`);
    el?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  }

  add = async (lane: Lane): Promise<void> => {
    const view = this.view;
    if (!view) return;
    if (this.silent && this.drafts) {
      const id = this.drafts.add(this.boardId, lane, this.shared?.settings.anonymousCards === 'always');
      await tick();
      document.getElementById(`draft-${id}`)?.focus();
      this.say('New private card. Only you can see it for now.');
      return;
    }
    const id = view.add(lane);
    await tick();
    document.getElementById(`card-${id}`)?.focus();
    this.say('New card added. Type your words.');
  };

  addNameless = async (lane: Lane, text: string, withoutName: boolean): Promise<boolean> => {
    const view = this.view;
    if (!this.data().signedIn || !view) return false;
    if (!withoutName) {
      view.add(lane, text);
      this.say('Card added.');
      return true;
    }
    this.say('Posting your card without your name. It joins the board in a few seconds, with any others.');
    const result = await this.run({ type: 'card.addAnonymous', boardId: this.boardId, lane, text });
    if (result.ok) this.say('Your card is on the board, without your name.');
    return result.ok;
  };

  move = async (id: string, lane: Lane, index: number): Promise<void> => {
    const view = this.view;
    if (!view) return;
    const before = getCard(view.doc, id)?.lane;
    view.move(id, lane, index);
    await tick();
    document.getElementById(`card-${id}`)?.focus();
    this.say(before === lane ? 'Card moved.' : `Card moved to ${lane}.`);
  };

  remove = async (id: string): Promise<void> => {
    const view = this.view;
    if (!view) return;
    // Keep the focus near where it was: the next card, else the one before, else the lane's add button.
    const lane = getCard(view.doc, id)?.lane;
    const siblings = lane ? view.lanes[lane] : [];
    const at = siblings.findIndex((c) => c.id === id);
    const neighbour = siblings[at + 1] ?? siblings[at - 1];
    view.remove(id);
    this.lastDeleted = id;
    this.say('Card deleted. You can undo this.');
    await tick();
    const target = neighbour ? document.getElementById(`card-${neighbour.id}`) : document.querySelector<HTMLElement>(`.lane-${lane} .add`);
    target?.focus();
  };

  focusCard = (id: string | null): void => this.view?.setEditing(id);

  undo = (): void => {
    this.view?.undo();
    if (this.lastDeleted && this.view && getCard(this.view.doc, this.lastDeleted)) this.lastDeleted = null;
    this.say('Undone.');
  };

  redo = (): void => {
    this.view?.redo();
    this.say('Redone.');
  };

  draftInput = (id: string, text: string): void => this.drafts?.update(id, text);
  draftDelete = (id: string): void => this.drafts?.remove(id);

  spotlight = (cardId: string): void => {
    void this.run({ type: 'spotlight.set', target: { kind: 'card', boardId: this.boardId, cardId } });
  };

  hide = (cardId: string): void => {
    if (!this.data().signedIn) return;
    const reason = prompt('Why are you hiding this card? Only facilitators see the reason.', 'Not in line with our ground rules');
    if (reason === null) return;
    void this.run({ type: 'card.hide', boardId: this.boardId, cardId, reason: reason.trim() || 'Hidden by the facilitator' }).then(
      (r) => r.ok && this.say('Card hidden. You can put it back from Hidden cards.')
    );
  };

  forgetMe = (): void => {
    const what = this.role === 'observer' ? 'your name' : 'your name and the cards you wrote';
    if (confirm(`Remove ${what} from this workshop, and leave? This cannot be undone.`)) {
      this.forgot = true;
      void this.run({ type: 'me.forget' });
    }
  };

  /** A break, or leaving for now: out of the queue, and a turn in progress ends uncounted (me.away). */
  stepAway = async (): Promise<void> => {
    if (!this.session) return;
    // Not announced when it fails (offline): the break or the goodbye comes all the same.
    await Promise.race([this.session.run({ type: 'me.away' }), new Promise((resolve) => setTimeout(resolve, 2000))]);
  };

  takeBreak = (): void => {
    this.onBreak = true;
    void this.stepAway();
  };

  leaveAndClear = async (): Promise<void> => {
    const d = this.data();
    if (!d.signedIn) return;
    this.leaving = 'busy';
    try {
      this.drafts?.clear();
      this.session?.destroy();
      await this.connection?.forgetLocalCopy();
      await leaveWorkshop(d.workshop.id, d.boards);
      location.replace('/left');
    } catch {
      this.leaving = 'failed';
    }
  };

  closeLeave = async (): Promise<void> => {
    this.leaveOpen = false;
    await tick();
    document.getElementById('leave-button')?.focus();
  };
}
