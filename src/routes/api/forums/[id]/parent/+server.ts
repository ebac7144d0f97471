// POST /api/forums/<id>/parent {link} -> 200 {parent}: this forum joins the forum whose join link
// `link` is (the link, or its token). Refused when that forum is part of this one already (it would
// become its own ancestor) or its level is not higher.
import type { RequestHandler } from '@sveltejs/kit';
import { readJson } from '$lib/server/http';
import { asFacilitator, forumEndpoint, jsonNoStore } from '$lib/server/forums/respond';
import { tokenOf } from '$lib/server/forums/tokens';

export const POST: RequestHandler = (event) =>
  forumEndpoint(event, async () => {
    const { app } = event.locals;
    const forum = await asFacilitator(event);
    const body = await readJson(event.request, app.limits.httpBodyBytes);
    const parent = await app.forums.joinParent(forum, tokenOf(body.link));
    return jsonNoStore({ parent: { id: parent.id, name: parent.name, level: parent.level } });
  });
