// POST /api/forums/<id>/meetings {body, date}: a forum's facilitator names a board meeting; its
// points are the forum's collective view now. 201 {meeting, page}.
import type { RequestHandler } from '@sveltejs/kit';
import { readJson } from '$lib/server/http';
import { asFacilitator } from '$lib/server/forums/respond';
import { created, meetingEndpoint } from '$lib/server/meetings/respond';

export const POST: RequestHandler = (event) =>
  meetingEndpoint(event, async () => {
    const forum = await asFacilitator(event);
    const body = await readJson(event.request, event.locals.app.limits.httpBodyBytes);
    const meeting = await event.locals.app.meetings.create(forum, body);
    return created({ meeting, page: `/meetings/${meeting.id}` });
  });
