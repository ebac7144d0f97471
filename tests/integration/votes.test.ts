// Dot voting through the real server and real clients (socket.io sessions, y-websocket boards,
// HTTP exports, the database files): every refusal, budgets under 50 concurrent voters, nothing
// about totals or choices reaching anyone while a vote is open, turnout only at turnout moments,
// and no ballot left linked to a person once it closes. The rules have ids in docs/LIMITS.md
// ("Votes").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteCard } from '../../src/lib/board/schema';
import { addTheme } from '../../src/lib/board/themes';
import { themeItem, VOTING_ROLES, type VotingRole } from '../../src/lib/domain/votes';
import type { Command, MyBallot, PublicState, PublicVote, VoteResults } from '../../src/lib/protocol/session';
import { archiveContent } from '../../src/lib/protocol/archive';
import { connectBoard, connectSession, join, type SessionClient } from '../helpers/clients';
import { databaseFiles, pagesWithPairs } from '../helpers/db-pages';
import { startTestServer, type TestServer } from '../helpers/server';
import { workshopWith, type Person } from '../helpers/workshop';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Heard = SessionClient['heard'][number];

/** Everything a socket receives from now on. */
const record = (socket: SessionClient) => ({
  from: socket.heard.length,
  socket,
  get all(): Heard[] {
    return socket.heard.slice(this.from);
  }
});

/** The first `event` a socket received (since it was made, or since `from`) that passes `check`; waits for it. */
async function next<T>(
  socket: SessionClient,
  event: 'ballot' | 'voteResults',
  check: (payload: T) => boolean = () => true,
  from = 0,
  ms = 5000
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = socket.heard.slice(from).find((h) => h.event === event && check(h.args[0] as T));
    if (found) return found.args[0] as T;
    if (Date.now() > deadline) throw new Error(`no ${event} in time`);
    await sleep(10);
  }
}

async function openVote(facilitator: SessionClient, command: Omit<Extract<Command, { type: 'vote.open' }>, 'type'>): Promise<string> {
  const result = await facilitator.run({ type: 'vote.open', ...command });
  if (!result.ok) throw new Error(`vote.open refused: ${result.error.message}`);
  return result.voteId;
}

const voteIn = (s: PublicState | null, voteId: string): PublicVote | undefined => s?.votes.find((v) => v.id === voteId);
const turnoutOf = (v: PublicVote | undefined) => Object.fromEntries((v?.turnout ?? []).map((t) => [t.role, [t.voted, t.eligible]]));

