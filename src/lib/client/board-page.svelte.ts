// The board page's state and lifecycle as one rune class: the board's connection and view, the
// session (socket.io), private drafts, what this person may do now, and every action the lanes and
// cards offer. The page creates one while it initialises (its effects belong to the page) and hands
// its actions to the lanes and cards through context (boardActions), not a dozen callbacks.
import { createContext, tick } from 'svelte';
import { LANE_INFO, getCard, type CardView, type Lane } from '$lib/board/schema';
import { canEditBoard, type Role } from '$lib/domain/roles';
import type { CardNotice, Command, CommandResult, ParticipantInfo, PublicState } from '$lib/protocol/session';
import type { GlossaryEntry } from '$lib/domain/glossary';
import type { PhaseKind } from '$lib/domain/facilitation';
import { hiddenNotice, removedNotice } from '$lib/domain/removed';
import { BoardConnection } from './board-connection.svelte';
import { BoardView } from './board-view.svelte';
import { SessionConnection } from './session.svelte';
import { DraftStore } from './drafts.svelte';
import { Outbox, type WaitingPost } from './outbox.svelte';
import { endSessionHere, forgetWorkshop, keepForOffline, leaveWorkshop, onLeftElsewhere, signedInHere } from './device';
import { THEME_NAME_MAX, type ThemeView } from '$lib/board/themes';
import type { TextRequest } from './text-request';
import { VoteBooth } from './vote-booth.svelte';
import { explainLimits, itemNoun } from '$lib/domain/vote-words';
import { LIMITS } from '$lib/domain/text';
import { prefersLessMotion } from './reading-aids.svelte';
import { holdWorkerUntil } from './offline-worker';

export type AddMode = 'card' | 'draft' | 'nameless-optional' | 'nameless-always';

/**
 * A menu asked for by its button: a card's options (`card`), the list of themes to put a card in
 * (`theme`), or a theme's own options (`theme-options`: rename, fold, merge, empty, delete). One
 * menu serves every button on the page (CardMenu.svelte, loaded when first needed), so a 500-card
 * board in 40 themes mounts plain buttons, not 540 menus.
 */
export type MenuRequest =
  | {
      kind: 'card' | 'theme';
      cardId: string;
      /** The card as it is now, read when the menu draws (it may move while the menu is open). */
      read: () => { card: CardView; index: number; count: number; label: string };
      /** The button that opened it: the menu sits beside it, and the focus goes back to it. */
      anchor: HTMLElement;
      /** Opened from the keyboard: the first choice takes the focus. */
      keyboard: boolean;
    }
  | {
      kind: 'theme-options';
      themeId: string;
      /** The theme as it is now and how many cards it has (null once it is gone). */
      read: () => { theme: ThemeView; cards: number } | null;
      anchor: HTMLElement;
      keyboard: boolean;
    };

/** Loads the shared card menu; called early (a pointer over, or the focus on, a menu button). */
export const loadCardMenu = () => import('$lib/components/CardMenu.svelte');

/** What the board page's server load gives a signed-in person. */
export interface SignedInData {
  signedIn: true;
  workshopId: string;
  ended: boolean;
  workshop: { id: string; title: string; question: string; context: string; glossary: GlossaryEntry[] };
  boards: string[];
  board: { id: string; title: string };
  /** The kind of step the workshop was at when the page was made (null if that was not known). */
  stepKind?: PhaseKind | null;
  me: { id: string; name: string; role: Role; roleLabel: string; representative?: boolean };
}

export type BoardPageData = SignedInData | { signedIn: false; workshopId: string };

