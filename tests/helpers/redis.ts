// A real, throwaway redis-server per test file: on a free loopback port, keeping nothing on disk
// (no RDB, no AOF), stopped by its pid. `restart()` stops it and starts a fresh one on the same
// port, for the tests of what happens when Redis goes away and comes back (it comes back empty,
// as a Redis without persistence would).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort } from './process-server';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export interface TestRedis {
  url: string;
  port: number;
  /** Stops it (SIGKILL by default: a crash), and resolves once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port (after stop(), or stops it first). */
  start(): Promise<void>;
  restart(): Promise<void>;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let output = '';
  const start = async () => {
    if (child) return;
    output = '';
    const c = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe']
    });
    child = c;
    c.stdout?.on('data', (d) => (output += d));
    c.stderr?.on('data', (d) => (output += d));
    exited = new Promise((resolve) =>
      c.once('exit', () => {
        if (child === c) child = null;
        resolve();
      })
    );
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(port))) {
      if (child !== c) throw new Error(`redis-server exited at start: ${output}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}: ${output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const c = child;
    if (!c?.pid) return;
    process.kill(c.pid, signal);
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async restart() {
      await stop();
      await start();
    }
  };
}
