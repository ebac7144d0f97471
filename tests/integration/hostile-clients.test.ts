// Hostile and broken clients on every entry point (/sync, socket.io, the HTTP API). Every case
// checks three things: the offending connection is refused with a named close code or a JSON
// error, the server stays up (/healthz answers 200), and honest people on the same board keep
// syncing (a card added after the attack still reaches another honest client).
//
// The hostile clients are raw `ws` sockets speaking the y-websocket binary protocol by hand
// (lib0 encoding), so they can send what no real page would.
import http from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { io as ioClient, type Socket } from 'socket.io-client';
import { CLOSE } from '../../src/lib/protocol/errors';
import { addCard, getCard } from '../../src/lib/board/schema';
import { startTestServer, type TestServer } from '../helpers/server';
import { api, connectBoard, createWorkshop, join, tokenOf, until, type BoardClient, type CreatedWorkshop } from '../helpers/clients';

// ---------------------------------------------------------------------------------------------
// The y-websocket wire format, written by hand.

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const SYNC_STEP1 = 0;
const SYNC_UPDATE = 2;

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

const updateMessage = (update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint8Array(e, update);
  });

const step1Message = (stateVector: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP1);
    encoding.writeVarUint8Array(e, stateVector);
  });

const awarenessPayload = (entries: { clientId: number; clock: number; state: unknown }[]) =>
  frame((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const x of entries) {
      encoding.writeVarUint(e, x.clientId);
      encoding.writeVarUint(e, x.clock);
      encoding.writeVarString(e, JSON.stringify(x.state));
    }
  });

const awarenessMessage = (entries: { clientId: number; clock: number; state: unknown }[]) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, awarenessPayload(entries));
  });

/** A real, small Yjs update (a new key in a map), from a fresh client. */
function smallUpdate(key = 'k', value: unknown = 1): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('scratch').set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

/** A Yjs update carrying `chars` characters of text, from a fresh client. */
function textUpdate(chars: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('filler').insert(0, 'x'.repeat(chars));
  return Y.encodeStateAsUpdate(doc);
}

/**
 * An update that can never be applied: its first struct (clock 0) is withheld, so Yjs keeps the
 * rest as "pending" in memory, waiting for a predecessor that never comes.
 */
function orphanUpdate(chars: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('filler').insert(0, 'a');
  let second: Uint8Array | null = null;
  doc.once('update', (u: Uint8Array) => (second = u));
  doc.getText('filler').insert(1, 'y'.repeat(chars));
  return second!;
}

