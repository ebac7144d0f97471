// GET /api/workshops/<id>/rollups -> {forum, cards, options}: for anyone in the workshop, its
// rolled-up cards with where each came from (forum, level, workshop title, date, support by role
// group, counts; never a name or a local group's cards); for its facilitators also `options`, the
// points its forum's child forums shared, to bring in (null for everyone else).
import type { RequestHandler } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';
import { forumEndpoint, jsonNoStore } from '$lib/server/forums/respond';

export const GET: RequestHandler = (event) =>
  forumEndpoint(event, async () => {
    const { app, who } = event.locals;
    const session = await who.session(event.params.id ?? '');
    if (!session) throw new AppError('not_signed_in', 'Sign in to this workshop first: use your invite link.', 401);
    const workshopId = session.workshop.id;
    const [cards, options] = await Promise.all([
      app.forums.rollupCards(workshopId),
      session.participant.role === 'facilitator' ? app.forums.rollupOptions(workshopId) : null
    ]);
    const scope = await app.forums.rollupScope(workshopId);
    const forum = scope.forum ? { id: scope.forum.id, name: scope.forum.name, level: scope.forum.level } : null;
    return jsonNoStore({ forum, cards, options });
  });
