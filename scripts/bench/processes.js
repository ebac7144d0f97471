// npm run bench -- --processes 1,2,3: the workshop scenario (one board, people typing 2 edits a
// second) served by 1, 2 and 3 server processes sharing Redis and Postgres (throwaway ones, or
// REDIS_URL and DATABASE_URL). Its people are spread over the processes in turn, as a proxy would
// send them if their board's process had died (the worst case: with hashing by board they all
// meet on one). Reports, for each count: edit-to-peer latency p50/p99 for pairs on the same
// process and pairs on different ones (the difference is what crossing processes adds), delivered
// edits a second, and server CPU (every process together) per 1,000 delivered edits.
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, sleep, startPostgres, startRedis, stopChild } from '../lib/services.js';
import { Histogram, nowUs } from './lib.js';

const TICKS = 100;
function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

async function post(base, p, body) {
  const r = await fetch(base + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

async function startServers(root, n, redisUrl, databaseUrl, tmp) {
  const servers = [];
  for (let i = 0; i < n; i++) {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(root, 'dist/server.js')], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: path.join(tmp, `p${n}-${i}`),
        REDIS_URL: redisUrl,
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'error',
        LIMIT_CREATE_PER_HOUR: '100000',
        LIMIT_CONNECTIONS_PER_SESSION: '100'
      },
      stdio: ['ignore', 'ignore', 'inherit']
    });
    servers.push({ child, httpBase: `http://127.0.0.1:${port}`, wsBase: `ws://127.0.0.1:${port}` });
    for (let t = 0; ; t++) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false
      );
      if (ok) break;
      if (t > 400 || child.exitCode !== null) throw new Error(`server process ${i + 1} of ${n} did not start`);
      await sleep(50);
    }
  }
  return servers;
}

function request(gen, msg, want, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`load generator: no ${want} in time`)), ms);
    const on = (m) => {
      if (m.type !== want) return;
      clearTimeout(timer);
      gen.off('message', on);
      resolve(m);
    };
    gen.on('message', on);
    gen.send(msg);
  });
}

async function measure(root, n, { redisUrl, pgAdminUrl, tmp, people, editsPerSec, durationS }) {
  const database = `bench_${n}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const databaseUrl = pgAdminUrl.replace(/\/[^/]*$/, `/${database}`);
  const servers = await startServers(root, n, redisUrl, databaseUrl, tmp);
  const gen = fork(path.join(root, 'scripts/bench/loadgen.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const w = await post(servers[0].httpBase, '/api/workshops', { title: 'Bench', question: 'How fast?' });
    const boardId = w.body.boards[0].id;
    const token = w.body.links.member.split('/j/')[1];
    const clients = [];
    const senderProc = {};
    for (let i = 0; i < people; i++) {
      const proc = i % n;
      const j = await post(servers[proc].httpBase, '/api/join', { token, name: `Person ${i + 1}` });
      const sender = i + 1;
      senderProc[sender] = proc;
      clients.push({
        kind: 'write',
        writer: true,
        measure: true,
        sender,
        proc,
        wsBase: servers[proc].wsBase,
        boardId,
        token: j.body.sessionToken,
        name: `Person ${i + 1}`,
        cardId: `lw${sender}`
      });
    }
    const config = { wsBase: servers[0].wsBase, httpBase: servers[0].httpBase, connectTimeoutMs: 30_000, senderProc };
    await request(gen, { type: 'setup', config, clients }, 'ready', 60_000);
    await sleep(1000);
    const startAt = nowUs() + 300_000;
    const cpu0 = servers.map((s) => cpuSeconds(s.child.pid));
    const done = request(
      gen,
      { type: 'run', startAt, durationMs: durationS * 1000, periodMs: 1000 / editsPerSec, drainMs: 2000 },
      'done',
      durationS * 1000 + 60_000
    );
    await sleep((startAt - nowUs()) / 1000 + durationS * 1000);
    const cpuSec = servers.reduce((sum, s, i) => sum + cpuSeconds(s.child.pid) - cpu0[i], 0);
    const result = await done;
    const same = new Histogram().merge(result.histSame).summary();
    const cross = new Histogram().merge(result.histCross).summary();
    return {
      processes: n,
      people,
      editsPerSec,
      durationS,
      sent: result.sent,
      delivered: result.deliveredInWindow,
      deliveredPerSec: Math.round(result.deliveredInWindow / durationS),
      same,
      cross,
      serverCpuSec: Math.round(cpuSec * 100) / 100,
      cpuMsPer1000Delivered: result.deliveredInWindow ? Math.round((cpuSec * 1e6) / result.deliveredInWindow) / 1 : null,
      generatorLoopDelayP99Ms: result.loopDelayMs?.p99 ?? null,
      failed: result.failed,
      dropped: result.dropped
    };
  } finally {
    gen.send({ type: 'close' });
    await Promise.all(servers.map((s) => stopChild(s.child)));
  }
}

export async function runProcesses(root, counts, { quick = false, out = 'bench/results' } = {}) {
  const started = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-bench-processes-'));
  const sizes = quick ? { people: 6, editsPerSec: 2, durationS: 2 } : { people: 30, editsPerSec: 2, durationS: 20 };
  try {
    const redisUrl = process.env.REDIS_URL || (await startRedis(started));
    const pgAdminUrl = process.env.DATABASE_URL || (await startPostgres(started, tmp, 'bench'));
    const rows = [];
    for (const n of counts) {
      process.stdout.write(
        `==> ${n} process${n === 1 ? '' : 'es'}: ${sizes.people} people on one board, ${sizes.editsPerSec} edits/s each\n`
      );
      rows.push(await measure(root, n, { redisUrl, pgAdminUrl, tmp, ...sizes }));
    }
    const base = rows.find((r) => r.processes === 1) ?? rows[0];
    console.log('\nprocesses | same p50 / p99 (ms) | cross p50 / p99 (ms) | delivered/s | server CPU ms per 1,000 delivered (vs first)');
    for (const r of rows) {
      const vs = base.cpuMsPer1000Delivered ? Math.round((100 * r.cpuMsPer1000Delivered) / base.cpuMsPer1000Delivered) : null;
      console.log(
        `${String(r.processes).padStart(9)} | ${`${r.same.p50} / ${r.same.p99}`.padStart(19)} | ${`${r.cross.p50 ?? '-'} / ${r.cross.p99 ?? '-'}`.padStart(20)} | ${String(r.deliveredPerSec).padStart(11)} | ${r.cpuMsPer1000Delivered} (${vs}%)`
      );
    }
    fs.mkdirSync(path.join(root, out), { recursive: true });
    const file = path.join(root, out, `processes-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify({ when: new Date().toISOString(), sizes, rows }, null, 2));
    console.log(`\nWrote ${path.relative(root, file)}`);
    return rows;
  } finally {
    for (const s of started.reverse()) await Promise.resolve(s.stop()).catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
