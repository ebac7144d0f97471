// The briefing, pure: its model from a real board document, the easy-read version's rules, and
// the Markdown's escaping of what people typed.
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board } from '../../src/lib/board/board';
import { buildBriefing, type BriefingInput } from '../../src/lib/domain/briefing';
import { briefingDocument, type Block } from '../../src/lib/domain/briefing-document';
import { themeSource } from '../../src/lib/domain/support';
import { present, summarise, type VoteResults } from '../../src/lib/domain/votes';
import type { AgreedVersion } from '../../src/lib/domain/agreed';
import { briefingMarkdown } from '../../src/lib/server/briefing/markdown';
import { briefingCsv } from '../../src/lib/server/briefing/csv';

const DAY = Date.UTC(2026, 11, 1, 10, 0);

/** A board as a group leaves it: cards by three people and one without a name, a theme, two key points. */
function aBoard() {
  const board = new Board(new Y.Doc());
  const ids = {
    bus: board.add({ lane: 'problems', text: 'No bus after 6pm' }),
    fare: board.add({ lane: 'problems', text: 'Fares cost too much' }),
    anon: board.add({ lane: 'problems', text: 'Staff talk down to us', anonymous: true }),
    mini: board.add({ lane: 'solutions', text: 'An evening minibus' }),
    coach: board.add({ lane: 'solutions', text: 'Peer coaches' }),
    ask: board.add({ lane: 'questions', text: '=1+1' })
  };
  const theme = board.addTheme('Getting there');
  for (const id of [ids.bus, ids.fare, ids.anon]) board.setTheme(id, theme);
  const k1 = board.addKeyPoint('Buses after 6pm', [themeSource(theme)]);
  const k2 = board.addKeyPoint('Peer coaches at the drop-in', [ids.coach]);
  const authors: Record<string, string> = { [ids.bus]: 'ann', [ids.fare]: 'bo', [ids.mini]: 'ann', [ids.coach]: 'cy', [ids.ask]: 'cy' };
  return { board, ids, theme, k1, k2, authors };
}

function vote(items: string[], ballots: [string, 'member' | 'decisionMaker', string][]): VoteResults {
  const roles = Object.fromEntries(ballots.map(([p, r]) => [p, r]));
  const summary = summarise(
    ballots.map(([p, , item]) => ({ participantId: p, itemId: item, count: 1 })),
    roles,
    { member: 4, decisionMaker: 3, facilitator: 1 },
    items
  );
  return present({
    id: 'v1',
    boardId: 'b1',
    subject: { kind: 'cards', lanes: ['solutions'] },
    items,
    votesPerPerson: 3,
    maxPerItem: 3,
    openedAt: DAY,
    closedAt: DAY + 60_000,
    labels: {},
    summary
  });
}

function input(extra: Partial<BriefingInput['boards'][number]> = {}, made = aBoard()): BriefingInput {
  const { board, authors, ids } = made;
  return {
    workshop: {
      id: 'w1',
      title: 'Probation forum',
      question: 'How do we reach people who do not use services?',
      createdAt: DAY,
      endedAt: null
    },
    madeAt: DAY + 3600_000,
    people: [
      { role: 'facilitator', removedAt: null },
      { role: 'member', removedAt: null, representative: true },
      { role: 'member', removedAt: null },
      { role: 'member', removedAt: 5 },
      { role: 'decisionMaker', removedAt: null },
      { role: 'observer', removedAt: null }
    ],
    boards: [
      {
        id: 'b1',
        title: 'Main board',
        cards: board.facts(),
        themes: board.themes(),
        keyPoints: board.keyPointFacts(),
        votes: [
          vote(
            [ids.mini, ids.coach],
            [
              ['m1', 'member', ids.mini],
              ['m2', 'member', ids.mini],
              ['m3', 'member', ids.coach],
              ['d1', 'decisionMaker', ids.coach],
              ['d2', 'decisionMaker', ids.coach],
              ['d3', 'decisionMaker', ids.coach]
            ]
          )
        ],
        agreed: [],
        consent: [],
        hidden: [],
        ...extra
      }
    ],
    authorOf: (_board, cardId) => authors[cardId] ?? null
  };
}

