import { json, type RequestHandler } from '@sveltejs/kit';
import { GONE_TEXT } from '$lib/protocol/errors';

/**
 * DELETE /api/workshops/<id>: the facilitator deletes the workshop and all its data (boards with
 * their histories and snapshots, people, drafts). Authenticated by the session cookie or
 * `Authorization: Bearer <sessionToken>`. 204 once it is gone from the database file and its log.
 */
export const DELETE: RequestHandler = async ({ params, locals }) => {
  const session = await locals.who.session(params.id ?? '');
  if (!session) {
    if ((await locals.app.deletedAt(params.id ?? '')) !== null) {
      return json({ error: { code: 'not_found', message: GONE_TEXT.workshopDeleted } }, { status: 410 });
    }
    return json({ error: { code: 'not_signed_in', message: 'Sign in to this workshop as its facilitator first.' } }, { status: 401 });
  }
  if (session.participant.role !== 'facilitator') {
    return json({ error: { code: 'forbidden', message: 'Only a facilitator can delete a workshop.' } }, { status: 403 });
  }
  await locals.app.deleteWorkshop(session.workshop.id);
  return new Response(null, { status: 204 });
};
