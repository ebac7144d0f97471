// A deterministic in-memory transport for the sync host: the server side is a SyncSocket handed to
// host.handleConnection, the client side a page that owns a Y.Doc and speaks y-websocket's
// protocol as its client does (y-protocols sync and awareness). Messages queue up in each
// direction and move only when the test says: deliver(), deliverAll(), or one at a time with
// deliverToServer() / deliverToClient(), in whatever order the test (or the fuzz) chooses.
//
// The host's own intervals (the catch-up of readers that fell behind, pings) are faked while a
// test server is open and run when the test calls tick(); its relay queue still runs on
// setImmediate and awaits the store, which turn() and settle() wait for without sleeping.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { readConfig, type Limits } from '../../server/config';
import { SyncHost, type ConnectionHandle } from '../../server/sync/host';
import type { BoardRelay } from '../../server/sync/relay';
import type { SyncSocket } from '../../server/sync/connection';
import { openMemoryStore } from '../../server/persistence/memory';
import { openSqliteStore } from '../../server/persistence/sqlite/index';
import type { BoardLog, BoardRecord, ParticipantRecord, Store, WorkshopRecord } from '../../server/persistence/types';
import type { Role } from '../../src/lib/domain/roles';
import { boardToJSON, cardsOf } from '../../src/lib/board/schema';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

// ---- Messages, as a test reads them ---------------------------------------------------------------------

export type WireMessage =
  | { kind: 'syncStep1' }
  | { kind: 'syncStep2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; clientIds: number[] }
  | { kind: 'queryAwareness' }
  | { kind: 'other'; type: number };

function describeMessage(data: Uint8Array): WireMessage {
  const d = decoding.createDecoder(data);
  const type = decoding.readVarUint(d);
  if (type === MESSAGE_SYNC) {
    const sync = decoding.readVarUint(d);
    const payload = decoding.readVarUint8Array(d);
    if (sync === syncProtocol.messageYjsSyncStep1) return { kind: 'syncStep1' };
    if (sync === syncProtocol.messageYjsSyncStep2) return { kind: 'syncStep2', update: payload };
    return { kind: 'update', update: payload };
  }
  if (type === MESSAGE_AWARENESS) return { kind: 'awareness', clientIds: awarenessClientIds(decoding.readVarUint8Array(d)) };
  if (type === MESSAGE_QUERY_AWARENESS) return { kind: 'queryAwareness' };
  return { kind: 'other', type };
}

/** The Yjs client ids an awareness update carries. */
export function awarenessClientIds(update: Uint8Array): number[] {
  const d = decoding.createDecoder(update);
  const n = decoding.readVarUint(d);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(decoding.readVarUint(d));
    decoding.readVarUint(d); // clock
    decoding.readVarString(d); // state
  }
  return ids;
}

// ---- The page ---------------------------------------------------------------------------------

/**
 * A page: a Y.Doc and its awareness, behaving as y-websocket's WebsocketProvider does on the wire.
 * On open it sends its sync step 1 (and its presence, when it has any); it answers a sync step 1
 * with a step 2; it applies step 2s and updates; it sends every local change as an update message
 * while connected (changes made while disconnected reach the server in its next step 2 answer);
 * and, like y-websocket, it sends every presence change it sees, its own and others' (echoes).
 */
