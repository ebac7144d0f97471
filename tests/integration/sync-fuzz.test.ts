// A seeded convergence fuzz of the sync host. Three pages (y-websocket's protocol, through the
// in-memory socket pairs of tests/helpers/socket-pair.ts) and the server's own peer (host.edit,
// as session control uses it) add, move and delete cards and type into them, while the fuzz
// chooses the order of every delivery, lets the relay queue run or not, fires the host's
// catch-up timer, holds the disk, fills readers' buffers, takes pages offline, drops and
// reconnects them, reloads them with an empty document, and restarts the host. At the end
// everyone is brought back and the host settles: every page, the server's room, a fresh host
// over the same store and the stored log itself must hold the same board, card for card and
// character for character.
//
// Each run tries FUZZ_RUNS (default 150) new random seeds; FUZZ_SEED=n runs one, FUZZ_WEIGHTS
// ("restart=0,tick=5") changes how often each action happens, FUZZ_PRESENCE=1 checks presence
// too. A seed that ever failed is pinned below as its own test, named for what it exposed.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteCard, getCard, LANES, moveCard, readLanes, writeCard } from '../../src/lib/board/schema';
import type { Board } from '../../src/lib/board/board';
import type { ParticipantRecord } from '../../server/persistence/types';
import { BoardServer, boardState, loadStoredDoc, type BoardState, type SyncClient } from '../helpers/socket-pair';

// ---- A seeded random source (mulberry32) ------------------------------------------------------

class Random {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  /** One of `weights`' keys, chosen in proportion to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.next() * entries.reduce((n, [, w]) => n + w, 0);
    for (const [k, w] of entries) if ((r -= w) < 0) return k;
    return entries[entries.length - 1][0];
  }
  /** Text with spaces, accents, a currency sign and an emoji (two UTF-16 units, never split). */
  words(min: number, max: number): string {
    let s = '';
    for (let i = this.between(min, max); i > 0; i--) s += this.pick(LETTERS);
    return s;
  }
}

const LETTERS = [...'abcdefghijklmnopqrstuvwxyz     éß€😀'];

/** Moves a position in a string off the middle of a surrogate pair (Yjs would split the emoji). */
function whole(text: string, at: number): number {
  const unit = text.charCodeAt(at);
  return at > 0 && unit >= 0xdc00 && unit <= 0xdfff ? at - 1 : at;
}

// ---- What happens, and how often ---------------------------------------------------------------

/** What happens at each step, and how often. */
const ACTIONS = {
  page: 40, // a page changes a card (or its presence)
  server: 6, // the server's own peer changes the board
  deliver: 40, // a few messages of one pair move, one way or both
  turn: 8, // the host's relay queue runs
  tick: 3, // the host's catch-up timer fires
  offline: 2, // a page stops reading and sending for a while (its socket stays open)
  slow: 2, // a page's buffer is over LIMIT_BUFFERED_BYTES for a while
  drop: 2, // a page's network drops (what is in flight is lost); it reconnects later
  freshPage: 0.5, // a page is reloaded with an empty document
  disk: 3, // the disk holds or releases appends or syncs
  restart: 0.5 // the host restarts (saves, closes everyone as "restarting")
};
type Weights = Record<keyof typeof ACTIONS, number>;

function weightsFrom(spec: string | undefined): Weights {
  const weights = { ...ACTIONS };
  for (const part of (spec ?? '').split(',').filter(Boolean)) {
    const [k, v] = part.split('=');
    if (!(k in weights)) throw new Error(`FUZZ_WEIGHTS: there is no action "${k}"`);
    weights[k as keyof Weights] = Number(v);
  }
  return weights;
}

// ---- One run --------------------------------------------------------------------------------------

const SERVER_CLIENT_ID = 999;

interface Peer {
  name: string;
  who: ParticipantRecord;
  page: SyncClient;
  /** Step at which an offline page comes back, or a closed page reconnects. */
  backAt: number | null;
  /** Step at which a full buffer drains. */
  drainAt: number | null;
  generation: number;
}

interface FuzzOptions {
  store?: 'memory' | 'sqlite';
  weights?: Weights;
  /** Check presence as well as documents at the end. */
  presence?: boolean;
}

