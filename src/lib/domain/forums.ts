// Forums, pure: a named group at a level (local, regional, national) that workshops belong to
// and that may join a parent forum; the rules for joining (no forum its own ancestor, levels go
// up), what stands behind a shared key point (its backing: counts only, never a name), merging
// rolled-up cards without losing any source or count, and the forum's collective view: points
// ranked by breadth, then agreement across role groups, then volume. No I/O: the server
// (server/forums.ts) reads the store and hands the facts in.
import { VOTING_ROLES, type VotingRole } from './votes';
import type { Support } from './support';

export const FORUM_LEVELS = ['local', 'regional', 'national'] as const;
export type ForumLevel = (typeof FORUM_LEVELS)[number];

export const isForumLevel = (v: unknown): v is ForumLevel => typeof v === 'string' && (FORUM_LEVELS as readonly string[]).includes(v);

/** Plain words for a level. */
export const LEVEL_WORDS: Record<ForumLevel, string> = { local: 'Local', regional: 'Regional', national: 'National' };

export const FORUM_RULES = {
  /** A forum's name, in characters. */
  nameChars: 120,
  /** Most points one roll-up brings onto a board at once. */
  perRollup: 60,
  /** Most cards one merge joins. */
  perMerge: 20
} as const;

/** The refusals a forum's rules give, in plain words, in one place. */
export const FORUM_TEXT = {
  nameMissing: 'Give the forum a name, for example "Leeds lived experience forum".',
  nameTooLong: `Keep the forum's name to ${FORUM_RULES.nameChars} characters.`,
  levelMissing: 'Choose the forum\'s level: "local", "regional" or "national".',
  ownAncestor: 'A forum cannot join a forum that is already part of it: it would become its own parent.',
  levelMustGoUp:
    'A forum can only join a forum of a higher level: a local forum joins a regional or national one, a regional forum joins a national one.',
  notSignedIn: "Open your forum link first: only the forum's facilitators can do this.",
  forbidden: 'Your forum link does not let you do this.',
  notFound: 'There is no such forum, or your link is not for it.'
} as const;

export type Check<T> = { ok: true; value: T } | { ok: false; message: string };

export function checkForumName(value: unknown): Check<string> {
  const name = typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
  if (!name) return { ok: false, message: FORUM_TEXT.nameMissing };
  if ([...name].length > FORUM_RULES.nameChars) return { ok: false, message: FORUM_TEXT.nameTooLong };
  return { ok: true, value: name };
}

export const levelRank = (level: ForumLevel): number => FORUM_LEVELS.indexOf(level);

/**
 * Whether making `parentId` the parent of `childId` would make the child its own ancestor:
 * walks up from the parent (`parentOf` gives each forum's parent, or null). A chain that loops
 * on itself already (it cannot, but a broken store must not hang us) counts as a cycle.
 */
export function wouldBeOwnAncestor(childId: string, parentId: string, parentOf: (id: string) => string | null): boolean {
  const seen = new Set<string>();
  for (let at: string | null = parentId; at !== null; at = parentOf(at)) {
    if (at === childId || seen.has(at)) return true;
    seen.add(at);
  }
  return false;
}

export interface ForumFacts {
  id: string;
  level: ForumLevel;
}

/** Whether `child` may join `parent`: never its own ancestor (checked first), and the level goes up. */
export function checkJoin(child: ForumFacts, parent: ForumFacts, parentOf: (id: string) => string | null): Check<null> {
  if (wouldBeOwnAncestor(child.id, parent.id, parentOf)) return { ok: false, message: FORUM_TEXT.ownAncestor };
  if (levelRank(parent.level) <= levelRank(child.level)) return { ok: false, message: FORUM_TEXT.levelMustGoUp };
  return { ok: true, value: null };
}

/**
 * What stands behind one shared key point, as its group agreed it: counts only. `people` are
 * distinct people who wrote its cards with their name; cards without a name and cards from an
 * earlier workshop are counted apart (they cannot be told apart as people). `votes` are the
 * latest closed vote on its sources, by role group; a group of fewer than 3 voters is null
 * there (never shown on its own), as everywhere.
 */
export interface PointBacking {
  cards: number;
  people: number;
  withoutName: number;
  earlier: number;
  votes: { total: number | null; byGroup: Record<VotingRole, number | null> } | null;
}

export const NO_BACKING: PointBacking = { cards: 0, people: 0, withoutName: 0, earlier: 0, votes: null };

