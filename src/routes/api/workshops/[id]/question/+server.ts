import { json, type RequestEvent, type RequestHandler } from '@sveltejs/kit';
import { mayPrepareQuestion } from '$lib/domain/roles';
import { checkContext, checkQuestion } from '$lib/domain/text';
import { AppError } from '$lib/protocol/errors';
import { commandRefusal } from '$lib/server/question';
import { errorResponse, readJson } from '$lib/server/http';

const NO_STORE = { 'cache-control': 'no-store' };

async function signedIn(event: RequestEvent) {
  const session = await event.locals.who.session(event.params.id ?? '');
  if (!session) throw new AppError('not_signed_in', 'Sign in to this workshop first: use your invite link.', 401);
  return session;
}

async function answer(event: RequestEvent, workshopId: string) {
  const info = await event.locals.app.question(workshopId);
  if (!info) throw new AppError('not_found', 'There is no such workshop.', 404);
  return json(info, { headers: NO_STORE });
}

/**
 * GET /api/workshops/<id>/question: the question, its background, the glossary and the server's
 * plain words check, for anyone in the workshop (observers too). See docs/API.md.
 */
export const GET: RequestHandler = async (event) => {
  try {
    const session = await signedIn(event);
    return await answer(event, session.workshop.id);
  } catch (err) {
    const failed = errorResponse(err, event);
    failed.headers.set('cache-control', 'no-store');
    return failed;
  }
};

/**
 * PUT /api/workshops/<id>/question {question, context?}: decision makers and facilitators change
 * the question and its background (the same rule as the `question.set` command, which this
 * sends); answered with what GET gives, the new check in it.
 */
export const PUT: RequestHandler = async (event) => {
  try {
    const { app } = event.locals;
    const session = await signedIn(event);
    if (!mayPrepareQuestion(session.participant.role)) {
      throw new AppError('forbidden', 'Only decision makers and the facilitator can change the question and its glossary.', 403);
    }
    const body = await readJson(event.request, app.limits.httpBodyBytes);
    // Each field first, so the refusal names the field, as the page's form does.
    const question = checkQuestion(body.question);
    if (!question.ok) throw new AppError('invalid_input', question.message, 400, 'question');
    const context = checkContext(body.context ?? '');
    if (!context.ok) throw new AppError('invalid_input', context.message, 400, 'context');
    const result = await app.command(session.participant.id, { type: 'question.set', question: question.value, context: context.value });
    if (!result.ok) throw commandRefusal(result.error);
    return await answer(event, session.workshop.id);
  } catch (err) {
    const failed = errorResponse(err, event);
    failed.headers.set('cache-control', 'no-store');
    return failed;
  }
};
