// The workshop archive without a server: its schema and checks (src/lib/protocol/archive.ts), the
// board conversion both ways (src/lib/board/archive.ts), and the lists that make a new store noun
// or board part fail here until someone decides what the archive does with it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  archiveToBoard,
  boardToArchive,
  BOARD_DOCUMENT_PARTS,
  type AgreedFacts,
  type ConsentFacts,
  type VoteFacts
} from '../../src/lib/board/archive';
import { Board } from '../../src/lib/board/board';
import { addKeyPoint, deleteKeyPoint, readKeyPoints, setKeyPointSource } from '../../src/lib/board/keypoints';
import { addCard, deleteCard, readLanes, writeCard } from '../../src/lib/board/schema';
import { addTheme, readThemes, setCardTheme, setThemeCollapsed } from '../../src/lib/board/themes';
import { sameAsAgreed } from '../../src/lib/domain/agreed';
import { summariseConsent, type ConsentEntry } from '../../src/lib/domain/consent';
import { present, summarise, themeItem } from '../../src/lib/domain/votes';
import { freezePoints, supportFacts } from '../../server/briefing/facts';
import { archiveContent, checkArchive, type Archive } from '../../src/lib/protocol/archive';
import { formatProblem } from '../../src/lib/protocol/archive-format';
import { openMemoryStore } from '../../server/persistence/memory';
import { openSqliteStore } from '../../server/persistence/sqlite/index';
import { STORE_NOUNS } from '../../server/archive';
import { tempDataDir } from '../helpers/server';

/**
 * A board with every kind of thing on it: a closed vote about some of it, a closed consent round on
 * its key points, and two agreed versions (the first with a point deleted since), whose sources
 * have since partly left the board (a card deleted, a card hidden).
 */
function richBoard() {
  const doc = new Y.Doc();
  const q = addCard(doc, 'questions', 'Who decides?');
  const p1 = addCard(doc, 'problems', '<img src=x onerror=alert(1)> letters are hard to read');
  const p2 = writeCard(doc, { lane: 'problems', text: '=HYPERLINK("http://evil.example","click")', anonymous: true, createdAt: 123 });
  const s1 = addCard(doc, 'solutions', 'Plain words', 0);
  const gone = addCard(doc, 'solutions', 'Will be deleted');
  const hidden = addCard(doc, 'problems', 'Words the facilitator will hide');
  const t1 = addTheme(doc, 'Letters');
  const t2 = addTheme(doc, 'Nobody in it');
  setThemeCollapsed(doc, t2, true);
  setCardTheme(doc, p1, t1);
  setCardTheme(doc, s1, t1);
  const k1 = addKeyPoint(doc, 'Write to people in plain words', [p1, themeItem(t1), gone, hidden]);
  const k2 = addKeyPoint(doc, 'Say who decides', [q, p2]);
  const temporary = addKeyPoint(doc, '=SUM(A1) <b>dropped later</b>', [s1]);
  const items = [q, p1, p2, s1, gone];
  const roles = Object.fromEntries(
    ['m1', 'm2', 'm3', 'd1', 'd2', 'd3', 'f1'].map((id) => [id, id[0] === 'm' ? 'member' : id[0] === 'd' ? 'decisionMaker' : 'facilitator'])
  ) as Record<string, 'member' | 'decisionMaker' | 'facilitator'>;
  const eligible = { member: 3, decisionMaker: 3, facilitator: 1 };
  const ballots = [
    { participantId: 'm1', itemId: p1, count: 2 },
    { participantId: 'm2', itemId: p1, count: 1 },
    { participantId: 'm3', itemId: gone, count: 1 },
    { participantId: 'd1', itemId: q, count: 1 },
    { participantId: 'd2', itemId: q, count: 1 },
    { participantId: 'd3', itemId: p1, count: 1 },
    { participantId: 'f1', itemId: s1, count: 1 }
  ];
  const vote: VoteFacts = {
    id: 'vote-1',
    subject: { kind: 'cards' },
    items,
    votesPerPerson: 3,
    maxPerItem: 2,
    openedAt: 1000,
    closedAt: 2000,
    labels: Object.fromEntries(items.map((i) => [i, i === gone ? null : 'label'])),
    summary: summarise(ballots, roles, eligible, items)
  };
  const themeVote: VoteFacts = {
    ...vote,
    id: 'vote-2',
    subject: { kind: 'themes', themes: [t1, 'deleted-theme'] },
    items: [themeItem(t1), themeItem('deleted-theme')],
    labels: { [themeItem(t1)]: 'Letters', [themeItem('deleted-theme')]: 'Old' },
    summary: summarise(
      ballots.map((b) => ({ ...b, itemId: themeItem(t1) })),
      roles,
      eligible,
      [themeItem(t1), themeItem('deleted-theme')]
    )
  };
  const votes = [vote, themeVote];

  // A consent round on the three points, closed: everyone's answers become totals by group.
  const asked = [k1, k2, temporary].map((id) => ({
    id,
    text: readKeyPoints(doc)
      .find((p) => p.id === id)!
      .text.toString()
  }));
  const entries: ConsentEntry[] = Object.keys(roles).flatMap((participantId, i) =>
    asked.map((p, j) => ({ participantId, pointId: p.id, answer: (['agree', 'live', 'object'] as const)[(i + j) % 3] }))
  );
  const round: ConsentFacts = {
    id: 'round-1',
    points: asked,
    openedAt: 2100,
    closedAt: 2500,
    summary: summariseConsent(entries.slice(0, -1), roles, eligible, asked)
  };
  // Agreed as the server agrees them: frozen words, sources and support (server/briefing/facts.ts).
  const authors: Record<string, string> = { [q]: 'm1', [p1]: 'm2', [s1]: 'm1', [gone]: 'd1', [hidden]: 'm3' };
  const freeze = () => {
    const board = new Board(doc);
    const facts = {
      boardId: 'board',
      cards: board.facts(),
      themes: board.themes().map((t) => ({ id: t.id, name: t.name })),
      keyPoints: board.keyPointFacts()
    };
    const support = supportFacts(
      facts,
      (_board, cardId) => authors[cardId] ?? null,
      votes.map((v) => present({ ...v, boardId: 'board' }))
    );
    return freezePoints(facts, support);
  };
  const agreed: AgreedFacts[] = [{ number: 1, agreedAt: 3000, consentId: round.id, points: freeze() }];
  deleteKeyPoint(doc, temporary);
  agreed.push({ number: 2, agreedAt: 4000, consentId: round.id, points: freeze() });
  deleteCard(doc, gone);
  // Hiding takes the card off the board; the store keeps it apart (moderation).
  deleteCard(doc, hidden);
  const kept = { agreed, consent: [round], hidden: [hidden] };
  return { doc, ids: { q, p1, p2, s1, gone, hidden, t1, t2, k1, k2, temporary }, votes, kept };
}

