// A forum's facilitator link: sets this browser's forum cookie and moves to the forum's page, so
// the token leaves the address bar. A link that does not work says why instead.
import { redirect } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';
import { setForumCookie } from '$lib/server/links';

export const load = async (event) => {
  event.setHeaders({ 'cache-control': 'no-store' });
  let forumId: string;
  try {
    forumId = (await event.locals.app.forums.open(event.params.token)).id;
  } catch (err) {
    if (!AppError.is(err)) throw err;
    return { message: err.message };
  }
  setForumCookie(event.cookies, event.url, forumId, event.params.token);
  redirect(303, `/f/${forumId}`);
};
