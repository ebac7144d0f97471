// Production entry: one process, one port. Serves /healthz, the SvelteKit app (adapter-node's
// handler), /sync/<boardId> and /socket.io; flushes and closes cleanly on SIGTERM and SIGINT.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readConfig, type Config } from './config';
import { createRealtime, openStore, type Realtime } from './realtime';
import { createLogger } from './logger';
import { describeDatabase } from './persistence/postgres/index';
import { lanAddress } from './origins';
import { provideApp } from '../src/lib/server/app';
import { nodeRequest, requestScheme } from '../src/lib/server/credentials';

const PROTO_HEADER = 'x-roundtable-proto';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void;

export interface RunningServer {
  realtime: Realtime;
  http: http.Server;
  url: string;
  close(): Promise<void>;
}

/** Starts the whole app. `handlerPath` points at adapter-node's build/handler.js. */
export async function startServer(config: Config, handlerPath: string): Promise<RunningServer> {
  // Adapter-node works out each request's origin (for links and its form-post check). Pin it only
  // when a public URL is configured; otherwise tell it the real scheme through a header we set
  // ourselves (it would assume https), so laptops on venue Wi-Fi work over plain http too.
  if (config.publicUrl && !process.env.ORIGIN) process.env.ORIGIN = config.publicUrl;
  process.env.PROTOCOL_HEADER ??= PROTO_HEADER;
  // Body sizes are ours to limit, per route, as bodies are read (src/hooks.server.ts): the small
  // API limit nearly everywhere, the board document limit for an archive being imported. The
  // adapter's one limit for every route (512 KiB by default) would refuse archives.
  process.env.BODY_SIZE_LIMIT ??= 'Infinity';
  const logger = createLogger(config.logLevel);
  const realtime = createRealtime(config, { store: await openStore(config, logger), logger });
  provideApp(realtime.app);
  const { handler } = (await import(pathToFileURL(handlerPath).href)) as { handler: Handler };
  const server = http.createServer((req, res) => {
    if (realtime.health(req, res)) return;
    req.headers[PROTO_HEADER] = requestScheme(
      { ...nodeRequest(req), encrypted: (req.socket as { encrypted?: boolean }).encrypted },
      config.trustProxy
    );
    handler(req, res, () => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found');
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  realtime.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
  return {
    realtime,
    http: server,
    url,
    async close() {
      await realtime.close();
      provideApp(null);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}

async function main(): Promise<void> {
  const config = readConfig();
  const here = path.dirname(fileURLToPath(import.meta.url));
  const running = await startServer(config, path.resolve(here, '../build/handler.js'));
  const { logger } = running.realtime;
  const port = (running.http.address() as { port: number }).port;
  const lan = config.host === '0.0.0.0' && !config.publicUrl ? lanAddress() : null;
  process.stdout.write(
    `\nRoundtable is running.\n  Open: ${running.url}\n` +
      (lan ? `  Phones on the same Wi-Fi use: http://${lan}:${port}\n` : '') +
      (config.databaseUrl ? `  Database: Postgres at ${describeDatabase(config.databaseUrl)}\n\n` : `  Data folder: ${config.dataDir}\n\n`)
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'saving and shutting down');
    running.close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      }
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception (server stays up)'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection (server stays up)'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err) => {
    process.stderr.write(`Roundtable could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
