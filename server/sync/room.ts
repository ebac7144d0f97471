// One board's live document: the connections on it, presence, and the rule that an update is
// stored before anyone else receives it. Rooms are driven by the SyncHost, which batches every
// room's pending updates into one store transaction per event-loop tick.
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import {
  encodeAwarenessEntries,
  encodeAwarenessMessage,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  PresenceTooLarge,
  type AwarenessEntry
} from './messages';
import { sanitisePresence, type PresenceIdentity } from './presence';
import { SyncConnection, prepare, type Outgoing } from './connection';
import { cardsOf } from '../../src/lib/board/schema';
import type { CardAuthorRecord } from '../persistence/types';

/** Origin of changes the server makes as its own peer (revealed drafts, anonymous cards, moderation). */
export const SERVER_ORIGIN = 'server';

export { PresenceTooLarge } from './messages';

/** Updates committed together, waiting for the commit to be durable before they are relayed. */
export interface SealedUpdate {
  message: Outgoing;
  /** When one connection sent every update in it, that connection (it has them already). */
  soleSender: SyncConnection | null;
}

/** Boards larger than this keep their joiners' snapshot encoded ahead (see snapshotWhenQuiet). */
const SNAPSHOT_AHEAD_BYTES = 256 * 1024;

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<SyncConnection>();
  /** Which connection owns which Yjs client id in presence (an id has at most one owner). */
  private owners = new Map<number, SyncConnection>();

  /** Updates applied to the doc but not yet stored, and who sent them. */
  pending: Uint8Array[] = [];
  private pendingFrom = new Set<SyncConnection>();
  private presenceChanged = new Map<number, SyncConnection | null>();

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
  unloadTimer: NodeJS.Timeout | null = null;
  /** Card ids seen so far; a new key written by a participant's connection is a card they created. */
  private knownCards = new Set<string>();
  /** Authors of cards created since the last flush, stored in the same transaction as the updates. */
  newAuthors: CardAuthorRecord[] = [];
  compactQueued = false;

  constructor(
    readonly boardId: string,
    readonly workshopId: string,
    private onDirty: () => void
  ) {
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.changedSinceFullState += update.length;
      if (this.approxBytes > SNAPSHOT_AHEAD_BYTES) this.snapshotWhenQuiet();
      this.pending.push(update);
      this.approxBytes += update.length;
      if (origin instanceof SyncConnection) this.pendingFrom.add(origin);
      this.onDirty();
    });
    const cards = cardsOf(this.doc);
    this.doc.on('afterTransaction', (tr: Y.Transaction) => {
      const keys = tr.changed.get(cards as unknown as Y.AbstractType<Y.YEvent<any>>);
      if (!keys) return;
      for (const key of keys) {
        if (key === null || this.knownCards.has(key) || !cards.has(key)) continue;
        this.knownCards.add(key);
        if (tr.origin instanceof SyncConnection) {
          this.newAuthors.push({ boardId: this.boardId, cardId: key, participantId: tr.origin.participant.id, createdAt: Date.now() });
        }
      }
    });
  }

  /** Loads stored state; applied without the 'update' listener's effect of re-storing it. */
  load(snapshot: Uint8Array | null, updates: Uint8Array[], lastId: number): void {
    const all = snapshot ? [snapshot, ...updates] : updates;
    if (all.length) Y.applyUpdate(this.doc, all.length === 1 ? all[0] : Y.mergeUpdates(all), 'store');
    this.pending = [];
    this.pendingFrom.clear();
    this.newAuthors = [];
    for (const key of cardsOf(this.doc).keys()) this.knownCards.add(key);
    this.lastStoredId = lastId;
    this.updatesSinceSnapshot = updates.length;
    this.approxBytes = all.reduce((n, u) => n + u.length, 0);
  }

  add(conn: SyncConnection): void {
    if (this.unloadTimer) {
      clearTimeout(this.unloadTimer);
      this.unloadTimer = null;
    }
    this.connections.add(conn);
    conn.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
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
      this.onDirty();
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

  /** Whether `update` (already validated) holds content this board has not got: a struct past its state vector. */
  lacks(update: Uint8Array): boolean {
    const theirs = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update));
    const ours = this.doc.store;
    for (const [client, clock] of theirs) if (clock > Y.getState(ours, client)) return true;
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
   * relaying presence costs O(room) rather than O(room squared). Clocks are the server's.
   */
  applyPresence(conn: SyncConnection, entries: AwarenessEntry[], identity: PresenceIdentity, maxBytes: number, maxIds: number): void {
    // Refuse before changing anything. Echoes of others' presence are never this large: the
    // server rewrote those states itself.
    for (const entry of entries) if (entry.bytes > maxBytes) throw new PresenceTooLarge();
    const accepted: { clientId: number; clock: number; state: unknown }[] = [];
    for (const entry of entries) {
      const owner = this.owners.get(entry.clientId);
      if (owner && owner !== conn) continue;
      if (!owner) {
        if (entry.state === null || conn.clientIds.size >= maxIds) continue;
        this.owners.set(entry.clientId, conn);
        conn.clientIds.add(entry.clientId);
      }
      const state = entry.state === null ? null : sanitisePresence(entry.state, identity);
      const clock = (this.awareness.meta.get(entry.clientId)?.clock ?? 0) + 1;
      accepted.push({ clientId: entry.clientId, clock, state });
      if (state === null) {
        this.owners.delete(entry.clientId);
        conn.clientIds.delete(entry.clientId);
      }
    }
    if (!accepted.length) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(accepted), conn);
    for (const a of accepted) this.presenceChanged.set(a.clientId, conn);
    this.onDirty();
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

  /** Whether another live connection owns this Yjs client id in presence. */
  ownedByAnother(clientId: number, conn: SyncConnection): boolean {
    const owner = this.owners.get(clientId);
    return owner !== undefined && owner !== conn;
  }

  answerPresenceQuery(conn: SyncConnection): void {
    const ids = [...this.awareness.getStates().keys()];
    if (ids.length) conn.send(encodeAwarenessMessage(this.awareness, ids));
  }

  /**
   * Takes the pending updates, which the host has just committed, as one message for the room
   * (encoded once, framed once); the host relays it with relaySealed once the commit is durable.
   */
  seal(): SealedUpdate | null {
    if (!this.pending.length) return null;
    const merged = this.pending.length === 1 ? this.pending[0] : Y.mergeUpdates(this.pending);
    const sealed = { message: prepare(encodeUpdate(merged)), soleSender: this.pendingFrom.size === 1 ? [...this.pendingFrom][0] : null };
    this.pending = [];
    this.pendingFrom.clear();
    return sealed;
  }

  /** Sends a sealed update to everyone on the board but its only sender (people who joined since get it too). */
  relaySealed(sealed: SealedUpdate): void {
    for (const conn of this.connections) if (conn !== sealed.soleSender) conn.send(sealed.message);
  }

  /** Relays presence changed since the last call. Presence is never stored, so it need not wait. */
  relayPresence(): void {
    if (!this.presenceChanged.size) return;
    // An id without a clock cannot be encoded; skip it rather than stop the relay.
    const ids = [...this.presenceChanged.keys()].filter((id) => this.awareness.meta.has(id));
    const senders = new Set(this.presenceChanged.values());
    const everyone = prepare(encodeAwarenessMessage(this.awareness, ids));
    for (const conn of this.connections) {
      if (!senders.has(conn)) {
        conn.send(everyone);
        continue;
      }
      // Never echo a page its own presence: y-websocket would send it back, forever.
      const others = ids.filter((id) => this.presenceChanged.get(id) !== conn);
      if (others.length) conn.send(encodeAwarenessMessage(this.awareness, others));
    }
    this.presenceChanged.clear();
  }

  /** Record an author for a card the server wrote on someone's behalf (a revealed draft). */
  attribute(cardId: string, participantId: string): void {
    this.newAuthors.push({ boardId: this.boardId, cardId, participantId, createdAt: Date.now() });
    this.onDirty();
  }

  /** Presence changes not yet relayed (the host relays presence of big rooms less often than edits). */
  hasPendingPresence(): boolean {
    return this.presenceChanged.size > 0;
  }

  hasPendingWork(): boolean {
    return this.pending.length > 0 || this.presenceChanged.size > 0 || this.newAuthors.length > 0;
  }

  destroy(): void {
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.awareness.destroy();
    this.doc.destroy();
  }
}
