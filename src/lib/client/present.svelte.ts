// Browser only: a present screen's live view, as runes. Opens socket.io as a present screen (the
// present cookie, or the facilitator's session, authenticates it), holds the last view the server
// sent and a clock offset so the timer shows server time, and says plainly whether the screen is
// live, reconnecting or stopped (its link replaced, the workshop deleted).
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, PresentView, ServerToClientEvents } from '$lib/protocol/session';

type PresentSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A present screen's connection, as one union: the page says each in plain words. */
export type PresentConnectionState =
  { kind: 'connecting' } | { kind: 'live' } | { kind: 'reconnecting' } | { kind: 'stopped'; message: string };

export class PresentScreen {
  private socket: PresentSocket;
  #view = $state<PresentView>() as PresentView;
  #connection = $state<PresentConnectionState>({ kind: 'connecting' });
  #offset = $state(0);
  #now = $state(Date.now());
  private ticker: ReturnType<typeof setInterval>;

  /** `first`: the view the page was served with, shown until the socket's first one. */
  constructor(workshopId: string, first: PresentView) {
    this.#view = first;
    this.#offset = first.serverTime - Date.now();
    this.socket = io({
      path: '/socket.io',
      auth: { workshopId, present: true },
      transports: ['websocket', 'polling'],
      // If a venue's proxy blocks WebSockets, fall back to long-polling.
      tryAllTransports: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5
    });
    this.socket.on('connect', () => (this.#connection = { kind: 'live' }));
    this.socket.on('disconnect', () => {
      if (this.#connection.kind !== 'stopped') this.#connection = { kind: 'reconnecting' };
    });
    this.socket.on('connect_error', (err: Error & { data?: { code?: string; message?: string } }) => {
      if (err.data?.code === 'not_signed_in') this.stop(err.data.message ?? 'This screen can no longer show the present view.');
      else if (this.#connection.kind !== 'stopped') this.#connection = { kind: 'reconnecting' };
    });
    this.socket.on('present', (view) => {
      this.#offset = view.serverTime - Date.now();
      this.#view = view;
    });
    // The link was replaced, the facilitator's role changed, or the workshop was deleted.
    this.socket.on('removed', ({ message }) => this.stop(message));
    this.ticker = setInterval(() => (this.#now = Date.now()), 250);
    addEventListener('offline', this.onOffline);
    addEventListener('online', this.onOnline);
  }

  /** The signal is gone: say so at once, rather than after the pings time out. */
  private onOffline = () => {
    if (this.#connection.kind === 'stopped') return;
    this.socket.io.engine?.close();
    this.#connection = { kind: 'reconnecting' };
  };

  /** Back online: connect at once rather than after the reconnection backoff. */
  private onOnline = () => {
    if (this.#connection.kind === 'stopped' || this.socket.connected) return;
    this.socket.disconnect();
    this.socket.connect();
  };

  get view(): PresentView {
    return this.#view;
  }
  get connection(): PresentConnectionState {
    return this.#connection;
  }
  /** The server's clock now, updated four times a second. */
  get serverNow(): number {
    return this.#now + this.#offset;
  }

  private stop(message: string) {
    this.#connection = { kind: 'stopped', message };
    this.socket.disconnect();
  }

  destroy() {
    clearInterval(this.ticker);
    removeEventListener('offline', this.onOffline);
    removeEventListener('online', this.onOnline);
    this.socket.disconnect();
  }
}
