// The briefing's cards as a spreadsheet: every card on the board (hidden ones are not), with its
// list, its theme and its closed-vote totals by group. Formula-guarded by the same guard as the
// board's export (csv.ts). No names: cards never carry their writer.
import { LANE_INFO } from '$lib/board/schema';
import type { Briefing } from '$lib/domain/briefing';
import { toCsv } from '$lib/server/csv';

export const BRIEFING_CSV_HEAD = [
  'Board',
  'List',
  'Position',
  'Card',
  'Theme',
  'Posted without a name',
  'Votes',
  'Votes from members',
  'Votes from decision makers',
  'Votes from facilitators',
  'Votes from small groups together'
];

/** A total as a cell: blank when the card was in no closed vote, "not shown" for a group too small to show. */
const count = (inVote: boolean, n: number | null | undefined) => (!inVote ? '' : n === null || n === undefined ? 'not shown' : String(n));

export function briefingCsv(b: Briefing): string {
  const rows: string[][] = [BRIEFING_CSV_HEAD];
  for (const board of b.boards) {
    const themes = new Map(board.themes.map((t) => [t.id, t.name]));
    for (const c of board.cards) {
      const v = c.votes;
      rows.push([
        board.title,
        LANE_INFO[c.lane].title,
        String(c.position),
        c.text,
        c.theme ? (themes.get(c.theme) ?? '') : '',
        c.anonymous ? 'yes' : 'no',
        count(!!v, v?.total),
        count(!!v, v?.byGroup.member),
        count(!!v, v?.byGroup.decisionMaker),
        count(!!v, v?.byGroup.facilitator),
        v && v.together !== null ? String(v.together) : ''
      ]);
    }
  }
  return '\uFEFF' + toCsv(rows);
}
