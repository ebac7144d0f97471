// Key points' support, consent rounds and agreed versions: the pure rules (src/lib/domain).
import { describe, expect, it } from 'vitest';
import { supportOf, contributorsWords, voteSupportWords, type SupportFacts } from '../../src/lib/domain/support';
import { CONSENT_ANSWERS, presentConsent, summariseConsent, type ConsentEntry } from '../../src/lib/domain/consent';
import { changesSince, sameAsAgreed, agreedWords, type AgreedVersion } from '../../src/lib/domain/agreed';
import { present, summarise, votingRoles, type VoteResults, type VotingRole } from '../../src/lib/domain/votes';

/** A closed vote's results from ballots, as the server makes them. */
function closedVote(id: string, items: string[], ballots: { p: string; role: VotingRole; item: string; n?: number }[]): VoteResults {
  const people = [...new Map(ballots.map((b) => [b.p, { id: b.p, role: b.role, removedAt: null }])).values()];
  const roles = votingRoles(people);
  const eligible = { member: 0, decisionMaker: 0, facilitator: 0 };
  for (const r of Object.values(roles)) eligible[r]++;
  const summary = summarise(
    ballots.map((b) => ({ participantId: b.p, itemId: b.item, count: b.n ?? 1 })),
    roles,
    eligible,
    items
  );
  return present({
    id,
    boardId: 'b',
    subject: { kind: 'cards' },
    items,
    votesPerPerson: 3,
    maxPerItem: 3,
    openedAt: 1,
    closedAt: 2,
    labels: {},
    summary
  });
}

const authors: Record<string, string> = { c1: 'ann', c2: 'ann', c3: 'bob', c4: 'cat' };
const facts = (votes: VoteResults[] = []): SupportFacts => ({
  cards: [
    { id: 'c1', theme: 't1', anonymous: false },
    { id: 'c2', theme: 't1', anonymous: false },
    { id: 'c3', theme: null, anonymous: false },
    { id: 'c4', theme: 't2', anonymous: false },
    { id: 'anon1', theme: 't1', anonymous: true },
    { id: 'anon2', theme: null, anonymous: true },
    // Came with a workshop made from an archive: a name on them, no writer known here.
    { id: 'old1', theme: 't2', anonymous: false },
    { id: 'old2', theme: null, anonymous: false }
  ],
  themes: ['t1', 't2'],
  authorOf: (id) => authors[id] ?? null,
  votes
});

