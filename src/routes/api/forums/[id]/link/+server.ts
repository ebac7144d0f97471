// POST /api/forums/<id>/link -> 200 {links: {facilitator}}: a new facilitator link for the forum,
// every other one turned off (for a link that reached the wrong person), as invite.renew does for
// a workshop's links.
import type { RequestHandler } from '@sveltejs/kit';
import { asFacilitator, forumEndpoint, forumLinks, jsonNoStore } from '$lib/server/forums/respond';

export const POST: RequestHandler = (event) =>
  forumEndpoint(event, async () => {
    const forum = await asFacilitator(event);
    return jsonNoStore({ links: forumLinks(event, await event.locals.app.forums.renewLink(forum)) });
  });
