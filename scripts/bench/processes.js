// npm run bench -- --processes 1,2,3: the many-workshops and forum scenarios served by 1, 2 and 3
// server processes sharing Redis and Postgres (throwaway ones, or REDIS_URL and DATABASE_URL),
// beside one process on SQLite (no Redis, no Postgres: the laptop default), with the load spread
// over the processes as the proxy would send it.
//
// - many workshops: 100 boards of 10 people, each typing 1 edit a second. Each person connects to
//   the process deploy/nginx.conf's `hash $board_id consistent` would choose for the board
//   (boardProcess below), so a board's people meet on one process, except a few boards (one in
//   ten) where one person is connected to another process, as someone moved there by a dead
//   process would be: their edits, and everyone else's to them, cross processes. Reports latency
//   for pairs on one process and pairs across, delivered edits a second, and the server CPU of
//   every process together per delivered edit, also beside one process carrying one process's
//   share of the load (1/n of the boards: a process's CPU per edit rises as it gets less busy, so
//   only that comparison tells what being one of n costs). Then n processes with n times the
//   workshops ("2x load"): each process as busy as one alone with 100, so delivered edits a second
//   at equal p99 say whether throughput grows with processes. Each process's user and system CPU
//   and wake-ups are in the JSON written.
// - forum: one board, 1,000 people (50 typing 2 edits a second, 950 watching), spread over the
//   processes in turn: what a forum too big for one process would need behind the proxy.
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import pg from 'pg';
import { freePort, reniceTree, sleep, startPostgres, startRedis, stopChild, whenHealthy } from '../lib/services.js';
import { crossingAdds } from './crossing.js';
import { Histogram, mapLimit, nowUs } from './lib.js';

const TICKS = 100;

// One board in SPLIT_EVERY has a person on another process (BENCH_PROCESSES_SPLIT_EVERY; 0: none,
// to tell what crossing costs from what running more processes costs).
const SPLIT_EVERY = Number(process.env.BENCH_PROCESSES_SPLIT_EVERY ?? 10);
/** A process's CPU so far, in seconds: user and system (kernel) time. */
function cpuOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const wakeups = Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { user: Number(fields[11]) / TICKS, sys: Number(fields[12]) / TICKS, wakeups };
  } catch {
    return { user: 0, sys: 0, wakeups: 0 };
  }
}

/**
 * The process nginx's `hash $board_id consistent` sends a board to, approximately: a ring of 160
 * points per server (as nginx's ketama-compatible hashing has), each the CRC32 of the server's
 * address and the point's number, and the board goes to the first point at or after the CRC32 of
 * its id. nginx derives its points from the address slightly differently (it chains the previous
 * point's hash), so the same board may land on a different process than under nginx; what the
 * bench needs, and what this keeps, is the shape: boards spread near-evenly, each wholly on one
 * process, and only about 1/n of them moving when a process is added.
 */
export function boardProcess(boardId, addresses) {
  const ring = [];
  addresses.forEach((address, proc) => {
    for (let j = 0; j < 160; j++) ring.push({ point: zlib.crc32(`${address}-${j}`), proc });
  });
  ring.sort((a, b) => a.point - b.point);
  const h = zlib.crc32(boardId);
  return (ring.find((r) => r.point >= h) ?? ring[0]).proc;
}

async function post(base, p, body) {
  const r = await fetch(base + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await r.json().catch(() => null);
  if (r.status >= 300) throw new Error(`POST ${p} answered ${r.status}: ${JSON.stringify(json)}`);
  return json;
}

async function startServers(root, n, { redisUrl, databaseUrl, tmp, label }) {
  const servers = [];
  for (let i = 0; i < n; i++) {
    const port = await freePort();
    const env = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(tmp, `${label}-${i}`),
      LOG_LEVEL: 'error',
      PUBLIC_URL: '',
      LIMIT_CREATE_PER_HOUR: '100000',
      LIMIT_CONNECTIONS_PER_SESSION: '100',
      // Every simulated person comes from 127.0.0.1: one slow upgrade under load must not shut
      // the address out for everyone after it.
      LIMIT_FAILED_UPGRADES: '1000000'
    };
    delete env.REDIS_URL;
    delete env.DATABASE_URL;
    if (redisUrl) env.REDIS_URL = redisUrl;
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles every process.
    const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    // BENCH_PROCESSES_GC=1: V8 logs every garbage collection of every process (--trace-gc-nvp, to
    // a file), and the report says how long the collections in the window stopped each process.
    const gcLog = process.env.BENCH_PROCESSES_GC === '1' ? path.join(tmp, `${label}-${i}.gc.log`) : null;
    if (gcLog) nodeArgs.push('--trace-gc-nvp');
    const startedAt = Date.now();
    const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist/server.js')], {
      cwd: root,
      env,
      stdio: ['ignore', gcLog ? fs.openSync(gcLog, 'w') : 'ignore', 'inherit']
    });
    servers.push({
      child,
      gcLog,
      startedAt,
      address: `127.0.0.1:${port}`,
      httpBase: `http://127.0.0.1:${port}`,
      wsBase: `ws://127.0.0.1:${port}`
    });
    if (!(await whenHealthy(port, child))) throw new Error(`server process ${i + 1} of ${n} did not start`);
  }
  return servers;
}