/** A point's backing from its support as agreed (src/lib/domain/support.ts). */
export function backingOf(support: Support): PointBacking {
  const latest = [...support.votes].sort((a, b) => a.closedAt - b.closedAt).pop();
  return {
    cards: support.cards,
    people: support.people,
    withoutName: support.withoutName,
    earlier: support.earlier ?? 0,
    votes: latest ? { total: latest.total, byGroup: { ...latest.byGroup } } : null
  };
}

/**
 * Many points' backing together (a merged card, a point's whole lineage): every count added
 * exactly. The sources come from different groups, so their people are different people. For a
 * role group hidden in some source (fewer than 3 voters), `byGroup` adds only the shown numbers
 * and `partial` names the group, so nothing hidden is revealed and nothing shown is lost.
 */
export interface TotalBacking {
  sources: number;
  cards: number;
  people: number;
  withoutName: number;
  earlier: number;
  votes: number;
  byGroup: Record<VotingRole, number>;
  /** Groups not shown in at least one source (fewer than 3 voters there). */
  partial: VotingRole[];
}

export function totalBacking(list: readonly PointBacking[]): TotalBacking {
  const byGroup = Object.fromEntries(VOTING_ROLES.map((r) => [r, 0])) as Record<VotingRole, number>;
  const partial = new Set<VotingRole>();
  let votes = 0;
  for (const b of list) {
    if (!b.votes) continue;
    votes += b.votes.total ?? 0;
    for (const r of VOTING_ROLES) {
      const n = b.votes.byGroup[r];
      if (n === null) partial.add(r);
      else byGroup[r] += n;
    }
  }
  const sum = (get: (b: PointBacking) => number) => list.reduce((n, b) => n + get(b), 0);
  return {
    sources: list.length,
    cards: sum((b) => b.cards),
    people: sum((b) => b.people),
    withoutName: sum((b) => b.withoutName),
    earlier: sum((b) => b.earlier),
    votes,
    byGroup,
    partial: VOTING_ROLES.filter((r) => partial.has(r))
  };
}

/** A card rolled up onto a board: its id and the shared points it stands for (one, or several merged). */
export interface RollupCard {
  cardId: string;
  sources: readonly string[];
}

export type MergeResult = { ok: true; card: RollupCard } | { ok: false; message: string };

/**
 * Merges rolled-up cards into one that refers to every source of each (none lost, none twice).
 * `related(source)` says whether a source comes from a forum under this workshop's forum.
 */
export function mergeCards(cards: readonly RollupCard[], newId: string, related: (sourceId: string) => boolean): MergeResult {
  if (cards.length < 2) return { ok: false, message: 'Choose at least two cards to merge.' };
  if (cards.length > FORUM_RULES.perMerge) return { ok: false, message: `Merge at most ${FORUM_RULES.perMerge} cards at once.` };
  if (new Set(cards.map((c) => c.cardId)).size !== cards.length) return { ok: false, message: 'A card was chosen twice.' };
  const sources: string[] = [];
  for (const c of cards) for (const s of c.sources) if (!sources.includes(s)) sources.push(s);
  if (!sources.every(related))
    return {
      ok: false,
      message: "These points come from forums that are not part of this workshop's forum, so they cannot be merged here."
    };
  return { ok: true, card: { cardId: newId, sources } };
}

/** Undoes a merge: one card per source, each standing for that source alone (and so its own backing). */
export function unmergeCard(card: RollupCard, newId: () => string): RollupCard[] {
  return card.sources.map((s) => ({ cardId: newId(), sources: [s] }));
}

/** One point of a forum's collective view, as the ranking needs it. */
export interface RankedFacts {
  id: string;
  /** Distinct groups (workshops where it was first agreed) that raised it: a merged point counts its sources'. */
  breadth: number;
  backing: TotalBacking;
}

/** How many role groups back it: each with votes for it (shown) in at least one source. */
export const groupsBacking = (b: TotalBacking): number => VOTING_ROLES.filter((r) => b.byGroup[r] > 0).length;

/** Volume: cards behind it and votes for it. */
export const volumeOf = (b: TotalBacking): number => b.cards + b.votes;

/**
 * The collective view's order: breadth (how many groups raised it), then agreement across role
 * groups (how many back it), then volume; ties keep the order given (stable), so the page does not
 * reshuffle equal points.
 */
export function rankPoints<T extends RankedFacts>(points: readonly T[]): T[] {
  return points
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        b.p.breadth - a.p.breadth ||
        groupsBacking(b.p.backing) - groupsBacking(a.p.backing) ||
        volumeOf(b.p.backing) - volumeOf(a.p.backing) ||
        a.i - b.i
    )
    .map(({ p }) => p);
}

