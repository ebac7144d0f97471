// Privacy: deleting a workshop leaves no trace of its content in the database file; a participant
// can remove their name and their cards; ended workshops are deleted after the retention period.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard, boardToJSON, getCard } from '../../src/lib/board/schema';
import { startTestServer, type TestServer } from '../helpers/server';
import { api, connectBoard, connectSession, createWorkshop, join, until } from '../helpers/clients';

function databaseBytes(dataDir: string): Buffer {
  const parts = ['roundtable.sqlite', 'roundtable.sqlite-wal']
    .map((f) => path.join(dataDir, f))
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f));
  return Buffer.concat(parts);
}

describe('privacy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('deletes a workshop and leaves none of its content in the database file', async () => {
    const secret = 'ZEBRA-SECRET-7731';
    const w = await createWorkshop(server.url, `Title ${secret}`, `Question ${secret}`);
    const fac = await join(server.url, w.links.facilitator, `Facilitator ${secret}`);
    const member = await join(server.url, w.links.member, `Member ${secret}`);
    const board = connectBoard(server.wsUrl, w.boards[0].id, member.sessionToken);
    await board.synced;
    for (let i = 0; i < 40; i++) addCard(board.doc, 'problems', `card ${i} ${secret}`);
    const session = await connectSession(server.url, w.id, member.sessionToken);
    await session.run({ type: 'round.answer', answerId: 'a1', text: secret, emoji: null, anonymous: false });
    const facSession = await connectSession(server.url, w.id, fac.sessionToken);
    await facSession.run({ type: 'phase.go', index: 2 });
    await session.run({
      type: 'draft.save',
      boardId: w.boards[0].id,
      draftId: 'd1',
      lane: 'solutions',
      text: `draft ${secret}`,
      anonymous: false
    });
    const check = connectBoard(server.wsUrl, w.boards[0].id, fac.sessionToken);
    await check.synced;
    await until(check.doc, () => boardToJSON(check.doc).problems.length === 40);
    check.destroy();
    board.destroy();
    session.disconnect();
    facSession.disconnect();
    // A restart compacts the board: now it has a snapshot, and new edits add to its update log.
    await server.restart();
    const again = connectBoard(server.wsUrl, w.boards[0].id, member.sessionToken);
    await again.synced;
    addCard(again.doc, 'questions', `after the snapshot ${secret}`);
    const seen = connectBoard(server.wsUrl, w.boards[0].id, fac.sessionToken);
    await seen.synced;
    await until(seen.doc, () => boardToJSON(seen.doc).questions.length === 1);
    const db = await server.running.realtime.store.boards.load(w.boards[0].id);
    expect(db.snapshot).not.toBeNull();
    expect(db.updates.length).toBeGreaterThan(0);
    expect(databaseBytes(server.dataDir).includes(secret)).toBe(true);
    // The present link, old and new, goes with the workshop too.
    const oldPresent = w.links.present.split('/p/')[1];
    const renewer = await connectSession(server.url, w.id, fac.sessionToken);
    expect(await renewer.run({ type: 'invite.renew', role: 'present' })).toEqual({ ok: true });
    renewer.disconnect();
    const newPresent = (await server.running.realtime.store.present.current(w.id))!.token;
    expect(databaseBytes(server.dataDir).includes(newPresent)).toBe(true);

    const del = await fetch(`${server.url}/api/workshops/${w.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${fac.sessionToken}` }
    });
    expect(del.status).toBe(204);
    again.destroy();
    seen.destroy();
    expect(databaseBytes(server.dataDir).includes(secret)).toBe(false);
    for (const token of [oldPresent, newPresent]) expect(databaseBytes(server.dataDir).includes(token)).toBe(false);
    expect(
      (await api(server.url, `/api/session?workshop=${w.id}`, undefined, { headers: { authorization: `Bearer ${member.sessionToken}` } }))
        .status
    ).toBe(410); // Gone: only the workshop's id is kept, so the API can say it was deleted.
    // And after a restart (nothing written back from memory).
    await server.restart();
    expect(databaseBytes(server.dataDir).includes(secret)).toBe(false);
  });

  it('refuses to delete a workshop for anyone but its facilitator', async () => {
    const w = await createWorkshop(server.url);
    const member = await join(server.url, w.links.member, 'Mo');
    const res = await fetch(`${server.url}/api/workshops/${w.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${member.sessionToken}` }
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
    const anon = await fetch(`${server.url}/api/workshops/${w.id}`, { method: 'DELETE' });
    expect(anon.status).toBe(401);
  });

  it('lets a participant remove their name and the cards they wrote', async () => {
    const w = await createWorkshop(server.url);
    const boardId = w.boards[0].id;
    const fac = await join(server.url, w.links.facilitator, 'Fay');
    const leaver = await join(server.url, w.links.member, 'Leaving Lou');
    const stayer = await join(server.url, w.links.member, 'Staying Sam');
    const lb = connectBoard(server.wsUrl, boardId, leaver.sessionToken);
    const sb = connectBoard(server.wsUrl, boardId, stayer.sessionToken);
    await Promise.all([lb.synced, sb.synced]);
    const mine = addCard(lb.doc, 'problems', 'my story');
    const theirs = addCard(sb.doc, 'problems', 'their story');
    await until(sb.doc, () => !!getCard(sb.doc, mine));
    await until(lb.doc, () => !!getCard(lb.doc, theirs));
    const session = await connectSession(server.url, w.id, leaver.sessionToken);
    const removed = new Promise((resolve) => session.once('removed', resolve));
    expect(await session.run({ type: 'me.forget' })).toEqual({ ok: true });
    await removed;
    await until(sb.doc, () => !getCard(sb.doc, mine));
    expect(getCard(sb.doc, theirs)?.text.toString()).toBe('their story');
    const facSession = await connectSession(server.url, w.id, fac.sessionToken);
    const view = await new Promise<{ roster: { name: string }[] }>((resolve) => facSession.once('facilitator', resolve));
    expect(view.roster.map((p) => p.name)).not.toContain('Leaving Lou');
    expect((await server.running.realtime.store.people.list(w.id)).map((p) => p.name)).not.toContain('Leaving Lou');
    for (const c of [lb, sb]) c.destroy();
    facSession.disconnect();
  });

  it('deletes workshops that ended longer ago than the retention period', async () => {
    const w = await createWorkshop(server.url);
    const fac = await join(server.url, w.links.facilitator, 'Fay');
    const s = await connectSession(server.url, w.id, fac.sessionToken);
    expect(await s.run({ type: 'workshop.end' })).toEqual({ ok: true });
    await s.stateWhere((x) => x.lockedBoards.includes(w.boards[0].id));
    s.disconnect();
    const { session, store } = server.running.realtime;
    expect(await session.sweepRetention(30)).toBe(0);
    expect(await session.sweepRetention(30, Date.now() + 31 * 24 * 3600_000)).toBeGreaterThanOrEqual(1);
    expect(await store.workshops.get(w.id)).toBeNull();
  });
});
