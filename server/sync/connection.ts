// One participant's WebSocket on one board, behind a minimal socket interface so production,
// dev and tests share the same core.
import type { ParticipantRecord } from '../persistence/types';
import { CLOSE, type CloseName } from '../../src/lib/protocol/errors';
import { TokenBucket } from './rate';

/** What the sync core needs of a socket (see ws-socket.ts for `ws`). */
export interface SyncSocket {
  send(data: Uint8Array): void;
  /** Sends a message many sockets get, reusing its wire encoding; falls back to send(message.data). */
  sendPrepared?(message: Outgoing): void;
  close(code: number, reason: string): void;
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
  /** Bytes waiting to go out before a reader counts as too slow. */
  maxBufferedBytes: number;
}

export class SyncConnection {
  readonly clientIds = new Set<number>();
  private bucket: TokenBucket;
  closed = false;
  alive = true;
  /** A sync reply made for this connection is waiting for the disk (see SyncHost.whenDurable). */
  replyWaiting = false;
  /** Edits from this connection were refused (locked board, observer): its page holds changes the board lacks. */
  refusedUpdates = false;

  constructor(
    private socket: SyncSocket,
    public participant: ParticipantRecord,
    readonly boardId: string,
    private limits: ConnectionLimits
  ) {
    this.bucket = new TokenBucket(limits.messageBurst, limits.messagesPerSecond);
  }

  /** False when the connection sends faster than its budget allows. */
  allowMessage(): boolean {
    return this.bucket.take();
  }

  send(data: Uint8Array | Outgoing): void {
    if (this.closed) return;
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.close('tooSlow');
      return;
    }
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
    this.closed = true;
    try {
      this.socket.close(CLOSE[name], detail || name);
    } catch {
      // the socket is already gone
    }
  }
}
