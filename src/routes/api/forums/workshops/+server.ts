// POST /api/forums/workshops {workshopId, link} -> 200 {forum}: a workshop's facilitator (their
// session: cookie or Bearer) adds the workshop to the forum whose facilitator link `link` is.
import type { RequestHandler } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';
import { readJson } from '$lib/server/http';
import { forumEndpoint, jsonNoStore } from '$lib/server/forums/respond';
import { tokenOf } from '$lib/server/forums/tokens';

export const POST: RequestHandler = (event) =>
  forumEndpoint(event, async () => {
    const { app, who } = event.locals;
    const body = await readJson(event.request, app.limits.httpBodyBytes);
    if (typeof body.workshopId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(body.workshopId))
      throw new AppError('invalid_input', 'workshopId must be the id of your workshop.', 400, 'workshopId');
    const session = await who.session(body.workshopId);
    if (!session) throw new AppError('not_signed_in', 'Sign in to this workshop as its facilitator first: use your invite link.', 401);
    if (session.participant.role !== 'facilitator')
      throw new AppError('forbidden', 'Only a facilitator of this workshop can add it to a forum.', 403);
    const forum = await app.forums.addWorkshop(session.workshop.id, tokenOf(body.link));
    return jsonNoStore({ forum: { id: forum.id, name: forum.name, level: forum.level } });
  });