class Generator {
  constructor(root) {
    this.child = fork(path.join(root, 'scripts/bench/loadgen.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['--max-old-space-size=2048']
    });
    this.waiters = new Map();
    this.child.on('message', (m) => {
      if (m.type === 'error') console.error(`load generator: ${m.message}`);
      const w = this.waiters.get(m.type);
      if (w) {
        this.waiters.delete(m.type);
        w(m);
      }
    });
  }
  request(msg, want, ms) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`load generator: no ${want} in time`)), ms);
      this.waiters.set(want, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.child.send(msg);
    });
  }
  close() {
    try {
      this.child.send({ type: 'close' });
    } catch {
      // gone
    }
    return stopChild(this.child);
  }
}

/** Transactions committed in a Postgres database so far (null on SQLite). */
async function commitsOf(databaseUrl) {
  if (!databaseUrl) return null;
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const r = await c.query('SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(r.rows[0].n);
  } finally {
    await c.end();
  }
}

/**
 * The garbage collections of one server process within [from, to] (wall-clock ms), from its
 * --trace-gc-nvp log: each line's time is ms since the process's V8 started, which is within a few
 * tens of ms of when it was spawned. Scavenges (young generation) and mark-compacts apart, with
 * how long each stopped the process.
 */
function gcIn(server, from, to) {
  if (!server.gcLog) return null;
  const young = [];
  const full = [];
  for (const line of fs.readFileSync(server.gcLog, 'utf8').split('\n')) {
    const m = /\s(\d+) ms: pause=([\d.]+) .*?gc=(\w+)/.exec(line);
    if (!m) continue;
    const at = server.startedAt + Number(m[1]);
    if (at < from || at > to) continue;
    (m[3] === 's' ? young : full).push(Number(m[2]));
  }
  const sum = (xs) => Math.round(xs.reduce((a, b) => a + b, 0) * 10) / 10;
  young.sort((a, b) => a - b);
  return {
    scavenges: young.length,
    scavengeMs: sum(young),
    scavengeP50Ms: young.length ? young[young.length >> 1] : null,
    scavengeMaxMs: young.length ? young[young.length - 1] : null,
    markCompacts: full.length,
    markCompactMs: sum(full),
    // The share of the window this process stood still for collections.
    stoppedPct: Math.round(((sum(young) + sum(full)) / (to - from)) * 1000) / 10
  };
}