describe('the briefing model', () => {
  it('holds the question, key points with their sources and support, top solutions by vote, themes and who took part, naming nobody', () => {
    const b = buildBriefing(input());
    expect(b.workshop.question).toBe('How do we reach people who do not use services?');
    expect(b.people).toMatchObject({ facilitator: 1, member: 2, decisionMaker: 1, observer: 1, total: 5, representatives: 1 });
    const board = b.boards[0];
    expect(board.keyPoints.status).toBe('draft');
    expect(board.keyPoints.points.map((p) => p.text)).toEqual(['Buses after 6pm', 'Peer coaches at the drop-in']);
    expect(board.keyPoints.points[0].sources).toEqual([expect.objectContaining({ kind: 'theme', text: 'Getting there', hidden: false })]);
    expect(board.keyPoints.points[0].support).toMatchObject({ cards: 3, people: 2, withoutName: 1 });
    // Coaches had 4 votes, the minibus 2: coaches first.
    expect(board.topSolutions.by).toBe('vote');
    expect(board.topSolutions.cards.map((c) => [c.text, c.votes?.total])).toEqual([
      ['Peer coaches', 4],
      ['An evening minibus', 2]
    ]);
    expect(board.themes.map((t) => [t.name, t.cards.length])).toEqual([['Getting there', 3]]);
    expect(board.unthemed.map((c) => c.text)).toEqual(['=1+1', 'An evening minibus', 'Peer coaches']);
    expect(b.context).toMatchObject({ cards: 6, cardsWithoutName: 1, themes: 1, closedVotes: 1, keyPoints: 2 });
    expect(JSON.stringify(b)).not.toMatch(/"(ann|bo|cy|m1|d1)"/);
  });

  it('stands behind the last agreed version, shows what changed since, keeps earlier versions, and hides hidden cards’ words', () => {
    const made = aBoard();
    const { k1, k2, ids } = made;
    const none = { cards: 0, people: 0, withoutName: 0, missing: 0, votes: [] };
    const v = (number: number, points: AgreedVersion['points']): AgreedVersion => ({
      boardId: 'b1',
      number,
      agreedAt: DAY + number,
      consentId: null,
      points
    });
    const agreed = [
      v(1, [{ id: 'old', text: 'An old point', sources: [], support: none }]),
      v(2, [
        {
          id: k1,
          text: 'Buses after 6pm',
          sources: [{ id: ids.bus, kind: 'card', text: 'No bus after 6pm', lane: 'problems' }],
          support: none
        },
        { id: 'gone', text: 'A point since deleted', sources: [], support: none }
      ])
    ];
    const base = input({}, made);
    // The bus card has been hidden: it is not on the board any more.
    base.boards[0].cards = base.boards[0].cards.filter((c) => c.id !== ids.bus);
    base.boards[0].keyPoints = [
      { id: k1, text: 'Buses after 6pm', sources: [ids.bus] },
      { id: k2, text: 'Peer coaches at the drop-in', sources: [] }
    ];
    const b = buildBriefing({ ...base, boards: [{ ...base.boards[0], agreed, hidden: [ids.bus] }] });
    const kp = b.boards[0].keyPoints;
    expect(kp.status).toBe('agreed');
    expect(kp.agreed).toEqual({ number: 2, agreedAt: DAY + 2 });
    expect(kp.points.map((p) => p.text)).toEqual(['Buses after 6pm', 'A point since deleted']);
    expect(kp.points[0].sources[0]).toMatchObject({ text: null, hidden: true });
    expect(kp.changes?.added.map((p) => p.id)).toEqual([k2]);
    expect(kp.changes?.removed.map((p) => p.id)).toEqual(['gone']);
    expect(kp.earlier.map((e) => e.number)).toEqual([1]);
    const text = briefingDocument(b)
      .blocks.map((x) => JSON.stringify(x))
      .join('\n');
    expect(text).toContain('Agreed (version 2,');
    expect(text).toContain('Added: Peer coaches at the drop-in');
    expect(text).toContain('Removed: A point since deleted');
    expect(text).toContain('a card the facilitator has hidden');
    expect(text).not.toContain('No bus after 6pm"');
  });

  it('falls back to the list’s order for solutions when no vote closed on them', () => {
    const b = buildBriefing(input({ votes: [] }));
    expect(b.boards[0].topSolutions).toMatchObject({ by: 'order' });
    expect(b.boards[0].topSolutions.cards.map((c) => c.text)).toEqual(['An evening minibus', 'Peer coaches']);
  });
});

const texts = (blocks: Block[]) =>
  blocks.flatMap((b) =>
    b.kind === 'heading' || b.kind === 'paragraph'
      ? [b.text]
      : b.kind === 'list'
        ? b.items.flatMap((i) => [i.text, ...i.details])
        : [b.caption, ...b.rows.flat()]
  );