describe('votes', () => {
  let server: TestServer;
  const open: { close(): void }[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const c of open.splice(0)) c.close();
    await server?.close();
  });

  /** Cards written by the server's own peer (so no authorship record ties any card to anyone). */
  const cards = (boardId: string, texts: string[]) =>
    server.running.realtime.session.boards.edit(boardId, (b) => texts.map((text) => b.add({ lane: 'solutions', text })));

  it('[L-VOTE-1..9] refuses each bad vote with a plain answer and keeps every vote already made', async () => {
    const { w, boardId, facilitator, fac, people } = await workshopWith(server, open, [
      { role: 'member', name: 'Mo' },
      { role: 'decisionMaker', name: 'Dana' },
      { role: 'observer', name: 'Oli' }
    ]);
    const [mo, dana, oli] = people;
    const [c1, c2, c3, c4] = await cards(boardId, ['Evening minibus', 'Forms in plain words', 'A drop-in', 'To be hidden']);

    // Opening: limits, themes, one open vote per board.
    const bad = await facilitator.run({ type: 'vote.open', boardId, on: { kind: 'cards' }, votesPerPerson: 2, maxPerItem: 3 });
    expect(bad).toEqual({
      ok: false,
      error: { code: 'invalid_payload', message: 'The most votes on one item (3) cannot be more than each person has (2).' }
    });
    expect((await facilitator.run({ type: 'vote.open', boardId, on: { kind: 'cards' }, votesPerPerson: 11 })).ok).toBe(false);
    expect(await facilitator.run({ type: 'vote.open', boardId, on: { kind: 'cards', themes: ['no-such-theme'] } })).toEqual({
      ok: false,
      error: { code: 'invalid_payload', message: 'One of the themes chosen is not on the board.' }
    });
    expect(await facilitator.run({ type: 'vote.open', boardId, on: { kind: 'themes' } })).toEqual({
      ok: false,
      error: { code: 'not_allowed_now', message: 'There are no themes on the board to vote on.' }
    });
    expect(await mo.session.run({ type: 'vote.open', boardId, on: { kind: 'cards' } })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' }
    });
    const voteId = await openVote(facilitator, { boardId, on: { kind: 'cards', lanes: ['solutions'] }, votesPerPerson: 3, maxPerItem: 2 });
    expect(voteId).toMatch(/^[0-9a-f]{24}$/);
    expect(await facilitator.run({ type: 'vote.open', boardId, on: { kind: 'cards' } })).toEqual({
      ok: false,
      error: { code: 'not_allowed_now', message: 'A vote is already open on this board. Close it before opening another.' }
    });
    const state = await mo.session.stateWhere((s) => !!voteIn(s, voteId));
    expect(voteIn(state, voteId)).toEqual({
      id: voteId,
      boardId,
      on: { kind: 'cards', lanes: ['solutions'] },
      items: [c1, c2, c3, c4],
      votesPerPerson: 3,
      maxPerItem: 2,
      openedAt: expect.any(Number),
      turnout: [
        { role: 'member', voted: 0, eligible: 1 },
        { role: 'decisionMaker', voted: 0, eligible: 1 },
        { role: 'facilitator', voted: 0, eligible: 1 }
      ]
    });

    // Casting: each refusal leaves Mo's votes as they were.
    const cast = (who: Person | SessionClient, itemId: string, id = voteId) =>
      ('session' in who ? who.session : who).run({ type: 'vote.cast', voteId: id, itemId });
    const mine = next<MyBallot>(mo.session, 'ballot', (b) => b.mine[c1] === 2);
    expect(await cast(mo, c1)).toEqual({ ok: true });
    expect(await cast(mo, c1)).toEqual({ ok: true });
    expect(await mine).toEqual({ voteId, mine: { [c1]: 2 }, remaining: 1 });
    const refusals: [string, Promise<unknown>, unknown][] = [
      [
        'over the limit per item',
        cast(mo, c1),
        { ok: false, error: { code: 'not_allowed_now', message: 'You can put at most 2 votes on one item.' } }
      ],
      ['an observer', cast(oli, c1), { ok: false, error: { code: 'forbidden', message: 'Observers watch only.' } }],
      [
        'an unknown vote',
        cast(mo, c1, 'no-such-vote'),
        { ok: false, error: { code: 'invalid_payload', message: 'There is no such vote in this workshop.' } }
      ],
      [
        'an item outside the vote',
        cast(mo, 'someOtherCard'),
        { ok: false, error: { code: 'invalid_payload', message: 'That is not one of the cards or themes in this vote.' } }
      ],
      [
        'a forged participant id',
        mo.session.run({ type: 'vote.cast', voteId, itemId: c2, participantId: dana.id }),
        { ok: false, error: { code: 'invalid_payload', message: expect.stringMatching(/not in the right shape.*participantId/) } }
      ],
      [
        'taking back what is not there',
        mo.session.run({ type: 'vote.retract', voteId, itemId: c2 }),
        { ok: false, error: { code: 'not_allowed_now', message: 'You have no vote on that to take back.' } }
      ]
    ];
    for (const [what, answer, want] of refusals) expect(await answer, what).toEqual(want);

    // A card hidden, or deleted, since the vote opened; one added since.
    expect(await facilitator.run({ type: 'card.hide', boardId, cardId: c4, reason: 'Names someone' })).toEqual({ ok: true });
    expect(await cast(dana, c4)).toEqual({
      ok: false,
      error: { code: 'invalid_payload', message: 'That card is no longer on the board.' }
    });
    const board = connectBoard(server.wsUrl, boardId, mo.token);
    open.push({ close: () => board.destroy() });
    await board.synced;
    deleteCard(board.doc, c3);
    for (let i = 0; await server.running.realtime.session.boards.read(boardId, (b) => b.card(c3) !== null); i++) {
      if (i > 100) throw new Error('the deletion did not reach the server');
      await sleep(20);
    }
    expect(await cast(dana, c3)).toEqual({
      ok: false,
      error: { code: 'invalid_payload', message: 'That card is no longer on the board.' }
    });
    const [late] = await cards(boardId, ['Added after the vote opened']);
    expect(await cast(dana, late)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });

    // The budget: the third vote is fine, the fourth is refused; a vote can be moved.
    expect(await cast(mo, c2)).toEqual({ ok: true });
    expect(await cast(mo, c2)).toEqual({
      ok: false,
      error: { code: 'not_allowed_now', message: 'You have used all 3 votes. Take one back to move it.' }
    });
    expect(await mo.session.run({ type: 'vote.retract', voteId, itemId: c1 })).toEqual({ ok: true });
    expect(await cast(mo, c2)).toEqual({ ok: true });
    expect(await cast(dana, c1)).toEqual({ ok: true });
    expect(await cast(facilitator, c2)).toEqual({ ok: true });

    // Nothing saved is lost: the votes survive a restart of the server.
    for (const p of people) p.session.disconnect();
    facilitator.disconnect();
    await server.restart();
    const again = await connectSession(server.url, w.id, mo.token);
    open.push({ close: () => again.disconnect() });
    const ballotAfter = await next<MyBallot>(again, 'ballot');
    expect(ballotAfter).toEqual({ voteId, mine: { [c1]: 1, [c2]: 2 }, remaining: 0 });
    const facAgain = await connectSession(server.url, w.id, fac.sessionToken);
    open.push({ close: () => facAgain.disconnect() });
    const s = await facAgain.stateWhere((x) => !!voteIn(x, voteId));
    expect(turnoutOf(voteIn(s, voteId))).toEqual({ member: [1, 1], decisionMaker: [1, 1], facilitator: [1, 1] });

    // Closing: a closed vote takes no votes, and closes once.
    const results = next<VoteResults>(again, 'voteResults');
    expect(await facAgain.run({ type: 'vote.close', voteId })).toEqual({ ok: true });
    expect(await again.run({ type: 'vote.cast', voteId, itemId: c2 })).toEqual({
      ok: false,
      error: { code: 'not_allowed_now', message: 'This vote has closed.' }
    });
    expect(await facAgain.run({ type: 'vote.close', voteId })).toEqual({
      ok: false,
      error: { code: 'not_allowed_now', message: 'This vote has closed.' }
    });
    const r = await results;
    // Three people voted, one in each group: no group can be shown, the overall can.
    expect(r.voters).toBe(3);
    expect(r.groups.map((g) => [g.role, g.voters, g.shown])).toEqual([
      ['member', 1, 'fewer-than-3'],
      ['decisionMaker', 1, 'fewer-than-3'],
      ['facilitator', 1, 'fewer-than-3']
    ]);
    expect(Object.fromEntries(r.rows.map((x) => [x.itemId, x.total]))).toEqual({ [c1]: 2, [c2]: 3, [c3]: 0, [c4]: 0 });
    expect(r.rows.every((x) => VOTING_ROLES.every((role) => x.byGroup[role] === null))).toBe(true);
    expect(Object.fromEntries(r.rows.map((x) => [x.itemId, x.label]))).toEqual({
      [c1]: 'Evening minibus',
      [c2]: 'Forms in plain words',
      [c3]: null,
      [c4]: null
    });
    expect(await facAgain.stateWhere((x) => !voteIn(x, voteId))).toBeTruthy();
  });

  it('[L-VOTE-10] votes on themes, named theme:<id>, and refuses a theme deleted since', async () => {
    const { boardId, facilitator, people } = await workshopWith(server, open, [{ role: 'member', name: 'Mo' }]);
    const [travel, words] = await server.running.realtime.session.boards.edit(boardId, (b) => [
      addTheme(b.doc, 'Getting there'),
      addTheme(b.doc, 'Plain words')
    ]);
    const voteId = await openVote(facilitator, { boardId, on: { kind: 'themes' } });
    const [mo] = people;
    expect(await mo.session.run({ type: 'vote.cast', voteId, itemId: themeItem(travel) })).toEqual({ ok: true });
    expect(await mo.session.run({ type: 'vote.cast', voteId, itemId: travel })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' }
    });
    await server.running.realtime.session.boards.edit(boardId, (b) => void b.doc.getMap('themes').delete(words));
    expect(await mo.session.run({ type: 'vote.cast', voteId, itemId: themeItem(words) })).toEqual({
      ok: false,
      error: { code: 'invalid_payload', message: 'That theme is no longer on the board.' }
    });
  });

  it('50 concurrent voters never exceed their budgets, and the totals equal the votes accepted', async () => {
    const who: { role: 'member' | 'decisionMaker'; name: string }[] = [];
    for (let i = 0; i < 30; i++) who.push({ role: 'member', name: `Member ${i}` });
    for (let i = 0; i < 14; i++) who.push({ role: 'decisionMaker', name: `Lead ${i}` });
    const { w, boardId, facilitator, fac, people } = await workshopWith(server, open, who);
    // Five more facilitators: every group has 3 voters or more, so each is shown on its own.
    for (let i = 0; i < 5; i++) {
      const j = await join(server.url, w.links.facilitator, `Host ${i}`);
      const session = await connectSession(server.url, w.id, j.sessionToken);
      open.push({ close: () => session.disconnect() });
      people.push({ name: `Host ${i}`, token: j.sessionToken, id: j.participant.id, session });
    }
    expect(people).toHaveLength(49); // and Fay, the first facilitator: 50 voters
    const roleOf = (i: number): VotingRole => (i < 30 ? 'member' : i < 44 ? 'decisionMaker' : 'facilitator');
    const voters: { id: string; role: VotingRole; session: SessionClient }[] = [
      ...people.map((p, i) => ({ id: p.id, role: roleOf(i), session: p.session })),
      { id: fac.participant.id, role: 'facilitator' as const, session: facilitator }
    ];
    const items = await cards(boardId, ['One', 'Two', 'Three', 'Four', 'Five']);
    const voteId = await openVote(facilitator, { boardId, on: { kind: 'cards' }, votesPerPerson: 3, maxPerItem: 2 });

    // Each voter sends 8 commands at once: mostly votes, some taken back, in a seeded random order.
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const accepted = new Map<string, Record<string, number>>();
    await Promise.all(
      voters.map(async (v, n) => {
        const plan = Array.from({ length: 8 }, () => ({
          type: random() < 0.8 ? 'vote.cast' : 'vote.retract',
          itemId: items[Math.floor(random() * items.length)]
        }));
        const answers = await Promise.all(plan.map((c) => v.session.run({ ...c, voteId })));
        const mine: Record<string, number> = {};
        answers.forEach((a, i) => {
          if (!a.ok) {
            expect(a.error.code, `voter ${n}: ${a.error.message}`).toBe('not_allowed_now');
            return;
          }
          mine[plan[i].itemId] = (mine[plan[i].itemId] ?? 0) + (plan[i].type === 'vote.cast' ? 1 : -1);
        });
        accepted.set(v.id, mine);
      })
    );
    let total = 0;
    for (const [id, mine] of accepted) {
      const counts = Object.values(mine);
      for (const c of counts) expect(c, id).toBeGreaterThanOrEqual(0);
      for (const c of counts) expect(c, id).toBeLessThanOrEqual(2);
      const sum = counts.reduce((a, b) => a + b, 0);
      expect(sum, id).toBeLessThanOrEqual(3);
      total += sum;
    }
    expect(total).toBeGreaterThan(100);

    // While open, the ballots are in the database beside their voters' ids: the scan below can see them.
    const ids = voters.map((v) => v.id);
    expect(pagesWithPairs(databaseFiles(server.dataDir), ids, items).length).toBeGreaterThan(0);

    const results = next<VoteResults>(facilitator, 'voteResults');
    expect(await facilitator.run({ type: 'vote.close', voteId })).toEqual({ ok: true });
    const r = await results;
    const expected = (role?: VotingRole) =>
      Object.fromEntries(
        items.map((item) => [
          item,
          voters.filter((v) => !role || v.role === role).reduce((n, v) => n + (accepted.get(v.id)?.[item] ?? 0), 0)
        ])
      );
    expect(Object.fromEntries(r.rows.map((x) => [x.itemId, x.total]))).toEqual(expected());
    for (const role of VOTING_ROLES) {
      expect(Object.fromEntries(r.rows.map((x) => [x.itemId, x.byGroup[role]])), role).toEqual(expected(role));
    }
    expect(r.groups.map((g) => g.shown)).toEqual(['own', 'own', 'own']);
    expect(r.groups.map((g) => g.eligible)).toEqual([30, 14, 6]);

    // After close, the database holds no ballot linked to a person: no page of any of its files
    // has a voter's id beside an item's.
    expect(pagesWithPairs(databaseFiles(server.dataDir), ids, items)).toEqual([]);
    expect(await server.running.realtime.store.votes.voters(voteId)).toEqual([]);
  });

  it('tells a member and a decision maker no total, and nobody who voted for what, while a vote is open', async () => {
    const { w, boardId, facilitator, fac, people } = await workshopWith(server, open, [
      { role: 'member', name: 'Spy Mo' },
      { role: 'decisionMaker', name: 'Spy Dana' },
      { role: 'member', name: 'Ann' },
      { role: 'member', name: 'Bea' },
      { role: 'member', name: 'Cy' },
      { role: 'decisionMaker', name: 'Dee' },
      { role: 'decisionMaker', name: 'Eve' },
      { role: 'decisionMaker', name: 'Flo' }
    ]);
    const [mo, dana, ...others] = people;
    const [c1, c2, c3, c4] = await cards(boardId, ['Spies like this', 'And this', 'Members like this', 'Leads like this']);
    const watched = { mo: record(mo.session), dana: record(dana.session), facilitator: record(facilitator) };
    const boardOf = (token: string) => {
      const b = connectBoard(server.wsUrl, boardId, token);
      open.push({ close: () => b.destroy() });
      return b;
    };
    const [moBoard, danaBoard] = [boardOf(mo.token), boardOf(dana.token)];
    await Promise.all([moBoard.synced, danaBoard.synced]);
    const before = { mo: Y.encodeStateVector(moBoard.doc), dana: Y.encodeStateVector(danaBoard.doc) };
    const csv = async () =>
      (await fetch(`${server.url}/w/${w.id}/export.csv`, { headers: { authorization: `Bearer ${fac.sessionToken}` } })).text();
    const exportBefore = await csv();
    // What a decision maker may download (the briefing and the archive), as text to compare, each
    // without the moment it was made (the two downloads can fall either side of a minute).
    const madeAt = /Briefing made on [^<\n]*? at \d\d:\d\d\./g;
    const briefings = async () =>
      Promise.all(
        ['briefing.csv', 'briefing.md', 'briefing.html', 'briefing.json'].map(async (file) => {
          const res = await fetch(`${server.url}/api/workshops/${w.id}/${file}`, { headers: { authorization: `Bearer ${dana.token}` } });
          expect(res.status, file).toBe(200);
          if (file.endsWith('.json')) return JSON.stringify(archiveContent(await res.json()));
          const text = await res.text();
          if (file.endsWith('.md')) expect(text, file).toMatch(madeAt);
          return text.replace(madeAt, 'Briefing made on (when).');
        })
      );
    const briefingsBefore = await briefings();

    const voteId = await openVote(facilitator, { boardId, on: { kind: 'cards' }, votesPerPerson: 3, maxPerItem: 3 });
    expect(await mo.session.run({ type: 'vote.cast', voteId, itemId: c1 })).toEqual({ ok: true });
    expect(await dana.session.run({ type: 'vote.cast', voteId, itemId: c2 })).toEqual({ ok: true });
    // The others' choices, which the spies must not learn: members all on c3, leads all on c4.
    for (const p of others) {
      const item = others.indexOf(p) < 3 ? c3 : c4;
      for (let i = 0; i < 3; i++) expect(await p.session.run({ type: 'vote.cast', voteId, itemId: item })).toEqual({ ok: true });
    }
    // Everyone's turnout reaches the spies (at a turnout moment)...
    await mo.session.stateWhere(
      (s) => turnoutOf(voteIn(s, voteId)).member?.[0] === 4 && turnoutOf(voteIn(s, voteId)).decisionMaker?.[0] === 4
    );
    await dana.session.stateWhere((s) => turnoutOf(voteIn(s, voteId)).decisionMaker?.[0] === 4);
    await sleep(300);
    const exportOpen = await csv();
    const briefingsOpen = await briefings();
    const heardWhileOpen = { mo: watched.mo.all, dana: watched.dana.all, facilitator: watched.facilitator.all };

    // ...and nothing else about the others: c3 and c4 appear in no event but as the vote's item
    // list, no event but `state` and their own `ballot` reached them, and their ballots are theirs.
    for (const [name, heard] of Object.entries(heardWhileOpen)) {
      const events = new Set(heard.map((h) => h.event));
      for (const e of events) expect(['state', 'ballot', 'facilitator'], `${name} heard ${e}`).toContain(e);
      for (const h of heard) {
        const payload = structuredClone(h.args[0]) as { votes?: PublicVote[] };
        for (const v of payload.votes ?? []) {
          expect(Object.keys(v).sort(), name).toEqual([
            'boardId',
            'id',
            'items',
            'maxPerItem',
            'on',
            'openedAt',
            'turnout',
            'votesPerPerson'
          ]);
          for (const t of v.turnout) expect(Object.keys(t).sort()).toEqual(['eligible', 'role', 'voted']);
          v.items = [];
        }
        const text = JSON.stringify(payload);
        expect(text, `${name} heard ${h.event}`).not.toContain(c3);
        expect(text, `${name} heard ${h.event}`).not.toContain(c4);
        // (The facilitators' own view lists everyone, as it always does; no one else's event names anyone.)
        if (h.event !== 'facilitator') for (const p of others) expect(text, `${name} heard ${h.event}`).not.toContain(p.id);
      }
    }
    const ballots = (heard: Heard[]) => heard.filter((h) => h.event === 'ballot').map((h) => h.args[0] as MyBallot);
    expect(ballots(heardWhileOpen.mo)).toEqual([{ voteId, mine: { [c1]: 1 }, remaining: 2 }]);
    expect(ballots(heardWhileOpen.dana)).toEqual([{ voteId, mine: { [c2]: 1 }, remaining: 2 }]);
    expect(ballots(heardWhileOpen.facilitator)).toEqual([]);
    // The board documents did not change at all, and the export is as it was.
    expect(Y.encodeStateVector(moBoard.doc)).toEqual(before.mo);
    expect(Y.encodeStateVector(danaBoard.doc)).toEqual(before.dana);
    expect(exportOpen).toBe(exportBefore);
    // Nor do the briefing and the archive a decision maker downloads say anything of the open vote.
    expect(briefingsOpen).toEqual(briefingsBefore);

    // Once closed: the totals, naming nobody.
    const results = next<VoteResults>(mo.session, 'voteResults');
    expect(await facilitator.run({ type: 'vote.close', voteId })).toEqual({ ok: true });
    const r = await results;
    expect(Object.fromEntries(r.rows.map((x) => [x.itemId, [x.total, x.byGroup.member, x.byGroup.decisionMaker]]))).toEqual({
      [c1]: [1, 1, 0],
      [c2]: [1, 0, 1],
      [c3]: [9, 9, 0],
      [c4]: [9, 0, 9]
    });
    const text = JSON.stringify(r);
    for (const p of people) {
      expect(text).not.toContain(p.id);
      expect(text).not.toContain(p.name);
    }
    expect(r.commonGround?.map((x) => x.itemId)).toHaveLength(4);
    expect(r.differ?.rows.map((x) => x.itemId).sort()).toEqual([c1, c2, c3, c4].sort());
    // A late joiner gets them too, and an observer gets no ballot.
    const late = await join(server.url, w.links.observer, 'Late Lou');
    const lateSession = await connectSession(server.url, w.id, late.sessionToken);
    open.push({ close: () => lateSession.disconnect() });
    const lateHeard = record(lateSession);
    const lateResults = await next<VoteResults>(lateSession, 'voteResults');
    expect(lateResults).toEqual(r);
    await sleep(200);
    expect(lateHeard.all.filter((h) => h.event === 'ballot')).toEqual([]);
    // And the briefing reads the same from the store.
    expect((await server.running.realtime.store.votes.results(w.id)).map((v) => v.id)).toEqual([voteId]);
  });

  it('[L-VOTE-12] leaves out the words of a card hidden after its vote closed, on connect and on open pages, and gives them back when it is put back', async () => {
    const { w, boardId, facilitator, people } = await workshopWith(server, open, [
      { role: 'member', name: 'Pat' },
      { role: 'member', name: 'Lee' },
      { role: 'member', name: 'Kit' }
    ]);
    const [c1, c2] = await cards(boardId, ['Ring the duty officer on 07700 900123', 'A quiet room at the office']);
    const voteId = await openVote(facilitator, { boardId, on: { kind: 'cards' } });
    for (const p of people) expect(await p.session.run({ type: 'vote.cast', voteId, itemId: c2 })).toEqual({ ok: true });
    const closed = next<VoteResults>(people[0].session, 'voteResults', (r) => r.voteId === voteId);
    expect(await facilitator.run({ type: 'vote.close', voteId })).toEqual({ ok: true });
    const label = (r: VoteResults, id: string) => r.rows.find((row) => row.itemId === id)?.label;
    expect(label(await closed, c1)).toBe('Ring the duty officer on 07700 900123');

    // Hidden after the vote closed: open pages get the results again without its words.
    const from = people[0].session.heard.length;
    expect(await facilitator.run({ type: 'card.hide', boardId, cardId: c1, reason: 'A phone number' })).toEqual({ ok: true });
    const resent = await next<VoteResults>(people[0].session, 'voteResults', (r) => r.voteId === voteId, from);
    expect(label(resent, c1)).toBeNull();
    expect(label(resent, c2)).toBe('A quiet room at the office');
    // And a page opened now never hears them.
    const later = await connectSession(server.url, w.id, people[1].token);
    open.push(later);
    const onConnect = await next<VoteResults>(later, 'voteResults', (r) => r.voteId === voteId);
    expect(label(onConnect, c1)).toBeNull();
    expect(JSON.stringify(later.heard)).not.toContain('07700 900123');

    // Put back: its words are back in the results.
    const before = people[0].session.heard.length;
    expect(await facilitator.run({ type: 'card.restore', boardId, cardId: c1 })).toEqual({ ok: true });
    const back = await next<VoteResults>(people[0].session, 'voteResults', (r) => r.voteId === voteId && label(r, c1) !== null, before);
    expect(label(back, c1)).toBe('Ring the duty officer on 07700 900123');
  });

  it("closes open votes when the workshop ends, and takes a person's ballot with them when they remove their name", async () => {
    const { w, boardId, facilitator, people } = await workshopWith(server, open, [
      { role: 'member', name: 'Mo' },
      { role: 'member', name: 'Ann' }
    ]);
    const [mo, ann] = people;
    const [c1] = await cards(boardId, ['One']);
    const voteId = await openVote(facilitator, { boardId, on: { kind: 'cards' } });
    expect(await mo.session.run({ type: 'vote.cast', voteId, itemId: c1 })).toEqual({ ok: true });
    expect(await ann.session.run({ type: 'vote.cast', voteId, itemId: c1 })).toEqual({ ok: true });
    await facilitator.stateWhere((s) => turnoutOf(voteIn(s, voteId)).member?.[0] === 2);
    expect(await ann.session.run({ type: 'me.forget' })).toEqual({ ok: true });
    expect(await server.running.realtime.store.votes.voters(voteId)).toEqual([mo.id]);
    await facilitator.stateWhere((s) => JSON.stringify(turnoutOf(voteIn(s, voteId)).member) === '[1,1]');
    const results = next<VoteResults>(mo.session, 'voteResults');
    expect(await facilitator.run({ type: 'workshop.end' })).toEqual({ ok: true });
    const r = await results;
    expect(r.voteId).toBe(voteId);
    expect(r.voters).toBeNull(); // one voter left: fewer than 3, so no totals at all
    expect(await server.running.realtime.store.votes.openIn(w.id)).toEqual([]);
    expect(await mo.session.run({ type: 'vote.cast', voteId, itemId: c1 })).toMatchObject({
      ok: false,
      error: { code: 'not_allowed_now' }
    });
    expect(await facilitator.run({ type: 'vote.open', boardId, on: { kind: 'cards' } })).toEqual({
      ok: false,
      error: {
        code: 'not_allowed_now',
        message: 'This workshop has ended. Nothing can be added or changed now, but you can still read the board.'
      }
    });
  });
});