/** Runs `clients` over `genCount` generators for one window; all servers' CPU over the window. */
async function measure(root, servers, clients, { genCount, editsPerSec, durationS, quick, databaseUrl, pairSenders = null }) {
  const senderProc = Object.fromEntries(clients.map((c) => [c.sender, c.proc]));
  const gens = Array.from({ length: genCount }, () => new Generator(root));
  try {
    const groups = gens.map(() => []);
    clients.forEach((c, i) => groups[i % genCount].push(c));
    const config = {
      wsBase: servers[0].wsBase,
      httpBase: servers[0].httpBase,
      connectTimeoutMs: 60_000,
      senderProc,
      pairSenders,
      rampBatch: 10,
      rampGapMs: 40
    };
    const ready = await Promise.all(gens.map((g, i) => g.request({ type: 'setup', config, clients: groups[i] }, 'ready', 120_000)));
    for (const r of ready) for (const e of r.errors) console.error(`  connect problem: ${e}`);
    await sleep(quick ? 200 : 2000);
    const startAt = nowUs() + 300_000;
    const drainMs = quick ? 500 : 3000;
    const replies = Promise.all(
      gens.map((g) =>
        g.request(
          { type: 'run', startAt, durationMs: durationS * 1000, periodMs: 1000 / editsPerSec, drainMs },
          'done',
          durationS * 1000 + 90_000
        )
      )
    );
    await sleep((startAt - nowUs()) / 1000);
    const cpu0 = servers.map((s) => cpuOf(s.child.pid));
    const windowFrom = Date.now();
    const commits0 = commitsOf(databaseUrl);
    await sleep((startAt - nowUs()) / 1000 + durationS * 1000);
    const windowTo = Date.now();
    const cpuEach = servers.map((s, i) => {
      const now = cpuOf(s.child.pid);
      return { user: now.user - cpu0[i].user, sys: now.sys - cpu0[i].sys, wakeups: now.wakeups - cpu0[i].wakeups };
    });
    const cpuSec = cpuEach.reduce((sum, c) => sum + c.user + c.sys, 0);
    const commits1 = commitsOf(databaseUrl);
    // Postgres's statistics reach pg_stat_database within about a second (the stats collector's
    // flush), hence the wait; the counts are of the whole window either way.
    await sleep(1200);
    const [c0, c1] = await Promise.all([commits0, commits1]);
    const done = await replies;
    const all = new Histogram();
    const same = new Histogram();
    const cross = new Histogram();
    let sent = 0;
    let delivered = 0;
    let failed = 0;
    let dropped = 0;
    for (const d of done) {
      all.merge(d.hist);
      same.merge(d.histSame);
      cross.merge(d.histCross);
      sent += d.sent;
      delivered += d.deliveredInWindow;
      failed += d.failed; // counts those that failed to connect, too
      dropped += d.dropped;
    }
    return {
      people: clients.length,
      sent,
      delivered,
      deliveredPerSec: Math.round(delivered / durationS),
      all: all.summary(),
      same: same.summary(),
      cross: cross.summary(),
      crossingAdds: pairSenders ? crossingAdds(done.map((d) => d.pairs ?? [])) : null,
      serverCpuSec: Math.round(cpuSec * 100) / 100,
      // Each process's CPU over the window, user and system (kernel) seconds: where the time went.
      // wakeups: the times its main thread went to sleep waiting for work (voluntary context switches).
      serverCpuEach: cpuEach.map((c) => ({ user: Math.round(c.user * 100) / 100, sys: Math.round(c.sys * 100) / 100, wakeups: c.wakeups })),
      // Transactions a second in Postgres over the window (the relay queues' commits, mostly).
      commitsPerSec: c0 === null ? null : Math.round((c1 - c0) / durationS),
      cpuUsPerDelivered: delivered ? Math.round((cpuSec * 1e8) / delivered) / 100 : null,
      generatorLoopDelayP99Ms: Math.max(...done.map((d) => d.loopDelayMs?.p99 ?? 0)),
      // The window in wall-clock ms, for the collections in it (gcIn, once the processes exited).
      window: { from: windowFrom, to: windowTo },
      failed,
      dropped
    };
  } finally {
    await Promise.all(gens.map((g) => g.close()));
  }
}

/**
 * The many-workshops load of a run: 1/share of the boards (one process's share of the load over
 * `share` processes), or `scale` times them (n processes each carrying what one carries alone).
 */
const manySizes = (many, { share = 1, scale = 1 }) => ({ ...many, boards: Math.max(1, Math.round((many.boards * scale) / share)) });

