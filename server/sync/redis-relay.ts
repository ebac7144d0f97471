// The relay across processes (REDIS_URL): one Redis stream per board. A process that stored an
// update appends it to the board's stream (with its process id, so it skips its own), then relays
// it to its own connections; every other process with a room for the board reads the stream
// (one blocking XREAD over all its shared boards) and applies the update to its room as a remote
// one, which relays it on. Only durable updates are appended, so nothing relayed anywhere is
// unstored. Presence goes the same way, unstored, and each process's heartbeat
// (server/shared/redis.ts) lets the others drop the people of a process that died. When Redis
// comes back after going away, every room is read back from the store: whatever was appended
// meanwhile, or never, is there. Streams are trimmed (MAXLEN ~): they carry news, never the record.
//
// A board only one process holds (the proxy hashes boards to processes, so nearly every board)
// costs Redis nothing per edit: nobody else would read its stream, so nothing is appended to it
// and nobody reads it. Who holds a board is a Redis hash per board (`rt:holders:<boardId>`) and
// news of it goes on one control stream every process reads (`rt:opened`):
// - A process opening a board adds itself to the hash, reads who else is in it, then appends
//   "open" to the control stream. Until it has read the hash it appends everything, as if shared.
// - A process holding the board that reads another's "open" starts appending for the board (and
//   reading its stream), sends its people's presence, and answers "sharing" to the opener, which
//   then reads the board back from the store. What the holder stored and did not append before it
//   read the "open" was stored before its answer, so the opener's read-back has it: nothing is
//   missed in the moment between. The holder reads the board back too (what the opener appended
//   before it started reading).
// - A process that unloads the board leaves the hash and appends "close"; a process whose
//   heartbeat stopped is dropped as a holder too. Every few seconds each process reads the hashes
//   of its boards again, so a control entry lost (Redis restarted, a reader far behind) heals.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { HEARTBEAT_EVERY_MS, type SharedRedis } from '../shared/redis';
import { LocalRelay, type BoardSubscriber, type PresenceNews } from './relay';
import type { SealedUpdate } from './room';

const STREAM_PREFIX = 'rt:board:';
const streamKey = (boardId: string) => `${STREAM_PREFIX}${boardId}`;
/** Who holds a board: process id -> when it opened it. */
const holdersKey = (boardId: string) => `rt:holders:${boardId}`;
/** Boards opened and closed by every process ("open", "sharing", "close"). */
const CONTROL_STREAM = 'rt:opened';
const CONTROL_MAX_LEN = 10_000;
/** Entries kept per board's stream, about (a reader that falls further behind resyncs). */
const STREAM_MAX_LEN = 1000;
/**
 * A board's stream, once this process starts reading it, is read from this far back, so an update
 * another process appended a moment before is not missed (Yjs ignores what the room has already).
 */
const LOOKBACK_MS = 10_000;
const READ_COUNT = 500;
const BLOCK_MS = 2000;
/** Every this many heartbeats, the holders of every board here are read again. */
const REFRESH_EVERY_BEATS = 5;

type Kind = 'u' | 'p';

interface Held {
  /** Other processes holding the board (alive, as far as this one knows). */
  others: Set<string>;
  /** Whether this process has read the holders' hash since opening it (until then it appends everything). */
  known: boolean;
  /** The last entry read of the board's stream, while it is read (shared, or not known yet). */
  cursor: string | null;
}

export class RedisRelay extends LocalRelay {
  override readonly sharesPresence: boolean = true;
  private reader: Redis;
  private readerId: number | null = null;
  private blocked = false;
  /** Boards this process has a room for. */
  private held = new Map<string, Held>();
  private controlCursor: string;
  /** Redis's clock minus ours, so look-backs are in Redis's time even if this machine's differs. */
  private clockOffset = 0;
  private running = true;
  /** Resolves on close: a read waiting in the queue of a Redis that is away never answers. */
  private stopped: Promise<null>;
  private stop!: () => void;
  private loop: Promise<void>;
  private checkTimer: NodeJS.Timeout;
  private beats = 0;
  private lastError = 0;

