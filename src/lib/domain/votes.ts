// Dot voting, pure: what is voted on, each person's budget, the tallies by role group, which
// groups may be shown, and the two views of the results (common ground, where views differ).
// The server (server/session/votes.ts) enforces and stores; nothing here does I/O.
//
// Equality of voice: every person who may vote (members, decision makers, facilitators) has the
// same budget. Privacy: while a vote is open nobody sees any total; once it closes only totals
// are kept, by role group, and a group of fewer than 3 voters is never shown on its own, nor in
// any way that lets it be worked out by subtraction (see summarise()).
import type { Lane } from '../board/schema';
import type { Role } from './roles';

/** The role groups that vote, in the order results show them. Observers never vote. */
export const VOTING_ROLES = ['member', 'decisionMaker', 'facilitator'] as const;
export type VotingRole = (typeof VOTING_ROLES)[number];

export function isVotingRole(role: Role): role is VotingRole {
  return role !== 'observer';
}

/** Plain words for a group, for messages and results. */
export const GROUP_LABEL: Record<VotingRole, { one: string; many: string }> = {
  member: { one: 'member', many: 'members' },
  decisionMaker: { one: 'decision maker', many: 'decision makers' },
  facilitator: { one: 'facilitator', many: 'facilitators' }
};

export const VOTE_RULES = {
  /** Votes each person has: 1 to 10, 3 unless the facilitator chooses. */
  votesPerPerson: { min: 1, max: 10, default: 3 },
  /** Most things one vote can be about (cards or themes). */
  maxItems: 200,
  /** A role group with fewer voters than this is never shown on its own. */
  minGroup: 3,
  /** Card texts kept with the results for the briefing are cut to this length. */
  labelChars: 200
} as const;

/**
 * What a vote is about, as the facilitator chose it: cards (of some lanes, or in some themes, or
 * both: a card must match each filter given; all cards on the board when none is), or the themes
 * themselves (some, or all).
 */
export type VoteSubject = { kind: 'cards'; lanes?: Lane[]; themes?: string[] } | { kind: 'themes'; themes?: string[] };

/** Item ids: a card's id, or `theme:<themeId>` when the vote is on themes. */
export const THEME_ITEM_PREFIX = 'theme:';
export const themeItem = (themeId: string): string => THEME_ITEM_PREFIX + themeId;
export const themeOfItem = (itemId: string): string | null =>
  itemId.startsWith(THEME_ITEM_PREFIX) ? itemId.slice(THEME_ITEM_PREFIX.length) : null;

