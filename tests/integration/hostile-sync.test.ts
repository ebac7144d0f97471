// Hostile and broken clients on /sync (the y-websocket endpoint).
// Every case checks three things: the offending connection is refused with a named close code or
// a JSON error, the server stays up (/healthz answers 200), and honest people on the same board
// keep syncing (a card added after the attack still reaches another honest client). Each test's
// title starts with the ids of the rules of docs/LIMITS.md it proves.
//
// The hostile clients are raw `ws` sockets speaking the y-websocket binary protocol by hand
// (lib0 encoding, tests/helpers/hostile.ts), so they can send what no real page would.
import type { Socket as NetSocket } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { CLOSE } from '../../src/lib/protocol/errors';
import { addCard, getCard } from '../../src/lib/board/schema';
import type { TestServer } from '../helpers/server';
import { connectBoard, createWorkshop, join, until } from '../helpers/clients';
import {
  MESSAGE_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_UPDATE,
  awarenessMessage,
  boardWithHonestPair,
  cleanups,
  closeCode,
  expectHealthy,
  expectRefusedAndUnharmed,
  expectStillSyncing,
  frame,
  openRaw,
  orphanUpdate,
  presenceWhere,
  pseudoRandomBytes,
  seesPresence,
  serverFor,
  step1Message,
  textUpdate,
  updateMessage,
  upgrade,
  waitFor,
  type Raw
} from '../helpers/hostile';

afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

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
            encoding.writeVarUint8Array(
              e,
              frame((p) => encoding.writeVarUint(p, 100_000_000))
            );
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

    it.each(cases)(`[L-SYNC-8] closes a connection that sends $name with "malformed" (${CLOSE.malformed})`, async ({ payload }) => {
      const board = await boardWithHonestPair(server);
      const raw = await openRaw(server, board.boardId, board.mallory.sessionToken);
      raw.send(payload());
      await expectRefusedAndUnharmed(server, board, raw, [CLOSE.malformed]);
    });

    it('[L-SYNC-9] closes a connection that sends an invalid WebSocket frame with a protocol error, and stays up', async () => {
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

    it('[L-SYNC-8] refuses a declared length that runs past the end of its frame into the next one', async () => {
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
    it('[L-SYNC-10] closes a connection that sends a message larger than LIMIT_MESSAGE_BYTES with 1009', async () => {
      const board = await boardWithHonestPair(small);
      const raw = await openRaw(small, board.boardId, board.mallory.sessionToken);
      raw.send(updateMessage(textUpdate(70 * 1024)));
      await expectRefusedAndUnharmed(small, board, raw, [1009, CLOSE.tooLarge]);
    });

    it(`[L-SYNC-12] closes a connection that publishes a presence state over 4 KiB with "too large" (${CLOSE.tooLarge})`, async () => {
      const board = await boardWithHonestPair(small);
      const raw = await openRaw(small, board.boardId, board.mallory.sessionToken);
      raw.send(awarenessMessage([{ clientId: 777001, clock: 1, state: { editing: null, note: 'x'.repeat(5000) } }]));
      await expectRefusedAndUnharmed(small, board, raw, [CLOSE.tooLarge]);
      // The refused presence never reached anyone, and presence still flows on the board.
      expect(board.bo.provider.awareness.getStates().has(777001)).toBe(false);
      board.ann.provider.awareness.setLocalStateField('editing', 'after-the-attack');
      await seesPresence(board.bo, board.ann.doc.clientID, (s) => s.editing === 'after-the-attack');
    });

    it('[L-SYNC-11] closes a connection that grows the board past LIMIT_DOC_BYTES with "too large", and loses nothing stored', async () => {
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

    it('[L-SYNC-11] counts updates that can never be applied (their predecessors withheld) against LIMIT_DOC_BYTES', async () => {
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
    it(`[L-SYNC-13] closes a connection that floods updates with "too fast" (${CLOSE.tooFast}); others are unaffected`, async () => {
      const board = await boardWithHonestPair(server);
      const raw = await openRaw(server, board.boardId, board.mallory.sessionToken);
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      for (let i = 0; i < 1000; i++) doc.getMap('flood').set(`k${i % 10}`, i);
      for (const u of updates) raw.send(updateMessage(u));
      await expectRefusedAndUnharmed(server, board, raw, [CLOSE.tooFast]);
    });

    it(`[L-SYNC-13] closes a connection that floods presence with "too fast" (${CLOSE.tooFast}); others are unaffected`, async () => {
      const board = await boardWithHonestPair(server);
      const raw = await openRaw(server, board.boardId, board.mallory.sessionToken);
      for (let i = 1; i <= 1000; i++) raw.send(awarenessMessage([{ clientId: 777002, clock: i, state: { editing: null } }]));
      await expectRefusedAndUnharmed(server, board, raw, [CLOSE.tooFast]);
      // Its presence left with it.
      await presenceWhere(board.bo, (states) => !states.has(777002), "the flooder's presence stayed");
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
      raw.send(
        awarenessMessage([{ clientId: annId, clock: 1_000_000, state: { user: { name: 'Ann', role: 'facilitator' }, editing: 'spoofed' } }])
      );
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
            state: {
              user: { name: 'The Facilitator', role: 'facilitator', color: 'red' },
              editing: 'x',
              admin: true,
              script: '<img onerror=alert(1)>'
            }
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

    it(`[L-SYNC-14] closes a connection that stops reading while a busy board sends to it with "too slow" (${CLOSE.tooSlow})`, async () => {
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
    it('[L-SYNC-5] refuses a ninth connection from one session (LIMIT_CONNECTIONS_PER_SESSION) with 429', async () => {
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

    it('[L-SYNC-2] answers unknown board ids and invented room names with 404 and keeps no room for them', async () => {
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

    it('[L-SYNC-1] refuses an upgrade from a foreign Origin (cross-site WebSocket hijacking) with 403, even with a valid session', async () => {
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

  describe('the present link', () => {
    const s = serverFor();
    let server: TestServer;
    beforeAll(() => void (server = s.current));
    it('[L-PRESENT-6] refuses an upgrade with a present token, as a token or in the present cookie, and keeps no room for it', async () => {
      const board = await boardWithHonestPair(server);
      const token = board.workshop.links.present.split('/p/')[1];
      const rooms = server.running.realtime.sync.roomCount();
      const byQuery = await upgrade(`${server.wsUrl}/sync/${board.boardId}?token=${token}`);
      expect(byQuery.status).toBe(401);
      expect(byQuery.body.error.code).toBe('not_signed_in');
      const byCookie = await upgrade(`${server.wsUrl}/sync/${board.boardId}`, {
        headers: { cookie: `rt_present_${board.workshop.id}=${token}; rt_session_${board.workshop.id}=${token}` }
      });
      expect(byCookie.body.error.code).toBe('not_signed_in');
      expect(byCookie.status).toBe(401);
      expect(server.running.realtime.sync.roomCount()).toBe(rooms);
      await expectHealthy(server);
      await expectStillSyncing(board);
    });
  });

  describe('failed upgrades from one address', () => {
    const s = serverFor();
    let server: TestServer;
    beforeAll(() => void (server = s.current));

    it('[L-SYNC-6] refuses an address that keeps failing upgrades with 429, and still lets signed-in people in', async () => {
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
