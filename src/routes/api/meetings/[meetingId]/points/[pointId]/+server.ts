// PUT /api/meetings/<id>/points/<pointId> {agreed?, boardSaid?}: the words to take, or what the
// board said (empty clears). Representatives and the forum's facilitators only.
import { json, type RequestHandler } from '@sveltejs/kit';
import { readJson } from '$lib/server/http';
import { meetingEndpoint, meetingOf } from '$lib/server/meetings/respond';

export const PUT: RequestHandler = (event) =>
  meetingEndpoint(event, async () => {
    const { meeting, viewer } = await meetingOf(event);
    const body = await readJson(event.request, event.locals.app.limits.httpBodyBytes);
    await event.locals.app.meetings.setPoint(meeting, viewer, { ...body, pointId: event.params.pointId });
    return json({ ok: true });
  });
