// Themes: named groups of cards on a board, in the board's own document, so they sync live and
// work offline like cards. A theme refers to its cards through the cards' `theme` field (a card
// keeps its lane and is in at most one theme; hiding and restoring a card keeps it).
//   doc.getMap('themes'): Map<themeId, Y.Map> with keys
//     name: string       what the group calls it (THEME_NAME_MAX characters at most)
//     order: string      fractional index; themes sort by (order, id)
//     collapsed?: true   shown folded (for everyone: the facilitator tidies the board)
//     createdAt: number
// Readers skip themes of the wrong shape, and a card whose theme is not there reads as in none.
import * as Y from 'yjs';
import { cardsOf, getCard, newId, orderAt, readLanes, type CardView } from './schema';

export const THEME_NAME_MAX = 80;

export interface ThemeView {
  id: string;
  name: string;
  order: string;
  collapsed: boolean;
  createdAt: number;
}

export function themesOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>('themes');
}

function readTheme(id: string, value: unknown): ThemeView | null {
  if (!(value instanceof Y.Map)) return null;
  const theme = value as Y.Map<unknown>;
  const name = theme.get('name');
  const order = theme.get('order');
  const createdAt = theme.get('createdAt');
  if (typeof name !== 'string' || typeof order !== 'string') return null;
  return {
    id,
    name: name.slice(0, THEME_NAME_MAX),
    order,
    collapsed: theme.get('collapsed') === true,
    createdAt: typeof createdAt === 'number' ? createdAt : 0
  };
}

/** Every well-formed theme, in order. */
export function readThemes(doc: Y.Doc): ThemeView[] {
  const out: ThemeView[] = [];
  themesOf(doc).forEach((value, id) => {
    const theme = readTheme(id, value);
    if (theme) out.push(theme);
  });
  return out.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : 1));
}

export function getTheme(doc: Y.Doc, id: string): ThemeView | null {
  return readTheme(id, themesOf(doc).get(id));
}

/** The theme a card is in, if that theme exists. */
export function themeOfCard(doc: Y.Doc, card: CardView): string | null {
  return card.theme !== null && themesOf(doc).has(card.theme) ? card.theme : null;
}

/** The cards in each theme (by theme id), in lane order; cards in no theme under `null`. */
export function cardsByTheme(doc: Y.Doc): Map<string | null, CardView[]> {
  const out = new Map<string | null, CardView[]>([[null, []]]);
  for (const t of readThemes(doc)) out.set(t.id, []);
  for (const cards of Object.values(readLanes(doc))) {
    for (const c of cards) out.get(themeOfCard(doc, c))!.push(c);
  }
  return out;
}

/**
 * The same from cards already read (the board page's lanes), by the ids of the themes that exist:
 * each theme's cards in lane order, cards in no theme (or in one that is gone) under `null`.
 */
export function groupByTheme(cards: readonly CardView[], themeIds: ReadonlySet<string>): ReadonlyMap<string | null, CardView[]> {
  const by = new Map<string | null, CardView[]>();
  for (const c of cards) {
    const key = c.theme !== null && themeIds.has(c.theme) ? c.theme : null;
    const list = by.get(key);
    if (list) list.push(c);
    else by.set(key, [c]);
  }
  return by;
}

/** Each card's place in its list (from 0), by card id. */
export function placesInLists(lanes: Readonly<Record<string, readonly CardView[]>>): ReadonlyMap<string, number> {
  const places = new Map<string, number>();
  for (const cards of Object.values(lanes)) cards.forEach((c, i) => places.set(c.id, i));
  return places;
}

export function cleanThemeName(name: string): string {
  return name.replace(/\s+/g, ' ').trim().slice(0, THEME_NAME_MAX);
}

/** Adds a theme at the end (or at `index`) and returns its id. */
export function addTheme(doc: Y.Doc, name: string, options: { index?: number; id?: string } = {}, origin: unknown = null): string {
  const id = options.id ?? newId();
  doc.transact(() => {
    const themes = readThemes(doc);
    const theme = new Y.Map<unknown>();
    theme.set('name', cleanThemeName(name) || 'Theme');
    theme.set('order', orderAt(themes, options.index ?? themes.length));
    theme.set('createdAt', Date.now());
    themesOf(doc).set(id, theme);
  }, origin);
  return id;
}

/** Puts a theme on the board with every field as given (a workshop made from an archive). */
export function putTheme(doc: Y.Doc, theme: ThemeView, origin: unknown = null): void {
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    map.set('name', theme.name.slice(0, THEME_NAME_MAX));
    map.set('order', theme.order);
    if (theme.collapsed) map.set('collapsed', true);
    map.set('createdAt', theme.createdAt);
    themesOf(doc).set(theme.id, map);
  }, origin);
}

export function renameTheme(doc: Y.Doc, id: string, name: string, origin: unknown = null): boolean {
  const theme = themesOf(doc).get(id);
  const clean = cleanThemeName(name);
  if (!(theme instanceof Y.Map) || !clean) return false;
  doc.transact(() => theme.set('name', clean), origin);
  return true;
}

export function setThemeCollapsed(doc: Y.Doc, id: string, collapsed: boolean, origin: unknown = null): boolean {
  const theme = themesOf(doc).get(id);
  if (!(theme instanceof Y.Map)) return false;
  doc.transact(() => (collapsed ? theme.set('collapsed', true) : theme.delete('collapsed')), origin);
  return true;
}

/** Moves a theme to `index` among the themes (counted without it). */
export function moveTheme(doc: Y.Doc, id: string, index: number, origin: unknown = null): boolean {
  const theme = themesOf(doc).get(id);
  if (!(theme instanceof Y.Map)) return false;
  doc.transact(
    () =>
      theme.set(
        'order',
        orderAt(
          readThemes(doc).filter((t) => t.id !== id),
          index
        )
      ),
    origin
  );
  return true;
}

/** Puts a card in a theme, or in none (`null`). A card is in at most one theme. */
export function setCardTheme(doc: Y.Doc, cardId: string, themeId: string | null, origin: unknown = null): boolean {
  const card = cardsOf(doc).get(cardId);
  if (!(card instanceof Y.Map) || !getCard(doc, cardId)) return false;
  if (themeId !== null && !themesOf(doc).has(themeId)) return false;
  doc.transact(() => (themeId === null ? card.delete('theme') : card.set('theme', themeId)), origin);
  return true;
}

/** Takes every card out of a theme; the theme stays, empty. */
export function ungroupTheme(doc: Y.Doc, id: string, origin: unknown = null): number {
  let n = 0;
  doc.transact(() => {
    cardsOf(doc).forEach((card) => {
      if (card instanceof Y.Map && card.get('theme') === id) {
        card.delete('theme');
        n++;
      }
    });
  }, origin);
  return n;
}

/** Deletes a theme; its cards stay on the board, in no theme. */
export function deleteTheme(doc: Y.Doc, id: string, origin: unknown = null): boolean {
  if (!themesOf(doc).has(id)) return false;
  doc.transact(() => {
    ungroupTheme(doc, id);
    themesOf(doc).delete(id);
  }, origin);
  return true;
}

/** Merges `from` into `into`: every card of `from` joins `into`, and `from` goes. */
export function mergeThemes(doc: Y.Doc, from: string, into: string, origin: unknown = null): boolean {
  if (from === into || !themesOf(doc).has(from) || !themesOf(doc).has(into)) return false;
  doc.transact(() => {
    cardsOf(doc).forEach((card) => {
      if (card instanceof Y.Map && card.get('theme') === from) card.set('theme', into);
    });
    themesOf(doc).delete(from);
  }, origin);
  return true;
}