async function runFuzz(seed: number, options: FuzzOptions = {}): Promise<void> {
  const rnd = new Random(seed);
  const plan = {
    store: options.store ?? 'memory',
    bufferLimit: rnd.chance(0.5) ? 16 * 1024 : 8 * 1024 * 1024,
    compactEvery: rnd.pick([2, 10, 500]),
    steps: rnd.between(120, 220),
    weights: options.weights ?? weightsFrom(process.env.FUZZ_WEIGHTS),
    presence: options.presence ?? process.env.FUZZ_PRESENCE === '1'
  };
  const log: string[] = [];
  const s = await BoardServer.start({
    store: plan.store,
    gate: true,
    compactEvery: plan.compactEvery,
    env: { LIMIT_BUFFERED_BYTES: String(plan.bufferLimit) }
  });
  try {
    await fuzz(s, rnd, plan, (step, what) => log.push(`${step}: ${what}`));
  } catch (err) {
    const e = err as Error;
    const weights = JSON.stringify(plan.weights) === JSON.stringify(ACTIONS) ? '' : `, weights ${JSON.stringify(plan.weights)}`;
    e.message =
      `seed ${seed} (${plan.store}, buffer limit ${plan.bufferLimit}, compact every ${plan.compactEvery}, ${plan.steps} steps${weights}): ${e.message}\n` +
      `last steps:\n  ${log.slice(-60).join('\n  ')}\n` +
      `again: FUZZ_SEED=${seed} npx vitest run tests/integration/sync-fuzz.test.ts`;
    throw e;
  } finally {
    await s.close();
  }
}

interface Plan {
  bufferLimit: number;
  steps: number;
  weights: Weights;
  presence: boolean;
}

