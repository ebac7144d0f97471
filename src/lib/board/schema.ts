// The Yjs schema of a board, and typed helpers to read and change it.
// Layout (documented for other tools in docs/API.md):
//   doc.getMap('cards'): Map<cardId, Y.Map> with keys
//     lane: 'questions' | 'problems' | 'solutions'
//     order: string   fractional index; cards in a lane sort by (order, id)
//     text: Y.Text    the card's words, co-edited character by character
//     createdAt: number  ms since epoch, from the writer's clock
//     anonymous?: true   set by the server on cards posted without a name
// Remote data is never trusted: readers skip cards whose fields have the wrong shape.
import * as Y from 'yjs';
import { generateKeyBetween } from 'fractional-indexing';
import { LIMITS } from '../domain/text';

export const LANES = ['questions', 'problems', 'solutions'] as const;
export type Lane = (typeof LANES)[number];

export const LANE_INFO: Record<Lane, { title: string; hint: string; addLabel: string }> = {
  questions: { title: 'Questions', hint: 'What do we need to find out?', addLabel: 'Add a question' },
  problems: { title: 'Problems', hint: 'Barriers, and the reasons behind them', addLabel: 'Add a problem' },
  solutions: { title: 'Solutions', hint: 'Ideas that could help', addLabel: 'Add a solution' }
};

export function isLane(value: unknown): value is Lane {
  return typeof value === 'string' && (LANES as readonly string[]).includes(value);
}

export interface CardView {
  id: string;
  lane: Lane;
  order: string;
  text: Y.Text;
  createdAt: number;
  /** Written by the server without an author (anonymous cards, revealed drafts posted without names). */
  anonymous: boolean;
}

export type CardsMap = Y.Map<Y.Map<unknown>>;

export function cardsOf(doc: Y.Doc): CardsMap {
  return doc.getMap('cards') as CardsMap;
}

/** A random id that works in insecure contexts too (a laptop on venue Wi-Fi serves plain http). */
export function newId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

const ORDER_KEY = /^[a-zA-Z][0-9a-zA-Z]*$/;

function readCard(id: string, value: unknown): CardView | null {
  if (!(value instanceof Y.Map)) return null;
  const lane = value.get('lane');
  const order = value.get('order');
  const text = value.get('text');
  const createdAt = value.get('createdAt');
  if (!isLane(lane) || typeof order !== 'string' || !ORDER_KEY.test(order) || !(text instanceof Y.Text)) return null;
  return { id, lane, order, text, createdAt: typeof createdAt === 'number' ? createdAt : 0, anonymous: value.get('anonymous') === true };
}

function byOrder(a: CardView, b: CardView): number {
  if (a.order < b.order) return -1;
  if (a.order > b.order) return 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Every well-formed card, grouped by lane and sorted for display. */
export function readLanes(doc: Y.Doc): Record<Lane, CardView[]> {
  const lanes: Record<Lane, CardView[]> = { questions: [], problems: [], solutions: [] };
  cardsOf(doc).forEach((value, id) => {
    const card = readCard(id, value);
    if (card) lanes[card.lane].push(card);
  });
  for (const lane of LANES) lanes[lane].sort(byOrder);
  return lanes;
}

export function getCard(doc: Y.Doc, id: string): CardView | null {
  return readCard(id, cardsOf(doc).get(id));
}

/** An order key between two neighbours; tolerant of equal keys left by concurrent inserts. */
export function orderBetween(before: string | null, after: string | null): string {
  if (before !== null && after !== null && before >= after) after = null;
  return generateKeyBetween(before, after);
}

function orderAt(cards: CardView[], index: number): string {
  const i = Math.max(0, Math.min(index, cards.length));
  return orderBetween(cards[i - 1]?.order ?? null, cards[i]?.order ?? null);
}

/** Add a card at the end of a lane (or at `index`) and return its id. */
export function addCard(doc: Y.Doc, lane: Lane, text = '', index?: number, origin: unknown = null): string {
  const id = newId();
  doc.transact(() => {
    const siblings = readLanes(doc)[lane];
    const card = new Y.Map<unknown>();
    const ytext = new Y.Text();
    if (text) ytext.insert(0, text.slice(0, LIMITS.cardText));
    card.set('lane', lane);
    card.set('order', orderAt(siblings, index ?? siblings.length));
    card.set('text', ytext);
    card.set('createdAt', Date.now());
    cardsOf(doc).set(id, card);
  }, origin);
  return id;
}

/** Move a card to `index` within `lane` (counted without the card itself). */
export function moveCard(doc: Y.Doc, id: string, lane: Lane, index: number, origin: unknown = null): boolean {
  const ymap = cardsOf(doc).get(id);
  if (!(ymap instanceof Y.Map) || !readCard(id, ymap)) return false;
  doc.transact(() => {
    const siblings = readLanes(doc)[lane].filter((c) => c.id !== id);
    ymap.set('lane', lane);
    ymap.set('order', orderAt(siblings, index));
  }, origin);
  return true;
}

export function deleteCard(doc: Y.Doc, id: string, origin: unknown = null): boolean {
  const cards = cardsOf(doc);
  if (!cards.has(id)) return false;
  doc.transact(() => cards.delete(id), origin);
  return true;
}

/** Plain snapshot of the board, for exports, tests and tools. */
export function boardToJSON(doc: Y.Doc): Record<Lane, { id: string; text: string }[]> {
  const lanes = readLanes(doc);
  const out = { questions: [], problems: [], solutions: [] } as Record<Lane, { id: string; text: string }[]>;
  for (const lane of LANES) out[lane] = lanes[lane].map((c) => ({ id: c.id, text: c.text.toString() }));
  return out;
}
