// One board's live document: the connections on it, presence, what is waiting to be stored, who
// wrote which new card, and which cards someone took off the board that someone else wrote (kept
// in Removed cards, stored with the deletion itself). The relay queue (relay-queue.ts) stores a room's pending updates and
// relays them once they are durable; the registry (rooms.ts) loads and unloads rooms.
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import {
  encodeAwarenessEntries,
  encodeAwarenessMessage,
  encodeSaving,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  PresenceTooLarge,
  type AwarenessEntry
} from './messages';
import { sanitisePresence, type PresenceIdentity } from './presence';
import type { PresenceNews } from './relay';
import { SyncConnection, prepare, type Outgoing } from './connection';
import { authorsOf, boundSnapshot, cardsAddedIn, cardsOf, cardsRemovedIn } from '../../src/lib/board/schema';
import { REMOVED_RULES, removedByOf } from '../../src/lib/domain/removed';
import { canEditBoard } from '../../src/lib/domain/roles';
import type { BoardCardRecords, CardAuthorRecord, RemovalChange, RemovedCardRecord } from '../persistence/types';

/** Origin of changes the server makes as its own peer (revealed drafts, anonymous cards, moderation). */
export const SERVER_ORIGIN = 'server';

export { PresenceTooLarge } from './messages';

/** Updates committed together, waiting for the commit to be durable before they are relayed. */
export interface SealedUpdate {
  message: Outgoing;
  /** When one connection sent every update in it, that connection (it has them already). */
  soleSender: SyncConnection | null;
  /** The board's state vector before these updates (where a reader that misses them catches up from). */
  before: Uint8Array;
  /**
   * This room's own updates: the board's state vector they bring it to, everything in which has
   * been relayed once these are (remote updates have none; see Room.relayedVector).
   */
  after?: Uint8Array;
  bytes: number;
  /** The Yjs update itself (what a relay across processes carries). */
  update: Uint8Array;
}

/** What the relay queue takes from a room for one commit. */
export interface TakenWork {
  update: Uint8Array | null;
  /** How many pending updates `update` merges (they leave the room once stored). */
  count: number;
  authors: CardAuthorRecord[];
  /** Changes to Removed cards, stored in the same commit as the updates that caused them. */
  removals: RemovalChange[];
  /** The room's applied sequence number this work covers. */
  uptoSeq: number;
  soleSender: SyncConnection | null;
  /** Whether it holds edits from someone who may not write to a locked board (stored unlessLocked). */
  guarded: boolean;
  /**
   * The doc's state vector when the work was taken: exactly what is stored once it is. Updates
   * applied while the commit is being written are not in this seal, so they must not be in the
   * "before" of the next one either.
   */
  after: Uint8Array | null;
}

/**
 * A room's lifecycle: in use (connections, or a server-side edit holding it); idle (nobody on it,
 * unloaded after a delay unless someone comes back); unloading (its last save and compaction
 * running); dropped (gone, never saved again).
 */
export type RoomState =
  { kind: 'live' } | { kind: 'idle'; timer: NodeJS.Timeout } | { kind: 'unloading'; done: Promise<void> } | { kind: 'dropped' };

/** The client ids an awareness update speaks for. */
function decodeAwarenessIds(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update);
  const n = decoding.readVarUint(decoder);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(decoding.readVarUint(decoder));
    decoding.readVarUint(decoder); // clock
    decoding.readVarString(decoder); // state, as JSON
  }
  return ids;
}

/** Boards larger than this keep their joiners' snapshot encoded ahead (see snapshotWhenQuiet). */
const SNAPSHOT_AHEAD_BYTES = 256 * 1024;
/**
 * From this many connections (where the relay queue's pacing starts to matter: 1 ms between
 * relays), other processes' updates are relayed with the room's next relay rather than at once,
 * and their presence with the room's next presence relay.
 */
const COALESCE_REMOTE_FROM = 40;

