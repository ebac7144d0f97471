// The y-websocket host at /sync/<boardId>: authenticates the upgrade, keeps one Room per board,
// stores every room's new updates in one transaction per tick and only then relays them, and
// unloads rooms (after a final save and compaction) when their last connection leaves.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as Y from 'yjs';
import { WebSocketServer, type WebSocket } from 'ws';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Logger } from 'pino';
import { canEditBoard } from '../../src/lib/domain/roles';
import type { Limits } from '../config';
import type { Store } from '../persistence/types';
import { clientAddress, originAllowed, readCookie } from '../origins';
import { sessionCookieName, type WorkshopService } from '../workshops';
import { SyncConnection, type ConnectionLimits } from './connection';
import { decodeClientMessage, encodeSyncStep1, type DecodeOptions } from './messages';
import { PresenceTooLarge, Room, SERVER_ORIGIN, type SealedUpdate } from './room';
import { wsSocket } from './ws-socket';
import type { CardAuthorRecord, ParticipantRecord } from '../persistence/types';

export interface SyncHostOptions {
  store: Store;
  workshops: WorkshopService;
  limits: Limits;
  logger: Logger;
  publicUrl: string | null;
  extraOrigins: string[];
  /** Compact a board's update log into a snapshot after this many stored updates. */
  compactEvery?: number;
  /** Keep an empty room in memory this long, so a quick reconnect does not reload it. */
  unloadDelayMs?: number;
  /** Whether a board is locked (the facilitator's lock); only facilitators write to locked boards. */
  isLocked?: (boardId: string, workshopId: string) => boolean;
}

/**
 * A busy room is relayed at most once per this many ms per connection on it (capped): 1,000
 * people get at most 40 edit messages a second, each carrying every edit of the last 25 ms,
 * instead of one message per edit (sending one message to 1,000 sockets takes 25-60 ms on the
 * 2-core test machine). Presence (who is here, who types where) waits longer, at most 250 ms:
 * every presence message makes each y-websocket page send one back. A quiet room relays at once.
 * See docs/PERFORMANCE.md for the measurements behind these numbers.
 */
const RELAY_GAP_MS_PER_CONNECTION = 0.025;
const MAX_RELAY_GAP_MS = 25;
const PRESENCE_GAP_MS_PER_CONNECTION = 0.25;
const MAX_PRESENCE_GAP_MS = 250;

/** A page uses one Yjs client id; a few more allow for tabs sharing a socket in other clients. */
const MAX_CLIENT_IDS_PER_CONNECTION = 4;
const SYNC_PATH = /^\/sync\/([A-Za-z0-9_-]{1,64})\/?$/;

export class SyncHost {
  private wss: WebSocketServer;
  private rooms = new Map<string, Room>();
  /** Open sync connections per participant, for the per-session limit (kept, not counted per upgrade). */
  private openByParticipant = new Map<string, number>();
  private dirty = new Set<Room>();
  /** Rooms relayed a moment ago that have new work, waiting for their next relay slot. */
  private waiting = new Map<Room, { timer: NodeJS.Timeout; due: number }>();
  private lastRelay = new WeakMap<Room, number>();
  private lastPresence = new WeakMap<Room, number>();
  private flushScheduled = false;
  /** Relays and sync replies waiting for the disk, in order (see whenDurable). */
  private sendChain: Promise<void> = Promise.resolve();
  private lastDurableError = 0;
  private failedUpgrades: RateLimiterMemory;
  private pingTimer: NodeJS.Timeout;
  private connectionLimits: ConnectionLimits = { messagesPerSecond: 60, messageBurst: 200, maxBufferedBytes: 8 * 1024 * 1024 };
  private retryDelay = 0;
  private closing = false;
  readonly stats = { flushes: 0, storedUpdates: 0, failedFlushes: 0, refusedUpgrades: 0, malformed: 0, refusedEdits: 0 };

