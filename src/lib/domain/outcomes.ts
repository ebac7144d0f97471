// "You said, we did": recommendations and what happened to each, pure. A recommendation is made
// from an agreed key point, a solution card, or written afresh, and addressed to a decision
// maker as a role or body. Its timeline is append-only: every change (a status with its plain
// explanation, a new addressee, a link to another recommendation) is a dated entry, a mistake is
// put right by a later entry that corrects it, and where it stands now is replayed from the
// entries. The server decides with these rules; the page words the statuses with them.
import { cleanText } from './text';

/** What a decision maker says has happened, in the order an idea usually travels. */
export const STATUSES = ['heard', 'underConsideration', 'piloting', 'evaluating', 'embedded', 'notTakenForward'] as const;
export type Status = (typeof STATUSES)[number];

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** Each status in plain words: its label, what it means, and the easy read sentence. */
export const STATUS_INFO: Record<Status, { label: string; means: string; easy: string }> = {
  heard: { label: 'Heard', means: 'The decision maker has heard it and will look at it.', easy: 'They have heard this idea.' },
  underConsideration: {
    label: 'Under consideration',
    means: 'They are thinking about whether and how to do it.',
    easy: 'They are thinking about it.'
  },
  piloting: { label: 'Piloting', means: 'They are trying it out on a small scale.', easy: 'They are trying it out.' },
  evaluating: { label: 'Evaluating', means: 'They are checking how well it works.', easy: 'They are checking if it works.' },
  embedded: { label: 'Embedded', means: 'It is now part of how things are done.', easy: 'It is now part of how things are done.' },
  notTakenForward: {
    label: 'Not taken forward',
    means: 'They decided not to do it, and say why.',
    easy: 'They decided not to do it. They say why.'
  }
};

/** A recommendation nobody has answered yet. */
export const WAITING_LABEL = 'Waiting for an answer';

export const OUTCOME_RULES = {
  /** A recommendation's words. */
  text: 500,
  /** Who it is for: a role or body ("Head of Probation, North East"). */
  addressedTo: 120,
  /** The plain-words explanation every change needs. */
  explanation: 1000,
  /** A source's words kept with the recommendation (a key point's or a card's). */
  sourceWords: 200,
  /** Recommendations in one workshop. */
  perWorkshop: 200,
  /** Entries in one recommendation's timeline. */
  entriesPerRecommendation: 200
} as const;

/** Who may make and answer recommendations. Members and observers read them. */
export type Answerer = 'facilitator' | 'decisionMaker';

export function isAnswerer(role: string): role is Answerer {
  return role === 'facilitator' || role === 'decisionMaker';
}

/** Facilitators and decision makers (not removed) may make and answer recommendations: the one rule, for the server and the page. */
export function mayAnswer(participant: { role: string; removedAt?: number | null }): boolean {
  return (participant.removedAt ?? null) === null && isAnswerer(participant.role);
}

/** What people are told when a recommendation cannot be reached, the same from the API and the page. */
export const OUTCOME_TEXT = {
  forbidden: 'Only decision makers and facilitators can add recommendations or say what happened to them. You can read them here.',
  noSuchRecommendation: 'There is no such recommendation in this workshop.',
  notSignedIn: 'Sign in to this workshop first: use your invite link.'
} as const;

/** Where a new recommendation comes from, as chosen: an agreed key point, a solution card, or nothing (written afresh). */
export type SourceChoice =
  { kind: 'keyPoint'; boardId: string; pointId: string } | { kind: 'card'; boardId: string; cardId: string } | null;

/** "keyPoint:<boardId>:<pointId>" or "card:<boardId>:<cardId>", as the page's choice sends it; '' for none. */
export function sourceChoiceOf(value: string): SourceChoice | 'invalid' {
  if (value === '') return null;
  const [kind, boardId, id, ...rest] = value.split(':');
  if (!boardId || !id || rest.length) return 'invalid';
  if (kind === 'keyPoint') return { kind, boardId, pointId: id };
  if (kind === 'card') return { kind, boardId, cardId: id };
  return 'invalid';
}

