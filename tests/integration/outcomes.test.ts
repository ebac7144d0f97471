// "You said, we did" against a real server, a real SQLite file and real HTTP: only decision makers
// and facilitators make and answer recommendations, after the workshop ended too; every change is
// kept, in order, across a restart; members of the workshop read the timeline and people of other
// workshops cannot; the next workshop of a group opens with "Since last time"; retention keeps a
// workshop whose timeline moved recently; a person's cards' words leave the sources when they go.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSession, createWorkshop, join, type CreatedWorkshop } from '../helpers/clients';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const post = (path: string, token: string, body: unknown) =>
  api(server.url, path, body, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) } });
const get = (path: string, token?: string) => api(server.url, path, undefined, { headers: token ? bearer(token) : {} });

interface People {
  w: CreatedWorkshop;
  facilitator: string;
  member: string;
  decisionMaker: string;
  observer: string;
}

let count = 0;
async function workshop(title = 'Probation forum'): Promise<People> {
  const w = await createWorkshop(server.url, `${title} ${++count}`);
  const [f, m, d, o] = await Promise.all([
    join(server.url, w.links.facilitator, 'Fay'),
    join(server.url, w.links.member, 'Mo'),
    join(server.url, w.links.decisionMaker, 'Dana'),
    join(server.url, w.links.observer, 'Oli')
  ]);
  return { w, facilitator: f.sessionToken, member: m.sessionToken, decisionMaker: d.sessionToken, observer: o.sessionToken };
}

