// The workshop archive: a versioned, readable JSON file of everything a workshop concluded, which
// `GET /api/workshops/<id>/briefing.json` writes and `POST /api/workshops/import` turns into a new
// workshop. One zod schema types the export and validates the import, so the two cannot drift.
// One section per source: `workshop` (the workshop's record), `participants` (people, as counts by
// role only), `facilitation` (its steps and settings), and per board its document (`cards`,
// `themes`, `keyPoints`), its closed votes (`votes`), its agreed versions of the key points
// (`agreed`) and its closed consent rounds (`consent`). A new source adds a section; a file with a
// section this build does not know is refused, never half read (see checkArchive).
//
// Version 1 still: `agreed` and `consent` came later, as did the workshop's `context` (the
// background to its question) and its `glossary`; all are optional, and are written only when there
// are any, so every file written before them still imports as it did, and a workshop that
// agreed nothing makes a file any version-1 Roundtable reads. A change that an older file could
// not meet (a section it lacks made required, a field read differently) needs version 2, and
// this build would go on reading version 1 (archive-format.ts).
//
// Ids in an archive are its own (`b1`, `c12`, `t3`, `k2`, `v1`, `r1`), written by the export in
// the order things appear: they say which card a theme, key point, vote, agreed version or consent
// round refers to, and nothing else. Something that has left the board (a card hidden or deleted,
// a theme deleted) but is still named by a key point, a vote or an agreed version is `x1`, `x2`...
// (`theme:x3` for a theme), the same in every place that names it; a key point no longer on the
// board that an agreed version or a consent round names is `p1`, `p2`... The import gives
// everything new ids of this server's own kind. See docs/API.md, "The archive".
// Server-side only at run time (the page imports types and the constants, never the schema).
import { z } from 'zod';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, formatProblem } from './archive-format';
import { LANES } from '../board/schema';
import { KEY_POINT_MAX, THEME_SOURCE } from '../board/keypoints';
import { THEME_NAME_MAX } from '../board/themes';
import { KEY_POINT_RULES } from '../domain/agreed';
import { CONSENT_ANSWERS, CONSENT_LABEL, CONSENT_RULES } from '../domain/consent';
import { PHASE_KINDS } from '../domain/facilitation';
import { LIMITS, checkContext, checkQuestion, checkTitle } from '../domain/text';
import { GLOSSARY_RULES, checkExplanation, checkTerm, termKey } from '../domain/glossary';
import { GROUP_LABEL, VOTE_RULES, VOTING_ROLES, shownGroups, type Shown, type TallyUnit, type VotingRole } from '../domain/votes';

export { ARCHIVE_FILE_HINT, ARCHIVE_FORMAT, ARCHIVE_VERSION } from './archive-format';

export const ARCHIVE_RULES = {
  /** Boards in one workshop. */
  maxBoards: 20,
  /** A board's title. */
  boardTitle: 120,
  /** Steps, and a step's title (as `phases.set` takes them). */
  maxSteps: 20,
  stepTitle: 60,
  /** Closed votes kept per board. */
  maxVotes: 200,
  /** Key points per board, and sources per key point. */
  maxKeyPoints: 500,
  maxSources: 500,
  /** Agreed versions, and closed consent rounds, kept per board. */
  maxAgreed: 200,
  maxConsent: 200
} as const;

/**
 * How the export names a card or theme that has left the board but is still named (`x` and a
 * number; `theme:x3` for a theme). A reference in that form is to something gone; any other that
 * is not a card or theme of the board is refused.
 */
export const GONE_ID = /^x[0-9]{1,9}$/;

const localId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'should be 1 to 64 letters, numbers, - or _');
/** What a key point comes from or a vote is about: a card's id, or `theme:<id>`. */
const itemRef = z.string().regex(/^(theme:)?[A-Za-z0-9_-]{1,64}$/, 'should be a card id, or theme: and a theme id');
/** A moment, in milliseconds since 1970 (as everywhere in the API). */
const moment = z.number().int().min(0).max(8_640_000_000_000_000);
const count = z.number().int().min(0).max(1_000_000);

const card = z.strictObject({
  id: localId,
  lane: z.enum(LANES),
  text: z.string().max(LIMITS.cardText),
  createdAt: moment,
  /** Posted without a name. No card ever carries its writer's name or id. */
  anonymous: z.boolean(),
  theme: localId.nullable()
});

const theme = z.strictObject({
  id: localId,
  name: z.string().max(THEME_NAME_MAX),
  collapsed: z.boolean(),
  createdAt: moment
});

const keyPoint = z.strictObject({
  id: localId,
  text: z.string().max(KEY_POINT_MAX),
  sources: z.array(itemRef).max(ARCHIVE_RULES.maxSources),
  createdAt: moment
});

const voteCount = z.number().int().min(VOTE_RULES.votesPerPerson.min).max(VOTE_RULES.votesPerPerson.max);
const themeIds = z.array(localId).min(1).max(VOTE_RULES.maxItems);

