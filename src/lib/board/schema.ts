// The Yjs schema of a board, and typed helpers to read and change it.
// Layout (documented for other tools in docs/API.md):
//   doc.getMap('cards'): Map<cardId, Y.Map> with keys
//     lane: 'questions' | 'problems' | 'solutions'
//     order: string   fractional index; cards in a lane sort by (order, id)
//     text: Y.Text    the card's words, co-edited character by character
//     createdAt: number  ms since epoch, from the writer's clock
//     anonymous?: true   set by the server on cards posted without a name
//     theme?: string     the id of the theme the card is in (themes.ts); at most one
//     provenance?: true  set by the server on a card a roll-up brought in from other forums: where
//                        it came from is kept by the server under the card's id (server/forums.ts)
//   doc.getMap('themes'), doc.getMap('keypoints'): see themes.ts and keypoints.ts
// Remote data is never trusted: readers skip cards whose fields have the wrong shape.
// This module is the one card writer and reader: the page, the server's own peer (through the
// sync host's BoardPeer) and the tests all go through it.
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
  /** The theme the card is in, if any (as stored: a theme that no longer exists reads as none in themes.ts). */
  theme: string | null;
  /** Brought in from other forums by a roll-up: the server keeps where it came from, under its id. */
  provenance: boolean;
}

export type CardsMap = Y.Map<Y.Map<unknown>>;

