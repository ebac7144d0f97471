// The composition root: opens the one store, builds the services, and wires the sync host and
// socket.io onto an http server. Production (server/index.ts), dev (the Vite plugin) and the
// integration tests all come through here.
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Config } from './config';
import { createLogger } from './logger';
import { databasePath, openSqliteStore, type Synchronous } from './persistence/sqlite';
import { openMemoryStore } from './persistence/memory';
import type { Store } from './persistence/types';
import { SyncHost } from './sync/host';
import { createSessionServer, type SessionServer } from './session/index';
import { WorkshopService } from './workshops';
import { shareableOrigin } from './origins';
import { Facilitation } from './session/facilitation';
import { setServices } from '../src/lib/server/services';

export interface Services {
  config: Config;
  logger: Logger;
  store: Store;
  workshops: WorkshopService;
  sync: SyncHost;
  facilitation: Facilitation;
}

export interface Realtime extends Services {
  /** Attach /sync upgrades and socket.io to an http server. */
  attach(http: HttpServer): void;
  /** Answers /healthz; returns false for other paths. */
  health(req: IncomingMessage, res: ServerResponse): boolean;
  io: SessionServer | null;
  /** Flush, compact and close everything. Safe to call twice. */
  close(): Promise<void>;
}

export function createRealtime(config: Config, options: { store?: 'sqlite' | 'memory'; logger?: Logger } = {}): Realtime {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store =
    options.store === 'memory'
      ? openMemoryStore()
      : openSqliteStore(databasePath(config.dataDir), {
          synchronous: (process.env.SQLITE_SYNCHRONOUS as Synchronous | undefined) ?? 'FULL'
        });
  const workshops = new WorkshopService(store, config.limits);
  let linkBase: string | null = config.publicUrl;
  const facilitation = new Facilitation(store, () => sync, logger, () => linkBase);
  const sync: SyncHost = new SyncHost({
    store,
    workshops,
    limits: config.limits,
    logger,
    publicUrl: config.publicUrl,
    extraOrigins: config.extraOrigins,
    isLocked: (boardId, workshopId) => facilitation.isLocked(boardId, workshopId),
    // Stored updates per board before they are folded into a snapshot (tests set it low).
    compactEvery: Number(process.env.COMPACT_EVERY ?? 500)
  });
  let closed = false;
  // Retention: ended workshops are deleted after RETENTION_DAYS (default 30), checked hourly.
  const retentionDays = Number(process.env.RETENTION_DAYS ?? 30);
  const sweep = () => {
    if (closed) return;
    try {
      const n = facilitation.sweepRetention(retentionDays);
      if (n) logger.info({ deleted: n, retentionDays }, 'deleted ended workshops past the retention period');
    } catch (err) {
      logger.error({ err }, 'retention sweep failed');
    }
  };
  const sweepTimer = setInterval(sweep, 3600_000);
  sweepTimer.unref();
  setImmediate(sweep);

  const realtime: Realtime = {
    config,
    logger,
    store,
    workshops,
    sync,
    facilitation,
    io: null,
    attach(http) {
      // Without a configured public URL, links use the address the server was reached on first.
      http.on('request', (req: IncomingMessage) => {
        if (!linkBase && req.headers.host) {
          const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
          linkBase = shareableOrigin(config, `${scheme}://${req.headers.host}`);
        }
      });
      http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        // socket.io registers its own upgrade listener for /socket.io; Vite's HMR has its own too.
        sync.handleUpgrade(req, socket, head);
      });
      realtime.io = createSessionServer(http, { workshops, facilitation, logger, publicUrl: config.publicUrl, extraOrigins: config.extraOrigins });
    },
    health(req, res) {
      if (!req.url || (req.url !== '/healthz' && !req.url.startsWith('/healthz?'))) return false;
      let ok = !closed;
      try {
        store.ping();
      } catch {
        ok = false;
      }
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ ok, rooms: sync.roomCount() }));
      return true;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweepTimer);
      facilitation.close();
      sync.close();
      if (realtime.io) await new Promise<void>((resolve) => realtime.io!.close(() => resolve()));
      store.close();
      setServices(null);
    }
  };
  setServices(realtime);
  return realtime;
}
