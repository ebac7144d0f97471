// POST /api/meetings/<id>/comments {pointId, text, anonymous?}: a comment on a point before the meeting. 201.
import type { RequestHandler } from '@sveltejs/kit';
import { readJson } from '$lib/server/http';
import { created, meetingEndpoint, meetingOf } from '$lib/server/meetings/respond';

export const POST: RequestHandler = (event) =>
  meetingEndpoint(event, async () => {
    const { meeting, viewer } = await meetingOf(event);
    const body = await readJson(event.request, event.locals.app.limits.httpBodyBytes);
    await event.locals.app.meetings.comment(meeting, viewer, body);
    return created({ ok: true });
  });