async function recommend(p: People, token = p.facilitator, body: Record<string, unknown> = {}) {
  const res = await post(`/api/workshops/${p.w.id}/recommendations`, token, {
    text: 'Pay peer support workers',
    addressedTo: 'Head of Probation, North East',
    ...body
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.recommendation as { id: string; number: number };
}

const update = (p: People, id: string, token: string, body: Record<string, unknown>) =>
  post(`/api/workshops/${p.w.id}/recommendations/${id}/updates`, token, body);

async function endWorkshop(p: People) {
  const socket = await connectSession(server.url, p.w.id, p.facilitator);
  expect(await socket.run({ type: 'workshop.end' })).toEqual({ ok: true });
  socket.disconnect();
}

describe('recommendations and their timelines', () => {
  it('[L-OUT-1] only decision makers and facilitators can make one or change its status; members and observers are told why', async () => {
    const p = await workshop();
    const made = await recommend(p, p.decisionMaker);
    for (const token of [p.member, p.observer]) {
      const refused = await post(`/api/workshops/${p.w.id}/recommendations`, token, { text: 'x', addressedTo: 'y' });
      expect(refused).toEqual({
        status: 403,
        body: {
          error: {
            code: 'forbidden',
            message: 'Only decision makers and facilitators can add recommendations or say what happened to them. You can read them here.'
          }
        }
      });
      const change = await update(p, made.id, token, { status: 'piloting', explanation: 'We are trying it' });
      expect(change.status).toBe(403);
      expect(change.body.error.code).toBe('forbidden');
    }
    expect((await update(p, made.id, p.decisionMaker, { status: 'heard', explanation: 'Read it at the board' })).status).toBe(201);
    expect((await update(p, made.id, p.facilitator, { status: 'piloting', explanation: 'Two prisons from May' })).status).toBe(201);
    const read = await get(`/api/workshops/${p.w.id}/outcomes.json`, p.member);
    expect(read.body.recommendations[0].timeline.map((e: { status: string; by: string }) => [e.status, e.by])).toEqual([
      ['heard', 'decisionMaker'],
      ['piloting', 'facilitator']
    ]);
  });

  it('[L-OUT-1, L-OUT-4] keeps every change, in order, after the workshop ended and across a restart; nothing in the timeline names anyone', async () => {
    const p = await workshop();
    await endWorkshop(p);
    const made = await recommend(p, p.decisionMaker);
    const steps = [
      { status: 'heard', explanation: 'We read it at the board meeting' },
      { status: 'underConsideration', explanation: 'Costing it now' },
      { status: 'piloting', explanation: 'Six months in two prisons' },
      { kind: 'addressed', addressedTo: 'Regional Director', explanation: 'The job moved' },
      { status: 'evaluating', explanation: 'The university is looking at it' },
      { status: 'embedded', explanation: 'Paid peer roles everywhere from April' }
    ];
    for (const step of steps) expect((await update(p, made.id, p.decisionMaker, step)).status).toBe(201);
    await server.restart();
    const read = await get(`/api/workshops/${p.w.id}/outcomes.json`, p.member);
    expect(read.status).toBe(200);
    const [rec] = read.body.recommendations;
    expect(rec.timeline.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rec.timeline.map((e: { explanation: string }) => e.explanation)).toEqual(steps.map((s) => s.explanation));
    expect(rec).toMatchObject({
      status: 'embedded',
      statusLabel: 'Embedded',
      addressedTo: 'Regional Director',
      firstAddressedTo: 'Head of Probation, North East'
    });
    expect(rec.reached).toEqual(['heard', 'underConsideration', 'piloting', 'evaluating', 'embedded']);
    expect(read.body.counts).toMatchObject({ total: 1, now: { embedded: 1 } });
    // Every moment is the server's, in order.
    const ats = rec.timeline.map((e: { at: number }) => e.at);
    expect([...ats].sort((a, b) => a - b)).toEqual(ats);
    expect(JSON.stringify(read.body)).not.toMatch(/Dana|Fay/);
  });

  it('[L-OUT-4] a correction is a new entry: the corrected one stays, marked, and does not count as reached', async () => {
    const p = await workshop();
    const made = await recommend(p);
    await update(p, made.id, p.decisionMaker, { status: 'embedded', explanation: 'Done' });
    const fixed = await update(p, made.id, p.decisionMaker, {
      status: 'piloting',
      explanation: 'Sorry: it is a pilot so far',
      corrects: 1
    });
    expect(fixed.status).toBe(201);
    expect(fixed.body.entry).toMatchObject({ seq: 2, status: 'piloting', corrects: 1 });
    expect(fixed.body.recommendation.timeline).toMatchObject([
      { seq: 1, status: 'embedded', explanation: 'Done', corrected: true },
      { seq: 2, status: 'piloting', corrected: false }
    ]);
    expect(fixed.body.recommendation.reached).toEqual(['piloting']);
    const again = await update(p, made.id, p.decisionMaker, { status: 'heard', explanation: 'x', corrects: 1 });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ code: 'invalid_input', field: 'corrects' });
  });

  it("[L-OUT-2, L-OUT-3, L-OUT-6, L-OUT-7, L-OUT-8] refuses an unknown status, an empty explanation, a missing reason, oversized words and another workshop's recommendation, changing nothing", async () => {
    const p = await workshop();
    const other = await workshop('Housing forum');
    const made = await recommend(p);
    const theirs = await recommend(other);
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ status: 'done', explanation: 'x' }, 400, 'status', 'Choose what is happening now'],
      [{ status: 'piloting', explanation: '   ' }, 400, 'explanation', 'Explain the change in plain words'],
      [{ status: 'piloting' }, 400, 'explanation', 'Explain the change in plain words'],
      [{ status: 'notTakenForward', explanation: '' }, 400, 'explanation', 'Say why it was not taken forward'],
      [{ status: 'heard', explanation: 'x'.repeat(1001) }, 400, 'explanation', 'must be 1,000 characters or fewer'],
      [{ kind: 'link', to: made.id, explanation: 'itself' }, 400, 'to', 'cannot lead to itself'],
      [
        { kind: 'link', to: theirs.id, explanation: 'another workshop' },
        400,
        'to',
        'no such recommendation in this workshop or the workshops of its group'
      ]
    ];
    for (const [body, status, field, words] of cases) {
      const res = await update(p, made.id, p.decisionMaker, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toContain(words);
    }
    // A status change on a recommendation of another workshop, sent by this workshop's decision maker.
    const elsewhere = await update(p, theirs.id, p.decisionMaker, { status: 'piloting', explanation: 'Not mine' });
    expect(elsewhere).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'There is no such recommendation in this workshop.', field: 'recommendation' } }
    });
    const made2 = await post(`/api/workshops/${p.w.id}/recommendations`, p.facilitator, { text: 'y'.repeat(501), addressedTo: 'Someone' });
    expect(made2.body.error).toMatchObject({ code: 'invalid_input', field: 'text' });
    const noOne = await post(`/api/workshops/${p.w.id}/recommendations`, p.facilitator, { text: 'Something' });
    expect(noOne.body.error).toMatchObject({ code: 'invalid_input', field: 'addressedTo' });
    for (const from of [{ kind: 'card', boardId: p.w.boards[0].id }, 'keyPoint', { kind: 'vote', boardId: 'b', cardId: 'c' }]) {
      const bad = await post(`/api/workshops/${p.w.id}/recommendations`, p.facilitator, { addressedTo: 'Someone', from });
      expect(bad.body.error).toMatchObject({ code: 'invalid_input', field: 'from' });
    }
    // Nothing was written anywhere.
    expect((await get(`/api/workshops/${p.w.id}/outcomes.json`, p.member)).body.recommendations[0].timeline).toEqual([]);
    expect((await get(`/api/workshops/${other.w.id}/outcomes.json`, other.member)).body.recommendations[0].timeline).toEqual([]);
    expect((await get(`/api/workshops/${p.w.id}/outcomes.json`, p.member)).body.recommendations).toHaveLength(1);
  });

  it('[L-OUT-9] members of the workshop read every recommendation with its timeline; people of other workshops and nobody cannot', async () => {
    const p = await workshop();
    const other = await workshop('Housing forum');
    const made = await recommend(p);
    await update(p, made.id, p.decisionMaker, { status: 'heard', explanation: 'We read it' });
    for (const token of [p.member, p.observer, p.decisionMaker, p.facilitator]) {
      const read = await get(`/api/workshops/${p.w.id}/outcomes.json`, token);
      expect(read.status).toBe(200);
      expect(read.body.recommendations[0]).toMatchObject({ text: 'Pay peer support workers', status: 'heard' });
      expect(read.body.statuses.map((s: { id: string }) => s.id)).toEqual([
        'heard',
        'underConsideration',
        'piloting',
        'evaluating',
        'embedded',
        'notTakenForward'
      ]);
    }
    for (const token of [other.member, other.facilitator, undefined]) {
      const read = await get(`/api/workshops/${p.w.id}/outcomes.json`, token);
      expect(read).toEqual({
        status: 401,
        body: { error: { code: 'not_signed_in', message: 'Sign in to this workshop first: use your invite link.' } }
      });
      for (const format of ['md', 'csv']) expect((await get(`/api/workshops/${p.w.id}/outcomes.${format}`, token)).status).toBe(401);
    }
  });

  it('[L-OUT-7] makes one from an agreed key point or a solution card, its words taken when none are typed', async () => {
    const p = await workshop();
    const boardId = p.w.boards[0].id;
    const peer = server.running.realtime.session.boards;
    const point = await peer.edit(boardId, (b) => b.addKeyPoint('Paid peer support roles in every prison'));
    const card = await peer.edit(boardId, (b) => b.add({ lane: 'solutions', text: 'A peer mentor for everyone leaving prison' }));
    const problem = await peer.edit(boardId, (b) => b.add({ lane: 'problems', text: 'Nobody calls back' }));
    // A key point that is not agreed yet cannot be the source.
    const early = await post(`/api/workshops/${p.w.id}/recommendations`, p.facilitator, {
      addressedTo: 'HMPPS',
      from: { kind: 'keyPoint', boardId, pointId: point }
    });
    expect(early.body.error).toMatchObject({ field: 'from', message: expect.stringContaining('not in an agreed version') });
    const socket = await connectSession(server.url, p.w.id, p.facilitator);
    expect(await socket.run({ type: 'keypoints.agree', boardId })).toEqual({ ok: true, number: 1 });
    socket.disconnect();
    const fromPoint = await recommend(p, p.decisionMaker, { text: '', from: { kind: 'keyPoint', boardId, pointId: point } });
    const fromCard = await recommend(p, p.decisionMaker, { text: '  ', from: { kind: 'card', boardId, cardId: card } });
    const notASolution = await post(`/api/workshops/${p.w.id}/recommendations`, p.facilitator, {
      addressedTo: 'HMPPS',
      from: { kind: 'card', boardId, cardId: problem }
    });
    expect(notASolution.body.error).toMatchObject({ field: 'from', message: expect.stringContaining('Solutions list') });
    const read = (await get(`/api/workshops/${p.w.id}/outcomes.json`, p.member)).body;
    expect(read.recommendations.map((r: { number: number; text: string }) => [r.number, r.text])).toEqual([
      [fromPoint.number, 'Paid peer support roles in every prison'],
      [fromCard.number, 'A peer mentor for everyone leaving prison']
    ]);
    expect(read.recommendations[0].source).toMatchObject({
      kind: 'keyPoint',
      boardTitle: 'Main board',
      version: 1,
      words: 'Paid peer support roles in every prison'
    });
    expect(read.recommendations[1].source).toMatchObject({ kind: 'card', words: 'A peer mentor for everyone leaving prison' });
  });

  it('[L-OUT-8] links a pilot to the service it became, shown both ways; across the workshops of one group, not beyond', async () => {
    const first = await workshop();
    const pilot = await recommend(first, first.decisionMaker, { text: 'Pilot paid peer roles' });
    const service = await recommend(first, first.decisionMaker, { text: 'A national peer service' });
    const linked = await update(first, pilot.id, first.decisionMaker, {
      kind: 'link',
      to: service.id,
      explanation: 'The pilot became the service'
    });
    expect(linked.status).toBe(201);
    expect(linked.body.recommendation.ledTo).toMatchObject([{ id: service.id, number: service.number, workshopTitle: null }]);
    const again = await update(first, service.id, first.decisionMaker, { kind: 'link', to: pilot.id, explanation: 'loop' });
    expect(again.body.error.message).toContain('linked already');

    // The next workshop of the group: made by the first one's facilitator, with `after`.
    const next = await api(
      server.url,
      '/api/workshops',
      { title: 'Forum, autumn', question: 'What next?', after: first.w.id },
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(first.facilitator) }
      }
    );
    expect(next.status).toBe(201);
    expect(next.body.after).toBe(first.w.id);
    const nf = await join(server.url, next.body.links.facilitator, 'Fay');
    const later = await post(`/api/workshops/${next.body.id}/recommendations`, nf.sessionToken, {
      text: 'Train peer mentors',
      addressedTo: 'HMPPS'
    });
    const laterId = later.body.recommendation.id;
    expect(
      (await update(first, service.id, first.decisionMaker, { kind: 'link', to: laterId, explanation: 'Carried on next time' })).status
    ).toBe(201);
    const nm = await join(server.url, next.body.links.member, 'Mo');
    const laterRead = (await get(`/api/workshops/${next.body.id}/outcomes.json`, nm.sessionToken)).body;
    expect(laterRead.recommendations[0].cameFrom).toMatchObject([
      { id: service.id, workshopId: first.w.id, workshopTitle: expect.stringContaining('Probation forum') }
    ]);
    // A workshop of another group cannot be linked.
    const stranger = await workshop('Housing forum');
    const theirs = await recommend(stranger);
    expect((await update(first, service.id, first.decisionMaker, { kind: 'link', to: theirs.id, explanation: 'x' })).status).toBe(400);
    // A link made by mistake is taken back; both entries stay.
    const back = await update(first, pilot.id, first.facilitator, { kind: 'unlink', to: service.id, explanation: 'Linked by mistake' });
    expect(back.body.recommendation.ledTo).toEqual([]);
    expect(back.body.recommendation.timeline.map((e: { kind: string }) => e.kind)).toEqual(['link', 'unlink']);
  });

  it('[L-OUT-10] only a facilitator of the earlier workshop may start the next one, and its board opens with "Since last time"', async () => {
    const first = await workshop();
    const made = await recommend(first, first.decisionMaker);
    await update(first, made.id, first.decisionMaker, { status: 'piloting', explanation: 'Two prisons from May' });
    const create = (headers: Record<string, string>, after: unknown = first.w.id) =>
      api(
        server.url,
        '/api/workshops',
        { title: 'Next', question: 'Q?', after },
        { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }
      );
    expect((await create({})).status).toBe(401);
    expect((await create(bearer(first.member))).body.error).toMatchObject({ code: 'forbidden', field: 'after' });
    expect((await create(bearer(first.decisionMaker))).status).toBe(403);
    const stranger = await workshop('Housing forum');
    expect((await create(bearer(stranger.facilitator))).status).toBe(401);
    expect((await create(bearer(first.facilitator), 'not a workshop id!')).body.error).toMatchObject({
      code: 'invalid_input',
      field: 'after'
    });
    const next = await create(bearer(first.facilitator));
    expect(next.status).toBe(201);
    const joined = await join(server.url, next.body.links.member, 'Ravi');
    const page = await fetch(`${server.url}/w/${next.body.id}/__data.json`, { headers: bearer(joined.sessionToken) });
    const text = await page.text();
    expect(text).toContain('sinceLastTime');
    expect(text).toContain('Two prisons from May');
    expect(text).toContain('Pay peer support workers');
  });
});

