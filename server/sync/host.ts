// The y-websocket host at /sync/<boardId>, in three parts: who may connect (upgrade.ts, a pure
// decision), which boards are in memory (rooms.ts), and the rule that an edit is durable before
// anyone else receives it (relay-queue.ts, publishing through a BoardRelay). This file connects
// sockets to rooms, reads their messages, and offers the session layer its two ports: BoardPeer
// (change or read a board as the server's own peer) and BoardConnections.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { LocalConnectionCounts, type ConnectionCounts } from '../shared/counts';
import type { Logger } from 'pino';
import { Board } from '../../src/lib/board/board';
import { canEditBoard } from '../../src/lib/domain/roles';
import { clientAddress, nodeRequest, type RequestFacts } from '../../src/lib/server/credentials';
import type { Limits } from '../config';
import type { BoardLog, BoardRecord, ParticipantRecord, RemovalChange } from '../persistence/types';
import type { BoardConnections, BoardPeer } from '../session/ports';
import { SyncConnection, type SyncSocket } from './connection';
import { decodeClientMessage, MESSAGE_SYNC, type DecodeOptions } from './messages';
import { LocalRelay, type BoardRelay } from './relay';
import { RelayQueue, type SyncStats } from './relay-queue';
import { PresenceTooLarge, SERVER_ORIGIN, type Room } from './room';
import { RoomRegistry } from './rooms';
import { authorizeUpgrade, isSyncPath, refusalResponse, type UpgradeDecision } from './upgrade';
import { wsSocket } from './ws-socket';

export interface SyncHostOptions {
  log: BoardLog;
  limits: Limits;
  logger: Logger;
  trustProxy: boolean;
  compactEvery: number;
  /** Looks up a board (the upgrade's board check). */
  board(boardId: string): Promise<BoardRecord | null>;
  /** The live participant a session token belongs to (the one authentication of every entry point). */
  authenticate(token: string | null): Promise<{ participant: ParticipantRecord } | null>;
  originAllowed(facts: RequestFacts): boolean;
  /**
   * Whether a board is locked (only facilitators write to it); answered from memory, so the
   * workshop's facilitation state is made ready (loaded) before its first connection opens.
   */
  locks: {
    isLocked(boardId: string, workshopId: string): boolean;
    ready(workshopId: string): Promise<void>;
    /** Read the workshop's locks from the store again: the store refused an edit this cache allowed. */
    refresh?(workshopId: string): Promise<void>;
  };
  /** Publishes durable updates to the rooms (in-process by default; RedisRelay with REDIS_URL). */
  relay?: BoardRelay;
  /** Open connections per participant (across processes with REDIS_URL). */
  connectionCounts?: ConnectionCounts;
  /** Failed upgrades per address (shared across processes with REDIS_URL). */
  failedUpgrades?: RateLimiterAbstract;
  /**
   * Cards someone took off a board that someone else wrote (kept in Removed cards), or that are
   * no longer kept (back on the board): once stored, so their authors and facilitators are told.
   */
  onRemovals?: (workshopId: string, boardId: string, changes: RemovalChange[]) => void;
  /** A board changed (any stored edit, the server's own too), once it is durable and relayed. */
  onBoardChanged?: (workshopId: string, boardId: string) => void;
}

/** Who a connection is, once the upgrade is decided. */
export interface Admitted {
  board: BoardRecord;
  participant: ParticipantRecord;
}

/** A connection driven by its transport: hand it each message, and tell it when the socket went. */
export interface ConnectionHandle {
  readonly connection: SyncConnection;
  receive(data: Uint8Array, isBinary?: boolean): void;
  pong(): void;
  closed(): void;
}

const SYNC_STEP2 = 1;

export class SyncHost implements BoardPeer, BoardConnections {
  private wss: WebSocketServer;
  private rooms: RoomRegistry;
  private queue: RelayQueue;
  private relay: BoardRelay;
  /** Open sync connections per participant, for the per-session limit. */
  private openByParticipant: ConnectionCounts;
  private failedUpgrades: RateLimiterAbstract;
  private pingTimer: NodeJS.Timeout;
  private catchUpTimer: NodeJS.Timeout;
  private closing = false;
  readonly stats: SyncStats = { flushes: 0, storedUpdates: 0, failedFlushes: 0, refusedUpgrades: 0, malformed: 0, refusedEdits: 0 };

