// "What happened to our ideas": every recommendation of the workshop and its timeline, for anyone
// who took part, with what changed since their last look marked (the server remembers each
// person's last look: app.outcomes.look). Facilitators and decision makers also make
// recommendations and say what happened to them here, long after the workshop ended; the forms
// work without scripts (a 303 back here once saved, the refusals in an error summary).
import { fail, redirect } from '@sveltejs/kit';
import type { LinkOption, SourceOption } from '$lib/domain/outcomes-report';
import { AppError } from '$lib/protocol/errors';
import { ROLE_LABEL } from '$lib/domain/roles';
import { OUTCOME_TEXT, mayAnswer, sourceChoiceOf } from '$lib/domain/outcomes';
import { retentionWords } from '$lib/domain/retention';
import { checkQuestion, checkTitle } from '$lib/domain/text';
import { field } from '$lib/server/http';
import { deviceOf, setSessionCookie } from '$lib/server/links';
import { sessionCookieName } from '$lib/server/credentials';

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
  const { participant, workshop } = session;
  // People come back here weeks later: each look gives the session cookie another 30 days.
  const token = cookies.get(sessionCookieName(workshop.id));
  if (token) setSessionCookie(cookies, url, workshop.id, token);
  const [report, visit] = await Promise.all([app.outcomes.report(workshop.id), app.outcomes.look(participant.id, workshop.id)]);
  const canAnswer = mayAnswer(participant);
  const isFacilitator = participant.role === 'facilitator';
  return {
    signedIn: true as const,
    workshopId: workshop.id,
    workshop: { id: workshop.id, title: workshop.title, question: workshop.question, ended: !!workshop.endedAt },
    me: { name: participant.name, role: participant.role, roleLabel: ROLE_LABEL[participant.role] },
    canAnswer,
    isFacilitator,
    report: report!,
    visit,
    saved: url.searchParams.get('saved'),
    // Dates are written in the server's time zone, on the server and the page alike.
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    sources: canAnswer ? await app.outcomes.sources(workshop.id) : ([] as SourceOption[]),
    targets: canAnswer ? await app.outcomes.linkable(workshop) : ([] as LinkOption[]),
    retention: isFacilitator ? retentionWords(await app.outcomes.retention(workshop.id)) : null
  };
};

type Values = Record<string, string>;

/** Every refusal the page shows has the same shape: which form, which recommendation, the errors by field id, what was typed. */
const refuse = (status: number, action: string, errors: Values, values: Values = {}, recommendation: string | null = null) =>
  fail(status, { action, recommendation, errors, values });

/** The session of a form post, or the refusal the page shows. */
async function answerer(
  locals: App.Locals,
  workshopId: string,
  action: string,
  prefix: string,
  values: Values,
  recommendation: string | null = null
) {
  const session = await locals.who.session(workshopId);
  if (!session) return { refused: refuse(401, action, { [`${prefix}-form`]: OUTCOME_TEXT.notSignedIn }, values, recommendation) };
  if (!mayAnswer(session.participant))
    return { refused: refuse(403, action, { [`${prefix}-form`]: OUTCOME_TEXT.forbidden }, values, recommendation) };
  return { session };
}

/** A refusal from the rules as the page shows it: against its field (ids are prefixed per form). */
function refusal(err: unknown, action: string, prefix: string, values: Values, recommendation: string | null = null) {
  if (!AppError.is(err)) throw err;
  // A refusal that names no field of this form (the recommendation itself, say) goes over the form.
  const name = err.field && err.field !== 'recommendation' ? `${prefix}-${err.field}` : `${prefix}-form`;
  return refuse(err.status, action, { [name]: err.message }, values, recommendation);
}

export const actions = {
  // Make a recommendation: from an agreed key point or a solution card (or neither), for someone.
  create: async ({ params, request, locals }) => {
    const form = await request.formData();
    const values = { text: field(form, 'new-text'), addressedTo: field(form, 'new-addressedTo'), from: field(form, 'new-from') };
    const { session, refused } = await answerer(locals, params.workshopId, 'create', 'new', values);
    if (refused) return refused;
    const from = sourceChoiceOf(values.from);
    if (from === 'invalid') return refuse(400, 'create', { 'new-from': 'Choose where it comes from, or write your own' }, values);
    let number: number;
    try {
      number = (await locals.app.outcomes.create(session, { text: values.text, addressedTo: values.addressedTo, from })).number;
    } catch (err) {
      return refusal(err, 'create', 'new', values);
    }
    redirect(303, `/w/${session.workshop.id}/outcomes?saved=${number}#recommendation-${number}`);
  },

  // A change to one recommendation's timeline: a status and why, who it is for, a link.
  update: async ({ params, request, locals }) => {
    const form = await request.formData();
    const recommendation = field(form, 'recommendation');
    const kind = field(form, 'kind') || 'status';
    // Each of a recommendation's forms names its fields after it and after what it changes.
    const prefix = `r-${recommendation}${kind === 'status' ? '' : `-${kind}`}`;
    const at = (name: string) => field(form, `${prefix}-${name}`);
    const values: Values = {
      kind,
      status: at('status'),
      explanation: at('explanation'),
      corrects: at('corrects'),
      to: at('to'),
      addressedTo: at('addressedTo')
    };
    const { session, refused } = await answerer(locals, params.workshopId, 'update', prefix, values, recommendation);
    if (refused) return refused;
    let number: number;
    try {
      number = (await locals.app.outcomes.change(session, recommendation, { ...values, to: values.to || undefined })).number;
    } catch (err) {
      return refusal(err, 'update', prefix, values, recommendation);
    }
    redirect(303, `/w/${session.workshop.id}/outcomes?saved=${number}#recommendation-${number}`);
  },

  // The facilitator starts the next workshop of this group, which opens with "Since last time".
  next: async (event) => {
    const { params, request, locals, cookies, url } = event;
    const form = await request.formData();
    const values = { title: field(form, 'next-title'), question: field(form, 'next-question') };
    const session = await locals.who.session(params.workshopId);
    if (!session) return refuse(401, 'next', { 'next-form': OUTCOME_TEXT.notSignedIn }, values);
    if (session.participant.role !== 'facilitator') {
      return refuse(403, 'next', { 'next-form': 'Only a facilitator of this workshop can start the next workshop of its group.' }, values);
    }
    const errors: Values = {};
    const title = checkTitle(values.title);
    const question = checkQuestion(values.question);
    if (!title.ok) errors['next-title'] = title.message;
    if (!question.ok) errors['next-question'] = question.message;
    if (Object.keys(errors).length) return refuse(400, 'next', errors, values);
    let id: string;
    try {
      const address = locals.who.address();
      const created = await locals.app.createWorkshop(
        { title: values.title, question: values.question, after: session.workshop.id },
        address,
        locals.who.session
      );
      // The same facilitator, under the same name, in the new workshop.
      const joined = await locals.app.join({ token: created.invites.facilitator }, session.participant.name, address);
      setSessionCookie(cookies, url, created.workshop.id, joined.sessionToken);
      id = created.workshop.id;
    } catch (err) {
      if (!AppError.is(err)) throw err;
      return refuse(err.status, 'next', { [`next-${err.field ?? 'form'}`]: err.message }, values);
    }
    redirect(303, `/w/${id}/invite?new=1`);
  }
};