function archiveOf(board: ReturnType<typeof boardToArchive>): Archive {
  return {
    format: 'roundtable-archive',
    version: 1,
    exportedAt: 5000,
    workshop: { title: 'Probation forum', question: 'How do we make letters clear?', createdAt: 1, endedAt: null },
    participants: { facilitator: 1, member: 3, decisionMaker: 3, observer: 0 },
    facilitation: {
      steps: [{ kind: 'welcome', title: 'Welcome' }],
      settings: { anonymousCards: 'optional', decisionMakersAfterMembers: false }
    },
    boards: [board]
  };
}

describe('a board in an archive', () => {
  it('holds every card, theme and key point in board order, numbered in the order they appear', () => {
    const { doc, votes } = richBoard();
    const section = boardToArchive(doc, { id: 'b1', title: 'Main board' }, votes);
    expect(section.cards.map((c) => [c.id, c.lane, c.text])).toEqual([
      ['c1', 'questions', 'Who decides?'],
      ['c2', 'problems', '<img src=x onerror=alert(1)> letters are hard to read'],
      ['c3', 'problems', '=HYPERLINK("http://evil.example","click")'],
      ['c4', 'solutions', 'Plain words']
    ]);
    expect(section.cards.map((c) => c.theme)).toEqual([null, 't1', null, 't1']);
    expect(section.cards.map((c) => c.anonymous)).toEqual([false, false, true, false]);
    expect(section.cards[2].createdAt).toBe(123);
    expect(section.themes).toMatchObject([
      { id: 't1', name: 'Letters', collapsed: false },
      { id: 't2', name: 'Nobody in it', collapsed: true }
    ]);
    // A source that has left the board (deleted, hidden) is named as gone, as on the board.
    expect(section.keyPoints.map((k) => [k.id, k.text, k.sources])).toEqual([
      ['k1', 'Write to people in plain words', ['c2', 'theme:t1', 'x1', 'x2']],
      ['k2', 'Say who decides', ['c1', 'c3']]
    ]);
    expect(JSON.stringify(section)).not.toContain('Words the facilitator will hide');
  });

  it('keeps closed votes with items no longer on the board, each numbered once, and totals in one order', () => {
    const { doc, votes } = richBoard();
    const section = boardToArchive(doc, { id: 'b1', title: 'Main board' }, votes);
    // The deleted card is x1 here as in the key point that names it.
    expect(section.votes[0].items).toEqual([
      { id: 'c1', label: 'label' },
      { id: 'c2', label: 'label' },
      { id: 'c3', label: 'label' },
      { id: 'c4', label: 'label' },
      { id: 'x1', label: null }
    ]);
    expect(section.votes[1].on).toEqual({ kind: 'themes', themes: ['t1', 'x3'] });
    expect(section.votes[1].items.map((i) => i.id)).toEqual(['theme:t1', 'theme:x3']);
    const units = section.votes[0].tallies.map((t) => t.unit);
    expect(units).toEqual(
      [...units].sort(
        (a, b) =>
          ['member', 'decisionMaker', 'facilitator', 'together', 'all'].indexOf(a) -
          ['member', 'decisionMaker', 'facilitator', 'together', 'all'].indexOf(b)
      )
    );
    expect(checkArchive(archiveOf(section))).toMatchObject({ ok: true });
  });

  it('comes back as a board with new ids, the same content, and the same section again', () => {
    const { doc, votes, kept } = richBoard();
    const first = boardToArchive(doc, { id: 'b1', title: 'Main board' }, votes, kept);
    const { doc: copy, votes: copiedVotes, agreed, consent } = archiveToBoard(first);
    // Nothing keeps an old id.
    const oldIds = new Set([...doc.getMap('cards').keys(), ...doc.getMap('themes').keys(), ...doc.getMap('keypoints').keys()]);
    for (const id of [...copy.getMap('cards').keys(), ...copy.getMap('themes').keys(), ...copy.getMap('keypoints').keys()]) {
      expect(oldIds.has(id)).toBe(false);
      expect(id).toMatch(/^[0-9a-f]{24}$/);
    }
    // The same words, lanes, order, themes and key points.
    const words = (d: Y.Doc) => Object.values(readLanes(d)).flatMap((cards) => cards.map((c) => c.text.toString()));
    expect(words(copy)).toEqual(words(doc));
    expect(readThemes(copy).map((t) => [t.name, t.collapsed])).toEqual(readThemes(doc).map((t) => [t.name, t.collapsed]));
    expect(readKeyPoints(copy).map((k) => k.text.toString())).toEqual(readKeyPoints(doc).map((k) => k.text.toString()));
    // Votes point at the new cards.
    const newP1 = [...copy.getMap('cards').keys()].find((id) => readLanes(copy).problems[0].id === id)!;
    expect(copiedVotes[0].items).toContain(newP1);
    expect(copiedVotes[0].summary.tallies.some((t) => t.itemId === newP1)).toBe(true);
    // And the board makes the same section again (the round trip), agreed versions and consent rounds too.
    expect(boardToArchive(copy, { id: 'b1', title: 'Main board' }, copiedVotes, { agreed, consent })).toEqual(first);
  });

  it('cuts words past the page limits (2,000 a card, 500 a key point), which only other clients can write', () => {
    const doc = new Y.Doc();
    const id = addCard(doc, 'questions', 'x');
    (doc.getMap<Y.Map<unknown>>('cards').get(id)!.get('text') as Y.Text).insert(1, 'y'.repeat(3000));
    const k = addKeyPoint(doc, 'k');
    (doc.getMap<Y.Map<unknown>>('keypoints').get(k)!.get('text') as Y.Text).insert(1, 'z'.repeat(900));
    const section = boardToArchive(doc, { id: 'b1', title: 'B' }, []);
    expect(section.cards[0].text).toHaveLength(2000);
    expect(section.keyPoints[0].text).toHaveLength(500);
    expect(checkArchive(archiveOf(section)).ok).toBe(true);
  });

  it('names at most 500 sources of a key point, which only other clients can link, and still imports', () => {
    const doc = new Y.Doc();
    const card = addCard(doc, 'questions', 'x');
    addKeyPoint(doc, 'k', [card, ...Array.from({ length: 700 }, (_, i) => `junk-${i}`)]);
    const section = boardToArchive(doc, { id: 'b1', title: 'B' }, []);
    expect(section.keyPoints[0].sources).toHaveLength(500);
    expect(section.keyPoints[0].sources.slice(0, 2)).toEqual(['c1', 'x1']);
    expect(section.keyPoints[0].sources[499]).toBe('x499');
    expect(checkArchive(archiveOf(section)).ok).toBe(true);
  });

  it('names no one: a board section has no field for an author, and the words are only what people wrote', () => {
    const { doc, votes } = richBoard();
    const section = boardToArchive(doc, { id: 'b1', title: 'Main board' }, votes);
    for (const card of section.cards) expect(Object.keys(card).sort()).toEqual(['anonymous', 'createdAt', 'id', 'lane', 'text', 'theme']);
    // Participant ids of the ballots never reach the archive.
    expect(JSON.stringify(section)).not.toMatch(/"(m1|m2|m3|d1|d2|d3|f1)"/);
  });

  it('loses a key point deleted on the board, and links set later', () => {
    const { doc, ids, votes } = richBoard();
    const k = addKeyPoint(doc, 'Temporary');
    setKeyPointSource(doc, k, ids.q, true);
    deleteKeyPoint(doc, k);
    expect(boardToArchive(doc, { id: 'b1', title: 'B' }, votes).keyPoints).toHaveLength(2);
  });
});

