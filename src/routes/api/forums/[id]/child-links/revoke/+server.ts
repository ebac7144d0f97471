// POST /api/forums/<id>/child-links/revoke {link} -> 200 {revoked: true}: one of the forum's
// join-as-child links turned off; forums that joined with it stay joined.
import type { RequestHandler } from '@sveltejs/kit';
import { readJson } from '$lib/server/http';
import { asFacilitator, forumEndpoint, jsonNoStore } from '$lib/server/forums/respond';
import { tokenOf } from '$lib/server/forums/tokens';

export const POST: RequestHandler = (event) =>
  forumEndpoint(event, async () => {
    const forum = await asFacilitator(event);
    const body = (await readJson(event.request, event.locals.app.limits.httpBodyBytes)) as { link?: unknown };
    await event.locals.app.forums.revokeChildLink(forum, tokenOf(body.link));
    return jsonNoStore({ revoked: true });
  });
