// The preparation page: a decision maker (joined with the decision maker link) or the facilitator
// drafts the question and its background before the session, and explains words in the glossary.
// Every change is a command (app.command: the same rule, turn and refusals as on a socket); the
// forms work without scripts, and a refusal comes back with what was typed and a GOV.UK error
// summary. Members and observers are refused the page (403) and every action.
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { mayPrepareQuestion } from '$lib/domain/roles';
import { checkExplanation, checkTerm } from '$lib/domain/glossary';
import { checkContext, checkQuestion } from '$lib/domain/text';
import { GONE_TEXT } from '$lib/protocol/errors';
import { field } from '$lib/server/http';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const NO_SUCH_TERM = "There is no such word in this workshop's glossary. It may have been taken out already.";
const NOT_FOR_YOU = 'Only decision makers and the facilitator can prepare the question. You can read it at the top of the board.';

/** The session of someone who may prepare the question here, or the refusal (as a page). */
async function preparer(event: Pick<RequestEvent, 'params' | 'locals'>) {
  const { app, who } = event.locals;
  const workshopId = event.params.workshopId ?? '';
  const session = await who.session(workshopId);
  if (!session) {
    if ((await app.deletedAt(workshopId)) !== null) error(410, GONE_TEXT.deletedDetails);
    error(404, 'We could not find that page. Join the workshop with your invite link first.');
  }
  if (!mayPrepareQuestion(session.participant.role)) error(403, NOT_FOR_YOU);
  return session;
}

export const load = async (event) => {
  event.setHeaders({ 'cache-control': 'no-store' });
  const session = await preparer(event);
  const info = await event.locals.app.question(session.workshop.id);
  if (!info) error(404, 'We could not find that page.');
  return {
    workshopId: session.workshop.id,
    title: session.workshop.title,
    ended: !!session.workshop.endedAt,
    question: info.question,
    context: info.context,
    glossary: info.glossary,
    check: info.check,
    /** A word to explain, from a link in the plain words check (without scripts). */
    add: (event.url.searchParams.get('add') ?? '').slice(0, 200)
  };
};

export const actions = {
  /** The question and its background. */
  save: async (event) => {
    const session = await preparer(event);
    const form = await event.request.formData();
    const values = { question: field(form, 'question'), context: field(form, 'context') };
    // Both fields first, so people see every problem at once.
    const errors: Record<string, string> = {};
    const question = checkQuestion(values.question);
    const context = checkContext(values.context);
    if (!question.ok) errors.question = question.message;
    if (!context.ok) errors.context = context.message;
    if (!question.ok || !context.ok) return fail(400, { form: 'question' as const, errors, values });
    const result = await event.locals.app.command(session.participant.id, {
      type: 'question.set',
      question: question.value,
      context: context.value
    });
    if (!result.ok)
      return fail(result.error.code === 'not_allowed_now' ? 409 : 400, {
        form: 'question' as const,
        errors: { question: result.error.message },
        values
      });
    return { form: 'question' as const, saved: true, values: { question: question.value, context: context.value } };
  },

  /** A word for the glossary, new or (with `termId`) changed. */
  term: async (event) => {
    const session = await preparer(event);
    const form = await event.request.formData();
    const values = { termId: field(form, 'termId'), term: field(form, 'term'), explanation: field(form, 'explanation') };
    const errors: Record<string, string> = {};
    const term = checkTerm(values.term);
    const explanation = checkExplanation(values.explanation);
    if (!term.ok) errors.term = term.message;
    if (!explanation.ok) errors.explanation = explanation.message;
    if (values.termId && !ID.test(values.termId)) errors.term = NO_SUCH_TERM;
    if (!term.ok || !explanation.ok || errors.term) return fail(400, { form: 'term' as const, errors, values });
    const result = await event.locals.app.command(session.participant.id, {
      type: 'glossary.put',
      ...(values.termId ? { termId: values.termId } : {}),
      term: term.value,
      explanation: explanation.value
    });
    if (!result.ok)
      return fail(result.error.code === 'not_allowed_now' ? 409 : 400, {
        form: 'term' as const,
        errors: { term: result.error.message },
        values
      });
    return { form: 'term' as const, savedTerm: term.value, changed: !!values.termId };
  },

  /** Takes a word out of the glossary. */
  removeTerm: async (event) => {
    const session = await preparer(event);
    const form = await event.request.formData();
    const termId = field(form, 'termId');
    const term = field(form, 'term');
    if (!ID.test(termId)) return fail(400, { form: 'remove' as const, errors: { glossary: NO_SUCH_TERM } });
    const result = await event.locals.app.command(session.participant.id, { type: 'glossary.remove', termId });
    if (!result.ok)
      return fail(result.error.code === 'not_allowed_now' ? 409 : 400, {
        form: 'remove' as const,
        errors: { glossary: result.error.message }
      });
    return { form: 'remove' as const, removedTerm: term };
  }
};
