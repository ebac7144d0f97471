// The briefing: one typed model of what a workshop concluded, for the people who take it into a
// board meeting. Built here, purely, from plain facts the server reads (the store and the board
// documents); every format (print view, HTML, PDF, Markdown, CSV) is made from this model, so
// they cannot say different things. The JSON archive (briefing.json) is not: it carries the boards
// themselves (src/lib/protocol/archive.ts, written by server/archive.ts).
//
// Names: the model names nobody. Cards never carry their writer (as on the board), who took part
// is counted by role group, and support counts people without naming them. Cards posted without
// a name are counted apart and are never linked to anyone.
import type { Lane } from '../board/schema';
import {
  changesSince,
  isHiddenSource,
  KEY_POINT_RULES,
  sourceKind,
  withoutHiddenWords,
  type AgreedVersion,
  type Changes,
  type PointNow
} from './agreed';
import type { ConsentResults } from './consent';
import { isRepresentative, type Role } from './roles';
import { supportOf, themeOfSource, type Support, type SupportFacts } from './support';
import { themeItem, type GroupSummary, type VoteResults, type VoteSubject, type VotingRole } from './votes';

/** The model's shape; a reader of a stored briefing checks it. */
export const BRIEFING_VERSION = 1;

/** How many solutions the briefing puts first. */
export const TOP_SOLUTIONS = 5;

/** A card's totals in the last closed vote it was in. Groups not shown on their own stay null. */
export interface CardVotes {
  voteId: string;
  total: number | null;
  byGroup: Record<VotingRole, number | null>;
  together: number | null;
}

export interface BriefingCard {
  id: string;
  lane: Lane;
  /** Its place in its list, from 1. */
  position: number;
  text: string;
  /** Posted without a name. Never linked to anyone. */
  anonymous: boolean;
  /** The theme it is in (its id), if any. */
  theme: string | null;
  votes: CardVotes | null;
}

export interface BriefingTheme {
  id: string;
  name: string;
  cards: BriefingCard[];
  /** The theme's own totals, when a closed vote was on themes. */
  votes: CardVotes | null;
}

export interface BriefingSource {
  id: string;
  kind: 'card' | 'theme';
  /** Its words (a theme: its name); null when it is no longer there to show. */
  text: string | null;
  lane: Lane | null;
  /** Taken off the board by a facilitator since: its words are not shown. */
  hidden: boolean;
}

export interface BriefingKeyPoint {
  id: string;
  text: string;
  sources: BriefingSource[];
  support: Support;
}

export interface BriefingVersion {
  number: number;
  agreedAt: number;
  points: BriefingKeyPoint[];
}

export interface BriefingKeyPoints {
  /** 'agreed': the points are the last agreed version's; 'draft': none has been agreed yet. */
  status: 'agreed' | 'draft';
  /** What the briefing stands behind: the last agreed version, else the points as they are. */
  points: BriefingKeyPoint[];
  agreed: { number: number; agreedAt: number } | null;
  /** The points on the board now, with their support now. */
  current: BriefingKeyPoint[];
  /** What changed on the board since the last agreed version (null when none was agreed). */
  changes: Changes | null;
  /** Agreed versions before the last, oldest first. */
  earlier: BriefingVersion[];
}

export interface BriefingVote {
  voteId: string;
  on: VoteSubject;
  closedAt: number;
  voters: number | null;
  groups: GroupSummary[];
}

export interface BriefingBoard {
  id: string;
  title: string;
  keyPoints: BriefingKeyPoints;
  /** The consent round on the key points (the one before they were agreed, else the last), if any. */
  consent: ConsentResults | null;
  /** Solutions by closed vote (most votes first), else in the list's order. */
  topSolutions: { by: 'vote' | 'order'; cards: BriefingCard[] };
  themes: BriefingTheme[];
  /** Cards in no theme. */
  unthemed: BriefingCard[];
  /** Every card on the board (hidden ones are not), by list. */
  cards: BriefingCard[];
  votes: BriefingVote[];
}

export interface Briefing {
  version: typeof BRIEFING_VERSION;
  workshop: { id: string; title: string; question: string; createdAt: number; endedAt: number | null };
  madeAt: number;
  context: { boards: number; cards: number; cardsWithoutName: number; themes: number; closedVotes: number; keyPoints: number };
  /** Who took part, by role group (people still in the workshop). Nobody is named. */
  people: Record<Role, number> & { total: number; representatives: number };
  boards: BriefingBoard[];
}

// ---------------------------------------------------------------------------------------------
// Building it

export interface BriefingCardFacts {
  id: string;
  lane: Lane;
  text: string;
  anonymous: boolean;
  theme: string | null;
}

export interface BriefingBoardInput {
  id: string;
  title: string;
  /** The board's cards now, in list order. */
  cards: readonly BriefingCardFacts[];
  themes: readonly { id: string; name: string }[];
  keyPoints: readonly PointNow[];
  /** Closed votes on this board, oldest first. */
  votes: readonly VoteResults[];
  /** Agreed versions of its key points, oldest first. */
  agreed: readonly AgreedVersion[];
  /** Closed consent rounds on this board, oldest first. */
  consent: readonly ConsentResults[];
  /** Cards a facilitator has hidden (their words are not shown, even where a version kept them). */
  hidden: readonly string[];
}

export interface BriefingInput {
  workshop: Briefing['workshop'];
  madeAt: number;
  people: readonly { role: Role; removedAt: number | null; representative?: boolean }[];
  boards: readonly BriefingBoardInput[];
  /** Who wrote a card (authorship records); used only to count people, never shown. */
  authorOf: (boardId: string, cardId: string) => string | null;
}