  constructor(private opts: SyncHostOptions) {
    // A sync answer (a page's offline work) may be as large as a whole board; every other
    // message is held to maxMessageBytes in receive(). Frames up to twice the document limit are
    // read, so offline work that can never fit is refused with "too large" (4413: a standard
    // client does not retry) rather than ws's own 1009, which y-websocket retries forever.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 2 * opts.limits.maxDocBytes, perMessageDeflate: false });
    this.failedUpgrades = opts.failedUpgrades ?? new RateLimiterMemory({ points: opts.limits.failedUpgradesPerMinute, duration: 60 });
    this.openByParticipant = opts.connectionCounts ?? new LocalConnectionCounts();
    this.relay = opts.relay ?? new LocalRelay();
    this.queue = new RelayQueue({
      log: opts.log,
      relay: this.relay,
      logger: opts.logger,
      stats: this.stats,
      compactEvery: opts.compactEvery,
      isCurrent: (room) => this.rooms.isCurrent(room),
      onRemovals: (room, changes) => opts.onRemovals?.(room.workshopId, room.boardId, changes),
      // The board was locked (by another process) before these edits could be stored: nothing of
      // them went out. The room's document holds them, so it goes, and its pages reconnect to a
      // room loaded from the store; their edits are kept on the page and refused as any edit to
      // a locked board is (and asked for again once it is unlocked).
      onRefused: (room) => {
        this.opts.logger.info({ boardId: room.boardId }, 'edits to a board locked meanwhile were refused by the store');
        this.queue.forget(room);
        this.rooms.drop(room.boardId);
        room.failWaiters(new Error('the board was locked'));
        // This process had not heard of the lock yet: it reads it now, so the pages' edits are
        // refused at the door when they reconnect (a reconnect that wins the race is refused by
        // the store again, and this repeats).
        void this.opts.locks
          .refresh?.(room.workshopId)
          .catch((err: unknown) => this.opts.logger.error({ err }, 'could not read the locks again'));
        for (const conn of [...room.connections]) conn.close('serverError');
      },
      onChanged: (room) => opts.onBoardChanged?.(room.workshopId, room.boardId)
    });
    this.rooms = new RoomRegistry({
      log: opts.log,
      relay: this.relay,
      logger: opts.logger,
      unloadDelayMs: opts.limits.unloadDelayMs,
      onDirty: (room) => this.queue.markDirty(room),
      beforeUnload: async (room) => {
        this.queue.takeWaiting(room);
        await this.queue.flushNow(room);
        await this.queue.compact(room);
        return !room.hasPending();
      }
    });
    this.pingTimer = setInterval(() => this.pingAll(), opts.limits.pingIntervalMs);
    this.pingTimer.unref();
    this.catchUpTimer = setInterval(() => this.catchUpReaders(), 100);
    this.catchUpTimer.unref();
  }

  // ---- Upgrades -------------------------------------------------------------------------------

