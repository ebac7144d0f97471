// Board content for the benchmark, written the way src/lib/board/schema.ts lays it out:
// doc.getMap('cards') holds Y.Map {lane, order, text: Y.Text, createdAt} per card id.
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
      cards.set(s.id, card);
    }
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
 * Writes cards into a board through a standard y-websocket client, `chunk` cards per update.
 * Returns the client (still connected) and the size of the resulting document state.
 */
export async function seedBoard({ wsBase, boardId, token, specs, chunk = 100 }) {
  const doc = new Y.Doc();
  const provider = connectProvider(wsBase, boardId, token, doc);
  await whenSynced(provider);
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