describe('key point support', () => {
  it('counts distinct people behind its cards and themes, and cards without a name apart, naming nobody', () => {
    const s = supportOf(['theme:t1', 'c3', 'anon2', 'c1'], facts());
    // t1 holds c1, c2 (both Ann's) and anon1; plus c3 (Bob) and anon2.
    expect(s).toMatchObject({ cards: 5, people: 2, withoutName: 2, missing: 0 });
    expect(contributorsWords(s)).toBe('From 2 people and 2 cards without a name.');
    expect(JSON.stringify(s)).not.toMatch(/ann|bob|cat/);
  });

  it('counts sources no longer on the board as missing, and says when nothing is linked', () => {
    const s = supportOf(['gone', 'theme:deleted', 'c4'], facts());
    expect(s).toMatchObject({ cards: 1, people: 1, withoutName: 0, missing: 2 });
    expect(contributorsWords(supportOf([], facts()))).toBe('No cards linked yet.');
    expect(contributorsWords({ cards: 1, people: 1, withoutName: 0 })).toBe('From 1 person.');
    expect(contributorsWords({ cards: 1, people: 0, withoutName: 1 })).toBe('From 1 card without a name.');
  });

  it('counts cards with a name but no writer known here (from an archive) apart: not people, not "without a name"', () => {
    // t2 holds c4 (Cat) and old1; old2 on its own.
    const s = supportOf(['theme:t2', 'old2'], facts());
    expect(s).toMatchObject({ cards: 3, people: 1, withoutName: 0, earlier: 2 });
    expect(contributorsWords(s)).toBe('From 1 person and 2 cards from an earlier workshop.');
    expect(contributorsWords(supportOf(['old1'], facts()))).toBe('From 1 card from an earlier workshop.');
    expect(contributorsWords(supportOf(['c1', 'anon1', 'old1'], facts()))).toBe(
      'From 1 person, 1 card without a name and 1 card from an earlier workshop.'
    );
    // A version agreed before these were counted apart has no `earlier`: read as none.
    expect(contributorsWords({ cards: 2, people: 1, withoutName: 1 })).toBe('From 1 person and 1 card without a name.');
  });

  it("adds up closed votes' totals by role group for its sources, the cards in its themes included", () => {
    const voters = ['m1', 'm2', 'm3', 'm4'].map((p) => ({ p, role: 'member' as const }));
    const dms = ['d1', 'd2', 'd3'].map((p) => ({ p, role: 'decisionMaker' as const }));
    const vote = closedVote(
      'v1',
      ['c1', 'c2', 'c3', 'c4'],
      [
        ...voters.map((v) => ({ ...v, item: 'c1' })),
        ...dms.map((v) => ({ ...v, item: 'c2' })),
        { p: 'm1', role: 'member', item: 'c4' },
        { p: 'f1', role: 'facilitator', item: 'c2' }
      ]
    );
    const s = supportOf(['theme:t1'], facts([vote]));
    expect(s.votes).toHaveLength(1);
    // c1: 4 members; c2: 3 decision makers and 1 facilitator (a lone facilitator is not shown on its own).
    expect(s.votes[0]).toMatchObject({ items: 2, total: 8, byGroup: { member: 4, decisionMaker: null, facilitator: null } });
    expect(s.votes[0].together).toBe(4);
    expect(voteSupportWords(s.votes[0])).toBe('8 votes: members 4, decision makers and facilitators together 4.');
    // A point whose sources were not in the vote has no vote support.
    expect(supportOf(['anon2'], facts([vote])).votes).toEqual([]);
  });

  it('shows no totals when fewer than 3 people voted', () => {
    const vote = closedVote(
      'v1',
      ['c1'],
      [
        { p: 'm1', role: 'member', item: 'c1' },
        { p: 'm2', role: 'member', item: 'c1' }
      ]
    );
    const s = supportOf(['c1'], facts([vote]));
    expect(s.votes[0].total).toBeNull();
    expect(voteSupportWords(s.votes[0])).toBe('Fewer than 3 people voted, so no totals are shown.');
  });
});

