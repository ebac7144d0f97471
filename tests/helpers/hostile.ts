// Shared parts of the hostile-client tests (tests/integration/hostile-sync.test.ts,
// hostile-socketio.test.ts, hostile-http.test.ts): the y-websocket wire format written by hand,
// raw sockets, an honest pair of people on a board, and the checks every case makes.
//
// The hostile clients are raw `ws` sockets speaking the y-websocket binary protocol by hand
// (lib0 encoding), so they can send what no real page would.
//
// A test file that uses boardWithHonestPair runs the cleanups after each test:
//   afterEach(() => { for (const fn of cleanups.splice(0)) fn(); });
import { afterAll, beforeAll, expect } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { addCard, getCard } from '../../src/lib/board/schema';
import { startTestServer, type TestServer } from './server';
import { connectBoard, createWorkshop, join, until, type BoardClient, type CreatedWorkshop } from './clients';

// ---------------------------------------------------------------------------------------------
// The y-websocket wire format, written by hand.

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const SYNC_STEP1 = 0;
export const SYNC_UPDATE = 2;

export function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

export const updateMessage = (update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint8Array(e, update);
  });

export const step1Message = (stateVector: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP1);
    encoding.writeVarUint8Array(e, stateVector);
  });

export const awarenessPayload = (entries: { clientId: number; clock: number; state: unknown }[]) =>
  frame((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const x of entries) {
      encoding.writeVarUint(e, x.clientId);
      encoding.writeVarUint(e, x.clock);
      encoding.writeVarString(e, JSON.stringify(x.state));
    }
  });

export const awarenessMessage = (entries: { clientId: number; clock: number; state: unknown }[]) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, awarenessPayload(entries));
  });

/** A real, small Yjs update (a new key in a map), from a fresh client. */
export function smallUpdate(key = 'k', value: unknown = 1): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('scratch').set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

/** A Yjs update carrying `chars` characters of text, from a fresh client. */
export function textUpdate(chars: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('filler').insert(0, 'x'.repeat(chars));
  return Y.encodeStateAsUpdate(doc);
}

/**
 * An update that can never be applied: its first struct (clock 0) is withheld, so Yjs keeps the
 * rest as "pending" in memory, waiting for a predecessor that never comes.
 */
export function orphanUpdate(chars: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('filler').insert(0, 'a');
  let second: Uint8Array | null = null;
  doc.once('update', (u: Uint8Array) => (second = u));
  doc.getText('filler').insert(1, 'y'.repeat(chars));
  return second!;
}

/** Deterministic pseudo-random bytes (mulberry32), so a failure can be replayed. */
export function pseudoRandomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let a = seed;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sockets and fixtures.

export interface Closed {
  code: number;
  reason: string;
}

export interface Raw {
  ws: WebSocket;
  received: Uint8Array[];
  closed: Promise<Closed>;
  send(data: Uint8Array | string): void;
}

