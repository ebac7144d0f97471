// Nothing disappears without a trace (issue 11, item 4), with the real server and standard
// y-websocket clients: a card deleted by someone who did not write it lands in Removed cards
// whole, its writer is told (now and on their next connect, across a restart) and they or a
// facilitator can put it back, exactly as it was; one's own deletions do not land there. Hiding
// tells the writer the reason, and nobody else. The notices go with the person and the workshop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardsOf, getCard, readLanes, snapshotCard, writeCard } from '../../src/lib/board/schema';
import { addTheme, deleteTheme, setCardTheme } from '../../src/lib/board/themes';
import type { CardNotice, FacilitatorView } from '../../src/lib/protocol/session';
import { REMOVED_RULES } from '../../src/lib/domain/removed';
import { startTestServer, type TestServer } from '../helpers/server';
import { workshopWith as sharedWorkshopWith, type Person } from '../helpers/workshop';
import { connectBoard, connectSession, until, type BoardClient, type SessionClient } from '../helpers/clients';

let server: TestServer;
const open: { close(): void }[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const c of open) c.close();
  await server.close();
});

let names = 0;
const workshopWith = (...roles: ('member' | 'decisionMaker' | 'observer')[]) =>
  sharedWorkshopWith(
    server,
    open,
    roles.map((role) => ({ role, name: `${role === 'decisionMaker' ? 'Dana' : role === 'observer' ? 'Oli' : 'Mo'} ${++names}` }))
  );

function board(boardId: string, token: string): BoardClient {
  const c = connectBoard(server.wsUrl, boardId, token);
  open.push({ close: () => c.destroy() });
  return c;
}

/** Resolves with the first event `event` heard (from the start) whose payload passes `check`. */
function heard<T>(s: SessionClient, event: string, check: (payload: T) => boolean, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const look = () => {
      const found = s.heard.find((h) => h.event === event && check(h.args[0] as T));
      if (found) return resolve(found.args[0] as T);
      if (Date.now() - started > ms) return reject(new Error(`no ${event} event passing the check in time`));
      setTimeout(look, 20);
    };
    look();
  });
}