export interface VoteLimits {
  votesPerPerson: number;
  /** Most votes one person may put on one item (at most votesPerPerson). */
  maxPerItem: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** The limits a facilitator asked for, with the defaults filled in (max per item: the budget). */
export function voteLimits(input: { votesPerPerson?: number; maxPerItem?: number }): Checked<VoteLimits> {
  const { min, max } = VOTE_RULES.votesPerPerson;
  const votesPerPerson = input.votesPerPerson ?? VOTE_RULES.votesPerPerson.default;
  const maxPerItem = input.maxPerItem ?? votesPerPerson;
  const whole = (n: number) => Number.isInteger(n) && n >= min && n <= max;
  if (!whole(votesPerPerson)) return { ok: false, message: `Each person can have ${min} to ${max} votes.` };
  if (!whole(maxPerItem)) return { ok: false, message: `The most votes on one item must be ${min} to ${max}.` };
  if (maxPerItem > votesPerPerson)
    return { ok: false, message: `The most votes on one item (${maxPerItem}) cannot be more than each person has (${votesPerPerson}).` };
  return { ok: true, value: { votesPerPerson, maxPerItem } };
}

// ---------------------------------------------------------------------------------------------
// One person's ballot: how many of their votes are on each item.

export type Ballot = Readonly<Record<string, number>>;

export function used(ballot: Ballot): number {
  let n = 0;
  for (const count of Object.values(ballot)) n += count;
  return n;
}

export function remaining(ballot: Ballot, limits: VoteLimits): number {
  return Math.max(0, limits.votesPerPerson - used(ballot));
}

const votes = (n: number) => (n === 1 ? '1 vote' : `${n} votes`);

/** One more vote on `itemId`, within the budget and the item limit. */
export function cast(ballot: Ballot, itemId: string, limits: VoteLimits): Checked<Ballot> {
  if (used(ballot) >= limits.votesPerPerson) {
    return { ok: false, message: `You have used all ${votes(limits.votesPerPerson)}. Take one back to move it.` };
  }
  const here = ballot[itemId] ?? 0;
  if (here >= limits.maxPerItem) {
    return { ok: false, message: `You can put at most ${votes(limits.maxPerItem)} on one item.` };
  }
  return { ok: true, value: { ...ballot, [itemId]: here + 1 } };
}

/** One vote fewer on `itemId`. */
export function retract(ballot: Ballot, itemId: string): Checked<Ballot> {
  const here = ballot[itemId] ?? 0;
  if (here <= 0) return { ok: false, message: 'You have no vote on that to take back.' };
  const { [itemId]: _gone, ...rest } = ballot;
  return { ok: true, value: here === 1 ? rest : { ...rest, [itemId]: here - 1 } };
}

/** Moves one vote from one item to another (a retract, then a cast: both must be allowed). */
export function move(ballot: Ballot, from: string, to: string, limits: VoteLimits): Checked<Ballot> {
  const taken = retract(ballot, from);
  return taken.ok ? cast(taken.value, to, limits) : taken;
}

// ---------------------------------------------------------------------------------------------
// Turnout: who has voted so far, by role group (never what for).

export interface TurnoutRow {
  role: VotingRole;
  /** People of the group holding at least one vote. */
  voted: number;
  /** People of the group who may vote: in the workshop (not removed), in that role. */
  eligible: number;
}

export interface PersonFacts {
  id: string;
  role: Role;
  removedAt: number | null;
}

/** Who may vote now, and in which group: everyone in the workshop but observers. */
export function votingRoles(people: readonly PersonFacts[]): Record<string, VotingRole> {
  const out: Record<string, VotingRole> = {};
  for (const p of people) if (p.removedAt === null && isVotingRole(p.role)) out[p.id] = p.role;
  return out;
}

export function turnout(voters: Iterable<string>, people: readonly PersonFacts[]): TurnoutRow[] {
  const roles = votingRoles(people);
  const rows = Object.fromEntries(VOTING_ROLES.map((role) => [role, { role, voted: 0, eligible: 0 }])) as Record<VotingRole, TurnoutRow>;
  for (const role of Object.values(roles)) rows[role].eligible++;
  for (const id of new Set(voters)) {
    const role = roles[id];
    if (role) rows[role].voted++;
  }
  return VOTING_ROLES.map((role) => rows[role]);
}

// ---------------------------------------------------------------------------------------------
// Tallies: from everyone's ballots (only while the vote closes) to totals by role group.

export interface BallotEntry {
  participantId: string;
  itemId: string;
  count: number;
}

export interface GroupTally {
  /** People of the group with at least one vote counted. */
  voters: number;
  /** Votes on each item (items with none are left out). */
  votes: Record<string, number>;
  /** People of the group with at least one vote on each item. */
  backers: Record<string, number>;
}

/**
 * Totals per item and role group. Ballots of people who may not vote now (observers, people no
 * longer in the workshop: not in `roles`) and votes on items outside `items` are not counted.
 */
export function tallyByGroup(
  ballots: readonly BallotEntry[],
  roles: Readonly<Record<string, VotingRole>>,
  items: readonly string[]
): Record<VotingRole, GroupTally> {
  const inVote = new Set(items);
  const out = Object.fromEntries(VOTING_ROLES.map((r) => [r, { voters: 0, votes: {}, backers: {} }])) as Record<VotingRole, GroupTally>;
  const voters = Object.fromEntries(VOTING_ROLES.map((r) => [r, new Set<string>()])) as Record<VotingRole, Set<string>>;
  for (const b of ballots) {
    const role = roles[b.participantId];
    if (!role || !inVote.has(b.itemId) || !(b.count > 0)) continue;
    const g = out[role];
    g.votes[b.itemId] = (g.votes[b.itemId] ?? 0) + b.count;
    g.backers[b.itemId] = (g.backers[b.itemId] ?? 0) + 1;
    voters[role].add(b.participantId);
  }
  for (const r of VOTING_ROLES) out[r].voters = voters[r].size;
  return out;
}

/**
 * How a group appears in the results: on its own; not, because fewer than 3 of it voted; or not,
 * because showing it would let a smaller group's votes be worked out (overall minus the groups
 * shown). Groups not shown on their own are counted in `together` and in the overall totals.
 */
export type Shown = 'own' | 'fewer-than-3' | 'with-a-small-group';

export interface GroupSummary {
  role: VotingRole;
  eligible: number;
  voters: number;
  shown: Shown;
}

/** The totals a summary keeps: one role group's, the groups not shown on their own together, or everyone's. */
export type TallyUnit = VotingRole | 'together' | 'all';

export interface TallyRow {
  unit: TallyUnit;
  itemId: string;
  votes: number;
  backers: number;
}

/** What is kept of a vote once it closes: no ballot, only what may be shown. */
export interface VoteSummary {
  groups: GroupSummary[];
  /** Non-zero totals of the units that may be shown (never a unit of fewer than 3 voters). */
  tallies: TallyRow[];
}

/** Groups pulled in to keep a small group's votes from being worked out, in this order. */
const COMPLEMENT_ORDER: readonly VotingRole[] = ['facilitator', 'decisionMaker', 'member'];

/**
 * Which groups are shown on their own. A group of 1 or 2 voters is not. If the groups not shown
 * add up to 1 or 2 voters, their votes could be read off as the overall totals minus the groups
 * shown, so the next group with voters (facilitators, then decision makers, then members) is not
 * shown on its own either, until the groups not shown add up to 3 voters or more (or none is left:
 * then fewer than 3 people voted in all, and no totals are shown at all).
 */
export function shownGroups(voters: Readonly<Record<VotingRole, number>>): Record<VotingRole, Shown> {
  const min = VOTE_RULES.minGroup;
  const shown = Object.fromEntries(VOTING_ROLES.map((r) => [r, voters[r] > 0 && voters[r] < min ? 'fewer-than-3' : 'own'])) as Record<
    VotingRole,
    Shown
  >;
  let residual = VOTING_ROLES.reduce((n, r) => n + (shown[r] === 'own' ? 0 : voters[r]), 0);
  for (const r of COMPLEMENT_ORDER) {
    if (residual === 0 || residual >= min) break;
    if (shown[r] !== 'own' || voters[r] === 0) continue;
    shown[r] = 'with-a-small-group';
    residual += voters[r];
  }
  return shown;
}

/**
 * The summary kept when a vote closes: each group's turnout, and the totals of each group shown on
 * its own, of the groups not shown on their own together (when they add up to 3 voters or more),
 * and of everyone (when 3 or more people voted). Nothing in it names or counts a single person.
 */
export function summarise(
  ballots: readonly BallotEntry[],
  roles: Readonly<Record<string, VotingRole>>,
  eligible: Readonly<Record<VotingRole, number>>,
  items: readonly string[]
): VoteSummary {
  const byGroup = tallyByGroup(ballots, roles, items);
  const shown = shownGroups(Object.fromEntries(VOTING_ROLES.map((r) => [r, byGroup[r].voters])) as Record<VotingRole, number>);
  const groups = VOTING_ROLES.map((role) => ({ role, eligible: eligible[role] ?? 0, voters: byGroup[role].voters, shown: shown[role] }));
  const tallies: TallyRow[] = [];
  const add = (unit: TallyUnit, parts: VotingRole[]) => {
    for (const itemId of items) {
      let v = 0;
      let b = 0;
      for (const r of parts) {
        v += byGroup[r].votes[itemId] ?? 0;
        b += byGroup[r].backers[itemId] ?? 0;
      }
      if (v > 0) tallies.push({ unit, itemId, votes: v, backers: b });
    }
  };
  const own = VOTING_ROLES.filter((r) => shown[r] === 'own');
  const apart = VOTING_ROLES.filter((r) => shown[r] !== 'own');
  const min = VOTE_RULES.minGroup;
  for (const r of own) add(r, [r]);
  const apartVoters = apart.reduce((n, r) => n + byGroup[r].voters, 0);
  if (apartVoters >= min) add('together', apart);
  if (VOTING_ROLES.reduce((n, r) => n + byGroup[r].voters, 0) >= min) add('all', [...VOTING_ROLES]);
  return { groups, tallies };
}

// ---------------------------------------------------------------------------------------------
// The results as shown: totals side by side, common ground, where views differ.

export interface ClosedVoteFacts {
  id: string;
  boardId: string;
  subject: VoteSubject;
  items: readonly string[];
  votesPerPerson: number;
  maxPerItem: number;
  openedAt: number;
  closedAt: number;
  /** Each item's words when the vote closed (a card's text, a theme's name); null when it was no longer on the board. */
  labels: Readonly<Record<string, string | null>>;
  summary: VoteSummary;
}

export interface ResultRow {
  itemId: string;
  label: string | null;
  /** Everyone's votes; null when fewer than 3 people voted in all. */
  total: number | null;
  /** Each group's votes; null for a group not shown on its own (see `groups`). */
  byGroup: Record<VotingRole, number | null>;
  /** The votes of the groups not shown on their own, together; null when there are none or they add up to fewer than 3 voters. */
  together: number | null;
}

/** A set of voters whose totals are shown: one group, or the groups not shown on their own, together. */
export interface Unit {
  unit: VotingRole | 'together';
  roles: VotingRole[];
  voters: number;
}

export interface CommonGroundRow {
  itemId: string;
  /** The lowest share, across the units shown, of a unit's voters who put a vote on it (0 to 1). */
  score: number;
  support: { unit: VotingRole | 'together'; backers: number; voters: number }[];
  total: number;
}

export interface DifferRow {
  itemId: string;
  /** Rank among each side's totals (1 is first; tied items share the mean of their places). */
  ranks: [number, number];
  /** ranks[1] - ranks[0]: above 0 when the first side (members) put it higher. */
  difference: number;
}

export interface VoteResults {
  voteId: string;
  boardId: string;
  on: VoteSubject;
  votesPerPerson: number;
  maxPerItem: number;
  openedAt: number;
  closedAt: number;
  /** Each group's turnout and how it is shown ('fewer-than-3': too few voted to show it on its own). */
  groups: GroupSummary[];
  /** Everyone who voted, when 3 or more did (otherwise null, and no totals are shown at all). */
  voters: number | null;
  /** The groups counted together because they are not shown on their own, when they may be shown together. */
  together: Unit | null;
  /** One row per item, most votes first (in the vote's order when no totals are shown). */
  rows: ResultRow[];
  /** Items that every unit shown backs, best first; null with fewer than two units of voters shown. */
  commonGround: CommonGroundRow[] | null;
  /** Items ranked most differently by members and by decision makers (or the unit each is counted in); null when they cannot both be shown apart. */
  differ: { between: [Unit, Unit]; rows: DifferRow[] } | null;
}

/** Ranks by votes, highest first; tied items share the mean of the places they take. */
export function fractionalRanks(items: readonly string[], votesOf: (itemId: string) => number): Map<string, number> {
  const sorted = [...items].sort((a, b) => votesOf(b) - votesOf(a));
  const ranks = new Map<string, number>();
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && votesOf(sorted[j + 1]) === votesOf(sorted[i])) j++;
    const rank = (i + 1 + (j + 1)) / 2;
    for (let k = i; k <= j; k++) ranks.set(sorted[k], rank);
    i = j + 1;
  }
  return ranks;
}

