// The room registry: one Room per board in memory, loaded from the board log on first use,
// unloaded (after a last save and compaction) a moment after its last connection and server
// edit leave, and dropped without saving when its board is deleted.
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { BoardLog } from '../persistence/types';
import type { BoardRelay } from './relay';
import { Room } from './room';

export interface RoomRegistryOptions {
  log: BoardLog;
  relay: BoardRelay;
  logger: Logger;
  /** A room has new work for the relay queue. */
  onDirty: (room: Room) => void;
  /** Stores and compacts a room before it leaves memory; false keeps it (its save failed). */
  beforeUnload: (room: Room) => Promise<boolean>;
  /** Keep an empty room in memory this long, so a quick reconnect does not reload it. */
  unloadDelayMs: number;
}

export class RoomRegistry {
  private rooms = new Map<string, Room>();
  private loading = new Map<string, Promise<Room>>();
  private unsubscribe = new WeakMap<Room, () => void>();

  constructor(private opts: RoomRegistryOptions) {}

  get(boardId: string): Room | undefined {
    return this.rooms.get(boardId);
  }

  isCurrent(room: Room): boolean {
    return this.rooms.get(room.boardId) === room && room.state.kind !== 'dropped';
  }

  all(): IterableIterator<Room> {
    return this.rooms.values();
  }

  count(): number {
    return this.rooms.size;
  }

  /**
   * The board's room, loaded if needed, and held (not unloaded) until release(). Concurrent
   * callers share one load; a room being unloaded is reloaded once its unload is done.
   */
  async acquire(boardId: string, workshopId: string): Promise<Room> {
    for (;;) {
      const room = this.rooms.get(boardId);
      if (room?.state.kind === 'unloading') {
        await room.state.done;
        continue;
      }
      if (room) {
        this.hold(room);
        return room;
      }
      let loading = this.loading.get(boardId);
      if (!loading) {
        loading = this.load(boardId, workshopId).finally(() => this.loading.delete(boardId));
        this.loading.set(boardId, loading);
      }
      const loaded = await loading;
      if (this.rooms.get(boardId) !== loaded) continue; // dropped while loading
      this.hold(loaded);
      return loaded;
    }
  }

  private async load(boardId: string, workshopId: string): Promise<Room> {
    const room = new Room(boardId, workshopId, this.opts.onDirty);
    const [stored, records] = await Promise.all([this.opts.log.load(boardId), this.opts.log.cardRecords(boardId)]);
    room.load(stored.snapshot, stored.updates, stored.lastUpdateId);
    room.loadCardRecords(records);
    this.unsubscribe.set(
      room,
      this.opts.relay.subscribe(boardId, {
        sealed: (update) => room.relaySealed(update),
        remote: (update) => room.applyRemote(update),
        remotePresence: (processId, update) => room.applyRemotePresence(processId, update),
        processGone: (processId) => room.dropRemoteProcess(processId),
        remoteProcesses: () => room.remoteProcesses(),
        localPresence: () => room.localPresence(),
        resync: () => void this.resync(room)
      })
    );
    this.rooms.set(boardId, room);
    return room;
  }

  /**
   * Reads a board back from the store into its room (as a remote update: nothing is stored
   * again), so whatever other processes stored while their relays could not reach this one
   * arrives; what the room has already costs nothing.
   */
  async resync(room: Room): Promise<void> {
    if (!this.isCurrent(room)) return;
    try {
      const stored = await this.opts.log.load(room.boardId);
      const all = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
      if (!all.length || !this.isCurrent(room)) return;
      room.applyRemote(all.length === 1 ? all[0] : Y.mergeUpdates(all));
    } catch (err) {
      this.opts.logger.error({ err, boardId: room.boardId }, 'could not read a board back from the store');
    }
  }

  private hold(room: Room): void {
    room.holds++;
    if (room.state.kind === 'idle') clearTimeout(room.state.timer);
    room.state = { kind: 'live' };
  }

  /** Ends one hold; an unused room becomes idle and unloads after the delay. */
  release(room: Room): void {
    room.holds = Math.max(0, room.holds - 1);
    this.idleIfUnused(room);
  }

  /** A connection left: the room unloads after the delay if nothing else uses it. */
  idleIfUnused(room: Room): void {
    if (room.state.kind !== 'live' || room.holds > 0 || room.connections.size > 0) return;
    const timer = setTimeout(() => void this.unload(room), this.opts.unloadDelayMs);
    timer.unref();
    room.state = { kind: 'idle', timer };
  }

  private async unload(room: Room): Promise<void> {
    if (room.state.kind !== 'idle' || !this.isCurrent(room)) return;
    let finish!: () => void;
    room.state = { kind: 'unloading', done: new Promise<void>((resolve) => (finish = resolve)) };
    let saved = false;
    try {
      saved = await this.opts.beforeUnload(room);
    } catch (err) {
      this.opts.logger.error({ err, boardId: room.boardId }, 'could not save a board before unloading it');
    }
    if (saved && room.connections.size === 0 && room.holds === 0) {
      this.forget(room);
    } else {
      // Never unload a document whose save failed; someone who came back keeps it live.
      room.state = { kind: 'live' };
      this.idleIfUnused(room);
    }
    finish();
  }

  private forget(room: Room): void {
    if (room.state.kind === 'idle') clearTimeout(room.state.timer);
    room.state = { kind: 'dropped' };
    this.unsubscribe.get(room)?.();
    if (this.rooms.get(room.boardId) === room) this.rooms.delete(room.boardId);
    room.destroy();
  }

  /** Drops a board's room without saving (its board is being deleted). */
  drop(boardId: string): Room | undefined {
    const room = this.rooms.get(boardId);
    if (room) this.forget(room);
    return room;
  }

  /** Every room, for shutdown; the registry is empty afterwards. */
  dropAll(): Room[] {
    const rooms = [...this.rooms.values()];
    for (const room of rooms) this.forget(room);
    return rooms;
  }
}
