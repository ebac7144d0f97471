// Throwaway Redis and Postgres for npm run cluster and npm run bench -- --processes: Debian's
// redis-server and postgresql, on free loopback ports, keeping nothing once stopped. Each start
// pushes a { name, pid, stop() } onto `started`, to be stopped in reverse order.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function startRedis(started) {
  const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p));
  if (!bin) throw new Error('redis-server is missing. Install it with: sudo apt-get install redis-server (or set REDIS_URL).');
  const port = await freePort();
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  started.push({ name: 'Redis', pid: child.pid, stop: () => stopChild(child) });
  for (let i = 0; i < 200; i++) {
    if (await answers(port)) return `redis://127.0.0.1:${port}`;
    await sleep(25);
  }
  throw new Error('redis-server did not start');
}

/**
 * Waits until the server on `port` answers /healthz with 200: true, or false once `child` has
 * exited or after `tries` tries 50 ms apart.
 */
export async function whenHealthy(port, child, tries = 400) {
  for (let t = 0; t < tries; t++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false
    );
    if (ok) return true;
    if (child.exitCode !== null) return false;
    await sleep(50);
  }
  return false;
}

export function answers(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

export function postgresBin() {
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

export async function startPostgres(started, tmp, database = 'roundtable') {
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
  const pgCtl = (...args) => run(path.join(bin, 'pg_ctl'), ['-D', path.join(dir, 'data'), ...args]);
  started.push({
    name: 'Postgres',
    // The postmaster (the first line of its pid file): every backend is a child of it.
    pid: Number(fs.readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]),
    stop: () => pgCtl('-m', 'fast', 'stop'),
    // For the fault tests: a crash (immediate stop) and a start again on the same port.
    crash: () => pgCtl('-m', 'immediate', 'stop'),
    start: () => pgCtl('-o', options, '-l', path.join(dir, 'log'), '-w', 'start')
  });
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  return `postgres://postgres@127.0.0.1:${port}/${database}`;
}

/**
 * Sets the nice value of a process, every thread of it and every process under it (Linux's /proc);
 * threads and processes started from them later inherit it. Below 0 needs root.
 */
export function reniceTree(pid, nice) {
  let tasks;
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return; // gone
  }
  for (const tid of tasks) {
    try {
      os.setPriority(Number(tid), nice);
    } catch (err) {
      if (err?.info?.code === 'ESRCH') continue; // the thread ended meanwhile
      throw err;
    }
    let children = '';
    try {
      children = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
    } catch {
      // gone, or no children file
    }
    for (const child of children.split(' ').filter(Boolean)) reniceTree(Number(child), nice);
  }
}

export function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
}
