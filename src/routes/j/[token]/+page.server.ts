// An invite link: asks only for a display name, then lands on the board.
import { fail, redirect, type Actions } from '@sveltejs/kit';
import { AppError, GONE_TEXT } from '$lib/protocol/errors';
import { ROLE_LABEL } from '$lib/domain/roles';
import { checkRecordTime } from '$lib/domain/involvement';
import { field } from '$lib/server/http';
import { deviceOf, setSessionCookie } from '$lib/server/links';

export const load = async (event) => {
  const { app, who } = event.locals;
  try {
    const { invite, workshop } = await app.resolveInvite({ token: event.params.token }, who.address());
    if (await app.removedHere(workshop.id, deviceOf(event.cookies, event.url, who.token))) {
      event.setHeaders({ 'cache-control': 'no-store' });
      return { ok: false as const, removed: true, message: GONE_TEXT.deviceRemoved };
    }
    const current = await who.session(workshop.id);
    return {
      ok: true as const,
      workshop: { id: workshop.id, title: workshop.title },
      role: invite.role,
      roleLabel: ROLE_LABEL[invite.role],
      already: current ? { name: current.participant.name, roleLabel: ROLE_LABEL[current.participant.role] } : null
    };
  } catch (err) {
    if (!AppError.is(err)) throw err;
    event.setHeaders({ 'cache-control': 'no-store' });
    return { ok: false as const, removed: false, message: err.message };
  }
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const name = field(form, 'name');
    // "Record my time" is optional and unticked unless the person ticks it.
    const asked = field(form, 'recordTime') === 'yes';
    const recordName = field(form, 'recordName');
    const thanks = field(form, 'thanks');
    const kept = { name, recordTime: asked, recordName, thanks };
    if (asked) {
      const checked = checkRecordTime(recordName, thanks);
      if (!checked.ok) return fail(400, { errors: checked.errors, ...kept });
    }
    let workshopId: string;
    try {
      const { app, who } = event.locals;
      const joined = await app.join(
        { token: event.params.token ?? '' },
        name,
        who.address(),
        deviceOf(event.cookies, event.url, who.token),
        asked ? { name: recordName, choice: thanks } : null
      );
      setSessionCookie(event.cookies, event.url, joined.workshop.id, joined.sessionToken);
      workshopId = joined.workshop.id;
    } catch (err) {
      // A removed person's device: the page says so instead of the form.
      if (AppError.is(err) && err.code === 'forbidden') return fail(403, { removed: err.message, ...kept });
      if (AppError.is(err)) return fail(err.status, { errors: { [err.field ?? 'name']: err.message }, ...kept });
      throw err;
    }
    redirect(303, `/w/${workshopId}`);
  }
};
