// What one process tells the others, besides board updates (redis-relay.ts) and socket.io's own
// messages (its Redis streams adapter): a workshop's facilitation state moved (refresh the cache:
// locks are checked from it), a participant's record changed or they were removed (their sync
// connections are on any process), a workshop's boards were deleted. Redis pub/sub: a message
// sent while Redis is away is lost, so after a reconnect every process drops its cached states and
// reads them again (server/realtime.ts). The store's compare-and-set stays the arbiter: a stale
// cache can only make a command fail with "try again", never overwrite another's.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ParticipantRecord } from '../persistence/types';
import type { SharedRedis } from './redis';
import type { OnlineHere } from './online';

export type BusEvent =
  | { kind: 'state'; workshopId: string }
  | { kind: 'participant'; participant: ParticipantRecord }
  | { kind: 'close'; participantId: string; reason: 'removed' | 'forbidden' }
  | { kind: 'dropBoards'; boardIds: string[] }
  | { kind: 'online'; workshopId: string; from: string; here: OnlineHere }
  | { kind: 'hello' };

const CHANNEL = 'rt:events';

export class Bus {
  private subscriber: Redis;
  private handlers: ((event: BusEvent) => void)[] = [];
  private subscribedListeners: (() => void)[] = [];

  constructor(
    private redis: SharedRedis,
    private logger: Logger
  ) {
    this.subscriber = redis.duplicate('events');
    this.subscriber.subscribe(CHANNEL).then(
      () => this.subscribedListeners.forEach((l) => l()),
      (err: unknown) => logger.error({ err }, 'could not subscribe to Redis events')
    );
    // ioredis subscribes again by itself after a reconnect, as the connection becomes ready.
    let first = true;
    this.subscriber.on('ready', () => {
      if (first) return void (first = false);
      setTimeout(() => this.subscribedListeners.forEach((l) => l()), 100).unref();
    });
    this.subscriber.on('message', (_channel: string, raw: string) => {
      let message: { from: string; event: BusEvent };
      try {
        message = JSON.parse(raw) as { from: string; event: BusEvent };
      } catch {
        return;
      }
      if (message.from === redis.processId) return;
      for (const h of this.handlers) {
        try {
          h(message.event);
        } catch (err) {
          this.logger.error({ err, kind: message.event.kind }, 'could not handle an event from another process');
        }
      }
    });
  }

  publish(event: BusEvent): void {
    this.redis.client
      .publish(CHANNEL, JSON.stringify({ from: this.redis.processId, event }))
      .catch((err: unknown) => this.logger.error({ err: (err as Error).message }, 'could not tell the other processes'));
  }

  /** Calls `listener` once this process hears events (at start, and again after each reconnect). */
  onSubscribed(listener: () => void): void {
    this.subscribedListeners.push(listener);
  }

  on(handler: (event: BusEvent) => void): void {
    this.handlers.push(handler);
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
