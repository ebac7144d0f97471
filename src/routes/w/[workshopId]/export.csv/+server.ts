// GET /w/<workshopId>/export.csv: the board's cards as a spreadsheet, for the facilitator.
import { error } from '@sveltejs/kit';
import { LANE_INFO, readLanes, LANES } from '$lib/board/schema';
import { readSession } from '$lib/server/links';
import { toCsv } from '$lib/server/csv';

export const GET = async ({ params, cookies, request, locals }) => {
  const bearer = request.headers.get('authorization')?.replace(/^Bearer\s+/i, '');
  const session = locals.services.workshops.authenticate(bearer || readSession(cookies, params.workshopId));
  if (!session || session.workshop.id !== params.workshopId) error(404, 'We could not find that page.');
  if (session.participant.role !== 'facilitator') error(403, 'Only the facilitator can download the cards.');
  const { store, sync } = locals.services;
  const rows: string[][] = [['Board', 'List', 'Position', 'Card', 'Posted without a name']];
  for (const board of store.listBoards(session.workshop.id)) {
    const lanes = sync.readBoard(board.id, board.workshopId, (doc) => readLanes(doc));
    for (const lane of LANES) {
      lanes[lane].forEach((card, i) => rows.push([board.title, LANE_INFO[lane].title, String(i + 1), card.text.toString(), card.anonymous ? 'yes' : 'no']));
    }
  }
  const name = session.workshop.title.replace(/[^\w-]+/g, '-').slice(0, 40) || 'workshop';
  return new Response('\uFEFF' + toCsv(rows), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}-cards.csv"`,
      'cache-control': 'no-store'
    }
  });
};
