// The relay queue: the rule "stored before anyone else receives it". Rooms with new work are
// collected (paced for big rooms), every room's updates and new card authors go to the board log
// in one append, and only once the log says they are durable are they published through the
// BoardRelay to the connections. Sync replies and catch-ups that wait for the disk (room.whenDurable)
// go before the relay of the same commit. One commit or compaction runs at a time, in order.
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { BoardLog, CardAuthorRecord, RemovalChange } from '../persistence/types';
import type { BoardRelay } from './relay';
import type { Room, SealedUpdate, TakenWork } from './room';

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

export interface SyncStats {
  flushes: number;
  storedUpdates: number;
  failedFlushes: number;
  refusedUpgrades: number;
  malformed: number;
  refusedEdits: number;
}

export interface RelayQueueOptions {
  log: BoardLog;
  relay: BoardRelay;
  logger: Logger;
  stats: SyncStats;
  /** Compact a board's update log into a snapshot after this many stored updates. */
  compactEvery: number;
  /** Whether a room is still the registry's (a dropped room is never saved again). */
  isCurrent: (room: Room) => boolean;
  /** Changes to a board's Removed cards, once they are durable (its authors are told then). */
  onRemovals?: (room: Room, changes: RemovalChange[]) => void;
  /**
   * The store refused a room's work: its board was locked in the stored state when the commit
   * ran (a lock saved by another process a moment before), and the work holds edits from people
   * who may not write to it. Nothing of it was stored or relayed; the room's document holds it,
   * so the room must be dropped and its pages reconnected to a fresh one. [L-PG-7]
   */
  onRefused?: (room: Room) => void;
  /** A room's board changed, once the change is durable and relayed (what is counted on it may have changed). */
  onChanged?: (room: Room) => void;
}

export class RelayQueue {
  private dirty = new Set<Room>();
  /** Rooms relayed a moment ago that have new work, waiting for their next relay slot. */
  private waiting = new Map<Room, { timer: NodeJS.Timeout; due: number }>();
  private lastRelay = new WeakMap<Room, number>();
  private lastPresence = new WeakMap<Room, number>();
  private scheduled = false;
  private flushQueued = false;
  /** Commits and compactions, one at a time, in order. */
  private tail: Promise<unknown> = Promise.resolve();
  private retryDelay = 0;
  private lastDurableError = 0;
  private closing = false;

  constructor(private opts: RelayQueueOptions) {}

  /** When a room's presence may next be relayed (performance.now() time). */
  private presenceDue(room: Room): number {
    return (this.lastPresence.get(room) ?? 0) + Math.min(MAX_PRESENCE_GAP_MS, room.connections.size * PRESENCE_GAP_MS_PER_CONNECTION);
  }

  /** When a room's pending work may next be relayed: edits sooner than presence alone. */
  private relayDue(room: Room): number {
    const edits = (this.lastRelay.get(room) ?? 0) + Math.min(MAX_RELAY_GAP_MS, room.connections.size * RELAY_GAP_MS_PER_CONNECTION);
    if (room.hasPending() || room.hasRemoteWaiting()) return edits;
    return Math.max(edits, this.presenceDue(room));
  }

  /** A room has new work (an edit, presence): it joins the next commit, or waits for its slot. */
  markDirty(room: Room): void {
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
    this.schedule();
  }

  /**
   * Stores (and relays) a room's pending work at once, out of its pacing slot; resolves when
   * everything applied to it so far is durable (a joiner's reply, a server edit, an unload).
   */
  flushNow(room: Room): Promise<void> {
    if (room.hasPending() || room.hasPendingPresence()) {
      this.takeWaiting(room);
      this.dirty.add(room);
      this.schedule();
    }
    return room.whenDurable();
  }

  /** Runs `task` when no commit or compaction is running, before any queued after it. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const go = () => {
      this.scheduled = false;
      if (this.flushQueued) return; // the queued commit will take this room's work too
      this.flushQueued = true;
      void this.exclusive(async () => {
        this.flushQueued = false;
        await this.commit();
      });
    };
    if (this.retryDelay) setTimeout(go, this.retryDelay).unref();
    else setImmediate(go);
  }

  /** Rooms waiting for their relay slot join the next commit now (unload, shutdown). */
  takeWaiting(room?: Room): void {
    for (const [r, w] of this.waiting) {
      if (room && r !== room) continue;
      clearTimeout(w.timer);
      this.waiting.delete(r);
      this.dirty.add(r);
    }
  }

  /** Forget a room (dropped with its board): nothing of it is stored or relayed any more. */
  forget(room: Room): void {
    clearTimeout(this.waiting.get(room)?.timer);
    this.waiting.delete(room);
    this.dirty.delete(room);
  }