export class SyncClient {
  readonly awareness: awarenessProtocol.Awareness;
  /** The open connection, if any. */
  pair: SocketPair | null = null;
  /** Every message received, in order, over every connection. */
  readonly received: WireMessage[] = [];
  /** Every message sent, in order, over every connection (whether or not it was delivered). */
  readonly sent: WireMessage[] = [];
  /** Close codes seen, in order (1006 for a dropped network). */
  readonly closes: { code: number; reason: string }[] = [];
  /** Received a sync step 2 on the current connection (y-websocket's `synced`). */
  synced = false;
  private onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this) return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_SYNC);
    syncProtocol.writeUpdate(e, update);
    this.broadcast(encoding.toUint8Array(e));
  };
  private onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    const changed = added.concat(updated).concat(removed);
    this.broadcast(this.awarenessMessage(changed));
  };

  constructor(
    readonly name: string,
    readonly doc: Y.Doc = new Y.Doc()
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    doc.on('update', this.onUpdate);
    this.awareness.on('update', this.onAwareness);
  }

  get connected(): boolean {
    return this.pair !== null;
  }

  /** Messages received since `from` (an index into `received`), of one kind. */
  receivedSince<K extends WireMessage['kind']>(from: number, kind: K): Extract<WireMessage, { kind: K }>[] {
    return this.received.slice(from).filter((m): m is Extract<WireMessage, { kind: K }> => m.kind === kind);
  }

  private awarenessMessage(clientIds: number[]): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clientIds));
    return encoding.toUint8Array(e);
  }

  private broadcast(data: Uint8Array): void {
    this.pair?.clientSend(data);
  }

  /** The socket opened (called by the pair). */
  opened(pair: SocketPair): void {
    this.pair = pair;
    this.synced = false;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(e, this.doc);
    pair.clientSend(encoding.toUint8Array(e));
    if (this.awareness.getLocalState() !== null) pair.clientSend(this.awarenessMessage([this.doc.clientID]));
  }

  /** One message from the server. */
  receive(data: Uint8Array): void {
    this.received.push(describeMessage(data));
    const d = decoding.createDecoder(data);
    const e = encoding.createEncoder();
    const type = decoding.readVarUint(d);
    switch (type) {
      case MESSAGE_SYNC: {
        encoding.writeVarUint(e, MESSAGE_SYNC);
        const kind = syncProtocol.readSyncMessage(d, e, this.doc, this);
        if (kind === syncProtocol.messageYjsSyncStep2) this.synced = true;
        break;
      }
      case MESSAGE_QUERY_AWARENESS:
        encoding.writeVarUint(e, MESSAGE_AWARENESS);
        encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]));
        break;
      case MESSAGE_AWARENESS:
        awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(d), this);
        break;
      default:
        throw new Error(`${this.name} received a message of unknown type ${type}`);
    }
    if (encoding.length(e) > 1) this.pair?.clientSend(encoding.toUint8Array(e));
  }

  /** The connection ended (called by the pair): forget everyone else's presence, as y-websocket does. */
  closed(code: number, reason: string): void {
    this.closes.push({ code, reason });
    this.pair = null;
    this.synced = false;
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, others, this);
  }

  destroy(): void {
    this.pair?.drop();
    this.doc.off('update', this.onUpdate);
    this.awareness.off('update', this.onAwareness);
    this.awareness.destroy();
  }
}

// ---- The socket pair --------------------------------------------------------------------------

/** The server closed the socket: the page learns it after every message sent before the close. */
interface CloseFrame {
  close: true;
  code: number;
  reason: string;
}

function isClose(m: Uint8Array | CloseFrame): m is CloseFrame {
  return !(m instanceof Uint8Array);
}

export class SocketPair {
  /** Server to page, oldest first (the close frame, if any, last). */
  readonly toClient: (Uint8Array | CloseFrame)[] = [];
  /** Page to server, oldest first. */
  readonly toServer: Uint8Array[] = [];
  handle!: ConnectionHandle;
  /** Both ends still open (false once the close reached the page, or the network dropped). */
  open = true;
  /** How the server closed it, once it did (the page may not know yet). */
  serverClosed: { code: number; reason: string } | null = null;
  /** Left alone by settle(): a page that went offline or stopped reading. */
  paused = false;
  /** Extra bytes reported as waiting in the socket (a slow network), see bufferedAmount. */
  buffered = 0;
  /** The server side, handed to host.handleConnection. */
  readonly socket: SyncSocket;

  constructor(
    readonly client: SyncClient,
    /** Whether messages waiting for the page count in bufferedAmount (a page that is not reading). */
    readonly countQueued = false,
    private onEnd: (pair: SocketPair) => void = () => undefined
  ) {
    // The socket's methods are called by the host, not on the pair: they reach it through `pair`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const pair = this;
    this.socket = {
      send(data: Uint8Array) {
        if (!pair.open || pair.serverClosed) return; // ws drops sends on a closing socket
        pair.toClient.push(data.slice());
      },
      close(code: number, reason: string) {
        if (!pair.open || pair.serverClosed) return;
        pair.serverClosed = { code, reason };
        pair.toClient.push({ close: true, code, reason });
      },
      get bufferedAmount() {
        return pair.bufferedAmount;
      }
    };
  }

