// How a board's committed, durable updates reach the connections on it: published once per commit
// and delivered to every subscriber of that board. In one process (the default) that is a map of
// callbacks; running several processes (REDIS_URL), RedisRelay (redis-relay.ts) also appends each
// update to the board's Redis stream and delivers other processes' updates to the room as remote
// ones, with nothing in the relay queue changing. The shape is socket.io's adapters' (in-memory /
// cluster).
import type { SealedUpdate } from './room';

/** Presence changed on one process: an awareness update, and whose page each client id is. */
export interface PresenceNews {
  update: Uint8Array;
  /** Client id -> participant id. */
  owners: Record<string, string>;
}

/** A room, as a relay sees it. Only `sealed` is needed in one process. */
export interface BoardSubscriber {
  /** This process's durable update. */
  sealed(update: SealedUpdate): void;
  /** Another process's durable update (stored there before it was appended to the stream). */
  remote?(update: Uint8Array): void;
  /** Presence (an awareness update) from people on another process. */
  remotePresence?(processId: string, news: PresenceNews): void;
  /** A process stopped answering its heartbeat: its people leave presence. */
  processGone?(processId: string): void;
  /** Updates may have been missed (Redis went away): read the board back from the store. */
  resync?(): void;
  /** The presence of this process's people on the board (for a process that just opened it). */
  localPresence?(): PresenceNews | null;
  /** The processes this board has presence from (for the heartbeat check). */
  remoteProcesses?(): Set<string>;
}

export interface BoardRelay {
  /** Delivers `update` (already durable) to every subscriber of `boardId`. */
  publish(boardId: string, update: SealedUpdate): void;
  /** Whether presence goes to other processes (publishPresence does something). */
  readonly sharesPresence: boolean;
  /** Presence changed by people on this process, for other processes' rooms of the board. */
  publishPresence(boardId: string, news: PresenceNews): void;
  /** Calls `subscriber` with every update published for `boardId`; returns the unsubscribe. */
  subscribe(boardId: string, subscriber: BoardSubscriber): () => void;
  close(): Promise<void>;
}

/** The in-process relay. */
export class LocalRelay implements BoardRelay {
  readonly sharesPresence: boolean = false;
  protected subscribers = new Map<string, Set<BoardSubscriber>>();

  publish(boardId: string, update: SealedUpdate): void {
    for (const s of this.subscribers.get(boardId) ?? []) s.sealed(update);
  }

  publishPresence(_boardId: string, _news: PresenceNews): void {
    // One process: presence is relayed by the room itself.
  }

  subscribe(boardId: string, subscriber: BoardSubscriber): () => void {
    let set = this.subscribers.get(boardId);
    if (!set) this.subscribers.set(boardId, (set = new Set()));
    set.add(subscriber);
    return () => {
      set.delete(subscriber);
      if (!set.size && this.subscribers.get(boardId) === set) this.subscribers.delete(boardId);
    };
  }

  async close(): Promise<void> {
    this.subscribers.clear();
  }
}
