#!/usr/bin/env node
// npm run cluster: a try-out of several server processes sharing every workshop, on one machine.
// Starts N processes (default 3) on ports P..P+N-1 (default 3000) against Redis (REDIS_URL) and
// Postgres (DATABASE_URL). Without them it starts throwaway ones (Debian's redis-server and
// postgresql), keeping nothing on disk once stopped, and prints their addresses. Ctrl+C stops
// everything it started. For a real deployment see docs/DEPLOY.md.
//
//   npm run cluster                          3 processes on 3000, 3001, 3002
//   npm run cluster -- --processes 2 --port 4000
//   REDIS_URL=redis://... DATABASE_URL=postgres://... npm run cluster
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    processes: { type: 'string', default: '3' },
    port: { type: 'string', default: '3000' },
    host: { type: 'string', default: '0.0.0.0' }
  }
});
const count = Number(opts.processes);
const firstPort = Number(opts.port);
if (!Number.isInteger(count) || count < 1 || count > 32) fail('--processes must be a whole number from 1 to 32');
if (!Number.isInteger(firstPort) || firstPort < 1 || firstPort + count - 1 > 65535) fail('--port must be a port number');

const started = []; // { name, stop() } in start order; stopped in reverse
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-cluster-'));

function fail(message) {
  process.stderr.write(`npm run cluster: ${message}\n`);
  process.exit(1);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startRedis() {
  const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p));
  if (!bin) throw new Error('redis-server is missing. Install it with: sudo apt-get install redis-server (or set REDIS_URL).');
  const port = await freePort();
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  started.push({ name: 'Redis', stop: () => stopChild(child) });
  for (let i = 0; i < 200; i++) {
    if (await answers(port)) return `redis://127.0.0.1:${port}`;
    await sleep(25);
  }
  throw new Error('redis-server did not start');
}

function answers(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

function postgresBin() {
  const debian = '/usr/lib/postgresql';
  const versions = fs.existsSync(debian)
    ? fs
        .readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => b - a)
    : [];
  for (const dir of [process.env.POSTGRES_BIN, ...versions.map((v) => path.join(debian, v, 'bin'))]) {
    if (dir && fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  throw new Error('Postgres is missing. Install it with: sudo apt-get install postgresql (or set DATABASE_URL).');
}

async function startPostgres() {
  const bin = postgresBin();
  const dir = path.join(tmp, 'postgres');
  fs.mkdirSync(dir);
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: as root, Postgres runs as the postgres user.
  const run = (cmd, args) =>
    execFileSync(asRoot ? 'runuser' : cmd, asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args, { stdio: 'pipe' });
  if (asRoot) {
    const [, , uid, gid] = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'))
      .split(':');
    fs.chownSync(tmp, Number(uid), Number(gid));
    fs.chownSync(dir, Number(uid), Number(gid));
  }
  run(path.join(bin, 'initdb'), ['-D', path.join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  run(path.join(bin, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  started.push({ name: 'Postgres', stop: () => run(path.join(bin, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-m', 'fast', 'stop']) });
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query('CREATE DATABASE roundtable');
  await admin.end();
  return `postgres://postgres@127.0.0.1:${port}/roundtable`;
}

/** Stops the server processes first (each saves as it stops), then Postgres and Redis. */
async function stopAll() {
  for (const s of started.reverse()) {
    try {
      await s.stop();
    } catch {
      // already gone
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist/server.js')) || !fs.existsSync(path.join(ROOT, 'build/handler.js'))) {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.js')], { stdio: 'inherit', cwd: ROOT });
  }
  const redisUrl = process.env.REDIS_URL || (await startRedis());
  const databaseUrl = process.env.DATABASE_URL || (await startPostgres());
  const children = [];
  // The first process migrates the database; the others start once it answers.
  for (let i = 0; i < count; i++) {
    const port = firstPort + i;
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/server.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: opts.host,
        DATA_DIR: path.join(tmp, `process-${i + 1}`),
        REDIS_URL: redisUrl,
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: process.env.LOG_LEVEL || 'warn'
      },
      stdio: ['ignore', 'ignore', 'inherit']
    });
    children.push(child);
    started.push({ name: `process ${i + 1}`, stop: () => stopChild(child) });
    child.once('exit', (code, signal) => {
      if (!stopping) process.stderr.write(`Process ${i + 1} (port ${port}) stopped (${signal ?? `exit ${code}`}).\n`);
    });
    for (let t = 0; t < 400; t++) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false
      );
      if (ok) break;
      if (child.exitCode !== null) throw new Error(`process ${i + 1} could not start (see its message above)`);
      await sleep(50);
    }
  }
  const urls = children.map((_, i) => `http://localhost:${firstPort + i}`);
  process.stdout.write(
    `\nRoundtable is running as ${count} processes sharing every workshop.\n` +
      urls.map((u, i) => `  Process ${i + 1}: ${u}\n`).join('') +
      `  Redis:    ${redisUrl}${process.env.REDIS_URL ? '' : ' (throwaway)'}\n` +
      `  Postgres: ${databaseUrl}${process.env.DATABASE_URL ? '' : ' (throwaway)'}\n\n` +
      `Create a workshop on one, open its invite links on the others: people on different processes\n` +
      `co-edit, vote and follow the facilitator live. Stop one with: kill -9 <pid> (pids: ${children.map((c) => c.pid).join(', ')})\n` +
      `and its people carry on from another (in production the proxy moves them; here, open the\n` +
      `same page on another port). Ctrl+C stops everything.\n\n`
  );
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping…\n');
    void stopAll().then(() => process.exit(0));
  });
}

main().catch(async (err) => {
  await stopAll();
  fail(err instanceof Error ? err.message : String(err));
});
