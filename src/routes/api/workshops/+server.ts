import { json, type RequestHandler } from '@sveltejs/kit';
import { errorResponse, readJson } from '$lib/server/http';
import { createdBody } from '$lib/server/links';

/**
 * POST /api/workshops {title, question, context?, after?} -> 201 {id, code, boards, links}. With
 * `after`, the next workshop of that one's group: the caller must be one of its facilitators
 * (cookie or Bearer). See docs/API.md.
 */
export const POST: RequestHandler = async (event) => {
  try {
    const { app, who } = event.locals;
    const body = await readJson(event.request, app.limits.httpBodyBytes);
    const created = await app.createWorkshop(
      { title: body.title, question: body.question, context: body.context, after: body.after },
      who.address(),
      who.session
    );
    return json(createdBody(app.linkBase(event.url.origin), created), { status: 201 });
  } catch (err) {
    return errorResponse(err, event);
  }
};
