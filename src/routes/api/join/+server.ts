import { json, type RequestHandler } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';
import { errorResponse, readJson } from '$lib/server/http';
import { deviceOf, setSessionCookie } from '$lib/server/links';

/**
 * POST /api/join {token | code, name, recordTime?: {name, choice}} -> 200 {participant,
 * sessionToken, workshopId, boards, recordingTime}; 403 forbidden from a device whose person was
 * removed from that workshop. `recordTime` is "Record my time": the name for the record and
 * `payment`, `voucher` or `none`.
 */
export const POST: RequestHandler = async (event) => {
  try {
    const { app, who } = event.locals;
    const body = await readJson(event.request, app.limits.httpBodyBytes);
    const target = typeof body.token === 'string' ? { token: body.token } : typeof body.code === 'string' ? { code: body.code } : null;
    if (!target) throw new AppError('invalid_input', 'Send either "token" (from an invite link) or "code" (the short code).', 400);
    // A device whose person was removed from the workshop is refused (403), whatever the name.
    const asked = body.recordTime;
    if (asked !== undefined && asked !== null && (typeof asked !== 'object' || Array.isArray(asked))) {
      throw new AppError(
        'invalid_input',
        'Send "recordTime" as {"name": ..., "choice": "payment" | "voucher" | "none"}, or leave it out.',
        400,
        'recordTime'
      );
    }
    const recordTime = asked ? { name: (asked as Record<string, unknown>).name, choice: (asked as Record<string, unknown>).choice } : null;
    const joined = await app.join(target, body.name, who.address(), deviceOf(event.cookies, event.url, who.token), recordTime);
    setSessionCookie(event.cookies, event.url, joined.workshop.id, joined.sessionToken);
    return json({
      participant: { id: joined.participant.id, name: joined.participant.name, role: joined.participant.role },
      sessionToken: joined.sessionToken,
      workshopId: joined.workshop.id,
      boards: (await app.boards(joined.workshop.id)).map((b) => ({ id: b.id, title: b.title })),
      recordingTime: recordTime !== null
    });
  } catch (err) {
    return errorResponse(err, event);
  }
};
