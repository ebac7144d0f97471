// Board content for the benchmark, written the way src/lib/board/schema.ts lays it out:
// doc.getMap('cards') holds Y.Map {lane, order, text: Y.Text, createdAt, theme?} per card id;
// doc.getMap('themes') Y.Map {name, order, createdAt} per theme id (themes.ts); doc.getMap('keypoints')
// Y.Map {text: Y.Text, order, sources: Y.Array, createdAt} per key point id (keypoints.ts).
// (Plain JavaScript so the harness runs without a build step.)
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { generateNKeysBetween } from 'fractional-indexing';
import { sentence, sleep } from './lib.js';

// y-websocket adds a process 'exit' listener per provider; hundreds of clients are expected here.
process.setMaxListeners(0);

export const LANES = ['questions', 'problems', 'solutions'];

/** Card specs: ids `prefix0..`, spread over the lanes, each with about `chars` characters. */
export function cardSpecs(count, chars, prefix = 'card') {
  const perLane = Math.ceil(count / LANES.length);
  const keys = generateNKeysBetween(null, null, perLane);
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push({
      id: `${prefix}${i}`,
      lane: LANES[i % LANES.length],
      order: keys[Math.floor(i / LANES.length)],
      text: chars ? sentence(chars, i) : ''
    });
  }
  return out;
}

export function writeCards(doc, specs) {
  const cards = doc.getMap('cards');
  doc.transact(() => {
    for (const s of specs) {
      const card = new Y.Map();
      const text = new Y.Text();
      if (s.text) text.insert(0, s.text);
      card.set('lane', s.lane);
      card.set('order', s.order);
      card.set('text', text);
      card.set('createdAt', Date.now());
      if (s.theme) card.set('theme', s.theme);
      cards.set(s.id, card);
    }
  });
}

/** The largest order key in a map of Y.Maps (to add after it), or null. */
function lastOrder(map) {
  let last = null;
  for (const v of map.values()) {
    const o = v instanceof Y.Map ? v.get('order') : null;
    if (typeof o === 'string' && (last === null || o > last)) last = o;
  }
  return last;
}

/** Themes {id, name} after the board's themes, in the order given. */
export function writeThemes(doc, themes) {
  const map = doc.getMap('themes');
  const keys = generateNKeysBetween(lastOrder(map), null, themes.length);
  doc.transact(() => {
    themes.forEach((t, i) => {
      const theme = new Y.Map();
      theme.set('name', t.name);
      theme.set('order', keys[i]);
      theme.set('createdAt', Date.now());
      map.set(t.id, theme);
    });
  });
}

/** Puts existing cards into themes: `assign` maps card id to theme id. */
export function setThemes(doc, assign) {
  const cards = doc.getMap('cards');
  doc.transact(() => {
    for (const [cardId, themeId] of assign) cards.get(cardId)?.set('theme', themeId);
  });
}

/** Key points {id, text, sources (card ids, `theme:<id>`)} after the board's, in the order given. */
export function writeKeyPoints(doc, points) {
  const map = doc.getMap('keypoints');
  const keys = generateNKeysBetween(lastOrder(map), null, points.length);
  doc.transact(() => {
    points.forEach((p, i) => {
      const point = new Y.Map();
      const sources = new Y.Array();
      sources.push(p.sources);
      point.set('text', new Y.Text(p.text));
      point.set('order', keys[i]);
      point.set('sources', sources);
      point.set('createdAt', Date.now());
      map.set(p.id, point);
    });
  });
}

export function connectProvider(wsBase, boardId, token, doc = new Y.Doc(), WS = WebSocket) {
  return new WebsocketProvider(`${wsBase}/sync`, boardId, doc, {
    params: token ? { token } : {},
    WebSocketPolyfill: WS,
    disableBc: true
  });
}

export function whenSynced(provider, ms = 20_000) {
  return new Promise((resolve, reject) => {
    if (provider.synced) return resolve();
    const timer = setTimeout(() => reject(new Error(`board ${provider.roomname} did not sync within ${ms} ms`)), ms);
    provider.on('sync', (ok) => {
      if (!ok) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Writes cards (and first `themes`, {id, name}) into a board through a standard y-websocket
 * client, `chunk` cards per update.
 * Returns the client (still connected) and the size of the resulting document state.
 */
export async function seedBoard({ wsBase, boardId, token, specs, themes = [], chunk = 100 }) {
  const doc = new Y.Doc();
  const provider = connectProvider(wsBase, boardId, token, doc);
  await whenSynced(provider);
  if (themes.length) writeThemes(doc, themes);
  for (let i = 0; i < specs.length; i += chunk) {
    writeCards(doc, specs.slice(i, i + chunk));
    await sleep(2);
  }
  const deadline = Date.now() + 10_000;
  while (provider.ws && provider.ws.bufferedAmount > 0 && Date.now() < deadline) await sleep(10);
  await sleep(50);
  let closed = false;
  return {
    doc,
    provider,
    bytes: Y.encodeStateAsUpdate(doc).length,
    close() {
      if (closed) return;
      closed = true;
      provider.destroy();
      doc.destroy(); // also stops the awareness timer, so the process can exit
    }
  };
}