  /** One commit: every dirty room's updates and authors in one append, then relay once durable. */
  private async commit(): Promise<void> {
    if (this.closing) this.takeWaiting();
    if (!this.dirty.size) return;
    const rooms = [...this.dirty].filter((r) => this.opts.isCurrent(r));
    this.dirty.clear();
    const work: [Room, TakenWork][] = rooms.map((room) => [room, room.take()]);
    const batch: { boardId: string; update: Uint8Array; unlessLocked?: boolean }[] = [];
    const authors: CardAuthorRecord[] = [];
    const removals: RemovalChange[] = [];
    for (const [room, w] of work) {
      authors.push(...w.authors);
      removals.push(...w.removals);
      if (w.update) batch.push({ boardId: room.boardId, update: w.update, ...(w.guarded ? { unlessLocked: true } : {}) });
    }
    let lastId = 0;
    const refused: string[] = [];
    if (batch.length || authors.length || removals.length) {
      try {
        lastId = await this.opts.log.append(batch, authors, removals, refused);
      } catch (err) {
        this.opts.stats.failedFlushes++;
        this.retryDelay = Math.min(5000, (this.retryDelay || 50) * 2);
        this.opts.logger.error({ err }, 'could not store board updates; keeping them in memory and retrying');
        for (const [room, w] of work) {
          room.putBack(w);
          // Its pages are told their edits wait (not "saved"); told again once they are stored.
          if (w.update || w.authors.length || w.removals.length) room.setHeld(true);
          if (this.opts.isCurrent(room)) this.dirty.add(room);
        }
        this.schedule();
        return;
      }
    }
    this.retryDelay = 0;
    this.opts.stats.flushes++;
    this.opts.stats.storedUpdates += batch.length;
    const now = performance.now();
    const presenceLater: Room[] = [];
    const sealed: [Room, SealedUpdate, number][] = [];
    for (const [room, w] of work) {
      if (refused.includes(room.boardId) && w.update) {
        this.opts.stats.refusedEdits++;
        try {
          this.opts.onRefused?.(room);
        } catch (err) {
          this.opts.logger.error({ err, boardId: room.boardId }, 'could not drop a room whose edits were refused');
        }
        continue;
      }
      this.lastRelay.set(room, now);
      try {
        const update = room.stored(w, lastId);
        // Only a durable commit moves a room's durable mark (after a failed sync, never again).
        if (update) sealed.push([room, update, w.uptoSeq]);
        // Other processes' updates waiting for this slot go with this room's own (relaySealed),
        // or now if it has none: they are durable where they were stored.
        else room.relayRemoteWaiting();
        // Presence is never stored, so it goes now rather than after the disk.
        const withPresence = this.closing || this.presenceDue(room) <= now + 1;
        if (withPresence && room.hasPendingPresence()) {
          this.lastPresence.set(room, now);
          const forOthers = room.relayPresence(this.opts.relay.sharesPresence);
          if (forOthers) this.opts.relay.publishPresence(room.boardId, forOthers);
        }
        if (room.hasPendingPresence()) presenceLater.push(room);
      } catch (err) {
        // Stored already; one room's failure must not stop the others' relay.
        this.opts.logger.error({ err, boardId: room.boardId }, 'relay failed');
      }
      if (room.updatesSinceSnapshot >= this.opts.compactEvery && !room.compactQueued) {
        // Off the relay path: queued after this commit.
        room.compactQueued = true;
        void this.compact(room).finally(() => (room.compactQueued = false));
      }
    }
    for (const room of presenceLater) this.markDirty(room); // books the room's presence slot
    if (!sealed.length && !removals.length) {
      for (const [room] of work) room.setHeld(false);
      return;
    }
    try {
      await this.opts.log.durable();
    } catch (err) {
      this.opts.stats.failedFlushes++;
      const at = Date.now();
      if (at - this.lastDurableError > 10_000) {
        this.lastDurableError = at;
        this.opts.logger.error({ err }, 'board edits could not be made durable; they are not relayed');
      }
      // Not on disk: never relayed. Everyone on these boards reconnects and syncs again, and
      // their pages keep their edits meanwhile.
      for (const [room] of sealed) {
        room.failWaiters(err);
        for (const conn of [...room.connections]) conn.close('serverError');
      }
      return;
    }
    // Replies and catch-ups waiting for these updates are released (their promises run after the
    // relay below). Neither depends on that order: each holds everything up to when it was made,
    // and its connection is relayed everything committed after that.
    // Pages told their edits were held hear that they are stored, before the edits themselves.
    for (const [room] of work) room.setHeld(false);
    for (const [room, , seq] of sealed) room.markDurable(seq);
    for (const [room, update] of sealed) {
      try {
        if (!this.opts.isCurrent(room)) continue;
        this.opts.relay.publish(room.boardId, update);
        this.opts.onChanged?.(room);
      } catch (err) {
        this.opts.logger.error({ err, boardId: room.boardId }, 'relay failed');
      }
    }
    for (const [room, w] of work) {
      if (!w.removals.length || !this.opts.isCurrent(room)) continue;
      try {
        this.opts.onRemovals?.(room, w.removals);
      } catch (err) {
        this.opts.logger.error({ err, boardId: room.boardId }, 'could not tell people about removed cards');
      }
    }
  }

  /**
   * Folds a room's update log into one snapshot, between commits. The store merges the room's
   * whole document (pending edits included) with what it has stored, so an edit another process
   * stored that this room has not received yet is kept.
   */
  compact(room: Room): Promise<void> {
    return this.exclusive(async () => {
      if (!this.opts.isCurrent(room) || room.updatesSinceSnapshot === 0) return;
      try {
        const snapshot = Y.encodeStateAsUpdate(room.doc);
        await this.opts.log.compact(room.boardId, snapshot);
        room.updatesSinceSnapshot = 0;
        room.approxBytes = snapshot.length;
        // Joiners get this same snapshot, unless it holds edits not stored yet.
        if (!room.hasPending()) room.useSnapshot(snapshot);
      } catch (err) {
        this.opts.logger.error({ err, boardId: room.boardId }, 'compaction failed; the update log is intact');
      }
    });
  }

  /** Stores what is left (shutdown); nothing is paced any more. */
  async close(): Promise<void> {
    this.closing = true;
    this.takeWaiting();
    await this.exclusive(() => this.commit());
  }
}
