// POST /api/workshops/<id>/recommendations: a facilitator or decision maker makes a recommendation
// (from an agreed key point, a solution card, or written afresh), addressed to a role or body.
// Taken after the workshop has ended too. See "You said, we did" in docs/API.md.
import { json, type RequestHandler } from '@sveltejs/kit';
import { OUTCOME_TEXT, mayAnswer, sourceChoiceFrom } from '$lib/domain/outcomes';
import { readJson } from '$lib/server/http';
import { outcomesEndpoint, refuse, sessionOr401 } from '$lib/server/outcomes/respond';

export const POST: RequestHandler = (event) =>
  outcomesEndpoint(event, async () => {
    const session = await sessionOr401(event);
    if (session instanceof Response) return session;
    if (!mayAnswer(session.participant)) return refuse(403, 'forbidden', OUTCOME_TEXT.forbidden);
    const body = await readJson(event.request, event.locals.app.limits.httpBodyBytes);
    const from = sourceChoiceFrom(body.from);
    if (from === 'invalid') {
      return refuse(
        400,
        'invalid_input',
        'from must be { kind: "keyPoint", boardId, pointId } or { kind: "card", boardId, cardId }, or left out for a recommendation written afresh.',
        'from'
      );
    }
    const recommendation = await event.locals.app.outcomes.create(session, { text: body.text, addressedTo: body.addressedTo, from });
    return json({ recommendation }, { status: 201 });
  });
