// The outcomes summary as a document: the briefing's blocks (briefing-document.ts), so the same
// renderers draw it (the print view, the HTML file, Typst's PDF, Markdown), in the same two
// versions. How many recommendations reached each status, then each one with its timeline.
import { ROLE_LABEL } from './roles';
import { longDate, type Block, type BriefingDocument, type BriefingVersionKind, type ListItem } from './briefing-document';
import { shortDate } from './agreed';
import { STATUSES, STATUS_INFO, WAITING_LABEL, type Status } from './outcomes';
import type { LinkedRecommendation, OutcomesReport, ReportEntry, ReportRecommendation } from './outcomes-report';

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
const quote = (text: string) => `“${text.replace(/\s+/g, ' ').trim()}”`;

export function linkWords(l: LinkedRecommendation): string {
  return `Recommendation ${l.number}${l.workshopTitle ? ` of “${l.workshopTitle}”` : ''}: ${quote(l.text)} (${l.status ? STATUS_INFO[l.status].label : WAITING_LABEL})`;
}

export function sourceWords(r: ReportRecommendation): string | null {
  const s = r.source;
  if (!s) return null;
  const where = s.boardTitle ? ` on the board “${s.boardTitle}”` : '';
  const words = s.words === null ? 'a card whose writer has since removed it' : quote(s.words);
  return s.kind === 'keyPoint'
    ? `Comes from an agreed key point${where}${s.version ? ` (version ${s.version})` : ''}: ${words}`
    : `Comes from a solution card${where}: ${s.words === null ? 'its writer has since removed it' : words}`;
}

/** "3 March 2027, 14:05" on the server's clock (or `timeZone`'s). */
export function whenWords(at: number, timeZone?: string): string {
  return `${longDate(at, timeZone)}, ${shortDate(at, timeZone).split(' ').pop()}`;
}

/** What one timeline entry says: when, what happened, and the lines under it (its explanation first). */
export function entryParts(
  e: ReportEntry,
  timeline: readonly ReportEntry[],
  timeZone?: string
): { when: string; what: string; details: string[] } {
  const details: string[] = [];
  let what: string;
  switch (e.kind) {
    case 'status':
      what = STATUS_INFO[e.status].label;
      details.push(e.explanation);
      if (e.corrects !== null) {
        const earlier = timeline.find((x) => x.seq === e.corrects);
        details.push(`This corrects the update of ${earlier ? longDate(earlier.at, timeZone) : 'earlier'}.`);
      }
      break;
    case 'addressed':
      what = `Now for ${e.addressedTo}`;
      details.push(e.explanation);
      break;
    case 'link':
      what = 'Linked to what it led to';
      details.push(e.explanation);
      break;
    case 'unlink':
      what = 'A link taken back';
      details.push(e.explanation);
      break;
    default: {
      const never: never = e;
      return never;
    }
  }
  if (e.corrected) details.push('A later update corrected this one.');
  details.push(`By ${e.by === 'decisionMaker' ? 'a decision maker' : 'a facilitator'}.`);
  return { when: whenWords(e.at, timeZone), what, details };
}

/** A timeline entry as a list item of the standard version. */
export function entryWords(e: ReportEntry, timeline: readonly ReportEntry[], timeZone?: string): ListItem {
  const { when, what, details } = entryParts(e, timeline, timeZone);
  return { text: `${when}: ${what}`, details };
}

function countsTable(report: OutcomesReport): Block {
  const rows = STATUSES.map((s) => [STATUS_INFO[s].label, String(report.counts.now[s]), String(report.counts.reached[s])]);
  rows.push([WAITING_LABEL, String(report.counts.now.waiting), '–']);
  return {
    kind: 'table',
    caption: 'How many recommendations are at each status now, and how many reached it',
    head: ['Status', 'Now', 'Reached at some point'],
    rows
  };
}