async function fuzz(s: BoardServer, rnd: Random, plan: Plan, note: (step: number, what: string) => void): Promise<void> {
  let step = 0;
  let nextCard = 0;
  const gate = s.gate!;
  /** Yjs client ids of documents thrown away by a reload: what they had not sent is lost. */
  const abandoned = new Set<number>();
  const newDoc = (peerIndex: number, generation: number) => {
    const doc = new Y.Doc();
    doc.clientID = 1000 + peerIndex + 10 * generation; // deterministic, never reused
    return doc;
  };
  const peers: Peer[] = [];
  for (const [i, name] of ['Ann', 'Bo', 'Cy'].entries()) {
    const who = await s.person(name, i === 0 ? 'facilitator' : 'member');
    peers.push({ name, who, page: s.page(name, newDoc(i, 0)), backAt: null, drainAt: null, generation: 0 });
  }
  const connect = async (peer: Peer) => {
    await s.connect(peer.page, peer.who, { countQueued: true });
    note(step, `${peer.name} connects`);
  };
  for (const peer of peers) await connect(peer);

  /** Server-peer edits not awaited (as session control's releases run); awaited before a restart and at the end. */
  const inFlight: Promise<unknown>[] = [];
  const refusals = () =>
    peers.flatMap((peer) => {
      const last = peer.page.closes[peer.page.closes.length - 1];
      return !peer.page.connected && last && last.code >= 4400 && last.code < 4500
        ? [`${peer.name} was closed with ${last.code} (${last.reason}), which a page does not retry`]
        : [];
    });

  const cardIds = (doc: Y.Doc) => LANES.flatMap((lane) => readLanes(doc)[lane].map((c) => c.id));

  /** One change to a document, by a page (through the schema) or by the server's peer (through Board). */
  const change = (who: string, doc: Y.Doc, board: Board | null): void => {
    const ids = cardIds(doc);
    const kind = ids.length === 0 ? 'add' : rnd.weighted({ add: 8, move: 5, delete: 3, type: 10, backspace: 4, paste: 2 });
    const lane = rnd.pick(LANES);
    const laneSize = readLanes(doc)[lane].length;
    switch (kind) {
      case 'add': {
        const card = {
          lane,
          text: rnd.words(0, 20),
          index: rnd.int(laneSize + 1),
          id: `c${nextCard++}`,
          createdAt: 1_700_000_000_000 + step
        };
        if (board) board.add(card);
        else writeCard(doc, card);
        return note(step, `${who} adds ${card.id} to ${lane} at ${card.index}`);
      }
      case 'move': {
        const id = rnd.pick(ids);
        const index = rnd.int(laneSize + 1);
        if (board) board.move(id, lane, index);
        else moveCard(doc, id, lane, index);
        return note(step, `${who} moves ${id} to ${lane} at ${index}`);
      }
      case 'delete': {
        const id = rnd.pick(ids);
        if (board) board.delete(id);
        else deleteCard(doc, id);
        return note(step, `${who} deletes ${id}`);
      }
      case 'type':
      case 'backspace':
      case 'paste': {
        const id = rnd.pick(ids);
        const text = getCard(doc, id)!.text;
        const plain = text.toString();
        if (kind === 'backspace' && text.length > 0) {
          const at = whole(plain, rnd.int(text.length));
          const n = whole(plain, Math.min(text.length, at + rnd.between(1, 6))) - at;
          if (n > 0) text.delete(at, n);
          return note(step, `${who} deletes ${n} characters of ${id} at ${at}`);
        }
        const words = kind === 'paste' ? rnd.words(300, 2500) : rnd.words(1, 5);
        const at = whole(plain, rnd.int(text.length + 1));
        text.insert(at, words);
        return note(step, `${who} ${kind === 'paste' ? 'pastes' : 'types'} ${words.length} characters into ${id} at ${at}`);
      }
    }
  };

  const serverEdit = (wait: boolean): Promise<unknown> =>
    s.host.edit(s.board.id, (board) => {
      // The room's own Yjs client id takes part in resolving conflicts: fixed, so a seed replays exactly.
      board.doc.clientID = SERVER_CLIENT_ID;
      change(wait ? 'the server' : 'the server (not awaited)', board.doc, board);
    });

  for (step = 0; step < plan.steps; step++) {
    // Pages whose time came: back online, buffer drained, reconnecting.
    for (const peer of peers) {
      const pair = peer.page.pair;
      if (peer.backAt !== null && step >= peer.backAt) {
        peer.backAt = null;
        if (pair?.paused) {
          pair.paused = false;
          note(step, `${peer.name} is back online and reads everything`);
          pair.deliverAll();
        } else if (!pair) {
          await connect(peer);
        }
      }
      if (peer.drainAt !== null && step >= peer.drainAt) {
        peer.drainAt = null;
        if (pair) pair.bufferedAmount = 0;
        note(step, `${peer.name}'s buffer drains`);
      }
      if (!peer.page.pair && peer.backAt === null) peer.backAt = step + rnd.between(0, 8); // y-websocket's back-off
    }
    const refused = refusals();
    if (refused.length) throw new Error(refused.join('; '));

    const action = rnd.weighted(plan.weights);
    const peerIndex = rnd.int(peers.length);
    const peer = peers[peerIndex];
    const pair = peer.page.pair;
    switch (action) {
      case 'page':
        if (rnd.chance(0.1)) {
          const ids = cardIds(peer.page.doc);
          const editing = ids.length && rnd.chance(0.7) ? rnd.pick(ids) : null;
          peer.page.awareness.setLocalStateField('editing', editing);
          note(step, `${peer.name} shows it is editing ${editing}`);
        } else {
          change(peer.name, peer.page.doc, null);
        }
        break;
      case 'server':
        // Awaited only while the disk is not held: host.edit resolves once its change is durable.
        if (rnd.chance(0.5) && !gate.isHeld('durable') && !gate.isHeld('append')) await serverEdit(true);
        else inFlight.push(serverEdit(false));
        break;
      case 'deliver': {
        const open = [...s.pairs].filter((p) => !p.paused && p.queued > 0);
        if (!open.length) break;
        const p = rnd.pick(open);
        const n = rnd.between(1, 3);
        const way = rnd.pick(['to the server', 'to the page', 'both ways'] as const);
        const moved =
          way === 'to the server'
            ? p.deliverToServer(n)
            : way === 'to the page'
              ? p.deliverToClient(n)
              : p.deliverToServer(n) + p.deliverToClient(n);
        note(step, `${moved} of ${p.client.name}'s messages move ${way}`);
        break;
      }
      case 'turn':
        await s.turn();
        note(step, 'the host runs');
        break;
      case 'tick':
        s.tick(100);
        note(step, 'the catch-up timer fires');
        break;
      case 'offline':
        if (pair && !pair.paused) {
          pair.paused = true;
          peer.backAt = step + rnd.between(5, 40);
          note(step, `${peer.name} goes offline until ${peer.backAt}`);
        }
        break;
      case 'slow':
        if (pair && peer.drainAt === null) {
          pair.bufferedAmount = plan.bufferLimit + 1;
          peer.drainAt = step + rnd.between(3, 30);
          note(step, `${peer.name}'s buffer is full until ${peer.drainAt}`);
        }
        break;
      case 'drop':
        if (pair) {
          pair.drop();
          peer.backAt = step + rnd.between(0, 10);
          note(step, `${peer.name}'s network drops until ${peer.backAt}`);
        }
        break;
      case 'freshPage':
        pair?.drop();
        abandoned.add(peer.page.doc.clientID);
        peer.page.destroy();
        s.clients.delete(peer.page);
        peer.generation++;
        peer.page = s.page(peer.name, newDoc(peerIndex, peer.generation));
        peer.backAt = step + rnd.between(0, 3);
        note(step, `${peer.name} reloads the page: an empty document`);
        break;
      case 'disk': {
        const kind = rnd.pick(['durable', 'append'] as const);
        if (gate.isHeld(kind)) gate.release(kind);
        else gate.hold(kind);
        note(step, `the disk ${gate.isHeld(kind) ? 'holds' : 'releases'} ${kind === 'durable' ? 'syncs' : 'appends'}`);
        break;
      }
      case 'restart':
        gate.release('durable');
        gate.release('append');
        await Promise.all(inFlight.splice(0));
        await s.restart();
        note(step, 'the host restarts');
        break;
    }
  }

  // Everyone comes back: the disk released, online, buffers drained, reconnected; the host settles.
  note(step, 'the end: everyone comes back');
  gate.release('durable');
  gate.release('append');
  await Promise.all(inFlight.splice(0));
  for (let round = 0; round < 5 && !(round > 0 && peers.every((p) => p.page.connected)); round++) {
    const refused = refusals();
    if (refused.length) throw new Error(refused.join('; '));
    for (const peer of peers) {
      const pair = peer.page.pair;
      if (pair) {
        pair.paused = false;
        pair.bufferedAmount = 0;
      } else {
        await connect(peer);
      }
    }
    await s.settle();
  }

  // Every page holds the board the server's room holds, and so do the store and a fresh host.
  const server = await s.state();
  const serverVector = await s.host.read(s.board.id, (board) => stateVector(board.doc));
  // Updates that cannot be applied, because what they build on was lost with a reloaded page,
  // may stay pending anywhere (Yjs includes them in every sync answer); any other is a miss.
  const stuck = (doc: Y.Doc) => pendingClients(doc).filter((id) => !abandoned.has(id));
  expect(await s.host.read(s.board.id, (board) => stuck(board.doc)), 'the server room holds updates it cannot apply').toEqual([]);
  for (const peer of peers) {
    expect(peer.page.connected && peer.page.synced, `${peer.name} is connected and synced`).toBe(true);
    expect(stuck(peer.page.doc), `${peer.name} holds updates it cannot apply (it missed some)`).toEqual([]);
    expectSame(boardState(peer.page.doc), server, `${peer.name}'s board differs from the server's`);
    expect(stateVector(peer.page.doc), `${peer.name}'s state vector differs from the server's`).toEqual(serverVector);
  }
  expectSame(boardState(await loadStoredDoc(s.store.boards, s.board.id)), server, 'the stored log differs from the server room');
  const fresh = s.freshHost();
  try {
    expectSame(
      await fresh.read(s.board.id, (board) => boardState(board.doc)),
      server,
      'a fresh host over the same store loads a different board'
    );
  } finally {
    await fresh.close();
  }

  if (!plan.presence) return;
  // Presence, once every page has renewed its own (y-protocols does so every 15 s; a page that
  // reconnected ignores states whose clock it has seen): each connection owns only its own
  // page's client id, and everyone sees everyone else's state as they last set it.
  for (const peer of peers) peer.page.awareness.setLocalState(peer.page.awareness.getLocalState());
  await s.settle();
  for (const peer of peers) {
    const owned = [...peer.page.pair!.handle.connection.clientIds];
    expect(
      owned,
      `${peer.name}'s connection owns the presence of client ids ${owned.join(', ')} (its page is ${peer.page.doc.clientID})`
    ).toEqual([peer.page.doc.clientID]);
  }
  for (const peer of peers) {
    for (const other of peers) {
      if (other === peer) continue;
      const seen = peer.page.awareness.getStates().get(other.page.doc.clientID) as { editing?: unknown } | undefined;
      const set = (other.page.awareness.getLocalState() as { editing?: unknown } | null)?.editing ?? null;
      expect(seen?.editing ?? null, `${peer.name} sees ${other.name}'s presence`).toEqual(set);
    }
  }
}

