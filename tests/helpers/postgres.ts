// A real, throwaway Postgres for the tests: one cluster per test run, started the first time a
// test file asks for one (so runs that need none never pay for it) and stopped by its pid when the
// run ends (tests/integration/global-setup.ts). Each test file gets a database of its own, and each
// store a schema of its own, so nothing is shared between them. Debian's postgresql package
// provides the binaries; initdb refuses to run as root, so as root they run as the postgres user.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder for this run's Postgres cluster (made by the global setup; empty until a file starts it). */
    postgresRunDir: string;
  }
}

export const POSTGRES_MISSING =
  'Postgres is missing. Install it with: sudo apt-get install postgresql (npm test does this when it can), then run the tests again.';

/** The folder holding initdb, postgres and pg_ctl: POSTGRES_BIN, Debian's newest, or the PATH. */
export function postgresBinDir(): string {
  const candidates = [process.env.POSTGRES_BIN];
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const versions = fs
      .readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(debian, v, 'bin')));
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) candidates.push(dir);
  for (const dir of candidates) {
    if (dir && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return fs.realpathSync(dir);
  }
  throw new Error(POSTGRES_MISSING);
}

interface Cluster {
  port: number;
  pid: number;
  dataDir: string;
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a Postgres binary, as the postgres user when we are root. */
function run(bin: string, args: string[]): void {
  const [cmd, all] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  execFileSync(cmd, all, { stdio: ['ignore', 'pipe', 'pipe'] });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts a cluster in `runDir` (initdb, then pg_ctl start, which waits until it accepts connections). */
async function startCluster(runDir: string): Promise<Cluster> {
  const bin = postgresBinDir();
  const dataDir = path.join(runDir, 'data');
  if (asRoot) {
    const { uid, gid } = postgresUser();
    fs.chownSync(runDir, uid, gid);
  }
  run(path.join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  // fsync off: the tests kill server processes, never this cluster, so its commits survive them
  // anyway, and the shared 2-core machine is spared the disk flushes.
  const options = `-p ${port} -k ${runDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-o', options, '-l', path.join(runDir, 'postgres.log'), '-w', '-t', '60', 'start']);
  // pg_ctl has detached the server; its pid is the first line of postmaster.pid.
  const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return { port, pid, dataDir };
}

function postgresUser(): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error(`${POSTGRES_MISSING} (there is no postgres user)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Stops a run's cluster by its pid, if one was started, and removes its folder. */
export async function stopRunCluster(runDir: string): Promise<void> {
  const file = path.join(runDir, 'cluster.json');
  if (fs.existsSync(file)) {
    const { pid } = JSON.parse(fs.readFileSync(file, 'utf8')) as Cluster;
    if (alive(pid)) {
      process.kill(pid, 'SIGINT'); // a fast shutdown: every connection ends, nothing is kept
      for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }
  fs.rmSync(runDir, { recursive: true, force: true });
}

let cluster: Promise<Cluster> | null = null;

/** This run's cluster: started by the first file that asks (files run one at a time), found by the rest. */
function runCluster(): Promise<Cluster> {
  cluster ??= (async () => {
    let runDir = inject('postgresRunDir');
    if (!runDir) runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-pg-'));
    const file = path.join(runDir, 'cluster.json');
    if (fs.existsSync(file)) {
      const found = JSON.parse(fs.readFileSync(file, 'utf8')) as Cluster;
      if (alive(found.pid)) return found;
      fs.rmSync(path.join(runDir, 'data'), { recursive: true, force: true });
    }
    const started = await startCluster(runDir);
    fs.writeFileSync(file, JSON.stringify(started));
    return started;
  })();
  return cluster;
}

export interface TestDatabase {
  /** postgres://... of this file's database. */
  url: string;
  port: number;
  /** A new, empty schema in it, for one store. */
  freshSchema: () => Promise<string>;
}

let counter = 0;

/** A database of this test file's own on the run's cluster. */
export async function testDatabase(): Promise<TestDatabase> {
  const { port } = await runCluster();
  const admin = (database: string) => new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database });
  const name = `rt_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const client = admin('postgres');
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = `postgres://postgres@127.0.0.1:${port}/${name}`;
  let schemas = 0;
  return {
    url,
    port,
    freshSchema: async () => {
      const schema = `s${schemas++}`;
      const c = admin(name);
      await c.connect();
      try {
        await c.query(`CREATE SCHEMA ${schema}`);
      } finally {
        await c.end();
      }
      return schema;
    }
  };
}
