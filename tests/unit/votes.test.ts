// Dot voting's pure rules (src/lib/domain/votes.ts) and what a vote is about on a board
// (src/lib/board/board.ts): budgets and the limit per item, turnout, tallies by role group,
// which groups may be shown (never one of fewer than 3 voters, not even by subtraction), and the
// two views of the results.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board } from '../../src/lib/board/board';
import { addCard, deleteCard } from '../../src/lib/board/schema';
import { addTheme, deleteTheme, setCardTheme } from '../../src/lib/board/themes';
import type { Role } from '../../src/lib/domain/roles';
import {
  cast,
  fractionalRanks,
  move,
  present,
  remaining,
  retract,
  shownGroups,
  summarise,
  tallyByGroup,
  themeItem,
  turnout,
  used,
  voteLimits,
  votingRoles,
  VOTING_ROLES,
  type Ballot,
  type BallotEntry,
  type ClosedVoteFacts,
  type VoteLimits,
  type VotingRole
} from '../../src/lib/domain/votes';

const limits: VoteLimits = { votesPerPerson: 3, maxPerItem: 2 };

/** Casts in order; the ballot after the last one allowed, and which were refused. */
function castAll(items: string[], l = limits): { ballot: Ballot; refused: number[] } {
  let ballot: Ballot = {};
  const refused: number[] = [];
  items.forEach((item, i) => {
    const r = cast(ballot, item, l);
    if (r.ok) ballot = r.value;
    else refused.push(i);
  });
  return { ballot, refused };
}

describe('vote limits', () => {
  it('default to 3 votes each, and as many on one item as a person has', () => {
    expect(voteLimits({})).toEqual({ ok: true, value: { votesPerPerson: 3, maxPerItem: 3 } });
    expect(voteLimits({ votesPerPerson: 5 })).toEqual({ ok: true, value: { votesPerPerson: 5, maxPerItem: 5 } });
    expect(voteLimits({ votesPerPerson: 5, maxPerItem: 1 })).toEqual({ ok: true, value: { votesPerPerson: 5, maxPerItem: 1 } });
  });

  it('refuse budgets outside 1 to 10, and more on one item than a person has', () => {
    for (const bad of [{ votesPerPerson: 0 }, { votesPerPerson: 11 }, { votesPerPerson: 2.5 }, { votesPerPerson: 3, maxPerItem: 0 }]) {
      expect(voteLimits(bad).ok, JSON.stringify(bad)).toBe(false);
    }
    const r = voteLimits({ votesPerPerson: 2, maxPerItem: 3 });
    expect(r).toEqual({ ok: false, message: 'The most votes on one item (3) cannot be more than each person has (2).' });
  });
});

describe('a ballot', () => {
  it('takes votes up to the budget, then refuses, saying how to move one', () => {
    const { ballot, refused } = castAll(['a', 'b', 'c', 'd']);
    expect(ballot).toEqual({ a: 1, b: 1, c: 1 });
    expect(refused).toEqual([3]);
    expect(used(ballot)).toBe(3);
    expect(remaining(ballot, limits)).toBe(0);
    expect(cast(ballot, 'd', limits)).toEqual({ ok: false, message: 'You have used all 3 votes. Take one back to move it.' });
  });

  it('holds each item to the limit per item', () => {
    const { ballot, refused } = castAll(['a', 'a', 'a', 'b']);
    expect(ballot).toEqual({ a: 2, b: 1 });
    expect(refused).toEqual([2]);
    expect(cast({ a: 2 }, 'a', limits)).toEqual({ ok: false, message: 'You can put at most 2 votes on one item.' });
    expect(cast({ a: 1 }, 'a', { votesPerPerson: 3, maxPerItem: 1 })).toEqual({
      ok: false,
      message: 'You can put at most 1 vote on one item.'
    });
  });

  it('gives votes back one at a time, and refuses to take back what is not there', () => {
    expect(retract({ a: 2, b: 1 }, 'a')).toEqual({ ok: true, value: { a: 1, b: 1 } });
    expect(retract({ a: 1, b: 1 }, 'a')).toEqual({ ok: true, value: { b: 1 } });
    expect(retract({ b: 1 }, 'a')).toEqual({ ok: false, message: 'You have no vote on that to take back.' });
    expect(remaining({ b: 1 }, limits)).toBe(2);
  });

  it('moves a vote only when both the retract and the cast are allowed', () => {
    expect(move({ a: 1, b: 1, c: 1 }, 'a', 'd', limits)).toEqual({ ok: true, value: { b: 1, c: 1, d: 1 } });
    // A full budget is no obstacle to a move: the vote taken back is the one put down.
    expect(move({ a: 2, b: 1 }, 'b', 'a', limits).ok).toBe(false); // a is at its limit
    expect(move({ a: 1 }, 'z', 'a', limits).ok).toBe(false); // nothing on z
    expect(move({ a: 2, b: 1 }, 'a', 'b', limits)).toEqual({ ok: true, value: { a: 1, b: 2 } });
  });

  it('never exceeds the budget or the item limit, whatever the order of casts and retracts', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 200; trial++) {
      const l = { votesPerPerson: 1 + Math.floor(random() * 10), maxPerItem: 1 };
      l.maxPerItem = 1 + Math.floor(random() * l.votesPerPerson);
      let ballot: Ballot = {};
      for (let step = 0; step < 40; step++) {
        const item = 'abcde'[Math.floor(random() * 5)];
        const r = random() < 0.7 ? cast(ballot, item, l) : retract(ballot, item);
        if (r.ok) ballot = r.value;
        expect(used(ballot)).toBeLessThanOrEqual(l.votesPerPerson);
        for (const n of Object.values(ballot)) expect(n).toBeGreaterThan(0);
        for (const n of Object.values(ballot)) expect(n).toBeLessThanOrEqual(l.maxPerItem);
      }
    }
  });
});