/** The same choice from the API's JSON (`{ kind, boardId, pointId | cardId }`), or 'invalid'. */
export function sourceChoiceFrom(raw: unknown): SourceChoice | 'invalid' {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) return 'invalid';
  const r = raw as Record<string, unknown>;
  const id = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v);
  if (Object.keys(r).length !== 3 || !id(r.boardId)) return 'invalid';
  if (r.kind === 'keyPoint' && id(r.pointId)) return { kind: 'keyPoint', boardId: r.boardId, pointId: r.pointId };
  if (r.kind === 'card' && id(r.cardId)) return { kind: 'card', boardId: r.boardId, cardId: r.cardId };
  return 'invalid';
}

/** Where a recommendation came from, with the source's words when it was made (null once its writer removed them). */
export type RecommendationSource =
  | { kind: 'keyPoint'; boardId: string; pointId: string; version: number; words: string | null }
  | { kind: 'card'; boardId: string; cardId: string; words: string | null };

export interface Recommendation {
  id: string;
  workshopId: string;
  /** 1 for the workshop's first recommendation, then 2... (what people call it: "Recommendation 3"). */
  number: number;
  text: string;
  /** Who it was first addressed to; a later `addressed` entry may change who it is for. */
  addressedTo: string;
  source: RecommendationSource | null;
  createdAt: number;
  createdBy: Answerer;
}

export type TimelineChange =
  /** What is happening now, and why in plain words; `corrects` names an earlier status entry this one puts right. */
  | { kind: 'status'; status: Status; explanation: string; corrects: number | null }
  /** It is for someone else now (a job changed hands). */
  | { kind: 'addressed'; addressedTo: string; explanation: string }
  /** This recommendation led to another ("this pilot became that service"). */
  | { kind: 'link'; to: string; explanation: string }
  /** A link made by mistake no longer counts (the link entry stays in the timeline). */
  | { kind: 'unlink'; to: string; explanation: string };

export type ChangeKind = TimelineChange['kind'];
export const CHANGE_KINDS = ['status', 'addressed', 'link', 'unlink'] as const satisfies readonly ChangeKind[];

export interface TimelineEntry {
  recommendationId: string;
  /** 1, 2... within its recommendation: the order entries were taken in, even within one millisecond. */
  seq: number;
  /** The server's clock. */
  at: number;
  /** The role of whoever made the change: never who. */
  by: Answerer;
  change: TimelineChange;
}

/** Where a recommendation stands, replayed from its timeline. */
export interface Standing {
  /** The latest status; null while nobody has answered. */
  status: Status | null;
  /** The latest explanation given with a status. */
  explanation: string | null;
  addressedTo: string;
  /** Recommendations this one led to, oldest link first (links taken back are left out). */
  ledTo: string[];
  /** Status entries a later entry corrected, by seq. */
  corrected: number[];
  /** Statuses it reached, in order, leaving out entries that were corrected. */
  reached: Status[];
  /** When it was made or last changed. */
  lastChangeAt: number;
}

/** Replays a timeline (entries in seq order) onto its recommendation. */
export function standing(rec: Pick<Recommendation, 'addressedTo' | 'createdAt'>, timeline: readonly TimelineEntry[]): Standing {
  const out: Standing = {
    status: null,
    explanation: null,
    addressedTo: rec.addressedTo,
    ledTo: [],
    corrected: [],
    reached: [],
    lastChangeAt: rec.createdAt
  };
  const statusAt = new Map<number, Status>();
  for (const e of [...timeline].sort((a, b) => a.seq - b.seq)) {
    out.lastChangeAt = Math.max(out.lastChangeAt, e.at);
    const c = e.change;
    switch (c.kind) {
      case 'status':
        out.status = c.status;
        out.explanation = c.explanation;
        statusAt.set(e.seq, c.status);
        if (c.corrects !== null) out.corrected.push(c.corrects);
        break;
      case 'addressed':
        out.addressedTo = c.addressedTo;
        break;
      case 'link':
        if (!out.ledTo.includes(c.to)) out.ledTo.push(c.to);
        break;
      case 'unlink':
        out.ledTo = out.ledTo.filter((id) => id !== c.to);
        break;
      default: {
        const never: never = c;
        return never;
      }
    }
  }
  // A corrected entry's status was a mistake: it does not count as reached.
  const corrected = new Set(out.corrected);
  for (const [seq, status] of [...statusAt].sort((a, b) => a[0] - b[0])) {
    if (!corrected.has(seq) && !out.reached.includes(status)) out.reached.push(status);
  }
  return out;
}

