// GET /api/workshops/<id>/outcomes.json: every recommendation of the workshop with where it
// stands, its whole timeline and its links, and how many reached each status (the model the page
// and the summary are made from). For anyone who took part, any role; never for another workshop's people.
import { json, type RequestHandler } from '@sveltejs/kit';
import { STATUSES, STATUS_INFO } from '$lib/domain/outcomes';
import { outcomesEndpoint, refuse, sessionOr401 } from '$lib/server/outcomes/respond';

export const GET: RequestHandler = (event) =>
  outcomesEndpoint(event, async () => {
    const session = await sessionOr401(event);
    if (session instanceof Response) return session;
    const report = await event.locals.app.outcomes.report(session.workshop.id);
    if (!report) return refuse(404, 'not_found', 'We could not find that workshop.');
    return json({ statuses: STATUSES.map((s) => ({ id: s, ...STATUS_INFO[s] })), ...report });
  });
