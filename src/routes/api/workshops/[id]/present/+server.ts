import { json, type RequestHandler } from '@sveltejs/kit';
import { GONE_TEXT } from '$lib/protocol/errors';
import { errorResponse } from '$lib/server/http';
import { presentCredentials } from '$lib/server/present';

/**
 * GET /api/workshops/<id>/present: what the present screen shows now (PresentView), for the
 * present link (Bearer, or its cookie) or the workshop's facilitators. Names nobody. All a present
 * link can read.
 */
export const GET: RequestHandler = async (event) => {
  const workshopId = event.params.id ?? '';
  try {
    const { app } = event.locals;
    await app.presentViewer(workshopId, presentCredentials(event, workshopId));
    const view = await app.presentView(workshopId);
    if (!view) return json({ error: { code: 'not_found', message: GONE_TEXT.workshopDeleted } }, { status: 410, headers: noStore });
    return json(view, { headers: noStore });
  } catch (err) {
    const failed = errorResponse(err, event);
    failed.headers.set('cache-control', 'no-store');
    return failed;
  }
};

const noStore = { 'cache-control': 'no-store' };
