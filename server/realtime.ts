// The composition root: opens the one store, builds the services, and wires the sync host and
// socket.io onto an http server. Production (server/index.ts), dev (the Vite plugin) and the
// integration tests all come through here. `app` is what SvelteKit may use (src/lib/server/app.ts);
// the caller hands it over with provideApp().
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { LANES, type Lane } from '../src/lib/board/schema';
import type { App } from '../src/lib/server/app';
import type { Role } from '../src/lib/domain/roles';
import { nodeRequest, requestScheme } from '../src/lib/server/credentials';
import { GONE_TEXT } from '../src/lib/protocol/errors';
import type { Config } from './config';
import { createLogger } from './logger';
import { openMemoryStore } from './persistence/memory';
import { databasePath, openSqliteStore } from './persistence/sqlite/index';
import { openPostgresStore } from './persistence/postgres/index';
import type { Store } from './persistence/types';
import { originAllowed, shareableOrigin } from './origins';
import { Dispatcher } from './session/dispatch';
import { FacilitatorViews } from './session/facilitator-view';
import { PresentViews } from './session/present-view';
import { PresentLinks } from './present';
import { createSessionServer, type SessionServer } from './session/index';
import type { Notifier } from './session/ports';
import { deleteWorkshop, sweepRetention } from './session/privacy';
import { Release } from './session/release';
import { FacilitationStates } from './session/states';
import { Turnout } from './session/turnout';
import { votesOnConnect } from './session/votes';
import { noticesOf, removalsStored } from './session/removed';
import { keyPointsOnConnect } from './session/keypoints';
import { questionInfo } from './session/question';
import type { SessionContext } from './session/context';
import { SyncHost } from './sync/host';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { WorkshopService } from './workshops';
import { exportArchive, importArchive } from './archive';
import { keyPointSupport, workshopBriefing } from './briefing/build';
import { PdfRenderer } from './briefing/pdf';
import { OutcomeService } from './outcomes';
import { openRedis, type SharedRedis } from './shared/redis';
import { RedisRelay } from './sync/redis-relay';
import { RedisConnectionCounts } from './shared/counts';
import { memoryLimiters, redisLimiters } from './shared/limiters';
import { Bus } from './shared/bus';
import { SharedOnline } from './shared/online';
import type { BoardConnections } from './session/ports';
import { ForumService } from './forums';
import { InvolvementService } from './involvement';
import { checkRecordTime } from '../src/lib/domain/involvement';
import { currentPhase } from '../src/lib/domain/facilitation';
import { AppError } from '../src/lib/protocol/errors';
import { MeetingService } from './meetings';

