// POST /api/forums/<id>/shared {workshopId, boardId, pointId} -> 201 {point}: the forum's
// facilitator shares one agreed key point of one of its workshops with the parent forum. Nothing
// goes up without this; the same point twice answers with the first share.
import type { RequestHandler } from '@sveltejs/kit';
import { readJson } from '$lib/server/http';
import { asFacilitator, forumEndpoint, jsonNoStore } from '$lib/server/forums/respond';

export const POST: RequestHandler = (event) =>
  forumEndpoint(event, async () => {
    const { app } = event.locals;
    const forum = await asFacilitator(event);
    const body = await readJson(event.request, app.limits.httpBodyBytes);
    const point = await app.forums.share(forum, { workshopId: body.workshopId, boardId: body.boardId, pointId: body.pointId });
    return jsonNoStore({ point }, 201);
  });
