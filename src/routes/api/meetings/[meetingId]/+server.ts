// GET /api/meetings/<id>: the meeting, its points with where they came from, agreed words, what the
// board said and members' comments; and what the asker may do. For its forum's people only.
import { json, type RequestHandler } from '@sveltejs/kit';
import { meetingEndpoint, meetingOf } from '$lib/server/meetings/respond';

export const GET: RequestHandler = (event) =>
  meetingEndpoint(event, async () => {
    const { meeting, viewer } = await meetingOf(event);
    const view = await event.locals.app.meetings.view(meeting);
    const mayPrepare = viewer.kind === 'facilitator' || viewer.preparer;
    const mayComment = viewer.kind === 'facilitator' || viewer.participant.role !== 'observer';
    return json({ ...view, mayPrepare, mayComment });
  });
