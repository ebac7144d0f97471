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
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startPostgres, startRedis, stopChild, whenHealthy } from './lib/services.js';

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

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist/server.js')) || !fs.existsSync(path.join(ROOT, 'build/handler.js'))) {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.js')], { stdio: 'inherit', cwd: ROOT });
  }
  const redisUrl = process.env.REDIS_URL || (await startRedis(started));
  const databaseUrl = process.env.DATABASE_URL || (await startPostgres(started, tmp));
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
    if (!(await whenHealthy(port, child)) && child.exitCode !== null) {
      throw new Error(`process ${i + 1} could not start (see its message above)`);
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