  /** What the server sees as waiting to go out: `buffered`, plus the queue when countQueued. */
  get bufferedAmount(): number {
    return this.buffered + (this.countQueued ? this.queuedBytes() : 0);
  }

  set bufferedAmount(bytes: number) {
    this.buffered = bytes;
  }

  /** Bytes of messages waiting for the page. */
  queuedBytes(): number {
    let n = 0;
    for (const m of this.toClient) if (!isClose(m)) n += m.length;
    return n;
  }

  get queued(): number {
    return this.toClient.length + this.toServer.length;
  }

  /** The page sends (called by the client). */
  clientSend(data: Uint8Array): void {
    if (!this.open) return;
    this.client.sent.push(describeMessage(data));
    this.toServer.push(data.slice());
  }

  /** Delivers up to `n` messages from the page to the server, oldest first; returns how many. */
  deliverToServer(n = 1): number {
    let done = 0;
    while (done < n && this.open && this.toServer.length) {
      const data = this.toServer.shift()!;
      done++;
      this.handle.receive(data, true);
    }
    return done;
  }

  /** Delivers up to `n` messages from the server to the page, oldest first; returns how many. */
  deliverToClient(n = 1): number {
    let done = 0;
    while (done < n && this.open && this.toClient.length) {
      const m = this.toClient.shift()!;
      done++;
      if (isClose(m)) {
        this.end(m.code, m.reason);
        break;
      }
      this.client.receive(m);
    }
    return done;
  }

  /** Delivers what is queued now in both directions (replies it causes wait); returns how many. */
  deliver(): number {
    const toServer = this.toServer.length;
    const toClient = this.toClient.length;
    return this.deliverToServer(toServer) + this.deliverToClient(toClient);
  }

  /** Delivers in both directions until both queues are empty, replies included; returns how many. */
  deliverAll(): number {
    let total = 0;
    for (;;) {
      const n = this.deliver();
      if (!n) return total;
      total += n;
    }
  }

  /** The network drops: whatever is in flight is lost, and both ends see the socket close. */
  drop(): void {
    this.end(1006, 'dropped');
  }

  private end(code: number, reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.toClient.length = 0;
    this.toServer.length = 0;
    this.client.closed(code, reason);
    this.handle?.closed();
    this.onEnd(this);
  }
}

// ---- Stores with a disk the test holds --------------------------------------------------------

/**
 * The disk of a store, held by the test: while `durable` is held, durable() does not resolve
 * (commits are stored but not yet on disk); while `append` is held, append() stores at once but
 * does not return (a slow database). A thin wrapper over a real store, not a stand-in for it.
 */
export class DiskGate {
  private held = { durable: false, append: false };
  private waiting: { kind: 'durable' | 'append'; resolve: () => void }[] = [];

  hold(kind: 'durable' | 'append' = 'durable'): void {
    this.held[kind] = true;
  }

  release(kind: 'durable' | 'append' = 'durable'): void {
    this.held[kind] = false;
    const ready = this.waiting.filter((w) => w.kind === kind);
    this.waiting = this.waiting.filter((w) => w.kind !== kind);
    for (const w of ready) w.resolve();
  }

  isHeld(kind: 'durable' | 'append' = 'durable'): boolean {
    return this.held[kind];
  }

  /** Calls waiting for the disk. */
  waiters(kind: 'durable' | 'append' = 'durable'): number {
    return this.waiting.filter((w) => w.kind === kind).length;
  }

  pass(kind: 'durable' | 'append'): Promise<void> {
    if (!this.held[kind]) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ kind, resolve }));
  }
}

export function withDiskGate(store: Store, gate = new DiskGate()): { store: Store; gate: DiskGate } {
  const inner = store.boards;
  const boards: BoardLog = {
    ...inner,
    async append(batch, authors) {
      const last = await inner.append(batch, authors);
      await gate.pass('append');
      return last;
    },
    async durable() {
      await gate.pass('durable');
      return inner.durable();
    },
    load: (boardId) => inner.load(boardId),
    compact: (boardId, snapshot) => inner.compact(boardId, snapshot),
    pendingCount: (boardId) => inner.pendingCount(boardId),
    authors: (workshopId) => inner.authors(workshopId)
  };
  return { store: { ...store, boards }, gate };
}