/** What lanes and cards may do, from context (set by the board page). */
export interface BoardActions {
  readonly isFacilitator: boolean;
  /** This person's part in the board's open vote, if one is open. */
  readonly vote: VoteBooth;
  /** The board's themes, in order. */
  readonly themes: ThemeView[];
  /** Whether cards may be dragged now (the person may change the board). */
  readonly canDrag: boolean;
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
  hide(cardId: string): Promise<void>;
  /** The focus left a card: a card made here and never typed in goes again. */
  leftCard(id: string): void;
  /** Puts a card in a theme (or none). */
  setTheme(cardId: string, themeId: string | null): void;
  /** Asks for a name and makes a theme, with these cards in it. */
  newTheme(cardIds: string[]): Promise<string | null>;
  renameTheme(id: string): Promise<void>;
  collapseTheme(id: string, collapsed: boolean): void;
  mergeTheme(from: string, into: string): void;
  ungroupTheme(id: string): void;
  deleteTheme(id: string): void;
  /** Makes a theme from a suggestion, with those of its cards that are in no theme yet. */
  acceptSuggestion(name: string, cardIds: string[]): void;
  /** The card menu open now, if any (its button says it is expanded). */
  readonly menu: MenuRequest | null;
  openMenu(request: MenuRequest): void;
  closeMenu(): void;
}

export const [boardActions, setBoardActions] = createContext<BoardActions>();

/** One notice, by what it is about (a card has at most one of each kind). */
export function noticeKey(n: CardNotice): string {
  return `${n.kind}/${n.boardId}/${n.cardId}`;
}

/** A notice in the plain words its person reads. */
export function noticeWords(n: CardNotice): string {
  return n.kind === 'removed' ? removedNotice(n.text) : hiddenNotice(n.text, n.reason);
}

const SPOTLIGHT = 'The facilitator is showing everyone';

const NOT_CONNECTED: CommandResult = { ok: false, error: { code: 'server_error', message: 'Not connected yet.' } };

export class BoardPage implements BoardActions {
  connection = $state<BoardConnection | null>(null);
  view = $state<BoardView | null>(null);
  session = $state<SessionConnection | null>(null);
  drafts = $state<DraftStore | null>(null);
  /** Cards posted without a name that the server has not taken yet (kept on this device). */
  outbox = $state<Outbox | null>(null);
  /** Why putting back or dismissing a notice failed, by notice. */
  noticeErrors = $state<Record<string, string>>({});
  /** The polite live region's words (status messages for screen readers). */
  announcement = $state('');
  onBreak = $state(false);
  /** How the board shows its cards: in their lists, or gathered in their themes. */
  arrangement = $state<'lists' | 'themes'>('lists');
  /** On a phone, the one list on screen (the others are tabs). */
  currentLane = $state<Lane>('questions');
  /** Where the focus was when the person took a break, to go back to. */
  private beforeBreak: HTMLElement | null = null;
  leaveOpen = $state(false);
  leaving = $state<'no' | 'busy' | 'failed'>('no');
  private leftElsewhere = $state(false);
  /** What the page's dialog asks for now (TextDialog), if anything. */
  textRequest = $state<TextRequest | null>(null);
  /** The card menu open now (CardMenu), if any. */
  menu = $state<MenuRequest | null>(null);
  readonly vote: VoteBooth;
  /** Asks the facilitator's panel to open its vote section (a count: each ask is a new number). */
  voteSetupAsked = $state(0);
  private lastDeleted: string | null = null;
  /** Cards made on this page that nobody has typed in yet: discarded when their maker leaves them. */
  private untouched = new Set<string>();
  private forgot = false;
  private cleared = false;
  private stoppedKeeping = false;
  private lastSpot = '';
  private stopListening: (() => void) | undefined;

