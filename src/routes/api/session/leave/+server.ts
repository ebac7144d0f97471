import { json, type RequestHandler } from '@sveltejs/kit';
import { errorResponse, readJson } from '$lib/server/http';
import { clearSessionCookies, deviceOf } from '$lib/server/links';
import { AppError } from '$lib/protocol/errors';

/**
 * POST /api/session/leave {workshop}: this device leaves the workshop. Ends the session its cookie
 * (or `Authorization: Bearer`) holds and deletes both cookies; the participant stays in the
 * workshop and their cards stay on the board. Always 200, also when there was no session left to
 * end (removed, forgotten, deleted), so a page can call it to be sure: `{ ended: true }` when a
 * live session was ended.
 */
export const POST: RequestHandler = async (event) => {
  try {
    const { app, who } = event.locals;
    const body = await readJson(event.request, app.limits.httpBodyBytes);
    const workshopId = typeof body.workshop === 'string' ? body.workshop : '';
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(workshopId))
      throw new AppError('invalid_input', 'Say which workshop to leave: "workshop" is its id.', 400, 'workshop');
    const session = await who.session(workshopId);
    if (session) await app.endSession(who.token(workshopId));
    // A removed person's page calls this when told: the device keeps the removal (a marker cookie).
    else await app.removedHere(workshopId, deviceOf(event.cookies, event.url, who.token));
    clearSessionCookies(event.cookies, event.url, workshopId);
    return json({ ended: !!session }, { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return errorResponse(err, event);
  }
};