// ---- A board's state, to compare ---------------------------------------------------------------

export interface BoardState {
  /** What the page shows (boardToJSON). */
  board: ReturnType<typeof boardToJSON>;
  /** Every entry of the cards map with every field, each card's text in full, sorted by id. */
  cards: [string, unknown][];
}

export function boardState(doc: Y.Doc): BoardState {
  const cards = Object.entries(cardsOf(doc).toJSON()).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { board: boardToJSON(doc), cards };
}

/** Whether Yjs holds updates it could not apply yet (their predecessors never arrived). */
export function hasPendingStructs(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}

/** The document a board's stored log holds (snapshot and updates), as a fresh Y.Doc. */
export async function loadStoredDoc(log: BoardLog, boardId: string): Promise<Y.Doc> {
  const stored = await log.load(boardId);
  const doc = new Y.Doc();
  const all = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
  for (const u of all) Y.applyUpdate(doc, u);
  return doc;
}

// ---- The test server ---------------------------------------------------------------------------

export interface BoardServerOptions {
  /** 'memory' (default), 'sqlite' (a real file in a temp folder), or a store to use as it is. */
  store?: 'memory' | 'sqlite' | Store;
  /** Wrap the store's board log in a DiskGate. */
  gate?: boolean;
  /** LIMIT_* variables, as readConfig reads them. */
  env?: Record<string, string>;
  compactEvery?: number;
  /** The host's relay (the in-process one by default); a test of several processes passes its own. */
  relay?: BoardRelay;
}

let fakeIntervals = 0;

/** The host's setInterval timers are faked while any test server is open (see tick()). */
function fakeHostIntervals(): () => void {
  if (fakeIntervals++ === 0) vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    if (--fakeIntervals === 0) vi.useRealTimers();
  };
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

export class BoardServer {
  host: SyncHost;
  readonly pairs = new Set<SocketPair>();
  readonly clients = new Set<SyncClient>();
  private people = 0;
  private closed = false;

  private constructor(
    readonly store: Store,
    /** The store's own board log, under any gate (what settle() waits on). */
    private diskLog: BoardLog,
    readonly gate: DiskGate | null,
    readonly limits: Limits,
    readonly compactEvery: number,
    readonly workshop: WorkshopRecord,
    readonly board: BoardRecord,
    private cleanup: () => Promise<void>,
    private relay?: BoardRelay
  ) {
    this.host = this.newHost();
  }

  static async start(options: BoardServerOptions = {}): Promise<BoardServer> {
    // Before the store and the host exist, so that every interval they start is the test's.
    const undoFakes = fakeHostIntervals();
    try {
      return await BoardServer.open(options, undoFakes);
    } catch (err) {
      undoFakes();
      throw err;
    }
  }

  private static async open(options: BoardServerOptions, undoFakes: () => void): Promise<BoardServer> {
    let dir: string | null = null;
    let base: Store;
    if (options.store === 'sqlite') {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-pair-'));
      base = openSqliteStore(path.join(dir, 'roundtable.sqlite'), { logger: { warn: () => undefined, error: () => undefined } });
    } else if (options.store && options.store !== 'memory') {
      base = options.store;
    } else {
      base = openMemoryStore();
    }
    const ownStore = !options.store || typeof options.store === 'string';
    const gated = options.gate ? withDiskGate(base) : null;
    const store = gated?.store ?? base;
    const limits = readConfig({
      // Generous rates: tests drive many messages in a moment; the rules under test are others.
      LIMIT_SYNC_MESSAGES_PER_SECOND: '100000',
      LIMIT_SYNC_MESSAGE_BURST: '1000000',
      LIMIT_PING_INTERVAL_MS: '3600000',
      LIMIT_UNLOAD_DELAY_MS: '3600000',
      ...options.env
    }).limits;
    const id = `w${Math.random().toString(36).slice(2, 10)}`;
    const workshop: WorkshopRecord = {
      id,
      title: 'Pair test',
      question: 'How can we help?',
      code: id.toUpperCase(),
      createdAt: Date.now()
    };
    const board: BoardRecord = { id: `${id}-b1`, workshopId: id, title: 'Board', position: 0 };
    await store.workshops.create({ workshop, boards: [board], invites: [] });
    return new BoardServer(
      store,
      base.boards,
      gated?.gate ?? null,
      limits,
      options.compactEvery ?? 500,
      workshop,
      board,
      async () => {
        undoFakes();
        if (ownStore) await base.close();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
      },
      options.relay
    );
  }