describe("a board's agreed versions and consent rounds in an archive", () => {
  const section = () => {
    const { doc, votes, kept, ids } = richBoard();
    return { ids, kept, doc, section: boardToArchive(doc, { id: 'b1', title: 'Ideas' }, votes, kept) };
  };

  it('keeps every agreed version by number, with its words, sources as they were and support, naming the same things as the board', () => {
    const { section: s } = section();
    expect(s.agreed?.map((v) => [v.number, v.agreedAt, v.consent, v.points.map((p) => p.id)])).toEqual([
      [1, 3000, 'r1', ['k1', 'k2', 'p1']],
      [2, 4000, 'r1', ['k1', 'k2']]
    ]);
    const [k1, k2, dropped] = s.agreed![0].points;
    // The deleted card keeps its words then (the briefing shows them); the card hidden since keeps none.
    expect(k1.sources).toEqual([
      { id: 'c2', kind: 'card', text: '<img src=x onerror=alert(1)> letters are hard to read', lane: 'problems' },
      { id: 'theme:t1', kind: 'theme', text: 'Letters', lane: null, cards: 2 },
      { id: 'x1', kind: 'card', text: 'Will be deleted', lane: 'solutions' },
      { id: 'x2', kind: 'card', text: null, lane: 'problems' }
    ]);
    expect(k1.support).toMatchObject({ cards: 4, people: 4, withoutName: 0, missing: 0 });
    expect(k2.support).toMatchObject({ cards: 2, people: 1, withoutName: 1 });
    expect(k1.support.votes.map((v) => [v.vote, v.items, v.total, v.byGroup, v.together, v.togetherRoles])).toEqual([
      ['v1', 3, 6, { member: 4, decisionMaker: null, facilitator: null }, 2, ['decisionMaker', 'facilitator']],
      ['v2', 1, 8, { member: 4, decisionMaker: null, facilitator: null }, 4, ['decisionMaker', 'facilitator']]
    ]);
    // Formula and HTML are the words they are.
    expect(dropped.text).toBe('=SUM(A1) <b>dropped later</b>');
  });

  it('keeps closed consent rounds as totals by group, in one order, and no answer of anyone', () => {
    const { section: s } = section();
    expect(s.consent).toHaveLength(1);
    const r = s.consent![0];
    expect(r).toMatchObject({ id: 'r1', openedAt: 2100, closedAt: 2500 });
    expect(r.points.map((p) => p.id)).toEqual(['k1', 'k2', 'p1']);
    expect(r.groups).toEqual([
      { role: 'member', eligible: 3, voters: 3, shown: 'own' },
      { role: 'decisionMaker', eligible: 3, voters: 3, shown: 'with-a-small-group' },
      { role: 'facilitator', eligible: 1, voters: 1, shown: 'fewer-than-3' }
    ]);
    // No unit of fewer than 3, and no facilitator on their own.
    expect(new Set(r.tallies.map((t) => t.unit))).toEqual(new Set(['member', 'together', 'all']));
    expect(r.tallies.filter((t) => t.unit === 'all' && t.point === 'k1')).toEqual([
      { unit: 'all', point: 'k1', answer: 'agree', people: 3 },
      { unit: 'all', point: 'k1', answer: 'live', people: 2 },
      { unit: 'all', point: 'k1', answer: 'object', people: 2 }
    ]);
    expect(JSON.stringify(s)).not.toMatch(/"(m1|m2|m3|d1|d2|d3|f1)"|participant|round-1/);
    expect(checkArchive(archiveOf(s))).toMatchObject({ ok: true });
  });

  it('comes back with new ids tied to the new board, so the board has not changed since the version it agreed', () => {
    const { doc, section: s, ids } = section();
    const copy = archiveToBoard(s);
    const points = new Board(copy.doc).keyPointFacts();
    expect(copy.agreed.map((v) => v.number)).toEqual([1, 2]);
    // Agreed points and consent points are the new board's key points; the round is the one the versions follow.
    expect(copy.agreed[1].points.map((p) => p.id)).toEqual(points.map((p) => p.id));
    expect(copy.consent[0].points.slice(0, 2).map((p) => p.id)).toEqual(points.map((p) => p.id));
    expect(copy.agreed.map((v) => v.consentId)).toEqual([copy.consent[0].id, copy.consent[0].id]);
    expect(copy.agreed[0].points[0].support.votes.map((v) => v.voteId)).toEqual(copy.votes.map((v) => v.id));
    // The key point still names the card that left, under the same new id as the version does.
    expect(copy.agreed[1].points[0].sources.map((x) => x.id)).toEqual(points[0].sources);
    expect(sameAsAgreed(copy.agreed[1], points)).toBe(true);
    expect(sameAsAgreed({ points: [] }, new Board(doc).keyPointFacts())).toBe(false);
    // Consent totals as the store keeps them: one item per point and answer, votes = backers.
    for (const t of copy.consent[0].summary.tallies) {
      expect(t.itemId).toMatch(/^[0-9a-f]{24}:(agree|live|object)$/);
      expect(t.votes).toBe(t.backers);
    }
    const oldIds = [ids.k1, ids.k2, ids.temporary, ids.gone, ids.hidden, 'round-1', 'vote-1', 'vote-2'];
    const text = JSON.stringify({ agreed: copy.agreed, consent: copy.consent });
    for (const id of oldIds) expect(text).not.toContain(id);
  });

  it('leaves both out when a board has none, so files read as before', () => {
    const { doc, votes } = richBoard();
    const plain = boardToArchive(doc, { id: 'b1', title: 'Ideas' }, votes);
    expect(Object.keys(plain)).toEqual(['id', 'title', 'cards', 'themes', 'keyPoints', 'votes']);
    const copy = archiveToBoard(plain);
    expect([copy.agreed, copy.consent]).toEqual([[], []]);
  });
});

