// The relay across processes (REDIS_URL): one Redis stream per board. A process that stored an
// update appends it to the board's stream (with its process id, so it skips its own), then relays
// it to its own connections; every other process with a room for the board reads the stream
// (one blocking XREAD over all its boards) and applies the update to its room as a remote one,
// which relays it on. Only durable updates are appended, so nothing relayed anywhere is unstored.
// Presence goes the same way, unstored, and each process's heartbeat (server/shared/redis.ts)
// lets the others drop the people of a process that died. When Redis comes back after going
// away, every room is read back from the store: whatever was appended meanwhile, or never, is
// there. Streams are trimmed (MAXLEN ~): they carry news, never the record.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { HEARTBEAT_EVERY_MS, type SharedRedis } from '../shared/redis';
import { LocalRelay, type BoardSubscriber, type PresenceNews } from './relay';
import type { SealedUpdate } from './room';

const STREAM_PREFIX = 'rt:board:';
const streamKey = (boardId: string) => `${STREAM_PREFIX}${boardId}`;
/** Entries kept per board's stream, about (a reader that falls further behind resyncs). */
const STREAM_MAX_LEN = 1000;
/**
 * A room that starts reading its board's stream reads this far back, so an update stored by
 * another process after this one loaded the board from the store, but appended before its first
 * read, is not missed (Yjs ignores what the room has already).
 */
const LOOKBACK_MS = 10_000;
const READ_COUNT = 500;
const BLOCK_MS = 2000;

type Kind = 'u' | 'p';

export class RedisRelay extends LocalRelay {
  override readonly sharesPresence: boolean = true;
  private reader: Redis;
  private readerId: number | null = null;
  private blocked = false;
  private wakeIdle: (() => void) | null = null;
  /** The last stream entry read, per board this process has a room for. */
  private cursors = new Map<string, string>();
  /** Redis's clock minus ours, so look-backs are in Redis's time even if this machine's differs. */
  private clockOffset = 0;
  private running = true;
  private loop: Promise<void>;
  private checkTimer: NodeJS.Timeout;
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
    redis.onReconnect(() => this.resyncAll());
    this.loop = this.read();
    this.checkTimer = setInterval(() => void this.checkProcesses(), HEARTBEAT_EVERY_MS);
    this.checkTimer.unref();
  }

  override publish(boardId: string, update: SealedUpdate): void {
    this.append(boardId, 'u', update.update);
    super.publish(boardId, update);
  }

  override publishPresence(boardId: string, news: PresenceNews): void {
    this.append(boardId, 'p', news.update, JSON.stringify(news.owners));
  }

  override subscribe(boardId: string, subscriber: BoardSubscriber): () => void {
    const unsubscribe = super.subscribe(boardId, subscriber);
    if (!this.cursors.has(boardId)) {
      this.cursors.set(boardId, `${Date.now() + this.clockOffset - LOOKBACK_MS}-0`);
      this.wake();
    }
    return () => {
      unsubscribe();
      if (!this.subscribers.has(boardId)) this.cursors.delete(boardId);
    };
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

  /** A board was added: a blocked read is cut short so the next one includes it. */
  private wake(): void {
    this.wakeIdle?.();
    if (this.blocked && this.readerId !== null && this.redis.client.status === 'ready') {
      this.redis.client.client('UNBLOCK', this.readerId).catch(() => undefined);
    }
  }

  private async read(): Promise<void> {
    while (this.running) {
      if (!this.cursors.size) {
        await new Promise<void>((resolve) => (this.wakeIdle = resolve));
        this.wakeIdle = null;
        continue;
      }
      const boards = [...this.cursors.keys()];
      try {
        this.blocked = true;
        const answer = await this.reader.xreadBuffer(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...boards.map(streamKey),
          ...boards.map((b) => this.cursors.get(b)!)
        );
        this.blocked = false;
        for (const [key, entries] of answer ?? []) this.deliver(key.toString().slice(STREAM_PREFIX.length), entries);
      } catch (err) {
        this.blocked = false;
        if (!this.running) return;
        this.failed(err, 'could not read board streams from Redis');
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private deliver(boardId: string, entries: [Buffer, Buffer[]][]): void {
    if (!this.cursors.has(boardId)) return; // the room left while the read was out
    for (const [id, fields] of entries) {
      this.cursors.set(boardId, id.toString());
      const f: Record<string, Buffer> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i].toString()] = fields[i + 1];
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

  /** Every room reads its board back from the store (after Redis was away). */
  private resyncAll(): void {
    for (const set of this.subscribers.values()) for (const s of set) s.resync?.();
  }

  /** People held by a process that stopped its heartbeat leave presence everywhere here. */
  private async checkProcesses(): Promise<void> {
    if (this.redis.client.status !== 'ready') return;
    const seen = new Set<string>();
    for (const set of this.subscribers.values()) for (const s of set) for (const p of s.remoteProcesses?.() ?? []) seen.add(p);
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
    }
  }

  private failed(err: unknown, message: string): void {
    const now = Date.now();
    if (now - this.lastError < 10_000) return;
    this.lastError = now;
    this.logger.error({ err: (err as Error)?.message }, message);
  }

  override async close(): Promise<void> {
    this.running = false;
    clearInterval(this.checkTimer);
    this.wakeIdle?.();
    this.reader.disconnect();
    await this.loop.catch(() => undefined);
    await super.close();
  }
}
