// Issue 11, what the server does for the session panels: an ended workshop refuses changes with a
// plain message (a check-out cannot take answers after the end, even from a page that still shows
// its form), and a person who steps away (a break, or leaving) is taken out of the queue, their
// turn ended without counting it. Real server, real sockets, real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { workshopWith as sharedWorkshopWith } from '../helpers/workshop';
import { api, connectSession } from '../helpers/clients';

describe('the session panels, on the server', () => {
  let server: TestServer;
  const open: { close(): void }[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const c of open.splice(0)) c.close();
    await server?.close();
  });

  const workshopWith = (...names: string[]) =>
    sharedWorkshopWith(
      server,
      open,
      names.map((name) => ({ role: 'member' as const, name }))
    );

  it('closes the round and stops the timer when the workshop ends, and refuses changes after it with a plain message', async () => {
    const { boardId, people, facilitator } = await workshopWith('Mo');
    const [mo] = people;
    expect(await facilitator.run({ type: 'round.open', kind: 'checkout', prompt: 'One word to end?' })).toEqual({ ok: true });
    expect(await facilitator.run({ type: 'timer.start', minutes: 5 })).toEqual({ ok: true });
    expect(await facilitator.run({ type: 'workshop.end' })).toEqual({ ok: true });
    const ended = await mo.session.stateWhere((s) => s.ended);
    expect(ended.round).toMatchObject({ kind: 'checkout', open: false });
    expect(ended.timer.kind).toBe('idle');
    expect(ended.lockedBoards).toEqual([boardId]);

    const refusal = { ok: false, error: { code: 'not_allowed_now', message: expect.stringMatching(/^This workshop has ended\./) } };
    const answer = { type: 'round.answer', answerId: 'late-answer', text: 'Still here', emoji: null, anonymous: false };
    expect(await mo.session.run(answer)).toEqual(refusal);
    expect(await mo.session.run({ type: 'hand.raise' })).toEqual(refusal);
    expect(await mo.session.run({ type: 'card.addAnonymous', boardId, lane: 'questions', text: 'After the end' })).toEqual(refusal);
    // Not even the facilitator reopens it: the boards stay locked, the steps and rounds stay put.
    expect(await facilitator.run({ type: 'board.lock', boardId, locked: false })).toEqual(refusal);
    expect(await facilitator.run({ type: 'phase.go', index: 1 })).toEqual(refusal);
    expect(await facilitator.run({ type: 'round.open', kind: 'checkin', prompt: 'Again?' })).toEqual(refusal);
    expect(await facilitator.run({ type: 'timer.start', minutes: 1 })).toEqual(refusal);

    // A page opened after the end (a reload) sees the same: closed, locked, no answer added.
    const again = await connectSession(server.url, (mo.session.auth as { workshopId: string }).workshopId, mo.token);
    open.push({ close: () => again.disconnect() });
    const fresh = await again.stateWhere((s) => s.ended);
    expect(fresh.round).toMatchObject({ open: false, answers: [] });
    expect(fresh.lockedBoards).toEqual([boardId]);
    expect(fresh.phaseIndex).toBe(0);

    // What a person does for themselves, and moderation, still work.
    expect(await mo.session.run({ type: 'hand.lower' })).toEqual({ ok: true });
    expect(await facilitator.run({ type: 'invite.renew', role: 'member' })).toEqual({ ok: true });
    expect(await mo.session.run({ type: 'me.forget' })).toEqual({ ok: true });
  });

  it('a break while speaking ends the turn without counting it; a break while waiting lowers the hand', async () => {
    const { people, facilitator } = await workshopWith('Mo', 'Ann');
    const [mo, ann] = people;
    expect(await mo.session.run({ type: 'hand.raise' })).toEqual({ ok: true });
    expect(await ann.session.run({ type: 'hand.raise' })).toEqual({ ok: true });
    expect(await facilitator.run({ type: 'queue.next' })).toEqual({ ok: true });
    await facilitator.stateWhere((s) => s.speaking?.name === 'Mo');

    expect(await mo.session.run({ type: 'me.away' })).toEqual({ ok: true });
    const after = await facilitator.stateWhere((s) => s.speaking === null);
    expect(after.queue.map((q) => q.name)).toEqual(['Ann']);
    // Not counted: with Mo's hand up first and Ann's after, Mo comes first. Had the turn counted,
    // Ann (no turns yet) would come before Mo (one turn).
    expect(await ann.session.run({ type: 'hand.lower' })).toEqual({ ok: true });
    expect(await mo.session.run({ type: 'hand.raise' })).toEqual({ ok: true });
    expect(await ann.session.run({ type: 'hand.raise' })).toEqual({ ok: true });
    const order = await facilitator.stateWhere((s) => s.queue.length === 2);
    expect(order.queue.map((q) => q.name)).toEqual(['Mo', 'Ann']);
    const facView = await new Promise<{ balance: { people: { name: string; turns: number }[] } }>((resolve) => {
      facilitator.once('facilitator', resolve);
      void facilitator.run({ type: 'facilitator.refresh' });
    });
    expect(facView.balance.people.find((p) => p.name === 'Mo')?.turns).toBe(0);

    // Waiting, then away: the hand is lowered.
    expect(await ann.session.run({ type: 'me.away' })).toEqual({ ok: true });
    const waiting = await facilitator.stateWhere((s) => !s.queue.some((q) => q.name === 'Ann'));
    expect(waiting.queue.map((q) => q.name)).toEqual(['Mo']);
  });

  it('leaving a device (POST /api/session/leave) lowers the hand and ends the turn of the person who left', async () => {
    const { w, people, facilitator } = await workshopWith('Mo', 'Ann');
    const [mo, ann] = people;
    expect(await mo.session.run({ type: 'hand.raise' })).toEqual({ ok: true });
    expect(await ann.session.run({ type: 'hand.raise' })).toEqual({ ok: true });
    expect(await facilitator.run({ type: 'queue.next' })).toEqual({ ok: true });
    await facilitator.stateWhere((s) => s.speaking?.name === 'Mo' && s.queue.length === 1);

    for (const who of [mo, ann]) {
      const left = await api(
        server.url,
        '/api/session/leave',
        { workshop: w.id },
        {
          headers: { 'content-type': 'application/json', authorization: `Bearer ${who.token}` }
        }
      );
      expect(left).toMatchObject({ status: 200, body: { ended: true } });
    }
    const after = await facilitator.stateWhere((s) => s.speaking === null && s.queue.length === 0);
    expect(after.queue).toEqual([]);
  });
});
