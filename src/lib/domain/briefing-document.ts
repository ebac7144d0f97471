// The briefing as a document: headings, paragraphs, lists and tables of plain text, in two
// versions, standard and easy read, made from the model (briefing.ts). Every renderer (the print
// view, the PDF, Markdown) draws these same blocks, and treats every text as words, never markup,
// so what people typed prints as they typed it.
//
// Easy read follows the UK's accessible-communication guidance: headings as questions, short
// sentences, one idea per line, large type (the renderers' part), no tables.
import type { Lane } from '../board/schema';
import { agreedWords, shortDate } from './agreed';
import type { Briefing, BriefingBoard, BriefingKeyPoint, CardVotes } from './briefing';
import { CONSENT_ANSWERS, CONSENT_LABEL, CONSENT_QUESTION, type ConsentCell, type ConsentResults } from './consent';
import { contributorsWords, earlierWords, groupsWords, voteSupportWords } from './support';
import type { GroupSummary, VotingRole } from './votes';

export type BriefingVersionKind = 'standard' | 'easy';

export interface ListItem {
  text: string;
  /** Lines under the item (its support, its sources). */
  details: string[];
}

export type Block =
  | { kind: 'heading'; level: 2 | 3; text: string }
  | { kind: 'paragraph'; text: string; tone?: 'note' | 'strong' }
  | { kind: 'list'; ordered: boolean; items: ListItem[] }
  | { kind: 'table'; caption: string; head: string[]; rows: string[][] };

export interface BriefingDocument {
  version: BriefingVersionKind;
  lang: 'en';
  /** The document's title (the PDF's and the page's too). */
  title: string;
  subtitle: string;
  blocks: Block[];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const GROUP_WORDS: Record<VotingRole, string> = { member: 'members', decisionMaker: 'decision makers', facilitator: 'facilitators' };
const LANE_ONE: Record<Lane, string> = { questions: 'Question', problems: 'Problem', solutions: 'Solution' };
const laneOne = (lane: Lane) => LANE_ONE[lane];

// Making an Intl.DateTimeFormat costs far more than using one (about 0.5 ms against 0.04 on a busy
// server), and an outcomes summary writes thousands of dates: one formatter per time zone.
const longFormats = new Map<string, Intl.DateTimeFormat>();

export function longDate(at: number, timeZone?: string): string {
  let f = longFormats.get(timeZone ?? '');
  if (!f)
    longFormats.set(timeZone ?? '', (f = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone })));
  return f.format(new Date(at));
}