export function openRaw(server: TestServer, boardId: string, token: string, options: WebSocket.ClientOptions = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.wsUrl}/sync/${boardId}?token=${encodeURIComponent(token)}`, options);
    const received: Uint8Array[] = [];
    ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
    ws.on('error', () => undefined); // a hostile client does not care; the close code is what we check
    const closed = new Promise<Closed>((res) => ws.once('close', (code, reason) => res({ code, reason: reason.toString() })));
    ws.once('open', () =>
      resolve({
        ws,
        received,
        closed,
        send(data) {
          if (ws.readyState === WebSocket.OPEN) ws.send(data);
        }
      })
    );
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
  });
}

/** Waits (bounded) for the server to close a socket; returns the close code. */
export function closeCode(raw: Raw, ms = 5000): Promise<number> {
  return Promise.race([
    raw.closed.then((c) => c.code),
    new Promise<number>((_, reject) => setTimeout(() => reject(new Error('the server did not close the socket')), ms))
  ]);
}

/** Tries a WebSocket upgrade and reports the HTTP status (101 when it opened) and the JSON body. */
export function upgrade(url: string, options: WebSocket.ClientOptions = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, options);
    ws.on('error', () => resolve({ status: 0, body: null }));
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // keep the text
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: null });
    });
  });
}

export async function expectHealthy(server: TestServer): Promise<void> {
  const res = await fetch(`${server.url}/healthz`);
  expect(res.status).toBe(200);
  expect((await res.json()).ok).toBe(true);
}

export interface Board {
  workshop: CreatedWorkshop;
  boardId: string;
  /** Two honest members, connected with real y-websocket providers. */
  ann: BoardClient;
  bo: BoardClient;
  /** A signed-in member of the same workshop who misbehaves. */
  mallory: { sessionToken: string; participant: { id: string; name: string; role: string } };
}

export const cleanups: (() => void)[] = [];

export async function boardWithHonestPair(server: TestServer): Promise<Board> {
  const workshop = await createWorkshop(server.url);
  const boardId = workshop.boards[0].id;
  const [annSession, boSession, mallory] = await Promise.all([
    join(server.url, workshop.links.member, 'Ann'),
    join(server.url, workshop.links.member, 'Bo'),
    join(server.url, workshop.links.member, 'Mallory')
  ]);
  const ann = connectBoard(server.wsUrl, boardId, annSession.sessionToken);
  const bo = connectBoard(server.wsUrl, boardId, boSession.sessionToken);
  cleanups.push(
    () => ann.destroy(),
    () => bo.destroy()
  );
  await Promise.all([ann.synced, bo.synced]);
  return { workshop, boardId, ann, bo, mallory };
}

let probeCount = 0;

/** Ann adds a card; Bo must see it. Proves the board still syncs for honest people. */
export async function expectStillSyncing(board: Board): Promise<void> {
  const text = `after the attack ${++probeCount}`;
  const id = addCard(board.ann.doc, 'problems', text);
  await until(board.bo.doc, () => getCard(board.bo.doc, id)?.text.toString() === text, 5000);
  // And the other way round.
  const back = `reply ${probeCount}`;
  const id2 = addCard(board.bo.doc, 'solutions', back);
  await until(board.ann.doc, () => getCard(board.ann.doc, id2)?.text.toString() === back, 5000);
}

/** Resolves when `who` sees presence for `clientId` that satisfies `check`. */
export function seesPresence(who: BoardClient, clientId: number, check: (state: any) => boolean = () => true): Promise<void> {
  return presenceWhere(who, (states) => states.has(clientId) && check(states.get(clientId)), `presence of ${clientId} not seen`);
}

/** Resolves when what `who` sees of presence passes `ok`; rejects after 5 s. */
export function presenceWhere(who: BoardClient, test: (states: Map<number, any>) => boolean, failure: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const aw = who.provider.awareness;
    const ok = () => test(aw.getStates());
    if (ok()) return resolve();
    const timer = setTimeout(() => reject(new Error(failure)), 5000);
    const onChange = () => {
      if (!ok()) return;
      clearTimeout(timer);
      aw.off('change', onChange);
      resolve();
    };
    aw.on('change', onChange);
  });
}

export async function expectRefusedAndUnharmed(server: TestServer, board: Board, raw: Raw, codes: number[]): Promise<void> {
  expect(codes).toContain(await closeCode(raw));
  await expectHealthy(server);
  await expectStillSyncing(board);
}

// ---------------------------------------------------------------------------------------------

/**
 * Runs one test server for the enclosing describe. Only one runs at a time: the SvelteKit handler
 * finds its services through a process-wide registry, so servers must not overlap.
 */
export function serverFor(env?: Record<string, string>): { readonly current: TestServer } {
  const ref = { current: null as unknown as TestServer };
  beforeAll(async () => {
    ref.current = await startTestServer({ env });
  });
  afterAll(async () => {
    for (const fn of cleanups.splice(0)) fn();
    await ref.current?.close();
  });
  return ref;
}

/** Polls a condition (bounded); for server-side state that emits no event. */
export async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
