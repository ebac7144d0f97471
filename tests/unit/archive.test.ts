// The workshop archive without a server: its schema and checks (src/lib/protocol/archive.ts), the
// board conversion both ways (src/lib/board/archive.ts), and the lists that make a new store noun
// or board part fail here until someone decides what the archive does with it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { archiveToBoard, boardToArchive, BOARD_DOCUMENT_PARTS, type VoteFacts } from '../../src/lib/board/archive';
import { addKeyPoint, deleteKeyPoint, readKeyPoints, setKeyPointSource } from '../../src/lib/board/keypoints';
import { addCard, deleteCard, readLanes, writeCard } from '../../src/lib/board/schema';
import { addTheme, readThemes, setCardTheme, setThemeCollapsed } from '../../src/lib/board/themes';
import { summarise, themeItem } from '../../src/lib/domain/votes';
import { archiveContent, checkArchive, type Archive } from '../../src/lib/protocol/archive';
import { formatProblem } from '../../src/lib/protocol/archive-format';
import { openMemoryStore } from '../../server/persistence/memory';
import { openSqliteStore } from '../../server/persistence/sqlite/index';
import { STORE_NOUNS } from '../../server/archive';
import { tempDataDir } from '../helpers/server';

/** A board with every kind of thing on it, and a closed vote about some of it. */
function richBoard() {
  const doc = new Y.Doc();
  const q = addCard(doc, 'questions', 'Who decides?');
  const p1 = addCard(doc, 'problems', '<img src=x onerror=alert(1)> letters are hard to read');
  const p2 = writeCard(doc, { lane: 'problems', text: '=HYPERLINK("http://evil.example","click")', anonymous: true, createdAt: 123 });
  const s1 = addCard(doc, 'solutions', 'Plain words', 0);
  const gone = addCard(doc, 'solutions', 'Will be deleted');
  const t1 = addTheme(doc, 'Letters');
  const t2 = addTheme(doc, 'Nobody in it');
  setThemeCollapsed(doc, t2, true);
  setCardTheme(doc, p1, t1);
  setCardTheme(doc, s1, t1);
  const k1 = addKeyPoint(doc, 'Write to people in plain words', [p1, themeItem(t1), gone]);
  addKeyPoint(doc, 'Say who decides', [q]);
  const items = [q, p1, p2, s1, gone];
  const roles = Object.fromEntries(
    ['m1', 'm2', 'm3', 'd1', 'd2', 'd3', 'f1'].map((id) => [id, id[0] === 'm' ? 'member' : id[0] === 'd' ? 'decisionMaker' : 'facilitator'])
  ) as Record<string, 'member' | 'decisionMaker' | 'facilitator'>;
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
    summary: summarise(ballots, roles, { member: 3, decisionMaker: 3, facilitator: 1 }, items)
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
      { member: 3, decisionMaker: 3, facilitator: 1 },
      [themeItem(t1), themeItem('deleted-theme')]
    )
  };
  deleteCard(doc, gone);
  return { doc, ids: { q, p1, p2, s1, gone, t1, t2, k1 }, votes: [vote, themeVote] };
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
    // A source that has left the board is not written (the import would refuse it).
    expect(section.keyPoints.map((k) => [k.id, k.text, k.sources])).toEqual([
      ['k1', 'Write to people in plain words', ['c2', 'theme:t1']],
      ['k2', 'Say who decides', ['c1']]
    ]);
  });

  it('keeps closed votes with items no longer on the board, each numbered once, and totals in one order', () => {
    const { doc, votes } = richBoard();
    const section = boardToArchive(doc, { id: 'b1', title: 'Main board' }, votes);
    expect(section.votes[0].items).toEqual([
      { id: 'c1', label: 'label' },
      { id: 'c2', label: 'label' },
      { id: 'c3', label: 'label' },
      { id: 'c4', label: 'label' },
      { id: 'x1', label: null }
    ]);
    expect(section.votes[1].on).toEqual({ kind: 'themes', themes: ['t1', 'x2'] });
    expect(section.votes[1].items.map((i) => i.id)).toEqual(['theme:t1', 'theme:x2']);
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
    const { doc, votes } = richBoard();
    const first = boardToArchive(doc, { id: 'b1', title: 'Main board' }, votes);
    const { doc: copy, votes: copiedVotes } = archiveToBoard(first);
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
    // And the board makes the same section again (the round trip).
    expect(boardToArchive(copy, { id: 'b1', title: 'Main board' }, copiedVotes)).toEqual(first);
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

describe('checking an archive', () => {
  const valid = () => {
    const { doc, votes } = richBoard();
    return archiveOf(boardToArchive(doc, { id: 'b1', title: 'Ideas' }, votes));
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

  it('keeps HTML and formula-looking words as the words they are', () => {
    const a = valid();
    const checked = checkArchive(a);
    expect(checked.ok && checked.archive.boards[0].cards.map((c) => c.text)).toEqual(a.boards[0].cards.map((c) => c.text));
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
