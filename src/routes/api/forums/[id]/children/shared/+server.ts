// GET /api/forums/<id>/children/shared -> {points}: the key points this forum's child forums
// shared with it, withdrawn ones too (marked), newest first, each with its provenance.
import type { RequestHandler } from '@sveltejs/kit';
import { asFacilitator, forumEndpoint, jsonNoStore } from '$lib/server/forums/respond';

export const GET: RequestHandler = (event) =>
  forumEndpoint(event, async () => {
    const forum = await asFacilitator(event);
    return jsonNoStore({ points: (await event.locals.app.forums.overview(forum)).shared });
  });
