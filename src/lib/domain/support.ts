// What stands behind a key point, counted and never named: the cards it comes from (named
// directly, or in a theme it names), how many distinct people wrote them, how many were posted
// without a name, how many came with the workshop from an archive (a name on them, but no writer
// known here), and the closed votes' totals for its sources by role group. Pure: the server passes in the authorship records (they never reach a page) and the
// results of closed votes (which already hide small groups; nothing here can undo that).
import { VOTING_ROLES, type GroupSummary, type VoteResults, type VotingRole } from './votes';

/** A key point's source: a card id, or a theme as `theme:<themeId>` (the same form as vote items). */
export const THEME_SOURCE = 'theme:';
export const themeSource = (themeId: string): string => THEME_SOURCE + themeId;
export const themeOfSource = (source: string): string | null =>
  source.startsWith(THEME_SOURCE) ? source.slice(THEME_SOURCE.length) : null;

export interface SupportCard {
  id: string;
  /** The theme it is in, when that theme exists. */
  theme: string | null;
  /** Posted without a name. */
  anonymous: boolean;
}

export interface SupportFacts {
  /** The board's cards now (hidden and deleted cards are not on it). */
  cards: readonly SupportCard[];
  /** The board's theme ids now. */
  themes: readonly string[];
  /**
   * Who wrote a card, from the authorship records; null for a card with none. Cards posted
   * without a name never have one, so they are counted apart and can never be linked to anyone;
   * nor do cards brought in from an archive (the archive names no writer).
   */
  authorOf: (cardId: string) => string | null;
  /** The board's closed votes, oldest first. */
  votes: readonly VoteResults[];
}

/** One closed vote's totals for a key point's sources. Groups not shown on their own stay null. */
export interface VoteSupport {
  voteId: string;
  closedAt: number;
  /** How many of the vote's items are among the point's sources (cards, or themes). */
  items: number;
  /** Everyone's votes on them; null when fewer than 3 people voted. */
  total: number | null;
  byGroup: Record<VotingRole, number | null>;
  /** The groups not shown on their own, counted together; null when there are none to show. */
  together: number | null;
  /** Which groups `together` counts. */
  togetherRoles: VotingRole[];
  groups: GroupSummary[];
}

export interface Support {
  /** Cards behind the point that are on the board now (named directly, or in a theme it names). */
  cards: number;
  /** Distinct people who wrote those cards with their name. Counted, never named. */
  people: number;
  /** Those cards posted without a name. */
  withoutName: number;
  /**
   * Those cards with a name on them but no writer recorded here: cards that came with a workshop
   * made from an archive (POST /api/workshops/import), written in the earlier workshop by people
   * this one does not know. Neither people nor "without a name". Absent from versions agreed
   * before it was counted apart (read it as 0).
   */
  earlier?: number;
  /** Sources no longer on the board (a card hidden or deleted, a theme deleted). */
  missing: number;
  votes: VoteSupport[];
}

export const NO_SUPPORT: Support = { cards: 0, people: 0, withoutName: 0, earlier: 0, missing: 0, votes: [] };

/** The support of a key point with these sources, on a board as `facts` describe it. */
export function supportOf(sources: readonly string[], facts: SupportFacts): Support {
  const cardIds = new Set(facts.cards.map((c) => c.id));
  const themeIds = new Set(facts.themes);
  const named = new Set<string>();
  const themes = new Set<string>();
  let missing = 0;
  for (const source of new Set(sources)) {
    const theme = themeOfSource(source);
    if (theme !== null) {
      if (themeIds.has(theme)) themes.add(theme);
      else missing++;
    } else if (cardIds.has(source)) named.add(source);
    else missing++;
  }
  // The cards behind it: those named, and every card now in a theme it names.
  const behind = new Set(named);
  for (const c of facts.cards) if (c.theme !== null && themes.has(c.theme)) behind.add(c.id);
  const anonymous = new Set(facts.cards.filter((c) => c.anonymous).map((c) => c.id));
  const people = new Set<string>();
  let withoutName = 0;
  let earlier = 0;
  for (const id of behind) {
    if (anonymous.has(id)) {
      withoutName++;
      continue;
    }
    const author = facts.authorOf(id);
    if (author === null) earlier++;
    else people.add(author);
  }
  const items = new Set<string>([...behind, ...[...themes].map(themeSource)]);
  const votes: VoteSupport[] = [];
  for (const vote of facts.votes) {
    const rows = vote.rows.filter((r) => items.has(r.itemId));
    if (!rows.length) continue;
    const sum = (get: (r: (typeof rows)[number]) => number | null): number | null =>
      rows.reduce<number | null>((n, r) => (n === null || get(r) === null ? null : n + get(r)!), 0);
    votes.push({
      voteId: vote.voteId,
      closedAt: vote.closedAt,
      items: rows.length,
      total: sum((r) => r.total),
      byGroup: Object.fromEntries(VOTING_ROLES.map((role) => [role, sum((r) => r.byGroup[role])])) as Record<VotingRole, number | null>,
      together: vote.together ? sum((r) => r.together) : null,
      togetherRoles: vote.together ? [...vote.together.roles] : [],
      groups: vote.groups.map((g) => ({ ...g }))
    });
  }
  return { cards: behind.size, people: people.size, withoutName, earlier, missing, votes };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "a, b and c". */
const listWords = (parts: readonly string[]) =>
  parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;

/** "3 cards from an earlier workshop": cards with a name whose writer is not known here (Support.earlier). */
export const earlierWords = (n: number) => plural(n, 'card from an earlier workshop', 'cards from an earlier workshop');

/** "From 7 people, 2 cards without a name and 3 cards from an earlier workshop", in plain words. */
export function contributorsWords(s: Pick<Support, 'people' | 'withoutName' | 'earlier' | 'cards'>): string {
  if (s.cards === 0) return 'No cards linked yet.';
  const parts: string[] = [];
  if (s.people) parts.push(plural(s.people, 'person', 'people'));
  if (s.withoutName) parts.push(plural(s.withoutName, 'card without a name', 'cards without a name'));
  if (s.earlier) parts.push(earlierWords(s.earlier));
  return `From ${listWords(parts)}.`;
}

const GROUP_WORDS: Record<VotingRole, string> = { member: 'members', decisionMaker: 'decision makers', facilitator: 'facilitators' };

/** The words for the groups a vote counts together ("decision makers and facilitators"). */
export function groupsWords(roles: readonly VotingRole[]): string {
  return listWords(roles.map((r) => GROUP_WORDS[r]));
}

/** One vote's support in a line: "12 votes: members 8, decision makers 4, facilitators fewer than 3 people". */
export function voteSupportWords(v: VoteSupport): string {
  if (v.total === null) return 'Fewer than 3 people voted, so no totals are shown.';
  const parts: string[] = [];
  for (const g of v.groups) {
    if (g.voters === 0) continue;
    if (g.shown === 'own') parts.push(`${GROUP_WORDS[g.role]} ${v.byGroup[g.role] ?? 0}`);
  }
  if (v.together !== null && v.togetherRoles.length) parts.push(`${groupsWords(v.togetherRoles)} together ${v.together}`);
  else if (v.groups.some((g) => g.shown !== 'own' && g.voters > 0))
    parts.push(`${groupsWords(v.groups.filter((g) => g.shown !== 'own' && g.voters > 0).map((g) => g.role))}: fewer than 3 people`);
  const total = plural(v.total, 'vote', 'votes');
  return parts.length ? `${total}: ${parts.join(', ')}.` : `${total}.`;
}