/** Deterministic pseudo-random bytes (mulberry32), so a failure can be replayed. */
function pseudoRandomBytes(n: number, seed: number): Uint8Array {
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

interface Closed {
  code: number;
  reason: string;
}

interface Raw {
  ws: WebSocket;
  received: Uint8Array[];
  closed: Promise<Closed>;
  send(data: Uint8Array | string): void;
}

function openRaw(server: TestServer, boardId: string, token: string, options: WebSocket.ClientOptions = {}): Promise<Raw> {
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
function closeCode(raw: Raw, ms = 5000): Promise<number> {
  return Promise.race([
    raw.closed.then((c) => c.code),
    new Promise<number>((_, reject) => setTimeout(() => reject(new Error('the server did not close the socket')), ms))
  ]);
}

/** Tries a WebSocket upgrade and reports the HTTP status (101 when it opened) and the JSON body. */
function upgrade(url: string, options: WebSocket.ClientOptions = {}): Promise<{ status: number; body: any }> {
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

async function expectHealthy(server: TestServer): Promise<void> {
  const res = await fetch(`${server.url}/healthz`);
  expect(res.status).toBe(200);
  expect((await res.json()).ok).toBe(true);
}

interface Board {
  workshop: CreatedWorkshop;
  boardId: string;
  /** Two honest members, connected with real y-websocket providers. */
  ann: BoardClient;
  bo: BoardClient;
  /** A signed-in member of the same workshop who misbehaves. */
  mallory: { sessionToken: string; participant: { id: string; name: string; role: string } };
}

const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

async function boardWithHonestPair(server: TestServer): Promise<Board> {
  const workshop = await createWorkshop(server.url);
  const boardId = workshop.boards[0].id;
  const [annSession, boSession, mallory] = await Promise.all([
    join(server.url, workshop.links.member, 'Ann'),
    join(server.url, workshop.links.member, 'Bo'),
    join(server.url, workshop.links.member, 'Mallory')
  ]);
  const ann = connectBoard(server.wsUrl, boardId, annSession.sessionToken);
  const bo = connectBoard(server.wsUrl, boardId, boSession.sessionToken);
  cleanups.push(() => ann.destroy(), () => bo.destroy());
  await Promise.all([ann.synced, bo.synced]);
  return { workshop, boardId, ann, bo, mallory };
}

let probeCount = 0;

/** Ann adds a card; Bo must see it. Proves the board still syncs for honest people. */
async function expectStillSyncing(board: Board): Promise<void> {
  const text = `after the attack ${++probeCount}`;
  const id = addCard(board.ann.doc, 'problems', text);
  await until(board.bo.doc, () => getCard(board.bo.doc, id)?.text.toString() === text, 5000);
  // And the other way round.
  const back = `reply ${probeCount}`;
  const id2 = addCard(board.bo.doc, 'solutions', back);
  await until(board.ann.doc, () => getCard(board.ann.doc, id2)?.text.toString() === back, 5000);
}

/** Resolves when `who` sees presence for `clientId` that satisfies `check`. */
function seesPresence(who: BoardClient, clientId: number, check: (state: any) => boolean = () => true): Promise<void> {
  return presenceWhere(who, (states) => states.has(clientId) && check(states.get(clientId)), `presence of ${clientId} not seen`);
}

/** Resolves when what `who` sees of presence passes `ok`; rejects after 5 s. */
function presenceWhere(who: BoardClient, test: (states: Map<number, any>) => boolean, failure: string): Promise<void> {
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

async function expectRefusedAndUnharmed(server: TestServer, board: Board, raw: Raw, codes: number[]): Promise<void> {
  expect(codes).toContain(await closeCode(raw));
  await expectHealthy(server);
  await expectStillSyncing(board);
}

// ---------------------------------------------------------------------------------------------

/**
 * Runs one test server for the enclosing describe. Only one runs at a time: the SvelteKit handler
 * finds its services through a process-wide registry, so servers must not overlap.
 */
function serverFor(env?: Record<string, string>): { readonly current: TestServer } {
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

describe('/sync (the y-websocket endpoint)', () => {
  describe('malformed frames and messages', () => {
    const s = serverFor();
    let server: TestServer;
    beforeAll(() => void (server = s.current));
    const validUpdateMessage = updateMessage(textUpdate(200));

    const cases: { name: string; payload: () => Uint8Array | string }[] = [
      { name: 'a text frame', payload: () => 'hello, is this JSON?' },
      { name: 'random bytes', payload: () => pseudoRandomBytes(256, 687) },
      { name: 'an empty binary frame', payload: () => new Uint8Array(0) },
      { name: 'a truncated sync message', payload: () => validUpdateMessage.slice(0, Math.floor(validUpdateMessage.length / 2)) },
      { name: 'a message of an unknown type', payload: () => Uint8Array.of(7, 0, 0) },
      { name: 'an auth message (a server-to-client type)', payload: () => Uint8Array.of(2, 0) },
      { name: 'a sync message of an unknown sub-type', payload: () => Uint8Array.of(MESSAGE_SYNC, 9, 1, 0) },
      {
        name: 'a Yjs update declaring millions of structs in a few bytes (yjs issue #687)',
        payload: () =>
          updateMessage(
            frame((e) => {
              encoding.writeVarUint(e, 1); // one client
              encoding.writeVarUint(e, 50_000_000); // fifty million structs...
              encoding.writeVarUint(e, 1234); // client id
              encoding.writeVarUint(e, 0); // clock
              encoding.writeUint8(e, 4); // ...and one byte of the first
            })
          )
      },
      {
        name: 'a Yjs update declaring millions of clients',
        payload: () => updateMessage(frame((e) => encoding.writeVarUint(e, 10_000_000)))
      },
      {
        name: 'a Yjs update whose string content declares a length far past its end',
        payload: () =>
          updateMessage(
            frame((e) => {
              encoding.writeVarUint(e, 1);
              encoding.writeVarUint(e, 1);
              encoding.writeVarUint(e, 1234);
              encoding.writeVarUint(e, 0);
              encoding.writeUint8(e, 4); // an item with string content, parent given by name
              encoding.writeVarUint(e, 1);
              encoding.writeVarString(e, 'filler');
              encoding.writeVarUint(e, 2 ** 31); // declared string length
              encoding.writeUint8(e, 65);
            })
          )
      },
      {
        name: 'a Yjs update with an unknown content kind',
        payload: () =>
          updateMessage(
            frame((e) => {
              encoding.writeVarUint(e, 1);
              encoding.writeVarUint(e, 1);
              encoding.writeVarUint(e, 1234);
              encoding.writeVarUint(e, 0);
              encoding.writeUint8(e, 29);
              encoding.writeVarUint(e, 1);
              encoding.writeVarString(e, 'filler');
              encoding.writeVarUint(e, 0);
              encoding.writeVarUint(e, 0);
            })
          )
      },
      {
        name: 'a sync message whose declared byte-array length is absurd',
        payload: () =>
          frame((e) => {
            encoding.writeVarUint(e, MESSAGE_SYNC);
            encoding.writeVarUint(e, SYNC_UPDATE);
            encoding.writeVarUint(e, 2 ** 40);
            encoding.writeUint8Array(e, Uint8Array.of(1, 2, 3));
          })
      },
      {
        name: 'a state vector declaring millions of entries',
        payload: () => step1Message(frame((e) => encoding.writeVarUint(e, 5_000_000)))
      },
      {
        name: 'an awareness update declaring a huge count of clients',
        payload: () =>
          frame((e) => {
            encoding.writeVarUint(e, MESSAGE_AWARENESS);
            encoding.writeVarUint8Array(e, frame((p) => encoding.writeVarUint(p, 100_000_000)));
          })
      },
      {
        name: 'an awareness update whose state string declares a length far past its end',
        payload: () =>
          frame((e) => {
            encoding.writeVarUint(e, MESSAGE_AWARENESS);
            encoding.writeVarUint8Array(
              e,
              frame((p) => {
                encoding.writeVarUint(p, 1);
                encoding.writeVarUint(p, 42);
                encoding.writeVarUint(p, 1);
                encoding.writeVarUint(p, 2 ** 30);
                encoding.writeUint8Array(p, new TextEncoder().encode('{}'));
              })
            );
          })
      },
      {
        name: 'an awareness state that is not JSON',
        payload: () =>
          frame((e) => {
            encoding.writeVarUint(e, MESSAGE_AWARENESS);
            encoding.writeVarUint8Array(
              e,
              frame((p) => {
                encoding.writeVarUint(p, 1);
                encoding.writeVarUint(p, 42);
                encoding.writeVarUint(p, 1);
                encoding.writeVarString(p, '{"user": nope');
              })
            );
          })
      },
      {
        name: 'a valid message followed by trailing bytes',
        payload: () => Uint8Array.of(3, 0xff, 0xff, 0xff, 0x7f)
      }
    ];

    it.each(cases)(`closes a connection that sends $name with "malformed" (${CLOSE.malformed})`, async ({ payload }) => {
      const board = await boardWithHonestPair(server);
      const raw = await openRaw(server, board.boardId, board.mallory.sessionToken);
      raw.send(payload());
      await expectRefusedAndUnharmed(server, board, raw, [CLOSE.malformed]);
    });

    it('closes a connection that sends an invalid WebSocket frame with a protocol error, and stays up', async () => {
      // The reference y-websocket server has no 'error' listener on its sockets and crashes here.
      const board = await boardWithHonestPair(server);
      const rsv1 = await openRaw(server, board.boardId, board.mallory.sessionToken);
      const socket = (rsv1.ws as unknown as { _socket: NetSocket })._socket;
      socket.write(Buffer.from([0xc2, 0x80, 0, 0, 0, 0])); // RSV1 set without a negotiated extension
      expect([1002, CLOSE.malformed]).toContain(await closeCode(rsv1).catch(() => 1006));
      const unmasked = await openRaw(server, board.boardId, board.mallory.sessionToken);
      (unmasked.ws as unknown as { _socket: NetSocket })._socket.write(Buffer.from([0x82, 0x01, 0x00]));
      expect([1002, 1006, CLOSE.malformed]).toContain(await closeCode(unmasked));
      const badUtf8 = await openRaw(server, board.boardId, board.mallory.sessionToken);
      (badUtf8.ws as unknown as { _socket: NetSocket })._socket.write(Buffer.from([0x81, 0x82, 0, 0, 0, 0, 0xff, 0xfe]));
      expect([1007, 1006, CLOSE.malformed]).toContain(await closeCode(badUtf8));
      await expectHealthy(server);
      await expectStillSyncing(board);
    });

    it('refuses a declared length that runs past the end of its frame into the next one', async () => {
      // Two frames in one TCP write, masked with zeros so their bytes are predictable. The first
      // declares a 6-byte state vector but carries none; the bytes that follow in the same read
      // (the next frame's header) happen to form a valid state vector. Reading them would be
      // reading memory the message does not own.
      const board = await boardWithHonestPair(server);
      const raw = await openRaw(server, board.boardId, board.mallory.sessionToken);
      const first = [0x82, 0x80 | 3, 0, 0, 0, 0, MESSAGE_SYNC, SYNC_STEP1, 6];
      const second = [0x02, 0x80 | 2, 0, 0, 0, 0, 0, 0]; // a first fragment (no FIN)
      (raw.ws as unknown as { _socket: NetSocket })._socket.write(Buffer.from([...first, ...second]));
      await expectRefusedAndUnharmed(server, board, raw, [CLOSE.malformed]);
    });
  });

  describe('sizes', () => {
    // LIMIT_MESSAGE_BYTES and LIMIT_DOC_BYTES set small, to reach them cheaply.
    const s = serverFor({ LIMIT_MESSAGE_BYTES: String(64 * 1024), LIMIT_DOC_BYTES: String(96 * 1024) });
    let small: TestServer;
    beforeAll(() => void (small = s.current));
    it('closes a connection that sends a message larger than LIMIT_MESSAGE_BYTES with 1009', async () => {
      const board = await boardWithHonestPair(small);
      const raw = await openRaw(small, board.boardId, board.mallory.sessionToken);
      raw.send(updateMessage(textUpdate(70 * 1024)));
      await expectRefusedAndUnharmed(small, board, raw, [1009, CLOSE.tooLarge]);
    });

    it(`closes a connection that publishes a presence state over 4 KiB with "too large" (${CLOSE.tooLarge})`, async () => {
      const board = await boardWithHonestPair(small);
      const raw = await openRaw(small, board.boardId, board.mallory.sessionToken);
      raw.send(awarenessMessage([{ clientId: 777001, clock: 1, state: { editing: null, note: 'x'.repeat(5000) } }]));
      await expectRefusedAndUnharmed(small, board, raw, [CLOSE.tooLarge]);
      // The refused presence never reached anyone, and presence still flows on the board.
      expect(board.bo.provider.awareness.getStates().has(777001)).toBe(false);
      board.ann.provider.awareness.setLocalStateField('editing', 'after-the-attack');
      await seesPresence(board.bo, board.ann.doc.clientID, (s) => s.editing === 'after-the-attack');
    });

    it('closes a connection that grows the board past LIMIT_DOC_BYTES with "too large", and loses nothing stored', async () => {
      const board = await boardWithHonestPair(small);
      const before = addCard(board.ann.doc, 'questions', 'Written before the attack');
      await until(board.bo.doc, () => getCard(board.bo.doc, before) !== null);
      const raw = await openRaw(small, board.boardId, board.mallory.sessionToken);
      const chunks = [textUpdate(20_000), textUpdate(20_000), textUpdate(20_000), textUpdate(20_000), textUpdate(20_000)];
      for (const chunk of chunks) raw.send(updateMessage(chunk));
      await expectRefusedAndUnharmed(small, board, raw, [CLOSE.tooLarge]);

      // Everything the server accepted is stored: it is all there after a restart.
      const seen = board.bo.doc.getMap('cards').toJSON();
      const fillerSeen = board.bo.doc.getText('filler').length;
      expect(fillerSeen).toBeGreaterThan(0);
      await small.restart();
      const fresh = connectBoard(small.wsUrl, board.boardId, board.mallory.sessionToken);
      cleanups.push(() => fresh.destroy());
      await fresh.synced;
      expect(fresh.doc.getMap('cards').toJSON()).toEqual(seen);
      expect(fresh.doc.getText('filler').length).toBe(fillerSeen);
      expect(getCard(fresh.doc, before)?.text.toString()).toBe('Written before the attack');
    });

    it('counts updates that can never be applied (their predecessors withheld) against LIMIT_DOC_BYTES', async () => {
      // Yjs keeps such updates in memory as "pending" without emitting anything, so without this
      // rule one connection could grow the server's memory without limit at the message rate.
      const board = await boardWithHonestPair(small);
      const raw = await openRaw(small, board.boardId, board.mallory.sessionToken);
      for (let i = 0; i < 8; i++) raw.send(updateMessage(orphanUpdate(30_000)));
      await expectRefusedAndUnharmed(small, board, raw, [CLOSE.tooLarge]);
    });
  });

  describe('floods', () => {
    const s = serverFor();
    let server: TestServer;
    beforeAll(() => void (server = s.current));
    it(`closes a connection that floods updates with "too fast" (${CLOSE.tooFast}); others are unaffected`, async () => {
      const board = await boardWithHonestPair(server);
      const raw = await openRaw(server, board.boardId, board.mallory.sessionToken);
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      for (let i = 0; i < 1000; i++) doc.getMap('flood').set(`k${i % 10}`, i);
      for (const u of updates) raw.send(updateMessage(u));
      await expectRefusedAndUnharmed(server, board, raw, [CLOSE.tooFast]);
    });

    it(`closes a connection that floods presence with "too fast" (${CLOSE.tooFast}); others are unaffected`, async () => {
      const board = await boardWithHonestPair(server);
      const raw = await openRaw(server, board.boardId, board.mallory.sessionToken);
      for (let i = 1; i <= 1000; i++) raw.send(awarenessMessage([{ clientId: 777002, clock: i, state: { editing: null } }]));
      await expectRefusedAndUnharmed(server, board, raw, [CLOSE.tooFast]);
      // Its presence left with it.
      await presenceWhere(board.bo, (states) => !states.has(777002), 'the flooder\'s presence stayed');
    });
  });

  describe('presence', () => {
    const s = serverFor();
    let server: TestServer;
    beforeAll(() => void (server = s.current));
    it('never shows others presence that one connection publishes for a client id another connection owns', async () => {
      const board = await boardWithHonestPair(server);
      const annId = board.ann.doc.clientID;
      board.ann.provider.awareness.setLocalStateField('editing', 'card-of-ann');
      await seesPresence(board.bo, annId, (s) => s.editing === 'card-of-ann');

      const raw = await openRaw(server, board.boardId, board.mallory.sessionToken);
      // Spoof Ann: a new state, then "Ann has left", with clocks far ahead of hers.
      raw.send(awarenessMessage([{ clientId: annId, clock: 1_000_000, state: { user: { name: 'Ann', role: 'facilitator' }, editing: 'spoofed' } }]));
      raw.send(awarenessMessage([{ clientId: annId, clock: 1_000_001, state: null }]));
      // Then publish its own presence; once Bo sees that, the spoofs (sent earlier) were handled.
      const malloryId = 777003;
      raw.send(awarenessMessage([{ clientId: malloryId, clock: 1, state: { editing: null } }]));
      await seesPresence(board.bo, malloryId);

      const annOnBo = board.bo.provider.awareness.getStates().get(annId) as any;
      expect(annOnBo.editing).toBe('card-of-ann');
      expect(annOnBo.user.name).toBe('Ann');
      expect(annOnBo.user.role).toBe('member');
      // The spoofing connection is not closed (echoes of others' presence look the same and are
      // normal for y-websocket pages), but its spoof is dropped; the server stays up and syncs.
      expect(raw.ws.readyState).toBe(WebSocket.OPEN);
      await expectHealthy(server);
      await expectStillSyncing(board);
      raw.ws.close();
    });

    it('shows others the name and role from the session, not the ones a client claims in its presence', async () => {
      const board = await boardWithHonestPair(server);
      const raw = await openRaw(server, board.boardId, board.mallory.sessionToken);
      const malloryId = 777004;
      raw.send(
        awarenessMessage([
          {
            clientId: malloryId,
            clock: 1,
            state: { user: { name: 'The Facilitator', role: 'facilitator', color: 'red' }, editing: 'x', admin: true, script: '<img onerror=alert(1)>' }
          }
        ])
      );
      await seesPresence(board.bo, malloryId);
      const seen = board.bo.provider.awareness.getStates().get(malloryId) as any;
      expect(seen.user.name).toBe('Mallory');
      expect(seen.user.role).toBe('member');
      expect(seen.user.color).not.toBe('red');
      expect(Object.keys(seen).sort()).toEqual(['editing', 'user']);
      expect(seen.editing).toBe('x');
      await expectHealthy(server);
      await expectStillSyncing(board);
      raw.ws.close();
    });
  });

  describe('slow readers', () => {
    const s = serverFor({ LIMIT_DOC_BYTES: String(512 * 1024 * 1024) });
    let busy: TestServer;
    beforeAll(() => void (busy = s.current));

    it(`closes a connection that stops reading while a busy board sends to it with "too slow" (${CLOSE.tooSlow})`, async () => {
      const board = await boardWithHonestPair(busy);
      const raw = await openRaw(busy, board.boardId, board.mallory.sessionToken);
      const socket = (raw.ws as unknown as { _socket: NetSocket })._socket;
      socket.pause();
      // Ann pastes and removes large texts: about 48 MiB goes out to everyone on the board, far
      // more than the kernel's socket buffers plus the server's 8 MiB allowance for one reader.
      const text = board.ann.doc.getText('paste');
      const chunk = 'p'.repeat(900_000);
      for (let i = 0; i < 54; i++) {
        text.insert(0, chunk);
        text.delete(0, chunk.length);
      }
      const mark = addCard(board.ann.doc, 'questions', 'after the pastes');
      await until(board.bo.doc, () => getCard(board.bo.doc, mark) !== null, 15_000);
      // Bo kept up. The slow reader, once it reads again, finds the server closed it.
      socket.resume();
      expect(await closeCode(raw, 15_000)).toBe(CLOSE.tooSlow);
      await expectHealthy(busy);
      await expectStillSyncing(board);
    }, 30_000);
  });

  describe('upgrades', () => {
    const s = serverFor();
    let server: TestServer;
    beforeAll(() => void (server = s.current));
    it('refuses a ninth connection from one session (LIMIT_CONNECTIONS_PER_SESSION) with 429', async () => {
      const board = await boardWithHonestPair(server);
      const open: Raw[] = [];
      for (let i = 0; i < 8; i++) open.push(await openRaw(server, board.boardId, board.mallory.sessionToken));
      cleanups.push(() => open.forEach((r) => r.ws.close()));
      const ninth = await upgrade(`${server.wsUrl}/sync/${board.boardId}?token=${board.mallory.sessionToken}`);
      expect(ninth.status).toBe(429);
      expect(ninth.body.error.code).toBe('rate_limited');
      expect(typeof ninth.body.error.message).toBe('string');
      await expectHealthy(server);
      await expectStillSyncing(board);
      // Closing one makes room for one more.
      const one = open.pop()!;
      one.ws.close();
      await one.closed;
      const again = await openRaw(server, board.boardId, board.mallory.sessionToken);
      again.ws.close();
    });

    it('answers unknown board ids and invented room names with 404 and keeps no room for them', async () => {
      const board = await boardWithHonestPair(server);
      const rooms = server.running.realtime.sync.roomCount();
      const token = board.mallory.sessionToken;
      const paths = [
        '/sync/no-such-board',
        `/sync/${'a'.repeat(64)}`,
        `/sync/${'a'.repeat(65)}`,
        '/sync/room%20with%20spaces',
        '/sync/..%2F..%2Fetc%2Fpasswd',
        `/sync/${board.boardId}/extra`,
        '/sync/',
        '/sync'
      ];
      for (const path of paths) {
        const res = await upgrade(`${server.wsUrl}${path}?token=${token}`);
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
        expect(res.body.error.code).toBe('not_found');
      }
      expect(server.running.realtime.sync.roomCount()).toBe(rooms);
      await expectHealthy(server);
      await expectStillSyncing(board);
    });

    it('refuses an upgrade from a foreign Origin (cross-site WebSocket hijacking) with 403, even with a valid session', async () => {
      const board = await boardWithHonestPair(server);
      const url = `${server.wsUrl}/sync/${board.boardId}?token=${board.mallory.sessionToken}`;
      const foreign = await upgrade(url, { origin: 'https://evil.example' });
      expect(foreign.status).toBe(403);
      expect(foreign.body.error.code).toBe('forbidden');
      expect((await upgrade(url, { origin: 'null' })).status).toBe(403);
      // The page's own origin is fine.
      expect((await upgrade(url, { origin: server.url })).status).toBe(101);
      await expectHealthy(server);
      await expectStillSyncing(board);
    });

  });

  describe('failed upgrades from one address', () => {
    const s = serverFor();
    let server: TestServer;
    beforeAll(() => void (server = s.current));

    it('refuses an address that keeps failing upgrades with 429, and still lets signed-in people in', async () => {
      const board = await boardWithHonestPair(server);
      let status = 0;
      for (let i = 0; i < 40 && status !== 429; i++) status = (await upgrade(`${server.wsUrl}/sync/${board.boardId}`)).status;
      expect(status).toBe(429);
      await expectHealthy(server);
      await expectStillSyncing(board);
    });
  });

  describe('memory', () => {
    const s = serverFor();
    let server: TestServer;
    beforeAll(() => void (server = s.current));
    it('returns roomCount() to where it was after a burst of hostile connections closes', async () => {
      const board = await boardWithHonestPair(server);
      const sync = server.running.realtime.sync;
      // Let rooms from earlier tests unload, so the baseline is stable.
      await waitFor(() => sync.roomCount() === 1, 10_000);
      const rooms = sync.roomCount();

      // Another workshop's board, visited only by hostile connections.
      const other = await createWorkshop(server.url);
      const eve = await join(server.url, other.links.member, 'Eve');
      const attacks: Uint8Array[] = [
        pseudoRandomBytes(64, 1),
        Uint8Array.of(7),
        updateMessage(frame((e) => encoding.writeVarUint(e, 10_000_000))),
        awarenessMessage([{ clientId: 9, clock: 1, state: { editing: null, note: 'x'.repeat(5000) } }])
      ];
      const raws: Raw[] = [];
      for (let i = 0; i < 8; i++) {
        raws.push(await openRaw(server, other.boards[0].id, eve.sessionToken));
        raws.push(await openRaw(server, board.boardId, board.mallory.sessionToken).catch(() => null as unknown as Raw));
      }
      expect(sync.roomCount()).toBe(rooms + 1);
      raws.forEach((raw, i) => raw?.send(attacks[i % attacks.length]));
      await Promise.all(raws.filter(Boolean).map((raw) => closeCode(raw)));

      await waitFor(() => sync.roomCount() === rooms, 10_000);
      // Presence on the honest board is back to the two honest people.
      expect([...board.bo.provider.awareness.getStates().keys()].sort()).toEqual([board.ann.doc.clientID, board.bo.doc.clientID].sort());
      await expectHealthy(server);
      await expectStillSyncing(board);
    }, 20_000);
  });
});

/** Polls a condition (bounded); for server-side state that emits no event. */
async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---------------------------------------------------------------------------------------------

describe('socket.io (session control)', () => {
  const s = serverFor();
  let server: TestServer;
  let board: Board;
  const sockets: Socket[] = [];

  beforeAll(() => void (server = s.current));
  afterAll(() => {
    for (const socket of sockets) socket.close();
  });

  function connect(auth: Record<string, unknown>, extra: Partial<Parameters<typeof ioClient>[1]> = {}): Socket {
    const socket = ioClient(server.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, auth, ...extra });
    sockets.push(socket);
    return socket;
  }

  function connected(socket: Socket): Promise<void> {
    return new Promise((resolve, reject) => {
      if (socket.connected) return resolve();
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });
  }

  function connectError(socket: Socket): Promise<Error & { data?: any }> {
    return new Promise((resolve, reject) => {
      socket.once('connect', () => reject(new Error('connected but should have been refused')));
      socket.once('connect_error', (err) => resolve(err));
    });
  }

  function nextRefusal(socket: Socket): Promise<{ code: string; message: string }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no refusal')), 5000);
      socket.once('refused', (r: { code: string; message: string }) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  }

  async function freshBoard(): Promise<{ board: Board; mallory: Socket; honest: Socket }> {
    board = await boardWithHonestPair(server);
    const ann = await join(server.url, board.workshop.links.member, 'Ann on socket.io');
    const mallory = connect({ workshopId: board.workshop.id, token: board.mallory.sessionToken });
    const honest = connect({ workshopId: board.workshop.id, token: ann.sessionToken });
    await Promise.all([connected(mallory), connected(honest)]);
    return { board, mallory, honest };
  }

  it('refuses a handshake from a foreign Origin', async () => {
    const { board, honest } = await freshBoard();
    const refused = connect({ workshopId: board.workshop.id, token: board.mallory.sessionToken }, { extraHeaders: { origin: 'https://evil.example' } });
    const err = await connectError(refused);
    expect(err).toBeInstanceOf(Error);
    // The polling transport says the same in HTTP.
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.get(
        `${server.url}/socket.io/?EIO=4&transport=polling`,
        { headers: { origin: 'https://evil.example' } },
        (r) => {
          let text = '';
          r.on('data', (c) => (text += c));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, text }));
        }
      );
      req.on('error', reject);
    });
    expect(res.status).toBe(403);
    expect(honest.connected).toBe(true);
    await expectHealthy(server);
    await expectStillSyncing(board);
  });

  it('refuses a handshake without a session with connect_error "not_signed_in"', async () => {
    const { board } = await freshBoard();
    const none = await connectError(connect({ workshopId: board.workshop.id }));
    expect(none.data?.code).toBe('not_signed_in');
    const bogus = await connectError(connect({ workshopId: board.workshop.id, token: 'x'.repeat(43) }));
    expect(bogus.data?.code).toBe('not_signed_in');
    const wrongWorkshop = await connectError(connect({ workshopId: 'another-workshop', token: board.mallory.sessionToken }));
    expect(wrongWorkshop.data?.code).toBe('not_signed_in');
    const garbage = await connectError(connect({ workshopId: { $ne: null }, token: ['a'] }));
    expect(garbage.data?.code).toBe('not_signed_in');
    await expectHealthy(server);
    await expectStillSyncing(board);
  });

  it('answers an unknown event with "refused" (unknown_command) to that socket only', async () => {
    const { board, mallory, honest } = await freshBoard();
    const refusal = nextRefusal(mallory);
    mallory.emit('launchMissiles', { target: 'everyone' });
    expect(await refusal).toMatchObject({ code: 'unknown_command' });
    // The honest socket's first refusal is for its own event, not Mallory's.
    const own = nextRefusal(honest);
    honest.emit('probeFromAnn');
    expect((await own).message).toContain('probeFromAnn');
    expect(mallory.connected).toBe(true);
    await expectHealthy(server);
    await expectStillSyncing(board);
  });

  function run(socket: Socket, command: unknown): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no acknowledgement')), 5000);
      socket.emit('command', command, (result: { ok: boolean; error?: { code: string; message: string } }) => {
        clearTimeout(timer);
        resolve(result);
      });
    });
  }

  it('refuses invalid command payloads with "invalid_payload" or "unknown_command", to that client only', async () => {
    const { board, mallory, honest } = await freshBoard();
    const deep: unknown[] = [];
    let at = deep;
    for (let i = 0; i < 2000; i++) {
      const next: unknown[] = [];
      at.push(next);
      at = next;
    }
    const refused = ['invalid_payload', 'unknown_command'];
    const payloads: [unknown, string[]][] = [
      [null, refused],
      ['hand.raise', refused],
      [42, refused],
      [[{ type: 'hand.raise' }], refused],
      [{}, refused],
      [{ type: 'launchMissiles' }, ['unknown_command']],
      [{ type: { $ne: null } }, refused],
      [{ type: 'phase.go', index: -1 }, ['invalid_payload']],
      [{ type: 'phase.go', index: '0; DROP TABLE workshops' }, ['invalid_payload']],
      [{ type: 'timer.start', minutes: 1e308 }, ['invalid_payload']],
      [{ type: 'board.lock', boardId: '../../etc', locked: true }, ['invalid_payload', 'forbidden']],
      [{ type: 'round.answer', answerId: 'a', text: 'x'.repeat(5000), emoji: null, anonymous: false }, ['invalid_payload']],
      [deep, refused],
      // Extra keys are ignored, never merged into anything.
      [{ type: 'hand.raise', constructor: { prototype: { admin: true } }, role: 'facilitator' }, ['ok']]
    ];
    for (const [payload, expected] of payloads) {
      const result = await run(mallory, payload);
      expect({ payload: JSON.stringify(payload)?.slice(0, 60), code: result.ok ? 'ok' : result.error!.code }).toMatchObject({
        code: expect.toBeOneOf(expected)
      });
      if (!result.ok) expect(result.error!.message.length).toBeGreaterThan(0);
    }
    // Without an acknowledgement, the refusal comes as a "refused" event, to this socket only.
    const refusal = nextRefusal(mallory);
    mallory.emit('command', { type: 'phase.go', index: -1 });
    expect((await refusal).code).toBe('invalid_payload');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(await run(honest, { type: 'hand.raise' })).toEqual({ ok: true });
    expect(mallory.connected).toBe(true);
    await expectHealthy(server);
    await expectStillSyncing(board);
  });

  it('answers a flood of commands with "rate_limited" for that client only', async () => {
    const { board, mallory, honest } = await freshBoard();
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => run(mallory, { type: i % 2 ? 'hand.raise' : 'hand.lower' })));
    const codes = new Set(results.map((r) => (r.ok ? 'ok' : r.error!.code)));
    expect(codes).toContain('rate_limited');
    // The honest person's commands still go through.
    expect(await run(honest, { type: 'hand.raise' })).toEqual({ ok: true });
    await expectHealthy(server);
    await expectStillSyncing(board);
  });

  it('closes a socket.io connection that sends malformed packets, and only that one', async () => {
    const { board, honest } = await freshBoard();
    const packets: (string | Buffer)[][] = [
      ['4garbage'], // a message packet that is not a socket.io packet
      ['42["command"'], // truncated JSON
      ['451-["command",{"_placeholder":true,"num":99}]', Buffer.from([1, 2, 3])], // a placeholder for an attachment that is not there
      ['9'], // an unknown engine.io packet type
      ['42[]'] // an event without a name
    ];
    for (const frames of packets) {
      const packet = frames[0];
      const raw = new WebSocket(`${server.wsUrl}/socket.io/?EIO=4&transport=websocket`);
      raw.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => raw.once('close', () => resolve()));
      await new Promise<void>((resolve) => raw.once('message', () => resolve())); // engine.io "open"
      raw.send(`40${JSON.stringify({ workshopId: board.workshop.id, token: board.mallory.sessionToken })}`);
      await new Promise<void>((resolve) => raw.on('message', (m) => String(m).startsWith('40') && resolve()));
      for (const f of frames) raw.send(f);
      await Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error(`not closed after ${packet}`)), 5000))]);
    }
    expect(await run(honest, { type: 'hand.raise' })).toEqual({ ok: true });
    await expectHealthy(server);
    await expectStillSyncing(board);
  });

  it('disconnects a client whose payload is over 64 KiB, and only that client', async () => {
    const { board, mallory, honest } = await freshBoard();
    const gone = new Promise<string>((resolve) => mallory.once('disconnect', (reason) => resolve(reason)));
    mallory.emit('anything', 'x'.repeat(70 * 1024));
    expect(['transport close', 'transport error']).toContain(await gone);
    const own = nextRefusal(honest);
    honest.emit('stillHere');
    expect((await own).code).toBe('unknown_command');
    await expectHealthy(server);
    await expectStillSyncing(board);
  });
});

