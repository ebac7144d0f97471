import { json, type RequestHandler } from '@sveltejs/kit';
import { GONE_TEXT } from '$lib/protocol/errors';

/**
 * GET /api/session?workshop=<id>: who this device is in that workshop (cookie or Bearer token).
 * Pages call it to explain a refused connection in plain words: 401 not_signed_in, or 410 once the
 * workshop has been deleted.
 */
export const GET: RequestHandler = async ({ url, locals }) => {
  const workshopId = url.searchParams.get('workshop') ?? '';
  // Without a workshop, a Bearer token alone says who it is (scripts).
  const session = await locals.who.session(workshopId || null);
  if (!session) {
    if (workshopId && (await locals.app.deletedAt(workshopId)) !== null) {
      return json(
        { error: { code: 'not_found', message: GONE_TEXT.workshopDeleted } },
        { status: 410, headers: { 'cache-control': 'no-store' } }
      );
    }
    return json(
      { error: { code: 'not_signed_in', message: 'You are not signed in to this workshop. Use your invite link again.' } },
      { status: 401, headers: { 'cache-control': 'no-store' } }
    );
  }
  const { participant, workshop } = session;
  return json(
    {
      participant: { id: participant.id, name: participant.name, role: participant.role },
      workshop: { id: workshop.id, title: workshop.title }
    },
    { headers: { 'cache-control': 'no-store' } }
  );
};
