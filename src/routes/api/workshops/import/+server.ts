// POST /api/workshops/import: a new workshop from an archive (the body is the archive's JSON, up to
// the board document limit), answered like POST /api/workshops. See docs/API.md, "The archive".
import { json, type RequestHandler } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';
import { oneOfFewArchives, tooBigArchive } from '$lib/server/archive';
import { errorResponse, readJson } from '$lib/server/http';
import { createdBody } from '$lib/server/links';

export const POST: RequestHandler = async (event) => {
  try {
    const { app, who } = event.locals;
    const created = await oneOfFewArchives(async () => {
      let body: Record<string, unknown>;
      try {
        body = await readJson(event.request, app.limits.maxDocBytes);
      } catch (err) {
        if (AppError.is(err) && err.code === 'payload_too_large') throw tooBigArchive(app.limits.maxDocBytes);
        throw err;
      }
      return app.importArchive(body, who.address());
    });
    return json(createdBody(app.linkBase(event.url.origin), created), { status: 201 });
  } catch (err) {
    return errorResponse(err, event);
  }
};
