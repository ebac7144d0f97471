import { json, type RequestHandler } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';
import { errorResponse, readJson } from '$lib/server/http';
import { deviceOf, setSessionCookie } from '$lib/server/links';

/**
 * POST /api/join {token | code, name} -> 200 {participant, sessionToken, workshopId, boards}; 403
 * forbidden from a device whose person was removed from that workshop.
 */
export const POST: RequestHandler = async (event) => {
  try {
    const { app, who } = event.locals;
    const body = await readJson(event.request, app.limits.httpBodyBytes);
    const target = typeof body.token === 'string' ? { token: body.token } : typeof body.code === 'string' ? { code: body.code } : null;
    if (!target) throw new AppError('invalid_input', 'Send either "token" (from an invite link) or "code" (the short code).', 400);
    // A device whose person was removed from the workshop is refused (403), whatever the name.
    const joined = await app.join(target, body.name, who.address(), deviceOf(event.cookies, event.url, who.token));
    setSessionCookie(event.cookies, event.url, joined.workshop.id, joined.sessionToken);
    return json({
      participant: { id: joined.participant.id, name: joined.participant.name, role: joined.participant.role },
      sessionToken: joined.sessionToken,
      workshopId: joined.workshop.id,
      boards: (await app.boards(joined.workshop.id)).map((b) => ({ id: b.id, title: b.title }))
    });
  } catch (err) {
    return errorResponse(err, event);
  }
};