/** A role group's turnout in a vote or consent round, and how it may be shown. */
const group = z.strictObject({
  role: z.enum(VOTING_ROLES),
  eligible: count,
  voters: count,
  shown: z.enum(['own', 'fewer-than-3', 'with-a-small-group'])
});
/** One for each group that votes, in the order members, decision makers, facilitators. */
const groups = z.array(group).length(VOTING_ROLES.length);
const unit = z.enum([...VOTING_ROLES, 'together', 'all']);

const vote = z.strictObject({
  id: localId,
  on: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('cards'),
      lanes: z.array(z.enum(LANES)).min(1).max(LANES.length).optional(),
      themes: themeIds.optional()
    }),
    z.strictObject({ kind: z.literal('themes'), themes: themeIds.optional() })
  ]),
  votesPerPerson: voteCount,
  maxPerItem: voteCount,
  openedAt: moment,
  closedAt: moment,
  /** In the order the vote showed them; `label` is the item's words when the vote closed (null: it had left the board). */
  items: z
    .array(z.strictObject({ id: itemRef, label: z.string().max(VOTE_RULES.labelChars).nullable() }))
    .min(1)
    .max(VOTE_RULES.maxItems),
  /** Each role group's turnout and how it may be shown: exactly what the server kept when the vote closed. */
  groups,
  /** Totals kept: per item, for each group shown on its own, the groups not shown on their own together, and everyone. */
  tallies: z
    .array(
      z.strictObject({
        unit,
        itemId: itemRef,
        votes: count.min(1),
        backers: count.min(1)
      })
    )
    .max(VOTE_RULES.maxItems * (VOTING_ROLES.length + 2))
});

/** A source of an agreed key point, as it was when the version was agreed. */
const agreedSource = z.strictObject({
  /** A card or theme of the board (`theme:t1`), or one that has left it (`x2`, `theme:x3`). */
  id: itemRef,
  kind: z.enum(['card', 'theme']),
  /** The card's words or the theme's name then (cut to 200); null when it was not on the board then, its writer removed it, or a facilitator has hidden the card. */
  text: z.string().max(KEY_POINT_RULES.sourceChars).nullable(),
  /** A card's list; null for a theme (and for a card that was not on the board then). */
  lane: z.enum(LANES).nullable(),
  /** A theme's cards then. */
  cards: count.optional()
});

/** One closed vote's totals for a point's sources when it was agreed (src/lib/domain/support.ts). */
const voteSupport = z.strictObject({
  /** One of this board's votes (`v1`). */
  vote: localId,
  closedAt: moment,
  /** How many of the vote's items are among the point's sources. */
  items: count.min(1),
  /** Everyone's votes on them; null when fewer than 3 people voted. */
  total: count.nullable(),
  /** Each group's, null for a group not shown on its own. */
  byGroup: z.strictObject({ member: count.nullable(), decisionMaker: count.nullable(), facilitator: count.nullable() }),
  /** The groups not shown on their own, together (`togetherRoles`); null when they may not be shown. */
  together: count.nullable(),
  togetherRoles: z.array(z.enum(VOTING_ROLES)).max(VOTING_ROLES.length),
  /** The vote's turnout, as the vote has it. */
  groups
});

/** A point of an agreed version: its words, its sources and its support, frozen. Counts only: nobody is named. */
const agreedPoint = z.strictObject({
  /** A key point of the board (`k2`), or one no longer on it (`p1`). */
  id: localId,
  text: z.string().max(KEY_POINT_MAX),
  sources: z.array(agreedSource).max(KEY_POINT_RULES.maxSources),
  support: z.strictObject({
    /** Cards behind it then, the distinct people who wrote them with their name, those posted without one. */
    cards: count,
    people: count,
    withoutName: count,
    /** Cards written in an earlier workshop (this one was made from its archive), so no writer is known. */
    earlier: count.optional(),
    /** Sources no longer on the board then. */
    missing: count,
    votes: z.array(voteSupport).max(ARCHIVE_RULES.maxVotes)
  })
});

/** An agreed version of the board's key points, numbered 1, 2... in the order they were agreed. */
const agreedVersion = z.strictObject({
  number: z.number().int().min(1).max(ARCHIVE_RULES.maxAgreed),
  agreedAt: moment,
  /** The consent round closed last on this board before it was agreed (`r1`), if any. */
  consent: localId.nullable(),
  points: z.array(agreedPoint).min(1).max(KEY_POINT_RULES.maxPoints)
});

/**
 * A closed consent round: the points it asked about, and only what the server kept when it closed,
 * the totals by role group of the people who gave each answer on each point (the votes'
 * small-group rule). Never anyone's answers, and never a round still open.
 */