/** The newest notices a socket was sent, once they pass `check`. */
async function noticesWhere(s: SessionClient, check: (notices: CardNotice[]) => boolean, ms = 5000): Promise<CardNotice[]> {
  const started = Date.now();
  for (;;) {
    const last = [...s.heard].reverse().find((h) => h.event === 'notices');
    const notices = (last?.args[0] as { notices: CardNotice[] } | undefined)?.notices;
    if (notices && check(notices)) return notices;
    if (Date.now() - started > ms) throw new Error(`notices not as expected in time: ${JSON.stringify(notices)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The newest facilitator view, once its removed cards pass `check`. */
async function facilitatorWhere(s: SessionClient, check: (v: FacilitatorView) => boolean, ms = 5000): Promise<FacilitatorView> {
  const started = Date.now();
  let asked = false;
  for (;;) {
    const last = [...s.heard].reverse().find((h) => h.event === 'facilitator')?.args[0] as FacilitatorView | undefined;
    if (last && check(last)) return last;
    if (Date.now() - started > ms) throw new Error(`facilitator view not as expected in time: ${JSON.stringify(last?.removed)}`);
    if (!asked && Date.now() - started > 1000) {
      asked = true;
      void s.run({ type: 'facilitator.refresh' });
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every notice event a socket received, as text: for "nobody else was told" checks. */
const noticeText = (s: SessionClient) => JSON.stringify(s.heard.filter((h) => h.event === 'notices').map((h) => h.args));

/** Writes a card on `client`'s own connection (so its person is recorded as its writer) and waits until `others` have it. */
async function write(client: BoardClient, card: Parameters<typeof writeCard>[1], ...others: BoardClient[]): Promise<string> {
  const id = writeCard(client.doc, card);
  for (const o of others) await until(o.doc, () => !!getCard(o.doc, id));
  return id;
}

async function removedRecord(boardId: string, cardId: string) {
  const started = Date.now();
  for (;;) {
    const r = await server.running.realtime.store.removed.get(boardId, cardId);
    if (r) return r;
    if (Date.now() - started > 5000) throw new Error('the card did not land in Removed cards');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Lets every edit reach the server and be stored. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
}

async function peopleAndBoards(...roles: ('member' | 'decisionMaker' | 'observer')[]) {
  const w = await workshopWith(...roles);
  const boards = w.people.map((p) => board(w.boardId, p.token));
  const fb = board(w.boardId, w.fac.sessionToken);
  await Promise.all([...boards, fb].map((b) => b.synced));
  return { ...w, boards, fb };
}

describe('Removed cards', () => {
  it('[L-REMOVED-2] keeps a card deleted by someone who did not write it, with every field, tells its writer and nobody else', async () => {
    const { boardId, people, boards, fb, facilitator } = await peopleAndBoards('member', 'member', 'decisionMaker');
    const [ann, bo, dana] = people as [Person, Person, Person];
    const [annBoard, boBoard] = boards;
    const theme = addTheme(annBoard.doc, 'Transport');
    const id = await write(annBoard, { lane: 'problems', text: 'Buses stop at 6' }, boBoard, fb);
    setCardTheme(annBoard.doc, id, theme);
    (cardsOf(annBoard.doc).get(id)!.get('text') as Y.Text).insert(15, ' pm');
    await until(
      boBoard.doc,
      () => getCard(boBoard.doc, id)?.text.toString() === 'Buses stop at 6 pm' && getCard(boBoard.doc, id)?.theme === theme
    );
    const before = snapshotCard(boBoard.doc, id)!;
    expect(before.fields.theme).toEqual({ kind: 'json', value: theme });

    cardsOf(boBoard.doc).delete(id);
    const record = await removedRecord(boardId, id);
    expect(record).toMatchObject({ boardId, cardId: id, authorId: ann.id, removedBy: 'someone' });
    expect(record.card).toEqual(before);

    const notices = await noticesWhere(ann.session, (n) => n.length === 1);
    expect(notices[0]).toMatchObject({ kind: 'removed', boardId, cardId: id, lane: 'problems', text: 'Buses stop at 6 pm' });
    const view = await facilitatorWhere(facilitator, (v) => v.removed.length === 1);
    expect(view.removed[0]).toMatchObject({
      cardId: id,
      text: 'Buses stop at 6 pm',
      anonymous: false,
      writerTold: true,
      removedBy: 'someone'
    });
    // The facilitator's view names no writer, and nobody but the writer was told.
    expect(JSON.stringify(view.removed)).not.toContain(ann.id);
    await settle();
    for (const other of [bo, dana]) expect(noticeText(other.session)).not.toContain('Buses');
    expect(noticeText(facilitator)).not.toContain('Buses');
  });

  it('[L-REMOVED-2] does not keep a card its own writer deleted (undo covers that), nor one the server took off (hiding, "remove my cards")', async () => {
    const { boardId, w, people, boards, fb, facilitator } = await peopleAndBoards('member', 'member');
    const [annBoard, cyBoard] = boards;
    const own = await write(annBoard, { lane: 'questions', text: 'My own words' }, fb);
    const hidden = await write(annBoard, { lane: 'questions', text: 'Off topic words' }, fb);
    const cys = await write(cyBoard, { lane: 'solutions', text: 'Cy takes this away' }, fb);
    cardsOf(annBoard.doc).delete(own);
    await until(fb.doc, () => !getCard(fb.doc, own));
    expect(await facilitator.run({ type: 'card.hide', boardId, cardId: hidden, reason: 'Off topic' })).toEqual({ ok: true });
    expect(await people[1].session.run({ type: 'me.forget' })).toEqual({ ok: true });
    await until(fb.doc, () => !getCard(fb.doc, cys));
    await settle();
    expect(await server.running.realtime.store.removed.list(w.id)).toEqual([]);
    expect((await noticesWhere(people[0].session, (n) => n.length === 1))[0].kind).toBe('hidden');
  });

  it('[L-REMOVED-5, L-REMOVED-6] puts a card back when its writer asks, under the same id with every field, its theme too, at its place', async () => {
    const { boardId, w, people, boards, fb } = await peopleAndBoards('member', 'member');
    const [ann] = people;
    const [annBoard, boBoard] = boards;
    const theme = addTheme(annBoard.doc, 'Money');
    const first = await write(annBoard, { lane: 'solutions', text: 'First' }, boBoard);
    const id = await write(annBoard, { lane: 'solutions', text: 'Fares cost too much' }, boBoard);
    const last = await write(annBoard, { lane: 'solutions', text: 'Last' }, boBoard);
    setCardTheme(annBoard.doc, id, theme);
    await until(boBoard.doc, () => getCard(boBoard.doc, id)?.theme === theme);
    const before = snapshotCard(boBoard.doc, id)!;
    cardsOf(boBoard.doc).delete(id);
    await removedRecord(boardId, id);
    await noticesWhere(ann.session, (n) => n.length === 1);

    expect(await ann.session.run({ type: 'card.restoreRemoved', boardId, cardId: id })).toEqual({ ok: true });
    for (const b of [annBoard, boBoard, fb]) {
      await until(b.doc, () => !!getCard(b.doc, id));
      expect(snapshotCard(b.doc, id)).toEqual(before);
      // At its place: between the cards it was between.
      expect(readLanes(b.doc).solutions.map((c) => c.id)).toEqual([first, id, last]);
    }
    expect(await server.running.realtime.store.removed.list(w.id)).toEqual([]);
    await noticesWhere(ann.session, (n) => n.length === 0);
    // It is back, so there is nothing to put back again.
    expect(await ann.session.run({ type: 'card.restoreRemoved', boardId, cardId: id })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' }
    });
  });

  it('[L-REMOVED-1] lets a facilitator put back any removed card, also one posted without a name, and nobody else', async () => {
    const { boardId, w, people, boards, fb, facilitator } = await peopleAndBoards('member', 'member', 'observer');
    const [ann, bo, oli] = people as [Person, Person, Person];
    const [annBoard, boBoard] = boards;
    await facilitator.run({ type: 'settings.update', anonymousCards: 'optional' });
    expect(await bo.session.run({ type: 'card.addAnonymous', boardId, lane: 'questions', text: 'Who decides?', postId: 'post-1' })).toEqual(
      {
        ok: true
      }
    );
    await until(annBoard.doc, () => [...cardsOf(annBoard.doc).keys()].some((k) => getCard(annBoard.doc, k)?.anonymous));
    const nameless = [...cardsOf(annBoard.doc).keys()].find((k) => getCard(annBoard.doc, k)?.anonymous)!;
    const named = await write(annBoard, { lane: 'problems', text: 'Ann wrote this' }, boBoard);
    // Ann deletes the card without a name; Bo deletes Ann's card.
    cardsOf(annBoard.doc).delete(nameless);
    cardsOf(boBoard.doc).delete(named);
    const kept = await removedRecord(boardId, nameless);
    expect(kept).toMatchObject({ authorId: null, removedBy: 'someone' });
    await removedRecord(boardId, named);
    const view = await facilitatorWhere(facilitator, (v) => v.removed.length === 2);
    expect(view.removed.find((r) => r.cardId === nameless)).toMatchObject({ anonymous: true, writerTold: false });

    // Nobody but the writer or a facilitator: another member, the member who posted it without a
    // name (nothing records that), an observer (by role).
    const refused = 'Only the person who wrote this card, or the facilitator, can put it back.';
    expect(await bo.session.run({ type: 'card.restoreRemoved', boardId, cardId: named })).toEqual({
      ok: false,
      error: { code: 'not_allowed_now', message: refused }
    });
    expect(await bo.session.run({ type: 'card.restoreRemoved', boardId, cardId: nameless })).toMatchObject({
      ok: false,
      error: { code: 'not_allowed_now' }
    });
    expect(await oli.session.run({ type: 'card.restoreRemoved', boardId, cardId: named })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' }
    });
    expect(await server.running.realtime.store.removed.list(w.id)).toHaveLength(2);

    // On a locked board, only a facilitator.
    await facilitator.run({ type: 'board.lock', boardId, locked: true });
    expect(await ann.session.run({ type: 'card.restoreRemoved', boardId, cardId: named })).toMatchObject({
      ok: false,
      error: { code: 'not_allowed_now', message: 'The board is locked. Ask the facilitator to put your card back.' }
    });
    expect(await facilitator.run({ type: 'card.restoreRemoved', boardId, cardId: named })).toEqual({ ok: true });
    expect(await facilitator.run({ type: 'card.restoreRemoved', boardId, cardId: nameless })).toEqual({ ok: true });
    await until(
      fb.doc,
      () => getCard(fb.doc, nameless)?.anonymous === true && getCard(fb.doc, named)?.text.toString() === 'Ann wrote this'
    );
    await facilitatorWhere(facilitator, (v) => v.removed.length === 0);
    await noticesWhere(ann.session, (n) => n.length === 0);
  });

  it('drops a removed card once its remover undoes the deletion', async () => {
    const { boardId, w, people, boards } = await peopleAndBoards('member', 'member');
    const [ann] = people;
    const [annBoard, boBoard] = boards;
    const id = await write(annBoard, { lane: 'questions', text: 'Undo me back' }, boBoard);
    const LOCAL = Symbol('local');
    const undo = new Y.UndoManager(cardsOf(boBoard.doc), { trackedOrigins: new Set([LOCAL]) });
    boBoard.doc.transact(() => cardsOf(boBoard.doc).delete(id), LOCAL);
    await removedRecord(boardId, id);
    await noticesWhere(ann.session, (n) => n.length === 1);
    undo.undo();
    await until(annBoard.doc, () => getCard(annBoard.doc, id)?.text.toString() === 'Undo me back');
    await noticesWhere(ann.session, (n) => n.length === 0);
    expect(await server.running.realtime.store.removed.list(w.id)).toEqual([]);
  });

  it('takes the connection that sends an offline deletion as its remover, and keeps the card as the board had it', async () => {
    const { boardId, people, boards } = await peopleAndBoards('member', 'member');
    const [ann, bo] = people;
    const [annBoard, boBoard] = boards;
    const id = await write(annBoard, { lane: 'problems', text: 'Before' }, boBoard);
    boBoard.provider.disconnect();
    cardsOf(boBoard.doc).delete(id); // offline
    // Meanwhile Ann keeps typing in it: the board has her words when Bo's deletion arrives.
    (cardsOf(annBoard.doc).get(id)!.get('text') as Y.Text).insert(6, ' and after');
    await settle();
    expect(await server.running.realtime.store.removed.get(boardId, id)).toBeNull();
    boBoard.provider.connect();
    const record = await removedRecord(boardId, id);
    expect(record).toMatchObject({ authorId: ann.id, removedBy: 'someone' });
    expect(record.card.fields.text).toEqual({ kind: 'text', value: 'Before and after' });
    await noticesWhere(ann.session, (n) => n.length === 1 && n[0].kind === 'removed');
    expect(noticeText(bo.session)).not.toContain('Before');
  });

  it('keeps every card a facilitator clears from the board that someone else wrote, and tells each writer of theirs only', async () => {
    const { boardId, w, people, boards, fb, facilitator } = await peopleAndBoards('member', 'member');
    const [ann, bo] = people;
    const [annBoard, boBoard] = boards;
    const a1 = await write(annBoard, { lane: 'questions', text: 'Ann one' }, fb);
    const a2 = await write(annBoard, { lane: 'problems', text: 'Ann two' }, fb);
    const b1 = await write(boBoard, { lane: 'solutions', text: 'Bo one' }, fb);
    const f1 = await write(fb, { lane: 'solutions', text: 'Facilitator note' }, annBoard);
    await until(fb.doc, () => !!getCard(fb.doc, b1));
    // "Clear the board": one change deleting every card.
    fb.doc.transact(() => cardsOf(fb.doc).clear());
    await until(annBoard.doc, () => cardsOf(annBoard.doc).size === 0);
    const kept = await facilitatorWhere(facilitator, (v) => v.removed.length === 3);
    expect(kept.removed.map((r) => r.cardId).sort()).toEqual([a1, a2, b1].sort());
    expect(kept.removed.every((r) => r.removedBy === 'facilitator')).toBe(true);
    expect(await server.running.realtime.store.removed.get(boardId, f1)).toBeNull();
    expect((await noticesWhere(ann.session, (n) => n.length === 2)).map((n) => n.text).sort()).toEqual(['Ann one', 'Ann two']);
    expect((await noticesWhere(bo.session, (n) => n.length === 1))[0].text).toBe('Bo one');
    expect((await server.running.realtime.store.removed.list(w.id)).map((r) => r.authorId).sort()).toEqual([ann.id, ann.id, bo.id].sort());
  });

  it('deleting a theme leaves its cards on the board, and nothing in Removed cards', async () => {
    const { w, boards, fb } = await peopleAndBoards('member', 'member');
    const [annBoard, boBoard] = boards;
    const theme = addTheme(annBoard.doc, 'Housing');
    const id = await write(annBoard, { lane: 'problems', text: 'Rent arrears' }, boBoard, fb);
    setCardTheme(annBoard.doc, id, theme);
    await until(boBoard.doc, () => getCard(boBoard.doc, id)?.theme === theme);
    deleteTheme(boBoard.doc, theme);
    await until(fb.doc, () => getCard(fb.doc, id)?.theme === null);
    await settle();
    expect(getCard(fb.doc, id)?.text.toString()).toBe('Rent arrears');
    expect(await server.running.realtime.store.removed.list(w.id)).toEqual([]);
  });
});

describe('limits', () => {
  it('[L-REMOVED-3] keeps at most 2,000 removed cards a board, letting the oldest removals go first', async () => {
    const { w, boardId, people, boards, fb } = await peopleAndBoards('member', 'member');
    const [ann] = people;
    const [annBoard, boBoard] = boards;
    const ids: string[] = [];
    annBoard.doc.transact(() => {
      for (let i = 0; i < REMOVED_RULES.perBoard + 2; i++) ids.push(writeCard(annBoard.doc, { lane: 'questions', text: `card ${i}` }));
    });
    await until(boBoard.doc, () => cardsOf(boBoard.doc).size === ids.length, 15_000);
    // Bo deletes the first two, then all the others in one change.
    cardsOf(boBoard.doc).delete(ids[0]);
    cardsOf(boBoard.doc).delete(ids[1]);
    await removedRecord(boardId, ids[1]);
    boBoard.doc.transact(() => ids.slice(2).forEach((id) => cardsOf(boBoard.doc).delete(id)));
    await until(fb.doc, () => cardsOf(fb.doc).size === 0, 15_000);
    const store = server.running.realtime.store;
    const started = Date.now();
    while ((await store.removed.get(boardId, ids[ids.length - 1])) === null && Date.now() - started < 15_000) await settle();
    const kept = (await store.removed.list(w.id)).map((r) => r.cardId);
    expect(kept).toHaveLength(REMOVED_RULES.perBoard);
    expect(kept).not.toContain(ids[0]);
    expect(kept).not.toContain(ids[1]);
    expect(await store.notices.of(ann.id)).toHaveLength(REMOVED_RULES.perBoard);
  });
});

describe('hiding tells the writer', () => {
  it('tells the writer the reason on their sockets, and nobody else; restoring takes the notice away', async () => {
    const { boardId, people, boards, fb, facilitator } = await peopleAndBoards('member', 'member');
    const [ann, bo] = people;
    const id = await write(boards[0], { lane: 'problems', text: 'A phone number 0123' }, fb);
    expect(await facilitator.run({ type: 'card.hide', boardId, cardId: id, reason: 'Personal details' })).toEqual({ ok: true });
    const [notice] = await noticesWhere(ann.session, (n) => n.length === 1);
    expect(notice).toMatchObject({ kind: 'hidden', boardId, cardId: id, text: 'A phone number 0123', reason: 'Personal details' });
    await settle();
    expect(noticeText(bo.session)).not.toContain('Personal details');
    expect(noticeText(facilitator)).not.toContain('Personal details');
    expect(await facilitator.run({ type: 'card.restore', boardId, cardId: id })).toEqual({ ok: true });
    await noticesWhere(ann.session, (n) => n.length === 0);
  });

  it('[L-REMOVED-7] a dismissed notice stays dismissed; another person cannot dismiss it', async () => {
    const { w, boardId, people, boards, fb, facilitator } = await peopleAndBoards('member', 'member');
    const [ann, bo] = people;
    const id = await write(boards[0], { lane: 'questions', text: 'Hide me' }, fb);
    await facilitator.run({ type: 'card.hide', boardId, cardId: id, reason: 'Off topic' });
    await noticesWhere(ann.session, (n) => n.length === 1);
    expect(await bo.session.run({ type: 'notice.dismiss', boardId, cardId: id, kind: 'hidden' })).toEqual({ ok: true });
    expect(await server.running.realtime.store.notices.of(ann.id)).toHaveLength(1);
    expect(await ann.session.run({ type: 'notice.dismiss', boardId, cardId: id, kind: 'hidden' })).toEqual({ ok: true });
    await noticesWhere(ann.session, (n) => n.length === 0);
    const again = await connectSession(server.url, w.id, ann.token);
    open.push({ close: () => again.disconnect() });
    expect((await heard<{ notices: CardNotice[] }>(again, 'notices', () => true)).notices).toEqual([]);
  });
});

describe('notices last', () => {
  it('reach a writer who was not connected on their next connect, also after a restart', async () => {
    const { w, boardId, people, boards, fb, facilitator } = await peopleAndBoards('member', 'member');
    const [ann] = people;
    const [annBoard, boBoard] = boards;
    const removed = await write(annBoard, { lane: 'questions', text: 'Buses stop at 6' }, boBoard, fb);
    const hidden = await write(annBoard, { lane: 'problems', text: 'Rude words' }, fb);
    ann.session.disconnect();
    annBoard.destroy();
    cardsOf(boBoard.doc).delete(removed);
    await removedRecord(boardId, removed);
    await facilitator.run({ type: 'card.hide', boardId, cardId: hidden, reason: 'Not kind' });

    await server.restart();
    const back = await connectSession(server.url, w.id, ann.token);
    open.push({ close: () => back.disconnect() });
    const { notices } = await heard<{ notices: CardNotice[] }>(back, 'notices', () => true);
    expect(notices.map((n) => [n.kind, n.cardId, n.text])).toEqual([
      ['removed', removed, 'Buses stop at 6'],
      ['hidden', hidden, 'Rude words']
    ]);
    expect(notices[1]).toMatchObject({ reason: 'Not kind' });
    // And the card can still be put back after the restart.
    expect(await back.run({ type: 'card.restoreRemoved', boardId, cardId: removed })).toEqual({ ok: true });
    const check = board(boardId, ann.token);
    await check.synced;
    await until(check.doc, () => getCard(check.doc, removed)?.text.toString() === 'Buses stop at 6');
  });

  it('go with the person on "remove my name and my cards", and with the workshop when it is deleted', async () => {
    const { w, boardId, people, boards, fb, facilitator } = await peopleAndBoards('member', 'member');
    const [ann, bo] = people;
    const [annBoard, boBoard] = boards;
    const a = await write(annBoard, { lane: 'questions', text: 'Ann card' }, boBoard, fb);
    const b = await write(boBoard, { lane: 'questions', text: 'Bo card' }, annBoard, fb);
    const h = await write(annBoard, { lane: 'problems', text: 'Ann hidden' }, fb);
    cardsOf(boBoard.doc).delete(a);
    cardsOf(annBoard.doc).delete(b);
    await removedRecord(boardId, a);
    await removedRecord(boardId, b);
    await facilitator.run({ type: 'card.hide', boardId, cardId: h, reason: 'Check' });
    await noticesWhere(ann.session, (n) => n.length === 2);
    const store = server.running.realtime.store;

    expect(await ann.session.run({ type: 'me.forget' })).toEqual({ ok: true });
    expect(await store.notices.of(ann.id)).toEqual([]);
    expect((await store.removed.list(w.id)).map((r) => r.cardId)).toEqual([b]);
    expect(await store.notices.of(bo.id)).toHaveLength(1);
    await facilitatorWhere(facilitator, (v) => v.removed.length === 1 && v.removed[0].cardId === b);

    expect(await facilitator.run({ type: 'workshop.delete' })).toEqual({ ok: true });
    const started = Date.now();
    while ((await store.workshops.get(w.id)) && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(await store.removed.list(w.id)).toEqual([]);
    expect(await store.removed.get(boardId, b)).toBeNull();
    expect(await store.notices.of(bo.id)).toEqual([]);
  });
});

describe('posting without a name, twice', () => {
  it('[L-REMOVED-8] puts one card for one post, however often it is sent', async () => {
    const { boardId, people, fb, facilitator } = await peopleAndBoards('member');
    const [ann] = people;
    await facilitator.run({ type: 'settings.update', anonymousCards: 'optional' });
    const post = { type: 'card.addAnonymous', boardId, lane: 'problems', text: 'Sent twice', postId: 'the-same-post' } as const;
    // Twice at once (in one release), then again once it is on the board.
    expect(await Promise.all([ann.session.run(post), ann.session.run(post)])).toEqual([{ ok: true }, { ok: true }]);
    expect(await ann.session.run(post)).toEqual({ ok: true });
    const count = () => [...cardsOf(fb.doc).keys()].filter((k) => getCard(fb.doc, k)?.text.toString() === 'Sent twice').length;
    await until(fb.doc, () => count() === 1);
    await settle();
    expect(count()).toBe(1);
    // Hidden since: sent again, it does not come back.
    const id = [...cardsOf(fb.doc).keys()].find((k) => getCard(fb.doc, k)?.text.toString() === 'Sent twice')!;
    await facilitator.run({ type: 'card.hide', boardId, cardId: id, reason: 'Repeated' });
    await until(fb.doc, () => count() === 0);
    expect(await ann.session.run(post)).toEqual({ ok: true });
    await settle();
    expect(count()).toBe(0);
    // Another post with the same words is another card.
    expect(await ann.session.run({ ...post, postId: 'another-post' })).toEqual({ ok: true });
    await until(fb.doc, () => count() === 1);
  });
});
