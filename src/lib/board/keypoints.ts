// Key points: the short, ordered list of what the group stands behind, co-edited in the board's own
// document. Each links to the cards and themes it comes from (its sources); the facilitator marks
// the list agreed (`keypoints.agree`), and the server keeps that version apart.
//   doc.getMap('keypoints'): Map<keyPointId, Y.Map> with keys
//     text: Y.Text            the point, in a sentence or two (KEY_POINT_MAX characters at most)
//     order: string           fractional index; points sort by (order, id)
//     sources: Y.Array<string> card ids, and theme ids as `theme:<id>`
//     createdAt: number
import * as Y from 'yjs';
import { newId, orderAt } from './schema';

export const KEY_POINT_MAX = 500;
export const THEME_SOURCE = 'theme:';

export interface KeyPointView {
  id: string;
  text: Y.Text;
  order: string;
  sources: string[];
  createdAt: number;
}

export function keyPointsOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>('keypoints');
}

function readKeyPoint(id: string, value: unknown): KeyPointView | null {
  if (!(value instanceof Y.Map)) return null;
  const point = value as Y.Map<unknown>;
  const text = point.get('text');
  const order = point.get('order');
  const sources = point.get('sources');
  const createdAt = point.get('createdAt');
  if (!(text instanceof Y.Text) || typeof order !== 'string') return null;
  const ids = sources instanceof Y.Array ? (sources.toArray() as unknown[]).filter((s): s is string => typeof s === 'string') : [];
  return { id, text, order, sources: [...new Set(ids)], createdAt: typeof createdAt === 'number' ? createdAt : 0 };
}

/** Every well-formed key point, in order. */
export function readKeyPoints(doc: Y.Doc): KeyPointView[] {
  const out: KeyPointView[] = [];
  keyPointsOf(doc).forEach((value, id) => {
    const p = readKeyPoint(id, value);
    if (p) out.push(p);
  });
  return out.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : 1));
}

export function getKeyPoint(doc: Y.Doc, id: string): KeyPointView | null {
  return readKeyPoint(id, keyPointsOf(doc).get(id));
}

/** Adds a key point at the end (or at `index`) and returns its id. */
export function addKeyPoint(
  doc: Y.Doc,
  text = '',
  sources: string[] = [],
  options: { index?: number; id?: string } = {},
  origin: unknown = null
): string {
  const id = options.id ?? newId();
  doc.transact(() => {
    const points = readKeyPoints(doc);
    const point = new Y.Map<unknown>();
    const ytext = new Y.Text();
    if (text) ytext.insert(0, text.slice(0, KEY_POINT_MAX));
    const ysources = new Y.Array<string>();
    ysources.push([...new Set(sources)]);
    point.set('text', ytext);
    point.set('order', orderAt(points, options.index ?? points.length));
    point.set('sources', ysources);
    point.set('createdAt', Date.now());
    keyPointsOf(doc).set(id, point);
  }, origin);
  return id;
}

/** Puts a key point on the board with every field as given (a workshop made from an archive). */
export function putKeyPoint(
  doc: Y.Doc,
  point: { id: string; text: string; order: string; sources: string[]; createdAt: number },
  origin: unknown = null
): void {
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    const ysources = new Y.Array<string>();
    ysources.push([...new Set(point.sources)]);
    map.set('text', new Y.Text(point.text.slice(0, KEY_POINT_MAX)));
    map.set('order', point.order);
    map.set('sources', ysources);
    map.set('createdAt', point.createdAt);
    keyPointsOf(doc).set(point.id, map);
  }, origin);
}

export function moveKeyPoint(doc: Y.Doc, id: string, index: number, origin: unknown = null): boolean {
  const point = keyPointsOf(doc).get(id);
  if (!(point instanceof Y.Map)) return false;
  doc.transact(
    () =>
      point.set(
        'order',
        orderAt(
          readKeyPoints(doc).filter((p) => p.id !== id),
          index
        )
      ),
    origin
  );
  return true;
}

export function deleteKeyPoint(doc: Y.Doc, id: string, origin: unknown = null): boolean {
  if (!keyPointsOf(doc).has(id)) return false;
  doc.transact(() => keyPointsOf(doc).delete(id), origin);
  return true;
}

/** Links or unlinks one source (a card id, or `theme:<id>`). */
export function setKeyPointSource(doc: Y.Doc, id: string, source: string, linked: boolean, origin: unknown = null): boolean {
  const point = keyPointsOf(doc).get(id);
  const sources = point instanceof Y.Map ? point.get('sources') : null;
  if (!(sources instanceof Y.Array)) return false;
  doc.transact(() => {
    const list = sources.toArray() as unknown[];
    for (let i = list.length - 1; i >= 0; i--) if (list[i] === source) sources.delete(i, 1);
    if (linked) sources.push([source]);
  }, origin);
  return true;
}

/** Sets a point's sources to exactly `wanted` (in that order for new ones), changing only what differs. */
export function setKeyPointSources(doc: Y.Doc, id: string, wanted: readonly string[], origin: unknown = null): boolean {
  const point = keyPointsOf(doc).get(id);
  const sources = point instanceof Y.Map ? point.get('sources') : null;
  if (!(sources instanceof Y.Array)) return false;
  const keep = new Set(wanted);
  doc.transact(() => {
    const list = sources.toArray() as unknown[];
    const seen = new Set<unknown>();
    for (let i = list.length - 1; i >= 0; i--) {
      if (!keep.has(list[i] as string) || seen.has(list[i])) sources.delete(i, 1);
      else seen.add(list[i]);
    }
    const have = new Set(sources.toArray() as unknown[]);
    const add = [...keep].filter((s) => !have.has(s));
    if (add.length) sources.push(add);
  }, origin);
  return true;
}