const consentRound = z.strictObject({
  id: localId,
  openedAt: moment,
  closedAt: moment,
  /** The key points asked about, with their words then: a point of the board (`k2`), or one no longer on it (`p1`). */
  points: z
    .array(z.strictObject({ id: localId, text: z.string().max(CONSENT_RULES.textChars) }))
    .min(1)
    .max(CONSENT_RULES.maxPoints),
  groups,
  /** How many people gave each answer on each point, for each unit that may be shown; answers nobody gave are left out. */
  tallies: z
    .array(z.strictObject({ unit, point: localId, answer: z.enum(CONSENT_ANSWERS), people: count.min(1) }))
    .max(CONSENT_RULES.maxPoints * CONSENT_ANSWERS.length * (VOTING_ROLES.length + 2))
});

const board = z.strictObject({
  id: localId,
  title: z.string().min(1).max(ARCHIVE_RULES.boardTitle),
  /** Lane by lane (questions, problems, solutions), each in the order the board shows them. */
  cards: z.array(card),
  /** In the order the board shows them. */
  themes: z.array(theme),
  /** In the order the group put them. */
  keyPoints: z.array(keyPoint).max(ARCHIVE_RULES.maxKeyPoints),
  /** Closed votes, oldest first. Open votes are never in an archive. */
  votes: z.array(vote).max(ARCHIVE_RULES.maxVotes),
  /** Agreed versions of the key points, by number (left out when there are none). */
  agreed: z.array(agreedVersion).max(ARCHIVE_RULES.maxAgreed).optional(),
  /** Closed consent rounds, oldest first (left out when there are none). Open rounds are never in an archive. */
  consent: z.array(consentRound).max(ARCHIVE_RULES.maxConsent).optional()
});

export const archiveSchema = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  exportedAt: moment,
  workshop: z.strictObject({
    title: z.string(),
    question: z.string(),
    /** The background to the question (left out when there is none). */
    context: z.string().max(LIMITS.context).optional(),
    createdAt: moment,
    endedAt: moment.nullable()
  }),
  /** The workshop's glossary, in alphabetical order of its terms (left out when it is empty). */
  glossary: z
    .array(
      z.strictObject({
        term: z.string().max(GLOSSARY_RULES.termChars),
        explanation: z.string().max(GLOSSARY_RULES.explanationChars)
      })
    )
    .max(GLOSSARY_RULES.maxTerms)
    .optional(),
  /** How many people took part, by role: counts only, never a list of people. */
  participants: z.strictObject({ facilitator: count, member: count, decisionMaker: count, observer: count }),
  facilitation: z.strictObject({
    steps: z
      .array(z.strictObject({ kind: z.enum(PHASE_KINDS), title: z.string().min(1).max(ARCHIVE_RULES.stepTitle) }))
      .min(1)
      .max(ARCHIVE_RULES.maxSteps),
    settings: z.strictObject({
      anonymousCards: z.enum(['off', 'optional', 'always']),
      decisionMakersAfterMembers: z.boolean()
    })
  }),
  boards: z.array(board).min(1).max(ARCHIVE_RULES.maxBoards)
});

export type Archive = z.infer<typeof archiveSchema>;
export type ArchiveBoard = Archive['boards'][number];
export type ArchiveCard = ArchiveBoard['cards'][number];
export type ArchiveTheme = ArchiveBoard['themes'][number];
export type ArchiveKeyPoint = ArchiveBoard['keyPoints'][number];
export type ArchiveVote = ArchiveBoard['votes'][number];
export type ArchiveAgreedVersion = NonNullable<ArchiveBoard['agreed']>[number];
export type ArchiveConsentRound = NonNullable<ArchiveBoard['consent']>[number];
export type ArchiveGroup = ArchiveVote['groups'][number];

export type CheckedArchive = { ok: true; archive: Archive } | { ok: false; message: string; field: string };

/**
 * Whether `raw` (parsed JSON) is an archive this build can turn into a workshop: its format and
 * version first, then its shape, then what the shape cannot say (every reference points at
 * something in the archive, ids are unique, vote totals could have come from a vote). The
 * message says what is wrong and where, in plain words, for the person who chose the file.
 */
