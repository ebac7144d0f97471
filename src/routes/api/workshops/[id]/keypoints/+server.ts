import { json, type RequestHandler } from '@sveltejs/kit';
import { errorResponse } from '$lib/server/http';

/**
 * GET /api/workshops/<id>/keypoints: each board's key points' support now (how many people, cards
 * without a name and cards from an earlier workshop are behind each point, and closed votes'
 * totals by role group), for anyone in the workshop. Counts only: never a name, and never a
 * total of a vote still open.
 */
export const GET: RequestHandler = async (event) => {
  try {
    const { params, locals } = event;
    const session = await locals.who.session(params.id ?? '');
    if (!session) {
      return json(
        { error: { code: 'not_signed_in', message: 'Sign in to this workshop first: use your invite link.' } },
        { status: 401, headers: { 'cache-control': 'no-store' } }
      );
    }
    return json({ boards: await locals.app.keyPointSupport(session.workshop.id) }, { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    const failed = errorResponse(err, event);
    failed.headers.set('cache-control', 'no-store');
    return failed;
  }
};