/** The results of a closed vote, from what was kept. */
/**
 * A closed vote as anyone may see it: the words of a card a facilitator has hidden since are left
 * out (label null, "no longer on the board"), as they are gone from the board; its totals stay.
 * The stored labels are not changed: putting the card back shows its words again. The same rule
 * as agreed key points' `withoutHiddenWords`.
 */
export function withoutHiddenLabels<V extends Pick<ClosedVoteFacts, 'labels'>>(vote: V, hidden: ReadonlySet<string>): V {
  if (!Object.keys(vote.labels).some((id) => hidden.has(id))) return vote;
  return { ...vote, labels: Object.fromEntries(Object.entries(vote.labels).map(([id, l]) => [id, hidden.has(id) ? null : l])) };
}

export function present(vote: ClosedVoteFacts): VoteResults {
  const { groups, tallies } = vote.summary;
  const cell = new Map<string, TallyRow>();
  for (const t of tallies) cell.set(`${t.unit}/${t.itemId}`, t);
  const min = VOTE_RULES.minGroup;
  const voters = groups.reduce((n, g) => n + g.voters, 0);
  const everyone = voters >= min;
  const apart = groups.filter((g) => g.shown !== 'own');
  const apartVoters = apart.reduce((n, g) => n + g.voters, 0);
  const together: Unit | null = apartVoters >= min ? { unit: 'together', roles: apart.map((g) => g.role), voters: apartVoters } : null;
  // A unit with no row has no votes at all; one that may be shown reads 0 then.
  const get = (unit: TallyUnit, itemId: string, field: 'votes' | 'backers' = 'votes') => cell.get(`${unit}/${itemId}`)?.[field] ?? 0;

  const order = new Map(vote.items.map((id, i) => [id, i]));
  const total = (itemId: string) => (everyone ? get('all', itemId) : 0);
  const byTotal = (a: string, b: string) => total(b) - total(a) || order.get(a)! - order.get(b)!;

  const rows: ResultRow[] = [...vote.items].sort(byTotal).map((itemId) => ({
    itemId,
    label: vote.labels[itemId] ?? null,
    total: everyone ? get('all', itemId) : null,
    byGroup: Object.fromEntries(groups.map((g) => [g.role, g.shown === 'own' && everyone ? get(g.role, itemId) : null])) as Record<
      VotingRole,
      number | null
    >,
    together: together ? get('together', itemId) : null
  }));

  // The units whose totals are shown and who voted at all.
  const units: Unit[] = [];
  if (everyone) {
    for (const g of groups) if (g.shown === 'own' && g.voters > 0) units.push({ unit: g.role, roles: [g.role], voters: g.voters });
    if (together) units.push(together);
  }

  let commonGround: CommonGroundRow[] | null = null;
  if (units.length >= 2) {
    commonGround = vote.items
      .map((itemId) => {
        const support = units.map((u) => ({ unit: u.unit, backers: get(u.unit, itemId, 'backers'), voters: u.voters }));
        return { itemId, score: Math.min(...support.map((s) => s.backers / s.voters)), support, total: total(itemId) };
      })
      .sort((a, b) => b.score - a.score || byTotal(a.itemId, b.itemId));
  }

  let differ: VoteResults['differ'] = null;
  const unitOf = (role: VotingRole) => units.find((u) => u.roles.includes(role)) ?? null;
  const a = unitOf('member');
  const b = unitOf('decisionMaker');
  if (a && b && a !== b) {
    const ra = fractionalRanks(vote.items, (id) => get(a.unit, id));
    const rb = fractionalRanks(vote.items, (id) => get(b.unit, id));
    differ = {
      between: [a, b],
      rows: vote.items
        .map((itemId) => {
          const ranks: [number, number] = [ra.get(itemId)!, rb.get(itemId)!];
          return { itemId, ranks, difference: ranks[1] - ranks[0] };
        })
        .filter((r) => r.difference !== 0)
        .sort((x, y) => Math.abs(y.difference) - Math.abs(x.difference) || byTotal(x.itemId, y.itemId))
    };
  }

  return {
    voteId: vote.id,
    boardId: vote.boardId,
    on: vote.subject,
    votesPerPerson: vote.votesPerPerson,
    maxPerItem: vote.maxPerItem,
    openedAt: vote.openedAt,
    closedAt: vote.closedAt,
    groups: groups.map((g) => ({ ...g })),
    voters: everyone ? voters : null,
    together: everyone ? together : null,
    rows,
    commonGround,
    differ
  };
}
