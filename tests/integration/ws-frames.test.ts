// Relayed messages are framed once and written raw to every socket (server/sync/ws-socket.ts):
// a real `ws` client must read every frame size the RFC defines exactly as ws.send would send it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { prepare } from '../../server/sync/connection';
import { binaryFrame, wsSocket } from '../../server/sync/ws-socket';

// 7-bit, 16-bit and 64-bit payload lengths, each at its edges.
const SIZES = [0, 1, 125, 126, 127, 65_535, 65_536, 200_000];

describe('pre-framed relay messages', () => {
  let server: http.Server;
  let wss: WebSocketServer;
  let url = '';
  const framed: boolean[] = [];

  beforeAll(async () => {
    server = http.createServer();
    wss = new WebSocketServer({ server, perMessageDeflate: false });
    wss.on('connection', (ws) => {
      const socket = wsSocket(ws);
      for (const size of SIZES) {
        const data = new Uint8Array(size).map((_, i) => (i * 7 + size) & 0xff);
        const message = prepare(data);
        socket.sendPrepared!(message);
        // Framed by us, not by the fallback to ws.send (which would leave no cached frame).
        framed.push(Buffer.isBuffer(message.wire) && message.wire.length > size);
        socket.sendPrepared!(message); // the second send reuses the cached frame
        socket.send(data); // and ws's own framing, for comparison
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    wss.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('arrive intact, in order, as binary messages identical to ws.send', async () => {
    const client = new WebSocket(url);
    const received: { data: Buffer; isBinary: boolean }[] = [];
    await new Promise<void>((resolve, reject) => {
      client.on('message', (data, isBinary) => {
        received.push({ data: data as Buffer, isBinary });
        if (received.length === SIZES.length * 3) resolve();
      });
      client.on('error', reject);
    });
    client.close();
    expect(framed).toEqual(SIZES.map(() => true));
    SIZES.forEach((size, k) => {
      const [a, b, viaWs] = received.slice(k * 3, k * 3 + 3);
      expect(a.isBinary && b.isBinary && viaWs.isBinary).toBe(true);
      expect(a.data.length).toBe(size);
      expect(a.data.equals(viaWs.data)).toBe(true);
      expect(b.data.equals(viaWs.data)).toBe(true);
    });
  });

  it('builds headers as RFC 6455 section 5.2 defines them', () => {
    expect([...binaryFrame(new Uint8Array(3)).subarray(0, 2)]).toEqual([0x82, 3]);
    expect([...binaryFrame(new Uint8Array(126)).subarray(0, 4)]).toEqual([0x82, 126, 0, 126]);
    expect([...binaryFrame(new Uint8Array(65_536)).subarray(0, 10)]).toEqual([0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
  });
});