  private newHost(): SyncHost {
    return new SyncHost({
      log: this.store.boards,
      limits: this.limits,
      logger: pino({ level: 'silent' }),
      trustProxy: false,
      compactEvery: this.compactEvery,
      board: (id) => this.store.workshops.board(id),
      authenticate: async () => null,
      originAllowed: () => true,
      locks: { isLocked: () => false, ready: async () => {} },
      ...(this.relay ? { relay: this.relay } : {})
    });
  }

  /** A participant of the workshop, stored. */
  async person(name: string, role: Role = 'member'): Promise<ParticipantRecord> {
    const p: ParticipantRecord = {
      id: `${this.workshop.id}-p${++this.people}`,
      workshopId: this.workshop.id,
      name,
      role,
      createdAt: Date.now(),
      removedAt: null
    };
    await this.store.people.add(p, `hash-${p.id}`);
    return p;
  }

  /** A page for `who`, with its own (or the given) document, not yet connected. */
  page(who: string, doc?: Y.Doc): SyncClient {
    const client = new SyncClient(who, doc);
    this.clients.add(client);
    return client;
  }

  /** Opens a connection for `client` as `participant`; nothing moves until delivered. */
  async connect(client: SyncClient, participant: ParticipantRecord, options: { countQueued?: boolean } = {}): Promise<SocketPair> {
    if (client.pair) throw new Error(`${client.name} is connected already`);
    this.clients.add(client);
    const pair = new SocketPair(client, options.countQueued ?? false, (p) => this.pairs.delete(p));
    this.pairs.add(pair);
    pair.handle = await this.host.handleConnection(pair.socket, { board: this.board, participant });
    client.opened(pair);
    return pair;
  }

  /** A few turns of the event loop, and the disk (not through the gate): the relay queue's work runs. */
  async turn(): Promise<void> {
    await immediate();
    await immediate();
    await this.diskLog.durable();
    await immediate();
    await immediate();
  }

  /** Runs the host's intervals for `ms` (the catch-up of readers every 100 ms; pings). */
  tick(ms = 100): void {
    for (const p of this.pairs) if (!p.paused) p.handle.pong();
    vi.advanceTimersByTime(ms);
  }

  /** A reader fell behind, has drained, and waits for the catch-up timer. */
  private catchUpDue(): boolean {
    for (const p of this.pairs) {
      const c = p.handle.connection;
      if (!p.paused && !c.closed && c.behind && c.drained()) return true;
    }
    return false;
  }

  /**
   * Delivers everything on every pair not paused, lets the host run, and repeats until nothing
   * moves. A held disk (DiskGate) stays held: what waits for it keeps waiting.
   */
  async settle(maxRounds = 200): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      let moved = 0;
      for (const p of [...this.pairs]) if (!p.paused) moved += p.deliverAll();
      await this.turn();
      for (const p of this.pairs) if (!p.paused && p.queued) moved++;
      if (this.catchUpDue()) {
        this.tick(100);
        moved++;
      }
      if (!moved) return;
    }
    throw new Error(`the sync host did not settle in ${maxRounds} rounds`);
  }

  /** The server room's document as it is now. */
  state(): Promise<BoardState> {
    return this.host.read(this.board.id, (b) => boardState(b.doc));
  }

  /**
   * Stops the host as production does (saves, compacts, closes every connection as "restarting")
   * and starts a fresh one over the same store. The pages learn of the close when delivered.
   */
  async restart(): Promise<void> {
    await this.host.close();
    this.host = this.newHost();
  }

  /** A second host over the same store, for reading what a restart would load (close it after). */
  freshHost(): SyncHost {
    return this.newHost();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.gate?.release('durable');
    this.gate?.release('append');
    for (const c of this.clients) c.destroy();
    await this.host.close();
    await this.cleanup();
  }
}