export type Check<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

const refuse = (field: string, message: string): { ok: false; field: string; message: string } => ({ ok: false, field, message });

/** A text people typed, cleaned, with the GOV.UK-style message when it is empty or too long. */
function words(raw: unknown, field: string, max: number, empty: string, what: string, keepNewlines: boolean): Check<string> {
  const value = typeof raw === 'string' ? cleanText(raw, keepNewlines) : '';
  if (!value) return refuse(field, empty);
  if (value.length > max)
    return refuse(
      field,
      `${what} must be ${max.toLocaleString('en-GB')} characters or fewer. Yours has ${value.length.toLocaleString('en-GB')}`
    );
  return { ok: true, value };
}

export const checkAddressedTo = (raw: unknown, field = 'addressedTo') =>
  words(
    raw,
    field,
    OUTCOME_RULES.addressedTo,
    'Say who this is for: a role or a body, for example Head of Probation, North East',
    'Who it is for',
    false
  );

export const checkRecommendationText = (raw: unknown, field = 'text') =>
  words(raw, field, OUTCOME_RULES.text, 'Write the recommendation in a few plain words', 'The recommendation', true);

function checkExplanation(raw: unknown, status: Status | null): Check<string> {
  return words(
    raw,
    'explanation',
    OUTCOME_RULES.explanation,
    status === 'notTakenForward'
      ? 'Say why it was not taken forward, in plain words'
      : status
        ? 'Explain the change in plain words: what is happening and why'
        : 'Explain the change in plain words',
    'The explanation',
    true
  );
}

/** Whether a new recommendation may be made in a workshop that has `count` already. */
export function checkRoom(count: number): Check<null> {
  if (count >= OUTCOME_RULES.perWorkshop) {
    return refuse('text', `This workshop has ${OUTCOME_RULES.perWorkshop} recommendations, the most it can hold.`);
  }
  return { ok: true, value: null };
}

/** A change as sent (the API's JSON or the page's form), before it is checked. */
export interface ChangeDraft {
  kind?: unknown;
  status?: unknown;
  explanation?: unknown;
  corrects?: unknown;
  to?: unknown;
  addressedTo?: unknown;
}

/**
 * What a link may point at, looked up by the server: a recommendation of this workshop or of a
 * workshop of the same group (see docs/API.md, "Links"), or null when there is no such one there.
 */
export interface LinkTarget {
  id: string;
  number: number;
  workshopId: string;
  /** Whether the target links back to this one already (links go one way; a loop says nothing new). */
  linksBack: boolean;
}

const STATUS_LIST = STATUSES.map((s) => STATUS_INFO[s].label.toLowerCase()).join(', ');

/**
 * Checks a change to a recommendation against its timeline (in seq order). Refusals name the field
 * to fix and say how, in plain words. A change never rewrites an entry: it is appended.
 */
