// A consent round, pure: on each of the current key points, everyone who takes part (not
// observers) answers "I agree", "I can live with it" or "I object", without their name. Like a
// dot vote, the server holds each person's answers only while the round is open (so each person
// counts once and can change their mind), and keeps only totals by role group once it closes,
// with the same small-group rule: the summary is made by votes.ts's summarise(), with one item
// per point and answer, so a group of fewer than 3 people is never shown on its own, nor in a way
// that lets it be worked out by subtraction.
import { present, VOTING_ROLES, summarise, type GroupSummary, type Unit, type VoteSummary, type VotingRole } from './votes';

export const CONSENT_ANSWERS = ['agree', 'live', 'object'] as const;
export type ConsentAnswer = (typeof CONSENT_ANSWERS)[number];

/** What each answer says, as people choose it. */
export const CONSENT_LABEL: Record<ConsentAnswer, string> = {
  agree: 'I agree',
  live: 'I can live with it',
  object: 'I object'
};

/** The same, as a count of people ("5 agree"). */
export const CONSENT_COUNT_LABEL: Record<ConsentAnswer, string> = { agree: 'agree', live: 'can live with it', object: 'object' };

export const CONSENT_QUESTION = 'Does this say what we think?';

export const CONSENT_RULES = {
  /** Most key points a round can ask about (the most a board's list may have). */
  maxPoints: 30,
  /** Words of each point kept with the round, cut to this. */
  textChars: 500
} as const;

export function isConsentAnswer(value: unknown): value is ConsentAnswer {
  return typeof value === 'string' && (CONSENT_ANSWERS as readonly string[]).includes(value);
}

/** A key point as the round asks about it: fixed when the round opens. */
export interface ConsentPoint {
  id: string;
  text: string;
}

/** One person's answer on one point (only while the round is open). */
export interface ConsentEntry {
  participantId: string;
  pointId: string;
  answer: ConsentAnswer;
}

/** One person's answers, by point. */
export type MyConsent = Readonly<Record<string, ConsentAnswer>>;

const itemOf = (pointId: string, answer: ConsentAnswer) => `${pointId}:${answer}`;

/** The summary's items: one per point and answer. */
export function consentItems(points: readonly ConsentPoint[]): string[] {
  return points.flatMap((p) => CONSENT_ANSWERS.map((a) => itemOf(p.id, a)));
}

/**
 * What is kept when a round closes: totals by role group of the people giving each answer on
 * each point (votes.ts's summarise: no answer, no person, no group under 3 on its own).
 */
export function summariseConsent(
  entries: readonly ConsentEntry[],
  roles: Readonly<Record<string, VotingRole>>,
  eligible: Readonly<Record<VotingRole, number>>,
  points: readonly ConsentPoint[]
): VoteSummary {
  const known = new Set(points.map((p) => p.id));
  const ballots = entries
    .filter((e) => known.has(e.pointId) && isConsentAnswer(e.answer))
    .map((e) => ({ participantId: e.participantId, itemId: itemOf(e.pointId, e.answer), count: 1 }));
  return summarise(ballots, roles, eligible, consentItems(points));
}

export interface ClosedConsentFacts {
  id: string;
  boardId: string;
  points: readonly ConsentPoint[];
  openedAt: number;
  closedAt: number;
  summary: VoteSummary;
}

/** How many people gave one answer on one point: overall, by group, and the small groups together. */
export interface ConsentCell {
  /** Everyone; null when fewer than 3 people answered at all. */
  total: number | null;
  /** Each group on its own; null for a group not shown on its own. */
  byGroup: Record<VotingRole, number | null>;
  together: number | null;
}

export interface ConsentResults {
  consentId: string;
  boardId: string;
  openedAt: number;
  closedAt: number;
  /** Each group's turnout and how it is shown ('fewer-than-3': too few answered to show it on its own). */
  groups: GroupSummary[];
  /** Everyone who answered, when 3 or more did (otherwise null, and no totals are shown at all). */
  voters: number | null;
  together: Unit | null;
  points: { pointId: string; text: string; answers: Record<ConsentAnswer, ConsentCell> }[];
}

/** The results of a closed round, from what was kept. */
export function presentConsent(round: ClosedConsentFacts): ConsentResults {
  const shown = present({
    id: round.id,
    boardId: round.boardId,
    subject: { kind: 'cards' },
    items: consentItems(round.points),
    votesPerPerson: CONSENT_ANSWERS.length,
    maxPerItem: 1,
    openedAt: round.openedAt,
    closedAt: round.closedAt,
    labels: {},
    summary: round.summary
  });
  const rows = new Map(shown.rows.map((r) => [r.itemId, r]));
  return {
    consentId: round.id,
    boardId: round.boardId,
    openedAt: round.openedAt,
    closedAt: round.closedAt,
    groups: shown.groups,
    voters: shown.voters,
    together: shown.together,
    points: round.points.map((p) => ({
      pointId: p.id,
      text: p.text,
      answers: Object.fromEntries(
        CONSENT_ANSWERS.map((a) => {
          const row = rows.get(itemOf(p.id, a));
          const cell: ConsentCell = {
            total: row?.total ?? null,
            byGroup: Object.fromEntries(VOTING_ROLES.map((r) => [r, row?.byGroup[r] ?? null])) as Record<VotingRole, number | null>,
            together: row?.together ?? null
          };
          return [a, cell];
        })
      ) as Record<ConsentAnswer, ConsentCell>
    }))
  };
}

/** "5 agree, 2 can live with it, 1 objects" for one group's (or everyone's) cells. */
export function consentWords(cells: Record<ConsentAnswer, number | null>): string {
  if (CONSENT_ANSWERS.some((a) => cells[a] === null)) return 'fewer than 3 people';
  return CONSENT_ANSWERS.map((a) => `${cells[a]} ${a === 'object' && cells[a] === 1 ? 'objects' : CONSENT_COUNT_LABEL[a]}`).join(', ');
}