describe('consent rounds', () => {
  const points = [
    { id: 'k1', text: 'Buses after 6pm' },
    { id: 'k2', text: 'Peer coaches' }
  ];
  const roles: Record<string, VotingRole> = {
    m1: 'member',
    m2: 'member',
    m3: 'member',
    m4: 'member',
    d1: 'decisionMaker',
    f1: 'facilitator'
  };
  const eligible = { member: 4, decisionMaker: 1, facilitator: 1 };

  it('counts each answer on each point by role group, keeping a lone decision maker out of sight', () => {
    const entries: ConsentEntry[] = [
      ...['m1', 'm2', 'm3'].map((p) => ({ participantId: p, pointId: 'k1', answer: 'agree' as const })),
      { participantId: 'm4', pointId: 'k1', answer: 'object' },
      { participantId: 'd1', pointId: 'k1', answer: 'live' },
      { participantId: 'f1', pointId: 'k1', answer: 'agree' },
      { participantId: 'm1', pointId: 'k2', answer: 'live' },
      { participantId: 'x', pointId: 'k1', answer: 'agree' }, // not in the workshop: not counted
      { participantId: 'm2', pointId: 'nope', answer: 'agree' } // not one of the points
    ];
    const summary = summariseConsent(entries, roles, eligible, points);
    const results = presentConsent({ id: 'c', boardId: 'b', points, openedAt: 1, closedAt: 2, summary });
    expect(results.voters).toBe(6);
    expect(results.groups.map((g) => [g.role, g.voters, g.shown])).toEqual([
      ['member', 4, 'with-a-small-group'],
      ['decisionMaker', 1, 'fewer-than-3'],
      ['facilitator', 1, 'fewer-than-3']
    ]);
    // The decision maker and facilitator add up to 2: members are not shown on their own either,
    // so nothing can be worked out by subtraction: all three are counted together.
    const k1 = results.points[0].answers;
    expect(k1.agree.total).toBe(4);
    expect(k1.live.total).toBe(1);
    expect(k1.object.total).toBe(1);
    expect(k1.agree.byGroup).toEqual({ member: null, decisionMaker: null, facilitator: null });
    expect(k1.agree.together).toBe(4);
    expect(results.points[1].answers.live.total).toBe(1);
    expect(JSON.stringify(results)).not.toMatch(/m1|d1|f1/);
  });

  it('shows groups of 3 or more on their own, and nothing at all with fewer than 3 people', () => {
    const many: Record<string, VotingRole> = {
      m1: 'member',
      m2: 'member',
      m3: 'member',
      d1: 'decisionMaker',
      d2: 'decisionMaker',
      d3: 'decisionMaker'
    };
    const entries: ConsentEntry[] = Object.keys(many).map((p, i) => ({ participantId: p, pointId: 'k1', answer: CONSENT_ANSWERS[i % 3] }));
    const r = presentConsent({
      id: 'c',
      boardId: 'b',
      points,
      openedAt: 1,
      closedAt: 2,
      summary: summariseConsent(entries, many, { member: 3, decisionMaker: 3, facilitator: 0 }, points)
    });
    expect(r.points[0].answers.agree.byGroup).toEqual({ member: 1, decisionMaker: 1, facilitator: 0 });
    const few = presentConsent({
      id: 'c',
      boardId: 'b',
      points,
      openedAt: 1,
      closedAt: 2,
      summary: summariseConsent(entries.slice(0, 2), many, { member: 3, decisionMaker: 3, facilitator: 0 }, points)
    });
    expect(few.voters).toBeNull();
    expect(few.points[0].answers.agree.total).toBeNull();
  });
});

describe('agreed versions', () => {
  const support = { cards: 0, people: 0, withoutName: 0, missing: 0, votes: [] };
  const version: AgreedVersion = {
    boardId: 'b',
    number: 2,
    agreedAt: Date.UTC(2026, 11, 1, 14, 5),
    consentId: null,
    points: [
      { id: 'k1', text: 'Buses after 6pm', sources: [{ id: 'c1', kind: 'card', text: 'No bus', lane: 'problems' }], support },
      { id: 'k2', text: 'Peer coaches', sources: [], support },
      { id: 'k3', text: 'Cheaper fares', sources: [], support }
    ]
  };

  it('finds points added, changed (words or sources) and removed since, and a new order', () => {
    const c = changesSince(version, [
      { id: 'k2', text: 'Peer  coaches ', sources: ['theme:t1'] },
      { id: 'k1', text: 'Buses after 7pm', sources: ['c1'] },
      { id: 'k4', text: 'A new one', sources: [] }
    ]);
    expect(c.added.map((p) => p.id)).toEqual(['k4']);
    expect(c.removed.map((p) => p.id)).toEqual(['k3']);
    expect(c.changed.map((x) => [x.id, x.words, x.sources])).toEqual([
      ['k2', false, true],
      ['k1', true, false]
    ]);
    expect(c.reordered).toBe(true);
    expect(c.any).toBe(true);
  });

  it('sees no change when the words differ only in spacing, and says when and which version', () => {
    expect(
      sameAsAgreed(version, [
        { id: 'k1', text: ' Buses after  6pm', sources: ['c1'] },
        { id: 'k2', text: 'Peer coaches', sources: [] },
        { id: 'k3', text: 'Cheaper fares', sources: [] }
      ])
    ).toBe(true);
    expect(agreedWords(version, 'UTC')).toBe('Agreed (version 2, 1 Dec 14:05)');
  });
});