describe('checking an archive', () => {
  const valid = () => {
    const { doc, votes, kept } = richBoard();
    return archiveOf(boardToArchive(doc, { id: 'b1', title: 'Ideas' }, votes, kept));
  };
  const refusal = (change: (a: any) => void) => {
    const a = structuredClone(valid()) as any;
    change(a);
    const checked = checkArchive(a);
    if (checked.ok) throw new Error('the archive was taken');
    return checked;
  };

  it('takes an archive the export wrote', () => {
    expect(checkArchive(valid())).toMatchObject({ ok: true });
    expect(checkArchive(JSON.parse(JSON.stringify(valid())))).toMatchObject({ ok: true });
  });

  it('refuses what is not an archive, and an archive of a newer version, saying so', () => {
    for (const raw of [null, [], 'text', 42, {}, { format: 'trello-export' }]) {
      expect(checkArchive(raw)).toMatchObject({
        ok: false,
        field: 'format',
        message: expect.stringMatching(/^This file is not a Roundtable archive/)
      });
    }
    expect(refusal((a) => (a.version = 2))).toEqual({
      ok: false,
      field: 'version',
      message:
        'This archive was made by a newer Roundtable (archive version 2). This Roundtable can read version 1: update it, then try again.'
    });
    expect(refusal((a) => delete a.version).message).toBe('This archive has no version this Roundtable can read (it reads version 1).');
    expect(formatProblem({ format: 'roundtable-archive', version: 1 })).toBeNull();
  });

  it('says where a problem is, by board title and card id, in plain words', () => {
    expect(refusal((a) => (a.boards[0].cards[1].text = 'x'.repeat(2001)))).toEqual({
      ok: false,
      field: 'boards[0].cards[1].text',
      message: 'Card c2 on board “Ideas”: its text is longer than 2,000 characters.'
    });
    expect(refusal((a) => delete a.boards[0].cards[0].lane).message).toBe('Card c1 on board “Ideas”: its list is missing.');
    expect(refusal((a) => (a.boards[0].cards[0].lane = 'ideas')).message).toBe(
      'Card c1 on board “Ideas”: its list should be "questions" or "problems" or "solutions".'
    );
    expect(refusal((a) => (a.workshop.title = 7)).message).toBe('The workshop: its title should be text.');
    expect(refusal((a) => (a.boards = [])).message).toBe('The archive: its boards needs at least 1.');
    expect(refusal((a) => (a.boards[0].votes[0].tallies[0].votes = 0)).message).toBe(
      'Total 1 of vote 1 on board “Ideas”: its votes is less than 1.'
    );
    expect(refusal((a) => (a.facilitation.steps[0].kind = 'party')).message).toMatch(
      /^Step 1 of the steps and settings: its kind should be "welcome"/
    );
  });

  it('refuses parts it does not know, rather than dropping them', () => {
    const r = refusal((a) => (a.boards[0].cards[0].author = 'Sam'));
    expect(r).toMatchObject({ field: 'boards[0].cards[0]' });
    expect(r.message).toBe(
      'Card c1 on board “Ideas” has a part this Roundtable does not know (author): it may be from a newer Roundtable.'
    );
    expect(refusal((a) => (a.agreedVersions = [])).message).toMatch(
      /^The archive has a part this Roundtable does not know \(agreedVersions\)/
    );
  });

  it('refuses cards, key points and votes pointing at nothing in the archive', () => {
    expect(refusal((a) => (a.boards[0].cards[0].theme = 'x'))).toEqual({
      ok: false,
      field: 'boards[0].cards[0].theme',
      message:
        'Card c1 on board “Ideas” is in theme x, which is not in the archive. Every card\u2019s theme must be one of that board\u2019s themes.'.replace(
          /\u2019/g,
          "'"
        )
    });
    expect(refusal((a) => (a.boards[0].keyPoints[0].sources = ['c99'])).message).toBe(
      'Key point 1 on board “Ideas” comes from card c99, which is not in the archive.'
    );
    expect(refusal((a) => (a.boards[0].keyPoints[0].sources = ['theme:t9'])).message).toBe(
      'Key point 1 on board “Ideas” comes from theme t9, which is not in the archive.'
    );
    expect(refusal((a) => (a.boards[0].cards[1].id = 'c1')).message).toBe(
      'Card c1 on board “Ideas” has the same id as another card there.'
    );
    expect(refusal((a) => a.boards.push(structuredClone(a.boards[0]))).message).toBe(
      'Board “Ideas” has the id b1, which another board has too.'
    );
  });

  it('refuses vote totals that no vote could have given, or that would show a group of fewer than 3', () => {
    // Two decision makers voted, shown with the lone facilitator: not enough to hide either.
    const small = refusal((a) => {
      const v = a.boards[0].votes[0];
      v.groups[1].voters = 2;
    });
    expect(small.message).toMatch(
      /^Vote 1 on board “Ideas” shows the decision makers as “with-a-small-group”, but with these numbers of voters it must be “fewer-than-3”/
    );
    expect(refusal((a) => (a.boards[0].votes[0].tallies[0].backers = 99)).message).toMatch(/could not have given/);
    expect(refusal((a) => (a.boards[0].votes[0].tallies.find((t: any) => t.unit === 'all').votes += 1)).message).toMatch(
      /not the sum of the groups' totals/
    );
    expect(refusal((a) => (a.boards[0].votes[0].tallies[0].itemId = 'c77')).message).toMatch(/which is not one of its items/);
    expect(refusal((a) => (a.boards[0].votes[0].maxPerItem = 5)).message).toMatch(/allows more votes on one item than each person had/);
    expect(refusal((a) => (a.boards[0].votes[1].items[0].id = 'c1')).message).toMatch(/is about themes, but item c1 is not a theme/);
  });

  it('refuses agreed versions pointing at nothing in the archive, or numbered other than 1, 2, 3…', () => {
    expect(refusal((a) => (a.boards[0].agreed[0].points[0].sources[0].id = 'c99'))).toEqual({
      ok: false,
      field: 'boards[0].agreed[0].points[0].sources[0].id',
      message: 'Point 1 of agreed version 1 on board “Ideas” comes from card c99, which is not in the archive.'
    });
    expect(refusal((a) => (a.boards[0].agreed[1].points[0].sources[1].id = 'theme:t9')).message).toBe(
      'Point 1 of agreed version 2 on board “Ideas” comes from theme t9, which is not in the archive.'
    );
    expect(refusal((a) => (a.boards[0].agreed[0].points[0].sources[0].kind = 'theme')).message).toBe(
      'Point 1 of agreed version 1 on board “Ideas” says c2 is a theme, but it is a card.'
    );
    expect(refusal((a) => (a.boards[0].agreed[1].number = 3))).toEqual({
      ok: false,
      field: 'boards[0].agreed[1].number',
      message:
        'The agreed versions on board “Ideas” are numbered 1, 3. They must be numbered 1, 2, 3… in the order they were agreed, with none left out.'
    });
    expect(refusal((a) => a.boards[0].agreed.reverse()).message).toMatch(/are numbered 2, 1\./);
    expect(refusal((a) => (a.boards[0].agreed[0].number = 0)).message).toBe(
      'Agreed version 1 on board “Ideas”: its number is less than 1.'
    );
    expect(refusal((a) => (a.boards[0].agreed[0].consent = 'r7')).message).toBe(
      'Agreed version 1 on board “Ideas” follows consent round r7, which is not in the archive.'
    );
    expect(refusal((a) => (a.boards[0].agreed[0].points[1].id = 'k1')).message).toBe(
      'Agreed version 1 on board “Ideas” has key point k1 twice.'
    );
    expect(refusal((a) => (a.boards[0].agreed[0].points = [])).message).toBe(
      'Agreed version 1 on board “Ideas”: the points needs at least 1.'
    );
  });

  it('refuses support no vote could have given, and more people than cards', () => {
    const support = (a: any) => a.boards[0].agreed[0].points[0].support;
    expect(refusal((a) => (support(a).people = 5)).message).toBe(
      'Point 1 of agreed version 1 on board “Ideas” counts more people and cards without a name than there are cards behind it.'
    );
    expect(refusal((a) => (support(a).votes[0].vote = 'v9')).message).toBe(
      'Point 1 of agreed version 1 on board “Ideas” counts votes from vote v9, which is not in the archive.'
    );
    expect(refusal((a) => (support(a).votes[0].total = 60)).message).toBe(
      'Point 1 of agreed version 1 on board “Ideas” has totals from vote v1 that it could not have given, or shows a group it does not show.'
    );
    // A group the vote counts with others may not be shown on its own.
    expect(refusal((a) => (support(a).votes[0].byGroup.facilitator = 1)).message).toMatch(/shows a group it does not show/);
    expect(refusal((a) => (support(a).votes[0].groups[0].voters = 30)).message).toBe(
      'Point 1 of agreed version 1 on board “Ideas” counts vote v1 with another time or other numbers of voters than that vote has.'
    );
    expect(refusal((a) => (support(a).votes[0].member = 5)).message).toMatch(
      /^Vote 1 of point 1 of agreed version 1 on board “Ideas” has a part this Roundtable does not know \(member\)/
    );
    expect(refusal((a) => (support(a).votes[0].together += 1)).message).toMatch(/could not have given|not the sum of the groups' votes/);
    expect(refusal((a) => (support(a).votes[0].togetherRoles = ['facilitator'])).message).toBe(
      'Point 1 of agreed version 1 on board “Ideas” counts other groups together than vote v1 does.'
    );
  });

  it('refuses consent totals no round could have kept: more people answering than could, or than answered', () => {
    const round = (a: any) => a.boards[0].consent[0];
    expect(refusal((a) => (round(a).groups[0].voters = 4))).toEqual({
      ok: false,
      field: 'boards[0].consent[0].groups[0].voters',
      message: 'Consent round r1 on board “Ideas” has more members answering than could answer.'
    });
    expect(refusal((a) => (round(a).tallies[0].people = 3)).message).toBe(
      'Consent round r1 on board “Ideas” has more answers from members on key point k1 than people who answered (3).'
    );
    // On the point one person left unanswered, everyone's total can grow by one without passing who answered.
    expect(refusal((a) => round(a).tallies.find((t: any) => t.unit === 'all' && t.point === 'p1').people++).message).toBe(
      "Consent round r1 on board “Ideas” has everyone's total saying “I agree” on key point p1 that is not the sum of the groups' totals."
    );
    expect(refusal((a) => (round(a).tallies[0].unit = 'facilitator')).message).toBe(
      'Consent round r1 on board “Ideas” has totals for facilitators, which may not be shown with these numbers of people answering.'
    );
    expect(refusal((a) => (round(a).tallies[0].point = 'k9')).message).toBe(
      'Consent round r1 on board “Ideas” has a total for key point k9, which it did not ask about.'
    );
    expect(refusal((a) => (round(a).groups[2].shown = 'own')).message).toMatch(
      /^Consent round r1 on board “Ideas” shows the facilitators as “own”, but with these numbers of people answering it must be “fewer-than-3”/
    );
    expect(refusal((a) => (round(a).closedAt = 1)).message).toBe('Consent round r1 on board “Ideas” closed before it opened.');
    expect(refusal((a) => a.boards[0].consent.push(structuredClone(round(a)))).message).toBe(
      'Consent round r1 on board “Ideas” has the same id as another consent round there.'
    );
  });

  it('refuses an open round, anyone’s answers, and words past the limits', () => {
    expect(refusal((a) => (a.boards[0].consent[0].closedAt = null)).message).toBe(
      'Consent round r1 on board “Ideas”: its closing time should be a number.'
    );
    expect(refusal((a) => (a.boards[0].consent[0].answers = [{ participantId: 'm1', point: 'k1', answer: 'agree' }])).message).toBe(
      'Consent round r1 on board “Ideas” has a part this Roundtable does not know (answers): it may be from a newer Roundtable.'
    );
    expect(refusal((a) => (a.boards[0].agreed[0].points[0].text = 'x'.repeat(501)))).toEqual({
      ok: false,
      field: 'boards[0].agreed[0].points[0].text',
      message: 'Point 1 of agreed version 1 on board “Ideas”: its text is longer than 500 characters.'
    });
    expect(refusal((a) => (a.boards[0].agreed[0].points[0].sources[0].text = 'x'.repeat(201))).message).toBe(
      'Source 1 of point 1 of agreed version 1 on board “Ideas”: its text is longer than 200 characters.'
    );
    expect(refusal((a) => (a.boards[0].consent[0].points[0].text = 'x'.repeat(501))).message).toBe(
      'Point 1 of consent round r1 on board “Ideas”: its text is longer than 500 characters.'
    );
  });

  it('takes sources and items named as gone (x1, theme:x2), and refuses any other that names nothing', () => {
    expect(checkArchive(structuredClone(valid()))).toMatchObject({ ok: true });
    const a = structuredClone(valid()) as any;
    a.boards[0].keyPoints[1].sources = ['x40', 'theme:x41'];
    expect(checkArchive(a)).toMatchObject({ ok: true });
    expect(refusal((b) => (b.boards[0].keyPoints[1].sources = ['xyz'])).message).toBe(
      'Key point 2 on board “Ideas” comes from card xyz, which is not in the archive.'
    );
  });

  it('keeps HTML and formula-looking words as the words they are', () => {
    const a = valid();
    const checked = checkArchive(a);
    expect(checked.ok && checked.archive.boards[0].cards.map((c) => c.text)).toEqual(a.boards[0].cards.map((c) => c.text));
    expect(checked.ok && checked.archive.boards[0].agreed).toEqual(a.boards[0].agreed);
    expect(checked.ok && checked.archive.boards[0].consent![0].points[2].text).toBe('=SUM(A1) <b>dropped later</b>');
  });

  it('compares content without the facts about each workshop (when saved, made, ended; how many took part)', () => {
    const a = valid();
    const b = {
      ...structuredClone(a),
      exportedAt: 9,
      workshop: { ...a.workshop, createdAt: 7, endedAt: 8 },
      participants: { facilitator: 1, member: 0, decisionMaker: 0, observer: 0 }
    };
    expect(archiveContent(b)).toEqual(archiveContent(a));
    expect(archiveContent({ ...b, workshop: { ...b.workshop, title: 'Other' } })).not.toEqual(archiveContent(a));
  });
});

describe('what the archive carries, source by source', () => {
  it('says, for every noun of the store, what of it an archive carries or why not', async () => {
    const dir = tempDataDir('roundtable-archive-');
    const stores = [openMemoryStore(), openSqliteStore(path.join(dir, 'nouns.sqlite'))];
    for (const store of stores) {
      const nouns = Object.entries(store)
        .filter(([, v]) => typeof v === 'object' && v !== null)
        .map(([k]) => k)
        .sort();
      expect(nouns).toEqual(Object.keys(STORE_NOUNS).sort());
      await store.close();
    }
    for (const entry of Object.values(STORE_NOUNS)) expect(entry.why.length).toBeGreaterThan(20);
  });

  it('knows every part of a board document that the board modules open', () => {
    const dir = path.resolve('src/lib/board');
    const opened = new Set<string>();
    for (const file of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const m of text.matchAll(/\.get(?:Map|Array|Text|XmlFragment)(?:<[^>]*>)?\(\s*'([^']+)'/g)) opened.add(m[1]);
    }
    expect([...opened].sort()).toEqual(Object.keys(BOARD_DOCUMENT_PARTS).sort());
  });
});
