// "Your time record": the time kept for someone who ticked "Record my time" when joining (joined,
// left, minutes active), and clearing it, which deletes it from the server. Only their own; the
// form works without scripts (a 303 back here once cleared).
import { redirect, type Actions } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';
import { deviceOf } from '$lib/server/links';
import type { MyTimeRecord } from '$lib/server/app';

export const load = async ({ params, cookies, locals, setHeaders, url }) => {
  setHeaders({ 'cache-control': 'no-store' });
  const { app, who } = locals;
  const session = await who.session(params.workshopId);
  if (!session) {
    const gone: 'deleted' | 'removed' | null =
      (await app.deletedAt(params.workshopId)) !== null
        ? 'deleted'
        : (await app.removedHere(params.workshopId, deviceOf(cookies, url, who.token)))
          ? 'removed'
          : null;
    return { signedIn: false as const, workshopId: params.workshopId, gone };
  }
  let record: MyTimeRecord | null = null;
  try {
    record = await app.involvement.mine(session.participant.id);
  } catch (err) {
    if (!AppError.is(err) || err.code !== 'not_recorded') throw err;
  }
  return {
    signedIn: true as const,
    workshopId: session.workshop.id,
    workshop: { id: session.workshop.id, title: session.workshop.title },
    record,
    cleared: url.searchParams.has('cleared') && !record,
    now: Date.now(),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone
  };
};

export const actions: Actions = {
  clear: async ({ params, locals }) => {
    const session = await locals.who.session(params.workshopId ?? '');
    if (session) {
      try {
        await locals.app.involvement.clear(session.participant.id);
      } catch (err) {
        // Already cleared (another tab): the page says it is gone all the same.
        if (!AppError.is(err) || err.code !== 'not_recorded') throw err;
      }
    }
    redirect(303, `/w/${params.workshopId}/time?cleared`);
  }
};