export function cardsOf(doc: Y.Doc): CardsMap {
  return doc.getMap<Y.Map<unknown>>('cards');
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
  const card = value as Y.Map<unknown>;
  const lane = card.get('lane');
  const order = card.get('order');
  const text = card.get('text');
  const createdAt = card.get('createdAt');
  if (!isLane(lane) || typeof order !== 'string' || !ORDER_KEY.test(order) || !(text instanceof Y.Text)) return null;
  return {
    id,
    lane,
    order,
    text,
    createdAt: typeof createdAt === 'number' ? createdAt : 0,
    anonymous: card.get('anonymous') === true,
    theme: typeof card.get('theme') === 'string' ? (card.get('theme') as string) : null,
    provenance: card.get('provenance') === true
  };
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

/** The order key for position `index` among items sorted by order (counted without the item itself). */
export function orderAt(cards: { order: string }[], index: number): string {
  const i = Math.max(0, Math.min(index, cards.length));
  return orderBetween(cards[i - 1]?.order ?? null, cards[i]?.order ?? null);
}

/** A card to write: where it goes, its words, and who wrote it (recorded for the balance only). */
export interface NewCard {
  lane: Lane;
  text?: string;
  /** Position within the lane (counted without the card itself); the end when left out. */
  index?: number;
  /** Cards posted without a name; written by the server's own peer only. */
  anonymous?: boolean;
  createdAt?: number;
  /** A fixed id (the server's revealed drafts: retries must not duplicate); random otherwise. */
  id?: string;
  /** The participant who wrote it, when the server writes on their behalf (a revealed draft). */
  author?: string;
  /** A roll-up's card (the server's peer only): its provenance is kept by the server. */
  provenance?: boolean;
}

/**
 * Key in a transaction's meta under which writeCard records who wrote the cards it created on
 * someone's behalf. The server's room reads it (authorsOf) after the transaction, alongside the
 * cards a participant's own connection created: one place records authorship for both.
 */
const AUTHORS_META = 'roundtable.authors';

/**
 * Writes one card, inside the current transaction if there is one (else in a new one with
 * `origin`). The one card writer: the page, the server's peer and the tests all write cards here.
 */
export function writeCard(doc: Y.Doc, input: NewCard, origin: unknown = null): string {
  const id = input.id ?? newId();
  doc.transact((tr) => {
    const siblings = readLanes(doc)[input.lane];
    const card = new Y.Map<unknown>();
    const ytext = new Y.Text();
    if (input.text) ytext.insert(0, input.text.slice(0, LIMITS.cardText));
    card.set('lane', input.lane);
    card.set('order', orderAt(siblings, input.index ?? siblings.length));
    card.set('text', ytext);
    card.set('createdAt', input.createdAt ?? Date.now());
    if (input.anonymous) card.set('anonymous', true);
    if (input.provenance) card.set('provenance', true);
    cardsOf(doc).set(id, card);
    if (input.author && !input.anonymous) {
      const authors = (tr.meta.get(AUTHORS_META) as { cardId: string; participantId: string }[] | undefined) ?? [];
      authors.push({ cardId: id, participantId: input.author });
      tr.meta.set(AUTHORS_META, authors);
    }
  }, origin);
  return id;
}

/** Authors writeCard recorded in this transaction (cards written on someone's behalf). */
export function authorsOf(tr: Y.Transaction): { cardId: string; participantId: string }[] {
  return (tr.meta.get(AUTHORS_META) as { cardId: string; participantId: string }[] | undefined) ?? [];
}

/** Ids of cards this transaction put on the board (new keys of the cards map). */
export function cardsAddedIn(tr: Y.Transaction): string[] {
  const cards = cardsOf(tr.doc);
  return changedCardKeys(tr).filter((key) => cards.has(key));
}

/** Keys of the cards map this transaction set or deleted. */
function changedCardKeys(tr: Y.Transaction): string[] {
  // Yjs types `changed` with its own `any`; the cards map is one of its keys.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const keys = tr.changed.get(cardsOf(tr.doc) as unknown as Y.AbstractType<Y.YEvent<any>>);
  const out: string[] = [];
  for (const key of keys ?? []) if (key !== null) out.push(key);
  return out;
}

/** Add a card at the end of a lane (or at `index`) and return its id. */
export function addCard(doc: Y.Doc, lane: Lane, text = '', index?: number, origin: unknown = null): string {
  return writeCard(doc, { lane, text, index }, origin);
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

/**
 * A whole card as plain data, every field it has (now: lane, order, text, createdAt, anonymous;
 * later ones such as theme or votes come along without changes here), so that hiding and
 * restoring gives back exactly what was hidden. Nested Yjs types keep their kind.
 */
export type SnapshotValue =
  | { kind: 'text'; value: string }
  | { kind: 'map'; value: Record<string, SnapshotValue> }
  | { kind: 'array'; value: SnapshotValue[] }
  | { kind: 'json'; value: unknown };

export interface CardSnapshot {
  fields: Record<string, SnapshotValue>;
}

function snapshotValue(value: unknown): SnapshotValue {
  if (value instanceof Y.Text) return { kind: 'text', value: value.toString() };
  if (value instanceof Y.Map) {
    const out: Record<string, SnapshotValue> = {};
    value.forEach((v, k) => (out[k] = snapshotValue(v)));
    return { kind: 'map', value: out };
  }
  if (value instanceof Y.Array) return { kind: 'array', value: value.toArray().map(snapshotValue) };
  if (value instanceof Y.AbstractType) return { kind: 'json', value: value.toJSON() };
  return { kind: 'json', value: value === undefined ? null : value };
}

function fromSnapshot(value: SnapshotValue): unknown {
  switch (value.kind) {
    case 'text':
      return new Y.Text(value.value);
    case 'map': {
      const map = new Y.Map<unknown>();
      for (const [k, v] of Object.entries(value.value)) map.set(k, fromSnapshot(v));
      return map;
    }
    case 'array': {
      const array = new Y.Array<unknown>();
      array.push(value.value.map(fromSnapshot));
      return array;
    }
    case 'json':
      return value.value;
    default: {
      const never: never = value;
      return never;
    }
  }
}

/** The whole card `id` as plain data, or null when there is no such card. */
export function snapshotCard(doc: Y.Doc, id: string): CardSnapshot | null {
  const ymap = cardsOf(doc).get(id);
  if (!(ymap instanceof Y.Map) || !readCard(id, ymap)) return null;
  const fields: Record<string, SnapshotValue> = {};
  ymap.forEach((v, k) => (fields[k] = snapshotValue(v)));
  return { fields };
}

// ---- Cards taken off the board, read as they were ----------------------------------------------
// A card someone deletes is gone from the document's readers at once, but until the end of the
// transaction that deleted it, Yjs still holds its items (marked deleted, with their content): it
// garbage-collects them only after 'beforeObserverCalls' and 'afterTransaction' have run. So the
// server's room reads a deleted card there, item by item, exactly as it was before the
// transaction: an item counts if it was on the board before it (its clock is below the
// transaction's state before) and this transaction is what deleted it (or nothing has).

// Yjs's own types use `any` for the event a type emits.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyYType = Y.AbstractType<any>;

function livedBefore(tr: Y.Transaction, item: Y.Item): boolean {
  if (item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0)) return false;
  return !item.deleted || Y.isDeleted(tr.deleteSet, item.id);
}

/** A map entry's value before `tr`: the newest of its items that was live then (older values are to its left). */
function mapEntryBefore(tr: Y.Transaction, last: Y.Item): Y.Item | null {
  for (let item: Y.Item | null = last; item; item = item.left) if (livedBefore(tr, item)) return item;
  return null;
}

function contentBefore(tr: Y.Transaction, content: Y.Item['content']): SnapshotValue[] {
  if (content instanceof Y.ContentType) return [typeBefore(tr, content.type as AnyYType)];
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON || content instanceof Y.ContentBinary) {
    return content.getContent().map((value: unknown) => ({ kind: 'json' as const, value: value === undefined ? null : value }));
  }
  // Deleted content, formatting marks, embedded docs and embeds: not part of a card's fields.
  return [];
}