describe('retention counts from the last activity', () => {
  const DAY = 24 * 3600_000;
  it('[L-OUT-11] keeps a workshop whose timeline moved recently, and deletes it once that activity is older than the period', async () => {
    const p = await workshop();
    const made = await recommend(p, p.decisionMaker);
    await endWorkshop(p);
    const { session, store } = server.running.realtime;
    // 40 days after the end, a decision maker said what happened, as far as retention can tell.
    const endedAt = (await store.workshops.get(p.w.id))!.endedAt!;
    await store.outcomes.append(
      {
        recommendationId: made.id,
        workshopId: p.w.id,
        at: endedAt + 40 * DAY,
        by: 'decisionMaker',
        change: { kind: 'status', status: 'piloting', explanation: 'Late news', corrects: null }
      },
      0
    );
    // 45 days after the end: past 30 days from the end, within 30 days of the update.
    await session.sweepRetention(30, endedAt + 45 * DAY);
    expect(await store.workshops.get(p.w.id)).not.toBeNull();
    expect((await get(`/api/workshops/${p.w.id}/outcomes.json`, p.member)).status).toBe(200);
    // 71 days after the end: 31 days after the update.
    await session.sweepRetention(30, endedAt + 71 * DAY);
    expect(await store.workshops.get(p.w.id)).toBeNull();
    expect(await store.workshops.deletedAt(p.w.id)).not.toBeNull();
  });

  it('[L-OUT-11] deletes an ended workshop nobody touched since, as before', async () => {
    const p = await workshop();
    await endWorkshop(p);
    const { session, store } = server.running.realtime;
    const endedAt = (await store.workshops.get(p.w.id))!.endedAt!;
    await session.sweepRetention(30, endedAt + 20 * DAY);
    expect(await store.workshops.get(p.w.id)).not.toBeNull();
    await session.sweepRetention(30, endedAt + 31 * DAY);
    expect(await store.workshops.get(p.w.id)).toBeNull();
  });
});