export function checkArchive(raw: unknown): CheckedArchive {
  const wrong = formatProblem(raw);
  if (wrong) return { ok: false, ...wrong };
  const parsed = archiveSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const first = issues[0];
    const path = first.path.filter((p): p is string | number => typeof p !== 'symbol');
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more ${issues.length === 2 ? 'problem' : 'problems'})` : '';
    return { ok: false, field: fieldOf(path), message: `${where(raw, path)} ${what(first, valueAt(raw, path))}${more}.` };
  }
  const problem = checkMeaning(parsed.data);
  return problem ? { ok: false, ...problem } : { ok: true, archive: parsed.data };
}

// ---------------------------------------------------------------------------------------------
// What the schema cannot say.

type Problem = { field: string; message: string } | null;

function checkMeaning(archive: Archive): Problem {
  const title = checkTitle(archive.workshop.title);
  if (!title.ok) return { field: 'workshop.title', message: `The workshop's title: ${title.message.toLowerCase()}.` };
  const question = checkQuestion(archive.workshop.question);
  if (!question.ok) return { field: 'workshop.question', message: `The workshop's question: ${question.message.toLowerCase()}.` };
  const context = checkContext(archive.workshop.context);
  if (!context.ok) return { field: 'workshop.context', message: `The background to the question: ${context.message.toLowerCase()}.` };
  const keys = new Set<string>();
  for (const [i, entry] of (archive.glossary ?? []).entries()) {
    const term = checkTerm(entry.term);
    if (!term.ok) return { field: `glossary[${i}].term`, message: `Glossary entry ${i + 1}: ${term.message.toLowerCase()}.` };
    const explanation = checkExplanation(entry.explanation);
    if (!explanation.ok) {
      return {
        field: `glossary[${i}].explanation`,
        message: `Glossary entry ${i + 1} (“${term.value}”): ${explanation.message.toLowerCase()}.`
      };
    }
    if (keys.has(termKey(term.value))) {
      return {
        field: `glossary[${i}].term`,
        message: `Glossary entry ${i + 1} (“${term.value}”) is in the glossary twice. Each word can be explained once.`
      };
    }
    keys.add(termKey(term.value));
  }
  const boardIds = new Set<string>();
  for (const [b, board] of archive.boards.entries()) {
    const at = `boards[${b}]`;
    const name = `Board “${board.title}”`;
    if (boardIds.has(board.id)) return { field: `${at}.id`, message: `${name} has the id ${board.id}, which another board has too.` };
    boardIds.add(board.id);
    const problem = checkBoard(board, at, name);
    if (problem) return problem;
  }
  return null;
}

function duplicate(ids: string[]): number {
  const seen = new Set<string>();
  for (const [i, id] of ids.entries()) {
    if (seen.has(id)) return i;
    seen.add(id);
  }
  return -1;
}

function checkBoard(board: ArchiveBoard, at: string, name: string): Problem {
  const agreed = board.agreed ?? [];
  const consent = board.consent ?? [];
  for (const [kind, key, list] of [
    ['Card', 'cards', board.cards],
    ['Theme', 'themes', board.themes],
    ['Key point', 'keyPoints', board.keyPoints],
    ['Vote', 'votes', board.votes],
    ['Consent round', 'consent', consent]
  ] as const) {
    const i = duplicate(list.map((x) => x.id));
    if (i >= 0)
      return {
        field: `${at}.${key}[${i}].id`,
        message: `${kind} ${list[i].id} on ${lower(name)} has the same id as another ${kind.toLowerCase()} there.`
      };
  }
  const cards = new Set(board.cards.map((c) => c.id));
  const themes = new Set(board.themes.map((t) => t.id));
  /** Why a source names nothing in the archive ("card c99"), or null when it names a card or theme of the board, or one gone. */
  const nowhere = (source: string): string | null => {
    const theme = source.startsWith(THEME_SOURCE) ? source.slice(THEME_SOURCE.length) : null;
    if (theme !== null) return themes.has(theme) || GONE_ID.test(theme) ? null : `theme ${theme}`;
    return cards.has(source) || GONE_ID.test(source) ? null : `card ${source}`;
  };
  for (const [i, c] of board.cards.entries()) {
    if (c.theme !== null && !themes.has(c.theme)) {
      return {
        field: `${at}.cards[${i}].theme`,
        message: `Card ${c.id} on ${lower(name)} is in theme ${c.theme}, which is not in the archive. Every card's theme must be one of that board's themes.`
      };
    }
  }
  for (const [i, p] of board.keyPoints.entries()) {
    const seen = new Set<string>();
    for (const [j, source] of p.sources.entries()) {
      const missing = nowhere(source);
      if (missing) {
        return {
          field: `${at}.keyPoints[${i}].sources[${j}]`,
          message: `Key point ${i + 1} on ${lower(name)} comes from ${missing}, which is not in the archive.`
        };
      }
      if (seen.has(source))
        return { field: `${at}.keyPoints[${i}].sources[${j}]`, message: `Key point ${i + 1} on ${lower(name)} names ${source} twice.` };
      seen.add(source);
    }
  }
  for (const [i, v] of board.votes.entries()) {
    const problem = checkVote(v, `${at}.votes[${i}]`, `Vote ${i + 1} on ${lower(name)}`);
    if (problem) return problem;
  }
  for (const [i, r] of consent.entries()) {
    const problem = checkConsent(r, `${at}.consent[${i}]`, `Consent round ${r.id} on ${lower(name)}`);
    if (problem) return problem;
  }
  if (agreed.some((v, i) => v.number !== i + 1)) {
    const numbers = agreed.map((v) => v.number);
    return {
      field: `${at}.agreed[${agreed.findIndex((v, i) => v.number !== i + 1)}].number`,
      message: `The agreed versions on ${lower(name)} are numbered ${numbers.slice(0, 10).join(', ')}${numbers.length > 10 ? '…' : ''}. They must be numbered 1, 2, 3… in the order they were agreed, with none left out.`
    };
  }
  const votes = new Map(board.votes.map((v) => [v.id, v]));
  const rounds = new Set(consent.map((r) => r.id));
  for (const [i, v] of agreed.entries()) {
    const vat = `${at}.agreed[${i}]`;
    const vname = `Agreed version ${v.number} on ${lower(name)}`;
    if (v.consent !== null && !rounds.has(v.consent)) {
      return { field: `${vat}.consent`, message: `${vname} follows consent round ${v.consent}, which is not in the archive.` };
    }
    const d = duplicate(v.points.map((p) => p.id));
    if (d >= 0) return { field: `${vat}.points[${d}].id`, message: `${vname} has key point ${v.points[d].id} twice.` };
    for (const [j, p] of v.points.entries()) {
      const problem = checkAgreedPoint(p, `${vat}.points[${j}]`, `Point ${j + 1} of ${lower(vname)}`, nowhere, votes);
      if (problem) return problem;
    }
  }
  return null;
}

