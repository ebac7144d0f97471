// The `ws` WebSocket as a SyncSocket, with one write per recipient for relayed messages: the frame
// (header and payload in one buffer) is built once per message and reused for every socket, as
// socket.io does for its broadcasts (engine.io's `wsPreEncodedFrame`).
import { WebSocket } from 'ws';
import type { Outgoing, SyncSocket } from './connection';

/** ws's sender, as far as pre-framed writes need it (engine.io relies on the same method). */
interface FrameSender {
  _state?: number;
  sendFrame(list: Buffer[], cb?: (err?: Error) => void): void;
}

/**
 * A server-to-client binary WebSocket frame (RFC 6455 section 5.2): FIN and opcode 2, no mask,
 * a 7-bit, 16-bit or 64-bit payload length, then the payload.
 */
export function binaryFrame(data: Uint8Array): Buffer {
  const n = data.byteLength;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + n);
  frame[0] = 0x82;
  if (n < 126) frame[1] = n;
  else if (n < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  frame.set(data, head);
  return frame;
}

export function wsSocket(ws: WebSocket): SyncSocket {
  const sender = (ws as unknown as { _sender?: FrameSender })._sender;
  // Without compression ws's sender never queues (state 0), so a raw frame keeps message order.
  const canFrame = () => ws.readyState === WebSocket.OPEN && !!sender && typeof sender.sendFrame === 'function' && !sender._state;
  return {
    send: (data) => ws.send(data),
    sendPrepared(message: Outgoing) {
      if (!canFrame()) return ws.send(message.data);
      message.wire ??= binaryFrame(message.data);
      sender!.sendFrame([message.wire as Buffer]);
    },
    close: (code, reason) => ws.close(code, reason),
    get bufferedAmount() {
      return ws.bufferedAmount;
    }
  };
}