const person = (id: string, role: Role, removedAt: number | null = null) => ({ id, role, removedAt });

describe('turnout', () => {
  it('counts, by role group, the people with a vote among those who may vote', () => {
    const people = [
      person('m1', 'member'),
      person('m2', 'member'),
      person('m3', 'member'),
      person('d1', 'decisionMaker'),
      person('f1', 'facilitator'),
      person('o1', 'observer'),
      person('gone', 'member', 5)
    ];
    expect(turnout(['m1', 'm2', 'd1', 'o1', 'gone', 'nobody', 'm1'], people)).toEqual([
      { role: 'member', voted: 2, eligible: 3 },
      { role: 'decisionMaker', voted: 1, eligible: 1 },
      { role: 'facilitator', voted: 0, eligible: 1 }
    ]);
    expect(votingRoles(people)).toEqual({ m1: 'member', m2: 'member', m3: 'member', d1: 'decisionMaker', f1: 'facilitator' });
  });
});

/** Ballots for people named by role: m1 (member), d1 (decision maker), f1 (facilitator)... */
function ballots(spec: Record<string, Ballot>): { entries: BallotEntry[]; roles: Record<string, VotingRole> } {
  const byLetter: Record<string, VotingRole> = { m: 'member', d: 'decisionMaker', f: 'facilitator' };
  const entries: BallotEntry[] = [];
  const roles: Record<string, VotingRole> = {};
  for (const [who, b] of Object.entries(spec)) {
    roles[who] = byLetter[who[0]];
    for (const [itemId, count] of Object.entries(b)) entries.push({ participantId: who, itemId, count });
  }
  return { entries, roles };
}

const eligible = (m: number, d: number, f: number) => ({ member: m, decisionMaker: d, facilitator: f });

describe('tallies by role group', () => {
  it('add up votes and backers per item in each group', () => {
    const { entries, roles } = ballots({ m1: { a: 2, b: 1 }, m2: { a: 1 }, d1: { b: 3 }, f1: { c: 1 } });
    const t = tallyByGroup(entries, roles, ['a', 'b', 'c']);
    expect(t.member).toEqual({ voters: 2, votes: { a: 3, b: 1 }, backers: { a: 2, b: 1 } });
    expect(t.decisionMaker).toEqual({ voters: 1, votes: { b: 3 }, backers: { b: 1 } });
    expect(t.facilitator).toEqual({ voters: 1, votes: { c: 1 }, backers: { c: 1 } });
  });

  it('leave out people who may not vote now and items outside the vote', () => {
    const { entries } = ballots({ m1: { a: 1, zz: 2 }, m2: { a: 1 } });
    const t = tallyByGroup(entries, { m1: 'member' }, ['a']);
    expect(t.member).toEqual({ voters: 1, votes: { a: 1 }, backers: { a: 1 } });
  });
});

