// POST /api/forums/<id>/shared/<pointId>/withdraw -> 200 {point}: withdraws a point this forum
// shared. The parent then shows it as withdrawn by this forum; it cannot go into a new roll-up.
import type { RequestHandler } from '@sveltejs/kit';
import { asFacilitator, forumEndpoint, jsonNoStore } from '$lib/server/forums/respond';

export const POST: RequestHandler = (event) =>
  forumEndpoint(event, async () => {
    const forum = await asFacilitator(event);
    const point = await event.locals.app.forums.withdraw(forum, event.params.pointId ?? '');
    return jsonNoStore({ point });
  });
