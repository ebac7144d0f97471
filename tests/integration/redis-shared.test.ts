// Issue 14: two server processes' worth of the real server (each its own realtime core, its own
// http port), sharing one real Postgres (DATABASE_URL) and one real redis-server (tests/helpers/redis.ts). What one
// process takes, people on the other see: board edits and presence (RedisRelay), commands'
// results (socket.io's Redis streams adapter), locks (the refreshed facilitation state), the
// limits (rate limits and connections per session counted in Redis), and /healthz says when Redis
// is away. The same rules with separate OS processes, and killing them, are in redis-faults.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard, readLanes } from '../../src/lib/board/schema';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { api, connectBoard, connectSession, createWorkshop, join, until, type BoardClient, type SessionClient } from '../helpers/clients';
import { startRedis, type TestRedis } from '../helpers/redis';
import { testDatabase } from '../helpers/postgres';
import { ConfigError, readConfig } from '../../server/config';
import pg from 'pg';

const texts = (c: BoardClient) =>
  Object.values(readLanes(c.doc))
    .flat()
    .map((card) => card.text.toString())
    .sort();

function namesSeenBy(client: BoardClient): string[] {
  const names: string[] = [];
  client.provider.awareness.getStates().forEach((state) => {
    const user = (state as { user?: { name?: unknown } }).user;
    if (typeof user?.name === 'string') names.push(user.name);
  });
  return names.sort();
}