/** "7 people, 2 cards without a name", for a backing. */
export function backingWords(b: Pick<TotalBacking, 'people' | 'withoutName' | 'earlier' | 'cards'>): string {
  if (b.cards === 0) return 'No cards behind it.';
  const parts: string[] = [];
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (b.people) parts.push(plural(b.people, 'person', 'people'));
  if (b.withoutName) parts.push(plural(b.withoutName, 'card without a name', 'cards without a name'));
  if (b.earlier) parts.push(plural(b.earlier, 'card from an earlier workshop', 'cards from an earlier workshop'));
  return parts.join(', ');
}

const GROUP_NAMES: Record<VotingRole, string> = { member: 'Members', decisionMaker: 'Decision makers', facilitator: 'Facilitators' };

/** Each role group's votes in words, with the fewer-than-3 rule: "Members 8", "Decision makers: fewer than 3 people". */
export function groupVoteWords(b: Pick<TotalBacking, 'byGroup' | 'partial' | 'votes' | 'sources'>, hadVotes: boolean): string[] {
  if (!hadVotes) return ['No vote on it yet.'];
  return VOTING_ROLES.map((r) => {
    const hidden = b.partial.includes(r);
    if (hidden && b.byGroup[r] === 0) return `${GROUP_NAMES[r]}: fewer than 3 people voted`;
    if (hidden) return `${GROUP_NAMES[r]} ${b.byGroup[r]} (and votes from a group of fewer than 3 people, not shown)`;
    return `${GROUP_NAMES[r]} ${b.byGroup[r]}`;
  });
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** "3 March 2026", in the server's time zone when given (pages and server write the same). */
export function dayWords(at: number, timeZone?: string): string {
  let f = dayFormats.get(timeZone ?? '');
  if (!f)
    dayFormats.set(timeZone ?? '', (f = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone })));
  return f.format(new Date(at));
}

/** "2 groups", "1 group". */
export const groupsWords = (n: number) => `${n} ${n === 1 ? 'group' : 'groups'}`;

// ---- What the server answers about forums (server/forums.ts), for the pages too ----

/** A forum as others may see it: name and level. */
export interface ForumRef {
  id: string;
  name: string;
  level: ForumLevel;
}

/** One step of where a point came from: the forum and workshop where it was agreed, and who stood behind it there. */
export interface LineageNode {
  id: string;
  forum: ForumRef;
  workshopTitle: string;
  agreedAt: number;
  backing: PointBacking;
  withdrawn: { at: number; by: string } | null;
  /** The points of child forums it was rolled up from. */
  from: LineageNode[];
}

/** A shared point with its provenance, as a parent forum's facilitator (or a rolled-up card's board) sees it. */
export interface SharedView {
  id: string;
  text: string;
  forum: ForumRef;
  workshopTitle: string;
  agreedAt: number;
  sharedAt: number;
  backing: PointBacking;
  /** Withdrawn by its forum: shown as such, never silently gone. */
  withdrawn: { at: number; by: string } | null;
  /** Distinct groups (workshops where it was first agreed) behind it. */
  breadth: number;
  /** Everything behind it, added up exactly from the groups where it was first agreed. */
  total: TotalBacking;
  lineage: LineageNode;
}

/** A rolled-up card on a board: the shared points it stands for. */
export interface RollupCardView {
  boardId: string;
  cardId: string;
  /** The card's words on the board now; null when it is no longer on the board. */
  text: string | null;
  sources: SharedView[];
  breadth: number;
  total: TotalBacking;
}

/** A point of a forum's collective view. */
export interface CollectivePoint {
  /** `shared:<id>` for a child forum's shared point, `agreed:<workshopId>:<boardId>:<pointId>` for one of its own workshops'. */
  id: string;
  text: string;
  breadth: number;
  total: TotalBacking;
  /** Where it is from: its own workshop (forum, title, date), or the child forum that shared it. */
  from: { forum: ForumRef; workshopTitle: string; agreedAt: number };
  /** The groups where it was first agreed: group, date, support (never a card or a name). */
  groups: { forum: ForumRef; workshopTitle: string; agreedAt: number; backing: PointBacking }[];
  lineage: LineageNode;
}

/** An agreed point of one of the forum's workshops, with whether it is shared up. */
export interface OwnPoint {
  workshopId: string;
  boardId: string;
  pointId: string;
  version: number;
  text: string;
  agreedAt: number;
  backing: PointBacking;
  shared: { id: string; withdrawnAt: number | null } | null;
}
