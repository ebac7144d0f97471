// GET /w/<workshopId>/export.csv: the board's cards as a spreadsheet, for the facilitator.
import { error } from '@sveltejs/kit';
import { LANE_INFO, LANES } from '$lib/board/schema';
import { toCsv } from '$lib/server/csv';
import { contentDisposition } from '$lib/server/download-name';

export const GET = async ({ params, locals }) => {
  const session = await locals.who.session(params.workshopId);
  if (!session) error(404, 'We could not find that page.');
  if (session.participant.role !== 'facilitator') error(403, 'Only the facilitator can download the cards.');
  const { app } = locals;
  const rows: string[][] = [['Board', 'List', 'Position', 'Card', 'Posted without a name']];
  for (const board of await app.boards(session.workshop.id)) {
    const lanes = await app.cards(board.id);
    for (const lane of LANES) {
      lanes[lane].forEach((card, i) =>
        rows.push([board.title, LANE_INFO[lane].title, String(i + 1), card.text, card.anonymous ? 'yes' : 'no'])
      );
    }
  }
  return new Response('\uFEFF' + toCsv(rows), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': contentDisposition('attachment', session.workshop.title, { ascii: 'cards', typed: 'cards' }, 'csv'),
      'cache-control': 'no-store'
    }
  });
};
