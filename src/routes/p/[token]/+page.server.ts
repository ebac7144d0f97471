// A present link: sets this browser's present cookie for the workshop and moves to its present
// view, so the token leaves the address bar before the room sees the screen. A link that does not
// work says why instead.
import { redirect } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';
import { setPresentCookie } from '$lib/server/links';

export const load = async (event) => {
  event.setHeaders({ 'cache-control': 'no-store' });
  let workshopId: string;
  try {
    workshopId = (await event.locals.app.openPresentLink(event.params.token)).id;
  } catch (err) {
    if (!AppError.is(err)) throw err;
    return { replaced: err.code === 'revoked_invite', message: err.message };
  }
  setPresentCookie(event.cookies, event.url, workshopId, event.params.token);
  redirect(303, `/w/${workshopId}/present`);
};
