// GET /api/forums/<id>: what the forum's facilitators see: the forum, its parent, its workshops
// and their agreed key points (with whether each is shared up), its child forums, its join links,
// the points its children shared (withdrawn ones too) with their provenance, and its collective
// view. Counts only: never a card of a child forum's workshop, never a name.
import type { RequestHandler } from '@sveltejs/kit';
import { asFacilitator, forumEndpoint, joinLinks, jsonNoStore } from '$lib/server/forums/respond';

export const GET: RequestHandler = (event) =>
  forumEndpoint(event, async () => {
    const forum = await asFacilitator(event);
    const overview = await event.locals.app.forums.overview(forum);
    const { childLinks, ...rest } = overview;
    return jsonNoStore({ ...rest, childLinks: joinLinks(event, childLinks) });
  });
