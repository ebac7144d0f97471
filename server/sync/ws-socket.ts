// The `ws` WebSocket as a SyncSocket, with one write per recipient for relayed messages: the frame
// (header and payload in one buffer) is built once per message by ws's own framing and reused for
// every socket, as socket.io does for its broadcasts (engine.io's `wsPreEncodedFrame`).
import * as wsModule from 'ws';
import { WebSocket } from 'ws';
import type { Outgoing, SyncSocket } from './connection';

/** ws's sender, as far as pre-framed writes need it (engine.io relies on the same method). */
interface FrameSender {
  _state?: number;
  sendFrame(list: Buffer[], cb?: (err?: Error) => void): void;
}

/** `ws.Sender.frame`, public in ws but missing from @types/ws. */
const { Sender } = wsModule as unknown as {
  Sender: { frame(data: Buffer, options: { fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean }): Buffer[] };
};

/** A server-to-client binary frame (FIN, opcode 2, unmasked) holding `data`, as one buffer. */
export function binaryFrame(data: Uint8Array): Buffer {
  const payload = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat(Sender.frame(payload, { fin: true, rsv1: false, opcode: 2, mask: false, readOnly: true }));
}

export function wsSocket(ws: WebSocket): SyncSocket {
  const candidate = (ws as unknown as { _sender?: FrameSender })._sender;
  const sender = candidate && typeof candidate.sendFrame === 'function' ? candidate : null;
  return {
    send: (data) => ws.send(data),
    sendPrepared(message: Outgoing) {
      // Without compression ws's sender never queues (state 0), so a raw frame keeps message order.
      if (!sender || sender._state || ws.readyState !== WebSocket.OPEN) return ws.send(message.data);
      message.wire ??= binaryFrame(message.data);
      sender.sendFrame([message.wire as Buffer]);
    },
    close: (code, reason) => ws.close(code, reason),
    get bufferedAmount() {
      return ws.bufferedAmount;
    }
  };
}
