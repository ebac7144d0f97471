// A board meeting's preparation page: the points to raise with where each came from, members'
// comments (with their name or without), and, for the forum's representatives and facilitators,
// the agreed words to take and what the board said. Forms work without scripts (a 303 back here
// once saved; refusals beside their field in an error summary).
import { fail, redirect, type Actions } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';
import { field } from '$lib/server/http';
import { credentialsOf } from '$lib/server/meetings/respond';

export const load = async (event) => {
  event.setHeaders({ 'cache-control': 'no-store' });
  const { app } = event.locals;
  try {
    const { meeting, viewer } = await app.meetings.viewer(event.params.meetingId, credentialsOf(event));
    const view = await app.meetings.view(meeting);
    return {
      ok: true as const,
      ...view,
      mayPrepare: viewer.kind === 'facilitator' || viewer.preparer,
      mayComment: viewer.kind === 'facilitator' || viewer.participant.role !== 'observer',
      saved: event.url.searchParams.get('saved')
    };
  } catch (err) {
    if (!AppError.is(err)) throw err;
    return { ok: false as const, message: err.message };
  }
};

async function act(event: Parameters<NonNullable<Actions['comment']>>[0], run: (form: FormData) => Promise<string>) {
  const form = await event.request.formData();
  const pointId = field(form, 'pointId');
  let saved: string;
  try {
    saved = await run(form);
  } catch (err) {
    if (!AppError.is(err)) throw err;
    const key = err.field && err.field !== 'pointId' ? `${pointId}-${err.field}` : `${pointId}-text`;
    return fail(err.status, {
      errors: { [key]: err.message },
      pointId,
      values: Object.fromEntries([...form].map(([k, v]) => [k, typeof v === 'string' ? v : '']))
    });
  }
  redirect(303, `/meetings/${event.params.meetingId}?saved=${saved}#point-${pointId}`);
}

export const actions: Actions = {
  comment: (event) =>
    act(event, async (form) => {
      const { app } = event.locals;
      const { meeting, viewer } = await app.meetings.viewer(event.params.meetingId ?? '', credentialsOf(event));
      await app.meetings.comment(meeting, viewer, {
        pointId: field(form, 'pointId'),
        // Each point's fields are named after it (its text field's id, for the error summary's link).
        text: field(form, `${field(form, 'pointId')}-text`),
        anonymous: field(form, 'anonymous') === 'yes'
      });
      return 'comment';
    }),
  prepare: (event) =>
    act(event, async (form) => {
      const { app } = event.locals;
      const { meeting, viewer } = await app.meetings.viewer(event.params.meetingId ?? '', credentialsOf(event));
      const pointId = field(form, 'pointId');
      await app.meetings.setPoint(meeting, viewer, {
        pointId,
        agreed: field(form, `${pointId}-agreed`),
        boardSaid: field(form, `${pointId}-boardSaid`)
      });
      return 'point';
    })
};
