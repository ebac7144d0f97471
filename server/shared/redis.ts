// Redis, for what several server processes share (REDIS_URL): one connection for commands (stream
// appends, rate limits, heartbeats, publishing), and duplicates where a connection blocks or
// subscribes. ioredis reconnects by itself; while Redis is away commands wait in its offline queue,
// /healthz says so (503), and once it is back every process resyncs its rooms from the store (the
// store, never Redis, is where edits are kept). Nothing in Redis needs a backup.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface SharedRedis {
  /** This process's id in streams and heartbeats (random per start). */
  readonly processId: string;
  /** Commands: XADD, rate limits, heartbeats, PUBLISH. */
  readonly client: Redis;
  /** A new connection of its own (for a blocking XREAD, or SUBSCRIBE). */
  duplicate(name: string): Redis;
  /** Why Redis cannot be used now, or null when it can (for /healthz). */
  problem(): Promise<string | null>;
  /** Which of `processIds` still send their heartbeat (this one always does). */
  alive(processIds: Iterable<string>): Promise<Set<string>>;
  /** Calls `listener` every time a connection to Redis is ready again after it was lost. */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

/** Waits this long for Redis to answer /healthz's PING. */
const PING_TIMEOUT_MS = 1000;
/**
 * Each process sets its heartbeat key this often, to live this long: a process killed with -9 is
 * taken for gone (its people leave presence, its connections stop counting) within the TTL.
 */
export const HEARTBEAT_EVERY_MS = 1000;
export const HEARTBEAT_TTL_MS = 4000;
const heartbeatKey = (processId: string) => `rt:alive:${processId}`;

export function openRedis(url: string, logger: Logger): SharedRedis {
  const processId = randomBytes(6).toString('hex');
  const opened: Redis[] = [];
  const listeners: (() => void)[] = [];
  let closing = false;
  const connect = (name: string) => {
    const redis = new Redis(url, {
      connectionName: `roundtable:${processId}:${name}`,
      // Retry for ever, at most a second apart: a Redis restart is a pause, not an end.
      retryStrategy: (times) => Math.min(1000, 50 * times),
      maxRetriesPerRequest: null,
      lazyConnect: false
    });
    let lost = false;
    let lastError = 0;
    redis.on('error', (err: Error) => {
      if (closing) return;
      const now = Date.now();
      if (now - lastError > 10_000) logger.error({ err: err.message, connection: name }, 'cannot reach Redis; retrying');
      lastError = now;
    });
    redis.on('close', () => {
      if (!closing) lost = true;
    });
    if (name === 'commands') {
      redis.on('ready', () => {
        if (!lost) return;
        lost = false;
        logger.info('Redis is back: resyncing boards from the store');
        for (const l of listeners) l();
      });
    }
    opened.push(redis);
    return redis;
  };
  const client = connect('commands');
  const beat = () => {
    if (client.status === 'ready') client.set(heartbeatKey(processId), '1', 'PX', HEARTBEAT_TTL_MS).catch(() => undefined);
  };
  client.on('ready', beat);
  const heartbeat = setInterval(beat, HEARTBEAT_EVERY_MS);
  heartbeat.unref();
  return {
    processId,
    client,
    duplicate: connect,
    async problem() {
      if (client.status !== 'ready') return `Redis cannot be reached (${client.status})`;
      let timer: NodeJS.Timeout | undefined;
      try {
        const answer = await Promise.race([
          client.ping(),
          new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timeout'), PING_TIMEOUT_MS)))
        ]);
        return answer === 'PONG' ? null : 'Redis did not answer in time';
      } catch (err) {
        return `Redis cannot be reached (${(err as Error).message})`;
      } finally {
        clearTimeout(timer);
      }
    },
    async alive(processIds) {
      const ids = [...processIds].filter((id) => id !== processId);
      const out = new Set([processId]);
      if (!ids.length) return out;
      const found = await client.mget(...ids.map(heartbeatKey));
      ids.forEach((id, i) => found[i] !== null && out.add(id));
      return out;
    },
    onReconnect(listener) {
      listeners.push(listener);
    },
    async close() {
      closing = true;
      clearInterval(heartbeat);
      if (client.status === 'ready') await client.del(heartbeatKey(processId)).catch(() => undefined);
      // QUIT would wait in the offline queue for a Redis that is away.
      await Promise.all(
        opened.map(async (r) => {
          if (r.status !== 'ready') return r.disconnect();
          await r.quit().catch(() => r.disconnect());
        })
      );
    }
  };
}
