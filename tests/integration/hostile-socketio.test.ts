// Hostile and broken clients on socket.io (session control).
// Every case checks three things: the offending connection is refused with a named close code or
// a JSON error, the server stays up (/healthz answers 200), and honest people on the same board
// keep syncing (a card added after the attack still reaches another honest client). Each test's
// title starts with the ids of the rules of docs/LIMITS.md it proves.
import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { TestServer } from '../helpers/server';
import { join, presentTokenOf } from '../helpers/clients';
import { PRESENT_REFUSAL } from '../../server/session/index';
import { boardWithHonestPair, cleanups, expectHealthy, expectStillSyncing, serverFor, type Board } from '../helpers/hostile';

afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

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
    const socket = ioClient(server.url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth,
      ...extra
    });
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

  it('[L-IO-1] refuses a handshake from a foreign Origin', async () => {
    const { board, honest } = await freshBoard();
    const refused = connect(
      { workshopId: board.workshop.id, token: board.mallory.sessionToken },
      { extraHeaders: { origin: 'https://evil.example' } }
    );
    const err = await connectError(refused);
    expect(err).toBeInstanceOf(Error);
    // The polling transport says the same in HTTP.
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.get(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://evil.example' } }, (r) => {
        let text = '';
        r.on('data', (c) => (text += c));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, text }));
      });
      req.on('error', reject);
    });
    expect(res.status).toBe(403);
    expect(honest.connected).toBe(true);
    await expectHealthy(server);
    await expectStillSyncing(board);
  });

  it('[L-IO-2] refuses a handshake without a session with connect_error "not_signed_in"', async () => {
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

  it('[L-IO-7] answers an unknown event with "refused" (unknown_command) to that socket only', async () => {
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

  it('[L-IO-6] refuses invalid command payloads with "invalid_payload" or "unknown_command", to that client only', async () => {
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

  it('[L-IO-5] answers a flood of commands with "rate_limited" for that client only', async () => {
    const { board, mallory, honest } = await freshBoard();
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => run(mallory, { type: i % 2 ? 'hand.raise' : 'hand.lower' })));
    const codes = new Set(results.map((r) => (r.ok ? 'ok' : r.error!.code)));
    expect(codes).toContain('rate_limited');
    // The honest person's commands still go through.
    expect(await run(honest, { type: 'hand.raise' })).toEqual({ ok: true });
    await expectHealthy(server);
    await expectStillSyncing(board);
  });

  it('[L-IO-4] closes a socket.io connection that sends malformed packets, and only that one', async () => {
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
      await new Promise<void>((resolve) => raw.on('message', (m: Buffer) => m.toString().startsWith('40') && resolve()));
      for (const f of frames) raw.send(f);
      await Promise.race([
        closed,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`not closed after ${packet.toString()}`)), 5000))
      ]);
    }
    expect(await run(honest, { type: 'hand.raise' })).toEqual({ ok: true });
    await expectHealthy(server);
    await expectStillSyncing(board);
  });

  it('[L-PRESENT-5, L-PRESENT-6] a present screen: forged or misplaced credentials refused; its commands refused, floods rate limited, to it alone', async () => {
    const { board, honest } = await freshBoard();
    const workshopId = board.workshop.id;
    const token = presentTokenOf(board.workshop.links.present);
    for (const auth of [
      { workshopId, present: true },
      { workshopId, present: true, token: 'x'.repeat(43) },
      { workshopId, present: true, token: '../../etc/passwd' },
      { workshopId: 'another-workshop', present: true, token },
      { workshopId: { $ne: null }, present: true, token },
      { workshopId, present: true, token: [token] },
      // A member's session opens no present screen, and a present token is no session.
      { workshopId, present: true, token: board.mallory.sessionToken },
      { workshopId, token },
      { workshopId, present: 'yes', token }
    ]) {
      const err = await connectError(connect(auth));
      expect({ auth, code: err.data?.code }).toEqual({ auth, code: 'not_signed_in' });
    }
    const screen = connect({ workshopId, present: true, token });
    await connected(screen);
    const results = await Promise.all(Array.from({ length: 120 }, () => run(screen, { type: 'phase.go', index: 2 })));
    const codes = new Set(results.map((r) => (r.ok ? 'ok' : r.error!.code)));
    expect(codes).toEqual(new Set(['forbidden', 'rate_limited']));
    expect(results.find((r) => !r.ok && r.error?.code === 'forbidden')?.error?.message).toBe(PRESENT_REFUSAL);
    // Without an acknowledgement: a refusal to the screen alone; an unknown event likewise.
    const refusal = nextRefusal(screen);
    screen.emit('command', { type: 'workshop.delete' });
    expect((await refusal).code).toMatch(/^(forbidden|rate_limited)$/);
    const unknown = nextRefusal(screen);
    screen.emit('launchMissiles');
    expect((await unknown).code).toBe('unknown_command');
    // Nothing changed, and the honest person goes on.
    expect((await server.running.realtime.session.states.get(workshopId)).phaseIndex).toBe(0);
    expect(await run(honest, { type: 'hand.raise' })).toEqual({ ok: true });
    await expectHealthy(server);
    await expectStillSyncing(board);
  });

  it('[L-IO-3] disconnects a client whose payload is over 64 KiB, and only that client', async () => {
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