function typeBefore(tr: Y.Transaction, type: AnyYType): SnapshotValue {
  if (type instanceof Y.Text) {
    let value = '';
    for (let item = type._start; item; item = item.right) {
      if (item.content instanceof Y.ContentString && livedBefore(tr, item)) value += item.content.str;
    }
    return { kind: 'text', value };
  }
  if (type instanceof Y.Map) {
    const value: Record<string, SnapshotValue> = {};
    for (const [key, last] of type._map) {
      const item = mapEntryBefore(tr, last);
      const values = item ? contentBefore(tr, item.content) : [];
      if (values.length) value[key] = values[values.length - 1];
    }
    return { kind: 'map', value };
  }
  if (type instanceof Y.Array) {
    const value: SnapshotValue[] = [];
    for (let item = type._start; item; item = item.right)
      if (item.countable && livedBefore(tr, item)) value.push(...contentBefore(tr, item.content));
    return { kind: 'array', value };
  }
  return { kind: 'json', value: null };
}

/** Whether a snapshot's fields make a card readers would show (as readCard checks a live one). */
function isCardSnapshot(fields: Record<string, SnapshotValue>): boolean {
  const { lane, order, text } = fields;
  return (
    lane?.kind === 'json' &&
    isLane(lane.value) &&
    order?.kind === 'json' &&
    typeof order.value === 'string' &&
    ORDER_KEY.test(order.value) &&
    text?.kind === 'text'
  );
}

/**
 * The cards transaction `tr` took off the board, each exactly as it was before `tr` (every
 * field, as snapshotCard would have seen it then). Only while Yjs still holds the deleted items:
 * call it from a 'beforeObserverCalls' or 'afterTransaction' handler. Not among them: a card
 * written and deleted within `tr` (nobody ever saw it), a key that holds a new card after `tr`
 * (the old one was replaced, not taken off), and malformed entries that were never a card.
 */