describe('small groups', () => {
  const v = (member: number, decisionMaker: number, facilitator: number) => ({ member, decisionMaker, facilitator });

  it('show every group of 3 voters or more, and groups nobody in voted', () => {
    expect(shownGroups(v(8, 4, 3))).toEqual({ member: 'own', decisionMaker: 'own', facilitator: 'own' });
    expect(shownGroups(v(8, 4, 0))).toEqual({ member: 'own', decisionMaker: 'own', facilitator: 'own' });
  });

  it('never show a group of 1 or 2 voters on its own', () => {
    expect(shownGroups(v(8, 2, 1)).decisionMaker).toBe('fewer-than-3');
    expect(shownGroups(v(8, 2, 1)).facilitator).toBe('fewer-than-3');
    // Together the two small groups have 3 voters: the members can be shown.
    expect(shownGroups(v(8, 2, 1)).member).toBe('own');
  });

  it('hide one more group when the overall minus the groups shown would give a small group away', () => {
    // A lone facilitator: overall - members - decision makers would be their ballot.
    expect(shownGroups(v(8, 4, 1))).toEqual({ member: 'own', decisionMaker: 'with-a-small-group', facilitator: 'fewer-than-3' });
    // A lone decision maker and no facilitator voting: only the overall can be shown.
    expect(shownGroups(v(5, 1, 0))).toEqual({ member: 'with-a-small-group', decisionMaker: 'fewer-than-3', facilitator: 'own' });
    // Fewer than 3 voters in all: nothing can be shown.
    expect(shownGroups(v(1, 1, 0))).toEqual({ member: 'fewer-than-3', decisionMaker: 'fewer-than-3', facilitator: 'own' });
  });

  it('never keep or show totals from which 1 or 2 voters could be read off, for any group sizes', () => {
    for (let m = 0; m <= 6; m++)
      for (let d = 0; d <= 6; d++)
        for (let f = 0; f <= 6; f++) {
          const voters = v(m, d, f);
          const shown = shownGroups(voters);
          const own = VOTING_ROLES.filter((r) => shown[r] === 'own');
          const apart = VOTING_ROLES.filter((r) => shown[r] !== 'own').reduce((n, r) => n + voters[r], 0);
          const total = m + d + f;
          const label = JSON.stringify(voters);
          // Each group shown has 0 or at least 3 voters...
          for (const r of own) expect(voters[r] === 0 || voters[r] >= 3, label).toBe(true);
          // ...and the rest (overall minus those shown) too, unless no overall is shown at all.
          expect(apart === 0 || apart >= 3 || total < 3, label).toBe(true);
          // Groups are hidden only when they must be.
          for (const r of VOTING_ROLES) if (voters[r] >= 3 && shown[r] !== 'own') expect(apart - voters[r], label).toBeLessThan(3);
        }
  });

  it('keep only the totals that may be shown: no row for a group of fewer than 3, no overall under 3 voters', () => {
    const { entries, roles } = ballots({
      m1: { a: 1 },
      m2: { a: 1 },
      m3: { b: 1 },
      d1: { a: 1, b: 1 },
      d2: { b: 2 },
      d3: { c: 1 },
      f1: { c: 3 }
    });
    const s = summarise(entries, roles, eligible(4, 3, 1), ['a', 'b', 'c']);
    expect(s.groups).toEqual([
      { role: 'member', eligible: 4, voters: 3, shown: 'own' },
      { role: 'decisionMaker', eligible: 3, voters: 3, shown: 'with-a-small-group' },
      { role: 'facilitator', eligible: 1, voters: 1, shown: 'fewer-than-3' }
    ]);
    const units = new Set(s.tallies.map((t) => t.unit));
    expect([...units].sort()).toEqual(['all', 'member', 'together']);
    const row = (unit: string, itemId: string) => s.tallies.find((t) => t.unit === unit && t.itemId === itemId);
    expect(row('all', 'c')).toEqual({ unit: 'all', itemId: 'c', votes: 4, backers: 2 });
    expect(row('together', 'b')).toEqual({ unit: 'together', itemId: 'b', votes: 3, backers: 2 });
    expect(row('member', 'a')).toEqual({ unit: 'member', itemId: 'a', votes: 2, backers: 2 });
    // The overall is exact: every vote counted once.
    expect(s.tallies.filter((t) => t.unit === 'all').reduce((n, t) => n + t.votes, 0)).toBe(11);

    const two = ballots({ m1: { a: 1 }, d1: { a: 2 } });
    expect(summarise(two.entries, two.roles, eligible(1, 1, 0), ['a']).tallies).toEqual([]);
  });
});

