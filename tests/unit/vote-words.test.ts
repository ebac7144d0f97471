// What a vote says on the page (src/lib/domain/vote-words.ts): a person's votes and the turnout
// in plain words while it is open, and the results as the page draws them once it closes (bars
// per role group as shares of each group's votes, the notes on groups not shown on their own,
// common ground, where views differ). Results are made by the real rules (summarise, present)
// from ballots, as the server makes them.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PHASES } from '../../src/lib/domain/facilitation';
import { present, summarise, type Ballot, type BallotEntry, type VotingRole } from '../../src/lib/domain/votes';
import {
  chartRows,
  commonGroundLines,
  differLines,
  differMissing,
  explainLimits,
  groupNotes,
  mineWords,
  movingWords,
  ordinal,
  placeWords,
  remainingWords,
  resultColumns,
  turnoutParts,
  turnoutShort
} from '../../src/lib/domain/vote-words';

/** Results from ballots keyed m1, d1, f1... (the first letter is the group), as the server makes them at the close. */
function results(
  spec: Record<string, Ballot>,
  items: string[],
  eligible = { member: 9, decisionMaker: 4, facilitator: 1 },
  gone: string[] = []
) {
  const byLetter: Record<string, VotingRole> = { m: 'member', d: 'decisionMaker', f: 'facilitator' };
  const entries: BallotEntry[] = [];
  const roles: Record<string, VotingRole> = {};
  for (const [who, b] of Object.entries(spec)) {
    roles[who] = byLetter[who[0]];
    for (const [itemId, count] of Object.entries(b)) entries.push({ participantId: who, itemId, count });
  }
  return present({
    id: 'v1',
    boardId: 'b1',
    subject: { kind: 'cards' },
    items,
    votesPerPerson: 3,
    maxPerItem: 3,
    openedAt: 1,
    closedAt: 2,
    labels: Object.fromEntries(items.map((i) => [i, gone.includes(i) ? null : `card ${i}`])),
    summary: summarise(entries, roles, eligible, items)
  });
}

describe('while a vote is open', () => {
  it('says the limits in plain words, with the same budget for every group', () => {
    expect(explainLimits({ votesPerPerson: 3, maxPerItem: 3 }, { kind: 'cards' })).toBe(
      'Everyone has 3 votes. Decision makers and facilitators have the same number as members. You can put all 3 on one card, or share them out.'
    );
    expect(explainLimits({ votesPerPerson: 5, maxPerItem: 2 }, { kind: 'themes' })).toBe(
      'Everyone has 5 votes. Decision makers and facilitators have the same number as members. You can put up to 2 on one theme.'
    );
    expect(explainLimits({ votesPerPerson: 4, maxPerItem: 1 }, { kind: 'cards' })).toMatch(/You can put only 1 vote on each card\.$/);
    expect(explainLimits({ votesPerPerson: 1, maxPerItem: 1 }, { kind: 'cards' })).toBe(
      'Everyone has 1 vote. Decision makers and facilitators have the same number as members.'
    );
  });

  it('says how many votes a person has left, and their own votes on an item', () => {
    expect(remainingWords(1)).toBe('You have 1 vote left');
    expect(remainingWords(3)).toBe('You have 3 votes left');
    expect(remainingWords(0)).toBe('You have no votes left');
    expect(movingWords(3)).toBe('To move a vote, take one back first.');
    expect(movingWords(1)).toBe('To move your vote, take it back first.');
    expect(mineWords(0)).toBe('');
    expect(mineWords(1)).toBe('1 of your votes');
    expect(mineWords(2)).toBe('2 of your votes');
  });

  it('says turnout per group, and does not count a group of fewer than 3 out loud', () => {
    expect(
      turnoutParts([
        { role: 'member', voted: 7, eligible: 9 },
        { role: 'decisionMaker', voted: 1, eligible: 4 },
        { role: 'facilitator', voted: 1, eligible: 1 }
      ])
    ).toEqual(['7 of 9 members have voted', '1 of 4 decision makers has voted', 'Facilitators: fewer than 3, so not counted here']);
    expect(
      turnoutParts([
        { role: 'member', voted: 0, eligible: 3 },
        { role: 'decisionMaker', voted: 3, eligible: 3 },
        { role: 'facilitator', voted: 0, eligible: 0 }
      ])
    ).toEqual(['None of the 3 members has voted yet', 'All 3 decision makers have voted']);
    // In a few words, for the bar at the bottom of a phone: the groups of 3 or more.
    expect(
      turnoutShort([
        { role: 'member', voted: 7, eligible: 9 },
        { role: 'decisionMaker', voted: 0, eligible: 4 },
        { role: 'facilitator', voted: 1, eligible: 1 }
      ])
    ).toBe('Voted so far: 7 of 9 members · 0 of 4 decision makers');
    expect(turnoutShort([{ role: 'facilitator', voted: 1, eligible: 2 }])).toBe('');
  });
});

