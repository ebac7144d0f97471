// The landing page: create a workshop (the creator becomes its facilitator), start one from a
// saved archive (the importer becomes its facilitator), or join with a code.
import { fail, redirect, type Actions } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';
import { ARCHIVE_FILE_HINT } from '$lib/protocol/archive-format';
import { checkQuestion, checkTitle } from '$lib/domain/text';
import { checkDisplayName, normaliseName } from '$lib/domain/names';
import { oneOfFewArchives, tooBigArchive } from '$lib/server/archive';
import { field } from '$lib/server/http';
import { setSessionCookie } from '$lib/server/links';

export const load = ({ locals }) => ({ archiveMaxBytes: locals.app.limits.maxDocBytes });

/** The creator's name: empty means "Facilitator". The same check workshops.join makes for them. */
function facilitatorName(raw: string) {
  return checkDisplayName(normaliseName(raw) === '' ? 'Facilitator' : raw, { role: 'facilitator', others: [] });
}

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
    const name = facilitatorName(values.name);
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
  },

  // A new workshop from an archive file (multipart: `archive`, the file; `import-name`). The page
  // sends it with progress shown; without scripts it is a plain form post.
  import: async (event) => {
    const { app, who } = event.locals;
    const max = app.limits.maxDocBytes;
    type Outcome = { ok: true; workshopId: string } | { ok: false; status: number; errors: Record<string, string>; name: string };
    let outcome: Outcome;
    let typedName = '';
    try {
      outcome = await oneOfFewArchives(async (): Promise<Outcome> => {
        let form: FormData;
        try {
          form = await event.request.formData();
        } catch (err) {
          if ((err as { status?: number } | null)?.status === 413) throw tooBigArchive(max);
          throw new AppError('invalid_input', 'The file could not be read. Choose it again.', 400, 'archive');
        }
        const typed = (typedName = field(form, 'import-name'));
        const file = form.get('archive');
        const errors: Record<string, string> = {};
        const name = facilitatorName(typed);
        if (!(file instanceof File) || file.size === 0) errors.archive = `Choose a file to start from: ${ARCHIVE_FILE_HINT}`;
        else if (file.size > max) errors.archive = tooBigArchive(max).message;
        if (!name.ok) errors['import-name'] = name.message;
        if (!name.ok || !(file instanceof File) || errors.archive) return { ok: false, status: 400, errors, name: typed };

        let archive: unknown;
        try {
          archive = JSON.parse(await file.text());
        } catch {
          throw new AppError('invalid_archive', `This file is not a Roundtable archive. Choose ${ARCHIVE_FILE_HINT}.`, 400, 'archive');
        }
        const address = who.address();
        const created = await app.importArchive(archive, address);
        const joined = await app.join({ token: created.invites.facilitator }, name.value, address);
        setSessionCookie(event.cookies, event.url, created.workshop.id, joined.sessionToken);
        return { ok: true, workshopId: created.workshop.id };
      });
    } catch (err) {
      // A refusal of the file (its shape, its size, too many at once) is shown against the file.
      if (!AppError.is(err)) throw err;
      outcome = { ok: false, status: err.status, errors: { archive: err.message }, name: typedName };
    }
    if (!outcome.ok) return fail(outcome.status, { importErrors: outcome.errors, importValues: { name: outcome.name } });
    redirect(303, `/w/${outcome.workshopId}/invite?new=1`);
  }
};
