// The workshop archive: a versioned, readable JSON file of everything a workshop concluded, which
// `GET /api/workshops/<id>/briefing.json` writes and `POST /api/workshops/import` turns into a new
// workshop. One zod schema types the export and validates the import, so the two cannot drift.
// One section per source: `workshop` (the workshop's record), `participants` (people, as counts by
// role only), `facilitation` (its steps and settings), and per board its document (`cards`,
// `themes`, `keyPoints`) and its closed votes (`votes`). A new source adds a section; a file with a
// section this build does not know is refused, never half read (see checkArchive).
//
// Ids in an archive are its own (`b1`, `c12`, `t3`, `k2`, `v1`), written by the export in the order
// things appear: they say which card a theme, key point or vote refers to, and nothing else. The
// import gives everything new ids of this server's own kind. See docs/API.md, "The archive".
// Server-side only at run time (the page imports types and the constants, never the schema).
import { z } from 'zod';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, formatProblem } from './archive-format';
import { LANES } from '../board/schema';
import { KEY_POINT_MAX, THEME_SOURCE } from '../board/keypoints';
import { THEME_NAME_MAX } from '../board/themes';
import { PHASE_KINDS } from '../domain/facilitation';
import { LIMITS, checkQuestion, checkTitle } from '../domain/text';
import { GROUP_LABEL, VOTE_RULES, VOTING_ROLES, shownGroups, type TallyUnit, type VotingRole } from '../domain/votes';

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
  maxSources: 500
} as const;

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
  groups: z
    .array(
      z.strictObject({
        role: z.enum(VOTING_ROLES),
        eligible: count,
        voters: count,
        shown: z.enum(['own', 'fewer-than-3', 'with-a-small-group'])
      })
    )
    .length(VOTING_ROLES.length),
  /** Totals kept: per item, for each group shown on its own, the groups not shown on their own together, and everyone. */
  tallies: z
    .array(
      z.strictObject({
        unit: z.enum([...VOTING_ROLES, 'together', 'all']),
        itemId: itemRef,
        votes: count.min(1),
        backers: count.min(1)
      })
    )
    .max(VOTE_RULES.maxItems * (VOTING_ROLES.length + 2))
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
  votes: z.array(vote).max(ARCHIVE_RULES.maxVotes)
});

export const archiveSchema = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  exportedAt: moment,
  workshop: z.strictObject({
    title: z.string(),
    question: z.string(),
    createdAt: moment,
    endedAt: moment.nullable()
  }),
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
  for (const [kind, key, list] of [
    ['Card', 'cards', board.cards],
    ['Theme', 'themes', board.themes],
    ['Key point', 'keyPoints', board.keyPoints],
    ['Vote', 'votes', board.votes]
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
      const theme = source.startsWith(THEME_SOURCE) ? source.slice(THEME_SOURCE.length) : null;
      if (theme !== null ? !themes.has(theme) : !cards.has(source)) {
        return {
          field: `${at}.keyPoints[${i}].sources[${j}]`,
          message: `Key point ${i + 1} on ${lower(name)} comes from ${theme !== null ? `theme ${theme}` : `card ${source}`}, which is not in the archive.`
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
  return null;
}

const lower = (name: string) => name[0].toLowerCase() + name.slice(1);
const unitWords = (unit: TallyUnit) =>
  unit === 'all' ? 'everyone' : unit === 'together' ? 'the groups counted together' : GROUP_LABEL[unit].many;

/**
 * A vote's totals must be ones the server could have kept when it closed: groups shown exactly as
 * the small-group rule says (so an archive cannot show a group of 1 or 2 on its own), totals only
 * for units that may be shown, each within what its voters could give, and everyone's total the
 * sum of the parts. Items it names that are not on the board are allowed: they had left it.
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

  const byRole = new Map<VotingRole, Archive['boards'][number]['votes'][number]['groups'][number]>();
  for (const [i, g] of v.groups.entries()) {
    if (byRole.has(g.role)) return fail(`.groups[${i}].role`, `counts the ${GROUP_LABEL[g.role].many} twice.`);
    if (g.voters > g.eligible) return fail(`.groups[${i}].voters`, `has more ${GROUP_LABEL[g.role].many} voting than could vote.`);
    byRole.set(g.role, g);
  }
  const voters = Object.fromEntries(VOTING_ROLES.map((r) => [r, byRole.get(r)!.voters])) as Record<VotingRole, number>;
  const shown = shownGroups(voters);
  for (const [i, g] of v.groups.entries()) {
    if (g.shown !== shown[g.role]) {
      return fail(
        `.groups[${i}].shown`,
        `shows the ${GROUP_LABEL[g.role].many} as “${g.shown}”, but with these numbers of voters it must be “${shown[g.role]}”, so that no group of fewer than 3 people can be read off.`
      );
    }
  }
  const min = VOTE_RULES.minGroup;
  const all = VOTING_ROLES.reduce((n, r) => n + voters[r], 0);
  const apart = VOTING_ROLES.filter((r) => shown[r] !== 'own').reduce((n, r) => n + voters[r], 0);
  const unitVoters = (unit: TallyUnit): number | null => {
    if (unit === 'all') return all >= min ? all : null;
    if (unit === 'together') return apart >= min ? apart : null;
    return shown[unit] === 'own' && all >= min ? voters[unit] : null;
  };
  const inVote = new Set(items);
  const cells = new Map<string, number>();
  for (const [i, t] of v.tallies.entries()) {
    const field = `.tallies[${i}]`;
    const key = `${t.unit}/${t.itemId}`;
    if (cells.has(key)) return fail(field, `has two totals for ${unitWords(t.unit)} on item ${t.itemId}.`);
    if (!inVote.has(t.itemId)) return fail(`${field}.itemId`, `has a total for item ${t.itemId}, which is not one of its items.`);
    const n = unitVoters(t.unit);
    if (n === null)
      return fail(`${field}.unit`, `has totals for ${unitWords(t.unit)}, which may not be shown with these numbers of voters.`);
    if (t.backers > n || t.backers > t.votes || t.votes > t.backers * v.maxPerItem) {
      return fail(field, `has a total for ${unitWords(t.unit)} on item ${t.itemId} that its voters could not have given.`);
    }
    cells.set(key, t.votes);
  }
  if (all >= min) {
    const parts: TallyUnit[] = [...VOTING_ROLES.filter((r) => shown[r] === 'own'), ...(apart >= min ? (['together'] as const) : [])];
    for (const id of items) {
      const sum = parts.reduce((n, u) => n + (cells.get(`${u}/${id}`) ?? 0), 0);
      if (sum !== (cells.get(`all/${id}`) ?? 0))
        return fail('.tallies', `has everyone's total on item ${id} that is not the sum of the groups' totals.`);
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
  sources: 'source'
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
  maxPerItem: 'most votes on one item'
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
      else if ((section === 'cards' || section === 'themes') && typeof entry.id === 'string')
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
  workshop: Pick<Archive['workshop'], 'title' | 'question'>;
} {
  const { exportedAt: _exportedAt, participants: _participants, workshop, ...rest } = archive;
  return { ...rest, workshop: { title: workshop.title, question: workshop.question } };
}