  /** Returns false when the request is not for /sync, so other upgrade handlers can take it. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (!isSyncPath(req.url ?? '/')) return false;
    socket.on('error', () => socket.destroy());
    void this.upgrade(req, socket, head).catch((err) => {
      this.opts.logger.error({ err }, 'sync upgrade failed');
      socket.destroy();
    });
    return true;
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const facts = nodeRequest(req);
    const decision = await authorizeUpgrade(
      { url: req.url ?? '/', facts },
      {
        closing: this.closing,
        originAllowed: (f) => this.opts.originAllowed(f),
        board: (id) => this.opts.board(id),
        authenticate: (token) => this.opts.authenticate(token),
        openConnections: (id) => this.openByParticipant.count(id),
        connectionsPerSession: this.opts.limits.connectionsPerSession
      }
    );
    if (!decision.ok) return this.refuse(socket, facts, decision);
    // Load the board (and its workshop's locks) before the socket opens, so no message waits.
    await this.opts.locks.ready(decision.board.workshopId);
    let room: Room;
    try {
      room = await this.rooms.acquire(decision.board.id, decision.board.workshopId);
    } catch (err) {
      this.opts.logger.error({ err, boardId: decision.board.id }, 'could not load board');
      return this.refuse(socket, facts, {
        ok: false,
        status: 500,
        code: 'server_error',
        message: 'The board could not be loaded. Try again.'
      });
    }
    if (socket.destroyed) return this.rooms.release(room);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.attach(ws, room, decision);
      this.rooms.release(room);
    });
  }

  private async refuse(socket: Duplex, facts: RequestFacts, decision: Extract<UpgradeDecision, { ok: false }>): Promise<void> {
    this.stats.refusedUpgrades++;
    let { status, code, message } = decision;
    try {
      await this.failedUpgrades.consume(clientAddress(facts, this.opts.trustProxy));
    } catch {
      status = 429;
      code = 'rate_limited';
      message = 'Too many failed connection attempts. Wait a minute.';
    }
    socket.end(refusalResponse(status, { error: { code, message } }));
  }

  private attach(ws: WebSocket, room: Room, who: Admitted): void {
    let handle: ConnectionHandle | null = null;
    ws.on('error', (err) => {
      this.opts.logger.debug({ err: err.message, boardId: room.boardId }, 'sync socket error');
      handle?.connection.close('malformed');
    });
    handle = this.connect(wsSocket(ws), room, who);
    const h = handle;
    ws.on('pong', () => h.pong());
    ws.on('message', (data, isBinary) => {
      const buf = data as Buffer;
      h.receive(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), isBinary);
    });
    ws.once('close', () => h.closed());
  }

  /**
   * Connects any SyncSocket to a board as `who` (already admitted): production's `ws` sockets, and
   * tests' in-memory socket pairs, which drive a room message by message.
   */
  async handleConnection(socket: SyncSocket, who: Admitted): Promise<ConnectionHandle> {
    await this.opts.locks.ready(who.board.workshopId);
    const room = await this.rooms.acquire(who.board.id, who.board.workshopId);
    try {
      return this.connect(socket, room, who);
    } finally {
      this.rooms.release(room);
    }
  }

  private connect(socket: SyncSocket, room: Room, who: Admitted): ConnectionHandle {
    const { participant } = who;
    const limits = this.opts.limits;
    const conn = new SyncConnection(socket, participant, room.boardId, {
      messagesPerSecond: limits.syncMessagesPerSecond,
      messageBurst: limits.syncMessageBurst,
      maxBufferedBytes: limits.maxBufferedBytes
    });
    this.openByParticipant.opened(participant.id);
    const decodeOptions: DecodeOptions = {
      ownedElsewhere: (clientId: number) => room.ownedByAnother(clientId, conn),
      maxPresenceBytes: limits.maxPresenceBytes
    };
    let ended = false;
    room.add(conn);
    return {
      connection: conn,
      receive: (data, isBinary = true) => this.receive(room, conn, data, isBinary, decodeOptions),
      pong: () => (conn.alive = true),
      closed: () => {
        if (ended) return;
        ended = true;
        conn.ended();
        this.openByParticipant.closed(participant.id);
        room.remove(conn);
        this.rooms.idleIfUnused(room);
      }
    };
  }

  // ---- Messages -------------------------------------------------------------------------------

