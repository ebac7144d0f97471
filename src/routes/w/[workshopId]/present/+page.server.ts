// The present view, for a projector or shared screen: for a screen opened with the present link
// (its cookie), or a facilitator of the workshop. What it shows comes from the server's present
// view (names nobody); the page keeps it live over socket.io.
import { error } from '@sveltejs/kit';
import { AppError, GONE_TEXT } from '$lib/protocol/errors';
import { presentCookieName } from '$lib/server/credentials';
import { clearPresentCookie } from '$lib/server/links';
import { presentCredentials } from '$lib/server/present';

export const load = async (event) => {
  const { params, locals, cookies, url, setHeaders } = event;
  setHeaders({ 'cache-control': 'no-store' });
  const { app } = locals;
  const workshopId = params.workshopId;
  try {
    await app.presentViewer(workshopId, presentCredentials(event, workshopId));
  } catch (err) {
    if (!AppError.is(err)) throw err;
    // A cookie that no longer works (its link replaced, its workshop deleted) goes.
    if (cookies.get(presentCookieName(workshopId))) clearPresentCookie(cookies, url, workshopId);
    if ((await app.deletedAt(workshopId)) !== null) error(410, GONE_TEXT.deletedDetails);
    error(err.status === 403 ? 403 : 404, err.message);
  }
  const view = await app.presentView(workshopId);
  if (!view) error(410, GONE_TEXT.deletedDetails);
  return { workshopId, view };
};
