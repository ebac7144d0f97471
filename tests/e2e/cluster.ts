// Several server processes behind one address, for the browser test of issue 14's "done when":
// throwaway Redis and Postgres (scripts/lib/services.js, as `npm run cluster` starts them), N
// processes of the built server, and in front of them a small proxy that does what the proxy of
// docs/DEPLOY.md does when a process dies: it sends the connection on to the next live one.
// Each browser context picks its process with a cookie (`test_process=<n>`), so people on one
// board are on different processes, as after a failure or behind a proxy that does not hash.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startPostgres, startRedis, stopChild, whenHealthy, type StartedService } from '../../scripts/lib/services.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Cluster {
  /** The proxy's address: every page and request goes through it. */
  url: string;
  /** The server processes, in order. */
  processes: ChildProcess[];
  /** Every WebSocket the proxy passed on: its path and the process that took it. */
  upgrades: { path: string; process: number }[];
  /** The cookie that sends a browser context to process `n` (or the next live one). */
  cookieFor(n: number): { name: string; value: string; url: string };
  /** The Postgres every process stores in: crashed (an immediate stop) and started again on its port. */
  postgres: { crash(): void; start(): void };
  /** Kills process `n` at once (SIGKILL): no shutdown, nothing saved on the way out. */
  kill(n: number): Promise<void>;
  stop(): Promise<void>;
}

const COOKIE = 'test_process';

function chosen(cookieHeader: string | undefined, count: number): number {
  const m = new RegExp(`(?:^|;\\s*)${COOKIE}=(\\d+)`).exec(cookieHeader ?? '');
  const n = m ? Number(m[1]) : 0;
  return n < count ? n : 0;
}

/** The proxy: a request goes to its context's process, or to the next one that answers. */
function startProxy(ports: number[], upgrades: Cluster['upgrades']): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (chunk: Buffer) => body.push(chunk));
    req.on('end', () => {
      const first = chosen(req.headers.cookie, ports.length);
      const attempt = (tries: number) => {
        const port = ports[(first + tries) % ports.length];
        const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        upstream.on('error', (err: NodeJS.ErrnoException) => {
          // Refused: that process is gone; the request never reached it, so the next one takes it.
          if (err.code === 'ECONNREFUSED' && tries + 1 < ports.length) return attempt(tries + 1);
          if (!res.headersSent) res.writeHead(502).end();
          else res.destroy();
        });
        upstream.end(Buffer.concat(body));
      };
      attempt(0);
    });
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const first = chosen(req.headers.cookie, ports.length);
    const attempt = (tries: number) => {
      const n = (first + tries) % ports.length;
      const upstream = net.connect(ports[n], '127.0.0.1');
      upstream.once('connect', () => {
        upgrades.push({ path: req.url ?? '', process: n });
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        upstream.write(lines.join('\r\n') + '\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(socket).pipe(upstream);
        // A process killed mid-connection: the page sees its socket close, and reconnects.
        upstream.on('error', () => socket.destroy());
        upstream.on('close', () => socket.destroy());
      });
      upstream.once('error', (err: NodeJS.ErrnoException) => {
        if (upstream.readyState === 'open') return;
        if (err.code === 'ECONNREFUSED' && tries + 1 < ports.length) return attempt(tries + 1);
        socket.destroy();
      });
    };
    socket.on('error', () => undefined);
    attempt(0);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as net.AddressInfo).port }))
  );
}

export async function startCluster(count: number): Promise<Cluster> {
  if (!fs.existsSync(path.join(ROOT, 'dist/server.js')))
    throw new Error('The app is not built. Run `npm run build` before the browser tests.');
  const started: StartedService[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-e2e-cluster-'));
  const ports: number[] = [];
  const processes: ChildProcess[] = [];
  const upgrades: Cluster['upgrades'] = [];
  let proxy: http.Server | null = null;
  const stop = async () => {
    await Promise.all(processes.map((p) => stopChild(p)));
    proxy?.closeAllConnections();
    await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(null)));
    for (const s of started.reverse()) await Promise.resolve(s.stop()).catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const redisUrl = await startRedis(started);
    const databaseUrl = await startPostgres(started, tmp);
    const postgres = started[started.length - 1];
    for (let i = 0; i < count; i++) ports.push(await freePort());
    const front = await startProxy(ports, upgrades);
    proxy = front.server;
    const url = `http://127.0.0.1:${front.port}`;
    // One at a time: the first migrates the database.
    for (const [i, port] of ports.entries()) {
      const child = spawn(process.execPath, [path.join(ROOT, 'dist/server.js')], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          PUBLIC_URL: url,
          DATA_DIR: path.join(tmp, `process-${i}`),
          REDIS_URL: redisUrl,
          DATABASE_URL: databaseUrl,
          LOG_LEVEL: 'silent',
          LIMIT_CREATE_PER_HOUR: '100000'
        }
      });
      processes.push(child);
      if (!(await whenHealthy(port, child))) throw new Error(`server process ${i + 1} of ${count} did not start`);
    }
    return {
      url,
      processes,
      upgrades,
      postgres: {
        crash: () => void postgres.crash?.(),
        start: () => void postgres.start?.()
      },
      cookieFor: (n) => ({ name: COOKIE, value: String(n), url }),
      kill: async (n) => {
        const child = processes[n];
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      },
      stop
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