describe('turnout moments', () => {
  const WINDOW = 1000;
  let server: TestServer;
  const open: { close(): void }[] = [];
  beforeAll(async () => {
    server = await startTestServer({ env: { LIMIT_RELEASE_WINDOW_MS: String(WINDOW) } });
  });
  afterAll(async () => {
    for (const c of open.splice(0)) c.close();
    await server?.close();
  });

  it('[L-VOTE-11] shows turnout changes only at moments of the server clock, and nothing at all for a second vote', async () => {
    const { boardId, facilitator, people } = await workshopWith(server, open, [
      { role: 'member', name: 'Watcher' },
      { role: 'member', name: 'Voter' }
    ]);
    const [watcher, voter] = people;
    const [c1, c2] = await server.running.realtime.session.boards.edit(boardId, (b) => [
      b.add({ lane: 'solutions', text: 'One' }),
      b.add({ lane: 'solutions', text: 'Two' })
    ]);
    const voteId = await openVote(facilitator, { boardId, on: { kind: 'cards' } });
    await watcher.session.stateWhere((s) => !!voteIn(s, voteId));
    // Just after a moment, so the next is almost a whole window away.
    await sleep(WINDOW - (Date.now() % WINDOW) + 50);
    const heard = record(watcher.session);
    const castAt = Date.now();
    expect(await voter.session.run({ type: 'vote.cast', voteId, itemId: c1 })).toEqual({ ok: true });
    // Anything else the watcher does shows the turnout of the last moment, not the vote just made.
    expect(await watcher.session.run({ type: 'hand.raise' })).toEqual({ ok: true });
    const raised = await watcher.session.stateWhere((s) => s.queue.length === 1);
    expect(turnoutOf(voteIn(raised, voteId)).member).toEqual([0, 2]);
    const changed = await watcher.session.stateWhere((s) => turnoutOf(voteIn(s, voteId)).member?.[0] === 1, 3 * WINDOW);
    const moment = heard.all.find((h) => h.event === 'state' && turnoutOf(voteIn(h.args[0] as PublicState, voteId)).member?.[0] === 1)!;
    expect(changed).toBeTruthy();
    // It came at the next multiple of the window, not when the vote was made.
    expect(moment.at - castAt).toBeGreaterThan(WINDOW / 2);
    expect(moment.at % WINDOW).toBeLessThan(250);

    // A second vote changes nobody's turnout: nothing reaches the watcher, now or at the next moment.
    const count = heard.all.length;
    expect(await voter.session.run({ type: 'vote.cast', voteId, itemId: c2 })).toEqual({ ok: true });
    await sleep(WINDOW + 300);
    expect(heard.all.slice(count)).toEqual([]);
  });
});
