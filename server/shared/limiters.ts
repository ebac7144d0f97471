// The rate limits that must hold across processes (workshops created per address, join-code
// guesses, failed sync upgrades): in memory in one process; in Redis with REDIS_URL
// (rate-limiter-flexible's RateLimiterRedis), so an address cannot get N times the limit by
// spreading over N processes. While Redis cannot be reached each process falls back to its own
// in-memory limiter (the insurance limiter) rather than refusing, or letting through, everyone.
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SharedRedis } from './redis';

export type LimiterFactory = (name: string, points: number, durationSeconds: number) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (_name, points, duration) => new RateLimiterMemory({ points, duration });

export function redisLimiters(redis: SharedRedis): LimiterFactory {
  return (name, points, duration) =>
    new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: `rt:limit:${name}`,
      points,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points, duration })
    });
}
