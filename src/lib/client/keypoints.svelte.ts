// The board's key points as runes, for the "Key points" section: the points (co-edited in the
// board's document), their support (counted by the server, which alone knows who wrote which
// card; fetched again when sources change or a vote closes), the agreed versions and what changed
// since the last, the consent round, and what this person may do with them. The section's
// components take their actions from context (keyPointActions).
import { createContext, tick } from 'svelte';
import type { KeyPointView } from '$lib/board/keypoints';
import { changesSince, type AgreedVersion, type Changes } from '$lib/domain/agreed';
import type { ConsentAnswer, ConsentResults } from '$lib/domain/consent';
import type { Support } from '$lib/domain/support';
import type { Command, CommandResult, PublicConsent, PublicState } from '$lib/protocol/session';
import type { BoardView } from './board-view.svelte';
import type { SessionConnection } from './session.svelte';

export interface KeyPointsDeps {
  workshopId: () => string;
  boardId: () => string;
  view: () => BoardView | null;
  session: () => SessionConnection | null;
  shared: () => PublicState | null;
  /** May change the board now (not an observer, not locked for them, not ended). */
  canEdit: () => boolean;
  isFacilitator: () => boolean;
  mayTakePart: () => boolean;
  run: (c: Command) => Promise<CommandResult>;
  say: (text: string) => void;
}

/** A key point's options menu, opened from its button (by the keyboard: the first choice takes the focus). */
export interface KeyPointMenuRequest {
  pointId: string;
  anchor: HTMLElement;
  keyboard: boolean;
}

/** The key point menu's code, loaded on first use (a pointer over a point's button starts it). */
export const loadKeyPointMenu = () => import('$lib/components/KeyPointMenu.svelte');

export class KeyPoints {
  #support = $state<Record<string, Support>>({});
  #supportFor = '';
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Which point's sources the picker is choosing, if any. */
  picking = $state<string | null>(null);
  /** The point whose options menu is open, and the button it opened from (see KeyPointMenu). */
  menu = $state<KeyPointMenuRequest | null>(null);

