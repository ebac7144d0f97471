// POST /api/workshops/<id>/recommendations/<recommendationId>/updates: a facilitator or decision
// maker adds an entry to a recommendation's timeline: a status with its plain explanation (for
// "not taken forward", the reason), a new addressee, or a link to what it led to (or one taken
// back). Appended, never rewritten; a correction is a new entry. Taken after the end too.
import { json, type RequestHandler } from '@sveltejs/kit';
import { OUTCOME_TEXT, mayAnswer } from '$lib/domain/outcomes';
import { readJson } from '$lib/server/http';
import { outcomesEndpoint, refuse, sessionOr401 } from '$lib/server/outcomes/respond';

export const POST: RequestHandler = (event) =>
  outcomesEndpoint(event, async () => {
    const session = await sessionOr401(event);
    if (session instanceof Response) return session;
    if (!mayAnswer(session.participant)) return refuse(403, 'forbidden', OUTCOME_TEXT.forbidden);
    const body = await readJson(event.request, event.locals.app.limits.httpBodyBytes);
    const { kind, status, explanation, corrects, to, addressedTo } = body;
    const recommendation = await event.locals.app.outcomes.change(session, event.params.recommendationId ?? '', {
      kind,
      status,
      explanation,
      corrects,
      to,
      addressedTo
    });
    return json({ entry: recommendation.timeline[recommendation.timeline.length - 1], recommendation }, { status: 201 });
  });
