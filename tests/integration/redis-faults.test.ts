// Issue 14, faults: separate server processes (node dist/server.js, tests/helpers/process-server.ts)
// sharing one real Postgres (DATABASE_URL, tests/helpers/postgres.ts) and one real redis-server, with standard y-websocket pages and
// socket.io clients on them. One process is killed with SIGKILL during an edit burst; Redis is
// killed and started again (empty) during a session; a process that cannot reach Redis says so
// in /healthz. Nothing anyone had is lost in any of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addCard, readLanes } from '../../src/lib/board/schema';
import { tempDataDir } from '../helpers/server';
import { freePort, spawnServer, type ServerProcess } from '../helpers/process-server';
import { connectBoard, connectSession, createWorkshop, join, type BoardClient, type SessionClient } from '../helpers/clients';
import { startRedis, type TestRedis } from '../helpers/redis';
import { testDatabase } from '../helpers/postgres';
import { startPostgres, type StartedService } from '../../scripts/lib/services.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const texts = (c: BoardClient) =>
  Object.values(readLanes(c.doc))
    .flat()
    .map((card) => card.text.toString());

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not met in time`);
    await sleep(50);
  }
}

function namesSeenBy(client: BoardClient): string[] {
  const names: string[] = [];
  client.provider.awareness.getStates().forEach((state) => {
    const user = (state as { user?: { name?: unknown } }).user;
    if (typeof user?.name === 'string') names.push(user.name);
  });
  return names;
}

const ENV = { LIMIT_RELEASE_WINDOW_MS: '200', LIMIT_PING_INTERVAL_MS: '1000' };

describe('faults with several processes', () => {
  let redis: TestRedis;
  let dataDir: string;
  let databaseUrl: string;
  const procs: ServerProcess[] = [];
  const boards: BoardClient[] = [];
  const sessions: SessionClient[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    dataDir = tempDataDir();
    databaseUrl = (await testDatabase()).url;
    for (let i = 0; i < 3; i++) {
      procs.push(await spawnServer(dataDir, await freePort(), { ...ENV, REDIS_URL: redis.url, DATABASE_URL: databaseUrl }));
    }
  });
  afterAll(async () => {
    for (const b of boards) b.destroy();
    for (const s of sessions) s.disconnect();
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
    await redis?.stop();
  });

  const board = (p: ServerProcess, boardId: string, token: string) => {
    const c = connectBoard(p.wsUrl, boardId, token);
    boards.push(c);
    return c;
  };

  it('[L-REDIS-6] loses nothing anyone had when one of three processes is killed during an edit burst', async () => {
    const [a, b, c] = procs;
    const w = await createWorkshop(a.url);
    const boardId = w.boards[0].id;
    const writers: { name: string; client: BoardClient; on: ServerProcess }[] = [];
    for (const [i, p] of [a, a, b, b, c, c].entries()) {
      const name = `P${i}`;
      const j = await join(p.url, w.links.member, name);
      writers.push({ name, client: board(p, boardId, j.sessionToken), on: p });
    }
    // Someone on C who is only looking, and does not come back after the kill.
    const goneJoin = await join(c.url, w.links.member, 'Gone');
    const gone = board(c, boardId, goneJoin.sessionToken);
    await Promise.all([...writers.map((x) => x.client.synced), gone.synced]);
    gone.provider.awareness.setLocalState({ user: { name: 'Gone', role: 'member', color: '#000' }, editing: null });
    const watcher = writers[0].client;
    await waitFor(() => namesSeenBy(watcher).includes('Gone'), 5000, 'presence from C seen on A');
    const PER_WRITER = 30;
    // The proxy would send the killed process's people to another one: so does their page here.
    for (const x of writers) if (x.on === c) x.client.provider.serverUrl = `${a.wsUrl}/sync`;
    let seenAtKill: Map<string, Set<string>> | null = null;
    const burst = writers.map(async (x, wi) => {
      for (let n = 0; n < PER_WRITER; n++) {
        addCard(x.client.doc, n % 2 ? 'problems' : 'solutions', `${x.name}-${n}`);
        if (wi === 0 && n === PER_WRITER / 2) {
          // Half-way: what every page has now must survive the kill.
          seenAtKill = new Map(writers.map((y) => [y.name, new Set(texts(y.client))]));
          c.child.kill('SIGKILL');
          gone.provider.shouldConnect = false;
        }
        await sleep(15);
      }
    });
    await Promise.all(burst);
    await c.exited;
    const everything = writers.flatMap((x) => Array.from({ length: PER_WRITER }, (_, n) => `${x.name}-${n}`)).sort();
    // Every page, the killed process's people's too (now on A), ends with every card written.
    await waitFor(() => writers.every((x) => texts(x.client).length === everything.length), 20_000, 'every page has every card');
    for (const x of writers) expect(texts(x.client).sort()).toEqual(everything);
    for (const [, seen] of seenAtKill!) for (const t of seen) expect(everything).toContain(t);
    // And the store has it all: a newcomer on B loads it.
    const late = await join(b.url, w.links.member, 'Late');
    const fresh = board(b, boardId, late.sessionToken);
    await fresh.synced;
    await waitFor(() => texts(fresh).length === everything.length, 10_000, 'a newcomer has every card');
    // The killed process's heartbeat stopped: the person who did not come back leaves presence
    // on the others (within the heartbeat's time to live).
    await waitFor(() => !namesSeenBy(watcher).includes('Gone'), 10_000, "the killed process's people leave presence");
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
  }, 60_000);

  it('[L-REDIS-7] carries on after Redis restarts mid-session: edits and commands go through, none lost', async () => {
    const [a, b] = procs;
    const w = await createWorkshop(a.url);
    const boardId = w.boards[0].id;
    const fay = await join(a.url, w.links.facilitator, 'Fay');
    const ann = await join(b.url, w.links.member, 'Ann');
    const facilitator = await connectSession(a.url, w.id, fay.sessionToken);
    const member = await connectSession(b.url, w.id, ann.sessionToken);
    sessions.push(facilitator, member);
    const onA = board(a, boardId, fay.sessionToken);
    const onB = board(b, boardId, ann.sessionToken);
    await Promise.all([onA.synced, onB.synced]);
    addCard(onA.doc, 'problems', 'before');
    await waitFor(() => texts(onB).includes('before'), 5000, 'relayed before the restart');

    await redis.stop();
    // While Redis is away: each process still stores what it takes (the store is the record).
    addCard(onA.doc, 'problems', 'during, on A');
    addCard(onB.doc, 'solutions', 'during, on B');
    expect((await member.run({ type: 'hand.raise' })).ok).toBe(true);
    await sleep(500);
    await redis.start();
    await waitFor(async () => (await fetch(`${a.url}/healthz`)).status === 200 && (await fetch(`${b.url}/healthz`)).status === 200);

    // Both processes read their rooms back from the store: what was taken meanwhile arrives.
    await waitFor(() => texts(onA).includes('during, on B') && texts(onB).includes('during, on A'), 10_000, 'resynced');
    addCard(onB.doc, 'solutions', 'after');
    await waitFor(() => texts(onA).includes('after'), 5000, 'relayed after the restart');
    // A's cached state was read again: its command keeps Ann's hand, raised through B meanwhile.
    await waitFor(async () => (await facilitator.run({ type: 'phase.go', index: 1 })).ok, 5000, 'a command through A');
    const state = await member.stateWhere((s) => s.phaseIndex === 1, 5000);
    expect(state.queue.map((q) => q.name)).toEqual(['Ann']);
    expect(texts(onA).sort()).toEqual(['after', 'before', 'during, on A', 'during, on B']);
    expect(texts(onB).sort()).toEqual(['after', 'before', 'during, on A', 'during, on B']);
  }, 60_000);

  it('[L-REDIS-5] says so in /healthz (503) when it cannot reach Redis, from its start', async () => {
    const deadPort = await freePort(); // nothing listens here
    const port = await freePort();
    const child = spawn(process.execPath, [path.resolve('dist/server.js')], {
      env: {
        ...process.env,
        ...ENV,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        REDIS_URL: `redis://127.0.0.1:${deadPort}`
      },
      stdio: 'ignore'
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      let answer: { status: number; body: { ok: boolean; problem?: string } } | null = null;
      await waitFor(async () => {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/healthz`);
          answer = { status: res.status, body: (await res.json()) as { ok: boolean; problem?: string } };
          return true;
        } catch {
          return false;
        }
      });
      expect(answer!.status).toBe(503);
      expect(answer!.body.problem).toMatch(/Redis cannot be reached/);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 30_000);
});

describe('Postgres restarting under several processes', () => {
  const started: StartedService[] = [];
  let redis: TestRedis;
  let tmp: string;
  const procs: ServerProcess[] = [];
  const boards: BoardClient[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-pg-restart-'));
    // A Postgres of this test's own: the run's shared one must not be restarted under other files.
    const url = await startPostgres(started, tmp);
    for (let i = 0; i < 2; i++)
      procs.push(await spawnServer(tempDataDir(), await freePort(), { ...ENV, REDIS_URL: redis.url, DATABASE_URL: url }));
  });
  afterAll(async () => {
    for (const b of boards) b.destroy();
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    for (const s of started.reverse()) await Promise.resolve(s.stop()).catch(() => undefined);
    await redis?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('[L-REDIS-9] holds edits while Postgres is down (relaying none), and delivers them all once it is back', async () => {
    const [a, b] = procs;
    const w = await createWorkshop(a.url);
    const boardId = w.boards[0].id;
    const tokens = await Promise.all(
      ['Ann', 'Bo', 'Cy'].map(async (n, i) => (await join([a, a, b][i].url, w.links.member, n)).sessionToken)
    );
    const writer = connectBoard(a.wsUrl, boardId, tokens[0]);
    const sameProcess = connectBoard(a.wsUrl, boardId, tokens[1]);
    const otherProcess = connectBoard(b.wsUrl, boardId, tokens[2]);
    boards.push(writer, sameProcess, otherProcess);
    await Promise.all([writer.synced, sameProcess.synced, otherProcess.synced]);
    addCard(writer.doc, 'problems', 'before');
    await waitFor(() => texts(otherProcess).includes('before'), 5000, 'relayed before');

    const pgServer = started.find((s) => s.name === 'Postgres')!;
    pgServer.crash!();
    addCard(writer.doc, 'problems', 'while the database is down');
    await sleep(1500);
    // Not stored, so relayed to nobody: not on the same process, not on the other.
    expect(texts(sameProcess)).not.toContain('while the database is down');
    expect(texts(otherProcess)).not.toContain('while the database is down');
    expect((await fetch(`${a.url}/healthz`)).status).toBe(503);

    pgServer.start!();
    await waitFor(
      () => texts(sameProcess).includes('while the database is down') && texts(otherProcess).includes('while the database is down'),
      20_000,
      'delivered once the database is back'
    );
    await waitFor(async () => (await fetch(`${a.url}/healthz`)).status === 200, 10_000, 'healthy again');
  }, 60_000);

  it('[L-REDIS-16] tells the pages of a board whose edits cannot be stored while Postgres is down that they are not saved, and then that they are', async () => {
    const [a, b] = procs;
    const w = await createWorkshop(a.url);
    const boardId = w.boards[0].id;
    const tokens = await Promise.all(['Ann', 'Bo'].map(async (n, i) => (await join([a, b][i].url, w.links.member, n)).sessionToken));
    const writer = connectBoard(a.wsUrl, boardId, tokens[0]);
    const reader = connectBoard(b.wsUrl, boardId, tokens[1]);
    boards.push(writer, reader);
    await Promise.all([writer.synced, reader.synced]);
    addCard(writer.doc, 'problems', 'before');
    await waitFor(() => texts(reader).includes('before'), 5000, 'relayed before');
    expect(writer.saving).toEqual([]);

    const pgServer = started.find((s) => s.name === 'Postgres')!;
    pgServer.crash!();
    addCard(writer.doc, 'problems', 'while the database is down');
    // The writer's process holds the edit and says so; nothing of it is relayed.
    await waitFor(() => writer.saving.length > 0, 10_000, 'the writer told its edit is not saved');
    expect(writer.saving).toEqual([true]);
    expect(texts(reader)).not.toContain('while the database is down');

    pgServer.start!();
    await waitFor(() => texts(reader).includes('while the database is down'), 20_000, 'delivered once the database is back');
    // Told it is saved, once.
    await waitFor(() => writer.saving.length > 1, 5000, 'the writer told its edit is saved');
    expect(writer.saving).toEqual([true, false]);
    await waitFor(async () => (await fetch(`${a.url}/healthz`)).status === 200, 10_000, 'healthy again');
  }, 60_000);
});