async function runMany(root, servers, sizes, quick, databaseUrl) {
  const n = servers.length;
  const addresses = servers.map((s) => s.address);
  const workshops = await mapLimit(Array.from({ length: sizes.boards }), 8, (_, i) =>
    post(servers[i % n].httpBase, '/api/workshops', { title: `Bench workshop ${i + 1}`, question: 'How fast?' })
  );
  const clients = [];
  let sender = 0;
  let splitBoards = 0;
  const jobs = [];
  // People on a split board's home process: their edits reach people on their process and the
  // one on the next, so what crossing adds is read per edit (crossingAdds).
  const pairSenders = [];
  workshops.forEach((w, bi) => {
    const boardId = w.boards[0].id;
    const home = boardProcess(boardId, addresses);
    // One board in ten is split: its last person is on the next process, as after a failover.
    const split = n > 1 && SPLIT_EVERY > 0 && bi % SPLIT_EVERY === 0;
    if (split) splitBoards++;
    for (let i = 0; i < sizes.people; i++) {
      const proc = split && i === sizes.people - 1 ? (home + 1) % n : home;
      sender++;
      if (split && proc === home) pairSenders.push(sender);
      const c = {
        kind: 'write',
        writer: true,
        measure: true,
        sender,
        proc,
        wsBase: servers[proc].wsBase,
        boardId,
        name: `Person ${bi + 1}-${i + 1}`,
        cardId: `lw${sender}`
      };
      clients.push(c);
      jobs.push({ c, invite: w.links.member.split('/j/')[1], base: servers[proc].httpBase });
    }
  });
  await mapLimit(jobs, 16, async (j) => {
    j.c.token = (await post(j.base, '/api/join', { token: j.invite, name: j.c.name })).sessionToken;
  });
  const perProcess = servers.map((_, p) => new Set(clients.filter((c) => c.proc === p).map((c) => c.boardId)).size);
  const r = await measure(root, servers, clients, {
    genCount: quick ? 1 : 3,
    editsPerSec: sizes.editsPerSec,
    durationS: sizes.durationS,
    quick,
    databaseUrl,
    pairSenders: pairSenders.length ? pairSenders : null
  });
  return { ...r, boards: sizes.boards, splitBoards, boardsPerProcess: perProcess };
}

async function runForum(root, servers, sizes, quick, databaseUrl) {
  const n = servers.length;
  const w = await post(servers[0].httpBase, '/api/workshops', { title: 'Bench forum', question: 'How fast?' });
  const boardId = w.boards[0].id;
  const invite = w.links.member.split('/j/')[1];
  const clients = [];
  for (let i = 0; i < sizes.writers + sizes.watchers; i++) {
    const proc = i % n;
    const writer = i < sizes.writers;
    const sender = i + 1;
    clients.push({
      kind: writer ? 'write' : 'watch',
      writer,
      measure: true,
      sender,
      proc,
      wsBase: servers[proc].wsBase,
      boardId,
      name: `Person ${sender}`,
      cardId: writer ? `lw${sender}` : null
    });
  }
  await mapLimit(clients, 16, async (c) => {
    c.token = (await post(servers[c.proc].httpBase, '/api/join', { token: invite, name: c.name })).sessionToken;
  });
  return measure(root, servers, clients, {
    genCount: quick ? 1 : 3,
    editsPerSec: sizes.editsPerSec,
    durationS: sizes.durationS,
    quick,
    databaseUrl
  });
}

/** BENCH_PROCESSES_NICE as a nice value (-20 to 19), or null when unset. */
function niceValue() {
  const raw = process.env.BENCH_PROCESSES_NICE;
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < -20 || n > 19)
    throw new Error(`BENCH_PROCESSES_NICE must be a whole number from -20 to 19, not "${raw}"`);
  if (n < 0 && process.getuid?.() !== 0) throw new Error('BENCH_PROCESSES_NICE below 0 needs root (or leave it unset)');
  return n;
}