describe('agreeing key points', () => {
  it('[L-KEY-2] refuses a point with more sources than an agreed version keeps, saying what to do, rather than dropping some silently', async () => {
    const p = await workshop();
    const boardId = p.w.boards[0].id;
    const peer = server.running.realtime.session.boards;
    const many = Array.from({ length: 101 }, (_, i) => `card${i}`);
    await peer.edit(boardId, (b) => b.addKeyPoint('Nobody reads the letters', many));
    const socket = await connectSession(server.url, p.w.id, p.facilitator);
    expect(await socket.run({ type: 'keypoints.agree', boardId })).toEqual({
      ok: false,
      error: {
        code: 'not_allowed_now',
        message:
          'Key point 1 comes from 101 cards and themes. An agreed version keeps at most 100: group its cards into a theme and link the theme, or unlink some, then mark them agreed.'
      }
    });
    // At the limit it is agreed, every source kept.
    await peer.edit(boardId, (b) => b.setSources(b.keyPoints()[0].id, many.slice(0, 100)));
    expect(await socket.run({ type: 'keypoints.agree', boardId })).toEqual({ ok: true, number: 1 });
    expect((await server.running.realtime.store.keyPoints.versions(p.w.id))[0].points[0].sources).toHaveLength(100);
    socket.disconnect();
  });
});

