// One participant's WebSocket on one board, behind a minimal socket interface so production
// (`ws`, see ws-socket.ts), dev and tests (an in-memory socket pair) share the same core.
import type { ParticipantRecord } from '../persistence/types';
import { CLOSE, type CloseName } from '../../src/lib/protocol/errors';
import { TokenBucket } from '../rate';

/** What the sync core needs of a socket. */
export interface SyncSocket {
  send(data: Uint8Array): void;
  /** Sends a message many sockets get, reusing its wire encoding; falls back to send(message.data). */
  sendPrepared?(message: Outgoing): void;
  close(code: number, reason: string): void;
  /** Bytes written but not yet taken by the network (ws's bufferedAmount). */
  readonly bufferedAmount: number;
}

/**
 * One message for many recipients (a relay to a whole room). The transport caches its wire form
 * (for WebSockets, the framed bytes) in `wire` the first time, so 1,000 recipients cost one
 * encoding and one write each, not 1,000 encodings.
 */
export interface Outgoing {
  readonly data: Uint8Array;
  wire?: unknown;
}

export function prepare(data: Uint8Array): Outgoing {
  return { data };
}

export interface ConnectionLimits {
  /** Messages a second a connection may send, sustained, and as a burst. */
  messagesPerSecond: number;
  messageBurst: number;
  /**
   * Bytes waiting to go out to a connection before relays to it stop (it has fallen behind and
   * is caught up with one diff once its buffer drains). Direct answers may take it to twice this;
   * past that, or once it has fallen behind by more than this many bytes of edits, it is closed
   * as too slow.
   */
  maxBufferedBytes: number;
}

/**
 * A connection's lifecycle: open; waiting for the disk before its sync reply can go (one reply
 * waits at a time, so a flood of requests cannot pile up copies of the board); closed, with why.
 */
export type ConnectionState = { kind: 'open' } | { kind: 'awaitingReply' } | { kind: 'closed'; reason: CloseName | 'gone' };

/**
 * A reader that fell behind: relays to it stopped when its buffer was full. `since` is the board's
 * state vector before the first edit it missed; it is sent one diff from there once its buffer
 * drains. `skipped` counts the bytes of edits it missed (past maxBufferedBytes it is closed).
 */
export interface Behind {
  since: Uint8Array;
  skipped: number;
}

export class SyncConnection {
  readonly clientIds = new Set<number>();
  private bucket: TokenBucket;
  state: ConnectionState = { kind: 'open' };
  /** Answered the last ping (set false when a ping goes out). */
  alive = true;
  behind: Behind | null = null;
  /** Edits from this connection were refused (locked board, observer): its page holds changes the board lacks. */
  refusedUpdates = false;
  /** Sync step 1 messages sent to it that it has not answered yet (an answer may be large: see receive). */
  answersOwed = 0;

  constructor(
    private socket: SyncSocket,
    public participant: ParticipantRecord,
    readonly boardId: string,
    private limits: ConnectionLimits
  ) {
    this.bucket = new TokenBucket(limits.messageBurst, limits.messagesPerSecond);
  }

  get closed(): boolean {
    return this.state.kind === 'closed';
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  /** False when the connection sends faster than its budget allows. */
  allowMessage(): boolean {
    return this.bucket.take();
  }

  /** A direct answer or control message: always sent, unless the reader is hopelessly behind. */
  send(data: Uint8Array | Outgoing): void {
    if (this.closed) return;
    if (this.socket.bufferedAmount > 2 * this.limits.maxBufferedBytes) return this.close('tooSlow');
    this.write(data);
  }

  /**
   * A relayed edit or presence, one of many. A reader whose buffer is full falls behind instead
   * of being sent more (see Behind); false when it was not sent.
   */
  relay(data: Outgoing, since: Uint8Array | null, bytes = data.data.length): boolean {
    if (this.closed) return false;
    if (this.behind || this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      if (since === null) return false; // presence: the catch-up sends everyone's
      this.behind ??= { since, skipped: 0 };
      this.behind.skipped += bytes;
      if (this.behind.skipped > this.limits.maxBufferedBytes) this.close('tooSlow');
      return false;
    }
    this.write(data);
    return true;
  }

  /** Whether a reader that fell behind has drained enough of its buffer to be caught up. */
  drained(): boolean {
    return this.socket.bufferedAmount <= this.limits.maxBufferedBytes / 4;
  }

  private write(data: Uint8Array | Outgoing): void {
    try {
      if (data instanceof Uint8Array) this.socket.send(data);
      else if (this.socket.sendPrepared) this.socket.sendPrepared(data);
      else this.socket.send(data.data);
    } catch {
      this.close('serverError');
    }
  }

  close(name: CloseName, detail = ''): void {
    if (this.closed) return;
    this.state = { kind: 'closed', reason: name };
    try {
      this.socket.close(CLOSE[name], detail || name);
    } catch {
      // the socket is already gone
    }
  }

  /** The transport closed (the page went, the network dropped). */
  ended(): void {
    if (!this.closed) this.state = { kind: 'closed', reason: 'gone' };
  }
}