const lower = (name: string) => name[0].toLowerCase() + name.slice(1);
const unitWords = (unit: TallyUnit) =>
  unit === 'all' ? 'everyone' : unit === 'together' ? 'the groups counted together' : GROUP_LABEL[unit].many;

/** What the small-group rule makes of a vote's (or a round's) groups: who may be shown, and each unit's voters. */
interface Turnout {
  voters: Record<VotingRole, number>;
  shown: Record<VotingRole, Shown>;
  /** Everyone's voters, when 3 or more voted (else no totals may be shown at all). */
  all: number | null;
  /** The voters of the groups not shown on their own, when there are 3 or more of them. */
  together: number | null;
  /** How many voters a unit's totals count, or null when that unit may not be shown. */
  unitVoters(unit: TallyUnit): number | null;
}

/**
 * A vote's or consent round's groups must be ones the server could have kept: each group once,
 * no more voters than could vote, and each shown exactly as the small-group rule says (so an
 * archive cannot show a group of 1 or 2 on its own).
 */
function checkGroups(
  list: readonly ArchiveGroup[],
  fail: (field: string, message: string) => Problem,
  words: { doing: string; does: string; people: string }
): { problem: Problem } | { turnout: Turnout } {
  const byRole = new Map<VotingRole, ArchiveGroup>();
  for (const [i, g] of list.entries()) {
    if (byRole.has(g.role)) return { problem: fail(`.groups[${i}].role`, `counts the ${GROUP_LABEL[g.role].many} twice.`) };
    if (g.voters > g.eligible)
      return { problem: fail(`.groups[${i}].voters`, `has more ${GROUP_LABEL[g.role].many} ${words.doing} than could ${words.does}.`) };
    byRole.set(g.role, g);
  }
  const voters = Object.fromEntries(VOTING_ROLES.map((r) => [r, byRole.get(r)!.voters])) as Record<VotingRole, number>;
  const shown = shownGroups(voters);
  for (const [i, g] of list.entries()) {
    if (g.shown !== shown[g.role]) {
      return {
        problem: fail(
          `.groups[${i}].shown`,
          `shows the ${GROUP_LABEL[g.role].many} as “${g.shown}”, but with these numbers of ${words.people} it must be “${shown[g.role]}”, so that no group of fewer than 3 people can be read off.`
        )
      };
    }
  }
  const min = VOTE_RULES.minGroup;
  const everyone = VOTING_ROLES.reduce((n, r) => n + voters[r], 0);
  const apart = VOTING_ROLES.filter((r) => shown[r] !== 'own').reduce((n, r) => n + voters[r], 0);
  const all = everyone >= min ? everyone : null;
  const together = apart >= min ? apart : null;
  return {
    turnout: {
      voters,
      shown,
      all,
      together,
      unitVoters: (unit) =>
        unit === 'all' ? all : unit === 'together' ? together : shown[unit] === 'own' && all !== null ? voters[unit] : null
    }
  };
}

const VOTING = { doing: 'voting', does: 'vote', people: 'voters' };
const ANSWERING = { doing: 'answering', does: 'answer', people: 'people answering' };

/** The units whose totals add up to everyone's: each group shown on its own, and the rest together. */
const partsOf = (t: Turnout): (VotingRole | 'together')[] => [
  ...VOTING_ROLES.filter((r) => t.shown[r] === 'own'),
  ...(t.together !== null ? (['together'] as const) : [])
];

/**
 * A vote's totals must be ones the server could have kept when it closed: groups as checkGroups
 * says, totals only for units that may be shown, each within what its voters could give, and
 * everyone's total the sum of the parts. Items it names that are not on the board are allowed:
 * they had left it.
 */