describe('privacy', () => {
  it("a writer who removes their cards has their words taken out of the agreed key points on everyone's open page, not only after a reload", async () => {
    const p = await workshop();
    const boardId = p.w.boards[0].id;
    const { connectBoard } = await import('../helpers/clients');
    const { writeCard } = await import('../../src/lib/board/schema');
    const board = connectBoard(server.wsUrl, boardId, p.member);
    await board.synced;
    const cardId = writeCard(board.doc, { lane: 'problems', text: 'Words only Mo wrote' });
    const peer = server.running.realtime.session.boards;
    for (let i = 0; !(await peer.read(boardId, (b) => b.has(cardId))); i++) {
      if (i > 500) throw new Error('the card never reached the server');
      await new Promise((r) => setTimeout(r, 20));
    }
    board.destroy();
    await peer.edit(boardId, (b) => b.addKeyPoint('Letters nobody can read', [cardId]));
    const facilitator = await connectSession(server.url, p.w.id, p.facilitator);
    expect(await facilitator.run({ type: 'keypoints.agree', boardId })).toEqual({ ok: true, number: 1 });
    const heardAgreed = () => facilitator.heard.filter((h) => h.event === 'agreedKeyPoints').map((h) => JSON.stringify(h.args[0]));
    expect(heardAgreed().at(-1)).toContain('Words only Mo wrote');

    const mo = await connectSession(server.url, p.w.id, p.member);
    expect(await mo.run({ type: 'me.forget' })).toEqual({ ok: true });
    mo.disconnect();
    // The facilitator's open page is sent the agreed version again, without Mo's words.
    for (let i = 0; heardAgreed().at(-1)!.includes('Words only Mo wrote'); i++) {
      if (i > 250) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const last = JSON.parse(heardAgreed().at(-1)!);
    expect(last).toMatchObject({ boardId, number: 1 });
    expect(JSON.stringify(last)).not.toContain('Words only Mo wrote');
    expect(last.points[0].sources).toEqual([expect.objectContaining({ kind: 'card', id: cardId, text: null })]);
    facilitator.disconnect();
  });

  it('a writer who removes their cards takes their words out of the sources of recommendations made from them', async () => {
    const p = await workshop();
    const boardId = p.w.boards[0].id;
    const { connectBoard, until } = await import('../helpers/clients');
    const { writeCard, getCard } = await import('../../src/lib/board/schema');
    const board = connectBoard(server.wsUrl, boardId, p.member);
    await board.synced;
    const cardId = writeCard(board.doc, { lane: 'solutions', text: 'Words only Mo wrote' });
    const peerSees = () => server.running.realtime.session.boards.read(boardId, (b) => !!b.facts().find((c) => c.id === cardId));
    // The card reaches the server's own copy once it is stored (a busy machine can take seconds).
    for (let i = 0; !(await peerSees()); i++) {
      if (i > 500) throw new Error('the card never reached the server');
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(board.doc, () => !!getCard(board.doc, cardId));
    board.destroy();
    const made = await recommend(p, p.decisionMaker, { text: 'Our own words for it', from: { kind: 'card', boardId, cardId } });
    const socket = await connectSession(server.url, p.w.id, p.member);
    await socket.run({ type: 'me.forget' });
    socket.disconnect();
    const read = (await get(`/api/workshops/${p.w.id}/outcomes.json`, p.facilitator)).body;
    expect(read.recommendations.find((r: { id: string }) => r.id === made.id)).toMatchObject({
      text: 'Our own words for it',
      source: { kind: 'card', words: null }
    });
    expect(JSON.stringify(read)).not.toContain('Words only Mo wrote');
  });
});
