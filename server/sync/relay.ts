// How a board's committed, durable updates reach the connections on it: published once per commit
// and delivered to every subscriber of that board. In one process (the default) that is a map of
// callbacks; running several processes, a Redis relay would append each update to the board's
// stream and deliver other processes' updates to the room as remote ones, with nothing in the
// rooms or the relay queue changing. The shape is socket.io's adapters' (in-memory / cluster).
import type { SealedUpdate } from './room';

export interface BoardRelay {
  /** Delivers `update` (already durable) to every subscriber of `boardId`. */
  publish(boardId: string, update: SealedUpdate): void;
  /** Calls `deliver` with every update published for `boardId`; returns the unsubscribe. */
  subscribe(boardId: string, deliver: (update: SealedUpdate) => void): () => void;
  close(): Promise<void>;
}

/** The in-process relay. */
export class LocalRelay implements BoardRelay {
  private subscribers = new Map<string, Set<(update: SealedUpdate) => void>>();

  publish(boardId: string, update: SealedUpdate): void {
    for (const deliver of this.subscribers.get(boardId) ?? []) deliver(update);
  }

  subscribe(boardId: string, deliver: (update: SealedUpdate) => void): () => void {
    let set = this.subscribers.get(boardId);
    if (!set) this.subscribers.set(boardId, (set = new Set()));
    set.add(deliver);
    return () => {
      set.delete(deliver);
      if (!set.size) this.subscribers.delete(boardId);
    };
  }

  async close(): Promise<void> {
    this.subscribers.clear();
  }
}
