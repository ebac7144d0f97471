// POST /api/forums {name, level} -> 201 {id, name, level, links: {facilitator}}: a new forum,
// answered with its facilitator link (whoever holds it acts as the forum's facilitator). Limited
// per address like making workshops. See "Forums" in docs/API.md.
import type { RequestHandler } from '@sveltejs/kit';
import { readJson } from '$lib/server/http';
import { forumEndpoint, forumLinks, jsonNoStore } from '$lib/server/forums/respond';

export const POST: RequestHandler = (event) =>
  forumEndpoint(event, async () => {
    const { app, who } = event.locals;
    const body = await readJson(event.request, app.limits.httpBodyBytes);
    const { forum, token } = await app.forums.create({ name: body.name, level: body.level }, who.address());
    return jsonNoStore({ id: forum.id, name: forum.name, level: forum.level, links: forumLinks(event, token) }, 201);
  });
