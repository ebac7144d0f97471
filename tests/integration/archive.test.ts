// The workshop archive with the real server, real sockets and a real SQLite file: a workshop filled
// by real clients (named and anonymous cards, a hidden card, themes, key points, a closed vote, a
// closed consent round, two agreed versions, its own steps) is exported, imported and exported
// again; the archive parses back to what the board holds and names nobody; the new workshop's
// board and briefing show the agreed versions; bad archives are refused with plain words and
// nothing stored, nothing already there lost. Titles cite the rules of docs/LIMITS.md they prove.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { Board } from '../../src/lib/board/board';
import { readLanes } from '../../src/lib/board/schema';
import { addKeyPoint, readKeyPoints, setKeyPointSource } from '../../src/lib/board/keypoints';
import { sameAsAgreed } from '../../src/lib/domain/agreed';
import type { AgreedVersion, ConsentResults } from '../../src/lib/protocol/session';
import { readThemes } from '../../src/lib/board/themes';
import { archiveContent, checkArchive, type Archive } from '../../src/lib/protocol/archive';
import { databasePath } from '../../server/persistence/sqlite/index';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { freePort, spawnServer } from '../helpers/process-server';
import {
  api,
  connectBoard,
  connectSession,
  join,
  until,
  type BoardClient,
  type CreatedWorkshop,
  type SessionClient
} from '../helpers/clients';
import type { Command } from '../../src/lib/protocol/session';
import { workshopWith } from '../helpers/workshop';

let server: TestServer;
const open: { close(): void }[] = [];
const boards: BoardClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const b of boards.splice(0)) b.destroy();
  for (const o of open.splice(0)) o.close();
  await server?.close();
});

const NAMES = ['Fay', 'Morgana', 'Anahita', 'Lioba', 'Deepika', 'Rajesh', 'Kimiko', 'Obiora'];
const HTML = '<img src=x onerror="alert(1)"> <b>letters</b> are hard to read';
const FORMULA = '=HYPERLINK("http://evil.example","Click here")';
/** A card linked to a key point after the vote, agreed, then hidden: its words must not travel. */
const HIDDEN_LATER = 'Words hidden after the key points were agreed';

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

async function board(boardId: string, token: string): Promise<BoardClient> {
  const client = connectBoard(server.wsUrl, boardId, token);
  boards.push(client);
  await client.synced;
  return client;
}

async function exportOf(workshopId: string, token: string): Promise<{ res: Response; text: string; archive: Archive }> {
  const res = await fetch(`${server.url}/api/workshops/${workshopId}/briefing.json`, bearer(token));
  const text = await res.text();
  return { res, text, archive: JSON.parse(text) as Archive };
}