  constructor(
    private redis: SharedRedis,
    private logger: Logger
  ) {
    super();
    this.reader = redis.duplicate('relay-reader');
    this.reader.on('ready', () => {
      this.reader.client('ID').then(
        (id) => (this.readerId = Number(id)),
        () => undefined
      );
    });
    redis.client.on('ready', () => {
      redis.client.time().then(
        ([s, us]) => (this.clockOffset = Number(s) * 1000 + Math.floor(Number(us) / 1000) - Date.now()),
        () => undefined
      );
    });
    redis.onReconnect(() => this.reopenAll());
    this.controlCursor = this.lookback();
    this.stopped = new Promise((resolve) => (this.stop = () => resolve(null)));
    this.loop = this.read();
    this.checkTimer = setInterval(() => void this.checkProcesses(), HEARTBEAT_EVERY_MS);
    this.checkTimer.unref();
  }

  override publish(boardId: string, update: SealedUpdate): void {
    if (this.shared(boardId)) this.append(boardId, 'u', update.update);
    super.publish(boardId, update);
  }

  override publishPresence(boardId: string, news: PresenceNews): void {
    if (this.shared(boardId)) this.append(boardId, 'p', news.update, JSON.stringify(news.owners));
  }

  override subscribe(boardId: string, subscriber: BoardSubscriber): () => void {
    const unsubscribe = super.subscribe(boardId, subscriber);
    if (!this.held.has(boardId)) this.open(boardId);
    return () => {
      unsubscribe();
      if (!this.subscribers.has(boardId) && this.held.has(boardId)) this.closeBoard(boardId);
    };
  }

  /** Whether another process may read the board's stream (or this one does not know yet). */
  private shared(boardId: string): boolean {
    const h = this.held.get(boardId);
    return !h || !h.known || h.others.size > 0;
  }

  private lookback(): string {
    return `${Date.now() + this.clockOffset - LOOKBACK_MS}-0`;
  }

  private open(boardId: string): void {
    const h: Held = { others: new Set(), known: false, cursor: this.lookback() };
    this.held.set(boardId, h);
    this.wake();
    void this.register(boardId, h);
  }

  /** Joins the board's holders, learns the others, and tells them (see the top of the file). */
  private async register(boardId: string, h: Held): Promise<void> {
    try {
      const answers = await this.redis.client
        .multi()
        .hset(holdersKey(boardId), this.redis.processId, String(Date.now()))
        .hkeys(holdersKey(boardId))
        .exec();
      this.control(boardId, 'open');
      const keys = ((answers?.[1]?.[1] as string[] | undefined) ?? []).filter((p) => p !== this.redis.processId);
      const alive = keys.length ? await this.redis.alive(keys) : new Set<string>();
      const dead = keys.filter((p) => !alive.has(p));
      if (dead.length) this.redis.client.hdel(holdersKey(boardId), ...dead).catch(() => undefined);
      if (this.held.get(boardId) !== h) return; // closed meanwhile
      for (const p of keys) if (alive.has(p)) h.others.add(p);
      h.known = true;
      this.readIfShared(boardId, h);
    } catch (err) {
      // Still not known: everything is appended, as if shared; the next refresh tries again.
      this.failed(err, 'could not register a board with Redis');
    }
  }

  private closeBoard(boardId: string): void {
    this.held.delete(boardId);
    this.redis.client.hdel(holdersKey(boardId), this.redis.processId).catch(() => undefined);
    this.control(boardId, 'close');
  }

  /** Reads a board's stream while another process holds it (or who does is not known yet). */
  private readIfShared(boardId: string, h: Held): void {
    const shared = !h.known || h.others.size > 0;
    if (shared && h.cursor === null) {
      h.cursor = this.lookback();
      this.wake();
    } else if (!shared) h.cursor = null;
  }

  private control(boardId: string, event: 'open' | 'close' | 'sharing', to = ''): void {
    this.redis.client
      .xadd(CONTROL_STREAM, 'MAXLEN', '~', String(CONTROL_MAX_LEN), '*', 'b', boardId, 'p', this.redis.processId, 'e', event, 't', to)
      .catch((err: unknown) => this.failed(err, 'could not tell other processes about a board in Redis'));
  }