  private receive(room: Room, conn: SyncConnection, data: Uint8Array, isBinary: boolean, decodeOptions: DecodeOptions): void {
    if (conn.closed) return;
    if (!isBinary) return conn.close('malformed', 'text frames are not part of the protocol');
    if (!conn.allowMessage()) return conn.close('tooFast');
    // Only the answer to a sync step 1 the server sent (a page's offline work) may be larger
    // than one message: up to the document limit, checked below.
    if (data.length > this.opts.limits.maxMessageBytes && !(conn.answersOwed > 0 && data[0] === MESSAGE_SYNC && data[1] === SYNC_STEP2)) {
      return conn.close('messageTooBig');
    }
    try {
      const message = decodeClientMessage(data, decodeOptions);
      switch (message.kind) {
        case 'syncStep1':
          return this.answerSyncStep1(room, conn, message.stateVector);
        case 'update': {
          if (message.answer) conn.answersOwed = Math.max(0, conn.answersOwed - 1);
          if (!this.canWrite(conn)) {
            // Observers and locked boards: never applied, never relayed. The page keeps the
            // change, so once it may write again it is asked for it (see resync). A sync answer
            // always carries the page's whole delete set, so it counts only if it holds
            // something the board lacks; an edit made just now always counts.
            if (!message.answer || room.lacks(message.update)) {
              conn.refusedUpdates = true;
              this.stats.refusedEdits++;
            }
            return;
          }
          if (room.approxBytes + room.pendingBytes() + message.update.length > this.opts.limits.maxDocBytes) {
            // Refused once with a code that tells the page not to retry: it keeps the change
            // and says plainly that it could not be shared.
            return conn.close('tooLarge', 'board is full');
          }
          room.applyUpdate(conn, message.update);
          return;
        }
        case 'awareness':
          room.applyPresence(
            conn,
            message.entries,
            { participantId: conn.participant.id, name: conn.participant.name, role: conn.participant.role },
            this.opts.limits.maxPresenceBytes,
            this.opts.limits.presenceIdsPerConnection
          );
          return;
        case 'queryAwareness':
          room.answerPresenceQuery(conn);
          return;
        default: {
          const never: never = message;
          return never;
        }
      }
    } catch (err) {
      if (err instanceof PresenceTooLarge) return conn.close('tooLarge', 'presence too large');
      this.stats.malformed++;
      this.opts.logger.debug({ err: (err as Error).message, boardId: room.boardId }, 'malformed sync message');
      conn.close('malformed');
    }
  }

  /**
   * Answered from stored state only: the reply is made now, and sent once everything in it is
   * durable (edits waiting for their relay slot are stored at once for it). If they cannot be
   * made durable, no answer: unsaved edits never leave. One reply waits at a time per
   * connection: a page asks once per connection, and a flood of asks must not pile up copies of
   * the board in memory.
   */
  private answerSyncStep1(room: Room, conn: SyncConnection, stateVector: Uint8Array): void {
    if (conn.state.kind === 'awaitingReply') return;
    const reply = room.syncStep1Reply(stateVector);
    conn.state = { kind: 'awaitingReply' };
    this.queue.flushNow(room).then(
      () => {
        if (conn.state.kind !== 'awaitingReply') return;
        conn.state = { kind: 'open' };
        for (const m of reply) conn.send(m);
      },
      () => conn.close('serverError')
    );
  }

  private canWrite(conn: SyncConnection): boolean {
    return canEditBoard(conn.participant.role, { locked: this.opts.locks.isLocked(conn.boardId, conn.participant.workshopId) });
  }

  /**
   * Readers that fell behind (their buffer was full, so relays to them stopped) get one diff
   * from where they stopped once their buffer drains, then presence. The diff is made now and
   * sent once everything in it is durable; relays to the reader resume now, because whatever the
   * diff lacks was applied after it was made and is relayed from now on (Yjs applies the two in
   * either order, and what arrives twice once). Resuming them only once the diff has gone would
   * lose the rest of the commit that made the diff durable: that commit is relayed before the
   * diff's promise runs.
   */
  private catchUpReaders(): void {
    for (const room of this.rooms.all()) {
      for (const conn of room.connections) {
        const behind = conn.behind;
        if (!behind || conn.closed || !conn.drained()) continue;
        const diff = room.catchUp(behind.since);
        conn.behind = null;
        room.whenDurable().then(
          () => {
            if (conn.closed) return;
            conn.send(diff);
            const presence = room.presenceMessage();
            if (presence) conn.send(presence);
          },
          () => conn.close('serverError')
        );
      }
    }
  }

  private pingAll(): void {
    for (const room of this.rooms.all()) {
      for (const conn of room.connections) {
        if (!conn.alive) {
          conn.close('idle');
          continue;
        }
        conn.alive = false;
      }
    }
    for (const ws of this.wss.clients) {
      try {
        ws.ping();
      } catch {
        // closing already
      }
    }
  }

