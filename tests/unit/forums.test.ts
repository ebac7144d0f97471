// Forums' pure rules: no forum its own ancestor and levels that go up; a point's backing from its
// support; merging rolled-up cards keeps every source and every count exactly, and unmerging gives
// each source back alone; the collective view ranks by breadth, then agreement across role groups,
// then volume.
import { describe, expect, it } from 'vitest';
import {
  FORUM_TEXT,
  backingOf,
  checkForumName,
  checkJoin,
  groupVoteWords,
  mergeCards,
  rankPoints,
  totalBacking,
  unmergeCard,
  wouldBeOwnAncestor,
  type PointBacking
} from '../../src/lib/domain/forums';
import { NO_SUPPORT, type Support } from '../../src/lib/domain/support';

const parents = (map: Record<string, string | null>) => (id: string) => map[id] ?? null;

describe('cycle detection', () => {
  it('refuses a forum joining one of its own descendants, at any depth', () => {
    // national <- regional <- local
    const up = parents({ local: 'regional', regional: 'national', national: null });
    expect(wouldBeOwnAncestor('national', 'local', up)).toBe(true);
    expect(wouldBeOwnAncestor('national', 'regional', up)).toBe(true);
    expect(wouldBeOwnAncestor('regional', 'local', up)).toBe(true);
  });

  it('refuses a forum joining itself', () => {
    expect(wouldBeOwnAncestor('a', 'a', parents({}))).toBe(true);
  });

  it('allows a forum joining one that is not below it', () => {
    const up = parents({ local: 'regional', other: null, regional: 'national' });
    expect(wouldBeOwnAncestor('other', 'regional', up)).toBe(false);
    expect(wouldBeOwnAncestor('local', 'national', up)).toBe(false);
  });

  it('stops on a loop already in the chain instead of walking for ever', () => {
    const up = parents({ x: 'y', y: 'x' });
    expect(wouldBeOwnAncestor('z', 'x', up)).toBe(true);
  });
});

describe('joining a parent forum', () => {
  const none = parents({});
  it('lets a local forum join a regional or national one, and a regional one join a national one', () => {
    expect(checkJoin({ id: 'l', level: 'local' }, { id: 'r', level: 'regional' }, none).ok).toBe(true);
    expect(checkJoin({ id: 'l', level: 'local' }, { id: 'n', level: 'national' }, none).ok).toBe(true);
    expect(checkJoin({ id: 'r', level: 'regional' }, { id: 'n', level: 'national' }, none).ok).toBe(true);
  });

  it('refuses a parent of the same or a lower level', () => {
    expect(checkJoin({ id: 'r', level: 'regional' }, { id: 'l', level: 'local' }, none)).toEqual({
      ok: false,
      message: FORUM_TEXT.levelMustGoUp
    });
    expect(checkJoin({ id: 'r', level: 'regional' }, { id: 'r2', level: 'regional' }, none)).toEqual({
      ok: false,
      message: FORUM_TEXT.levelMustGoUp
    });
    expect(checkJoin({ id: 'n', level: 'national' }, { id: 'n2', level: 'national' }, none).ok).toBe(false);
  });

  it('says "its own parent" first when a join would make a loop', () => {
    const up = parents({ l: 'r' });
    expect(checkJoin({ id: 'r', level: 'regional' }, { id: 'l', level: 'local' }, up)).toEqual({
      ok: false,
      message: FORUM_TEXT.ownAncestor
    });
  });

  it('checks names', () => {
    expect(checkForumName('  Leeds   forum ')).toEqual({ ok: true, value: 'Leeds forum' });
    expect(checkForumName('')).toEqual({ ok: false, message: FORUM_TEXT.nameMissing });
    expect(checkForumName(7)).toEqual({ ok: false, message: FORUM_TEXT.nameMissing });
    expect(checkForumName('x'.repeat(121))).toEqual({ ok: false, message: FORUM_TEXT.nameTooLong });
  });
});

const backing = (people: number, withoutName: number, votes: PointBacking['votes'] = null): PointBacking => ({
  cards: people + withoutName,
  people,
  withoutName,
  earlier: 0,
  votes
});

describe("a point's backing", () => {
  it('keeps the counts and the latest closed vote by role group, small groups still hidden', () => {
    const support: Support = {
      ...NO_SUPPORT,
      cards: 6,
      people: 4,
      withoutName: 2,
      earlier: 0,
      votes: [
        {
          voteId: 'v2',
          closedAt: 20,
          items: 1,
          total: 11,
          byGroup: { member: 8, decisionMaker: 3, facilitator: null },
          together: null,
          togetherRoles: [],
          groups: []
        },
        {
          voteId: 'v1',
          closedAt: 10,
          items: 1,
          total: 2,
          byGroup: { member: 2, decisionMaker: 0, facilitator: 0 },
          together: null,
          togetherRoles: [],
          groups: []
        }
      ]
    };
    expect(backingOf(support)).toEqual({
      cards: 6,
      people: 4,
      withoutName: 2,
      earlier: 0,
      votes: { total: 11, byGroup: { member: 8, decisionMaker: 3, facilitator: null } }
    });
    expect(backingOf(NO_SUPPORT).votes).toBeNull();
  });
});