function standard(report: OutcomesReport, timeZone?: string): BriefingDocument {
  const blocks: Block[] = [];
  const w = report.workshop;
  blocks.push({ kind: 'heading', level: 2, text: 'The question' });
  blocks.push({ kind: 'paragraph', text: w.question });
  blocks.push({ kind: 'heading', level: 2, text: 'At a glance' });
  blocks.push({
    kind: 'paragraph',
    text: `${plural(report.counts.total, 'recommendation', 'recommendations')} from the workshop held on ${longDate(w.createdAt, timeZone)}${w.endedAt ? `, ended on ${longDate(w.endedAt, timeZone)}` : ''}. Summary made on ${longDate(report.madeAt, timeZone)}.`
  });
  if (report.counts.total) blocks.push(countsTable(report));
  else blocks.push({ kind: 'paragraph', text: 'No recommendations have been made yet.', tone: 'note' });
  for (const r of report.recommendations) {
    blocks.push({ kind: 'heading', level: 2, text: `Recommendation ${r.number}` });
    blocks.push({ kind: 'paragraph', tone: 'strong', text: r.text });
    const facts = [
      `For: ${r.addressedTo}`,
      `Now: ${r.statusLabel}`,
      sourceWords(r),
      ...r.cameFrom.map((l) => `Came from ${linkWords(l)}`),
      ...r.ledTo.map((l) => `Led to ${linkWords(l)}`)
    ];
    blocks.push({
      kind: 'list',
      ordered: false,
      items: facts.filter((x): x is string => x !== null).map((text) => ({ text, details: [] }))
    });
    blocks.push({ kind: 'heading', level: 3, text: 'What happened' });
    if (!r.timeline.length)
      blocks.push({ kind: 'paragraph', text: `Made on ${longDate(r.createdAt, timeZone)}. Nobody has answered it yet.` });
    else
      blocks.push({
        kind: 'list',
        ordered: true,
        items: [
          { text: `${longDate(r.createdAt, timeZone)}: made, for ${r.firstAddressedTo}`, details: [] },
          ...r.timeline.map((e) => entryWords(e, r.timeline, timeZone))
        ]
      });
  }
  blocks.push({ kind: 'heading', level: 2, text: 'About names' });
  blocks.push({
    kind: 'paragraph',
    tone: 'note',
    text: 'Nobody is named in this summary. Each update says only whether a decision maker or a facilitator made it. A correction is a new update: nothing said before is changed or taken away.'
  });
  return { version: 'standard', lang: 'en', title: w.title, subtitle: 'What happened to our ideas: outcomes summary', blocks };
}

function easy(report: OutcomesReport, timeZone?: string): BriefingDocument {
  const blocks: Block[] = [];
  const line = (text: string, tone?: 'note' | 'strong'): Block => ({ kind: 'paragraph', text, tone });
  const w = report.workshop;
  blocks.push({ kind: 'heading', level: 2, text: 'What was the question?' });
  blocks.push(line(w.question, 'strong'));
  blocks.push({ kind: 'heading', level: 2, text: 'What did we ask for?' });
  if (!report.recommendations.length) blocks.push(line('We have not written down any ideas to ask for yet.'));
  for (const r of report.recommendations) {
    blocks.push(line(`Idea ${r.number}.`, 'strong'));
    blocks.push(line(r.text));
    blocks.push(line(`This is for: ${r.addressedTo}.`));
    blocks.push(line(r.status ? `Now: ${STATUS_INFO[r.status].easy}` : 'Nobody has answered yet.'));
    if (r.explanation) blocks.push(line(`They said: ${r.explanation}`));
    for (const l of r.ledTo) blocks.push(line(`It led to idea ${l.number}${l.workshopTitle ? ` of another workshop` : ''}.`));
  }
  if (report.recommendations.some((r) => r.timeline.length)) {
    blocks.push({ kind: 'heading', level: 2, text: 'What happened, step by step?' });
    for (const r of report.recommendations) {
      if (!r.timeline.length) continue;
      blocks.push(line(`Idea ${r.number}.`, 'strong'));
      for (const e of r.timeline) {
        const on = `On ${longDate(e.at, timeZone)}`;
        if (e.kind === 'status') blocks.push(line(`${on}: ${STATUS_INFO[e.status].easy}`));
        else if (e.kind === 'addressed') blocks.push(line(`${on}: it is now for ${e.addressedTo}.`));
        else if (e.kind === 'link') blocks.push(line(`${on}: it led to another idea.`));
        else blocks.push(line(`${on}: a link was taken back.`));
        blocks.push(line(`They said: ${e.explanation}`));
        if (e.corrected) blocks.push(line('This was put right later.', 'note'));
      }
    }
  }
  blocks.push({ kind: 'heading', level: 2, text: 'How many ideas got where?' });
  const easyStatus = (s: Status) =>
    STATUS_INFO[s].easy
      .replace(/\.$/, '')
      .replace(/^They /, 'they ')
      .replace(/^It /, 'it ');
  let any = false;
  for (const s of STATUSES) {
    const n = report.counts.now[s];
    if (!n) continue;
    any = true;
    blocks.push(line(`${plural(n, 'idea', 'ideas')}: ${easyStatus(s)}.`));
  }
  if (report.counts.now.waiting) blocks.push(line(`${plural(report.counts.now.waiting, 'idea', 'ideas')}: nobody has answered yet.`));
  if (!any && !report.counts.now.waiting) blocks.push(line('No ideas yet.'));
  blocks.push({ kind: 'heading', level: 2, text: 'Is anyone named?' });
  blocks.push(line('No. Nobody is named here.'));
  blocks.push(line(`This was written down on ${longDate(report.madeAt, timeZone)}.`));
  return { version: 'easy', lang: 'en', title: w.title, subtitle: 'What happened to our ideas: easy read', blocks };
}

export function outcomesDocument(report: OutcomesReport, version: BriefingVersionKind = 'standard', timeZone?: string): BriefingDocument {
  return version === 'easy' ? easy(report, timeZone) : standard(report, timeZone);
}

/** Who made a change, as the CSV says it. */
export const byWords = (by: ReportEntry['by']) => ROLE_LABEL[by];
