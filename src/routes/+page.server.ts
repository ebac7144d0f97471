// The landing page: create a workshop (the creator becomes its facilitator) or join with a code.
import { fail, redirect, type Actions } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';
import { checkQuestion, checkTitle } from '$lib/domain/text';
import { checkDisplayName, normaliseName } from '$lib/domain/names';
import { field } from '$lib/server/http';
import { setSessionCookie } from '$lib/server/links';

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const values = { title: field(form, 'title'), question: field(form, 'question'), name: field(form, 'name') };
    // Check every field first, so people see all the problems at once.
    const errors: Record<string, string> = {};
    const title = checkTitle(values.title);
    const question = checkQuestion(values.question);
    // The same check workshops.join makes for the creator (a facilitator, alone so far), so a name
    // it would refuse is reported here with the others, before any workshop is made.
    const typed = normaliseName(values.name) === '' ? 'Facilitator' : values.name;
    const name = checkDisplayName(typed, { role: 'facilitator', others: [] });
    if (!title.ok) errors.title = title.message;
    if (!question.ok) errors.question = question.message;
    if (!name.ok) errors.name = name.message;
    if (Object.keys(errors).length || !name.ok) return fail(400, { errors, values });

    const { app, who } = event.locals;
    const address = who.address();
    let workshopId: string;
    try {
      const created = await app.createWorkshop(values, address);
      const joined = await app.join({ token: created.invites.facilitator }, name.value, address);
      setSessionCookie(event.cookies, event.url, created.workshop.id, joined.sessionToken);
      workshopId = created.workshop.id;
    } catch (err) {
      if (AppError.is(err)) return fail(err.status, { errors: { [err.field ?? 'title']: err.message }, values });
      throw err;
    }
    redirect(303, `/w/${workshopId}/invite?new=1`);
  }
};
