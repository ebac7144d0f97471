// Two standard y-websocket clients in Node converge on the same board, and what they wrote
// survives a server restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard, boardToJSON, getCard, readLanes } from '../../src/lib/board/schema';
import { startTestServer, type TestServer } from '../helpers/server';
import { connectBoard, createWorkshop, join, until, type BoardClient } from '../helpers/clients';

describe('live board sync', () => {
  let server: TestServer;
  const clients: BoardClient[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server.close();
  });

  it("two clients see each other's cards and keep both people's words when typing in one card", async () => {
    const w = await createWorkshop(server.url);
    const boardId = w.boards[0].id;
    const ann = await join(server.url, w.links.member, 'Ann');
    const bo = await join(server.url, w.links.decisionMaker, 'Bo');
    const a = connectBoard(server.wsUrl, boardId, ann.sessionToken);
    const b = connectBoard(server.wsUrl, boardId, bo.sessionToken);
    clients.push(a, b);
    await Promise.all([a.synced, b.synced]);

    const id = addCard(a.doc, 'problems', 'No phone credit');
    await until(b.doc, () => getCard(b.doc, id)?.text.toString() === 'No phone credit');

    // Both type into the same card at once: each keeps their words.
    getCard(a.doc, id)!.text.insert(0, 'Ann: ');
    getCard(b.doc, id)!.text.insert('No phone credit'.length, ' to call');
    const expected = (t: string) => t.includes('Ann: ') && t.includes(' to call') && t.includes('No phone credit');
    await until(a.doc, () => expected(getCard(a.doc, id)!.text.toString()));
    await until(b.doc, () => expected(getCard(b.doc, id)!.text.toString()));
    expect(getCard(a.doc, id)!.text.toString()).toBe(getCard(b.doc, id)!.text.toString());
    expect(boardToJSON(a.doc)).toEqual(boardToJSON(b.doc));
  });

  it('keeps every card through a server restart', async () => {
    const w = await createWorkshop(server.url);
    const boardId = w.boards[0].id;
    const me = await join(server.url, w.links.member, 'Cy');
    const a = connectBoard(server.wsUrl, boardId, me.sessionToken);
    await a.synced;
    for (let i = 0; i < 20; i++) addCard(a.doc, i % 2 ? 'solutions' : 'questions', `card ${i}`);
    const before = boardToJSON(a.doc);
    // Wait until the server has every update: a second client sees all 20 cards.
    const check = connectBoard(server.wsUrl, boardId, me.sessionToken);
    await check.synced;
    await until(check.doc, () => readLanes(check.doc).questions.length + readLanes(check.doc).solutions.length === 20);
    a.destroy();
    check.destroy();

    await server.restart();

    const after = connectBoard(server.wsUrl, boardId, me.sessionToken);
    clients.push(after);
    await after.synced;
    expect(boardToJSON(after.doc)).toEqual(before);
  });

  it('refuses the upgrade without a valid session, and for a board that does not exist', async () => {
    const w = await createWorkshop(server.url);
    const statusOf = (path: string) =>
      new Promise<number>((resolve) => {
        void import('ws').then(({ default: WebSocket }) => {
          const ws = new WebSocket(server.wsUrl + path);
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('open', () => {
            ws.close();
            resolve(101);
          });
          ws.on('error', () => undefined);
        });
      });
    expect(await statusOf(`/sync/${w.boards[0].id}`)).toBe(401);
    expect(await statusOf(`/sync/${w.boards[0].id}?token=not-a-real-token-but-long-enough`)).toBe(401);
    const me = await join(server.url, w.links.member, 'Di');
    expect(await statusOf(`/sync/nope?token=${me.sessionToken}`)).toBe(404);
    expect(await statusOf(`/sync/${w.boards[0].id}?token=${me.sessionToken}`)).toBe(101);
    // A session for one workshop does not open another workshop's board.
    const other = await createWorkshop(server.url);
    expect(await statusOf(`/sync/${other.boards[0].id}?token=${me.sessionToken}`)).toBe(403);
  });
});