/**
 * The presence clock the server stamps: thousandths of a millisecond since 2026 (and at least one
 * more than the last stamp of that client id). A page cannot change its presence a thousand times
 * a millisecond (it may send 60 messages a second), so a state stamped after a restart, or after
 * the room was unloaded and loaded again, is always newer than any stamped before: pages that
 * stayed open compare clocks and would ignore anything lower. About 2^45 today: well inside the
 * varuints the wire uses and JavaScript's safe integers.
 */
const PRESENCE_CLOCK_EPOCH = Date.UTC(2026, 0, 1);
function presenceClockNow(): number {
  return (Date.now() - PRESENCE_CLOCK_EPOCH) * 1000;
}

/** Marks the updates that were not sent by one connection (the server's peer, the store). */
const OTHER = Symbol('other');

/**
 * Origin of updates another server process stored and relayed (or this one reloaded from the
 * store): applied and relayed here, never stored again, and their authors and removals are the
 * storing process's to record.
 */
export const REMOTE_ORIGIN = 'remote';

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<SyncConnection>();
  state: RoomState = { kind: 'live' };
  /** Server-side work in progress on this room (BoardPeer edits and reads): it is not unloaded meanwhile. */
  holds = 0;
  /** Which connection owns which Yjs client id in presence (an id has at most one owner). */
  private owners = new Map<number, SyncConnection>();
  /** Set when a remote update changed the doc (see applyRemote). */
  private remoteChanged = false;
  /** Client ids whose presence came from another process, and which one. */
  private remoteOwners = new Map<number, { processId: string; participantId: string }>();
  /** Which participant first published presence for each client id in this room (one entry per page load). */
  private claimedBy = new Map<number, string>();

  /** Updates applied to the doc but not yet stored, and who sent them. */
  private pending: Uint8Array[] = [];
  private pendingFrom = new Set<SyncConnection | typeof OTHER>();
  /** Some pending update came from someone who may not write to a locked board (see TakenWork.guarded). */
  private guarded = false;
  private presenceChanged = new Map<number, SyncConnection | null>();
  /** Authors of cards created since the last commit, stored in the same transaction as the updates. */
  private newAuthors: CardAuthorRecord[] = [];
  /** Who wrote each card (as stored: the first author recorded), to tell a removal from one's own deletion. */
  private authors = new Map<string, string>();
  /** The board's cards in Removed cards, oldest removal first (a Set keeps insertion order). */
  private removed = new Set<string>();
  /** Changes to Removed cards since the last commit, stored in the same transaction as the updates. */
  private newRemovals: RemovalChange[] = [];
  /** Every update applied gets the next number; `durableSeq` is the highest one on disk. */
  appliedSeq = 0;
  durableSeq = 0;
  private waiters: { seq: number; resolve: () => void; reject: (err: unknown) => void }[] = [];
  /** The doc's state vector when its last updates were sealed (the "before" of the next seal). */
  private sealedVector: Uint8Array;
  /**
   * The doc's state vector as of the last update of this room relayed to everyone here: all it
   * covers has been sent (or is in what a reader that fell behind is caught up from). Remote
   * updates are relayed "since" this, not since the doc's state as they arrive, which counts
   * edits being stored here at that moment (not relayed yet) as sent. [L-REDIS-12]
   */
  private relayedVector: Uint8Array;
  /** Other processes' updates applied here, waiting for the room's next relay (big rooms only). */
  private remoteWaiting: Uint8Array[] = [];
  /** Where a reader that misses them catches up from (relayedVector when the first arrived). */
  private remoteWaitingBefore: Uint8Array | null = null;
  /** Client ids whose presence other processes changed, waiting for the next presence relay (big rooms only). */
  private remotePresenceWaiting = new Set<number>();

  /** The last commit of this room's work failed (the store is away): its pages were told, and are told again once it is stored. */
  private held = false;

  /** Id of the newest stored update this room's doc contains. */
  lastStoredId = 0;
  /** Stored updates not yet folded into the snapshot. */
  updatesSinceSnapshot = 0;
  /** Bytes of the encoded document, approximately (snapshot plus updates since). */
  approxBytes = 0;
  /** Cached reply for people joining with an empty document (the join rush). */
  private fullState: { message: Uint8Array; stateVector: Uint8Array } | null = null;
  /** Bytes of updates applied since fullState was encoded. */
  private changedSinceFullState = 0;
  private snapshotTimer: NodeJS.Timeout | null = null;
  compactQueued = false;

  constructor(
    readonly boardId: string,
    readonly workshopId: string,
    private onDirty: (room: Room) => void
  ) {
    this.awareness.setLocalState(null);
    // The cards map exists before the first update: a transaction's changes are recorded against
    // the type that held the map then, and a removal is found through them.
    cardsOf(this.doc);
    this.sealedVector = Y.encodeStateVector(this.doc);
    this.relayedVector = this.sealedVector;
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.changedSinceFullState += update.length;
      if (this.approxBytes > SNAPSHOT_AHEAD_BYTES) this.snapshotWhenQuiet();
      if (origin === REMOTE_ORIGIN) {
        this.approxBytes += update.length;
        this.remoteChanged = true;
        return;
      }
      this.pending.push(update);
      this.appliedSeq++;
      this.approxBytes += update.length;
      this.pendingFrom.add(origin instanceof SyncConnection ? origin : OTHER);
      if (origin instanceof SyncConnection && !canEditBoard(origin.participant.role, { locked: true })) this.guarded = true;
      this.onDirty(this);
    });
    // Authorship: a new card written by a participant's own connection is theirs; the server's
    // peer records the author of a card it writes on someone's behalf in the transaction itself
    // (writeCard's `author`). Anonymous cards have neither.
    // Removals: a card a participant's connection deleted (now, or offline and synced now) that
    // they did not write is kept whole, read from the deleted items before Yjs collects them at
    // the end of this transaction. The server's own deletions (hiding, "remove my cards") are not
    // removals, and neither is deleting one's own card (undo covers it).
    this.doc.on('afterTransaction', (tr: Y.Transaction) => {
      const now = Date.now();
      const added = cardsAddedIn(tr);
      if (tr.origin === REMOTE_ORIGIN) {
        // Stored by the process that took the edit; this room's maps only follow.
        for (const a of authorsOf(tr)) if (!this.authors.has(a.cardId)) this.authors.set(a.cardId, a.participantId);
        for (const cardId of added) this.removed.delete(cardId);
        return;
      }
      if (tr.origin instanceof SyncConnection) {
        const by = tr.origin.participant;
        for (const { id, snapshot } of cardsRemovedIn(tr)) {
          const author = this.authors.get(id) ?? null;
          if (author === by.id) continue;
          this.keepRemoved({
            boardId: this.boardId,
            cardId: id,
            card: boundSnapshot(snapshot, REMOVED_RULES.snapshotChars),
            authorId: author,
            removedBy: removedByOf(by.role),
            removedAt: now
          });
        }
        for (const cardId of added) this.recordAuthor({ boardId: this.boardId, cardId, participantId: by.id, createdAt: now });
      }
      for (const a of authorsOf(tr))
        this.recordAuthor({ boardId: this.boardId, cardId: a.cardId, participantId: a.participantId, createdAt: now });
      // A removed card is on the board again (put back, or its remover's undo): no longer kept.
      for (const cardId of added) {
        if (this.removed.delete(cardId)) this.newRemovals.push({ kind: 'dropped', boardId: this.boardId, cardId });
      }
    });
  }

  /** The store keeps a card's first author (INSERT OR IGNORE); so does this map. */
  private recordAuthor(a: CardAuthorRecord): void {
    this.newAuthors.push(a);
    if (!this.authors.has(a.cardId)) this.authors.set(a.cardId, a.participantId);
  }

  private keepRemoved(record: RemovedCardRecord): void {
    this.removed.delete(record.cardId);
    this.removed.add(record.cardId);
    this.newRemovals.push({ kind: 'removed', record });
    // Past the limit the oldest removal is let go, so no board's list grows without end.
    for (const oldest of this.removed) {
      if (this.removed.size <= REMOVED_RULES.perBoard) break;
      this.removed.delete(oldest);
      this.newRemovals.push({ kind: 'dropped', boardId: this.boardId, cardId: oldest });
    }
  }

  /** The board's authorship records and removed cards, as stored (loaded with the board). */
  loadCardRecords(records: BoardCardRecords): void {
    for (const a of records.authors) if (!this.authors.has(a.cardId)) this.authors.set(a.cardId, a.participantId);
    for (const id of records.removed) this.removed.add(id);
  }

  /** Loads stored state; applied without counting as pending work. */
  load(snapshot: Uint8Array | null, updates: Uint8Array[], lastId: number): void {
    const all = snapshot ? [snapshot, ...updates] : updates;
    if (all.length) Y.applyUpdate(this.doc, all.length === 1 ? all[0] : Y.mergeUpdates(all), 'store');
    this.pending = [];
    this.pendingFrom.clear();
    this.newAuthors = [];
    this.newRemovals = [];
    this.durableSeq = this.appliedSeq;
    this.sealedVector = Y.encodeStateVector(this.doc);
    this.relayedVector = this.sealedVector;
    this.lastStoredId = lastId;
    this.updatesSinceSnapshot = updates.length;
    this.approxBytes = all.reduce((n, u) => n + u.length, 0);
  }

  /**
   * Whether edits of this room are held because the store cannot take them (its last commit
   * failed) or stored again: every page here is told when that changes (MESSAGE_SAVING), so none
   * says "changes are saved" meanwhile. Nothing held is relayed: the rule is unchanged.
   */
  setHeld(held: boolean): void {
    if (this.held === held) return;
    this.held = held;
    const message = encodeSaving(held);
    for (const conn of this.connections) conn.send(message);
  }

  add(conn: SyncConnection): void {
    this.connections.add(conn);
    conn.answersOwed++;
    conn.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    if (this.held) conn.send(encodeSaving(true));
    const present = [...this.awareness.getStates().keys()];
    if (present.length) conn.send(encodeAwarenessMessage(this.awareness, present));
  }

  remove(conn: SyncConnection): void {
    if (!this.connections.delete(conn)) return;
    const gone: number[] = [];
    for (const [clientId, owner] of this.owners) {
      if (owner === conn) {
        gone.push(clientId);
        this.owners.delete(clientId);
      }
    }
    // Only ids that ever got a state: an id claimed by a message refused half-way has none, and
    // relaying it would fail (no clock to encode).
    const present = gone.filter((id) => this.awareness.states.has(id));
    if (present.length) {
      awarenessProtocol.removeAwarenessStates(this.awareness, present, null);
      for (const id of present) this.presenceChanged.set(id, null);
      this.onDirty(this);
    }
  }

  /**
   * The reply to a peer asking what it is missing, as messages to send (the host sends them once
   * everything in them is durable). A fresh joiner (empty state vector) gets a cached snapshot.
   */
  syncStep1Reply(stateVector: Uint8Array): Uint8Array[] {
    if (stateVector.length <= 1) {
      // The cached whole board, then what changed since as one small update: a busy board is not
      // encoded again for every joiner. Encoded afresh once the changes outgrow a quarter of it.
      if (!this.fullState || this.changedSinceFullState > this.fullState.message.length / 4) {
        this.useSnapshot(Y.encodeStateAsUpdate(this.doc));
      }
      const reply = [this.fullState!.message];
      if (this.changedSinceFullState > 0) reply.push(encodeUpdate(Y.encodeStateAsUpdate(this.doc, this.fullState!.stateVector)));
      return reply;
    }
    return [encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector))];
  }

  /** What a reader that fell behind at `since` lacks now, as one message. */
  catchUp(since: Uint8Array): Uint8Array {
    return encodeUpdate(Y.encodeStateAsUpdate(this.doc, since));
  }

  /** Asks a connection for what the board lacks (its page answers with the missing changes). */
  ask(conn: SyncConnection, message: Uint8Array): void {
    conn.answersOwed++;
    conn.send(message);
  }

  /** The sync step 1 that asks a page for what the board lacks. */
  askMessage(): Uint8Array {
    return encodeSyncStep1(Y.encodeStateVector(this.doc));
  }

  /** Whether `update` (already validated) holds content this board has not got: a struct past its state vector. */
  lacks(update: Uint8Array): boolean {
    // parseUpdateMeta's `to` is where each client's structs in the update end. (Not
    // encodeStateVectorFromUpdate: it reports only clients whose structs start at clock 0, so an
    // answer holding just a page's newest changes looked like nothing new.)
    const { to } = Y.parseUpdateMeta(update);
    const ours = this.doc.store;
    for (const [client, clock] of to) if (clock > Y.getState(ours, client)) return true;
    return false;
  }

  applyUpdate(conn: SyncConnection, update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, conn);
  }

  /**
   * Bytes Yjs holds for updates it cannot apply yet (their predecessors never arrived). They emit
   * no 'update', so they are not in approxBytes, yet they take memory: they count toward the
   * document size limit.
   */
  pendingBytes(): number {
    const store = this.doc.store;
    return (store.pendingStructs?.update.length ?? 0) + (store.pendingDs?.length ?? 0);
  }

  /**
   * Presence from one connection. Entries for client ids another live connection owns are
   * echoes (y-websocket pages re-send what they receive) or spoofs: both are dropped here, so
   * relaying presence costs O(room) rather than O(room squared). So are entries for an id another
   * participant held before: a page's echo of someone who just left must not take over their spot.
   * Clocks are the server's, from its own clock (PRESENCE_CLOCK_EPOCH): after a restart the room
   * must not count from one again, or pages that stayed open would ignore everything stamped lower
   * than they last saw.
   */
  applyPresence(conn: SyncConnection, entries: AwarenessEntry[], identity: PresenceIdentity, maxBytes: number, maxIds: number): void {
    // Refuse before changing anything. Echoes of others' presence are never this large: the
    // server rewrote those states itself.
    for (const entry of entries) if (entry.bytes > maxBytes) throw new PresenceTooLarge();
    const accepted: { clientId: number; clock: number; state: unknown }[] = [];
    for (const entry of entries) {
      const owner = this.owners.get(entry.clientId);
      if (owner && owner !== conn) continue;
      // A page that held this id through another process has come here (that process died, or
      // the proxy sent it elsewhere): the connection here speaks for it from now on.
      // Another participant's page echoing what it was sent is not: that id stays theirs.
      const remote = this.remoteOwners.get(entry.clientId);
      if (!owner && remote) {
        if (remote.participantId !== conn.participant.id || entry.state === null) continue;
        this.remoteOwners.delete(entry.clientId);
      }
      if (!owner) {
        if (entry.state === null || conn.clientIds.size >= maxIds) continue;
        const before = this.claimedBy.get(entry.clientId);
        if (before !== undefined && before !== conn.participant.id) continue;
        this.owners.set(entry.clientId, conn);
        this.claimedBy.set(entry.clientId, conn.participant.id);
        conn.clientIds.add(entry.clientId);
      }
      const state = entry.state === null ? null : sanitisePresence(entry.state, identity);
      const clock = Math.max((this.awareness.meta.get(entry.clientId)?.clock ?? 0) + 1, presenceClockNow());
      accepted.push({ clientId: entry.clientId, clock, state });
      if (state === null) {
        this.owners.delete(entry.clientId);
        conn.clientIds.delete(entry.clientId);
      }
    }
    if (!accepted.length) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(accepted), conn);
    for (const a of accepted) this.presenceChanged.set(a.clientId, conn);
    this.onDirty(this);
  }

  /**
   * A large board encodes its joiners' snapshot ahead, once it has been quiet for a moment (and
   * everything in it is stored), so the first of a crowd joining does not wait for the encoding.
   */
  private snapshotWhenQuiet(): void {
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = null;
      if (this.pending.length) return this.snapshotWhenQuiet();
      if (!this.fullState || this.changedSinceFullState > 0) this.useSnapshot(Y.encodeStateAsUpdate(this.doc));
    }, 500);
    this.snapshotTimer.unref();
  }

  /** Caches `update` as what joiners get; it must be the whole document as it is now. */
  useSnapshot(update: Uint8Array): void {
    this.fullState = { message: encodeSyncStep2(update), stateVector: Y.encodeStateVector(this.doc) };
    this.changedSinceFullState = 0;
  }

  /** Whether another live connection owns this Yjs client id in presence, here or on another process, or another participant did. */
  ownedByAnother(clientId: number, conn: SyncConnection): boolean {
    const owner = this.owners.get(clientId);
    if (owner !== undefined) return owner !== conn;
    // A page on another process: only its own participant's page here may speak for it (it has
    // moved here: applyPresence takes it over), so every other page's echo is dropped unread.
    const remote = this.remoteOwners.get(clientId);
    if (remote !== undefined) return remote.participantId !== conn.participant.id;
    const before = this.claimedBy.get(clientId);
    return before !== undefined && before !== conn.participant.id;
  }

  answerPresenceQuery(conn: SyncConnection): void {
    const ids = [...this.awareness.getStates().keys()];
    if (ids.length) conn.send(encodeAwarenessMessage(this.awareness, ids));
  }

  hasPending(): boolean {
    return this.pending.length > 0 || this.newAuthors.length > 0 || this.newRemovals.length > 0;
  }

  /**
   * Takes what is waiting to be stored, merged into one update, for one commit. Until the commit
   * succeeds (stored()) or fails (putBack()), the updates stay counted as the room's.
   */
  take(): TakenWork {
    const count = this.pending.length;
    const update = count === 0 ? null : count === 1 ? this.pending[0] : Y.mergeUpdates(this.pending);
    if (update && count > 1) this.pending.splice(0, count, update);
    const soleSender = this.pendingFrom.size === 1 ? [...this.pendingFrom][0] : null;
    const authors = this.newAuthors;
    this.newAuthors = [];
    const removals = this.newRemovals;
    this.newRemovals = [];
    const guarded = this.guarded;
    this.guarded = false;
    return {
      guarded,
      update,
      count: update ? 1 : 0,
      authors,
      removals,
      uptoSeq: this.appliedSeq,
      soleSender: soleSender instanceof SyncConnection ? soleSender : null,
      after: update ? Y.encodeStateVector(this.doc) : null
    };
  }

  /** The commit of `work` failed: its authors and removals wait for the next one (the updates never left). */
  putBack(work: TakenWork): void {
    if (work.guarded) this.guarded = true;
    this.newAuthors.unshift(...work.authors);
    this.newRemovals.unshift(...work.removals);
  }

  /**
   * The commit of `work` succeeded: its updates leave the room's pending list, sealed as one
   * message for everyone (encoded once, framed once), to relay once the commit is durable.
   */
  stored(work: TakenWork, lastId: number): SealedUpdate | null {
    if (!work.update) return null;
    this.pending.splice(0, work.count);
    // Who sent what is left pending (arrived during the commit) is no longer known per update:
    // it counts as "several", so nobody is skipped by its relay.
    this.pendingFrom.clear();
    if (this.pending.length) this.pendingFrom.add(OTHER);
    this.lastStoredId = lastId;
    this.updatesSinceSnapshot++;
    const before = this.sealedVector;
    this.sealedVector = work.after ?? Y.encodeStateVector(this.doc);
    return {
      message: prepare(encodeUpdate(work.update)),
      soleSender: work.soleSender,
      before,
      after: this.sealedVector,
      bytes: work.update.length,
      update: work.update
    };
  }

  /**
   * An update that is durable already (another process stored it, or it was read back from the
   * store): applied as a remote one and relayed to everyone here. What the doc has already is a
   * no-op for Yjs, so an update that arrives twice costs nothing but its decoding.
   */
  applyRemote(update: Uint8Array): void {
    const before = this.relayedVector;
    this.remoteChanged = false;
    Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
    // Yjs emits 'update' only when the doc changed: nothing new, nothing to tell anyone.
    if (!this.remoteChanged) return;
    if (this.connections.size < COALESCE_REMOTE_FROM) {
      const sealed: SealedUpdate = { message: prepare(encodeUpdate(update)), soleSender: null, before, bytes: update.length, update };
      this.relaySealed(sealed);
      return;
    }
    // A big room (a forum spread over processes): relayed with the room's next relay, in the
    // same message as this process's own edits then, as the relay queue paces them. Relayed on
    // its own, each process's commits would double the messages every socket here is sent.
    this.remoteWaiting.push(update);
    this.remoteWaitingBefore ??= before;
    this.onDirty(this);
  }

  /** Other processes' updates wait for this room's next relay (a big room; see applyRemote). */
  hasRemoteWaiting(): boolean {
    return this.remoteWaiting.length > 0;
  }

  /** Takes the other processes' updates waiting here, merged, with where a reader catches up from. */
  private takeRemoteWaiting(): { update: Uint8Array; before: Uint8Array } | null {
    const waiting = this.remoteWaiting;
    const before = this.remoteWaitingBefore;
    if (!waiting.length || !before) return null;
    this.remoteWaiting = [];
    this.remoteWaitingBefore = null;
    return { update: waiting.length === 1 ? waiting[0] : Y.mergeUpdates(waiting), before };
  }

  /** Relays the other processes' updates waiting here now (the room had none of its own to send with them). */
  relayRemoteWaiting(): void {
    const remote = this.takeRemoteWaiting();
    if (!remote) return;
    const message = prepare(encodeUpdate(remote.update));
    for (const conn of this.connections) conn.relay(message, remote.before, remote.update.length);
  }

  /** Presence from people on another process: applied, and relayed to everyone here. */
  applyRemotePresence(processId: string, news: PresenceNews): void {
    const update = news.update;
    const decoded = decodeAwarenessIds(update);
    // An id a connection here owns is this process's to say; another process cannot take it over.
    if (decoded.some((id) => this.owners.has(id))) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN);
    for (const id of decoded) {
      const participantId = news.owners[String(id)];
      if (this.awareness.states.has(id) && participantId) this.remoteOwners.set(id, { processId, participantId });
      else this.remoteOwners.delete(id);
    }
    const ids = decoded.filter((id) => this.awareness.meta.has(id));
    if (!ids.length) return;
    if (this.connections.size >= COALESCE_REMOTE_FROM) {
      // A big room: with its next presence relay, in one message with its own people's changes.
      // Sent on arrival, each remote person's renewal was one more message to every socket here.
      for (const id of ids) this.remotePresenceWaiting.add(id);
      this.onDirty(this);
      return;
    }
    const message = prepare(encodeAwarenessMessage(this.awareness, ids));
    for (const conn of this.connections) conn.relay(message, null);
  }

  /** A process stopped answering: the people it held leave this room's presence. */
  dropRemoteProcess(processId: string): void {
    const gone = [...this.remoteOwners].filter(([, o]) => o.processId === processId).map(([id]) => id);
    if (!gone.length) return;
    for (const id of gone) this.remoteOwners.delete(id);
    const present = gone.filter((id) => this.awareness.states.has(id));
    if (!present.length) return;
    awarenessProtocol.removeAwarenessStates(this.awareness, present, REMOTE_ORIGIN);
    const message = prepare(encodeAwarenessMessage(this.awareness, present));
    for (const conn of this.connections) conn.relay(message, null);
  }

  /** The processes whose people are in this room's presence. */
  remoteProcesses(): Set<string> {
    return new Set([...this.remoteOwners.values()].map((o) => o.processId));
  }

  /** Resolves once every update applied so far (up to `seq`) is durable. */
  whenDurable(seq = this.appliedSeq): Promise<void> {
    if (this.durableSeq >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  /** Updates up to `seq` are durable: replies and catch-ups waiting for them go now. */
  markDurable(seq: number): void {
    this.durableSeq = Math.max(this.durableSeq, seq);
    const ready = this.waiters.filter((w) => w.seq <= this.durableSeq);
    this.waiters = this.waiters.filter((w) => w.seq > this.durableSeq);
    for (const w of ready) w.resolve();
  }

  /** The disk failed: nothing waiting will ever be durable. */
  failWaiters(err: unknown): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w.reject(err);
  }

  /** Sends a sealed update to everyone on the board but its only sender (people who joined since get it too). */
  relaySealed(sealed: SealedUpdate): void {
    const remote = sealed.after ? this.takeRemoteWaiting() : null;
    if (remote) {
      // This room's own edits and the other processes' waiting updates, in one message; its only
      // sender, if it had one, gets only the others'. Caught up from the earlier of the two.
      const both = Y.mergeUpdates([remote.update, sealed.update]);
      const message = prepare(encodeUpdate(both));
      const theirs = sealed.soleSender ? prepare(encodeUpdate(remote.update)) : null;
      for (const conn of this.connections) {
        if (conn === sealed.soleSender && theirs) conn.relay(theirs, remote.before, remote.update.length);
        else conn.relay(message, remote.before, both.length);
      }
    } else {
      for (const conn of this.connections) if (conn !== sealed.soleSender) conn.relay(sealed.message, sealed.before, sealed.bytes);
    }
    if (sealed.after) this.relayedVector = sealed.after;
  }

  /**
   * Relays presence changed since the last call. Presence is never stored, so it need not wait.
   * Other processes' presence waiting here (big rooms) goes in the same message. With
   * `forOthers`, returns the change made here as an awareness update for the other processes
   * (never what they sent: that would go round for ever).
   */
  relayPresence(forOthers = false): PresenceNews | null {
    if (!this.hasPendingPresence()) return null;
    // An id without a clock cannot be encoded; skip it rather than stop the relay.
    const changedHere = [...this.presenceChanged.keys()].filter((id) => this.awareness.meta.has(id));
    const fromElsewhere = [...this.remotePresenceWaiting].filter((id) => !this.presenceChanged.has(id) && this.awareness.meta.has(id));
    this.remotePresenceWaiting.clear();
    const ids = fromElsewhere.length ? [...changedHere, ...fromElsewhere] : changedHere;
    if (!ids.length) {
      this.presenceChanged.clear();
      return null;
    }
    const senders = new Set(this.presenceChanged.values());
    const everyone = prepare(encodeAwarenessMessage(this.awareness, ids));
    for (const conn of this.connections) {
      if (!senders.has(conn)) {
        conn.relay(everyone, null);
        continue;
      }
      // Never echo a page its own presence: y-websocket would send it back, forever.
      const others = ids.filter((id) => this.presenceChanged.get(id) !== conn);
      if (others.length) conn.relay(prepare(encodeAwarenessMessage(this.awareness, others)), null);
    }
    this.presenceChanged.clear();
    if (!forOthers || !changedHere.length) return null;
    return this.presenceNews(changedHere);
  }

  /** These client ids' presence as news for other processes: the awareness update and whose page each is. */
  private presenceNews(ids: number[]): PresenceNews {
    const owners: Record<string, string> = {};
    for (const id of ids) {
      const by = this.claimedBy.get(id);
      if (by) owners[String(id)] = by;
    }
    return { update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids), owners };
  }

  /**
   * The presence of everyone connected to this process, as news for other processes (one that
   * has just opened the board hears who is here at once, not at their next renewal).
   */
  localPresence(): PresenceNews | null {
    const ids = [...this.owners.keys()].filter((id) => this.awareness.states.has(id) && this.awareness.meta.has(id));
    return ids.length ? this.presenceNews(ids) : null;
  }

  /** Everyone's presence as one message (for a reader that was caught up). */
  presenceMessage(): Uint8Array | null {
    const ids = [...this.awareness.getStates().keys()];
    return ids.length ? encodeAwarenessMessage(this.awareness, ids) : null;
  }

  /** Presence changes not yet relayed (the host relays presence of big rooms less often than edits). */
  hasPendingPresence(): boolean {
    return this.presenceChanged.size > 0 || this.remotePresenceWaiting.size > 0;
  }

  hasPendingWork(): boolean {
    return this.hasPending() || this.hasPendingPresence();
  }

  destroy(): void {
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.failWaiters(new Error('the board was closed'));
    this.awareness.destroy();
    this.doc.destroy();
  }
}