export interface Realtime {
  config: Config;
  logger: Logger;
  store: Store;
  workshops: WorkshopService;
  sync: SyncHost;
  /** Session control's shared parts (for tests and tools that drive it without a socket). */
  session: SessionContext & {
    /** Deletes ended workshops whose last activity is more than `days` ago; resolves with how many. */
    sweepRetention(days: number, now?: number): Promise<number>;
  };
  /** What SvelteKit may use. */
  app: App;
  /** Attach /sync upgrades and socket.io to an http server. */
  attach(http: HttpServer): void;
  /** Answers /healthz; returns false for other paths. */
  health(req: IncomingMessage, res: ServerResponse): boolean;
  io: SessionServer | null;
  /** Flush, compact and close everything. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The store the settings choose: Postgres when DATABASE_URL is set (connected and migrated before
 * this resolves, so a server that cannot store anything never starts), else the SQLite file in
 * DATA_DIR.
 */
export async function openStore(config: Config, logger: Logger): Promise<Store> {
  if (config.databaseUrl) return openPostgresStore(config.databaseUrl, { logger });
  return openSqliteStore(databasePath(config.dataDir), { synchronous: config.sqliteSynchronous, logger });
}

export function createRealtime(config: Config, options: { store?: 'sqlite' | 'memory' | Store; logger?: Logger } = {}): Realtime {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store =
    typeof options.store === 'object'
      ? options.store
      : options.store === 'memory'
        ? openMemoryStore()
        : openSqliteStore(databasePath(config.dataDir), { synchronous: config.sqliteSynchronous, logger });
  // With REDIS_URL, several processes share the workshops (docs/DEPLOY.md): board updates and
  // presence through RedisRelay, socket.io through its Redis streams adapter, the events below
  // through the Bus, rate limits and connection counts in Redis. Without it, nothing changes.
  const redis: SharedRedis | null = config.redisUrl ? openRedis(config.redisUrl, logger) : null;
  const bus = redis ? new Bus(redis, logger) : null;
  const limiters = redis ? redisLimiters(redis) : memoryLimiters;
  const workshops = new WorkshopService(store, config.limits, limiters);
  // Without a configured public URL, links use the address the server was reached on first.
  let linkBase: string | null = config.publicUrl;
  let notifier: Notifier | null = null;
  let sharedOnline: SharedOnline | null = null;
  const allowed = (req: IncomingMessage) => originAllowed(nodeRequest(req), config.publicUrl, config.extraOrigins);

  const states = new FacilitationStates(store, logger, () => notifier);
  const sync: SyncHost = new SyncHost({
    log: store.boards,
    limits: config.limits,
    logger,
    trustProxy: config.trustProxy,
    compactEvery: config.compactEvery,
    relay: redis ? new RedisRelay(redis, logger) : undefined,
    connectionCounts: redis ? new RedisConnectionCounts(redis) : undefined,
    failedUpgrades: limiters('upgrade', config.limits.failedUpgradesPerMinute, 60),
    board: (id) => store.workshops.board(id),
    authenticate: (token) => workshops.authenticate(token),
    originAllowed: (facts) => originAllowed(facts, config.publicUrl, config.extraOrigins),
    locks: {
      isLocked: (boardId, workshopId) => states.isLocked(boardId, workshopId),
      ready: (workshopId) => states.ready(workshopId),
      refresh: async (workshopId) => void (await states.refresh(workshopId))
    },
    // A card taken off a board that someone else wrote is stored by then: tell its writer.
    onRemovals: (workshopId, boardId, changes) =>
      void removalsStored(context, workshopId, boardId, changes).catch((err: unknown) =>
        logger.error({ err, boardId }, 'could not tell people about removed cards')
      ),
    // The cards counted on the present screen, and a spotlighted card's words, may have changed.
    onBoardChanged: (workshopId) => presentViews.schedule(workshopId)
  });
  const views = new FacilitatorViews(
    store,
    states,
    sync,
    () => notifier,
    logger,
    () => linkBase
  );
  const presentViews = new PresentViews(
    store,
    states,
    sync,
    () => notifier,
    logger,
    () => linkBase
  );
  const presentLinks = new PresentLinks(store, workshops);
  states.onSaved = (workshopId) => {
    views.schedule(workshopId);
    presentViews.schedule(workshopId);
  };
  // Connections to change may be on any process: each change is made here and told to the others.
  const connections: BoardConnections = bus
    ? {
        participantChanged: (participant) => {
          sync.participantChanged(participant);
          bus.publish({ kind: 'participant', participant });
        },
        // The other processes unlock when they refresh the state (below).
        boardUnlocked: (boardId) => sync.boardUnlocked(boardId),
        closeParticipant: (participantId, reason) => {
          sync.closeParticipant(participantId, reason);
          bus.publish({ kind: 'close', participantId, reason });
        },
        dropBoards: (boardIds) => {
          sync.dropBoards(boardIds);
          bus.publish({ kind: 'dropBoards', boardIds });
        }
      }
    : sync;
  if (bus && redis) {
    states.onStored = (workshopId) => bus.publish({ kind: 'state', workshopId });
    const refresh = (workshopId: string) =>
      states.refresh(workshopId).then(
        (unlocked) => unlocked.forEach((boardId) => sync.boardUnlocked(boardId)),
        (err: unknown) => logger.error({ err, workshopId }, 'could not read a facilitation state again')
      );
    bus.on((event) => {
      switch (event.kind) {
        case 'state':
          return void refresh(event.workshopId);
        case 'participant':
          return sync.participantChanged(event.participant);
        case 'close':
          return sync.closeParticipant(event.participantId, event.reason);
        case 'dropBoards':
          return sync.dropBoards(event.boardIds);
        case 'online':
        case 'hello':
          return; // server/shared/online.ts
        default: {
          const never: never = event;
          return never;
        }
      }
    });
    // Events sent while Redis was away are lost: every cached state is read again.
    redis.onReconnect(() => states.cached().forEach((id) => void refresh(id)));
  }
  const release = new Release(sync, config.limits.releaseWindowMs);
  const turnout = new Turnout(store, states, config.limits.releaseWindowMs, logger);
  states.openVotes = (workshopId, participants) => turnout.openVotes(workshopId, participants);
  states.openConsent = (workshopId, participants) => turnout.openConsent(workshopId, participants);
  const involvement = new InvolvementService(store, logger, {
    graceMs: config.limits.attendanceGraceMs,
    heartbeatMs: config.limits.attendanceHeartbeatMs
  });
  const involvementStarted = involvement.start();
  involvementStarted.catch((err: unknown) => logger.error({ err }, 'could not close the attendance left open by the last run'));
  const forums = new ForumService({ store, boards: sync, createPerHour: config.limits.createPerHour });
  const context: SessionContext = {
    store,
    states,
    views,
    present: presentViews,
    boards: sync,
    connections,
    release,
    turnout,
    notifier: () => notifier,
    attendance: involvement,
    logger,
    forums
  };
  const dispatcher = new Dispatcher(context, logger);
  const pdf = new PdfRenderer();
  const outcomes = new OutcomeService({ store, states, boards: sync, retentionDays: config.retentionDays });
  // What a board said at a forum's meeting feeds "you said, we did" of the workshops behind the point.
  const meetings = new MeetingService(store, forums, outcomes);

  let closed = false;
  // Retention: ended workshops are deleted RETENTION_DAYS (default 30) after their last activity, checked hourly.
  const sweep = () => {
    if (closed) return;
    sweepRetention(context, config.retentionDays).then(
      (n) =>
        n &&
        logger.info(
          { deleted: n, retentionDays: config.retentionDays },
          'deleted ended workshops whose last activity is past the retention period'
        ),
      (err: unknown) => logger.error({ err }, 'retention sweep failed')
    );
  };
  const sweepTimer = setInterval(sweep, 3600_000);
  sweepTimer.unref();
  setImmediate(sweep);

  const app: App = {
    logger,
    limits: config.limits,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    createWorkshop: (input, address, sessionIn) => workshops.create(input, address, undefined, sessionIn),
    async join(target, name, address, device, recordTime) {
      // "Record my time" is checked before anyone joins, so a refusal leaves nobody half joined.
      if (recordTime) {
        const checked = checkRecordTime(recordTime.name, recordTime.choice);
        if (!checked.ok) {
          const [field, message] = Object.entries(checked.errors)[0];
          throw new AppError('invalid_input', message, 400, field);
        }
      }
      const joined = await workshops.join(target, name, address, device);
      if (recordTime) await involvement.optIn(joined.participant, recordTime.name, recordTime.choice);
      return joined;
    },
    removedHere: (workshopId, device) => workshops.removedHere(workshopId, device),
    deletedAt: (workshopId) => workshops.deletedAt(workshopId),
    resolveInvite: (target, address) => workshops.resolve(target, address),
    authenticate: (token) => workshops.authenticate(token),
    async endSession(token) {
      // The person leaves this device: out of the queue, and a turn they were in ends uncounted.
      const session = await workshops.authenticate(token);
      await workshops.endSession(token);
      if (session) await dispatcher.handle(session.participant.id, { type: 'me.away' });
    },
    boards: (workshopId) => store.workshops.boards(workshopId),
    cards: (boardId) =>
      sync.read(boardId, (board) => {
        const lanes = board.lanes();
        const out = {} as Record<Lane, { text: string; anonymous: boolean }[]>;
        for (const lane of LANES) out[lane] = lanes[lane].map((c) => ({ text: c.text.toString(), anonymous: c.anonymous }));
        return out;
      }),
    async invites(workshopId) {
      const out: Partial<Record<Role, string>> = {};
      for (const i of await store.people.invites(workshopId)) if (i.revokedAt === null) out[i.role] = i.token;
      return out;
    },
    exportArchive: (workshopId) => exportArchive({ store, states, boards: sync }, workshopId),
    importArchive: (archive, address) => importArchive(workshops, config.limits, archive, address),
    linkBase: (origin) => shareableOrigin(config, origin),
    deleteWorkshop: (workshopId) => deleteWorkshop(context, workshopId, GONE_TEXT.deletedByFacilitator),
    briefing: (workshopId) => workshopBriefing({ store, boards: sync }, workshopId),
    briefingPdf: (document) => pdf.render(document),
    keyPointSupport: (workshopId) => keyPointSupport({ store, boards: sync }, workshopId),
    presentToken: (workshopId) => presentLinks.token(workshopId),
    openPresentLink: (token) => presentLinks.open(token),
    presentViewer: (workshopId, credentials) => presentLinks.viewer(workshopId, credentials),
    presentView: (workshopId) => presentViews.build(workshopId),
    command: (participantId, command) => dispatcher.handle(participantId, command),
    question: (workshopId) => questionInfo(store, workshopId),
    stepKind: async (workshopId) => currentPhase(await states.get(workshopId)).kind,
    outcomes,
    involvement: {
      mine: (participantId) => involvement.mine(participantId),
      clear: (participantId) => involvement.clear(participantId),
      rows: (workshopId, period) => involvement.rows(workshopId, period),
      forumRows: (forumId, period) => involvement.forumRows(forumId, period)
    },
    forums,
    meetings
  };

  const realtime: Realtime = {
    config,
    logger,
    store,
    workshops,
    sync,
    session: { ...context, sweepRetention: (days, now) => sweepRetention(context, days, now) },
    app,
    io: null,
    attach(http) {
      http.on('request', (req: IncomingMessage) => {
        if (!linkBase && req.headers.host) {
          linkBase = shareableOrigin(
            config,
            `${requestScheme({ ...nodeRequest(req), encrypted: (req.socket as { encrypted?: boolean }).encrypted }, config.trustProxy)}://${req.headers.host}`
          );
        }
      });
      http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        // socket.io registers its own upgrade listener for /socket.io; Vite's HMR has its own too.
        sync.handleUpgrade(req, socket, head);
      });
      const transport = createSessionServer(http, {
        authenticate: (token) => workshops.authenticate(token),
        stillIn: (id) => workshops.stillIn(id),
        dispatcher,
        states,
        views,
        present: presentViews,
        presentViewer: (workshopId, credentials) => presentLinks.viewer(workshopId, credentials),
        votesOnConnect: (participant) => votesOnConnect(context, participant),
        noticesOnConnect: (participant) => noticesOf(context, participant.id),
        keyPointsOnConnect: (participant) => keyPointsOnConnect(context, participant),
        questionOnConnect: (workshopId) => questionInfo(store, workshopId),
        attendance: involvement,
        originAllowed: allowed,
        limits: config.limits,
        logger,
        // socket.io across processes; the streams adapter (unlike pub/sub) survives a Redis restart.
        adapter: redis ? createAdapter(redis.client) : undefined,
        shareOnline: redis && bus ? (local) => (sharedOnline = new SharedOnline(redis, bus, local)) : undefined
      });
      notifier = transport.notifier;
      realtime.io = transport.io;
    },
    health(req, res) {
      if (!req.url || (req.url !== '/healthz' && !req.url.startsWith('/healthz?'))) return false;
      const answer = (ok: boolean, problem?: string) => {
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(problem ? { ok, rooms: sync.roomCount(), problem } : { ok, rooms: sync.roomCount() }));
      };
      void Promise.all([
        store.ping().then(
          () => null,
          () => 'The store cannot be reached'
        ),
        redis ? redis.problem() : null
      ]).then(([storeProblem, redisProblem]) => {
        const problem = closed ? 'The server is shutting down' : (storeProblem ?? redisProblem ?? undefined);
        answer(!problem, problem);
      });
      return true;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweepTimer);
      views.close();
      presentViews.close();
      turnout.close();
      await pdf.close();
      await release.close();
      await sync.close();
      if (realtime.io) await realtime.io.close();
      sharedOnline?.close();
      bus?.close();
      await redis?.close();
      // After socket.io, whose closing sockets start their grace: everyone's time closes now.
      await involvementStarted.catch(() => undefined);
      await involvement.stop();
      await store.close();
    }
  };
  return realtime;
}
