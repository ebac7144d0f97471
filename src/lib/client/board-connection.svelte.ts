// Browser only: one board's Yjs document, kept in IndexedDB and synced over /sync/<boardId>.
// Exposes the connection state in plain words as runes.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { fromBase64, toBase64 } from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import { CLOSE_TEXT, closeName, MESSAGE_SAVING } from '$lib/protocol/errors';
import { boardDatabaseName, unsavedKey } from '$lib/protocol/device';

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  /** Connected, but the server cannot store edits to this board just now (MESSAGE_SAVING). */
  | { kind: 'held'; waiting: number }
  | { kind: 'reconnecting'; waiting: number }
  | { kind: 'offline'; waiting: number }
  | { kind: 'stopped'; message: string };

/** Marks transactions made by this page, for undo and for telling local from remote edits. */
export const LOCAL = Symbol('local');

/** The id of the card a changed Yjs type belongs to (the card's map, or its text), if any. */
// Yjs's own types use `any` for the event a type emits.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;
function cardIdOf(type: AnyType): string | null {
  let t: AnyType | null = type;
  while (t && t._item) {
    const parent = t._item.parent as AnyType;
    if (parent === t.doc?.getMap('cards')) return t._item.parentSub;
    t = parent;
  }
  return null;
}

export class BoardConnection {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  /** This device's copy of the board; none once the workshop has ended (or the device left). */
  private idb: IndexeddbPersistence | null = null;
  #state = $state<ConnectionState>({ kind: 'connecting' });
  #waiting = $state(0);
  /** The server said it holds this board's edits unstored (the database is away); on this socket only. */
  #held = $state(false);
  #loadedLocally = $state(false);
  #synced = $state(false);
  #resolveReady!: () => void;
  /** Settles once the board is on screen from this device's copy or from the server (`ready`). */
  readonly whenReady = new Promise<void>((resolve) => (this.#resolveReady = resolve));
  private failures = 0;
  private changedCards = new Set<string>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;

  constructor(
    readonly boardId: string,
    readonly workshopId: string,
    options: { keepOnDevice?: boolean } = {}
  ) {
    if (options.keepOnDevice ?? true) {
      const idb = (this.idb = new IndexeddbPersistence(boardDatabaseName(boardId), this.doc));
      void idb.whenSynced
        .catch(() => undefined)
        .then(() => {
          if (this.idb !== idb) return;
          this.restoreUnsaved();
          this.#loadedLocally = true;
          this.#resolveReady();
        });
    }
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.provider = new WebsocketProvider(`${scheme}://${location.host}/sync`, boardId, this.doc, {
      // The session cookie authenticates the socket; no token in the URL.
      params: {},
      // We reconnect ourselves (see onClose), with jitter; refusals that cannot succeed stop.
      shouldReconnect: (event: CloseEvent) => {
        const name = closeName(event.code);
        return name ? CLOSE_TEXT[name].retry : true;
      }
    });
    this.provider.messageHandlers[MESSAGE_SAVING] = (_encoder, decoder) => {
      const held = decoding.readVarUint(decoder) === 1;
      if (held === this.#held) return;
      this.#held = held;
      // Stored at last: what was counted as waiting has been saved.
      if (!held) this.clearWaiting();
    };
    this.provider.on('status', ({ status }: { status: string }) => this.onStatus(status));
    this.provider.on('sync', (synced: boolean) => {
      this.#synced = synced;
      if (synced) {
        this.#resolveReady();
        if (!this.#held) this.clearWaiting();
        this.failures = 0;
        this.#state = { kind: 'live' };
      }
    });
    this.provider.on('connection-close', (event: CloseEvent | null) => this.onClose(event));
    // "Waiting" counts the cards changed here while not live (not keystrokes), as people think of it.
    this.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.origin === this.provider || tr.origin === this.idb || this.state.kind === 'live') return;
      const before = this.changedCards.size;
      for (const type of tr.changed.keys()) {
        const id = cardIdOf(type);
        if (id) this.changedCards.add(id);
      }
      if (this.changedCards.size !== before) {
        this.#waiting = this.changedCards.size;
        this.refreshWaiting();
      }
    });
    addEventListener('online', this.onOnline);
    addEventListener('offline', this.onOffline);
    addEventListener('pagehide', this.onPageHide);
    if (!navigator.onLine) this.#state = { kind: 'offline', waiting: 0 };
  }

  get state(): ConnectionState {
    return this.#state.kind === 'live' && this.#held ? { kind: 'held', waiting: this.#waiting } : this.#state;
  }

  private clearWaiting() {
    this.#waiting = 0;
    this.changedCards.clear();
  }
  /** True once the board is on screen from this device's copy or from the server. */
  get ready(): boolean {
    return this.#loadedLocally || this.#synced;
  }

  private refreshWaiting() {
    const s = this.#state;
    if (s.kind === 'reconnecting' || s.kind === 'offline') this.#state = { ...s, waiting: this.#waiting };
  }

  private onStatus(status: string) {
    if (this.#state.kind === 'stopped') return;
    if (status === 'connected') return; // "live" once synced
    if (status === 'disconnected' || status === 'connecting') {
      const kind = navigator.onLine ? 'reconnecting' : 'offline';
      if (this.#state.kind === 'connecting' && status === 'connecting' && this.failures === 0) return;
      this.#state = { kind, waiting: this.#waiting };
    }
  }

  private onClose(event: CloseEvent | null) {
    this.#synced = false;
    // Held or not is the word of the socket that said it; the next one says it again if so.
    this.#held = false;
    const name = event ? closeName(event.code) : null;
    if (name && !CLOSE_TEXT[name].retry) return this.stop(CLOSE_TEXT[name].message);
    this.failures++;
    // Exponential backoff with full jitter, so a room of phones coming back from a Wi-Fi drop does
    // not reconnect in lock step. y-websocket's own retry (no jitter) is turned into a no-op.
    this.provider.shouldConnect = false;
    const cap = Math.min(15_000, 250 * 2 ** Math.min(this.failures, 6));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(
      () => {
        if (!this.destroyed && this.#state.kind !== 'stopped') this.provider.connect();
      },
      250 + Math.random() * cap
    );
    // A refused upgrade shows up as 1006 with no reason; ask the server whether we are still in.
    if (this.failures === 3 || this.failures % 10 === 0) void this.checkSession();
  }

  private async checkSession() {
    try {
      const res = await fetch(`/api/session?workshop=${encodeURIComponent(this.workshopId)}`, { cache: 'no-store' });
      if (res.status === 401) this.stop(CLOSE_TEXT.notSignedIn.message);
    } catch {
      // offline: keep trying
    }
  }

  private stop(message: string) {
    this.provider.shouldConnect = false;
    this.provider.disconnect();
    this.#state = { kind: 'stopped', message };
  }

  private onOnline = () => {
    if (this.#state.kind === 'offline') this.#state = { kind: 'reconnecting', waiting: this.#waiting };
    // Back online: try at once rather than waiting out the backoff.
    if (this.#state.kind !== 'stopped' && !this.provider.wsconnected) {
      clearTimeout(this.retryTimer);
      this.provider.connect();
    }
  };
  private onOffline = () => {
    if (this.#state.kind === 'stopped') return;
    this.#state = { kind: 'offline', waiting: this.#waiting };
    // Close the socket now rather than write into a dead one until a timeout notices. A socket that
    // outlived a short drop left the page "Reconnecting…" for good: onOnline saw it still
    // connected, so no new sync ever said "live" although changes flowed.
    this.provider.disconnect();
  };

  // y-indexeddb writes each change asynchronously, and the browser drops the writes still pending
  // when the page goes away: offline, a reload just after typing lost the last few characters. So
  // when the page goes (reload, close, navigation), keep the whole board synchronously in
  // localStorage too; the next load merges it in (a CRDT merge, so nothing doubles) and drops it.
  private get unsavedKey(): string {
    return unsavedKey(this.boardId);
  }
  private onPageHide = () => {
    if (this.#state.kind === 'stopped' || this.destroyed || !this.idb) return;
    try {
      localStorage.setItem(this.unsavedKey, toBase64(Y.encodeStateAsUpdate(this.doc)));
    } catch {
      // storage full or blocked: IndexedDB and the server still hold all but the last moment
    }
  };
  private restoreUnsaved() {
    try {
      const saved = localStorage.getItem(this.unsavedKey);
      if (!saved) return;
      // Not the provider's or IndexedDB's origin, so both store and send what they had missed.
      Y.applyUpdate(this.doc, fromBase64(saved), 'unsaved');
      localStorage.removeItem(this.unsavedKey);
    } catch {
      // unreadable: IndexedDB and the server still hold the rest
    }
  }

  /**
   * Stops keeping this board on the device and removes the copy (the workshop ended): the page
   * stays live, nothing more is written to IndexedDB or localStorage.
   */
  async stopKeeping(): Promise<void> {
    const idb = this.idb;
    this.idb = null;
    try {
      localStorage.removeItem(this.unsavedKey);
    } catch {
      // storage blocked
    }
    try {
      // Closes the database and deletes it.
      await idb?.clearData();
    } catch {
      // already gone
    }
  }

  /** Disconnects and removes this device's copy of the board (leaving, removed, deleted). */
  async forgetLocalCopy(): Promise<void> {
    this.stop('');
    await this.stopKeeping();
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.retryTimer);
    removeEventListener('online', this.onOnline);
    removeEventListener('offline', this.onOffline);
    removeEventListener('pagehide', this.onPageHide);
    this.provider.destroy();
    void this.idb?.destroy();
    this.doc.destroy();
  }
}
