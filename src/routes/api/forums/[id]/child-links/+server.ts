// POST /api/forums/<id>/child-links -> 201 {link}: a join-as-child link for this forum, to give to
// the facilitator of a forum that should join it (a local forum joining a regional one).
import type { RequestHandler } from '@sveltejs/kit';
import { forumJoinLink } from '$lib/protocol/links';
import { asFacilitator, base, forumEndpoint, jsonNoStore } from '$lib/server/forums/respond';

export const POST: RequestHandler = (event) =>
  forumEndpoint(event, async () => {
    const forum = await asFacilitator(event);
    const token = await event.locals.app.forums.childLink(forum);
    return jsonNoStore({ link: forumJoinLink(base(event), token) }, 201);
  });