  constructor(private data: () => BoardPageData) {
    this.vote = new VoteBooth(this);
    // At a "group" step the page opens by theme from the start (the page says which step it is
    // at), rather than drawing the lists first and switching once the session says so.
    const first = this.data();
    let fromPage = first.signedIn && first.stepKind === 'group';
    if (fromPage) this.arrangement = 'themes';
    // Removed, forgotten, the workshop deleted, or left in another tab: nothing of it stays on
    // this device, and both cookies go (the session has ended already; this deletes them).
    $effect(() => {
      const d = this.data();
      if (!this.gone || this.cleared || !d.signedIn) return;
      this.cleared = true;
      this.drafts?.clear();
      this.outbox?.clear();
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
      this.outbox?.clear();
      void (this.connection?.stopKeeping() ?? Promise.resolve()).then(() => forgetWorkshop(d.workshop.id, { boardIds: d.boards }));
    });
    // A new notice about one of this person's cards is said aloud too (the list is on the page).
    let told = new Set<string>();
    $effect(() => {
      const notices = this.notices;
      const now = new Set(notices.map(noticeKey));
      const fresh = notices.filter((n) => !told.has(noticeKey(n)));
      told = now;
      if (fresh.length === 1) this.say(noticeWords(fresh[0]));
      else if (fresh.length > 1) this.say(`There are ${fresh.length} new messages about your cards, under About your cards.`);
    });
    // A step of the kind "group" shows the board by theme (once, as it starts; people may switch back).
    let lastPhase = -1;
    $effect(() => {
      const s = this.shared;
      if (!s || s.phaseIndex === lastPhase) return;
      lastPhase = s.phaseIndex;
      const kind = s.phases[Math.min(s.phaseIndex, s.phases.length - 1)]?.kind;
      if (kind === 'group') this.arrangement = 'themes';
      // A copy of the page kept for offline use may be from an earlier step.
      else if (fromPage && this.arrangement === 'themes') this.arrangement = 'lists';
      fromPage = false;
    });
    // A vote opens or closes on this board: everyone is told, and a vote on themes (or on the
    // cards of some themes) shows the board by theme, where its vote buttons are.
    let lastVote: string | null | undefined;
    $effect(() => {
      if (!this.shared) return;
      const v = this.vote.vote;
      const id = v?.id ?? null;
      if (id === lastVote) return;
      const before = lastVote;
      lastVote = id;
      if (v && (v.on.kind === 'themes' || v.on.themes)) this.arrangement = 'themes';
      // Said when it opens or closes while the page is here, not when a page loads with a vote open.
      if (before === undefined) return;
      if (v) {
        const how = this.role === 'observer' ? 'Observers do not vote.' : explainLimits(v, v.on);
        this.say(`A vote has started on ${itemNoun(v.on).many}. ${how}`);
      } else if (before) this.say('The vote has closed. The results are on the board.');
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
    // The service worker installs once the board is in and drawn (src/lib/client/offline-worker.ts).
    holdWorkerUntil(connection.whenReady);
    this.view = new BoardView(connection.doc, connection.provider.awareness);
    this.session = new SessionConnection(d.workshop.id, {
      id: d.me.id,
      name: d.me.name,
      role: d.me.role,
      representative: d.me.representative
    });
    this.drafts = new DraftStore(d.workshop.id, this.session);
    this.vote.attach(this.session);
    if (!d.ended) {
      this.outbox = new Outbox(d.workshop.id, this.session);
      this.outbox.onPosted(() => this.say('Your card is on the board, without your name.'));
    }
    // Keep a copy of this page for reloads without a signal (see src/lib/client/device.ts).
    if (!d.ended) keepForOffline(d.workshop.id, d.boards).catch(() => undefined);
  }

  destroy(): void {
    this.stopListening?.();
    this.vote.destroy();
    this.drafts?.destroy();
    this.outbox?.destroy();
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
    return this.session?.me ?? (d.signedIn ? { id: d.me.id, name: d.me.name, role: d.me.role, representative: d.me.representative } : null);
  }
  // role, canEdit and ended are read by every card (500 on a big board) and by the menus: each is
  // worked out once when what it depends on changes, not again for every card that asks.
  readonly #role = $derived.by((): Role => this.me?.role ?? 'observer');
  get role(): Role {
    return this.#role;
  }
  get isFacilitator(): boolean {
    return this.#role === 'facilitator';
  }
  get shared(): PublicState | null {
    return this.session?.state ?? null;
  }
  get locked(): boolean {
    const d = this.data();
    return !!(d.signedIn && this.shared?.lockedBoards.includes(d.board.id));
  }
  readonly #canEdit = $derived.by(() => this.data().signedIn && !this.ended && canEditBoard(this.role, { locked: this.locked }));
  get canEdit(): boolean {
    return this.#canEdit;
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
  readonly #ended = $derived.by(() => {
    const d = this.data();
    return !!(d.signedIn && (d.ended || this.shared?.ended));
  });
  get ended(): boolean {
    return this.#ended;
  }
  /** The facilitator's spotlight, when it is on this board. */
  get spotlightNow(): PublicState['spotlight'] {
    const d = this.data();
    return d.signedIn && this.shared?.spotlight?.boardId === d.board.id ? this.shared.spotlight : null;
  }

  /** What this person is told about their own cards, until they dismiss it. */
  get notices(): CardNotice[] {
    return this.session?.notices ?? [];
  }

  /**
   * The question, its background and the glossary: as the server last said on this page's socket,
   * else as the page was loaded (a copy kept for offline use may be older until the socket says).
   */
  get question(): { question: string; context: string; glossary: GlossaryEntry[] } {
    const live = this.session?.question;
    if (live) return live;
    const d = this.data();
    return d.signedIn ? d.workshop : { question: '', context: '', glossary: [] };
  }

  get themes(): ThemeView[] {
    return this.view?.themes ?? [];
  }

  get canDrag(): boolean {
    return this.canEdit;
  }

  openMenu = (request: MenuRequest): void => {
    this.menu = request;
  };

  closeMenu = (): void => {
    this.menu = null;
  };

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

  get boardId(): string {
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
    // A smooth scroll is movement: not for someone who asked for less (the reading aids, or their device).
    el?.scrollIntoView({ behavior: prefersLessMotion() ? 'auto' : 'smooth', block: 'center' });
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
    this.untouched.add(id);
    await tick();
    document.getElementById(`card-${id}`)?.focus();
    this.say('New card added. Type your words.');
  };

  leftCard = (id: string): void => {
    const view = this.view;
    if (!view || !this.untouched.has(id)) return;
    const card = getCard(view.doc, id);
    if (card && card.text.length > 0) {
      this.untouched.delete(id);
      return;
    }
    // Still empty: it goes, without an undo step or a word (nothing was lost). Later, once the
    // focus has settled (a menu opened from the card keeps it).
    setTimeout(() => {
      const active = document.activeElement;
      if (active instanceof HTMLElement && active.closest(`[data-card-id="${id}"]`)) return;
      const now = getCard(view.doc, id);
      if (!this.untouched.has(id) || (now && now.text.length > 0)) return;
      this.untouched.delete(id);
      if (now) view.discard(id);
    }, 200);
  };

  /** Asks for a few words in the page's dialog; null when the person cancels. */
  ask(request: Omit<TextRequest, 'done'>): Promise<string | null> {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return new Promise((resolve) => {
      this.textRequest = {
        ...request,
        done: (value) => {
          this.textRequest = null;
          resolve(value);
          // Back where the person was, if that is still there.
          void tick().then(() => opener?.isConnected && opener.focus());
        }
      };
    });
  }

  setTheme = (cardId: string, themeId: string | null): void => {
    const view = this.view;
    if (!view) return;
    view.writer.setTheme(cardId, themeId);
    const name = this.themes.find((t) => t.id === themeId)?.name;
    this.say(name ? `Card moved to the theme ${name}.` : 'Card taken out of its theme.');
  };

  private themeName(id: string): string {
    return this.themes.find((t) => t.id === id)?.name ?? 'the theme';
  }

  renameTheme = async (id: string): Promise<void> => {
    const name = await this.ask({
      title: 'Rename the theme',
      label: 'New name',
      value: this.themeName(id),
      confirm: 'Rename',
      max: THEME_NAME_MAX
    });
    if (name !== null && this.view?.writer.renameTheme(id, name)) this.say(`Theme renamed to ${name}.`);
  };

  collapseTheme = (id: string, collapsed: boolean): void => {
    this.view?.writer.collapseTheme(id, collapsed);
    this.say(collapsed ? `${this.themeName(id)}: cards folded away.` : `${this.themeName(id)}: cards shown.`);
  };

  mergeTheme = (from: string, into: string): void => {
    const a = this.themeName(from);
    const b = this.themeName(into);
    if (this.view?.writer.mergeThemes(from, into)) this.say(`${a} merged into ${b}. All its cards are in ${b} now. You can undo this.`);
  };

  ungroupTheme = (id: string): void => {
    const n = this.view?.writer.ungroupTheme(id) ?? 0;
    this.say(`${n} ${n === 1 ? 'card' : 'cards'} taken out of ${this.themeName(id)}.`);
  };

  deleteTheme = (id: string): void => {
    const name = this.themeName(id);
    if (this.view?.writer.deleteTheme(id)) this.say(`Theme ${name} deleted. Its cards are still on the board. You can undo this.`);
  };

  acceptSuggestion = (name: string, cardIds: string[]): void => {
    const view = this.view;
    if (!view) return;
    const free = cardIds.filter(
      (id) => getCard(view.doc, id)?.theme == null || !this.themes.some((t) => t.id === getCard(view.doc, id)?.theme)
    );
    if (!free.length) return;
    const id = view.writer.addTheme(name);
    for (const cardId of free) view.writer.setTheme(cardId, id);
    this.say(`Theme ${name} made, with ${free.length} cards.`);
  };

  newTheme = async (cardIds: string[]): Promise<string | null> => {
    const name = await this.ask({
      title: 'New theme',
      label: 'Name of the theme',
      hint: 'A few words the group would use',
      value: '',
      confirm: 'Make the theme',
      max: THEME_NAME_MAX
    });
    const view = this.view;
    if (name === null || !view) return null;
    const id = view.writer.addTheme(name);
    for (const cardId of cardIds) view.writer.setTheme(cardId, id);
    this.say(`Theme ${name} made.`);
    return id;
  };

  addNameless = async (lane: Lane, text: string, withoutName: boolean): Promise<boolean> => {
    const view = this.view;
    if (!this.data().signedIn || !view) return false;
    if (!withoutName) {
      view.add(lane, text);
      this.say('Card added.');
      return true;
    }
    const outbox = this.outbox;
    if (!outbox) return false;
    // Kept on this device first: with no signal (or no answer) it waits and is sent when the
    // signal is back, across a reload too.
    const sending = outbox.post(this.boardId, lane, text);
    this.say(
      this.session?.connected
        ? 'Posting your card without your name. It joins the board in a few seconds, with any others.'
        : 'You are offline. Your card is kept on this device and is sent, without your name, when you are back online.'
    );
    void sending.then((outcome) => {
      if (outcome.kind === 'refused') this.say(`Your card was not sent: ${outcome.message}`);
    });
    return true;
  };

  retryPost = async (post: WaitingPost): Promise<void> => {
    const outcome = await this.outbox?.retry(post.postId);
    if (outcome?.kind === 'refused') this.say(`Your card was not sent: ${outcome.message}`);
    else if (outcome?.kind === 'waiting') this.say('Your card is kept on this device and is sent when you are back online.');
  };

  discardPost = (post: WaitingPost): void => {
    this.outbox?.discard(post.postId);
    this.say('The card you had not sent is deleted.');
  };

  /** Puts one of this person's removed cards back on the board. */
  restoreMine = async (notice: CardNotice): Promise<boolean> => {
    const r = await this.run({ type: 'card.restoreRemoved', boardId: notice.boardId, cardId: notice.cardId });
    this.noticeErrors = { ...this.noticeErrors, [noticeKey(notice)]: r.ok ? '' : r.error.message };
    if (!r.ok) return false;
    this.say('Your card is back on the board.');
    // The focus goes to the card, once it is back on this board (on a phone, in its list's tab).
    if (notice.boardId !== this.boardId) return true;
    this.arrangement = 'lists';
    this.currentLane = notice.lane;
    for (let i = 0; i < 50 && !document.getElementById(`card-${notice.cardId}`); i++) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      await tick();
    }
    document.getElementById(`card-${notice.cardId}`)?.focus();
    return true;
  };

