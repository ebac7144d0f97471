// A board document seen through its schema: what the server's own peer (revealed drafts,
// anonymous cards, moderation, "remove my cards") and the page do to cards, with no Yjs in the
// caller. Every write goes through the one card writer in schema.ts, with this board's origin.
import type * as Y from 'yjs';
import {
  boardToJSON,
  cardsOf,
  deleteCard,
  getCard,
  moveCard,
  putBackCard,
  readLanes,
  restoreCard,
  snapshotCard,
  writeCard,
  type CardSnapshot,
  type CardView,
  type Lane,
  type NewCard
} from './schema';
import {
  addTheme,
  deleteTheme,
  getTheme,
  mergeThemes,
  readThemes,
  renameTheme,
  setCardTheme,
  setThemeCollapsed,
  themesOf,
  ungroupTheme,
  type ThemeView
} from './themes';
import { themeItem, themeOfItem, VOTE_RULES, type Checked, type VoteSubject } from '../domain/votes';
import {
  addKeyPoint,
  deleteKeyPoint,
  moveKeyPoint,
  readKeyPoints,
  setKeyPointSource,
  setKeyPointSources,
  type KeyPointView
} from './keypoints';
import type { PointNow } from '../domain/agreed';

/** Something a vote can be about, with its words now (a card's text, a theme's name). */
export interface VoteItem {
  id: string;
  label: string;
}

/** A card's plain facts, for counting and exports (no live Yjs types). */
export interface CardFacts {
  id: string;
  lane: Lane;
  text: string;
  anonymous: boolean;
  createdAt: number;
  /** The theme it is in, when that theme exists. */
  theme: string | null;
}

export class Board {
  constructor(
    readonly doc: Y.Doc,
    /** The origin of every change made through this object (the page's LOCAL, the server's peer). */
    private origin: unknown = null
  ) {}

  add(card: NewCard): string {
    return writeCard(this.doc, card, this.origin);
  }

  move(id: string, lane: Lane, index: number): boolean {
    return moveCard(this.doc, id, lane, index, this.origin);
  }

  delete(id: string): boolean {
    return deleteCard(this.doc, id, this.origin);
  }

  /** All of a card (every field), for restore(); null when it is not there. */
  snapshot(id: string): CardSnapshot | null {
    return snapshotCard(this.doc, id);
  }

  /** Puts a hidden card back exactly as it was (same id, every field). */
  restore(id: string, snapshot: CardSnapshot): void {
    restoreCard(this.doc, id, snapshot, this.origin);
  }

  /** Puts a removed card back (same id, every field; at its place or the end of its list); false when it is there already. */
  putBack(id: string, snapshot: CardSnapshot): boolean {
    return putBackCard(this.doc, id, snapshot, this.origin);
  }

  card(id: string): CardView | null {
    return getCard(this.doc, id);
  }

  has(id: string): boolean {
    return cardsOf(this.doc).has(id);
  }

  lanes(): Record<Lane, CardView[]> {
    return readLanes(this.doc);
  }

  /** How many well-formed cards the board has: in one list, or in all of them. */
  count(lane?: Lane): number {
    const lanes = readLanes(this.doc);
    return lane ? lanes[lane].length : Object.values(lanes).reduce((n, cards) => n + cards.length, 0);
  }

  /** Every well-formed card as plain facts, in lane order. */
  facts(): CardFacts[] {
    const lanes = readLanes(this.doc);
    return Object.values(lanes).flatMap((cards) =>
      cards.map((c) => ({
        id: c.id,
        lane: c.lane,
        text: c.text.toString(),
        anonymous: c.anonymous,
        createdAt: c.createdAt,
        theme: c.theme !== null && themesOf(this.doc).has(c.theme) ? c.theme : null
      }))
    );
  }

  // ---- Themes (themes.ts) ----

  /** Every well-formed theme, in order. */
  themes(): ThemeView[] {
    return readThemes(this.doc);
  }

  addTheme(name: string, options: { index?: number; id?: string } = {}): string {
    return addTheme(this.doc, name, options, this.origin);
  }

  renameTheme(id: string, name: string): boolean {
    return renameTheme(this.doc, id, name, this.origin);
  }

