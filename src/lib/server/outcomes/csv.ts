// The outcomes summary as a spreadsheet: one row per timeline entry (and one for a recommendation
// nobody has answered yet), oldest first within each recommendation, with where it stands now.
// Formula-guarded like every CSV we write (csv.ts). Nobody is named: an update carries a role.
import { ROLE_LABEL } from '$lib/domain/roles';
import { STATUS_INFO } from '$lib/domain/outcomes';
import type { OutcomesReport, ReportEntry } from '$lib/domain/outcomes-report';
import { sourceWords } from '$lib/domain/outcomes-document';
import { toCsv } from '$lib/server/csv';

export const OUTCOMES_CSV_HEAD = [
  'Recommendation',
  'Words',
  'For now',
  'Status now',
  'Comes from',
  'Update',
  'Date',
  'Change',
  'Status',
  'For',
  'Linked to',
  'Explanation',
  'Corrects update',
  'Corrected later',
  'Made by'
];

/** An ISO-like local moment a spreadsheet sorts: "2027-03-03 14:05" (UTC). */
const when = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');

const CHANGE_WORDS: Record<ReportEntry['kind'], string> = {
  status: 'Status',
  addressed: 'Now for someone else',
  link: 'Linked',
  unlink: 'Link taken back'
};

export function outcomesCsv(report: OutcomesReport): string {
  const rows: string[][] = [OUTCOMES_CSV_HEAD];
  const numberOf = new Map(report.recommendations.map((r) => [r.id, r.number]));
  for (const r of report.recommendations) {
    const head = [String(r.number), r.text, r.addressedTo, r.statusLabel, sourceWords(r) ?? ''];
    if (!r.timeline.length) {
      rows.push([...head, '', when(r.createdAt), 'Made', '', r.firstAddressedTo, '', '', '', '', ROLE_LABEL[r.createdBy]]);
      continue;
    }
    for (const e of r.timeline) {
      const linked = e.kind === 'link' || e.kind === 'unlink' ? [...r.ledTo, ...r.cameFrom].find((l) => l.id === e.to) : undefined;
      rows.push([
        ...head,
        String(e.seq),
        when(e.at),
        CHANGE_WORDS[e.kind],
        e.kind === 'status' ? STATUS_INFO[e.status].label : '',
        e.kind === 'addressed' ? e.addressedTo : '',
        e.kind === 'link' || e.kind === 'unlink'
          ? linked
            ? `Recommendation ${linked.number}${linked.workshopTitle ? ` of ${linked.workshopTitle}` : ''}`
            : numberOf.has(e.to)
              ? `Recommendation ${numberOf.get(e.to)}`
              : 'Another recommendation'
          : '',
        e.explanation,
        e.kind === 'status' && e.corrects !== null ? String(e.corrects) : '',
        e.corrected ? 'yes' : 'no',
        ROLE_LABEL[e.by]
      ]);
    }
  }
  return '\uFEFF' + toCsv(rows);
}