describe('merging and unmerging rolled-up cards', () => {
  const related = () => true;

  it('a merged card refers to every source of every card, each once', () => {
    const merged = mergeCards(
      [
        { cardId: 'c1', sources: ['a'] },
        { cardId: 'c2', sources: ['b', 'c'] },
        { cardId: 'c3', sources: ['c'] }
      ],
      'm',
      related
    );
    expect(merged).toEqual({ ok: true, card: { cardId: 'm', sources: ['a', 'b', 'c'] } });
  });

  it('keeps all the support of its sources, exactly', () => {
    const a = backing(4, 1, { total: 12, byGroup: { member: 9, decisionMaker: 3, facilitator: 0 } });
    const b = backing(7, 0, { total: 20, byGroup: { member: 14, decisionMaker: 4, facilitator: 2 } });
    expect(totalBacking([a, b])).toEqual({
      sources: 2,
      cards: 12,
      people: 11,
      withoutName: 1,
      earlier: 0,
      votes: 32,
      byGroup: { member: 23, decisionMaker: 7, facilitator: 2 },
      partial: []
    });
  });

  it('adds only the shown numbers of a group hidden somewhere (fewer than 3 voters), and says it is partial', () => {
    const a = backing(3, 0, { total: 10, byGroup: { member: 8, decisionMaker: null, facilitator: null } });
    const b = backing(2, 0, { total: 9, byGroup: { member: 5, decisionMaker: 4, facilitator: null } });
    const total = totalBacking([a, b, backing(1, 1)]);
    expect(total.byGroup).toEqual({ member: 13, decisionMaker: 4, facilitator: 0 });
    expect(total.partial).toEqual(['decisionMaker', 'facilitator']);
    expect(total.votes).toBe(19);
    expect(total.people).toBe(6);
    expect(groupVoteWords(total, true)).toEqual([
      'Members 13',
      'Decision makers 4 (and votes from a group of fewer than 3 people, not shown)',
      'Facilitators: fewer than 3 people voted'
    ]);
  });

  it('unmerging gives each source back as a card of its own, so each keeps its own support', () => {
    let n = 0;
    const parts = unmergeCard({ cardId: 'm', sources: ['a', 'b', 'c'] }, () => `new-${++n}`);
    expect(parts).toEqual([
      { cardId: 'new-1', sources: ['a'] },
      { cardId: 'new-2', sources: ['b'] },
      { cardId: 'new-3', sources: ['c'] }
    ]);
    const own: Record<string, PointBacking> = { a: backing(4, 1), b: backing(7, 0), c: backing(2, 2) };
    // Merge, then unmerge: the same sources, and the same totals, as before.
    const merged = mergeCards(
      parts.map((p) => ({ cardId: p.cardId, sources: p.sources })),
      'm2',
      related
    );
    expect(merged.ok && merged.card.sources).toEqual(['a', 'b', 'c']);
    expect(totalBacking(parts.map((p) => own[p.sources[0]]))).toEqual(totalBacking(['a', 'b', 'c'].map((s) => own[s])));
  });

  it('refuses fewer than two cards, a card twice, and points from unrelated forums', () => {
    expect(mergeCards([{ cardId: 'c1', sources: ['a'] }], 'm', related).ok).toBe(false);
    expect(
      mergeCards(
        [
          { cardId: 'c1', sources: ['a'] },
          { cardId: 'c1', sources: ['a'] }
        ],
        'm',
        related
      ).ok
    ).toBe(false);
    const refused = mergeCards(
      [
        { cardId: 'c1', sources: ['a'] },
        { cardId: 'c2', sources: ['elsewhere'] }
      ],
      'm',
      (s) => s !== 'elsewhere'
    );
    expect(refused).toEqual({
      ok: false,
      message: "These points come from forums that are not part of this workshop's forum, so they cannot be merged here."
    });
  });
});

describe("ranking a forum's collective view", () => {
  const point = (id: string, breadth: number, people: number, byGroup: Record<'member' | 'decisionMaker' | 'facilitator', number>) => ({
    id,
    breadth,
    backing: totalBacking([backing(people, 0, { total: byGroup.member + byGroup.decisionMaker + byGroup.facilitator, byGroup })])
  });

  it('ranks by breadth first: a point raised by more groups comes first, whatever its volume', () => {
    const ranked = rankPoints([
      point('loud', 1, 50, { member: 40, decisionMaker: 10, facilitator: 5 }),
      point('broad', 3, 3, { member: 1, decisionMaker: 0, facilitator: 0 })
    ]);
    expect(ranked.map((p) => p.id)).toEqual(['broad', 'loud']);
  });

  it('then by agreement across role groups: backed by more of them comes first', () => {
    const ranked = rankPoints([
      point('members only', 2, 20, { member: 30, decisionMaker: 0, facilitator: 0 }),
      point('everyone', 2, 4, { member: 2, decisionMaker: 2, facilitator: 1 }),
      point('two groups', 2, 4, { member: 2, decisionMaker: 2, facilitator: 0 })
    ]);
    expect(ranked.map((p) => p.id)).toEqual(['everyone', 'two groups', 'members only']);
  });

  it('then by volume (cards and votes), and keeps the given order for ties', () => {
    const ranked = rankPoints([
      point('first', 1, 2, { member: 1, decisionMaker: 0, facilitator: 0 }),
      point('more', 1, 9, { member: 1, decisionMaker: 0, facilitator: 0 }),
      point('second', 1, 2, { member: 1, decisionMaker: 0, facilitator: 0 })
    ]);
    expect(ranked.map((p) => p.id)).toEqual(['more', 'first', 'second']);
  });

  it("counts a merged point's sources as its breadth (the caller gives the groups behind it)", () => {
    const merged = { id: 'merged', breadth: 2, backing: totalBacking([backing(2, 0), backing(3, 0)]) };
    const single = { id: 'single', breadth: 1, backing: totalBacking([backing(10, 0)]) };
    expect(rankPoints([single, merged]).map((p) => p.id)).toEqual(['merged', 'single']);
  });
});
