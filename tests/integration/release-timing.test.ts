// What a member watching the wire can learn about who wrote a card posted without a name. They
// see presence (who is on the board, from when) and board updates (when each card appears). A
// draft written offline during silent writing and sent after the reveal, or a card posted without
// a name, waits for the board's next release moment (server/session/release.ts): so the card does
// not appear right after its writer's presence comes back, and everyone who came back in the same
// window is as likely to have written it. docs/API.md, "What the wire tells", says exactly this.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { cardsOf, readLanes } from '../../src/lib/board/schema';
import { startTestServer, type TestServer } from '../helpers/server';
import { connectBoard, connectSession, createWorkshop, join, until, type BoardClient } from '../helpers/clients';

const WINDOW = 1000;

/** When each person's presence first appeared on `who`'s board (by the name the server put in it). */
function watchArrivals(who: BoardClient): Map<string, number> {
  const arrived = new Map<string, number>();
  const aw = who.provider.awareness;
  aw.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
    for (const id of [...added, ...updated]) {
      const name = (aw.getStates().get(id) as { user?: { name?: string } } | undefined)?.user?.name;
      if (name && !arrived.has(name)) arrived.set(name, Date.now());
    }
  });
  return arrived;
}

/** When the first card appeared on `doc`. */
function watchFirstCard(doc: Y.Doc): { at: number | null } {
  const seen = { at: null as number | null };
  doc.on('update', () => {
    if (seen.at === null && cardsOf(doc).size > 0) seen.at = Date.now();
  });
  return seen;
}

describe('timing of cards posted without a name', () => {
  let server: TestServer;
  const open: { close(): void }[] = [];
  beforeAll(async () => {
    server = await startTestServer({ env: { LIMIT_RELEASE_WINDOW_MS: String(WINDOW) } });
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await server.close();
  });

  it('a late anonymous draft appears at a release moment, after everyone who came back in its window, never right after its writer', async () => {
    const w = await createWorkshop(server.url);
    const boardId = w.boards[0].id;
    const fac = await join(server.url, w.links.facilitator, 'Fay');
    const [writer, other, watcher] = await Promise.all(['Asha', 'Bilal', 'Wren'].map((n) => join(server.url, w.links.member, n)));
    const facilitator = await connectSession(server.url, w.id, fac.sessionToken);
    open.push({ close: () => facilitator.disconnect() });
    await facilitator.run({ type: 'settings.update', anonymousCards: 'optional' });
    await facilitator.run({ type: 'phase.go', index: 2 }); // Silent writing
    expect(await facilitator.run({ type: 'drafts.reveal', boardId })).toEqual({ ok: true }); // while Asha and Bilal are offline
    await facilitator.run({ type: 'phase.go', index: 3 }); // Share

    const watching = connectBoard(server.wsUrl, boardId, watcher.sessionToken);
    open.push({ close: () => watching.destroy() });
    await watching.synced;
    const arrivals = watchArrivals(watching);
    const firstCard = watchFirstCard(watching.doc);

    // Asha comes back and her phone sends the draft she wrote offline; Bilal comes back a moment later.
    const asha = connectBoard(server.wsUrl, boardId, writer.sessionToken);
    open.push({ close: () => asha.destroy() });
    asha.provider.awareness.setLocalStateField('editing', null);
    const ashaSession = await connectSession(server.url, w.id, writer.sessionToken);
    open.push({ close: () => ashaSession.disconnect() });
    const sent = ashaSession.run({
      type: 'draft.save',
      boardId,
      draftId: 'written-offline',
      lane: 'problems',
      text: 'I was scared to ask',
      anonymous: true
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const bilal = connectBoard(server.wsUrl, boardId, other.sessionToken);
    open.push({ close: () => bilal.destroy() });
    bilal.provider.awareness.setLocalStateField('editing', null);

    expect(await sent).toEqual({ ok: true }); // answered once the card is on the board
    await until(watching.doc, () => readLanes(watching.doc).problems.length === 1, 5000);
    const ashaBack = arrivals.get('Asha');
    const bilalBack = arrivals.get('Bilal');
    expect(ashaBack).toBeDefined();
    expect(bilalBack).toBeDefined();
    const cardAt = firstCard.at!;
    // Not right after the writer's presence came back: at least half a window later, and after
    // Bilal came back too, so the watcher cannot tell which of them wrote it.
    expect(cardAt - ashaBack!).toBeGreaterThanOrEqual(WINDOW / 2 - 50);
    expect(cardAt).toBeGreaterThanOrEqual(bilalBack!);
    // What the card itself carries: the release moment (a multiple of the window on the server's
    // clock), the server's Yjs client, no name.
    const card = readLanes(watching.doc).problems[0];
    expect(card.anonymous).toBe(true);
    expect(card.createdAt % WINDOW).toBe(0);
    expect(card.text._item?.id.client).not.toBe(asha.doc.clientID);
  });

  it('cards posted without a name by two people in one window appear together, in one update, with one timestamp', async () => {
    const w = await createWorkshop(server.url);
    const boardId = w.boards[0].id;
    const fac = await join(server.url, w.links.facilitator, 'Fay');
    const [a, b, watcher] = await Promise.all(['Ade', 'Bea', 'Wil'].map((n) => join(server.url, w.links.member, n)));
    const facilitator = await connectSession(server.url, w.id, fac.sessionToken);
    open.push({ close: () => facilitator.disconnect() });
    await facilitator.run({ type: 'settings.update', anonymousCards: 'optional' });
    const watching = connectBoard(server.wsUrl, boardId, watcher.sessionToken);
    open.push({ close: () => watching.destroy() });
    await watching.synced;
    const updatesWithCards: number[] = [];
    watching.doc.on('update', () => updatesWithCards.push(cardsOf(watching.doc).size));
    const sa = await connectSession(server.url, w.id, a.sessionToken);
    const sb = await connectSession(server.url, w.id, b.sessionToken);
    open.push({ close: () => sa.disconnect() }, { close: () => sb.disconnect() });
    // Wait for the start of a window, so both land in the same one.
    await new Promise((resolve) => setTimeout(resolve, WINDOW - (Date.now() % WINDOW) + 10));
    const results = await Promise.all([
      sa.run({ type: 'card.addAnonymous', boardId, lane: 'problems', text: 'first worry' }),
      sb.run({ type: 'card.addAnonymous', boardId, lane: 'solutions', text: 'an idea' })
    ]);
    expect(results).toEqual([{ ok: true }, { ok: true }]);
    await until(watching.doc, () => cardsOf(watching.doc).size === 2, 5000);
    // The watcher never saw one card without the other.
    expect(updatesWithCards.filter((n) => n === 1)).toEqual([]);
    const lanes = readLanes(watching.doc);
    expect(lanes.problems[0].createdAt).toBe(lanes.solutions[0].createdAt);
  });
});
