// Open sync connections per participant session, for LIMIT_CONNECTIONS_PER_SESSION. In one
// process, a map. With REDIS_URL, also a hash per participant in Redis (a field per process), so
// the limit holds across processes: a process whose heartbeat stopped no longer counts, and
// after Redis comes back (empty, after a restart) each process writes its counts again. While
// Redis cannot be reached, each process counts its own connections only (the limit is per
// process then, never "refuse everyone").
import type { SharedRedis } from './redis';

export interface ConnectionCounts {
  /** Open sync connections this participant holds now, on every process. */
  count(participantId: string): number | Promise<number>;
  opened(participantId: string): void;
  closed(participantId: string): void;
}

export class LocalConnectionCounts implements ConnectionCounts {
  protected open = new Map<string, number>();

  count(participantId: string): number | Promise<number> {
    return this.open.get(participantId) ?? 0;
  }

  opened(participantId: string): void {
    this.open.set(participantId, (this.open.get(participantId) ?? 0) + 1);
  }

  closed(participantId: string): void {
    const n = (this.open.get(participantId) ?? 1) - 1;
    if (n > 0) this.open.set(participantId, n);
    else this.open.delete(participantId);
  }
}

const key = (participantId: string) => `rt:conns:${participantId}`;
/** A participant's hash outlives its last change by this long (a day), so nothing stays for ever. */
const TTL_SECONDS = 86_400;

export class RedisConnectionCounts extends LocalConnectionCounts {
  constructor(private redis: SharedRedis) {
    super();
    redis.onReconnect(() => {
      for (const [id, n] of this.open) this.write(id, n);
    });
  }

  override async count(participantId: string): Promise<number> {
    const local = this.open.get(participantId) ?? 0;
    if (this.redis.client.status !== 'ready') return local;
    try {
      const all = await this.redis.client.hgetall(key(participantId));
      const alive = await this.redis.alive(Object.keys(all));
      let total = local;
      for (const [processId, n] of Object.entries(all))
        if (processId !== this.redis.processId && alive.has(processId)) total += Number(n) || 0;
      return total;
    } catch {
      return local;
    }
  }

  override opened(participantId: string): void {
    super.opened(participantId);
    this.write(participantId, this.open.get(participantId) ?? 0);
  }

  override closed(participantId: string): void {
    super.closed(participantId);
    this.write(participantId, this.open.get(participantId) ?? 0);
  }

  private write(participantId: string, n: number): void {
    if (this.redis.client.status !== 'ready') return;
    const k = key(participantId);
    const done =
      n > 0
        ? this.redis.client.multi().hset(k, this.redis.processId, n).expire(k, TTL_SECONDS).exec()
        : this.redis.client.hdel(k, this.redis.processId);
    done.catch(() => undefined);
  }
}