export async function runProcesses(root, counts, { quick = false, out = 'bench/results' } = {}) {
  const nice = niceValue();
  const started = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-bench-processes-'));
  const sizes = quick
    ? {
        many: { boards: 4, people: 3, editsPerSec: 2, durationS: 1.5 },
        forum: { writers: 4, watchers: 30, editsPerSec: 2, durationS: 1.5 }
      }
    : {
        // BENCH_PROCESSES_BOARDS: fewer (or more) workshops than the issue's 100, e.g. to see what
        // crossing costs on a machine with cores to spare.
        many: { boards: Number(process.env.BENCH_PROCESSES_BOARDS) || 100, people: 10, editsPerSec: 1, durationS: 20 },
        forum: { writers: 50, watchers: 950, editsPerSec: 2, durationS: 20 }
      };
  try {
    const redisUrl = process.env.REDIS_URL || (await startRedis(started));
    const pgAdminUrl = process.env.DATABASE_URL || (await startPostgres(started, tmp, 'bench'));
    // BENCH_PROCESSES_NICE=-10 (root only below 0): the servers, and the Redis and Postgres the
    // bench started, run at that nice value while the load generators keep 0, to see how much of a
    // reading is waiting for a core on a machine the generators share (docs/PERFORMANCE.md).
    if (nice !== null) for (const s of started) reniceTree(s.pid, nice);
    // BENCH_PROCESSES_ONLY=many (or forum) runs one scenario; BENCH_PROCESSES_NO_SQLITE=1 skips the
    // SQLite baseline (for profiling one setup).
    // For each n > 1, one process also carries one process's share of the many-workshops load (the
    // boards hashed to it, 1/n of them, none split): CPU per edit rises as a process gets less busy
    // (fewer edits share each wake-up and each commit), so this, not the full load on one process,
    // is what tells what being one of n costs.
    const runs = [
      ...(process.env.BENCH_PROCESSES_NO_SQLITE ? [] : [{ label: 'sqlite', n: 1, sqlite: true }]),
      ...counts.map((n) => ({ label: `pg${n}`, n })),
      ...counts.filter((n) => n > 1).map((share) => ({ label: `pg1share${share}`, n: 1, share, only: 'many' })),
      // And n processes with n times the workshops (BENCH_PROCESSES_SCALED=0 leaves these out): each
      // process as busy as one process alone with the whole load, so delivered edits a second at
      // equal p99 show whether throughput grows with processes, and CPU per edit compares at the
      // same busyness. On a 2-core machine 3 processes, their generators and Postgres at 3x the
      // load want more than the 2 cores there are, so only the 2-process figure says much there.
      ...(process.env.BENCH_PROCESSES_SCALED === '0'
        ? []
        : counts.filter((n) => n > 1).map((n) => ({ label: `pg${n}scaled`, n, scale: n, only: 'many' })))
    ];
    const scenarios = process.env.BENCH_PROCESSES_ONLY ? [process.env.BENCH_PROCESSES_ONLY] : ['many', 'forum'];
    const rows = [];
    for (const run of runs) {
      const what = run.sqlite
        ? '1 process on SQLite'
        : `${run.n} process${run.n === 1 ? '' : 'es'} on Redis and Postgres${run.share ? `, 1/${run.share} of the load` : ''}${run.scale ? `, ${run.scale} times the load` : ''}`;
      const row = {
        store: run.sqlite ? 'sqlite' : 'postgres',
        processes: run.n,
        share: run.share ?? 1,
        scale: run.scale ?? 1,
        load: os.loadavg()[0]
      };
      for (const scenario of scenarios) {
        if (run.only && run.only !== scenario) continue;
        let databaseUrl = null;
        if (!run.sqlite) {
          const database = `bench_${run.label}_${scenario}_${Date.now().toString(36)}`;
          const admin = new pg.Client({ connectionString: pgAdminUrl });
          admin.on('error', () => undefined); // the query's own rejection says what went wrong
          await admin.connect();
          try {
            await admin.query(`CREATE DATABASE ${database}`);
          } finally {
            await admin.end();
          }
          databaseUrl = pgAdminUrl.replace(/\/[^/]*$/, `/${database}`);
        }
        process.stdout.write(`==> ${what}: ${scenario === 'many' ? 'many workshops' : 'forum'}\n`);
        const servers = await startServers(root, run.n, {
          redisUrl: run.sqlite ? null : redisUrl,
          databaseUrl,
          tmp,
          label: `${run.label}-${scenario}`
        });
        if (nice !== null) for (const s of servers) reniceTree(s.child.pid, nice);
        try {
          row[scenario] =
            scenario === 'many'
              ? await runMany(root, servers, manySizes(sizes.many, run), quick, databaseUrl)
              : await runForum(root, servers, sizes.forum, quick, databaseUrl);
        } finally {
          await Promise.all(servers.map((s) => stopChild(s.child)));
        }
        // V8 writes its log through a buffer: read once the processes have exited.
        const w = row[scenario]?.window;
        if (w && servers.some((s) => s.gcLog)) row[scenario].gc = servers.map((s) => gcIn(s, w.from, w.to));
      }
      rows.push(row);
    }
    // CPU per delivered edit beside one process on SQLite (the laptop default), beside one process
    // on Redis and Postgres with the whole load (the same stack), and, for n processes, beside one
    // process carrying one process's share (what being one of n costs, at the same busyness).
    const sqlite = rows.find((r) => r.store === 'sqlite');
    const pg1 = rows.find((r) => r.store === 'postgres' && r.processes === 1 && r.share === 1 && r.scale === 1);
    const pct = (a, b) => (a && b ? `${Math.round((100 * a) / b)}%` : '-');
    const lat = (s) => (s.count ? `${s.p50} / ${s.p99}` : '-');
    const setup = (r) => `${r.processes} x ${r.store}${r.share > 1 ? ` 1/${r.share}` : ''}${r.scale > 1 ? ` ${r.scale}x load` : ''}`;
    const cpu = (r, scenario) => {
      const v = r[scenario].cpuUsPerDelivered;
      return `${v} (${pct(v, sqlite?.[scenario]?.cpuUsPerDelivered)}, ${pct(v, pg1?.[scenario]?.cpuUsPerDelivered)})`;
    };
    const cpuHead = 'CPU µs per delivered (vs SQLite, vs 1 x postgres)';
    const shareHead = 'vs 1 process, same share';
    if (scenarios.includes('many')) {
      console.log(
        `\nmany workshops: ${sizes.many.boards} boards x ${sizes.many.people} people, ${sizes.many.editsPerSec} edit/s each, boards hashed to processes (1 in ${SPLIT_EVERY || '-'} split); 1/n: one process with 1/n of the boards${nice === null ? '' : `; servers, Redis and Postgres at nice ${nice}, generators at 0`}`
      );
      console.log(
        `setup                | same p50 / p99 ms | across p50 / p99 ms | crossing adds p50 / p99 ms (within) | delivered/s | ${cpuHead} | ${shareHead} | failed/dropped | commits/s`
      );
      for (const r of rows) {
        const m = r.many;
        if (!m) continue;
        // Beside one process as busy as each of these: with 1/n of the load, or (n times the load
        // over n processes) with the whole of it.
        const alone = (r.scale > 1 ? pg1 : rows.find((x) => x.share === r.processes && x.share > 1))?.many;
        console.log(
          `${setup(r).padEnd(20)} | ${lat(m.same).padStart(17)} | ${lat(m.cross).padStart(19)} | ${(m.crossingAdds?.count ? `${m.crossingAdds.p50} / ${m.crossingAdds.p99} (${m.crossingAdds.within.count ? `${m.crossingAdds.within.p50} / ${m.crossingAdds.within.p99}` : '-'})` : '-').padStart(35)} | ${String(m.deliveredPerSec).padStart(11)} | ${cpu(r, 'many').padStart(cpuHead.length)} | ${pct(m.cpuUsPerDelivered, alone?.cpuUsPerDelivered).padStart(shareHead.length)} | ${m.failed}/${m.dropped} | ${m.commitsPerSec ?? '-'}`
        );
      }
    }
    if (scenarios.includes('forum')) {
      console.log(
        `\nforum: 1 board, ${sizes.forum.writers + sizes.forum.watchers} people (${sizes.forum.writers} typing ${sizes.forum.editsPerSec} edits/s), spread over the processes in turn`
      );
      console.log(`setup                | all p50 / p99 ms | delivered/s | ${cpuHead} | failed/dropped | commits/s`);
      for (const r of rows) {
        const f = r.forum;
        if (!f) continue;
        console.log(
          `${setup(r).padEnd(20)} | ${lat(f.all).padStart(16)} | ${String(f.deliveredPerSec).padStart(11)} | ${cpu(r, 'forum').padStart(cpuHead.length)} | ${f.failed}/${f.dropped} | ${f.commitsPerSec ?? '-'}`
        );
      }
    }
    if (rows.some((r) => r.many?.gc || r.forum?.gc)) {
      console.log(
        '\ngarbage collection in the window, each process: scavenges, their total / median / longest pause ms, mark-compacts, % of the window stopped'
      );
      for (const r of rows) {
        for (const scenario of scenarios) {
          const gc = r[scenario]?.gc;
          if (!gc) continue;
          const each = gc.map(
            (g) => `${g.scavenges} x ${g.scavengeMs} / ${g.scavengeP50Ms} / ${g.scavengeMaxMs} ms, ${g.markCompacts} mc, ${g.stoppedPct}%`
          );
          console.log(`${setup(r).padEnd(20)} | ${scenario.padEnd(5)} | ${each.join(' | ')}`);
        }
      }
    }
    fs.mkdirSync(path.join(root, out), { recursive: true });
    const file = path.join(root, out, `processes-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify({ when: new Date().toISOString(), loadAverage: os.loadavg(), nice, sizes, rows }, null, 2));
    console.log(`\nWrote ${path.relative(root, file)}`);
    return rows;
  } finally {
    for (const s of started.reverse()) await Promise.resolve(s.stop()).catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