const importArchive = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${server.url}/api/workshops/import`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function errorOf(res: Response, status: number, code: string) {
  const text = await res.text();
  expect({ status: res.status, text }).toMatchObject({ status });
  expect(res.headers.get('content-type')).toContain('application/json');
  const body = JSON.parse(text);
  expect(body.error.code).toBe(code);
  expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  return body.error as { code: string; message: string; field?: string };
}

/** Rows in the tables an import writes, read from the database file itself. */
function rowCounts(): Record<string, number> {
  const db = new Database(databasePath(server.dataDir), { readonly: true, fileMustExist: true });
  try {
    const out: Record<string, number> = {};
    for (const t of [
      'workshops',
      'boards',
      'board_snapshots',
      'board_updates',
      'invites',
      'participants',
      'workshop_state',
      'votes',
      'vote_tallies',
      'agreed_keypoints',
      'consent_rounds',
      'consent_answers'
    ]) {
      out[t] = (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    }
    return out;
  } finally {
    db.close();
  }
}

/** A workshop filled the way people fill one, by real clients. */
async function filledWorkshop() {
  const { w, boardId, fac, facilitator, people } = await workshopWith(server, open, [
    { role: 'member', name: 'Morgana' },
    { role: 'member', name: 'Anahita' },
    { role: 'member', name: 'Lioba' },
    { role: 'decisionMaker', name: 'Deepika' },
    { role: 'decisionMaker', name: 'Rajesh' },
    { role: 'decisionMaker', name: 'Kimiko' },
    { role: 'observer', name: 'Obiora' }
  ]);
  const [morgan, ana, li, deepa, raj, kim, obi] = people;
  const run = async <C extends Command>(who: SessionClient, command: C) => {
    const result = await who.run(command);
    if (!result.ok) throw new Error(`${command.type} refused: ${result.error.message}`);
    return result;
  };
  await run(facilitator, { type: 'settings.update', anonymousCards: 'optional' });
  await run(facilitator, {
    type: 'phases.set',
    phases: [
      { kind: 'welcome', title: 'Hello everyone' },
      { kind: 'silent', title: 'Write on your own' },
      { kind: 'vote', title: 'Choose' }
    ]
  });

  const facBoard = await board(boardId, fac.sessionToken);
  const b = new Board(facBoard.doc);
  const q = b.add({ lane: 'questions', text: 'Who reads the letters before they are sent?' });
  const html = b.add({ lane: 'problems', text: HTML });
  const formula = b.add({ lane: 'solutions', text: FORMULA });
  const hidden = b.add({ lane: 'problems', text: 'Words the facilitator took off the board' });
  const theme = b.addTheme('Letters');
  b.setTheme(html, theme);
  b.addTheme('Money');
  const memberBoard = await board(boardId, morgan.token);
  new Board(memberBoard.doc).add({ lane: 'solutions', text: 'Ring people before writing' });
  // Anonymous: written by the server's peer at the next release moment.
  await run(ana.session, { type: 'card.addAnonymous', boardId, lane: 'problems', text: 'I could not read mine' });
  await until(facBoard.doc, () => Object.values(readLanes(facBoard.doc)).flat().length === 6);
  const anonymous = Object.values(readLanes(facBoard.doc))
    .flat()
    .find((c) => c.anonymous)!.id;
  addKeyPoint(facBoard.doc, 'Letters must be in plain words', [html, `theme:${theme}`, anonymous, hidden]);
  addKeyPoint(facBoard.doc, 'Someone should read them first', [q]);
  await until(memberBoard.doc, () => readKeyPoints(memberBoard.doc).length === 2 && readThemes(memberBoard.doc).length === 2);
  await run(facilitator, { type: 'card.hide', boardId, cardId: hidden, reason: 'Off topic' });

  const opened = await run(facilitator, { type: 'vote.open', boardId, on: { kind: 'cards' } });
  const voteId = (opened as { voteId: string }).voteId;
  for (const [who, item] of [
    [morgan, html],
    [ana, html],
    [li, anonymous],
    [deepa, q],
    [raj, html],
    [kim, formula]
  ] as const) {
    await run(who.session, { type: 'vote.cast', voteId, itemId: item });
  }
  await run(facilitator, { type: 'vote.close', voteId });

  // A card linked after the vote; a consent round on the two points, closed; the points agreed,
  // one edited and agreed again; then that card hidden.
  const late = b.add({ lane: 'problems', text: HIDDEN_LATER });
  const [first, second] = readKeyPoints(facBoard.doc);
  setKeyPointSource(facBoard.doc, second.id, late, true);
  await until(memberBoard.doc, () => readKeyPoints(memberBoard.doc)[1]?.sources.includes(late) ?? false);
  const consentId = ((await run(facilitator, { type: 'consent.open', boardId })) as { consentId: string }).consentId;
  for (const [who, answers] of [
    [morgan, ['agree', 'agree']],
    [ana, ['agree', 'live']],
    [li, ['live', 'object']],
    [deepa, ['agree', 'agree']],
    [raj, ['object', 'agree']],
    [kim, ['agree', 'live']]
  ] as const) {
    await run(who.session, { type: 'consent.answer', consentId, pointId: first.id, answer: answers[0] });
    await run(who.session, { type: 'consent.answer', consentId, pointId: second.id, answer: answers[1] });
  }
  await run(facilitator, { type: 'consent.close', consentId });
  await run(facilitator, { type: 'keypoints.agree', boardId });
  first.text.insert(first.text.length, ', and said out loud');
  await until(memberBoard.doc, () => readKeyPoints(memberBoard.doc)[0]?.text.toString().endsWith('out loud') ?? false);
  await run(facilitator, { type: 'keypoints.agree', boardId });
  await run(facilitator, { type: 'card.hide', boardId, cardId: late, reason: 'Names someone' });
  void obi;
  return { w, boardId, fac, facilitator, people, ids: { q, html, formula, hidden, anonymous, theme, late } };
}

describe('export, import, export again', () => {
  let filled: Awaited<ReturnType<typeof filledWorkshop>>;
  let first: Awaited<ReturnType<typeof exportOf>>;
  beforeAll(async () => {
    filled = await filledWorkshop();
    first = await exportOf(filled.w.id, filled.fac.sessionToken);
  });

  it('the facilitator downloads the whole workshop as one JSON file', () => {
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(first.res.headers.get('content-disposition')).toMatch(
      /^attachment; filename=".+-archive\.json"; filename\*=UTF-8''.+%20archive\.json$/
    );
    expect(first.res.headers.get('cache-control')).toBe('no-store');
    // What the export writes, the import takes.
    expect(checkArchive(first.archive)).toMatchObject({ ok: true });
    expect(first.archive).toMatchObject({
      format: 'roundtable-archive',
      version: 1,
      workshop: { title: 'Test workshop', question: 'How can we help?', endedAt: null },
      participants: { facilitator: 1, member: 3, decisionMaker: 3, observer: 1 },
      facilitation: {
        steps: [
          { kind: 'welcome', title: 'Hello everyone' },
          { kind: 'silent', title: 'Write on your own' },
          { kind: 'vote', title: 'Choose' }
        ],
        settings: { anonymousCards: 'optional', decisionMakersAfterMembers: false }
      }
    });
  });

  it('parses back to what the board holds: every card on it, as it is, and not the hidden one', async () => {
    const reader = await board(filled.boardId, filled.people[1].token);
    const lanes = readLanes(reader.doc);
    const themes = new Map(readThemes(reader.doc).map((t) => [t.id, t.name]));
    const section = first.archive.boards[0];
    const archivedThemes = new Map(section.themes.map((t) => [t.id, t.name]));
    expect(section.cards.map((c) => [c.lane, c.text, c.anonymous, c.theme && archivedThemes.get(c.theme)])).toEqual(
      Object.values(lanes)
        .flat()
        .map((c) => [c.lane, c.text.toString(), c.anonymous, (c.theme && themes.get(c.theme)) ?? null])
    );
    expect(section.cards.map((c) => c.text)).toContain(HTML);
    expect(section.cards.map((c) => c.text)).toContain(FORMULA);
    expect(first.text).not.toContain('Words the facilitator took off the board');
    expect(section.themes.map((t) => t.name)).toEqual(['Letters', 'Money']);
    // The hidden cards are still named by the key points, as something that has left the board.
    expect(section.keyPoints.map((k) => [k.text, k.sources])).toEqual([
      [
        'Letters must be in plain words, and said out loud',
        [expect.stringMatching(/^c\d+$/), 'theme:t1', expect.stringMatching(/^c\d+$/), 'x1']
      ],
      ['Someone should read them first', [expect.stringMatching(/^c\d+$/), 'x2']]
    ]);
    expect(section.votes).toHaveLength(1);
    const all = section.votes[0].tallies.filter((t) => t.unit === 'all');
    const htmlId = section.cards.find((c) => c.text === HTML)!.id;
    expect(all.find((t) => t.itemId === htmlId)).toMatchObject({ votes: 3, backers: 3 });
  });

  it("carries the agreed versions and the closed consent round: words, sources and support as agreed, totals by group, nobody's answers", () => {
    const section = first.archive.boards[0];
    expect(section.agreed?.map((v) => [v.number, v.consent, v.points.map((p) => [p.id, p.text])])).toEqual([
      [
        1,
        'r1',
        [
          ['k1', 'Letters must be in plain words'],
          ['k2', 'Someone should read them first']
        ]
      ],
      [
        2,
        'r1',
        [
          ['k1', 'Letters must be in plain words, and said out loud'],
          ['k2', 'Someone should read them first']
        ]
      ]
    ]);
    const [, readFirst] = section.agreed![1].points;
    // The card hidden after it was agreed is named, without its words (as in the briefing).
    expect(readFirst.sources).toEqual([
      {
        id: section.cards.find((c) => c.text.startsWith('Who reads'))!.id,
        kind: 'card',
        text: 'Who reads the letters before they are sent?',
        lane: 'questions'
      },
      { id: 'x2', kind: 'card', text: null, lane: 'problems' }
    ]);
    expect(first.text).not.toContain(HIDDEN_LATER);
    // Support counts the card's writer once, and the vote's totals on it.
    expect(readFirst.support).toMatchObject({ cards: 2, people: 1, withoutName: 0, missing: 0 });
    expect(readFirst.support.votes).toEqual([expect.objectContaining({ vote: 'v1', total: 1 })]);

    expect(section.consent).toHaveLength(1);
    const round = section.consent![0];
    expect(round.points.map((p) => p.id)).toEqual(['k1', 'k2']);
    expect(round.groups.map((g) => [g.role, g.voters, g.shown])).toEqual([
      ['member', 3, 'own'],
      ['decisionMaker', 3, 'own'],
      ['facilitator', 0, 'own']
    ]);
    const all = (point: string, answer: string) =>
      round.tallies.find((t) => t.unit === 'all' && t.point === point && t.answer === answer)?.people;
    expect([all('k1', 'agree'), all('k1', 'live'), all('k1', 'object')]).toEqual([4, 1, 1]);
    expect([all('k2', 'agree'), all('k2', 'live'), all('k2', 'object')]).toEqual([3, 2, 1]);
    expect(JSON.stringify(round)).not.toMatch(/participant|answers/);
    const counts = rowCounts();
    expect(counts.consent_answers).toBe(0);
  });

  it('names nobody: no display name, participant id, token, or the workshop and board ids', () => {
    for (const name of NAMES) expect(first.text).not.toContain(name);
    for (const p of filled.people) {
      expect(first.text).not.toContain(p.id);
      expect(first.text).not.toContain(p.token);
    }
    expect(first.text).not.toContain(filled.w.id);
    expect(first.text).not.toContain(filled.boardId);
    expect(first.text).not.toContain(filled.ids.anonymous);
    for (const card of first.archive.boards[0].cards) expect(Object.keys(card)).not.toContain('author');
  });

  it('imports into a new workshop answered like creating one, and exports again with the same content', async () => {
    const res = await importArchive(first.archive);
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedWorkshop & { title: string; question: string };
    expect(Object.keys(created).sort()).toEqual(['after', 'boards', 'code', 'id', 'links', 'question', 'title']);
    // A workshop made from a file follows none (nothing in it leads back to the old one).
    expect(created).toMatchObject({
      after: null,
      title: 'Test workshop',
      question: 'How can we help?',
      code: expect.stringMatching(/^[A-Z2-9]{6}$/)
    });
    // A present link of its own too: an archive carries no token.
    expect(Object.keys(created.links).sort()).toEqual(['decisionMaker', 'facilitator', 'member', 'observer', 'present']);
    expect(created.id).not.toBe(filled.w.id);
    expect(created.boards).toHaveLength(1);
    expect(created.boards[0].id).not.toBe(filled.boardId);

    const fac = await join(server.url, created.links.facilitator, 'Fay');
    const again = await exportOf(created.id, fac.sessionToken);
    expect(again.res.status).toBe(200);
    expect(archiveContent(again.archive)).toEqual(archiveContent(first.archive));
    expect(again.archive.participants).toEqual({ facilitator: 1, member: 0, decisionMaker: 0, observer: 0 });
    expect(again.archive.workshop.endedAt).toBeNull();

    // The new board holds the words as words, under new ids.
    const reader = await board(created.boards[0].id, fac.sessionToken);
    const cards = Object.values(readLanes(reader.doc)).flat();
    expect(cards.map((c) => c.text.toString())).toEqual(first.archive.boards[0].cards.map((c) => c.text));
    for (const c of cards) expect(c.id).toMatch(/^[0-9a-f]{24}$/);
    expect(cards.map((c) => c.id)).not.toContain(filled.ids.html);
    // The steps and settings came along; the session's state did not.
    const session = await connectSession(server.url, created.id, fac.sessionToken);
    open.push({ close: () => session.disconnect() });
    const state = await session.stateWhere(() => true);
    expect(state.phases.map((p) => p.title)).toEqual(['Hello everyone', 'Write on your own', 'Choose']);
    expect(state).toMatchObject({ phaseIndex: 0, settings: { anonymousCards: 'optional' }, lockedBoards: [], round: null, ended: false });
    // The closed vote's results arrive as they do in any workshop, naming the new cards.
    await expect.poll(() => session.heard.filter((h) => h.event === 'voteResults').length).toBe(1);
    const results = session.heard.find((h) => h.event === 'voteResults')!.args[0] as {
      boardId: string;
      rows: { itemId: string; label: string; total: number }[];
    };
    expect(results.boardId).toBe(created.boards[0].id);
    const top = results.rows[0];
    expect(top.total).toBe(3);
    expect(cards.find((c) => c.id === top.itemId)?.text.toString()).toBe(HTML);

    // The agreed versions and the consent round's results arrive as in any workshop, tied to the
    // new board and its key points: the board has not changed since version 2 was agreed.
    await expect.poll(() => session.heard.filter((h) => h.event === 'agreedKeyPoints').length).toBe(2);
    const versions = session.heard.filter((h) => h.event === 'agreedKeyPoints').map((h) => h.args[0] as AgreedVersion);
    expect(versions.map((v) => [v.boardId, v.number])).toEqual([
      [created.boards[0].id, 1],
      [created.boards[0].id, 2]
    ]);
    const pointsNow = new Board(reader.doc).keyPointFacts();
    expect(versions[1].points.map((p) => p.id)).toEqual(pointsNow.map((p) => p.id));
    expect(sameAsAgreed(versions[1], pointsNow)).toBe(true);
    expect(sameAsAgreed(versions[0], pointsNow)).toBe(false);
    const consent = session.heard.find((h) => h.event === 'consentResults')!.args[0] as ConsentResults;
    expect(consent.boardId).toBe(created.boards[0].id);
    expect(versions[1].consentId).toBe(consent.consentId);
    expect(consent.points.map((p) => [p.pointId, p.answers.agree.total])).toEqual([
      [pointsNow[0].id, 4],
      [pointsNow[1].id, 3]
    ]);
    // The briefing stands behind version 2, shows version 1 as earlier, and the consent round.
    const md = await fetch(`${server.url}/api/workshops/${created.id}/briefing.md`, bearer(fac.sessionToken));
    expect(md.status).toBe(200);
    const briefing = await md.text();
    expect(briefing).toMatch(/Agreed \(version 2, /);
    expect(briefing).toContain('Letters must be in plain words, and said out loud');
    expect(briefing).toMatch(/Earlier: version 1, agreed /);
    expect(briefing).toContain('Consent round');
    expect(briefing).not.toContain(HIDDEN_LATER);
    // The next version agreed in the new workshop is number 3.
    const docPoints = readKeyPoints(reader.doc);
    docPoints[1].text.insert(docPoints[1].text.length, ' and checked');
    // Agreed once the server has the change (until then: nothing has changed since version 2).
    await expect
      .poll(async () => {
        const r = await session.run({ type: 'keypoints.agree', boardId: created.boards[0].id });
        return r.ok ? (r as { number: number }).number : r.error.message;
      })
      .toBe(3);

    // The spreadsheet of the new workshop parses back to the same cards, formulas guarded, no names.
    const csv = await fetch(`${server.url}/w/${created.id}/export.csv`, bearer(fac.sessionToken));
    expect(csv.status).toBe(200);
    const text = await csv.text();
    for (const name of NAMES.filter((n) => n !== 'Fay')) expect(text).not.toContain(name);
    const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, '')).data.filter((r) => r.length > 1);
    expect(rows[0]).toEqual(['Board', 'List', 'Position', 'Card', 'Posted without a name']);
    const cells = rows.slice(1).map((r) => r[3]);
    expect(cells).toContain(HTML);
    expect(cells).toContain(`'${FORMULA}`);
    expect(cells.map((c) => c.replace(/^'/, '')).sort()).toEqual(first.archive.boards[0].cards.map((c) => c.text).sort());
    expect(
      rows
        .slice(1)
        .filter((r) => r[4] === 'yes')
        .map((r) => r[3])
    ).toEqual(['I could not read mine']);
  });

  it('gives the same archive to a decision maker; members (unless representatives, tests/integration/briefing.test.ts), observers and outsiders get none', async () => {
    const [, , , deepa, , , obi] = filled.people;
    expect(archiveContent((await exportOf(filled.w.id, deepa.token)).archive)).toEqual(archiveContent(first.archive));
    const path = `/api/workshops/${filled.w.id}/briefing.json`;
    for (const token of [filled.people[0].token, obi.token]) {
      const res = await fetch(server.url + path, bearer(token));
      expect(await errorOf(res, 403, 'forbidden')).toMatchObject({
        message: 'Only facilitators, decision makers and the group’s representatives can download the whole workshop.'
      });
    }
    await errorOf(await fetch(server.url + path), 401, 'not_signed_in');
    // Another workshop's facilitator, and a workshop that does not exist: the same answer.
    const other = await workshopWith(server, open, []);
    await errorOf(await fetch(server.url + path, bearer(other.fac.sessionToken)), 401, 'not_signed_in');
    await errorOf(
      await fetch(`${server.url}/api/workshops/000000000000000000000000/briefing.json`, bearer(other.fac.sessionToken)),
      401,
      'not_signed_in'
    );
  });

  it('[L-ARCHIVE-1] takes an archive of 2 MB, within the board document limit', async () => {
    const base = structuredClone(first.archive);
    const words = 'Plain words please, and a phone call first. '.repeat(45).slice(0, 1990);
    base.boards[0].cards = Array.from({ length: 1100 }, (_, i) => ({
      id: `c${i + 1}`,
      lane: (['questions', 'problems', 'solutions'] as const)[i % 3],
      text: `${i + 1}: ${words}`,
      createdAt: 1_700_000_000_000 + i,
      anonymous: i % 2 === 0,
      theme: i % 5 === 0 ? 't1' : null
    }));
    base.boards[0].keyPoints = [];
    base.boards[0].votes = [];
    // (What the agreed versions and the round named is gone: kept, they would be refused.)
    delete base.boards[0].agreed;
    delete base.boards[0].consent;
    const body = JSON.stringify(base);
    expect(body.length).toBeGreaterThan(2 * 1024 * 1024);
    const res = await importArchive(body);
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedWorkshop;
    const fac = await join(server.url, created.links.facilitator, 'Fay');
    const reader = await board(created.boards[0].id, fac.sessionToken);
    expect(Object.values(readLanes(reader.doc)).flat()).toHaveLength(1100);
    expect(archiveContent((await exportOf(created.id, fac.sessionToken)).archive).boards[0].cards).toEqual(
      // The export lists cards lane by lane.
      [...base.boards[0].cards]
        .sort((a, b) => ['questions', 'problems', 'solutions'].indexOf(a.lane) - ['questions', 'problems', 'solutions'].indexOf(b.lane))
        .map((c, i) => ({ ...c, id: `c${i + 1}` }))
    );
  });
});

