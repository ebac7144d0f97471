import { json, type RequestHandler } from '@sveltejs/kit';
import { clientAddress, errorResponse, readJson } from '$lib/server/http';
import { inviteLinks, shareableOrigin } from '$lib/server/links';

/** POST /api/workshops {title, question} -> 201 {id, code, boards, links}. See docs/API.md. */
export const POST: RequestHandler = async (event) => {
  try {
    const body = await readJson(event.request);
    const { services } = event.locals;
    const created = await services.workshops.create({ title: body.title, question: body.question }, clientAddress(event));
    return json(
      {
        id: created.workshop.id,
        title: created.workshop.title,
        question: created.workshop.question,
        code: created.workshop.code,
        boards: created.boards.map((b) => ({ id: b.id, title: b.title })),
        links: inviteLinks(shareableOrigin(services.config, event.url.origin), created.invites)
      },
      { status: 201 }
    );
  } catch (err) {
    return errorResponse(err, event);
  }
};