  /** Another process opened, answered for, or closed a board. */
  private onControl(fields: Record<string, Buffer>): void {
    const boardId = fields.b?.toString();
    const from = fields.p?.toString();
    const event = fields.e?.toString();
    if (!boardId || !from || from === this.redis.processId) return;
    const h = this.held.get(boardId);
    if (!h) return;
    if (event === 'open') this.startSharing(boardId, h, from);
    else if (event === 'sharing' && fields.t?.toString() === this.redis.processId) {
      h.others.add(from);
      this.readIfShared(boardId, h);
      // What `from` stored and did not append before it heard of this process is in the store.
      this.forEachSubscriber(boardId, (s) => s.resync?.());
    } else if (event === 'close') {
      h.others.delete(from);
      this.readIfShared(boardId, h);
    }
  }

  /** `other` holds a board this process holds: appends for it from now on, and says so. */
  private startSharing(boardId: string, h: Held, other: string): void {
    const was = h.cursor !== null;
    h.others.add(other);
    this.readIfShared(boardId, h);
    this.control(boardId, 'sharing', other);
    this.forEachSubscriber(boardId, (s) => {
      const news = s.localPresence?.();
      if (news) this.append(boardId, 'p', news.update, JSON.stringify(news.owners));
      // What `other` appended before this process started reading the stream.
      if (!was) s.resync?.();
    });
  }

  private forEachSubscriber(boardId: string, fn: (s: BoardSubscriber) => void): void {
    for (const s of this.subscribers.get(boardId) ?? []) {
      try {
        fn(s);
      } catch (err) {
        this.logger.error({ err, boardId }, 'could not share a board with another process');
      }
    }
  }

  private append(boardId: string, kind: Kind, data: Uint8Array, owners = ''): void {
    this.redis.client
      .xadd(
        streamKey(boardId),
        'MAXLEN',
        '~',
        String(STREAM_MAX_LEN),
        '*',
        'p',
        this.redis.processId,
        'k',
        kind,
        'o',
        owners,
        'd',
        Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      )
      .catch((err: unknown) => this.failed(err, 'could not append to a board stream in Redis'));
  }

  /** A board was added to the read: a blocked read is cut short so the next one includes it. */
  private wake(): void {
    if (this.blocked && this.readerId !== null && this.redis.client.status === 'ready') {
      this.redis.client.client('UNBLOCK', this.readerId).catch(() => undefined);
    }
  }

