// Involvement records over HTTP: a person's own record (read, cleared) and the facilitator's
// export. Refusals in the API's JSON shape, and never kept by a cache: these are personal.
import { json, type RequestEvent } from '@sveltejs/kit';
import { forumTimeTable, timeTable } from '$lib/domain/involvement';
import { contentDisposition } from '$lib/server/download-name';
import { toCsv } from '$lib/server/csv';
import { errorResponse } from '$lib/server/http';
import { AppError } from '$lib/protocol/errors';
import { asFacilitator, forumEndpoint } from '$lib/server/forums/respond';

export const TIME_TEXT = {
  notSignedIn: 'Join the workshop first: your session is missing or has ended.',
  notFacilitator: "Only the facilitator can download the workshop's time records.",
  badDate: 'Enter the date as year-month-day, for example 2027-03-14'
} as const;

const noStore = (res: Response) => {
  res.headers.set('cache-control', 'no-store');
  return res;
};

async function sessionOf(event: RequestEvent) {
  const session = await event.locals.who.session(event.params.id ?? '');
  if (!session) throw new AppError('not_signed_in', TIME_TEXT.notSignedIn, 401);
  return session;
}

/** A day as YYYY-MM-DD, its start in UTC (`end`: the start of the next day); absent: undefined. */
function day(event: RequestEvent, name: 'from' | 'to'): number | undefined {
  const raw = event.url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const at = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (name === 'to' ? 1 : 0)) : NaN;
  // A day that does not exist (2027-02-30, month 13) would roll over into another: refused.
  const exact = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !exact || Number.isNaN(at) || exact.getUTCDate() !== Number(m[3]) || exact.getUTCMonth() !== Number(m[2]) - 1) {
    throw new AppError('invalid_input', TIME_TEXT.badDate, 400, name);
  }
  return at;
}

/** "2027-03-03 14:05" (UTC), as the other exports write moments. */
const when = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');

/** GET /api/workshops/<id>/involvement.csv (?from=&to=, days in UTC, both included): the facilitator's only. */
export async function timeRecordsCsv(event: RequestEvent): Promise<Response> {
  try {
    const session = await sessionOf(event);
    if (session.participant.role !== 'facilitator') throw new AppError('forbidden', TIME_TEXT.notFacilitator, 403);
    const period = { from: day(event, 'from'), to: day(event, 'to') };
    const rows = await event.locals.app.involvement.rows(session.workshop.id, period);
    const table = timeTable(rows, when);
    return noStore(
      new Response(toCsv(table), {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': contentDisposition(
            'attachment',
            session.workshop.title,
            { ascii: 'time-records', typed: 'time records' },
            'csv'
          )
        }
      })
    );
  } catch (err) {
    return noStore(errorResponse(err, event));
  }
}

/**
 * GET /api/forums/<id>/involvement.csv (?from=&to=, as above): the forum's facilitators only (its
 * forum link), every person who asked in the forum's own workshops, with a workshop column.
 */
export function forumTimeRecordsCsv(event: RequestEvent): Promise<Response> {
  return forumEndpoint(event, async () => {
    const forum = await asFacilitator(event);
    const period = { from: day(event, 'from'), to: day(event, 'to') };
    const table = forumTimeTable(await event.locals.app.involvement.forumRows(forum.id, period), when);
    return new Response(toCsv(table), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': contentDisposition('attachment', forum.name, { ascii: 'time-records', typed: 'time records' }, 'csv')
      }
    });
  });
}

/** GET: the person's own record; DELETE: clears it. 404 not_recorded for someone who did not ask. */
export async function myTimeRecord(event: RequestEvent, clear: boolean): Promise<Response> {
  try {
    const session = await sessionOf(event);
    const { involvement } = event.locals.app;
    if (clear) {
      await involvement.clear(session.participant.id);
      return noStore(json({ cleared: true }));
    }
    return noStore(json({ record: await involvement.mine(session.participant.id) }));
  } catch (err) {
    return noStore(errorResponse(err, event));
  }
}