export function checkChange(
  draft: ChangeDraft,
  rec: Pick<Recommendation, 'id' | 'addressedTo' | 'createdAt'>,
  timeline: readonly TimelineEntry[],
  target: LinkTarget | null = null
): Check<TimelineChange> {
  if (timeline.length >= OUTCOME_RULES.entriesPerRecommendation) {
    return refuse('kind', `This recommendation has ${OUTCOME_RULES.entriesPerRecommendation} updates, the most it can hold.`);
  }
  const now = standing(rec, timeline);
  const kind = draft.kind ?? 'status';
  switch (kind) {
    case 'status': {
      if (!isStatus(draft.status)) return refuse('status', `Choose what is happening now: ${STATUS_LIST}`);
      const explanation = checkExplanation(draft.explanation, draft.status);
      if (!explanation.ok) return explanation;
      let corrects: number | null = null;
      if (draft.corrects !== undefined && draft.corrects !== null && draft.corrects !== '') {
        const seq = typeof draft.corrects === 'string' ? Number(draft.corrects) : draft.corrects;
        const earlier = timeline.find((e) => e.seq === seq);
        if (typeof seq !== 'number' || !earlier || earlier.change.kind !== 'status') {
          return refuse('corrects', 'Choose an earlier update of this recommendation to correct, or none');
        }
        if (now.corrected.includes(seq))
          return refuse('corrects', 'That update has been corrected already. Correct the correction instead');
        corrects = seq;
      }
      return { ok: true, value: { kind: 'status', status: draft.status, explanation: explanation.value, corrects } };
    }
    case 'addressed': {
      const to = checkAddressedTo(draft.addressedTo);
      if (!to.ok) return to;
      if (to.value === now.addressedTo) return refuse('addressedTo', `It is already for ${now.addressedTo}. Type who it is for now`);
      const explanation = checkExplanation(draft.explanation, null);
      if (!explanation.ok) return explanation;
      return { ok: true, value: { kind: 'addressed', addressedTo: to.value, explanation: explanation.value } };
    }
    case 'link':
    case 'unlink': {
      if (typeof draft.to !== 'string' || !draft.to) return refuse('to', 'Choose the recommendation it led to');
      if (draft.to === rec.id) return refuse('to', 'A recommendation cannot lead to itself. Choose another one');
      if (!target || target.id !== draft.to) {
        return refuse('to', 'There is no such recommendation in this workshop or the workshops of its group');
      }
      const linked = now.ledTo.includes(target.id);
      if (kind === 'link' && (linked || target.linksBack))
        return refuse('to', `These are linked already (recommendation ${target.number})`);
      if (kind === 'unlink' && !linked) return refuse('to', `This recommendation does not lead to recommendation ${target.number}`);
      const explanation = checkExplanation(draft.explanation, null);
      if (!explanation.ok) return explanation;
      return { ok: true, value: { kind: kind === 'link' ? 'link' : 'unlink', to: target.id, explanation: explanation.value } };
    }
    default:
      return refuse('kind', 'Choose what to change: its status, who it is for, or a link to another recommendation');
  }
}

// ---------------------------------------------------------------------------------------------
// How many reached each status, for the outcomes summary.

export interface StatusCounts {
  total: number;
  /** Where each stands now; `waiting`: nobody has answered yet. */
  now: Record<Status | 'waiting', number>;
  /** How many reached each status at some point (corrected entries left out). */
  reached: Record<Status, number>;
}

export function countStatuses(standings: readonly Standing[]): StatusCounts {
  const now = Object.fromEntries([...STATUSES, 'waiting'].map((s) => [s, 0])) as StatusCounts['now'];
  const reached = Object.fromEntries(STATUSES.map((s) => [s, 0])) as StatusCounts['reached'];
  for (const s of standings) {
    now[s.status ?? 'waiting']++;
    for (const r of s.reached) reached[r]++;
  }
  return { total: standings.length, now, reached };
}

// ---------------------------------------------------------------------------------------------
// What changed since a person's last look ("What happened to our ideas").

/** A person's looks at a workshop's outcomes page, kept by the server per participant. */
export interface Visit {
  /** Their latest look. */
  seenAt: number;
  /** Changes after this are shown as new; null on a first look (nothing is marked new). */
  since: number | null;
}

/** A look within this long of the last one, with nothing new since, keeps the same highlights (a reload, a back button). */
export const VISIT_GRACE_MS = 30 * 60_000;

/**
 * The visit a look at `now` makes, from the last one and the time of the latest change. What is
 * newer than the last look is new; a reload soon after keeps showing it as new; a later look with
 * nothing new since marks nothing.
 */
export function nextVisit(last: Visit | null, latestChangeAt: number | null, now: number): Visit {
  if (!last) return { seenAt: now, since: null };
  if (latestChangeAt !== null && latestChangeAt > last.seenAt) return { seenAt: now, since: last.seenAt };
  if (now - last.seenAt < VISIT_GRACE_MS) return { seenAt: now, since: last.since };
  return { seenAt: now, since: last.seenAt };
}

/** Whether something that happened at `at` is new to a person on this visit. */
export function isNewSince(visit: Pick<Visit, 'since'>, at: number): boolean {
  return visit.since !== null && at > visit.since;
}
