import { json, type RequestHandler } from '@sveltejs/kit';
import { readSession } from '$lib/server/links';

/**
 * DELETE /api/workshops/<id>: the facilitator deletes the workshop and all its data (boards with
 * their histories and snapshots, people, drafts). Authenticated by the session cookie or
 * `Authorization: Bearer <sessionToken>`. 204 once it is gone from the database file and its log.
 */
export const DELETE: RequestHandler = async ({ params, cookies, request, locals }) => {
  const bearer = request.headers.get('authorization')?.replace(/^Bearer\s+/i, '');
  const session = locals.services.workshops.authenticate(bearer || readSession(cookies, params.id ?? ''));
  if (!session || session.workshop.id !== params.id) {
    return json({ error: { code: 'not_signed_in', message: 'Sign in to this workshop as its facilitator first.' } }, { status: 401 });
  }
  if (session.participant.role !== 'facilitator') {
    return json({ error: { code: 'forbidden', message: 'Only a facilitator can delete a workshop.' } }, { status: 403 });
  }
  await locals.services.facilitation.deleteWorkshop(session.workshop.id, 'The facilitator has deleted this workshop and everything in it.');
  return new Response(null, { status: 204 });
};