  private async read(): Promise<void> {
    while (this.running) {
      const boards: string[] = [];
      const cursors: string[] = [];
      for (const [boardId, h] of this.held) {
        if (h.cursor === null) continue;
        boards.push(streamKey(boardId));
        cursors.push(h.cursor);
      }
      try {
        this.blocked = true;
        const answer = await Promise.race([
          this.reader.xreadBuffer(
            'COUNT',
            READ_COUNT,
            'BLOCK',
            BLOCK_MS,
            'STREAMS',
            CONTROL_STREAM,
            ...boards,
            this.controlCursor,
            ...cursors
          ),
          this.stopped
        ]);
        this.blocked = false;
        if (!this.running) return;
        for (const [key, entries] of answer ?? []) {
          const name = key.toString();
          if (name === CONTROL_STREAM) this.deliverControl(entries);
          else this.deliver(name.slice(STREAM_PREFIX.length), entries);
        }
      } catch (err) {
        this.blocked = false;
        if (!this.running) return;
        this.failed(err, 'could not read board streams from Redis');
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private deliverControl(entries: [Buffer, Buffer[]][]): void {
    for (const [id, fields] of entries) {
      this.controlCursor = id.toString();
      try {
        this.onControl(fieldsOf(fields));
      } catch (err) {
        this.logger.error({ err }, 'could not read news of a board from another process');
      }
    }
  }

  private deliver(boardId: string, entries: [Buffer, Buffer[]][]): void {
    const h = this.held.get(boardId);
    if (!h || h.cursor === null) return; // the room left (or stopped reading) while the read was out
    for (const [id, fields] of entries) {
      h.cursor = id.toString();
      const f = fieldsOf(fields);
      const from = f.p?.toString();
      if (!from || from === this.redis.processId || !f.d) continue;
      const kind = f.k?.toString();
      const data = new Uint8Array(f.d.buffer, f.d.byteOffset, f.d.byteLength);
      for (const s of this.subscribers.get(boardId) ?? []) {
        try {
          if (kind === 'u') s.remote?.(data);
          else if (kind === 'p')
            s.remotePresence?.(from, { update: data, owners: JSON.parse(f.o?.toString() || '{}') as Record<string, string> });
        } catch (err) {
          // A malformed entry must not stop the board's other entries, or other boards.
          this.logger.error({ err, boardId }, 'could not apply an update from another process');
        }
      }
    }
  }

  /**
   * Redis was away: every room reads its board back from the store, and every board is opened
   * again (its holders' hash and control entries may be gone with a restarted Redis).
   */
  private reopenAll(): void {
    for (const set of this.subscribers.values()) for (const s of set) s.resync?.();
    for (const boardId of [...this.held.keys()]) this.open(boardId);
  }

  /**
   * People held by a process that stopped its heartbeat leave presence everywhere here, and it
   * stops counting as a holder; every few beats the holders of every board are read again.
   */
  private async checkProcesses(): Promise<void> {
    if (this.redis.client.status !== 'ready') return;
    if (++this.beats % REFRESH_EVERY_BEATS === 0) await this.refreshHolders();
    const seen = new Set<string>();
    for (const set of this.subscribers.values()) for (const s of set) for (const p of s.remoteProcesses?.() ?? []) seen.add(p);
    for (const h of this.held.values()) for (const p of h.others) seen.add(p);
    if (!seen.size) return;
    let alive: Set<string>;
    try {
      alive = await this.redis.alive(seen);
    } catch {
      return;
    }
    for (const p of seen) {
      if (alive.has(p)) continue;
      for (const set of this.subscribers.values()) for (const s of set) s.processGone?.(p);
      for (const [boardId, h] of this.held) {
        if (!h.others.delete(p)) continue;
        this.readIfShared(boardId, h);
        this.redis.client.hdel(holdersKey(boardId), p).catch(() => undefined);
      }
    }
  }

  /** A holder this process missed the "open" of is shared with now (or a board never registered is). */
  private async refreshHolders(): Promise<void> {
    const boards = [...this.held.entries()];
    if (!boards.length) return;
    const pipeline = this.redis.client.pipeline();
    for (const [boardId] of boards) pipeline.hkeys(holdersKey(boardId));
    let answers: [Error | null, unknown][] | null;
    try {
      answers = await pipeline.exec();
    } catch {
      return;
    }
    boards.forEach(([boardId, h], i) => {
      if (this.held.get(boardId) !== h) return;
      const keys = (answers?.[i]?.[1] as string[] | undefined) ?? [];
      if (!keys.includes(this.redis.processId)) {
        // Never registered (Redis was away), or the hash was lost: again.
        void this.register(boardId, h);
        return;
      }
      // Dead ones among them are dropped by the heartbeat check.
      for (const p of keys) if (p !== this.redis.processId && !h.others.has(p)) this.startSharing(boardId, h, p);
    });
  }

  private failed(err: unknown, message: string): void {
    const now = Date.now();
    if (now - this.lastError < 10_000) return;
    this.lastError = now;
    this.logger.error({ err: (err as Error)?.message }, message);
  }

  override async close(): Promise<void> {
    this.running = false;
    this.stop();
    clearInterval(this.checkTimer);
    this.reader.disconnect();
    await this.loop.catch(() => undefined);
    await super.close();
  }
}

function fieldsOf(fields: Buffer[]): Record<string, Buffer> {
  const f: Record<string, Buffer> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i].toString()] = fields[i + 1];
  return f;
}
