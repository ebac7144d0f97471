// Bridges a board's Yjs document and presence into Svelte 5 runes: reading `lanes` or `people`
// inside an effect or template subscribes to the document, and nothing else does.
import * as Y from 'yjs';
import { createSubscriber } from 'svelte/reactivity';
import type { Awareness } from 'y-protocols/awareness';
import { cardsOf, deleteCard, readLanes, type CardView, type Lane } from '$lib/board/schema';
import { Board } from '$lib/board/board';
import { readThemes, themesOf, type ThemeView } from '$lib/board/themes';
import type { VoteSubject } from '$lib/domain/votes';
import { keyPointsOf, readKeyPoints, type KeyPointView } from '$lib/board/keypoints';
import { LOCAL } from './board-connection.svelte';

/** The origin of discarding an untouched card: not tracked by undo. */
const DISCARD = Symbol('discard');

export interface Person {
  clientId: number;
  name: string;
  role: string;
  color: string;
  editing: string | null;
  isMe: boolean;
}

/** Nobody else is typing in a card: one array for every such card, so their props stay the same. */
export const NO_EDITORS: readonly Person[] = [];

/**
 * Who else is typing in each card, by card id: worked out once per presence change for a whole
 * list, rather than the list of people filtered again for each of its cards.
 */
export function editorsByCard(people: readonly Person[]): ReadonlyMap<string, readonly Person[]> {
  const by = new Map<string, Person[]>();
  for (const p of people) {
    if (p.isMe || !p.editing) continue;
    const list = by.get(p.editing);
    if (list) list.push(p);
    else by.set(p.editing, [p]);
  }
  return by;
}

export class BoardView {
  private subscribeDoc: () => void;
  private subscribePresence: () => void;
  private version = 0;
  private cached: { version: number; lanes: Record<Lane, CardView[]> } | null = null;
  private cachedThemes: { version: number; themes: ThemeView[] } | null = null;
  private cachedPoints: { version: number; points: KeyPointView[] } | null = null;
  readonly undoManager: Y.UndoManager;
  /** This person's writes, through the one card writer, marked LOCAL (for undo). */
  private board: Board;
  #canUndo = $state(false);
  #canRedo = $state(false);

  constructor(
    readonly doc: Y.Doc,
    readonly awareness: Awareness
  ) {
    const cards = cardsOf(doc);
    this.board = new Board(doc, LOCAL);
    this.subscribeDoc = createSubscriber((update) => {
      const onChange = () => {
        this.version++;
        update();
      };
      const themes = themesOf(doc);
      const points = keyPointsOf(doc);
      cards.observeDeep(onChange);
      themes.observeDeep(onChange);
      points.observeDeep(onChange);
      return () => {
        cards.unobserveDeep(onChange);
        themes.unobserveDeep(onChange);
        points.unobserveDeep(onChange);
      };
    });
    this.subscribePresence = createSubscriber((update) => {
      awareness.on('change', update);
      return () => awareness.off('change', update);
    });
    // Undo covers only this person's own changes (cards, themes and key points).
    this.undoManager = new Y.UndoManager([cards, themesOf(doc), keyPointsOf(doc)], {
      trackedOrigins: new Set([LOCAL]),
      captureTimeout: 600
    });
    const refresh = () => {
      this.#canUndo = this.undoManager.undoStack.length > 0;
      this.#canRedo = this.undoManager.redoStack.length > 0;
    };
    for (const e of ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const) this.undoManager.on(e, refresh);
  }

  /** Cards grouped by lane; the structure changes when cards are added, moved or deleted. */
  get lanes(): Record<Lane, CardView[]> {
    this.subscribeDoc();
    if (!this.cached || this.cached.version !== this.version) this.cached = { version: this.version, lanes: readLanes(this.doc) };
    return this.cached.lanes;
  }

  /** The board's themes, in order. */
  get themes(): ThemeView[] {
    this.subscribeDoc();
    if (!this.cachedThemes || this.cachedThemes.version !== this.version)
      this.cachedThemes = { version: this.version, themes: readThemes(this.doc) };
    return this.cachedThemes.themes;
  }

  /** How many cards or themes a vote on `subject` would be about now (as the server will count them). */
  voteItemCount(subject: VoteSubject): number {
    this.subscribeDoc();
    const items = this.board.voteItems(subject);
    return items.ok ? items.value.length : 0;
  }

  /** The board's key points, in order. */
  get keyPoints(): KeyPointView[] {
    this.subscribeDoc();
    if (!this.cachedPoints || this.cachedPoints.version !== this.version)
      this.cachedPoints = { version: this.version, points: readKeyPoints(this.doc) };
    return this.cachedPoints.points;
  }

  /** This person's writes, for themes and other board concepts (marked LOCAL, for undo). */
  get writer(): Board {
    return this.board;
  }

  get people(): Person[] {
    this.subscribePresence();
    const me = this.awareness.clientID;
    const out: Person[] = [];
    this.awareness.getStates().forEach((state, clientId) => {
      const user = (state as { user?: { name?: unknown; role?: unknown; color?: unknown } }).user;
      if (!user || typeof user.name !== 'string') return;
      out.push({
        clientId,
        name: user.name,
        role: typeof user.role === 'string' ? user.role : 'member',
        color: typeof user.color === 'string' ? user.color : '#333',
        editing: typeof (state as { editing?: unknown }).editing === 'string' ? (state as { editing: string }).editing : null,
        isMe: clientId === me
      });
    });
    return out.sort((a, b) => Number(b.isMe) - Number(a.isMe) || a.name.localeCompare(b.name));
  }

  get canUndo() {
    return this.#canUndo;
  }
  get canRedo() {
    return this.#canRedo;
  }

  add(lane: Lane, text = ''): string {
    return this.board.add({ lane, text });
  }
  move(id: string, lane: Lane, index: number): void {
    this.board.move(id, lane, index);
    this.undoManager.stopCapturing();
  }
  remove(id: string): void {
    this.board.delete(id);
    this.undoManager.stopCapturing();
  }
  /** Takes back a card made here and never typed in: not an undo step (nothing was lost). */
  discard(id: string): void {
    this.undoManager.stopCapturing();
    deleteCard(this.doc, id, DISCARD);
  }
  setEditing(cardId: string | null): void {
    this.awareness.setLocalStateField('editing', cardId);
  }
  undo(): void {
    this.undoManager.undo();
  }
  redo(): void {
    this.undoManager.redo();
  }
  destroy(): void {
    this.undoManager.destroy();
  }
}