  dismissNotice = async (notice: CardNotice): Promise<boolean> => {
    const r = await this.run({ type: 'notice.dismiss', boardId: notice.boardId, cardId: notice.cardId, kind: notice.kind });
    this.noticeErrors = { ...this.noticeErrors, [noticeKey(notice)]: r.ok ? '' : r.error.message };
    return r.ok;
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
    this.say('Card deleted. You can undo this. If someone else wrote it, they are told and can put it back.');
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

  hide = async (cardId: string): Promise<void> => {
    if (!this.data().signedIn) return;
    // A card posted without a name has no recorded writer: nobody can be told, and the dialog says so.
    const nameless = this.view ? (getCard(this.view.doc, cardId)?.anonymous ?? false) : false;
    const reason = await this.ask({
      title: 'Hide this card',
      label: 'Why are you hiding it?',
      hint: nameless
        ? 'This card was posted without a name, so nobody can be told it was hidden. You can put it back from Hidden cards.'
        : 'The person who wrote it is told, with this reason. You can put it back from Hidden cards.',
      value: 'Not in line with our ground rules',
      confirm: 'Hide the card',
      max: LIMITS.hideReason
    });
    if (reason === null) return;
    const r = await this.run({ type: 'card.hide', boardId: this.boardId, cardId, reason });
    if (r.ok)
      this.say(
        nameless
          ? 'Card hidden. It was posted without a name, so nobody was told. You can put it back from Hidden cards.'
          : 'Card hidden. The person who wrote it is told why. You can put it back from Hidden cards.'
      );
  };

  /** A break: out of the speaking queue (me.away), and back to the same place afterwards. */
  takeBreak = async (): Promise<void> => {
    this.beforeBreak = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    void this.stepAway();
    this.onBreak = true;
    await tick();
    document.getElementById('back-from-break')?.focus();
  };

  backFromBreak = async (): Promise<void> => {
    this.onBreak = false;
    // Counts this person's time again, if it is being recorded (not announced when it fails).
    void this.session?.run({ type: 'me.back' });
    await tick();
    // The board is drawn again: the same button, found by id, or the first control there.
    const id = this.beforeBreak?.id;
    const again = id ? document.getElementById(id) : null;
    (again ?? document.getElementById('take-a-break'))?.focus();
    this.say('Welcome back.');
  };

  /**
   * Board shortcuts, when the focus is not in a text field: N adds a card to the list in view (on a
   * phone) or the list the focus is in; H raises or lowers a hand. Listed on the page.
   */
  shortcut = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const t = e.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return;
    if (t instanceof HTMLElement && (t.isContentEditable || t.closest('[role="menu"], [role="dialog"]'))) return;
    const key = e.key.toLowerCase();
    if (key === 'n' && this.canAdd && this.arrangement === 'lists') {
      e.preventDefault();
      const inLane = t instanceof HTMLElement ? t.closest<HTMLElement>('section[id^="lane-"]')?.id.replace('lane-', '') : undefined;
      const lane = (['questions', 'problems', 'solutions'] as const).find((l) => l === inLane) ?? this.currentLane;
      void this.add(lane);
    } else if (key === 'h' && this.role !== 'observer' && !this.ended && this.shared) {
      e.preventDefault();
      const me = this.me?.id;
      const raised = this.shared.queue.some((q) => q.participantId === me);
      const speaking = this.shared.speaking?.participantId === me;
      void this.run({ type: speaking ? 'turn.pass' : raised ? 'hand.lower' : 'hand.raise' }).then((r) => {
        if (r.ok) this.say(speaking ? 'You have finished speaking.' : raised ? 'Hand lowered.' : 'Hand raised.');
      });
    }
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

  leaveAndClear = async (): Promise<void> => {
    const d = this.data();
    if (!d.signedIn) return;
    this.leaving = 'busy';
    try {
      this.drafts?.clear();
      this.outbox?.clear();
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