describe('results', () => {
  it('draw a bar per group as its share of that group’s votes, so a small group weighs as much as a large one', () => {
    // 6 members (18 votes) and 3 decision makers (9 votes): "a" has a third of each group's votes.
    const r = results(
      {
        m1: { a: 2, b: 1 },
        m2: { a: 2, b: 1 },
        m3: { a: 2, b: 1 },
        m4: { b: 3 },
        m5: { b: 3 },
        m6: { b: 2, c: 1 },
        d1: { a: 3 },
        d2: { c: 3 },
        d3: { c: 3 }
      },
      ['a', 'b', 'c', 'd'],
      { member: 9, decisionMaker: 4, facilitator: 2 },
      ['d']
    );
    expect(resultColumns(r).map((c) => [c.key, c.title, c.voters, c.votes])).toEqual([
      ['member', 'Members', 6, 18],
      ['decisionMaker', 'Decision makers', 3, 9]
    ]);
    const chart = chartRows(r)!;
    expect(chart.map((row) => [row.label, row.total, row.bars.map((b) => `${b.votes} ${b.percent} ${b.width}`)])).toEqual([
      ['card b', 11, ['11 61% 91.7', '0 0% 0']],
      ['card a', 9, ['6 33% 50', '3 33% 50']],
      ['card c', 7, ['1 6% 8.3', '6 67% 100']],
      ['(no longer on the board)', 0, ['0 0% 0', '0 0% 0']]
    ]);
    // The widest bar is the largest share on the chart (decision makers' 67% on "c").
    expect(Math.max(...chart.flatMap((row) => row.bars.map((b) => b.width)))).toBe(100);
    const d = chart.find((row) => row.itemId === 'd')!;
    expect([d.label, d.gone, d.total]).toEqual(['(no longer on the board)', true, 0]);
    expect(groupNotes(r)).toEqual(['Members: 6 of 9 voted.', 'Decision makers: 3 of 4 voted.', 'Facilitators: nobody voted.']);
  });

  it('say why a group is not shown on its own, and where its votes are counted', () => {
    // A lone facilitator beside 3 members and 3 decision makers: decision makers go in with them.
    const r = results({ m1: { a: 1 }, m2: { a: 1 }, m3: { b: 1 }, d1: { a: 1 }, d2: { b: 1 }, d3: { b: 1 }, f1: { b: 3 } }, ['a', 'b']);
    expect(resultColumns(r).map((c) => c.title)).toEqual(['Members', 'Decision makers and facilitators']);
    expect(groupNotes(r)).toEqual([
      'Members: 3 of 9 voted.',
      'Decision makers: not shown on their own, so that the votes of a smaller group cannot be worked out. Their votes are counted together with facilitators (the column “Decision makers and facilitators”) and in the totals.',
      'Facilitators: fewer than 3 people voted, so their votes are not shown on their own. Their votes are counted together with decision makers (the column “Decision makers and facilitators”) and in the totals.'
    ]);
    expect(chartRows(r)!.every((row) => row.bars.length === 2)).toBe(true);
  });

  it('show no totals at all when fewer than 3 people voted, and say so', () => {
    const r = results({ m1: { a: 1 }, d1: { b: 1 } }, ['a', 'b']);
    expect(chartRows(r)).toBeNull();
    expect(resultColumns(r)).toEqual([]);
    expect(groupNotes(r)).toEqual(['Fewer than 3 people voted, so no totals are shown. This keeps everyone’s votes private.']);
    expect(commonGroundLines(r)).toBeNull();
    expect(differLines(r)).toBeNull();
    expect(differMissing(r)).toBe('Fewer than 3 people voted.');
  });

  it('list common ground: only what every group backs, best first, with who backs it', () => {
    const r = results(
      {
        m1: { a: 1, b: 2 },
        m2: { a: 1, b: 2 },
        m3: { b: 3 },
        d1: { a: 1, c: 2 },
        d2: { a: 3 },
        d3: { c: 3 }
      },
      ['a', 'b', 'c']
    );
    expect(commonGroundLines(r)).toEqual([
      { itemId: 'a', label: 'card a', gone: false, percent: '67%', support: 'members 2 of 3, decision makers 2 of 3' }
    ]);
  });

  it('list where views differ, saying which group put each item higher and where', () => {
    const r = results(
      {
        m1: { a: 3 },
        m2: { a: 2, b: 1 },
        m3: { a: 1, c: 2 },
        d1: { b: 3 },
        d2: { b: 3 },
        d3: { c: 1, a: 1 }
      },
      ['a', 'b', 'c']
    );
    const differ = differLines(r)!;
    expect(differ.between).toEqual(['members', 'decision makers']);
    // Most different first: "b" (3rd and 1st), then "a" (1st, and tied with "c" for decision makers).
    expect(differ.lines).toEqual([
      {
        itemId: 'b',
        label: 'card b',
        gone: false,
        higher: 'Decision makers put it higher',
        places: '3rd for members, 1st for decision makers'
      },
      {
        itemId: 'a',
        label: 'card a',
        gone: false,
        higher: 'Members put it higher',
        places: '1st for members, joint 2nd for decision makers'
      },
      {
        itemId: 'c',
        label: 'card c',
        gone: false,
        higher: 'Members put it higher',
        places: '2nd for members, joint 2nd for decision makers'
      }
    ]);
    expect(differLines(r, 1)!.lines.map((l) => l.itemId)).toEqual(['b']);
  });

  it('say why views cannot be compared when decision makers are too few to show apart', () => {
    const r = results({ m1: { a: 1 }, m2: { a: 1 }, m3: { b: 1 }, m4: { a: 1 }, m5: { c: 1 }, d1: { c: 3 } }, ['a', 'b', 'c']);
    expect(differLines(r)).toBeNull();
    expect(differMissing(r)).toMatch(/cannot be shown apart/);
    const none = results({ m1: { a: 1 }, m2: { a: 1 }, m3: { b: 1 } }, ['a', 'b']);
    expect(differMissing(none)).toBe('It needs votes from both members and decision makers.');
  });

  it('name places in words, ties as joint', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th'
    ]);
    expect(placeWords([5, 3, 3, 1], 3)).toBe('joint 2nd');
    expect(placeWords([5, 3, 3, 1], 1)).toBe('4th');
  });
});

describe('the steps', () => {
  it('offer a Vote step by default, after Discuss and before Agree, now that voting works (issue 11 asked for it only then)', () => {
    const kinds = DEFAULT_PHASES.map((p) => p.kind);
    expect(kinds).toContain('vote');
    expect(kinds.indexOf('vote')).toBeGreaterThan(kinds.indexOf('discuss'));
    expect(kinds.indexOf('vote')).toBeLessThan(kinds.indexOf('agree'));
  });

  it('offer a Group step by default, after Discuss and before Vote: cards into themes, then votes on them', () => {
    const kinds = DEFAULT_PHASES.map((p) => p.kind);
    expect(kinds.indexOf('group')).toBeGreaterThan(kinds.indexOf('discuss'));
    expect(kinds.indexOf('group')).toBeLessThan(kinds.indexOf('vote'));
  });
});