function cardVotes(votes: readonly VoteResults[], itemId: string): CardVotes | null {
  for (let i = votes.length - 1; i >= 0; i--) {
    const row = votes[i].rows.find((r) => r.itemId === itemId);
    if (row) return { voteId: votes[i].voteId, total: row.total, byGroup: { ...row.byGroup }, together: row.together };
  }
  return null;
}

function boardBriefing(input: BriefingBoardInput, authorOf: BriefingInput['authorOf']): BriefingBoard {
  const themeIds = new Set(input.themes.map((t) => t.id));
  const positions = new Map<Lane, number>();
  const cards: BriefingCard[] = input.cards.map((c) => {
    const position = (positions.get(c.lane) ?? 0) + 1;
    positions.set(c.lane, position);
    return {
      id: c.id,
      lane: c.lane,
      position,
      text: c.text,
      anonymous: c.anonymous,
      theme: c.theme !== null && themeIds.has(c.theme) ? c.theme : null,
      votes: cardVotes(input.votes, c.id)
    };
  });
  const byId = new Map(cards.map((c) => [c.id, c]));
  const themeName = new Map(input.themes.map((t) => [t.id, t.name]));
  const hidden = new Set(input.hidden);

  const facts: SupportFacts = {
    cards,
    themes: [...themeIds],
    authorOf: (cardId) => authorOf(input.id, cardId),
    votes: input.votes
  };
  const current: BriefingKeyPoint[] = input.keyPoints.map((p) => ({
    id: p.id,
    text: p.text,
    sources: p.sources.map((id) => {
      const theme = themeOfSource(id);
      const card = theme === null ? byId.get(id) : undefined;
      return {
        id,
        kind: sourceKind(id),
        text: theme !== null ? (themeName.get(theme) ?? null) : card ? card.text.slice(0, KEY_POINT_RULES.sourceChars) : null,
        lane: card?.lane ?? null,
        hidden: theme === null && hidden.has(id)
      };
    }),
    support: supportOf(p.sources, facts)
  }));
  const frozen = (v: AgreedVersion): BriefingVersion => ({
    number: v.number,
    agreedAt: v.agreedAt,
    points: withoutHiddenWords(v, hidden).points.map((p) => ({
      id: p.id,
      text: p.text,
      support: p.support,
      sources: p.sources.map((s) => ({ id: s.id, kind: s.kind, text: s.text, lane: s.lane, hidden: isHiddenSource(s, hidden) }))
    }))
  });
  const last = input.agreed.length ? input.agreed[input.agreed.length - 1] : null;
  const consent =
    (last?.consentId && input.consent.find((c) => c.consentId === last.consentId)) || input.consent[input.consent.length - 1] || null;

  // Solutions: by the last closed vote that gave any of them totals, else in their list's order.
  const solutions = cards.filter((c) => c.lane === 'solutions');
  const ranked = [...input.votes].reverse().find((v) => v.voters !== null && v.rows.some((r) => solutions.some((c) => c.id === r.itemId)));
  const topSolutions: BriefingBoard['topSolutions'] = ranked
    ? {
        by: 'vote',
        cards: ranked.rows
          .filter((r) => byId.get(r.itemId)?.lane === 'solutions' && (r.total ?? 0) > 0)
          .slice(0, TOP_SOLUTIONS)
          .map((r) => ({
            ...byId.get(r.itemId)!,
            votes: { voteId: ranked.voteId, total: r.total, byGroup: { ...r.byGroup }, together: r.together }
          }))
      }
    : { by: 'order', cards: solutions.slice(0, TOP_SOLUTIONS) };
  if (topSolutions.by === 'vote' && topSolutions.cards.length === 0) {
    topSolutions.by = 'order';
    topSolutions.cards = solutions.slice(0, TOP_SOLUTIONS);
  }

  return {
    id: input.id,
    title: input.title,
    keyPoints: {
      status: last ? 'agreed' : 'draft',
      points: last ? frozen(last).points : current,
      agreed: last ? { number: last.number, agreedAt: last.agreedAt } : null,
      current,
      changes: last ? changesSince(last, input.keyPoints) : null,
      earlier: input.agreed.slice(0, -1).map(frozen)
    },
    consent,
    topSolutions,
    themes: input.themes.map((t) => ({
      id: t.id,
      name: t.name,
      cards: cards.filter((c) => c.theme === t.id),
      votes: cardVotes(input.votes, themeItem(t.id))
    })),
    unthemed: cards.filter((c) => c.theme === null),
    cards,
    votes: input.votes.map((v) => ({
      voteId: v.voteId,
      on: v.on,
      closedAt: v.closedAt,
      voters: v.voters,
      groups: v.groups.map((g) => ({ ...g }))
    }))
  };
}

export function buildBriefing(input: BriefingInput): Briefing {
  const boards = input.boards.map((b) => boardBriefing(b, input.authorOf));
  const here = input.people.filter((p) => p.removedAt === null);
  const count = (role: Role) => here.filter((p) => p.role === role).length;
  return {
    version: BRIEFING_VERSION,
    workshop: { ...input.workshop },
    madeAt: input.madeAt,
    context: {
      boards: boards.length,
      cards: boards.reduce((n, b) => n + b.cards.length, 0),
      cardsWithoutName: boards.reduce((n, b) => n + b.cards.filter((c) => c.anonymous).length, 0),
      themes: boards.reduce((n, b) => n + b.themes.length, 0),
      closedVotes: boards.reduce((n, b) => n + b.votes.length, 0),
      keyPoints: boards.reduce((n, b) => n + b.keyPoints.points.length, 0)
    },
    people: {
      facilitator: count('facilitator'),
      member: count('member'),
      decisionMaker: count('decisionMaker'),
      observer: count('observer'),
      total: here.length,
      representatives: here.filter(isRepresentative).length
    },
    boards
  };
}