function checkVote(v: ArchiveVote, at: string, name: string): Problem {
  const fail = (field: string, message: string): Problem => ({ field: `${at}${field}`, message: `${name} ${message}` });
  if (v.maxPerItem > v.votesPerPerson) return fail('.maxPerItem', `allows more votes on one item than each person had.`);
  if (v.closedAt < v.openedAt) return fail('.closedAt', 'closed before it opened.');
  const items = v.items.map((i) => i.id);
  const d = duplicate(items);
  if (d >= 0) return fail(`.items[${d}].id`, `lists item ${items[d]} twice.`);
  const onThemes = v.on.kind === 'themes';
  const odd = items.findIndex((id) => id.startsWith(THEME_SOURCE) !== onThemes);
  if (odd >= 0)
    return fail(
      `.items[${odd}].id`,
      `is about ${onThemes ? 'themes' : 'cards'}, but item ${items[odd]} is not ${onThemes ? 'a theme' : 'a card'}.`
    );

  const checked = checkGroups(v.groups, fail, VOTING);
  if ('problem' in checked) return checked.problem;
  const turnout = checked.turnout;
  const inVote = new Set(items);
  const cells = new Map<string, number>();
  for (const [i, t] of v.tallies.entries()) {
    const field = `.tallies[${i}]`;
    const key = `${t.unit}/${t.itemId}`;
    if (cells.has(key)) return fail(field, `has two totals for ${unitWords(t.unit)} on item ${t.itemId}.`);
    if (!inVote.has(t.itemId)) return fail(`${field}.itemId`, `has a total for item ${t.itemId}, which is not one of its items.`);
    const n = turnout.unitVoters(t.unit);
    if (n === null)
      return fail(`${field}.unit`, `has totals for ${unitWords(t.unit)}, which may not be shown with these numbers of voters.`);
    if (t.backers > n || t.backers > t.votes || t.votes > t.backers * v.maxPerItem) {
      return fail(field, `has a total for ${unitWords(t.unit)} on item ${t.itemId} that its voters could not have given.`);
    }
    cells.set(key, t.votes);
  }
  if (turnout.all !== null) {
    const parts = partsOf(turnout);
    for (const id of items) {
      const sum = parts.reduce((n, u) => n + (cells.get(`${u}/${id}`) ?? 0), 0);
      if (sum !== (cells.get(`all/${id}`) ?? 0))
        return fail('.tallies', `has everyone's total on item ${id} that is not the sum of the groups' totals.`);
    }
  }
  return null;
}

/**
 * A consent round's totals must be ones the server could have kept when it closed: groups as
 * checkGroups says, totals only for the points it asked about and for units that may be shown,
 * no more people giving answers on a point than answered at all (each person gives one answer a
 * point), and everyone's total the sum of the parts.
 */
function checkConsent(r: ArchiveConsentRound, at: string, name: string): Problem {
  const fail = (field: string, message: string): Problem => ({ field: `${at}${field}`, message: `${name} ${message}` });
  if (r.closedAt < r.openedAt) return fail('.closedAt', 'closed before it opened.');
  const d = duplicate(r.points.map((p) => p.id));
  if (d >= 0) return fail(`.points[${d}].id`, `asks about key point ${r.points[d].id} twice.`);
  const checked = checkGroups(r.groups, fail, ANSWERING);
  if ('problem' in checked) return checked.problem;
  const turnout = checked.turnout;
  const asked = new Set(r.points.map((p) => p.id));
  const cells = new Map<string, number>();
  const given = new Map<string, number>();
  for (const [i, t] of r.tallies.entries()) {
    const field = `.tallies[${i}]`;
    const answer = `“${CONSENT_LABEL[t.answer]}”`;
    const key = `${t.unit}/${t.point}/${t.answer}`;
    if (cells.has(key)) return fail(field, `has two totals for ${unitWords(t.unit)} saying ${answer} on key point ${t.point}.`);
    if (!asked.has(t.point)) return fail(`${field}.point`, `has a total for key point ${t.point}, which it did not ask about.`);
    const n = turnout.unitVoters(t.unit);
    if (n === null)
      return fail(`${field}.unit`, `has totals for ${unitWords(t.unit)}, which may not be shown with these numbers of people answering.`);
    const onPoint = (given.get(`${t.unit}/${t.point}`) ?? 0) + t.people;
    if (onPoint > n) {
      return fail(field, `has more answers from ${unitWords(t.unit)} on key point ${t.point} than people who answered (${n}).`);
    }
    cells.set(key, t.people);
    given.set(`${t.unit}/${t.point}`, onPoint);
  }
  if (turnout.all !== null) {
    const parts = partsOf(turnout);
    for (const p of r.points) {
      for (const a of CONSENT_ANSWERS) {
        const sum = parts.reduce((n, u) => n + (cells.get(`${u}/${p.id}/${a}`) ?? 0), 0);
        if (sum !== (cells.get(`all/${p.id}/${a}`) ?? 0)) {
          return fail(
            '.tallies',
            `has everyone's total saying “${CONSENT_LABEL[a]}” on key point ${p.id} that is not the sum of the groups' totals.`
          );
        }
      }
    }
  }
  return null;
}

/**
 * A point of an agreed version: sources that are cards or themes of the archive (or gone, named
 * as the export names them), each once and of the kind its id says; support that counts no more
 * people than cards; and vote totals that are the board's votes' own: the same vote, turnout and
 * groups, no group shown that the vote hides, and no more than that vote gave.
 */