export function cardsRemovedIn(tr: Y.Transaction): { id: string; snapshot: CardSnapshot }[] {
  const cards = cardsOf(tr.doc);
  const out: { id: string; snapshot: CardSnapshot }[] = [];
  for (const key of changedCardKeys(tr)) {
    if (cards.has(key)) continue;
    const item = cards._map.get(key);
    if (!item || !item.deleted || !livedBefore(tr, item) || !(item.content instanceof Y.ContentType)) continue;
    const before = typeBefore(tr, item.content.type as AnyYType);
    if (before.kind === 'map' && isCardSnapshot(before.value)) out.push({ id: key, snapshot: { fields: before.value } });
  }
  return out;
}

/** The fields the board itself knows; the others a card may carry are kept whenever they fit. */
const KNOWN_FIELDS = ['lane', 'order', 'text', 'createdAt', 'anonymous', 'theme'];

/**
 * A snapshot no larger than `maxChars` of JSON: as it is when it fits (every card the page can
 * write does), else only its known fields with its words cut to the card limit. Only a script
 * writing straight to the document can make a card that large.
 */
export function boundSnapshot(snapshot: CardSnapshot, maxChars: number): CardSnapshot {
  if (JSON.stringify(snapshot).length <= maxChars) return snapshot;
  const fields: Record<string, SnapshotValue> = {};
  for (const key of KNOWN_FIELDS) {
    const value = snapshot.fields[key];
    if (!value) continue;
    if (value.kind === 'text') fields[key] = { kind: 'text', value: value.value.slice(0, LIMITS.cardText) };
    else if (value.kind === 'json' && JSON.stringify(value).length <= 1024) fields[key] = value;
  }
  return { fields };
}

/** Puts a card back exactly as snapshotCard saw it, under the same id. */
export function restoreCard(doc: Y.Doc, id: string, snapshot: CardSnapshot, origin: unknown = null): void {
  doc.transact(() => {
    const card = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(snapshot.fields)) card.set(k, fromSnapshot(v));
    cardsOf(doc).set(id, card);
  }, origin);
}

/**
 * Puts a removed card back under the same id with every field it had, its theme too: at its
 * place (its order key still sorts it between the neighbours it had, where they are still there),
 * or at the end of its list when the kept card had no usable place. False, changing nothing, when
 * a card with that id is on the board already.
 */
export function putBackCard(doc: Y.Doc, id: string, snapshot: CardSnapshot, origin: unknown = null): boolean {
  if (cardsOf(doc).has(id)) return false;
  doc.transact(() => {
    restoreCard(doc, id, snapshot);
    const card = cardsOf(doc).get(id)!;
    const lane = isLane(card.get('lane')) ? (card.get('lane') as Lane) : 'questions';
    if (!(card.get('text') instanceof Y.Text)) card.set('text', new Y.Text(snapshotSummary(snapshot).text));
    const order = card.get('order');
    if (!isLane(card.get('lane')) || typeof order !== 'string' || !ORDER_KEY.test(order)) {
      const siblings = readLanes(doc)[lane].filter((c) => c.id !== id);
      card.set('lane', lane);
      card.set('order', orderAt(siblings, siblings.length));
    }
  }, origin);
  return true;
}

/** The lane and words of a snapshot, for lists of hidden cards (tolerant of odd data). */
export function snapshotSummary(snapshot: CardSnapshot): { lane: Lane; text: string; anonymous: boolean } {
  const lane = snapshot.fields.lane;
  const text = snapshot.fields.text;
  const anonymous = snapshot.fields.anonymous;
  return {
    lane: lane?.kind === 'json' && isLane(lane.value) ? lane.value : 'questions',
    text: text?.kind === 'text' ? text.value : '',
    anonymous: anonymous?.kind === 'json' && anonymous.value === true
  };
}

/** Plain snapshot of the board, for exports, tests and tools. */
export function boardToJSON(doc: Y.Doc): Record<Lane, { id: string; text: string }[]> {
  const lanes = readLanes(doc);
  const out = { questions: [], problems: [], solutions: [] } as Record<Lane, { id: string; text: string }[]>;
  for (const lane of LANES) out[lane] = lanes[lane].map((c) => ({ id: c.id, text: c.text.toString() }));
  return out;
}
