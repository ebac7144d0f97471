// When the disk stops confirming writes, edits that are not on disk are never relayed: the
// board's connections close with "server error" (pages keep their edits and reconnect), and
// /healthz reports the server unhealthy. The disk failure is simulated by making Node's
// fdatasync report EIO once; everything else is the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard, boardToJSON } from '../../src/lib/board/schema';
import { CLOSE } from '../../src/lib/protocol/errors';
import { startTestServer, type TestServer } from '../helpers/server';
import { connectBoard, createWorkshop, join, until } from '../helpers/clients';
import { failNextDiskSync } from '../helpers/disk';

describe('a failing disk', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('relays nothing unsaved, closes the board with a server error and fails /healthz', async () => {
    const w = await createWorkshop(server.url);
    const a = await join(server.url, w.links.member, 'Ana');
    const b = await join(server.url, w.links.member, 'Ben');
    const boardA = connectBoard(server.wsUrl, w.boards[0].id, a.sessionToken);
    const boardB = connectBoard(server.wsUrl, w.boards[0].id, b.sessionToken);
    await Promise.all([boardA.synced, boardB.synced]);
    addCard(boardA.doc, 'problems', 'saved first');
    await until(boardB.doc, () => boardToJSON(boardB.doc).problems.length === 1);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const closedB = new Promise<number>((resolve) =>
      boardB.provider.on('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0))
    );
    const spy = failNextDiskSync();
    try {
      boardB.provider.shouldConnect = false; // see what B holds when it is closed, without a resync
      addCard(boardA.doc, 'problems', 'never confirmed by the disk');
      expect(await closedB).toBe(CLOSE.serverError);
      expect(boardToJSON(boardB.doc).problems.map((c) => c.text)).toEqual(['saved first']);
      expect(boardToJSON(boardA.doc).problems).toHaveLength(2); // the writer's page keeps its edit
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ ok: false });
    } finally {
      spy.mockRestore();
      boardA.destroy();
      boardB.destroy();
    }
  });
});