describe('easy read', () => {
  it('asks its headings as questions, says one short thing a line, and has no tables', () => {
    const b = buildBriefing(input());
    const doc = briefingDocument(b, 'easy');
    const headings = doc.blocks.filter((x) => x.kind === 'heading');
    expect(headings.length).toBeGreaterThan(4);
    for (const h of headings) expect(h.text).toMatch(/\?$/);
    expect(doc.blocks.some((x) => x.kind === 'table')).toBe(false);
    // Our own sentences are short (15 words at most) and one to a line; what people wrote is theirs.
    const theirs = new Set([
      b.workshop.question,
      ...b.boards[0].keyPoints.points.map((p) => p.text),
      ...b.boards[0].cards.map((c) => c.text)
    ]);
    for (const line of texts(doc.blocks).filter((t) => !theirs.has(t))) {
      expect(line.split(/\s+/).length, line).toBeLessThanOrEqual(15);
      expect(line.split(/[.!?](\s|$)/).filter((s) => s.trim()).length, line).toBeLessThanOrEqual(2);
    }
    expect(texts(doc.blocks)).toContain('2 people wrote cards about this.');
    expect(texts(doc.blocks)).toContain('1 card without a name said this too.');
    expect(doc.subtitle).toMatch(/easy read/);
  });

  it('with several boards, asks each board’s questions under its name, so none is asked twice without saying which board', () => {
    const one = input();
    const second = { ...one.boards[0], id: 'b2', title: 'Housing' };
    const b = buildBriefing({ ...one, boards: [one.boards[0], second] });
    const headings = briefingDocument(b, 'easy').blocks.flatMap((x) => (x.kind === 'heading' ? [`${x.level} ${x.text}`] : []));
    const board = (title: string) => [
      `2 What did we say on the board “${title}”?`,
      '3 What do we want to say?',
      '3 Which ideas did people like most?',
      '3 What groups of ideas did we find?'
    ];
    expect(headings).toEqual([
      '2 What was the question?',
      ...board('Main board'),
      ...board('Housing'),
      '2 Who took part?',
      '2 When was it?',
      '2 Is anyone named?'
    ]);
    // With one board, its questions are the document's own, and no board is named.
    const single = briefingDocument(buildBriefing(one), 'easy').blocks.flatMap((x) =>
      x.kind === 'heading' ? [`${x.level} ${x.text}`] : []
    );
    expect(single.filter((h) => h.includes('What do we want to say?'))).toEqual(['2 What do we want to say?']);
    expect(single.some((h) => h.includes('on the board'))).toBe(false);
  });
});

describe('Markdown', () => {
  it('escapes what people typed, so it stays words: no heading, list, emphasis, link or HTML', () => {
    const hostile = '# Not a heading *bold* [link](http://x) <script>alert(1)</script>';
    const base = input();
    base.boards[0].keyPoints = [{ id: 'k', text: hostile, sources: [] }];
    base.workshop.title = 'Forum | one';
    base.workshop.question = '1. Not a list';
    const md = briefingMarkdown(briefingDocument(buildBriefing(base)));
    expect(md.split('\n')[0]).toBe('# Forum | one');
    expect(md).toMatch(/^1\\\. Not a list$/m);
    expect(md).toContain('\\# Not a heading \\*bold\\* \\[link]\\(http://x) \\<script>alert(1)\\</script>');
    expect(md).not.toMatch(/(^|[^\\])<script>/);
    // Headings and lists of our own are real Markdown.
    expect(md).toMatch(/^## Key points$/m);
    expect(md).toMatch(/^1\. /m);
  });
});

describe('CSV', () => {
  it('lists every card with its list, theme and vote totals, guards formulas, and parses back', () => {
    const csv = briefingCsv(buildBriefing(input()));
    const [head, ...rows] = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    expect(head[3]).toBe('Card');
    expect(rows.map((r) => r[3]).sort()).toEqual([
      "'=1+1",
      'An evening minibus',
      'Fares cost too much',
      'No bus after 6pm',
      'Peer coaches',
      'Staff talk down to us'
    ]);
    const coach = rows.find((r) => r[3] === 'Peer coaches')!;
    expect(coach.slice(6, 10)).toEqual(['4', '1', '3', '0']);
    expect(rows.find((r) => r[3] === 'Staff talk down to us')?.slice(4, 7)).toEqual(['Getting there', 'yes', '']);
  });
});