// ---------------------------------------------------------------------------------------------

describe('HTTP API', () => {
  const s = serverFor({ LIMIT_CODE_GUESSES: '3' });
  let server: TestServer;
  let board: Board;

  beforeAll(() => void (server = s.current));

  /** The refusal is JSON `{error: {code, message}}` with the status expected, and no stack trace. */
  async function expectError(res: Response, status: number, code: string, field?: string): Promise<void> {
    const text = await res.text();
    expect({ status: res.status, text }).toMatchObject({ status });
    expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+|\.js:\d+|Error:/);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = JSON.parse(text);
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
    expect(body.error.message.length).toBeGreaterThan(0);
    if (field) expect(body.error.field).toBe(field);
  }

  const post = (path: string, body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(server.url + path, { method: 'POST', headers, body });

  /** A POST through node:http, which sends exactly the headers given (Origin included). */
  function rawPost(path: string, body: string, headers: Record<string, string>): Promise<Response> {
    return new Promise((resolve, reject) => {
      const req = http.request(server.url + path, { method: 'POST', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers: res.headers as Record<string, string> }))
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async function afterwards(): Promise<void> {
    await expectHealthy(server);
    await expectStillSyncing(board);
  }

  it('refuses malformed JSON with 400 invalid_json', async () => {
    board = await boardWithHonestPair(server);
    await expectError(await post('/api/workshops', '{"title": "Unclosed'), 400, 'invalid_json');
    await expectError(await post('/api/join', '\u0000\u0001\u0002'), 400, 'invalid_json');
    await afterwards();
  });

  it('refuses a body that is not JSON by content type with 415', async () => {
    board = await boardWithHonestPair(server);
    await expectError(await post('/api/workshops', '<workshop/>', { 'content-type': 'application/xml' }), 415, 'invalid_json');
    // text/plain from the page's own origin (fetch() will not set Origin, so node:http does).
    await expectError(await rawPost('/api/join', '{"code":"ABC234","name":"A"}', { 'content-type': 'text/plain', origin: server.url }), 415, 'invalid_json');
    await expectError(await rawPost('/api/join', '{}', {}), 415, 'invalid_json');
    await afterwards();
  });

  it('refuses a body over 16 KiB with 413 payload_too_large, however it is sent', async () => {
    board = await boardWithHonestPair(server);
    const big = JSON.stringify({ title: 'T', question: 'Q', padding: 'x'.repeat(20 * 1024) });
    await expectError(await post('/api/workshops', big), 413, 'payload_too_large');
    // Multi-byte characters: under 16 Ki characters but over 16 KiB.
    await expectError(await post('/api/workshops', JSON.stringify({ title: 'T', question: 'é'.repeat(9000) })), 413, 'payload_too_large');
    // Bigger than the adapter's own body limit (512 KiB).
    const huge = JSON.stringify({ title: 'T', question: 'Q', padding: 'x'.repeat(1024 * 1024) });
    await expectError(await post('/api/workshops', huge), 413, 'payload_too_large');
    // Streamed without a Content-Length.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      }
    });
    const res = await fetch(server.url + '/api/workshops', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half'
    } as RequestInit);
    await expectError(res, 413, 'payload_too_large');
    await afterwards();
  });

  it('refuses JSON that is not an object with 400 invalid_input', async () => {
    board = await boardWithHonestPair(server);
    for (const body of ['[1,2,3]', '"a string"', 'null', '42', 'true']) {
      await expectError(await post('/api/workshops', body), 400, 'invalid_input');
      await expectError(await post('/api/join', body), 400, 'invalid_input');
    }
    await afterwards();
  });

  it('refuses missing and wrongly typed fields with 400 invalid_input naming the field', async () => {
    board = await boardWithHonestPair(server);
    await expectError(await post('/api/workshops', '{}'), 400, 'invalid_input', 'title');
    await expectError(await post('/api/workshops', JSON.stringify({ title: 'Fine' })), 400, 'invalid_input', 'question');
    await expectError(await post('/api/workshops', JSON.stringify({ title: { $gt: '' }, question: 'Q' })), 400, 'invalid_input', 'title');
    await expectError(await post('/api/join', '{}'), 400, 'invalid_input');
    await expectError(await post('/api/join', JSON.stringify({ token: tokenOf(board.workshop.links.member) })), 400, 'invalid_input', 'name');
    await expectError(await post('/api/join', JSON.stringify({ code: 12345, name: 'A' })), 400, 'invalid_input');
    await afterwards();
  });

  it('refuses an oversized title or name with 400 invalid_input naming the field', async () => {
    board = await boardWithHonestPair(server);
    await expectError(await post('/api/workshops', JSON.stringify({ title: 't'.repeat(121), question: 'Q' })), 400, 'invalid_input', 'title');
    await expectError(await post('/api/workshops', JSON.stringify({ title: 'T', question: 'q'.repeat(501) })), 400, 'invalid_input', 'question');
    await expectError(
      await post('/api/join', JSON.stringify({ token: tokenOf(board.workshop.links.member), name: 'n'.repeat(41) })),
      400,
      'invalid_input',
      'name'
    );
    await afterwards();
  });

  it('refuses unknown and revoked invite tokens and unknown session tokens', async () => {
    board = await boardWithHonestPair(server);
    await expectError(await post('/api/join', JSON.stringify({ token: 'x'.repeat(43), name: 'A' })), 404, 'unknown_invite');
    await expectError(await post('/api/join', JSON.stringify({ token: '../../etc/passwd', name: 'A' })), 404, 'unknown_invite');
    const invite = tokenOf(board.workshop.links.observer);
    await server.running.realtime.store.people.revokeInvite(invite, Date.now());
    await expectError(await post('/api/join', JSON.stringify({ token: invite, name: 'A' })), 410, 'revoked_invite');
    await expectError(
      await fetch(`${server.url}/api/session?workshop=${board.workshop.id}`, { headers: { authorization: `Bearer ${'y'.repeat(43)}` } }),
      401,
      'not_signed_in'
    );
    await afterwards();
  });

  it('answers wrong join codes with 404 until the address is rate-limited with 429', async () => {
    board = await boardWithHonestPair(server);
    const guess = (code: string) => post('/api/join', JSON.stringify({ code, name: 'Guesser' }));
    const wrong = board.workshop.code === 'ZZZ222' ? 'ZZZ223' : 'ZZZ222';
    // The right code works while the address has guesses left (only wrong guesses count)...
    expect((await api(server.url, '/api/join', { code: board.workshop.code, name: 'On time' })).status).toBe(200);
    for (let i = 0; i < 3; i++) await expectError(await guess(wrong), 404, 'unknown_code', 'code');
    await expectError(await guess(wrong), 429, 'rate_limited');
    // ...but once they are used up, no code is looked up at all: a right guess must not be
    // distinguishable from a wrong one.
    await expectError(await guess(board.workshop.code), 429, 'rate_limited');
    // Malformed codes are refused as such; invite links still work from the same address.
    await expectError(await guess('!!'), 400, 'invalid_input', 'code');
    const byLink = await api(server.url, '/api/join', { token: tokenOf(board.workshop.links.member), name: 'Latecomer' });
    expect(byLink.status).toBe(200);
    await afterwards();
  });
});
