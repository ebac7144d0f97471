// "Points from other forums": a workshop's rolled-up cards with where each came from, for anyone
// in it; for its facilitators also the points its forum's child forums shared, to bring onto the
// board, merging alike cards and undoing a merge, and adding the workshop to a forum. The board
// changes go through the same commands as a socket (app.command: rollup.bring, merge, unmerge),
// so there is one rule, one turn and one set of refusals. Plain form posts.
import { fail, redirect } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';
import { deviceOf } from '$lib/server/links';
import { field } from '$lib/server/http';
import { tokenOf } from '$lib/server/forums/tokens';
import type { Command } from '$lib/protocol/session';

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
    return { signedIn: false as const, gone };
  }
  const { participant, workshop } = session;
  const isFacilitator = participant.role === 'facilitator';
  const [scope, cards, options, boards] = await Promise.all([
    app.forums.rollupScope(workshop.id),
    app.forums.rollupCards(workshop.id),
    isFacilitator ? app.forums.rollupOptions(workshop.id) : null,
    app.boards(workshop.id)
  ]);
  const onBoard = new Set(cards.flatMap((c) => c.sources.map((s) => s.id)));
  return {
    signedIn: true as const,
    workshop: { id: workshop.id, title: workshop.title, ended: !!workshop.endedAt },
    isFacilitator,
    forum: scope.forum ? { id: scope.forum.id, name: scope.forum.name, level: scope.forum.level } : null,
    boardId: boards[0]?.id ?? null,
    cards: cards.filter((c) => c.text !== null),
    options: options && {
      ...options,
      children: options.children.map((c) => ({ ...c, points: c.points.map((p) => ({ ...p, onBoard: onBoard.has(p.id) })) }))
    },
    done: url.searchParams.get('done'),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone
  };
};

type Values = Record<string, string>;
const refuse = (status: number, action: string, message: string, values: Values = {}, fieldId = `${action}-form`) =>
  fail(status, { action, errors: { [fieldId]: message }, values });

/** The facilitator's session of a form post, or the refusal the page shows. */
async function facilitator(locals: App.Locals, workshopId: string, action: string, values: Values = {}) {
  const session = await locals.who.session(workshopId);
  if (!session) return { refused: refuse(401, action, 'Sign in to this workshop first: use your invite link.', values) };
  if (session.participant.role !== 'facilitator') return { refused: refuse(403, action, 'Only the facilitator can do that.', values) };
  return { session };
}

/** A board command from this page's form, as if sent on the facilitator's socket: its refusal as the page shows it. */
async function run(locals: App.Locals, participantId: string, workshopId: string, action: string, command: (boardId: string) => Command) {
  const boardId = (await locals.app.boards(workshopId))[0]?.id ?? '';
  const result = await locals.app.command(participantId, command(boardId));
  if (result.ok) return null;
  const status = result.error.code === 'forbidden' ? 403 : result.error.code === 'invalid_payload' ? 400 : 409;
  return refuse(status, action, result.error.message);
}

export const actions = {
  bring: async ({ params, request, locals }) => {
    const form = await request.formData();
    const { session, refused } = await facilitator(locals, params.workshopId, 'bring');
    if (refused) return refused;
    const pointIds = form.getAll('point').filter((v): v is string => typeof v === 'string');
    if (!pointIds.length) return refuse(400, 'bring', 'Choose at least one point to bring onto the board.', {}, 'bring-points');
    const failed = await run(locals, session.participant.id, session.workshop.id, 'bring', (boardId) => ({
      type: 'rollup.bring',
      boardId,
      lane: 'problems',
      pointIds
    }));
    if (failed) return failed;
    redirect(303, `/w/${params.workshopId}/rollup?done=brought#on-the-board`);
  },

  merge: async ({ params, request, locals }) => {
    const form = await request.formData();
    const { session, refused } = await facilitator(locals, params.workshopId, 'merge');
    if (refused) return refused;
    const cardIds = form.getAll('card').filter((v): v is string => typeof v === 'string');
    if (cardIds.length < 2) return refuse(400, 'merge', 'Choose at least two cards to merge.', {}, 'merge-cards');
    const failed = await run(locals, session.participant.id, session.workshop.id, 'merge', (boardId) => ({
      type: 'rollup.merge',
      boardId,
      cardIds
    }));
    if (failed) return failed;
    redirect(303, `/w/${params.workshopId}/rollup?done=merged#on-the-board`);
  },

  unmerge: async ({ params, request, locals }) => {
    const form = await request.formData();
    const { session, refused } = await facilitator(locals, params.workshopId, 'unmerge');
    if (refused) return refused;
    const cardId = field(form, 'card');
    const failed = await run(locals, session.participant.id, session.workshop.id, 'unmerge', (boardId) => ({
      type: 'rollup.unmerge',
      boardId,
      cardId
    }));
    if (failed) return failed;
    redirect(303, `/w/${params.workshopId}/rollup?done=unmerged#on-the-board`);
  },

  // Adds this workshop to a forum with that forum's link (its facilitators only).
  forum: async ({ params, request, locals }) => {
    const form = await request.formData();
    const values = { link: field(form, 'forum-link') };
    const { session, refused } = await facilitator(locals, params.workshopId, 'forum', values);
    if (refused) return refused;
    try {
      await locals.app.forums.addWorkshop(session.workshop.id, tokenOf(values.link));
    } catch (err) {
      if (!AppError.is(err)) throw err;
      return refuse(err.status, 'forum', err.message, values, 'forum-link');
    }
    redirect(303, `/w/${params.workshopId}/rollup?done=joined`);
  }
};
