// Facilitation with the real server and real clients: roles are enforced by the server, phases
// and timer reach everyone, silent writing keeps drafts private until the reveal, and anonymous
// cards cannot be linked to their author.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard, boardToJSON, cardsOf, getCard, readLanes } from '../../src/lib/board/schema';
import { startTestServer, type TestServer } from '../helpers/server';
import { workshopWith as sharedWorkshopWith } from '../helpers/workshop';
import { connectBoard, connectSession, until, type BoardClient } from '../helpers/clients';

const FACILITATOR_COMMANDS: Record<string, unknown>[] = [
  { type: 'phase.go', index: 1 },
  { type: 'phases.set', phases: [{ kind: 'welcome', title: 'Hi' }] },
  { type: 'timer.start', minutes: 3 },
  { type: 'timer.pause' },
  { type: 'timer.addMinute' },
  { type: 'timer.reset' },
  { type: 'board.lock', boardId: 'x', locked: true },
  { type: 'settings.update', anonymousCards: 'always' },
  { type: 'queue.next' },
  { type: 'queue.clear' },
  { type: 'spotlight.set', target: null },
  { type: 'round.open', kind: 'checkin', prompt: 'How are you?' },
  { type: 'round.close' },
  { type: 'participant.setRole', participantId: 'x', role: 'facilitator' },
  { type: 'participant.remove', participantId: 'x' },
  { type: 'invite.renew', role: 'member' },
  { type: 'card.hide', boardId: 'x', cardId: 'y', reason: 'r' },
  { type: 'card.restore', boardId: 'x', cardId: 'y' },
  { type: 'drafts.reveal', boardId: 'x' },
  { type: 'facilitator.refresh' }
];