function stateVector(doc: Y.Doc): [number, number][] {
  return [...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()].sort(([a], [b]) => a - b);
}

/** Yjs client ids of updates a document holds but cannot apply (their predecessors never came). */
function pendingClients(doc: Y.Doc): number[] {
  const ids = new Set<number>();
  const pending = doc.store.pendingStructs;
  if (pending) for (const id of pending.missing.keys()) ids.add(id);
  if (pending) for (const id of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(pending.update)).keys()) ids.add(id);
  if (doc.store.pendingDs) for (const id of Y.decodeUpdate(doc.store.pendingDs).ds.clients.keys()) ids.add(id);
  return [...ids].sort((a, b) => a - b);
}

function expectSame(actual: BoardState, expected: BoardState, message: string): void {
  expect(actual, message).toEqual(expected);
}

// ---- The runs ---------------------------------------------------------------------------------------

/** The weights the pinned seeds were found with (a seed replays only with its weights and this generator). */
const FOUND_WITH: Weights = {
  page: 40,
  server: 6,
  deliver: 40,
  turn: 8,
  tick: 3,
  offline: 2,
  slow: 2,
  drop: 2,
  freshPage: 0.5,
  disk: 3,
  restart: 0.5
};

describe('convergence fuzz: three pages and the server peer', () => {
  // Seeds that failed once, pinned, each named for what it exposed.
  it('seed 652396416: a reader whose catch-up waited for the disk missed the rest of the commit that made it durable', () =>
    runFuzz(652396416, { weights: { ...FOUND_WITH, restart: 0, freshPage: 0, disk: 0 } }));
  it("seed 421094427: the same catch-up race, losing the server peer's typing", () =>
    runFuzz(421094427, { weights: { ...FOUND_WITH, restart: 0, freshPage: 0, disk: 0 } }));
  it('seed 1470102992: a reader that fell behind at the commit after a slow append missed what arrived during the append', () =>
    runFuzz(1470102992, { weights: { ...FOUND_WITH, restart: 0, freshPage: 0, tick: 0 } }));
  it('seed 917473982: a page reloaded before its offline work reached the server leaves updates nobody can apply, and only those', () =>
    runFuzz(917473982, { weights: FOUND_WITH }));
  // Presence defects found by the fuzz and fixed (see sync-rules.test.ts).
  it("seed 2088703644 (presence): after a restart, pages that stayed open ignore presence stamped with the new room's lower clocks", () =>
    runFuzz(2088703644, { weights: FOUND_WITH, presence: true }));
  it("seed 416380762 (presence): a page's echo of someone's presence, arriving after they left, takes over their client id", () =>
    runFuzz(416380762, { weights: { ...FOUND_WITH, restart: 0, freshPage: 0, tick: 0, disk: 0 }, presence: true }));

  // New random seeds every run.
  const only = process.env.FUZZ_SEED;
  const runs = Number(process.env.FUZZ_RUNS ?? 150);
  const seeds = only ? [Number(only)] : Array.from({ length: runs }, () => Math.floor(Math.random() * 2 ** 31));
  for (const seed of seeds) it(`seed ${seed}`, () => runFuzz(seed));

  it('seed 7, over a real SQLite file', () => runFuzz(7, { store: 'sqlite' }));
});