  // ---- BoardPeer: the server's own peer -------------------------------------------------------

  /**
   * Changes a board as the server's own peer (revealed drafts, anonymous cards, moderation). The
   * change is stored before anyone receives it, like any other, and the promise resolves once it
   * is durable. The room unloads again if nobody is on it.
   */
  async edit<T>(boardId: string, change: (board: Board) => T): Promise<T> {
    const room = await this.acquireBoard(boardId);
    try {
      let result!: T;
      room.doc.transact(() => {
        result = change(new Board(room.doc, SERVER_ORIGIN));
      }, SERVER_ORIGIN);
      await this.queue.flushNow(room);
      return result;
    } finally {
      this.rooms.release(room);
    }
  }

  /** Reads a board's current document (loading it if needed). */
  async read<T>(boardId: string, read: (board: Board) => T): Promise<T> {
    const room = await this.acquireBoard(boardId);
    try {
      return read(new Board(room.doc, SERVER_ORIGIN));
    } finally {
      this.rooms.release(room);
    }
  }

  private async acquireBoard(boardId: string): Promise<Room> {
    const loaded = this.rooms.get(boardId);
    if (loaded) return this.rooms.acquire(boardId, loaded.workshopId);
    const board = await this.opts.board(boardId);
    if (!board) throw new Error(`there is no board ${boardId}`);
    return this.rooms.acquire(board.id, board.workshopId);
  }

  // ---- BoardConnections -----------------------------------------------------------------------

  /** A participant's role or name changed: their open connections use the new record at once. */
  participantChanged(participant: ParticipantRecord): void {
    for (const room of this.rooms.all()) {
      for (const conn of room.connections) {
        if (conn.participant.id !== participant.id) continue;
        conn.participant = participant;
        this.resync(room, [conn]);
      }
    }
  }

  /**
   * A board was unlocked: pages whose edits were refused while it was locked are asked for what
   * the board lacks (a sync step 1 with the board's state vector; y-websocket answers with the
   * missing changes), so a card typed as the lock came down reaches everyone now instead of
   * living on one phone only until its next reconnect.
   */
  boardUnlocked(boardId: string): void {
    const room = this.rooms.get(boardId);
    if (room) this.resync(room, room.connections);
  }

  /** Asks each of `conns` that had edits refused, and may write now, for what the board lacks. */
  private resync(room: Room, conns: Iterable<SyncConnection>): void {
    let ask: Uint8Array | null = null; // encoded once for the whole board
    for (const conn of conns) {
      if (!conn.refusedUpdates || !this.canWrite(conn)) continue;
      ask ??= room.askMessage();
      conn.refusedUpdates = false;
      room.ask(conn, ask);
    }
  }

  /** Close one participant's connections everywhere, e.g. when a facilitator removes them. */
  closeParticipant(participantId: string, reason: 'removed' | 'forbidden'): void {
    for (const room of this.rooms.all()) {
      for (const conn of [...room.connections]) if (conn.participant.id === participantId) conn.close(reason);
    }
  }

  /**
   * Forget boards that are being deleted: close their connections ("this board does not exist any
   * more") and drop their rooms without saving, so nothing is written back after the deletion.
   */
  dropBoards(boardIds: string[]): void {
    for (const id of boardIds) {
      const room = this.rooms.get(id);
      if (!room) continue;
      this.queue.forget(room);
      for (const conn of [...room.connections]) conn.close('unknownBoard');
      this.rooms.drop(id);
    }
  }

  roomCount(): number {
    return this.rooms.count();
  }

  /** Saves everything, compacts, and closes every connection with a "restarting" reason. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.pingTimer);
    clearInterval(this.catchUpTimer);
    await this.queue.close();
    for (const room of [...this.rooms.all()]) {
      if (room.updatesSinceSnapshot > 0) await this.queue.compact(room);
      for (const conn of [...room.connections]) conn.close('shuttingDown');
    }
    this.rooms.dropAll();
    await this.relay.close();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
