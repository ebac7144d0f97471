// POST /api/forums/<id>/workshops {title, question, context?} -> 201: a workshop made inside the
// forum by its facilitator; answered like POST /api/workshops (id, code, boards, links), plus `forum`.
import type { RequestHandler } from '@sveltejs/kit';
import { readJson } from '$lib/server/http';
import { createdBody } from '$lib/server/links';
import { asFacilitator, forumEndpoint, jsonNoStore } from '$lib/server/forums/respond';

export const POST: RequestHandler = (event) =>
  forumEndpoint(event, async () => {
    const { app, who } = event.locals;
    const forum = await asFacilitator(event);
    const body = await readJson(event.request, app.limits.httpBodyBytes);
    const created = await app.createWorkshop({ title: body.title, question: body.question, context: body.context }, who.address());
    await app.forums.adopt(forum, created.workshop.id);
    return jsonNoStore({ ...createdBody(app.linkBase(event.url.origin), created), forum: forum.id }, 201);
  });