function closed(spec: Record<string, Ballot>, items: string[], elig = eligible(10, 10, 2)): ClosedVoteFacts {
  const { entries, roles } = ballots(spec);
  return {
    id: 'v1',
    boardId: 'b1',
    subject: { kind: 'cards' },
    items,
    votesPerPerson: 3,
    maxPerItem: 3,
    openedAt: 1,
    closedAt: 2,
    labels: Object.fromEntries(items.map((i) => [i, `card ${i}`])),
    summary: summarise(entries, roles, elig, items)
  };
}

describe('results', () => {
  it('show totals overall and by group side by side, most votes first, naming nobody', () => {
    const r = present(
      closed(
        {
          m1: { a: 2, b: 1 },
          m2: { a: 1, c: 2 },
          m3: { a: 3 },
          d1: { b: 3 },
          d2: { b: 1, c: 2 },
          d3: { b: 2, a: 1 }
        },
        ['c', 'a', 'b', 'd']
      )
    );
    expect(r.voters).toBe(6);
    expect(r.rows.map((x) => [x.itemId, x.total, x.byGroup.member, x.byGroup.decisionMaker, x.byGroup.facilitator])).toEqual([
      ['a', 7, 6, 1, 0],
      ['b', 7, 1, 6, 0],
      ['c', 4, 2, 2, 0],
      ['d', 0, 0, 0, 0]
    ]);
    expect(r.rows[0].label).toBe('card a');
    expect(r.together).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/m1|m2|d1|"f1"/);
  });

  it('show a group of fewer than 3 as such, and nothing it could be read off from', () => {
    // 5 members and one decision maker: the decision maker's ballot must not be readable.
    const r = present(closed({ m1: { a: 1 }, m2: { a: 1 }, m3: { b: 1 }, m4: { a: 1 }, m5: { c: 1 }, d1: { c: 3 } }, ['a', 'b', 'c']));
    expect(r.groups.map((g) => [g.role, g.voters, g.shown])).toEqual([
      ['member', 5, 'with-a-small-group'],
      ['decisionMaker', 1, 'fewer-than-3'],
      ['facilitator', 0, 'own']
    ]);
    for (const row of r.rows) {
      expect(row.byGroup.member).toBeNull();
      expect(row.byGroup.decisionMaker).toBeNull();
    }
    expect(r.rows.find((x) => x.itemId === 'c')?.total).toBe(4);
    expect(r.differ).toBeNull();
    expect(r.commonGround).toBeNull();

    const few = present(closed({ m1: { a: 1 }, d1: { b: 1 } }, ['a', 'b']));
    expect(few.voters).toBeNull();
    expect(few.rows.map((x) => [x.itemId, x.total, x.together])).toEqual([
      ['a', null, null],
      ['b', null, null]
    ]);
  });

  it('rank common ground by the lowest share of support across the groups shown, then by total', () => {
    const r = present(
      closed(
        {
          // a: every member, no decision maker. b: two of three of each. c: one of each. d: all decision makers.
          m1: { a: 1, b: 1, c: 1 },
          m2: { a: 1, b: 1 },
          m3: { a: 3 },
          d1: { b: 1, c: 1, d: 1 },
          d2: { b: 2, d: 1 },
          d3: { d: 3 }
        },
        ['a', 'b', 'c', 'd']
      )
    );
    expect(r.commonGround!.map((x) => [x.itemId, Math.round(x.score * 100)])).toEqual([
      ['b', 67],
      ['c', 33],
      ['a', 0],
      ['d', 0]
    ]);
    // Ties (a and d at 0) go by total: a has 5 votes, d has 5 too, so the vote's own order.
    expect(r.commonGround![0].support).toEqual([
      { unit: 'member', backers: 2, voters: 3 },
      { unit: 'decisionMaker', backers: 2, voters: 3 }
    ]);
  });

  it('count the groups not shown on their own as one group in common ground and where views differ', () => {
    // 3 members, 3 decision makers, 1 facilitator: the facilitator is counted with the decision makers.
    const r = present(
      closed({ m1: { a: 1 }, m2: { a: 1 }, m3: { a: 1, b: 1 }, d1: { b: 1 }, d2: { b: 1 }, d3: { c: 1 }, f1: { a: 3 } }, ['a', 'b', 'c'])
    );
    expect(r.together).toEqual({ unit: 'together', roles: ['decisionMaker', 'facilitator'], voters: 4 });
    expect(r.rows.find((x) => x.itemId === 'a')).toMatchObject({ total: 6, together: 3, byGroup: { member: 3, decisionMaker: null } });
    expect(r.differ?.between.map((u) => u.unit)).toEqual(['member', 'together']);
    expect(r.commonGround?.[0].support.map((s) => s.unit)).toEqual(['member', 'together']);
  });

  it('list where views differ: the items whose rank differs most between members and decision makers', () => {
    const r = present(
      closed(
        {
          m1: { a: 3 },
          m2: { a: 2, b: 1 },
          m3: { b: 1, c: 2 },
          d1: { c: 3 },
          d2: { c: 2, a: 1 },
          d3: { b: 3 }
        },
        ['a', 'b', 'c']
      )
    );
    // Members: a 5, c 2, b 2 -> a 1, b 2.5, c 2.5. Decision makers: c 5, b 3, a 1 -> c 1, b 2, a 3.
    expect(r.differ!.rows).toEqual([
      { itemId: 'a', ranks: [1, 3], difference: 2 },
      { itemId: 'c', ranks: [2.5, 1], difference: -1.5 },
      { itemId: 'b', ranks: [2.5, 2], difference: -0.5 }
    ]);
  });

  it('rank tied items at the mean of their places', () => {
    const votes: Record<string, number> = { a: 5, b: 3, c: 3, d: 0, e: 0 };
    expect(Object.fromEntries(fractionalRanks(Object.keys(votes), (id) => votes[id]))).toEqual({ a: 1, b: 2.5, c: 2.5, d: 4.5, e: 4.5 });
  });
});