describe('bad archives are refused, and nothing is stored or lost', () => {
  let sample: Archive;
  let before: Record<string, number>;
  let existing: { id: string; token: string; content: unknown };
  beforeAll(async () => {
    const filled = await filledWorkshop();
    sample = (await exportOf(filled.w.id, filled.fac.sessionToken)).archive;
    existing = { id: filled.w.id, token: filled.fac.sessionToken, content: archiveContent(sample) };
    before = rowCounts();
  });
  const changed = (change: (a: any) => void) => {
    const a = structuredClone(sample) as any;
    change(a);
    return a;
  };

  it('[L-ARCHIVE-3] a file that is not an archive, or of a newer version: 422 saying which', async () => {
    const wrong = await errorOf(await importArchive({ title: 'A Trello board', lists: [] }), 422, 'invalid_archive');
    expect(wrong).toMatchObject({ field: 'format', message: expect.stringMatching(/^This file is not a Roundtable archive/) });
    const newer = await errorOf(await importArchive(changed((a) => (a.version = 2))), 422, 'invalid_archive');
    expect(newer).toEqual({
      code: 'invalid_archive',
      field: 'version',
      message:
        'This archive was made by a newer Roundtable (archive version 2). This Roundtable can read version 1: update it, then try again.'
    });
  });

  it('[L-ARCHIVE-2] a body that is not JSON, not an object, or not sent as JSON', async () => {
    await errorOf(await importArchive('{"format": "roundtable-archive", "version": 1, '), 400, 'invalid_json');
    await errorOf(await importArchive('[1, 2]'), 400, 'invalid_input');
    await errorOf(await importArchive(JSON.stringify(sample), { 'content-type': 'application/xml' }), 415, 'invalid_json');
  });

  it('[L-ARCHIVE-4, L-ARCHIVE-5] cards pointing nowhere, and parts it does not know: 422 naming the card and board', async () => {
    const nowhere = await errorOf(await importArchive(changed((a) => (a.boards[0].cards[0].theme = 't99'))), 422, 'invalid_archive');
    expect(nowhere).toEqual({
      code: 'invalid_archive',
      field: 'boards[0].cards[0].theme',
      message:
        "Card c1 on board “Main board” is in theme t99, which is not in the archive. Every card's theme must be one of that board's themes."
    });
    const source = await errorOf(await importArchive(changed((a) => (a.boards[0].keyPoints[1].sources = ['c40']))), 422, 'invalid_archive');
    expect(source.message).toBe('Key point 2 on board “Main board” comes from card c40, which is not in the archive.');
    const agreedSource = await errorOf(
      await importArchive(changed((a) => (a.boards[0].agreed[0].points[1].sources[0].id = 'c40'))),
      422,
      'invalid_archive'
    );
    expect(agreedSource).toEqual({
      code: 'invalid_archive',
      field: 'boards[0].agreed[0].points[1].sources[0].id',
      message: 'Point 2 of agreed version 1 on board “Main board” comes from card c40, which is not in the archive.'
    });
    const numbers = await errorOf(await importArchive(changed((a) => (a.boards[0].agreed[1].number = 5))), 422, 'invalid_archive');
    expect(numbers.message).toBe(
      'The agreed versions on board “Main board” are numbered 1, 5. They must be numbered 1, 2, 3… in the order they were agreed, with none left out.'
    );
    const author = await errorOf(await importArchive(changed((a) => (a.boards[0].cards[0].author = 'Sam'))), 422, 'invalid_archive');
    expect(author.message).toMatch(/^Card c1 on board “Main board” has a part this Roundtable does not know \(author\)/);
    const long = await errorOf(await importArchive(changed((a) => (a.boards[0].cards[1].text = 'x'.repeat(2001)))), 422, 'invalid_archive');
    expect(long).toMatchObject({
      field: 'boards[0].cards[1].text',
      message: 'Card c2 on board “Main board”: its text is longer than 2,000 characters.'
    });
  });

  it('[L-ARCHIVE-6] vote totals no vote could have given: 422', async () => {
    const forged = await errorOf(
      await importArchive(changed((a) => (a.boards[0].votes[0].tallies.find((t: { unit: string }) => t.unit === 'all').votes += 5))),
      422,
      'invalid_archive'
    );
    expect(forged.message).toMatch(/^Vote 1 on board “Main board” /);
    // More members answering than could answer; more answers on a point than people who answered.
    const crowd = await errorOf(await importArchive(changed((a) => (a.boards[0].consent[0].groups[0].voters = 9))), 422, 'invalid_archive');
    expect(crowd.message).toBe('Consent round r1 on board “Main board” has more members answering than could answer.');
    const answers = await errorOf(
      await importArchive(changed((a) => (a.boards[0].consent[0].tallies[0].people = 3))),
      422,
      'invalid_archive'
    );
    expect(answers.message).toMatch(
      /^Consent round r1 on board “Main board” has more answers from members on key point k1 than people who answered \(3\)\.$/
    );
    const support = await errorOf(
      await importArchive(changed((a) => (a.boards[0].agreed[0].points[0].support.votes[0].total = 40))),
      422,
      'invalid_archive'
    );
    expect(support.message).toMatch(
      /^Point 1 of agreed version 1 on board “Main board” has totals from vote v1 that it could not have given/
    );
  });

  it('a consent round still open, or with anyone’s answers, is refused: 422', async () => {
    const open = await errorOf(await importArchive(changed((a) => (a.boards[0].consent[0].closedAt = null))), 422, 'invalid_archive');
    expect(open).toMatchObject({ field: 'boards[0].consent[0].closedAt' });
    const answers = await errorOf(
      await importArchive(changed((a) => (a.boards[0].consent[0].answers = { Morgana: { k1: 'agree' } }))),
      422,
      'invalid_archive'
    );
    expect(answers.message).toMatch(/^Consent round r1 on board “Main board” has a part this Roundtable does not know \(answers\)/);
  });

  it('[L-ARCHIVE-1] a body over the board document limit: 413, however it is sent', async () => {
    const huge = JSON.stringify({ ...sample, padding: 'x'.repeat(21 * 1024 * 1024) });
    const refused = await errorOf(await importArchive(huge), 413, 'payload_too_large');
    expect(refused.message).toBe('This file is larger than an archive can be here (20 MiB). Nothing was made.');
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 21; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024 * 1024)));
        controller.close();
      }
    });
    const streamed = await fetch(`${server.url}/api/workshops/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half'
    } as RequestInit);
    await errorOf(streamed, 413, 'payload_too_large');
    // The small limit still holds everywhere else.
    const small = await fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'T', question: 'x'.repeat(20_000) })
    });
    await errorOf(small, 413, 'payload_too_large');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('HTML and formulas in text are kept as the words they are, never refused', async () => {
    const res = await importArchive(changed((a) => (a.boards[0].cards[0].text = '<script>alert("x")</script> =1+1')));
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedWorkshop;
    const fac = await join(server.url, created.links.facilitator, 'Fay');
    const reader = await board(created.boards[0].id, fac.sessionToken);
    expect(readLanes(reader.doc).questions[0].text.toString()).toBe('<script>alert("x")</script> =1+1');
    before = rowCounts();
  });

  it('after every refusal, nothing new is stored and what was there is as it was', async () => {
    for (const bad of [
      changed((a) => (a.version = 3)),
      changed((a) => (a.boards[0].cards[0].theme = 'nope')),
      changed((a) => delete a.boards[0].cards[2].lane),
      changed((a) => (a.boards[1] = { ...a.boards[0] })),
      changed((a) => (a.boards[0].agreed[1].number = 1)),
      changed((a) => (a.boards[0].agreed[0].consent = 'r2')),
      changed((a) => (a.boards[0].consent[0].tallies[0].people += 1))
    ]) {
      expect((await importArchive(bad)).status).toBe(422);
    }
    expect(rowCounts()).toEqual(before);
    expect(archiveContent((await exportOf(existing.id, existing.token)).archive)).toEqual(existing.content);
  });
});

describe('how many, how often', () => {
  it('[L-ARCHIVE-8] reads at most 4 archives at once; more are asked to try again, and taken once one is done', async () => {
    const holds: ReadableStreamDefaultController<Uint8Array>[] = [];
    const pending = Array.from({ length: 4 }, () =>
      fetch(`${server.url}/api/workshops/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream<Uint8Array>({
          start(controller) {
            holds.push(controller);
            controller.enqueue(new TextEncoder().encode('{"format": "roundtable-archive", '));
          }
        }),
        duplex: 'half'
      } as RequestInit)
    );
    await expect.poll(async () => (await importArchive({})).status, { timeout: 10_000 }).toBe(429);
    const busy = await errorOf(await importArchive({}), 429, 'rate_limited');
    expect(busy.message).toBe('Several workshops are being made from files right now. Try again in a minute.');
    for (const c of holds) {
      c.enqueue(new TextEncoder().encode('"version": 7}'));
      c.close();
    }
    for (const res of await Promise.all(pending)) expect(res.status).toBe(422);
    expect((await importArchive({})).status).toBe(422);
  });

  it('[L-ARCHIVE-9] counts against the workshops an address may create an hour', async () => {
    const limited = await startTestServer({ env: { LIMIT_CREATE_PER_HOUR: '2' } });
    try {
      const w = await api(limited.url, '/api/workshops', { title: 'One', question: 'Q?' });
      expect(w.status).toBe(201);
      const fac = await join(limited.url, w.body.links.facilitator, 'Fay');
      const archive = (await (
        await fetch(`${limited.url}/api/workshops/${w.body.id}/briefing.json`, bearer(fac.sessionToken))
      ).json()) as Archive;
      const post = () =>
        fetch(`${limited.url}/api/workshops/import`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(archive)
        });
      expect((await post()).status).toBe(201);
      await errorOf(await post(), 429, 'rate_limited');
    } finally {
      await limited.close();
    }
  });

  it('[L-ARCHIVE-7] refuses a board that would be larger than a board document may be, storing nothing', async () => {
    const small = await startTestServer({ env: { LIMIT_DOC_BYTES: String(256 * 1024), LIMIT_MESSAGE_BYTES: String(64 * 1024) } });
    try {
      const archive = {
        format: 'roundtable-archive',
        version: 1,
        exportedAt: 1,
        workshop: { title: 'Big', question: 'Q?', createdAt: 1, endedAt: null },
        participants: { facilitator: 1, member: 0, decisionMaker: 0, observer: 0 },
        facilitation: {
          steps: [{ kind: 'welcome', title: 'Welcome' }],
          settings: { anonymousCards: 'off', decisionMakersAfterMembers: false }
        },
        boards: [
          {
            id: 'b1',
            title: 'Fits',
            cards: [{ id: 'c1', lane: 'questions', text: 'Small', createdAt: 1, anonymous: false, theme: null }],
            themes: [],
            keyPoints: [],
            votes: []
          },
          {
            id: 'b2',
            title: 'Too big',
            // Under the body limit as JSON, over it as a board: the archive's short ids become
            // 24-character ones, so many short cards in a theme cost more in the document.
            cards: Array.from({ length: 2500 }, (_, i) => ({
              id: `c${i}`,
              lane: 'questions',
              text: '',
              createdAt: 0,
              anonymous: false,
              theme: 't'
            })),
            themes: [{ id: 't', name: 'T', collapsed: false, createdAt: 0 }],
            keyPoints: [],
            votes: []
          }
        ]
      };
      const body = JSON.stringify(archive);
      expect(body.length).toBeLessThan(256 * 1024);
      const res = await fetch(`${small.url}/api/workshops/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body
      });
      const error = await errorOf(res, 413, 'payload_too_large');
      expect(error).toMatchObject({
        field: 'boards[1]',
        message: 'Board “Too big” is larger than a board can be here (256 KiB). Nothing was made.'
      });
      const db = new Database(databasePath(small.dataDir), { readonly: true });
      expect((db.prepare('SELECT COUNT(*) AS n FROM workshops').get() as { n: number }).n).toBe(0);
      db.close();
    } finally {
      await small.close();
    }
  });
});

// Pages with forms run in a server of their own process (see tests/integration/names.test.ts).
describe("the start page's form, without scripts", () => {
  it("[L-ARCHIVE-3] shows a bad file's problem in the error summary, and a form past the small limit is 413, not an error", async () => {
    const proc = await spawnServer(tempDataDir(), await freePort());
    try {
      const post = (form: FormData) =>
        fetch(`${proc.url}/?/import`, {
          method: 'POST',
          body: form,
          headers: { origin: proc.url, accept: 'text/html' },
          redirect: 'manual'
        });
      const form = (contents: string, name = '') => {
        const f = new FormData();
        f.set('archive', new Blob([contents], { type: 'application/json' }), 'saved.json');
        f.set('import-name', name);
        return f;
      };
      const wrong = await post(form('{"title": "not an archive"}'));
      expect(wrong.status).toBe(422);
      const page = await wrong.text();
      expect(page).toContain('There is a problem');
      expect(page).toContain('This file is not a Roundtable archive.');
      expect(page).toContain('href="#archive"');
      const notJson = await post(form('<html>'));
      expect(notJson.status).toBe(400);
      // A name that the rules refuse is said before the file is read.
      const named = await post(form('{}', 'Decision maker'));
      expect(named.status).toBe(400);
      expect(await named.text()).toContain('href="#import-name"');
      const none = new FormData();
      none.set('import-name', '');
      expect(await (await post(none)).text()).toContain('Choose a file to start from');
      // Every other form is held to the small limit (16 KiB) as it is read: 413, as before.
      const big = await fetch(`${proc.url}/?/create`, {
        method: 'POST',
        body: new URLSearchParams({ title: 'T', question: 'q'.repeat(20_000), name: '' }),
        headers: { origin: proc.url, accept: 'text/html' },
        redirect: 'manual'
      });
      expect(big.status).toBe(413);
      expect((await fetch(`${proc.url}/healthz`)).status).toBe(200);
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
  });
});