function checkAgreedPoint(
  p: ArchiveAgreedVersion['points'][number],
  at: string,
  name: string,
  nowhere: (source: string) => string | null,
  votes: ReadonlyMap<string, ArchiveVote>
): Problem {
  const fail = (field: string, message: string): Problem => ({ field: `${at}${field}`, message: `${name} ${message}` });
  const seen = new Set<string>();
  for (const [k, s] of p.sources.entries()) {
    const field = `.sources[${k}]`;
    const missing = nowhere(s.id);
    if (missing) return fail(`${field}.id`, `comes from ${missing}, which is not in the archive.`);
    if (seen.has(s.id)) return fail(`${field}.id`, `names ${s.id} twice.`);
    seen.add(s.id);
    const isTheme = s.id.startsWith(THEME_SOURCE);
    if ((s.kind === 'theme') !== isTheme)
      return fail(`${field}.kind`, `says ${s.id} is a ${s.kind}, but it is a ${isTheme ? 'theme' : 'card'}.`);
    if (isTheme && s.lane !== null)
      return fail(`${field}.lane`, `puts theme ${s.id.slice(THEME_SOURCE.length)} in a list: only cards are in lists.`);
    if (!isTheme && s.cards !== undefined) return fail(`${field}.cards`, `counts cards in card ${s.id}: only themes have cards in them.`);
  }
  const support = p.support;
  if (support.people + support.withoutName + (support.earlier ?? 0) > support.cards) {
    return fail('.support', 'counts more people and cards without a name than there are cards behind it.');
  }
  const counted = new Set<string>();
  for (const [k, s] of support.votes.entries()) {
    const field = `.support.votes[${k}]`;
    const vote = votes.get(s.vote);
    if (!vote) return fail(`${field}.vote`, `counts votes from vote ${s.vote}, which is not in the archive.`);
    if (counted.has(s.vote)) return fail(`${field}.vote`, `counts vote ${s.vote} twice.`);
    counted.add(s.vote);
    const sameGroups = VOTING_ROLES.every((role) => {
      const a = s.groups.find((g) => g.role === role);
      const b = vote.groups.find((g) => g.role === role);
      return a && b && a.eligible === b.eligible && a.voters === b.voters && a.shown === b.shown;
    });
    if (s.closedAt !== vote.closedAt || !sameGroups) {
      return fail(field, `counts vote ${s.vote} with another time or other numbers of voters than that vote has.`);
    }
    if (s.items > vote.items.length) return fail(`${field}.items`, `counts more items of vote ${s.vote} than it had.`);
    const checked = checkGroups(vote.groups, fail, VOTING);
    if ('problem' in checked) return checked.problem;
    const t = checked.turnout;
    const apart = VOTING_ROLES.filter((r) => t.shown[r] !== 'own');
    const roles = t.together !== null ? apart : [];
    if (s.togetherRoles.length !== roles.length || roles.some((r) => !s.togetherRoles.includes(r))) {
      return fail(`${field}.togetherRoles`, `counts other groups together than vote ${s.vote} does.`);
    }
    // What the vote gave in all, per unit: the most the point's share of it can be.
    const gave = (unit: TallyUnit) => vote.tallies.filter((x) => x.unit === unit).reduce((n, x) => n + x.votes, 0);
    const forged = (value: number | null, unit: TallyUnit, shown: boolean) =>
      shown ? value === null || value > gave(unit) : value !== null;
    const everyone = t.all !== null;
    if (
      forged(s.total, 'all', everyone) ||
      forged(s.together, 'together', t.together !== null) ||
      VOTING_ROLES.some((r) => forged(s.byGroup[r], r, everyone && t.shown[r] === 'own'))
    ) {
      return fail(field, `has totals from vote ${s.vote} that it could not have given, or shows a group it does not show.`);
    }
    if (everyone) {
      const sum = partsOf(t).reduce((n, u) => n + ((u === 'together' ? s.together : s.byGroup[u]) ?? 0), 0);
      if (sum !== s.total)
        return fail(`${field}.total`, `has everyone's votes from vote ${s.vote} that are not the sum of the groups' votes.`);
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Plain words for a schema problem: where it is (by board title and card id, not by index alone)
// and what is wrong.

function valueAt(raw: unknown, path: readonly (string | number)[]): unknown {
  let v = raw;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

function fieldOf(path: readonly (string | number)[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '') || 'archive';
}

const ENTRY: Record<string, string> = {
  cards: 'card',
  themes: 'theme',
  keyPoints: 'key point',
  votes: 'vote',
  steps: 'step',
  items: 'item',
  tallies: 'total',
  groups: 'group',
  sources: 'source',
  agreed: 'agreed version',
  points: 'point',
  consent: 'consent round',
  glossary: 'glossary entry'
};
const TOP: Record<string, string> = {
  workshop: 'the workshop',
  participants: 'the numbers of people who took part',
  facilitation: 'the steps and settings'
};
const FIELD: Record<string, string> = {
  lane: 'list',
  createdAt: 'time',
  endedAt: 'end time',
  exportedAt: 'time it was saved',
  anonymous: '“posted without a name”',
  collapsed: '“folded”',
  label: 'words',
  keyPoints: 'key points',
  votesPerPerson: 'votes each',
  maxPerItem: 'most votes on one item',
  agreedAt: 'time it was agreed',
  openedAt: 'opening time',
  closedAt: 'closing time',
  withoutName: 'cards without a name',
  byGroup: 'totals by group',
  togetherRoles: 'groups counted together'
};

/**
 * Where a problem is, in words: the innermost thing it is in, named by its id (cards, themes) or
 * number, with the board by its title ("card c12 on board “Ideas”"), then the field ("its text").
 */
function where(raw: unknown, path: readonly (string | number)[]): string {
  const things: string[] = [];
  let field: string[] = [];
  let v: unknown = raw;
  let section = '';
  for (const p of path) {
    const next = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
    if (typeof p === 'number') {
      const entry = (next && typeof next === 'object' ? next : {}) as { id?: unknown; title?: unknown };
      if (section === 'boards')
        things.push(typeof entry.title === 'string' && entry.title ? `board “${entry.title.slice(0, 60)}”` : `board ${p + 1}`);
      else if ((section === 'cards' || section === 'themes' || section === 'consent') && typeof entry.id === 'string')
        things.push(`${ENTRY[section]} ${entry.id.slice(0, 64)}`);
      else things.push(`${ENTRY[section] ?? 'entry'} ${p + 1}`);
      field = [];
    } else {
      if (things.length === 0 && field.length === 0 && TOP[p]) things.push(TOP[p]);
      else field.push(FIELD[p] ?? p);
      section = p;
    }
    v = next;
  }
  // The section a list index was in is not a field ("the cards" of a board is said by "card c2").
  if (Array.isArray(v) && typeof path[path.length - 1] === 'string' && ENTRY[path[path.length - 1] as string] && field.length) {
    field[field.length - 1] = `the ${FIELD[path[path.length - 1] as string] ?? path[path.length - 1]}`;
  }
  const subject = things.reverse().reduce((s, t) => (s ? `${s} ${t.startsWith('board') ? 'on' : 'of'} ${t}` : t), '') || 'the archive';
  const text = field.length ? `${subject}: ${field[0].startsWith('the ') ? '' : 'its '}${field.join(' ')}` : subject;
  return text[0].toUpperCase() + text.slice(1);
}

/** zod's issue in plain words. */
function what(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined && issue.code !== 'unrecognized_keys') return 'is missing';
  switch (issue.code) {
    case 'invalid_type':
      return `should be ${EXPECTED[issue.expected] ?? issue.expected}`;
    case 'too_big':
      if (issue.origin === 'string') return `is longer than ${Number(issue.maximum).toLocaleString('en-GB')} characters`;
      if (issue.origin === 'array')
        return issue.exact ? `should have exactly ${issue.maximum}` : `has more than ${Number(issue.maximum).toLocaleString('en-GB')}`;
      return `is more than ${Number(issue.maximum).toLocaleString('en-GB')}`;
    case 'too_small':
      if (issue.origin === 'string') return 'is empty';
      if (issue.origin === 'array') return issue.exact ? `should have exactly ${issue.minimum}` : `needs at least ${issue.minimum}`;
      return `is less than ${Number(issue.minimum).toLocaleString('en-GB')}`;
    case 'invalid_value':
      return `should be ${issue.values.map((x) => JSON.stringify(x)).join(' or ')}`;
    case 'unrecognized_keys':
      return `has ${issue.keys.length === 1 ? 'a part' : 'parts'} this Roundtable does not know (${issue.keys.slice(0, 5).join(', ')}): it may be from a newer Roundtable`;
    case 'invalid_format':
      return issue.message;
    case 'invalid_union':
      return 'is not in a shape this Roundtable knows';
    case 'not_multiple_of':
      return 'should be a whole number';
    case 'custom':
    case 'invalid_element':
    case 'invalid_key':
      return issue.message;
    default: {
      const never: never = issue;
      return (never as { message: string }).message;
    }
  }
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a group of fields',
  null: 'null'
};

// ---------------------------------------------------------------------------------------------
// Comparing archives.

/**
 * An archive's content: what export, import and export again keep exactly. Left out are the facts
 * about each workshop rather than what it holds: when the file was saved, when the workshop was
 * made and ended (an imported workshop is new, and open), and how many people took part (nobody
 * is brought along: the importer starts it alone). Ids are the archive's own and come out the
 * same, since the export numbers things in the order they appear.
 */
export function archiveContent(archive: Archive): Omit<Archive, 'exportedAt' | 'participants' | 'workshop'> & {
  workshop: Pick<Archive['workshop'], 'title' | 'question' | 'context'>;
} {
  const { exportedAt: _exportedAt, participants: _participants, workshop, ...rest } = archive;
  return {
    ...rest,
    workshop: {
      title: workshop.title,
      question: workshop.question,
      ...(workshop.context !== undefined ? { context: workshop.context } : {})
    }
  };
}
