// GET /api/workshops/<id>/briefing.json: the whole workshop as an archive (src/lib/protocol/archive.ts),
// for the people who may have the briefing: facilitators, decision makers and the group's
// representatives. No one's name is in it. See docs/API.md, "The archive".
import { json, type RequestHandler } from '@sveltejs/kit';
import { mayHaveBriefing } from '$lib/server/briefing/respond';
import { contentDisposition } from '$lib/server/download-name';
import { errorResponse } from '$lib/server/http';

export const GET: RequestHandler = async (event) => {
  try {
    const { app, who } = event.locals;
    const session = await who.session(event.params.id ?? '');
    if (!session) {
      return json({ error: { code: 'not_signed_in', message: 'Sign in to this workshop first.' } }, { status: 401 });
    }
    if (!mayHaveBriefing(session)) {
      return json(
        {
          error: {
            code: 'forbidden',
            message: 'Only facilitators, decision makers and the group’s representatives can download the whole workshop.'
          }
        },
        { status: 403 }
      );
    }
    const archive = await app.exportArchive(session.workshop.id);
    return new Response(JSON.stringify(archive, null, 2), {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        // "Probation-forum-archive.json", and the title as typed in filename*: as the briefing's files.
        'content-disposition': contentDisposition('attachment', session.workshop.title, { ascii: 'archive', typed: 'archive' }, 'json'),
        'cache-control': 'no-store'
      }
    });
  } catch (err) {
    return errorResponse(err, event);
  }
};