describe('facilitation', () => {
  let server: TestServer;
  const open: { close(): void }[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await server.close();
  });

  const workshopWith = (...roles: ('member' | 'decisionMaker' | 'observer')[]) =>
    sharedWorkshopWith(
      server,
      open,
      roles.map((role, i) => ({ role, name: `${role}-${i}` }))
    );

  function board(boardId: string, token: string): BoardClient {
    const c = connectBoard(server.wsUrl, boardId, token);
    open.push({ close: () => c.destroy() });
    return c;
  }

  it('refuses every facilitator command from a member, with a code and message to that member only', async () => {
    const { people, facilitator } = await workshopWith('member', 'member');
    const [a, b] = people;
    let otherGotRefusal = false;
    b.session.on('refused', () => (otherGotRefusal = true));
    for (const command of FACILITATOR_COMMANDS) {
      const result = await a.session.run(command);
      expect(result, command.type as string).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
    }
    expect(otherGotRefusal).toBe(false);
    expect(facilitator.latest()?.phaseIndex).toBe(0);
  });

  it('refuses unknown commands and wrong payload shapes with their own codes', async () => {
    const { people } = await workshopWith('member');
    const s = people[0].session;
    expect(await s.run({ type: 'launch.missiles' })).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    expect(await s.run({ type: 'hand.raise', extra: 1 })).toMatchObject({ ok: true });
    expect(await s.run({ type: 'round.answer', answerId: 'a', text: 'x'.repeat(5000), emoji: null, anonymous: false })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' }
    });
    expect(await s.run('not even an object' as unknown as Record<string, unknown>)).toMatchObject({ ok: false });
    const refused = new Promise((resolve) => s.once('refused', resolve));
    (s as unknown as { emit(event: string): void }).emit('nonsense');
    expect(await refused).toMatchObject({ code: 'unknown_command' });
  });

  it('moves everyone through the phases and keeps the timer in server time', async () => {
    const { facilitator, people } = await workshopWith('member');
    expect(await facilitator.run({ type: 'phase.go', index: 2 })).toEqual({ ok: true });
    await people[0].session.stateWhere((s) => s.phaseIndex === 2 && s.phases[2].kind === 'silent');
    expect(await facilitator.run({ type: 'timer.start', minutes: 2 })).toEqual({ ok: true });
    const s = await people[0].session.stateWhere((x) => x.timer.kind === 'running');
    if (s.timer.kind !== 'running') throw new Error('unreachable');
    expect(s.timer.endsAt - s.serverTime).toBeGreaterThan(100_000);
    expect(s.timer.endsAt - s.serverTime).toBeLessThanOrEqual(120_000);
    await facilitator.run({ type: 'timer.addMinute' });
    await facilitator.run({ type: 'timer.pause' });
    const paused = await people[0].session.stateWhere((x) => x.timer.kind === 'paused');
    if (paused.timer.kind !== 'paused') throw new Error('unreachable');
    expect(paused.timer.remainingMs).toBeGreaterThan(160_000);
  });

  it("never applies or relays an observer's board updates", async () => {
    const { boardId, people, fac } = await workshopWith('observer', 'member');
    const [observer, member] = people;
    const watching = board(boardId, observer.token);
    const other = board(boardId, member.token);
    await Promise.all([watching.synced, other.synced]);
    addCard(watching.doc, 'problems', 'observer wrote this');
    addCard(other.doc, 'problems', 'member wrote this');
    const checker = board(boardId, fac.sessionToken);
    await checker.synced;
    await until(checker.doc, () => readLanes(checker.doc).problems.length >= 1);
    expect(boardToJSON(checker.doc).problems.map((c) => c.text)).toEqual(['member wrote this']);
    // And not in the store either: after a restart the board still has only the member's card.
    await server.restart();
    const after = board(boardId, fac.sessionToken);
    await after.synced;
    expect(boardToJSON(after.doc).problems.map((c) => c.text)).toEqual(['member wrote this']);
  });

  it('lets only the facilitator change a locked board, and tells every client it is locked', async () => {
    const { boardId, people, facilitator, fac } = await workshopWith('member');
    const member = people[0];
    expect(await facilitator.run({ type: 'board.lock', boardId, locked: true })).toEqual({ ok: true });
    await member.session.stateWhere((s) => s.lockedBoards.includes(boardId));
    const m = board(boardId, member.token);
    const f = board(boardId, fac.sessionToken);
    await Promise.all([m.synced, f.synced]);
    addCard(m.doc, 'questions', 'locked out');
    addCard(f.doc, 'questions', 'facilitator note');
    const check = board(boardId, fac.sessionToken);
    await check.synced;
    await until(check.doc, () => readLanes(check.doc).questions.length >= 1);
    expect(boardToJSON(check.doc).questions.map((c) => c.text)).toEqual(['facilitator note']);
  });

  const refusedSoFar = () => server.running.realtime.sync.stats.refusedEdits;
  async function refusedMore(than: number) {
    for (let i = 0; i < 200 && refusedSoFar() <= than; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(refusedSoFar()).toBeGreaterThan(than);
  }

  it('asks for edits refused while a board was locked once it is unlocked, so no page is left out of step', async () => {
    const { boardId, people, facilitator, fac } = await workshopWith('member');
    const member = people[0];
    const m = board(boardId, member.token);
    const f = board(boardId, fac.sessionToken);
    await Promise.all([m.synced, f.synced]);
    expect(await facilitator.run({ type: 'board.lock', boardId, locked: true })).toEqual({ ok: true });
    await member.session.stateWhere((s) => s.lockedBoards.includes(boardId));
    // Typed as the lock came down (a page stops this; a raw client or a race does not).
    const refused = refusedSoFar();
    addCard(m.doc, 'problems', 'typed as the lock came down');
    await refusedMore(refused); // the server has seen it and refused it
    addCard(f.doc, 'questions', 'while locked');
    await until(m.doc, () => readLanes(m.doc).questions.length === 1);
    expect(readLanes(f.doc).problems).toHaveLength(0); // refused, not relayed
    expect(await facilitator.run({ type: 'board.lock', boardId, locked: false })).toEqual({ ok: true });
    await until(f.doc, () => readLanes(f.doc).problems.length === 1);
    const fresh = board(boardId, fac.sessionToken);
    await fresh.synced;
    await until(fresh.doc, () => readLanes(fresh.doc).problems.length === 1);
    expect(boardToJSON(fresh.doc).problems.map((c) => c.text)).toEqual(['typed as the lock came down']);
  });

  it('asks an observer made a member for the edits it was refused', async () => {
    const { boardId, people, facilitator, fac } = await workshopWith('observer');
    const observer = people[0];
    const o = board(boardId, observer.token);
    const f = board(boardId, fac.sessionToken);
    await Promise.all([o.synced, f.synced]);
    const refused = refusedSoFar();
    addCard(o.doc, 'questions', 'written while observing');
    await refusedMore(refused);
    addCard(f.doc, 'problems', 'marker');
    await until(o.doc, () => readLanes(o.doc).problems.length === 1);
    expect(readLanes(f.doc).questions).toHaveLength(0); // refused, not relayed
    expect(await facilitator.run({ type: 'participant.setRole', participantId: observer.id, role: 'member' })).toEqual({ ok: true });
    await until(f.doc, () => readLanes(f.doc).questions.length === 1);
    expect(boardToJSON(f.doc).questions.map((c) => c.text)).toEqual(['written while observing']);
  });

  it('removes a participant: their connections close with a reason and their old session stops working', async () => {
    const { boardId, people, facilitator } = await workshopWith('member');
    const member = people[0];
    const b = board(boardId, member.token);
    await b.synced;
    const closed = new Promise<number>((resolve) =>
      b.provider.on('connection-close', (e: { code: number } | null) => resolve(e?.code ?? 0))
    );
    const removed = new Promise<{ message: string }>((resolve) => member.session.once('removed', resolve));
    expect(await facilitator.run({ type: 'participant.remove', participantId: member.id })).toEqual({ ok: true });
    expect((await removed).message).toMatch(/removed/);
    expect(await closed).toBe(4410);
    b.provider.disconnect();
    // Replays with the old session are refused everywhere.
    await expect(
      connectSession(server.url, member.session.auth ? (member.session.auth as { workshopId: string }).workshopId : '', member.token)
    ).rejects.toMatchObject({
      data: { code: 'not_signed_in' }
    });
    const res = await fetch(`${server.url.replace('http', 'http')}/api/session`, { headers: { authorization: `Bearer ${member.token}` } });
    expect(res.status).toBe(401);
  });

  it('holds silent-writing drafts apart from the board until the reveal, then shows them all at once', async () => {
    const { boardId, people, facilitator, fac } = await workshopWith('member', 'member');
    const [a, b] = people;
    await facilitator.run({ type: 'phase.go', index: 2 }); // Silent writing
    const watcher = board(boardId, b.token);
    await watcher.synced;
    const updates: Uint8Array[] = [];
    watcher.doc.on('update', (u: Uint8Array) => updates.push(u));
    expect(
      await a.session.run({ type: 'draft.save', boardId, draftId: 'draft-1', lane: 'problems', text: 'secret worry', anonymous: false })
    ).toEqual({ ok: true });
    expect(
      await b.session.run({ type: 'draft.save', boardId, draftId: 'draft-2', lane: 'solutions', text: 'my idea', anonymous: false })
    ).toEqual({ ok: true });
    // Nothing of the draft reaches another member's document.
    const peek = board(boardId, b.token);
    await peek.synced;
    expect(boardToJSON(peek.doc)).toEqual({ questions: [], problems: [], solutions: [] });
    expect(updates.some((u) => Buffer.from(u).includes(Buffer.from('secret worry')))).toBe(false);

    expect(await facilitator.run({ type: 'drafts.reveal', boardId })).toEqual({ ok: true });
    await until(watcher.doc, () => readLanes(watcher.doc).problems.length === 1 && readLanes(watcher.doc).solutions.length === 1);
    // Both arrived in one update, written by the server's peer with one timestamp.
    const cards = [...readLanes(watcher.doc).problems, ...readLanes(watcher.doc).solutions];
    expect(new Set(cards.map((c) => c.createdAt)).size).toBe(1);
    const clients = new Set(cards.map((c) => c.text._item?.id.client));
    expect(clients.size).toBe(1);
    expect(clients.has(watcher.doc.clientID)).toBe(false);
    const f = board(boardId, fac.sessionToken);
    await f.synced;
    expect(boardToJSON(f.doc).problems.map((c) => c.text)).toEqual(['secret worry']);
  });

  it('gives no other member anything that links an anonymous card to its author', async () => {
    const { boardId, people, facilitator } = await workshopWith('member', 'member');
    const [author, other] = people;
    await facilitator.run({ type: 'settings.update', anonymousCards: 'optional' });
    await facilitator.run({ type: 'phase.go', index: 4 }); // Discuss
    const seen: unknown[] = [];
    other.session.onAny((event, ...args) => seen.push([event, args]));
    const otherBoard = board(boardId, other.token);
    await otherBoard.synced;
    const authorBoard = board(boardId, author.token);
    await authorBoard.synced;
    expect(
      await author.session.run({ type: 'card.addAnonymous', boardId, lane: 'problems', text: 'I was scared to ask for help' })
    ).toEqual({ ok: true });
    await until(otherBoard.doc, () => readLanes(otherBoard.doc).problems.length === 1);
    const card = readLanes(otherBoard.doc).problems[0];
    // The card's Yjs items carry the server's client id, not the author's.
    const ymap = cardsOf(otherBoard.doc).get(card.id)!;
    expect(ymap.get('anonymous')).toBe(true);
    const writer = ymap._item!.id.client;
    expect(writer).not.toBe(authorBoard.doc.clientID);
    expect(writer).not.toBe(otherBoard.doc.clientID);
    // Presence states never name an author for it, and no socket.io event carries the author's id or name.
    for (const state of otherBoard.provider.awareness.getStates().values()) {
      expect(JSON.stringify(state)).not.toContain(card.id);
    }
    expect(JSON.stringify(seen)).not.toContain(author.id);
    expect(getCard(otherBoard.doc, card.id)?.text.toString()).toBe('I was scared to ask for help');
  });

  it('calls people who have been called least first, then by time', async () => {
    const { facilitator, people } = await workshopWith('member', 'member');
    const [a, b] = people;
    await a.session.run({ type: 'hand.raise' });
    await facilitator.run({ type: 'queue.next' });
    await a.session.stateWhere((x) => x.speaking?.name === a.name && x.queue.length === 0);
    await a.session.run({ type: 'turn.pass' }); // done speaking
    await a.session.run({ type: 'hand.raise' }); // raises first...
    await b.session.run({ type: 'hand.raise' });
    // ...but b has not spoken yet, so b goes first.
    const s = await a.session.stateWhere((x) => x.queue.length === 2);
    expect(s.queue.map((q) => q.name)).toEqual([b.name, a.name]);
  });

  it('lets decision makers speak after members when the workshop asks, and lets people pass', async () => {
    const { facilitator, people } = await workshopWith('decisionMaker', 'member', 'member');
    const [dm, m1, m2] = people;
    await facilitator.run({ type: 'settings.update', decisionMakersAfterMembers: true });
    await dm.session.run({ type: 'hand.raise' });
    await m1.session.run({ type: 'hand.raise' });
    await m2.session.run({ type: 'hand.raise' });
    let s = await m1.session.stateWhere((x) => x.queue.length === 3);
    expect(s.queue.map((q) => q.name)).toEqual([m1.name, m2.name, dm.name]);
    await m2.session.run({ type: 'turn.pass' });
    s = await m1.session.stateWhere((x) => x.queue.length === 2);
    expect(s.queue.map((q) => q.name)).toEqual([m1.name, dm.name]);
    await facilitator.run({ type: 'queue.next' });
    await m1.session.stateWhere((x) => x.speaking?.name === m1.name && x.queue.length === 1);
    await facilitator.run({ type: 'queue.clear' });
    await m1.session.stateWhere((x) => x.queue.length === 0 && x.speaking === null);
  });

  it('hides a card from every screen and keeps it for the facilitator to restore', async () => {
    const { boardId, people, facilitator, fac } = await workshopWith('member');
    const m = board(boardId, people[0].token);
    await m.synced;
    const id = addCard(m.doc, 'problems', 'something unkind');
    const f = board(boardId, fac.sessionToken);
    await f.synced;
    await until(f.doc, () => !!getCard(f.doc, id));
    const view = new Promise<{ hidden: { cardId: string; reason: string }[] }>((resolve) =>
      facilitator.on('facilitator', (v) => v.hidden.length && resolve(v))
    );
    expect(await facilitator.run({ type: 'card.hide', boardId, cardId: id, reason: 'Not kind' })).toEqual({ ok: true });
    await until(m.doc, () => !getCard(m.doc, id));
    expect((await view).hidden[0]).toMatchObject({ cardId: id, reason: 'Not kind' });
    expect(await facilitator.run({ type: 'card.restore', boardId, cardId: id })).toEqual({ ok: true });
    await until(m.doc, () => getCard(m.doc, id)?.text.toString() === 'something unkind');
  });

  it('gives the facilitator a participation balance without attributing anonymous cards', async () => {
    const { boardId, people, facilitator, fac } = await workshopWith('member', 'decisionMaker');
    const [member, dm] = people;
    await facilitator.run({ type: 'settings.update', anonymousCards: 'optional' });
    const m = board(boardId, member.token);
    await m.synced;
    const id = addCard(m.doc, 'problems', 'three words here');
    await dm.session.run({ type: 'card.addAnonymous', boardId, lane: 'solutions', text: 'anonymous idea' });
    const f = board(boardId, fac.sessionToken);
    await f.synced;
    await until(f.doc, () => !!getCard(f.doc, id) && readLanes(f.doc).solutions.length === 1);
    const view = await new Promise<{
      balance: { people: { name: string; cards: number; words: number; notYet: boolean }[]; anonymousCards: number };
    }>((resolve) => {
      facilitator.on('facilitator', (v) => {
        if (v.balance.anonymousCards === 1 && v.balance.people.some((p) => p.cards === 1)) resolve(v);
      });
      void facilitator.run({ type: 'facilitator.refresh' });
    });
    const byName = Object.fromEntries(view.balance.people.map((p) => [p.name, p]));
    expect(byName[member.name]).toMatchObject({ cards: 1, words: 3, notYet: false });
    expect(byName[dm.name]).toMatchObject({ cards: 0, notYet: true });
    expect(view.balance.anonymousCards).toBe(1);
  });

  it('keeps the facilitation state through a restart', async () => {
    const { w, facilitator, fac } = await workshopWith('member');
    await facilitator.run({ type: 'phase.go', index: 3 });
    await facilitator.run({ type: 'settings.update', anonymousCards: 'always' });
    await facilitator.stateWhere((s) => s.phaseIndex === 3 && s.settings.anonymousCards === 'always');
    await server.restart();
    const again = await connectSession(server.url, w.id, fac.sessionToken);
    open.push({ close: () => again.disconnect() });
    const s = await again.stateWhere(() => true);
    expect(s.phaseIndex).toBe(3);
    expect(s.settings.anonymousCards).toBe('always');
  });
});