async function waitFor(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('two processes sharing one Redis', () => {
  let redis: TestRedis;
  let a: TestServer;
  let b: TestServer;
  let databaseUrl: string;
  const open: { destroy(): void }[] = [];
  const sessions: SessionClient[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    const dataDir = tempDataDir();
    databaseUrl = (await testDatabase()).url;
    const env = {
      REDIS_URL: redis.url,
      DATABASE_URL: databaseUrl,
      LIMIT_CONNECTIONS_PER_SESSION: '2',
      LIMIT_CODE_GUESSES: '4'
    };
    a = await startTestServer({ dataDir, env });
    b = await startTestServer({ dataDir, env });
  });
  afterAll(async () => {
    for (const c of open) c.destroy();
    for (const s of sessions) s.disconnect();
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  const board = (server: TestServer, boardId: string, token: string) => {
    const c = connectBoard(server.wsUrl, boardId, token);
    open.push(c);
    return c;
  };
  const session = async (server: TestServer, workshopId: string, token: string) => {
    const s = await connectSession(server.url, workshopId, token);
    sessions.push(s);
    return s;
  };

  it('[L-REDIS-2] relays edits and presence from one process to the other, both ways', async () => {
    const w = await createWorkshop(a.url);
    const boardId = w.boards[0].id;
    const ann = await join(a.url, w.links.member, 'Ann');
    const bo = await join(b.url, w.links.member, 'Bo');
    const onA = board(a, boardId, ann.sessionToken);
    const onB = board(b, boardId, bo.sessionToken);
    await Promise.all([onA.synced, onB.synced]);
    addCard(onA.doc, 'problems', 'From process A');
    await until(onB.doc, () => texts(onB).includes('From process A'));
    addCard(onB.doc, 'solutions', 'From process B');
    await until(onA.doc, () => texts(onA).includes('From process B'));
    onA.provider.awareness.setLocalState({ user: { name: 'Ann', role: 'member', color: '#000' }, editing: null });
    onB.provider.awareness.setLocalState({ user: { name: 'Bo', role: 'member', color: '#000' }, editing: null });
    await waitFor(() => namesSeenBy(onA).join() === 'Ann,Bo' && namesSeenBy(onB).join() === 'Ann,Bo');
    // Someone who leaves one process leaves the other's presence too.
    onB.provider.awareness.setLocalState(null);
    await waitFor(() => namesSeenBy(onA).join() === 'Ann');
    // A newcomer on B loads the board from the store and has both cards.
    const cy = await join(b.url, w.links.member, 'Cy');
    const late = board(b, boardId, cy.sessionToken);
    await late.synced;
    expect(texts(late)).toEqual(['From process A', 'From process B']);
  });

  it('[L-REDIS-11] appends nothing to Redis for a board one process holds, and a process opening it mid-burst misses no edit', async () => {
    const w = await createWorkshop(a.url);
    const boardId = w.boards[0].id;
    const ann = await join(a.url, w.links.member, 'Ann');
    const bo = await join(b.url, w.links.member, 'Bo');
    const { Redis } = await import('ioredis');
    const peek = new Redis(redis.url);
    try {
      const onA = board(a, boardId, ann.sessionToken);
      await onA.synced;
      // Until A has read who holds the board, it appends everything, as if shared (the safe
      // side); it says "open" on the control stream once it has.
      const opened = async () => (await peek.xrange('rt:opened', '-', '+')).some(([, f]) => f[1] === boardId && f[5] === 'open');
      await waitFor(opened);
      // What A appended before it knew (its page's first presence, when that came first) is in
      // the stream ahead of "open", appended on the same connection: from here on, nothing is.
      const before = await peek.xlen(`rt:board:${boardId}`);
      onA.provider.awareness.setLocalState({ user: { name: 'Ann', role: 'member', color: '#000' }, editing: null });
      for (let i = 0; i < 5; i++) addCard(onA.doc, 'problems', `Alone ${i}`);
      // Stored (a newcomer on A gets them) but appended to no stream: nobody else holds the board.
      const check = board(a, boardId, ann.sessionToken);
      await check.synced;
      await until(check.doc, () => texts(check).length === 5);
      check.destroy();
      expect((await peek.xlen(`rt:board:${boardId}`)) - before).toBe(0);

      // Bo opens the board on B while Ann keeps typing on A, one card every few milliseconds.
      let typing = true;
      let written = 5;
      const burst = (async () => {
        while (typing) {
          addCard(onA.doc, 'problems', `Burst ${written++}`);
          await new Promise((r) => setTimeout(r, 3));
        }
      })();
      const onB = board(b, boardId, bo.sessionToken);
      await onB.synced;
      await new Promise((r) => setTimeout(r, 300));
      typing = false;
      await burst;
      addCard(onA.doc, 'problems', 'After the burst');
      const expected = texts(onA);
      expect(expected.length).toBe(written + 1);
      await until(onB.doc, () => texts(onB).length === expected.length, 10_000);
      expect(texts(onB)).toEqual(expected);
      // Now shared: B's edits reach A, and the board's stream carries them.
      addCard(onB.doc, 'solutions', 'From B');
      await until(onA.doc, () => texts(onA).includes('From B'));
      expect(await peek.xlen(`rt:board:${boardId}`)).toBeGreaterThan(0);
      // B's page hears who is on A at once (A sends its presence when B opens the board).
      await waitFor(() => namesSeenBy(onB).includes('Ann'), 3000);
    } finally {
      peek.disconnect();
    }
  });

  it('[L-REDIS-3] tells people on the other process what a command did, and a lock set on one holds on the other', async () => {
    const w = await createWorkshop(a.url);
    const boardId = w.boards[0].id;
    const fay = await join(a.url, w.links.facilitator, 'Fay');
    const ann = await join(b.url, w.links.member, 'Ann');
    const facilitator = await session(a, w.id, fay.sessionToken);
    const member = await session(b, w.id, ann.sessionToken);
    const facBoard = board(a, boardId, fay.sessionToken);
    const annBoard = board(b, boardId, ann.sessionToken);
    await Promise.all([facBoard.synced, annBoard.synced]);

    expect((await facilitator.run({ type: 'board.lock', boardId, locked: true })).ok).toBe(true);
    // The member, on the other process, hears it through the streams adapter.
    await member.stateWhere((s) => s.lockedBoards.includes(boardId));
    // And process B refuses her edit: it is never stored, never relayed.
    addCard(annBoard.doc, 'problems', 'Typed while locked');
    const fromFacilitator = addCard(facBoard.doc, 'problems', 'The facilitator may write');
    await until(annBoard.doc, () => readLanes(annBoard.doc).problems.some((c) => c.id === fromFacilitator));
    await new Promise((r) => setTimeout(r, 300));
    expect(texts(facBoard)).toEqual(['The facilitator may write']);

    // Unlocked on A: B asks her page for what it kept, and it reaches the facilitator.
    expect((await facilitator.run({ type: 'board.lock', boardId, locked: false })).ok).toBe(true);
    await until(facBoard.doc, () => texts(facBoard).includes('Typed while locked'));

    // A command through B moves the state A holds too (compare-and-set on the version).
    const hand = await member.run({ type: 'hand.raise' });
    expect(hand.ok).toBe(true);
    await facilitator.stateWhere((s) => s.queue.some((q) => q.name === 'Ann'));
    expect((await facilitator.run({ type: 'phase.go', index: 1 })).ok).toBe(true);
    await member.stateWhere((s) => s.phaseIndex === 1);
  });

  it("[L-PG-7] a lock stored through process A holds on process B before B has heard of it: B's edit is refused by the store, stored nowhere, relayed to nobody", async () => {
    const w = await createWorkshop(a.url);
    const boardId = w.boards[0].id;
    const fay = await join(a.url, w.links.facilitator, 'Fay');
    const ann = await join(b.url, w.links.member, 'Ann');
    const facilitator = await session(a, w.id, fay.sessionToken);
    const facBoard = board(a, boardId, fay.sessionToken);
    const annBoard = board(b, boardId, ann.sessionToken);
    await Promise.all([facBoard.synced, annBoard.synced]);

    // The lock, through process A, and Ann's edit through B the moment A answers: whether B's
    // cached state or the store catches it, it never reaches anyone.
    expect((await facilitator.run({ type: 'board.lock', boardId, locked: true })).ok).toBe(true);
    addCard(annBoard.doc, 'problems', 'Typed as the lock came down');
    const marker = addCard(facBoard.doc, 'problems', 'The facilitator may write');
    await until(annBoard.doc, () => readLanes(annBoard.doc).problems.some((c) => c.id === marker));
    await new Promise((r) => setTimeout(r, 300));
    expect(texts(facBoard)).toEqual(['The facilitator may write']);
    expect((await facilitator.run({ type: 'board.lock', boardId, locked: false })).ok).toBe(true);
    await until(facBoard.doc, () => texts(facBoard).includes('Typed as the lock came down'));

    // The window itself, held open: the lock is stored as A stores it (the state row, its version
    // moved on) but B is not told, as if A's announcement were still on its way. B's cache says
    // "unlocked", so B takes Ann's edit; the append checks the stored state in its transaction
    // and refuses it. Before this check, B stored and relayed it.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const row = (await db.query('SELECT state, version FROM workshop_state WHERE workshop_id = $1', [w.id])).rows[0];
      const state = JSON.parse(row.state);
      await db.query('UPDATE workshop_state SET state = $2, version = version + 1 WHERE workshop_id = $1', [
        w.id,
        JSON.stringify({ ...state, lockedBoards: [boardId] })
      ]);
      const closed = new Promise<number>((resolve) =>
        annBoard.provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0))
      );
      addCard(annBoard.doc, 'problems', 'Typed in the window');
      // Her page is told (the connection closes, and it reconnects to a room loaded from the store).
      expect(await closed).toBe(4500);
      await new Promise((r) => setTimeout(r, 500));
      expect(texts(facBoard)).not.toContain('Typed in the window');
      const stored = await db.query('SELECT count(*)::int AS n FROM board_updates WHERE board_id = $1', [boardId]);
      const late = await join(b.url, w.links.member, 'Cy');
      const fresh = board(b, boardId, late.sessionToken);
      await fresh.synced;
      expect(texts(fresh)).not.toContain('Typed in the window');
      expect(stored.rows[0].n).toBeGreaterThan(0);
      // Her page kept the card; once the board is unlocked (through A) it reaches everyone. A
      // first learns of the lock it did not store (its save meets the newer version, and it
      // reads the state again), then unlocks.
      const lockVia = async (locked: boolean) => {
        for (let i = 0; i < 3; i++) if ((await facilitator.run({ type: 'board.lock', boardId, locked })).ok) return true;
        return false;
      };
      expect(await lockVia(true)).toBe(true);
      expect(await lockVia(false)).toBe(true);
      await until(facBoard.doc, () => texts(facBoard).includes('Typed in the window'), 10_000);
    } finally {
      await db.end();
    }
  });

  it('[L-REDIS-8] shows the facilitator on one process who is online on the other, and when they leave', async () => {
    const w = await createWorkshop(a.url);
    const fay = await join(a.url, w.links.facilitator, 'Fay');
    const facilitator = await session(a, w.id, fay.sessionToken);
    const bo = await join(b.url, w.links.member, 'Bo');
    const member = await connectSession(b.url, w.id, bo.sessionToken);
    type View = { roster: { name: string; online: boolean }[] };
    const latestView = () => [...facilitator.heard].reverse().find((h) => h.event === 'facilitator')?.args[0] as View | undefined;
    const boOnline = () => latestView()?.roster.find((p) => p.name === 'Bo')?.online;
    await waitFor(() => boOnline() === true);
    member.disconnect();
    await waitFor(() => boOnline() === false);
  });

  it('[L-REDIS-4] counts connections per session and wrong join codes across both processes', async () => {
    const w = await createWorkshop(a.url);
    const boardId = w.boards[0].id;
    const ann = await join(a.url, w.links.member, 'Ann');
    const first = board(a, boardId, ann.sessionToken);
    const second = board(b, boardId, ann.sessionToken);
    await Promise.all([first.synced, second.synced]);
    // A third connection, on either process, is one too many (LIMIT_CONNECTIONS_PER_SESSION=2).
    const status = await upgradeStatus(a.url, boardId, ann.sessionToken);
    expect(status).toBe(429);

    // Wrong join codes: two on each process use up the four (LIMIT_CODE_GUESSES=4).
    const guess = (server: TestServer) => api(server.url, '/api/join', { code: 'ZZZ-ZZZ', name: 'Guesser' });
    for (const server of [a, b, a, b]) expect((await guess(server)).status).not.toBe(429);
    expect((await guess(a)).status).toBe(429);
    expect((await guess(b)).status).toBe(429);
  });

  it('[L-REDIS-5] answers /healthz with 503 and a reason while Redis is away, and 200 once it is back', async () => {
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
    await redis.stop();
    await waitFor(async () => (await fetch(`${a.url}/healthz`)).status === 503);
    const body = (await (await fetch(`${b.url}/healthz`)).json()) as { ok: boolean; problem?: string };
    expect(body.ok).toBe(false);
    expect(body.problem).toMatch(/Redis/);
    await redis.start();
    await waitFor(async () => (await fetch(`${a.url}/healthz`)).status === 200 && (await fetch(`${b.url}/healthz`)).status === 200, 10_000);
  });

  it('[L-REDIS-1] refuses a REDIS_URL it cannot use, at start, naming the variable', () => {
    expect(() => readConfig({ REDIS_URL: 'localhost:6379' })).toThrow(ConfigError);
    expect(() => readConfig({ REDIS_URL: 'http://localhost:6379' })).toThrow(/REDIS_URL must start with redis:\/\//);
    expect(() => readConfig({ REDIS_URL: 'redis://user:secret@' })).toThrow(/REDIS_URL/);
    expect(() => readConfig({ REDIS_URL: 'redis://user:secret@' })).not.toThrow(/secret/);
    expect(readConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(readConfig({}).redisUrl).toBeNull();
  });
});

/** The HTTP status a sync upgrade gets (101 when it opens). */
async function upgradeStatus(base: string, boardId: string, token: string): Promise<number> {
  const { default: WebSocket } = await import('ws');
  return new Promise((resolve) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/sync/${boardId}?token=${token}`);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}