describe('what a vote is about, on a board', () => {
  function board() {
    const doc = new Y.Doc();
    const q = addCard(doc, 'questions', 'Who decides?');
    const p1 = addCard(doc, 'problems', 'No bus after 6');
    const p2 = addCard(doc, 'problems', 'Forms in English only');
    const s1 = addCard(doc, 'solutions', 'Evening minibus');
    const gone = addCard(doc, 'solutions', 'Hidden by the facilitator');
    const travel = addTheme(doc, 'Getting there');
    const words = addTheme(doc, 'Plain words');
    setCardTheme(doc, p1, travel);
    setCardTheme(doc, s1, travel);
    setCardTheme(doc, p2, words);
    deleteCard(doc, gone); // hiding takes a card off the board
    return { doc, b: new Board(doc), q, p1, p2, s1, gone, travel, words };
  }

  it('takes cards of some lanes, or in some themes, or both, in board order; never a hidden card', () => {
    const { b, q, p1, p2, s1, travel } = board();
    const ids = (r: ReturnType<Board['voteItems']>) => (r.ok ? r.value.map((i) => i.id) : r.message);
    expect(ids(b.voteItems({ kind: 'cards' }))).toEqual([q, p1, p2, s1]);
    expect(ids(b.voteItems({ kind: 'cards', lanes: ['problems', 'solutions'] }))).toEqual([p1, p2, s1]);
    expect(ids(b.voteItems({ kind: 'cards', themes: [travel] }))).toEqual([p1, s1]);
    expect(ids(b.voteItems({ kind: 'cards', lanes: ['problems'], themes: [travel] }))).toEqual([p1]);
    expect(ids(b.voteItems({ kind: 'cards', themes: ['no-such-theme'] }))).toBe('One of the themes chosen is not on the board.');
  });

  it('takes themes as items named theme:<id>, some or all', () => {
    const { b, travel, words } = board();
    const r = b.voteItems({ kind: 'themes' });
    expect(r).toEqual({
      ok: true,
      value: [
        { id: themeItem(travel), label: 'Getting there' },
        { id: themeItem(words), label: 'Plain words' }
      ]
    });
    const some = b.voteItems({ kind: 'themes', themes: [words] });
    expect(some.ok && some.value.map((i) => i.id)).toEqual([themeItem(words)]);
  });

  it('tells whether an item is still on the board, and its words for the results', () => {
    const { doc, b, p1, gone, travel } = board();
    expect(b.hasVoteItem(p1)).toBe(true);
    expect(b.hasVoteItem(gone)).toBe(false);
    expect(b.hasVoteItem(themeItem(travel))).toBe(true);
    expect(b.voteItemLabel(p1)).toBe('No bus after 6');
    expect(b.voteItemLabel(themeItem(travel))).toBe('Getting there');
    deleteTheme(doc, travel);
    expect(b.hasVoteItem(themeItem(travel))).toBe(false);
    expect(b.voteItemLabel(gone)).toBeNull();
    const long = addCard(doc, 'questions', 'x'.repeat(500));
    expect(b.voteItemLabel(long)).toHaveLength(200);
  });
});