/** "3 votes (members 2, decision makers 1)" for a card or theme in a closed vote. */
export function cardVotesWords(v: CardVotes | null, groups: readonly GroupSummary[]): string | null {
  if (!v) return null;
  if (v.total === null) return 'In a vote where fewer than 3 people voted: no totals shown.';
  const parts: string[] = [];
  for (const g of groups) if (g.shown === 'own' && g.voters > 0) parts.push(`${GROUP_WORDS[g.role]} ${v.byGroup[g.role] ?? 0}`);
  const apart = groups.filter((g) => g.shown !== 'own' && g.voters > 0).map((g) => g.role);
  if (apart.length)
    parts.push(v.together !== null ? `${groupsWords(apart)} together ${v.together}` : `${groupsWords(apart)}: fewer than 3 people`);
  return `${plural(v.total, 'vote', 'votes')}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

function groupsOf(board: BriefingBoard, voteId: string): GroupSummary[] {
  return board.votes.find((v) => v.voteId === voteId)?.groups ?? [];
}

function sourceLine(p: BriefingKeyPoint): string | null {
  if (!p.sources.length) return null;
  const words = p.sources.map((s) => {
    if (s.hidden) return 'a card the facilitator has hidden';
    if (s.text === null) return s.kind === 'theme' ? 'a theme no longer on the board' : 'a card no longer on the board';
    return s.kind === 'theme' ? `the theme “${s.text}”` : `“${s.text}”${s.lane ? ` (${laneOne(s.lane)})` : ''}`;
  });
  return `Comes from: ${words.join('; ')}`;
}

function pointItem(p: BriefingKeyPoint): ListItem {
  const details = [contributorsWords(p.support)];
  for (const v of p.support.votes) details.push(voteSupportWords(v));
  const from = sourceLine(p);
  if (from) details.push(from);
  return { text: p.text || '(no words yet)', details };
}

/** The units a consent round's results are shown for: everyone, each group shown on its own, the rest together. */
function consentUnits(c: ConsentResults): { label: string; cell: (x: ConsentCell) => number | null }[] {
  if (c.voters === null) return [];
  const units: { label: string; cell: (x: ConsentCell) => number | null }[] = [{ label: 'Everyone', cell: (x) => x.total }];
  for (const g of c.groups)
    if (g.shown === 'own' && g.voters > 0) units.push({ label: capital(GROUP_WORDS[g.role]), cell: (x) => x.byGroup[g.role] });
  if (c.together) units.push({ label: capital(`${groupsWords(c.together.roles)} together`), cell: (x) => x.together });
  return units;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function consentTable(c: ConsentResults): Block[] {
  const turnout = c.groups
    .filter((g) => g.eligible > 0)
    .map((g) => `${g.voters} of ${plural(g.eligible, GROUP_WORDS[g.role].replace(/s$/, ''), GROUP_WORDS[g.role])}`)
    .join(', ');
  const out: Block[] = [
    {
      kind: 'paragraph',
      text: `“${CONSENT_QUESTION}” Answered without names, closed ${shortDate(c.closedAt)}. ${turnout ? `Answered: ${turnout}.` : ''}`.trim()
    }
  ];
  const units = consentUnits(c);
  if (!units.length) {
    out.push({ kind: 'paragraph', text: 'Fewer than 3 people answered, so no totals are shown.', tone: 'note' });
    return out;
  }
  const rows: string[][] = [];
  c.points.forEach((p, i) => {
    for (const u of units) rows.push([`${i + 1}. ${p.text}`, u.label, ...CONSENT_ANSWERS.map((a) => String(u.cell(p.answers[a]) ?? '–'))]);
  });
  out.push({
    kind: 'table',
    caption: 'Answers to the consent round, by group',
    head: ['Key point', 'Who', ...CONSENT_ANSWERS.map((a) => CONSENT_LABEL[a])],
    rows
  });
  if (c.groups.some((g) => g.shown !== 'own' && g.voters > 0)) {
    out.push({ kind: 'paragraph', text: 'Groups of fewer than 3 people are not shown on their own.', tone: 'note' });
  }
  return out;
}

function standardBoard(b: BriefingBoard, prefix: string, timeZone?: string): Block[] {
  const out: Block[] = [];
  const kp = b.keyPoints;
  out.push({ kind: 'heading', level: 2, text: `${prefix}Key points` });
  out.push({
    kind: 'paragraph',
    tone: 'strong',
    text: kp.agreed ? `${agreedWords(kp.agreed, timeZone)}.` : 'Not agreed yet: these are the key points as they are now.'
  });
  if (kp.points.length) out.push({ kind: 'list', ordered: true, items: kp.points.map(pointItem) });
  else out.push({ kind: 'paragraph', text: 'No key points were written.' });
  if (kp.changes?.any) {
    out.push({ kind: 'heading', level: 3, text: 'Changed on the board since it was agreed' });
    const items: ListItem[] = [
      ...kp.changes.added.map((p) => ({ text: `Added: ${p.text}`, details: [] })),
      ...kp.changes.changed.map((c) => ({
        text: `Changed: ${c.after.text}`,
        details: [c.words ? `Was: ${c.before.text}` : 'Same words; its sources changed.']
      })),
      ...kp.changes.removed.map((p) => ({ text: `Removed: ${p.text}`, details: [] }))
    ];
    if (kp.changes.reordered) items.push({ text: 'The order of the points changed.', details: [] });
    out.push({ kind: 'list', ordered: false, items });
    out.push({ kind: 'paragraph', tone: 'note', text: 'These changes have not been agreed.' });
  }
  if (b.consent) {
    out.push({ kind: 'heading', level: 3, text: 'Consent round' });
    out.push(...consentTable(b.consent));
  }
  for (const v of [...kp.earlier].reverse()) {
    out.push({ kind: 'heading', level: 3, text: `Earlier: version ${v.number}, agreed ${shortDate(v.agreedAt, timeZone)}` });
    out.push({ kind: 'list', ordered: true, items: v.points.map((p) => ({ text: p.text, details: [] })) });
  }

  out.push({ kind: 'heading', level: 2, text: `${prefix}Top solutions` });
  const top = b.topSolutions;
  if (!top.cards.length) out.push({ kind: 'paragraph', text: 'No solutions were written.' });
  else {
    out.push({
      kind: 'paragraph',
      text:
        top.by === 'vote'
          ? 'The solutions with the most votes in the closed vote.'
          : 'No vote closed on the solutions, so they are in the order of the list.'
    });
    out.push({
      kind: 'list',
      ordered: true,
      items: top.cards.map((c) => ({
        text: c.text,
        details: [cardVotesWords(c.votes, c.votes ? groupsOf(b, c.votes.voteId) : []), c.anonymous ? 'Posted without a name' : null].filter(
          (x): x is string => x !== null
        )
      }))
    });
  }

  out.push({ kind: 'heading', level: 2, text: `${prefix}Themes` });
  if (!b.themes.length) out.push({ kind: 'paragraph', text: 'The cards were not put in themes.' });
  const cardItem = (c: BriefingBoard['cards'][number]): ListItem => ({
    text: c.text,
    details: [
      [laneOne(c.lane), c.anonymous ? 'posted without a name' : null, cardVotesWords(c.votes, c.votes ? groupsOf(b, c.votes.voteId) : [])]
        .filter(Boolean)
        .join(' · ')
    ]
  });
  for (const t of b.themes) {
    out.push({ kind: 'heading', level: 3, text: `${t.name} (${plural(t.cards.length, 'card', 'cards')})` });
    const votes = cardVotesWords(t.votes, t.votes ? groupsOf(b, t.votes.voteId) : []);
    if (votes) out.push({ kind: 'paragraph', text: `The theme: ${votes}.` });
    if (t.cards.length) out.push({ kind: 'list', ordered: false, items: t.cards.map(cardItem) });
  }
  if (b.themes.length && b.unthemed.length) {
    out.push({ kind: 'heading', level: 3, text: `Not in a theme (${plural(b.unthemed.length, 'card', 'cards')})` });
    out.push({ kind: 'list', ordered: false, items: b.unthemed.map(cardItem) });
  } else if (!b.themes.length && b.cards.length) {
    out.push({ kind: 'list', ordered: false, items: b.cards.map(cardItem) });
  }
  return out;
}

function peopleLines(p: Briefing['people']): string[] {
  const lines = [
    plural(p.member, 'member (lived experience)', 'members (lived experience)'),
    plural(p.decisionMaker, 'decision maker', 'decision makers'),
    plural(p.facilitator, 'facilitator', 'facilitators')
  ];
  if (p.observer) lines.push(plural(p.observer, 'observer', 'observers'));
  return lines;
}

function standard(b: Briefing, timeZone?: string): BriefingDocument {
  const blocks: Block[] = [];
  blocks.push({ kind: 'heading', level: 2, text: 'The question' });
  blocks.push({ kind: 'paragraph', text: b.workshop.question });
  blocks.push({ kind: 'heading', level: 2, text: 'About this workshop' });
  const c = b.context;
  blocks.push({
    kind: 'list',
    ordered: false,
    items: [
      `Held on ${longDate(b.workshop.createdAt, timeZone)}${b.workshop.endedAt ? `, ended on ${longDate(b.workshop.endedAt, timeZone)}` : ''}.`,
      `${plural(c.cards, 'card', 'cards')}${c.boards > 1 ? ` on ${c.boards} boards` : ''}${c.cardsWithoutName ? `, ${c.cardsWithoutName} of them posted without a name` : ''}.`,
      `${plural(c.themes, 'theme', 'themes')}, ${plural(c.closedVotes, 'closed vote', 'closed votes')}.`,
      `Briefing made on ${longDate(b.madeAt, timeZone)} at ${shortDate(b.madeAt, timeZone).split(' ').pop()}.`
    ].map((text) => ({ text, details: [] }))
  });
  blocks.push({ kind: 'heading', level: 2, text: 'Who took part' });
  blocks.push({ kind: 'list', ordered: false, items: peopleLines(b.people).map((text) => ({ text, details: [] })) });
  if (b.people.representatives) {
    blocks.push({
      kind: 'paragraph',
      text: `${plural(b.people.representatives, 'representative', 'representatives')} will take this briefing to the board.`
    });
  }
  for (const board of b.boards) blocks.push(...standardBoard(board, b.boards.length > 1 ? `${board.title}: ` : '', timeZone));
  blocks.push({ kind: 'heading', level: 2, text: 'About names' });
  blocks.push({
    kind: 'paragraph',
    tone: 'note',
    text: 'Nobody is named in this briefing. Cards posted without a name are counted, never linked to anyone. Votes and answers are totals by group; a group of fewer than 3 people is not shown on its own.'
  });
  return { version: 'standard', lang: 'en', title: b.workshop.title, subtitle: 'Briefing from a Roundtable workshop', blocks };
}

// ---------------------------------------------------------------------------------------------
// Easy read: headings as questions, one short sentence per line.

const people = (n: number) => plural(n, 'person', 'people');

function easyConsent(c: ConsentResults): Block[] {
  if (c.voters === null) return [{ kind: 'paragraph', text: 'Fewer than 3 people answered. So we do not show the answers.' }];
  const out: Block[] = [{ kind: 'paragraph', text: `${people(c.voters)} answered.` }];
  c.points.forEach((p, i) => {
    out.push({ kind: 'paragraph', tone: 'strong', text: `Point ${i + 1}.` });
    const n = (a: (typeof CONSENT_ANSWERS)[number]) => p.answers[a].total ?? 0;
    out.push({ kind: 'paragraph', text: `${people(n('agree'))} ${n('agree') === 1 ? 'agrees' : 'agree'}.` });
    out.push({ kind: 'paragraph', text: `${people(n('live'))} can live with it.` });
    out.push({ kind: 'paragraph', text: `${people(n('object'))} ${n('object') === 1 ? 'objects' : 'object'}.` });
  });
  return out;
}

function easy(b: Briefing, timeZone?: string): BriefingDocument {
  const blocks: Block[] = [];
  const line = (text: string, tone?: 'note' | 'strong'): Block => ({ kind: 'paragraph', text, tone });
  blocks.push({ kind: 'heading', level: 2, text: 'What was the question?' });
  blocks.push(line(b.workshop.question, 'strong'));
  // With more than one board, each board's questions come under its name, so none of them is
  // asked twice without saying which board it is about.
  const several = b.boards.length > 1;
  const question = (text: string): Block => ({ kind: 'heading', level: several ? 3 : 2, text });
  for (const board of b.boards) {
    const kp = board.keyPoints;
    if (several) blocks.push({ kind: 'heading', level: 2, text: `What did we say on the board “${board.title}”?` });
    blocks.push(question('What do we want to say?'));
    blocks.push(
      line(
        kp.agreed
          ? `The group agreed these points on ${longDate(kp.agreed.agreedAt, timeZone)}.`
          : 'The group has not agreed these points yet.'
      )
    );
    if (!kp.points.length) blocks.push(line('We did not write any points.'));
    kp.points.forEach((p, i) => {
      blocks.push(line(`Point ${i + 1}.`, 'strong'));
      blocks.push(line(p.text || 'This point has no words yet.'));
      if (p.support.people) blocks.push(line(`${people(p.support.people)} wrote cards about this.`));
      if (p.support.withoutName) blocks.push(line(`${plural(p.support.withoutName, 'card', 'cards')} without a name said this too.`));
      if (p.support.earlier) blocks.push(line(`${earlierWords(p.support.earlier)} said this too.`));
    });
    if (kp.changes?.any) blocks.push(line('Some points changed after the group agreed. The changes are not agreed yet.', 'note'));
    if (board.consent) {
      blocks.push(question('Did everyone agree?'));
      blocks.push(line('We asked: does this say what we think?'));
      blocks.push(...easyConsent(board.consent));
    }
    blocks.push(question('Which ideas did people like most?'));
    if (!board.topSolutions.cards.length) blocks.push(line('We did not write any ideas for solutions.'));
    else if (board.topSolutions.by === 'order') blocks.push(line('We did not vote on the ideas.'));
    else blocks.push(line('These ideas got the most votes.'));
    for (const c of board.topSolutions.cards) {
      blocks.push(line(c.text, 'strong'));
      if (c.votes?.total) blocks.push(line(`${plural(c.votes.total, 'vote', 'votes')}.`));
    }
    blocks.push(question('What groups of ideas did we find?'));
    if (!board.themes.length) blocks.push(line('We did not put the cards in groups.'));
    for (const t of board.themes) blocks.push(line(`${t.name}: ${plural(t.cards.length, 'card', 'cards')}.`));
  }
  blocks.push({ kind: 'heading', level: 2, text: 'Who took part?' });
  const took = peopleLines(b.people).filter((text) => !text.startsWith('0 '));
  for (const text of took) blocks.push(line(`${text.replace(' (lived experience)', '')}.`));
  blocks.push({ kind: 'heading', level: 2, text: 'When was it?' });
  blocks.push(line(`The workshop was on ${longDate(b.workshop.createdAt, timeZone)}.`));
  blocks.push(line(`This was written down on ${longDate(b.madeAt, timeZone)}.`));
  blocks.push({ kind: 'heading', level: 2, text: 'Is anyone named?' });
  blocks.push(line('No. Nobody is named here.'));
  blocks.push(line('Cards without a name are only counted.'));
  return { version: 'easy', lang: 'en', title: b.workshop.title, subtitle: 'What we said: an easy read briefing', blocks };
}

export function briefingDocument(b: Briefing, version: BriefingVersionKind = 'standard', timeZone?: string): BriefingDocument {
  return version === 'easy' ? easy(b, timeZone) : standard(b, timeZone);
}