  collapseTheme(id: string, collapsed: boolean): boolean {
    return setThemeCollapsed(this.doc, id, collapsed, this.origin);
  }

  setTheme(cardId: string, themeId: string | null): boolean {
    return setCardTheme(this.doc, cardId, themeId, this.origin);
  }

  ungroupTheme(id: string): number {
    return ungroupTheme(this.doc, id, this.origin);
  }

  deleteTheme(id: string): boolean {
    return deleteTheme(this.doc, id, this.origin);
  }

  mergeThemes(from: string, into: string): boolean {
    return mergeThemes(this.doc, from, into, this.origin);
  }

  // ---- Votes (../domain/votes.ts) ----

  /**
   * The items a vote on `subject` is about, as the board is now: card ids (cards of the chosen
   * lanes and/or in the chosen themes; every card when neither is chosen), or `theme:<id>` for
   * the chosen themes (every theme when none is). Cards hidden by a facilitator are not on the
   * board, so they are never among them. Refused when a chosen theme is not on the board.
   */
  voteItems(subject: VoteSubject): Checked<VoteItem[]> {
    const themes = this.themes();
    const known = new Set(themes.map((t) => t.id));
    const unknown = (subject.themes ?? []).find((t) => !known.has(t));
    if (unknown !== undefined) return { ok: false, message: 'One of the themes chosen is not on the board.' };
    const chosenThemes = subject.themes ? new Set(subject.themes) : null;
    if (subject.kind === 'themes') {
      return {
        ok: true,
        value: themes.filter((t) => !chosenThemes || chosenThemes.has(t.id)).map((t) => ({ id: themeItem(t.id), label: t.name }))
      };
    }
    const lanes = subject.lanes ? new Set<Lane>(subject.lanes) : null;
    return {
      ok: true,
      value: this.facts()
        .filter((c) => (!lanes || lanes.has(c.lane)) && (!chosenThemes || (c.theme !== null && chosenThemes.has(c.theme))))
        .map((c) => ({ id: c.id, label: c.text }))
    };
  }

  /** Whether a vote's item is on the board now (a hidden or deleted card, a deleted theme: not). */
  hasVoteItem(itemId: string): boolean {
    const theme = themeOfItem(itemId);
    return theme !== null ? getTheme(this.doc, theme) !== null : this.card(itemId) !== null;
  }

  /** An item's words now, cut to a length fit for results; null when it is not on the board. */
  voteItemLabel(itemId: string): string | null {
    const theme = themeOfItem(itemId);
    const words = theme !== null ? (getTheme(this.doc, theme)?.name ?? null) : (this.card(itemId)?.text.toString() ?? null);
    return words === null ? null : words.slice(0, VOTE_RULES.labelChars);
  }

  // ---- Key points (keypoints.ts) ----

  /** Every well-formed key point, in order (live Yjs text). */
  keyPoints(): KeyPointView[] {
    return readKeyPoints(this.doc);
  }

  /** The key points as plain facts: words and sources, in order. */
  keyPointFacts(): PointNow[] {
    return readKeyPoints(this.doc).map((p) => ({ id: p.id, text: p.text.toString(), sources: p.sources }));
  }

  addKeyPoint(text = '', sources: string[] = [], options: { index?: number; id?: string } = {}): string {
    return addKeyPoint(this.doc, text, sources, options, this.origin);
  }

  moveKeyPoint(id: string, index: number): boolean {
    return moveKeyPoint(this.doc, id, index, this.origin);
  }

  deleteKeyPoint(id: string): boolean {
    return deleteKeyPoint(this.doc, id, this.origin);
  }

  /** Links (or unlinks) one source: a card id, or `theme:<themeId>`. */
  linkSource(id: string, source: string, linked: boolean): boolean {
    return setKeyPointSource(this.doc, id, source, linked, this.origin);
  }

  /** Sets a point's sources to exactly these. */
  setSources(id: string, sources: readonly string[]): boolean {
    return setKeyPointSources(this.doc, id, sources, this.origin);
  }

  toJSON(): ReturnType<typeof boardToJSON> {
    return boardToJSON(this.doc);
  }
}