  constructor(private opts: SyncHostOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.limits.maxMessageBytes, perMessageDeflate: false });
    this.failedUpgrades = new RateLimiterMemory({ points: 30, duration: 60 });
    this.pingTimer = setInterval(() => this.pingAll(), 30_000);
    this.pingTimer.unref();
  }

  /** Returns false when the request is not for /sync, so other upgrade handlers can take it. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/sync' && !url.pathname.startsWith('/sync/')) return false;
    socket.on('error', () => socket.destroy());
    // Any other name under /sync is an unknown board: answered with 404, never left hanging.
    const match = SYNC_PATH.exec(url.pathname);
    void this.upgrade(req, socket, head, match ? match[1] : null, url.searchParams.get('token'));
    return true;
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, boardId: string | null, queryToken: string | null) {
    const address = clientAddress(req);
    const refuse = async (status: number, code: string, message: string) => {
      this.stats.refusedUpgrades++;
      try {
        await this.failedUpgrades.consume(address);
      } catch {
        status = 429;
        code = 'rate_limited';
        message = 'Too many failed connection attempts. Wait a minute.';
      }
      const body = JSON.stringify({ error: { code, message } });
      socket.end(
        `HTTP/1.1 ${status} ${status === 429 ? 'Too Many Requests' : 'Refused'}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
      );
    };
    if (this.closing) return refuse(503, 'server_error', 'The server is restarting.');
    if (!originAllowed(req, this.opts.publicUrl, this.opts.extraOrigins)) {
      return refuse(403, 'forbidden', 'Connections from other websites are not allowed.');
    }
    const board = boardId ? this.opts.store.getBoard(boardId) : null;
    if (!board) return refuse(404, 'not_found', 'There is no board with that id.');
    const token = queryToken ?? readCookie(req, sessionCookieName(board.workshopId));
    const session = this.opts.workshops.authenticate(token);
    if (!session) return refuse(401, 'not_signed_in', 'Join the workshop first: your session is missing or has ended.');
    if (session.workshop.id !== board.workshopId) return refuse(403, 'forbidden', 'Your session is for another workshop.');
    if ((this.openByParticipant.get(session.participant.id) ?? 0) >= this.opts.limits.connectionsPerSession) {
      return refuse(429, 'rate_limited', 'Too many open connections for one person. Close some tabs.');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, board.id, board.workshopId, session.participant));
  }

  private accept(ws: WebSocket, boardId: string, workshopId: string, participant: SyncConnection['participant']): void {
    const conn = new SyncConnection(wsSocket(ws), participant, boardId, this.connectionLimits);
    this.openByParticipant.set(participant.id, (this.openByParticipant.get(participant.id) ?? 0) + 1);
    ws.once('close', () => {
      const n = (this.openByParticipant.get(participant.id) ?? 1) - 1;
      if (n > 0) this.openByParticipant.set(participant.id, n);
      else this.openByParticipant.delete(participant.id);
    });
    ws.on('error', (err) => {
      this.opts.logger.debug({ err: err.message, boardId }, 'sync socket error');
      conn.close('malformed');
    });
    let room: Room;
    try {
      room = this.room(boardId, workshopId);
    } catch (err) {
      this.opts.logger.error({ err, boardId }, 'could not load board');
      conn.close('serverError');
      return;
    }
    ws.on('pong', () => (conn.alive = true));
    const decodeOptions: DecodeOptions = {
      ownedElsewhere: (clientId: number) => room.ownedByAnother(clientId, conn),
      maxPresenceBytes: this.opts.limits.maxPresenceBytes
    };
    ws.on('message', (data, isBinary) => this.receive(room, conn, data as Buffer, isBinary, decodeOptions));
    ws.on('close', () => {
      conn.closed = true;
      room.remove(conn);
      if (room.connections.size === 0) this.scheduleUnload(room);
    });
    room.add(conn);
  }

  private receive(room: Room, conn: SyncConnection, data: Buffer, isBinary: boolean, decodeOptions: DecodeOptions): void {
    if (conn.closed) return;
    if (!isBinary) return conn.close('malformed', 'text frames are not part of the protocol');
    if (!conn.allowMessage()) return conn.close('tooFast');
    try {
      const message = decodeClientMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), decodeOptions);
      switch (message.kind) {
        case 'syncStep1': {
          // Answered from stored state only: edits waiting for their relay slot are stored first
          // (and relayed early). If they cannot be stored, no answer: unsaved edits never leave.
          // The reply is made now, from a document holding only committed edits, and sent once
          // they are durable. One reply waits at a time per connection: a page asks once per
          // connection, and a flood of asks must not pile up copies of the board in memory.
          if (conn.replyWaiting) return;
          if (room.pending.length && !this.flushNow(room)) return;
          const reply = room.syncStep1Reply(message.stateVector);
          conn.replyWaiting = true;
          this.whenDurable(
            () => {
              conn.replyWaiting = false;
              for (const m of reply) conn.send(m);
            },
            () => conn.close('serverError')
          );
          return;
        }
        case 'update': {
          if (!this.canWrite(conn)) {
            // Observers and locked boards: never applied, never relayed. The page keeps the
            // change, so once it may write again it is asked for it (see resyncRefused). A sync
            // answer always carries the page's whole delete set, so it counts only if it holds
            // something the board lacks; an edit made just now always counts.
            if (!message.answer || room.lacks(message.update)) {
              conn.refusedUpdates = true;
              this.stats.refusedEdits++;
            }
            return;
          }
          if (room.approxBytes + room.pendingBytes() + message.update.length > this.opts.limits.maxDocBytes) {
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
            MAX_CLIENT_IDS_PER_CONNECTION
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

  private canWrite(conn: SyncConnection): boolean {
    return canEditBoard(conn.participant.role, { locked: this.opts.isLocked?.(conn.boardId, conn.participant.workshopId) ?? false });
  }

  private room(boardId: string, workshopId: string): Room {
    let room = this.rooms.get(boardId);
    if (room) return room;
    room = new Room(boardId, workshopId, () => this.markDirty(room!));
    const stored = this.opts.store.loadBoard(boardId);
    room.load(stored.snapshot, stored.updates, stored.lastUpdateId);
    this.rooms.set(boardId, room);
    return room;
  }

  /** When a room's presence may next be relayed (performance.now() time). */
  private presenceDue(room: Room): number {
    return (this.lastPresence.get(room) ?? 0) + Math.min(MAX_PRESENCE_GAP_MS, room.connections.size * PRESENCE_GAP_MS_PER_CONNECTION);
  }

  /** When a room's pending work may next be relayed: edits sooner than presence alone. */
  private relayDue(room: Room): number {
    const edits = (this.lastRelay.get(room) ?? 0) + Math.min(MAX_RELAY_GAP_MS, room.connections.size * RELAY_GAP_MS_PER_CONNECTION);
    if (room.pending.length || room.newAuthors.length) return edits;
    return Math.max(edits, this.presenceDue(room));
  }

  private markDirty(room: Room): void {
    if (!this.dirty.has(room) && !this.closing) {
      const now = performance.now();
      const due = this.relayDue(room);
      const waiting = this.waiting.get(room);
      if (due - now > 1) {
        if (waiting && waiting.due <= due + 1) return; // an earlier slot is booked already
        if (waiting) clearTimeout(waiting.timer);
        const timer = setTimeout(() => {
          this.waiting.delete(room);
          this.markDirty(room);
        }, due - now);
        this.waiting.set(room, { timer, due });
        return;
      }
      if (waiting) {
        clearTimeout(waiting.timer);
        this.waiting.delete(room);
      }
    }
    this.dirty.add(room);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    if (this.retryDelay) setTimeout(() => this.flush(), this.retryDelay).unref();
    else setImmediate(() => this.flush());
  }

  /** Stores every dirty room's updates in one transaction, then relays. Never relays unsaved work. */
  flush(): boolean {
    this.flushScheduled = false;
    if (this.closing) this.takeWaiting();
    if (!this.dirty.size) return true;
    const rooms = [...this.dirty];
    const batch: { boardId: string; update: Uint8Array }[] = [];
    const authors: CardAuthorRecord[] = [];
    for (const room of rooms) {
      authors.push(...room.newAuthors);
      if (room.pending.length) {
        const update = room.pending.length === 1 ? room.pending[0] : Y.mergeUpdates(room.pending);
        room.pending = [update];
        batch.push({ boardId: room.boardId, update });
      }
    }
    let lastId = 0;
    try {
      lastId = this.opts.store.appendUpdates(batch, authors);
    } catch (err) {
      this.stats.failedFlushes++;
      this.retryDelay = Math.min(5000, (this.retryDelay || 50) * 2);
      this.opts.logger.error({ err }, 'could not store board updates; keeping them in memory and retrying');
      for (const room of rooms) this.markDirty(room);
      return false;
    }
    this.retryDelay = 0;
    this.stats.flushes++;
    this.stats.storedUpdates += batch.length;
    this.dirty.clear();
    const now = performance.now();
    const presenceLater: Room[] = [];
    const sealed: [Room, SealedUpdate][] = [];
    for (const room of rooms) {
      this.lastRelay.set(room, now);
      const withPresence = this.closing || this.presenceDue(room) <= now + 1;
      if (withPresence && room.hasPendingPresence()) this.lastPresence.set(room, now);
      room.newAuthors = [];
      if (room.pending.length) {
        room.lastStoredId = lastId;
        room.updatesSinceSnapshot++;
      }
      try {
        const update = room.seal();
        if (update) sealed.push([room, update]);
        // Presence is never stored, so it goes now rather than after the disk.
        if (withPresence) room.relayPresence();
        if (room.hasPendingPresence()) presenceLater.push(room);
      } catch (err) {
        // Stored already; one room's failure must not stop the others' relay.
        this.opts.logger.error({ err, boardId: room.boardId }, 'relay failed');
      }
      if (room.updatesSinceSnapshot >= (this.opts.compactEvery ?? 500) && !room.compactQueued) {
        // Off the relay path: the next tick folds the log into a snapshot.
        room.compactQueued = true;
        setImmediate(() => {
          room.compactQueued = false;
          if (this.rooms.get(room.boardId) === room) this.compact(room);
        });
      }
    }
    if (sealed.length) {
      this.whenDurable(
        () => {
          for (const [room, update] of sealed) {
            try {
              room.relaySealed(update);
            } catch (err) {
              this.opts.logger.error({ err, boardId: room.boardId }, 'relay failed');
            }
          }
        },
        // Not on disk: never relayed. Everyone on these boards reconnects and syncs again, and
        // their pages keep their edits meanwhile.
        () => {
          for (const [room] of sealed) for (const conn of [...room.connections]) conn.close('serverError');
        }
      );
    }
    for (const room of presenceLater) this.markDirty(room); // books the room's presence slot
    return true;
  }

  /**
   * Runs `send` once every update committed so far is durable (store.durable()), in the order the
   * calls were made: relays and sync replies never overtake each other or the disk. The fsync runs
   * off the event loop, and one serves every commit made while the previous one ran. If the disk
   * fails, `fail` runs instead (nothing unsaved is ever sent) and the error is logged.
   */
  private whenDurable(send: () => void, fail: () => void): void {
    const durable = this.opts.store.durable();
    this.sendChain = this.sendChain
      .then(() => durable)
      .then(send, (err) => {
        this.stats.failedFlushes++;
        const now = Date.now();
        if (now - this.lastDurableError > 10_000) {
          this.lastDurableError = now;
          this.opts.logger.error({ err }, 'board edits could not be made durable; they are not relayed');
        }
        fail();
      })
      .catch((err) => this.opts.logger.error({ err }, 'relay failed'));
  }

  /** Folds a room's update log into one snapshot. The snapshot holds at least every stored update. */
  private compact(room: Room): void {
    try {
      const snapshot = Y.encodeStateAsUpdate(room.doc);
      this.opts.store.compactBoard(room.boardId, snapshot, room.lastStoredId);
      room.updatesSinceSnapshot = 0;
      room.approxBytes = snapshot.length;
      // Joiners get this same snapshot, unless it holds edits not stored yet.
      if (!room.pending.length) room.useSnapshot(snapshot);
    } catch (err) {
      this.opts.logger.error({ err, boardId: room.boardId }, 'compaction failed; the update log is intact');
    }
  }

  private scheduleUnload(room: Room): void {
    const delay = this.opts.unloadDelayMs ?? 2000;
    if (room.unloadTimer) clearTimeout(room.unloadTimer);
    room.unloadTimer = setTimeout(() => this.unload(room), delay);
    room.unloadTimer.unref();
  }

  /** Stores (and relays) a room's pending work at once, out of its pacing slot. */
  private flushNow(room: Room): boolean {
    this.takeWaiting(room);
    this.dirty.add(room);
    return this.flush();
  }

  /** Rooms waiting for their relay slot join the next flush now (unload, shutdown). */
  private takeWaiting(room?: Room): void {
    for (const [r, timer] of this.waiting) {
      if (room && r !== room) continue;
      clearTimeout(timer.timer);
      this.waiting.delete(r);
      this.dirty.add(r);
    }
  }

  private unload(room: Room): void {
    room.unloadTimer = null;
    if (room.connections.size > 0 || this.rooms.get(room.boardId) !== room) return;
    this.takeWaiting(room);
    if (room.hasPendingWork() && !this.flush()) {
      this.scheduleUnload(room); // never unload a document whose save failed
      return;
    }
    if (room.updatesSinceSnapshot > 0) this.compact(room);
    this.rooms.delete(room.boardId);
    this.dirty.delete(room);
    room.destroy();
  }

  /**
   * Change a board as the server's own peer (revealed drafts, anonymous cards, moderation). The
   * change is stored before it is relayed, like any other; the room unloads again if nobody is on it.
   */
  editBoard<T>(boardId: string, workshopId: string, change: (doc: Y.Doc, room: Room) => T): T {
    const room = this.room(boardId, workshopId);
    try {
      let result!: T;
      room.doc.transact(() => {
        result = change(room.doc, room);
      }, SERVER_ORIGIN);
      return result;
    } finally {
      if (room.connections.size === 0) this.scheduleUnload(room);
    }
  }

  /** Read a board's current document (loading it if needed). */
  readBoard<T>(boardId: string, workshopId: string, read: (doc: Y.Doc) => T): T {
    const room = this.room(boardId, workshopId);
    try {
      return read(room.doc);
    } finally {
      if (room.connections.size === 0) this.scheduleUnload(room);
    }
  }

  /** A participant's role or name changed: their open connections use the new record at once. */
  updateParticipant(participant: ParticipantRecord): void {
    for (const room of this.rooms.values()) {
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
  resyncRefused(boardId: string): void {
    const room = this.rooms.get(boardId);
    if (room) this.resync(room, room.connections);
  }

  /** Asks each of `conns` that had edits refused, and may write now, for what the board lacks. */
  private resync(room: Room, conns: Iterable<SyncConnection>): void {
    let ask: Uint8Array | null = null; // encoded once for the whole board
    for (const conn of conns) {
      if (!conn.refusedUpdates || !this.canWrite(conn)) continue;
      ask ??= encodeSyncStep1(Y.encodeStateVector(room.doc));
      conn.refusedUpdates = false;
      conn.send(ask);
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
      if (room.unloadTimer) clearTimeout(room.unloadTimer);
      clearTimeout(this.waiting.get(room)?.timer);
      this.waiting.delete(room);
      for (const conn of [...room.connections]) conn.close('unknownBoard');
      this.rooms.delete(id);
      this.dirty.delete(room);
      room.destroy();
    }
  }

  /** Close every connection on a board with a reason (removal, deletion). */
  closeBoard(boardId: string, reason: 'removed' | 'unknownBoard'): void {
    const room = this.rooms.get(boardId);
    if (room) for (const conn of [...room.connections]) conn.close(reason);
  }

  /** Close one participant's connections everywhere, e.g. when a facilitator removes them. */
  closeParticipant(participantId: string, reason: 'removed' | 'forbidden'): void {
    for (const room of this.rooms.values()) {
      for (const conn of [...room.connections]) if (conn.participant.id === participantId) conn.close(reason);
    }
  }

  private pingAll(): void {
    for (const room of this.rooms.values()) {
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

  roomCount(): number {
    return this.rooms.size;
  }

  /** Saves everything, compacts, and closes every connection with a "restarting" reason. */
  close(): void {
    this.closing = true;
    clearInterval(this.pingTimer);
    this.flush();
    for (const room of this.rooms.values()) {
      if (room.unloadTimer) clearTimeout(room.unloadTimer);
      if (room.updatesSinceSnapshot > 0) this.compact(room);
      for (const conn of [...room.connections]) conn.close('shuttingDown');
      room.destroy();
    }
    this.rooms.clear();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