  constructor(private deps: KeyPointsDeps) {
    // Support is counted again when a point's sources change, when cards move between themes,
    // and when a vote closes (it leaves state.votes): all visible from here.
    $effect(() => {
      const view = this.deps.view();
      if (!view) return;
      const key = JSON.stringify([
        view.keyPoints.map((p) => [p.id, p.sources]),
        view.themes.map((t) => t.id),
        Object.values(view.lanes)
          .flat()
          .map((c) => `${c.id}:${c.theme ?? ''}`),
        this.deps.shared()?.votes.map((v) => v.id) ?? []
      ]);
      if (key === this.#supportFor) return;
      this.#supportFor = key;
      this.scheduleSupport();
    });
  }

  destroy(): void {
    if (this.#timer) clearTimeout(this.#timer);
  }

  private scheduleSupport(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.fetchSupport(), 400);
  }

  private async fetchSupport(): Promise<void> {
    try {
      const res = await fetch(`/api/workshops/${this.deps.workshopId()}/keypoints`, { headers: { accept: 'application/json' } });
      if (!res.ok) return;
      const body = (await res.json()) as { boards: { boardId: string; support: Record<string, Support> }[] };
      this.#support = body.boards.find((b) => b.boardId === this.deps.boardId())?.support ?? {};
    } catch {
      // Offline: the support shown stays as it was last counted.
    }
  }

  get points(): KeyPointView[] {
    return this.deps.view()?.keyPoints ?? [];
  }

  get support(): Record<string, Support> {
    return this.#support;
  }

  get canEdit(): boolean {
    return this.deps.canEdit();
  }

  get isFacilitator(): boolean {
    return this.deps.isFacilitator();
  }

  get mayTakePart(): boolean {
    return this.deps.mayTakePart();
  }

  get ended(): boolean {
    return !!this.deps.shared()?.ended;
  }

  /** This board's agreed versions, oldest first. */
  get versions(): AgreedVersion[] {
    return (this.deps.session()?.agreed ?? []).filter((v) => v.boardId === this.deps.boardId());
  }

  get latest(): AgreedVersion | null {
    const v = this.versions;
    return v.length ? v[v.length - 1] : null;
  }

  /** What changed on the board since the last agreed version. */
  get changes(): Changes | null {
    const latest = this.latest;
    if (!latest) return null;
    return changesSince(
      latest,
      this.points.map((p) => ({ id: p.id, text: p.text.toString(), sources: p.sources }))
    );
  }

  get openRound(): PublicConsent | null {
    return this.deps.shared()?.consent?.find((r) => r.boardId === this.deps.boardId()) ?? null;
  }

  get myAnswers(): Record<string, ConsentAnswer> {
    const round = this.openRound;
    return round ? (this.deps.session()?.myConsent[round.id] ?? {}) : {};
  }

  get results(): ConsentResults | null {
    return this.deps.session()?.consentResults[this.deps.boardId()] ?? null;
  }

  /** Cards and themes a point can come from, for the picker. */
  get view(): BoardView | null {
    return this.deps.view();
  }

  // ---- Actions ----

  add = async (): Promise<void> => {
    const view = this.deps.view();
    if (!view) return;
    const id = view.writer.addKeyPoint('');
    view.undoManager.stopCapturing();
    await tick();
    document.getElementById(`keypoint-${id}`)?.focus();
    this.deps.say('New key point added. Type it in a sentence or two.');
  };

  move = async (id: string, by: -1 | 1): Promise<void> => {
    const view = this.deps.view();
    if (!view) return;
    const at = this.points.findIndex((p) => p.id === id);
    const to = at + by;
    if (at < 0 || to < 0 || to >= this.points.length) return;
    view.writer.moveKeyPoint(id, to);
    view.undoManager.stopCapturing();
    await tick();
    document.getElementById(`keypoint-${id}`)?.focus();
    this.deps.say(`Key point moved ${by < 0 ? 'up' : 'down'}. It is number ${to + 1} of ${this.points.length} now.`);
  };

  remove = async (id: string): Promise<void> => {
    const view = this.deps.view();
    if (!view) return;
    const at = this.points.findIndex((p) => p.id === id);
    const neighbour = this.points[at + 1] ?? this.points[at - 1];
    view.writer.deleteKeyPoint(id);
    view.undoManager.stopCapturing();
    this.deps.say('Key point deleted. You can undo this.');
    await tick();
    (neighbour ? document.getElementById(`keypoint-${neighbour.id}`) : document.getElementById('add-keypoint'))?.focus();
  };

  setSources = (id: string, sources: string[]): void => {
    const view = this.deps.view();
    if (!view) return;
    view.writer.setSources(id, sources);
    view.undoManager.stopCapturing();
    this.deps.say(
      sources.length
        ? `This point now comes from ${sources.length} ${sources.length === 1 ? 'card or theme' : 'cards and themes'}.`
        : 'This point is linked to nothing now.'
    );
  };

  agree = async (): Promise<void> => {
    const result = await this.deps.run({ type: 'keypoints.agree', boardId: this.deps.boardId() });
    if (result.ok && 'number' in result) this.deps.say(`The key points are agreed: version ${result.number}.`);
  };

  openConsent = async (): Promise<void> => {
    const result = await this.deps.run({ type: 'consent.open', boardId: this.deps.boardId() });
    if (result.ok) this.deps.say('The consent round is open. Everyone can answer now.');
  };

  closeConsent = async (): Promise<void> => {
    const round = this.openRound;
    if (!round) return;
    const result = await this.deps.run({ type: 'consent.close', consentId: round.id });
    if (result.ok) this.deps.say('The consent round is closed. The answers are shown by group.');
  };

  answer = async (pointId: string, answer: ConsentAnswer | null): Promise<boolean> => {
    const round = this.openRound;
    if (!round) return false;
    const result = await this.deps.run({ type: 'consent.answer', consentId: round.id, pointId, answer });
    return result.ok;
  };
}

export const [keyPointActions, setKeyPointActions] = createContext<KeyPoints>();
