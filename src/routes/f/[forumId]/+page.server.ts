// A forum's page, for its facilitators (the forum link's cookie): the forum's collective view (the
// key points agreed across its workshops and shared by its child forums, ranked), its workshops
// and their agreed points to share up or withdraw, what child forums shared (withdrawn ones
// marked), join links for child forums, joining a larger forum, and starting a workshop in it.
// The forms work without scripts: a 303 back here once done, refusals in an error summary.
import { fail, redirect } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';
import { forumLink, forumJoinLink } from '$lib/protocol/links';
import { field } from '$lib/server/http';
import { createdBody, setForumCookie } from '$lib/server/links';
import { tokenOf } from '$lib/server/forums/tokens';

export const load = async ({ params, locals, setHeaders, url }) => {
  setHeaders({ 'cache-control': 'no-store' });
  const { app, who } = locals;
  const token = who.forumToken(params.forumId);
  let forum;
  try {
    forum = await app.forums.facilitator(params.forumId, token);
  } catch (err) {
    if (!AppError.is(err)) throw err;
    return { signedIn: false as const, message: err.message };
  }
  const base = app.linkBase(url.origin);
  const { childLinks, ...overview } = await app.forums.overview(forum);
  const meetings = await app.meetings.list(forum);
  return {
    signedIn: true as const,
    ...overview,
    meetings: meetings.map((m) => ({ id: m.id, body: m.body, date: m.date })),
    links: { facilitator: forumLink(base, token ?? ''), join: childLinks.map((t) => forumJoinLink(base, t)) },
    done: url.searchParams.get('done'),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone
  };
};

type Values = Record<string, string>;
const refuse = (status: number, action: string, errors: Values, values: Values = {}) => fail(status, { action, errors, values });

/** The forum of a form post, or the refusal the page shows over the form. */
async function facilitatorOf(locals: App.Locals, forumId: string, action: string) {
  try {
    return { forum: await locals.app.forums.facilitator(forumId, locals.who.forumToken(forumId)) };
  } catch (err) {
    if (!AppError.is(err)) throw err;
    return { refused: refuse(err.status, action, { [`${action}-form`]: err.message }) };
  }
}

/** A refusal from the rules, against the form's field it names (or the form). */
function refusal(err: unknown, action: string, fields: Record<string, string>, values: Values = {}) {
  if (!AppError.is(err)) throw err;
  const id = (err.field && fields[err.field]) || `${action}-form`;
  return refuse(err.status, action, { [id]: err.message }, values);
}

export const actions = {
  // Share one agreed key point of one of the forum's workshops with the parent forum.
  share: async ({ params, request, locals }) => {
    const form = await request.formData();
    const { forum, refused } = await facilitatorOf(locals, params.forumId, 'share');
    if (refused) return refused;
    const [workshopId, boardId, pointId] = field(form, 'point').split(':');
    try {
      await locals.app.forums.share(forum, { workshopId, boardId, pointId });
    } catch (err) {
      return refusal(err, 'share', {});
    }
    redirect(303, `/f/${forum.id}?done=shared#our-workshops`);
  },

  withdraw: async ({ params, request, locals }) => {
    const form = await request.formData();
    const { forum, refused } = await facilitatorOf(locals, params.forumId, 'withdraw');
    if (refused) return refused;
    try {
      await locals.app.forums.withdraw(forum, field(form, 'shared'));
    } catch (err) {
      return refusal(err, 'withdraw', {});
    }
    redirect(303, `/f/${forum.id}?done=withdrawn#our-workshops`);
  },

  // A join link for a forum that should join this one.
  childLink: async ({ params, locals }) => {
    const { forum, refused } = await facilitatorOf(locals, params.forumId, 'childLink');
    if (refused) return refused;
    await locals.app.forums.childLink(forum);
    redirect(303, `/f/${forum.id}?done=link#child-forums`);
  },

  // One join link turned off (forums that joined with it stay).
  revokeJoin: async ({ params, request, locals }) => {
    const form = await request.formData();
    const { forum, refused } = await facilitatorOf(locals, params.forumId, 'revokeJoin');
    if (refused) return refused;
    try {
      await locals.app.forums.revokeChildLink(forum, tokenOf(field(form, 'link')));
    } catch (err) {
      return refusal(err, 'revokeJoin', {});
    }
    redirect(303, `/f/${forum.id}?done=revoked#child-forums`);
  },

  // A new facilitator link, every other turned off; this browser keeps working with the new one.
  renewLink: async ({ params, locals, cookies, url }) => {
    const { forum, refused } = await facilitatorOf(locals, params.forumId, 'renewLink');
    if (refused) return refused;
    setForumCookie(cookies, url, forum.id, await locals.app.forums.renewLink(forum));
    redirect(303, `/f/${forum.id}?done=renewed#forum-link`);
  },

  // This forum joins a larger one with that forum's join link.
  join: async ({ params, request, locals }) => {
    const form = await request.formData();
    const values = { link: field(form, 'join-link') };
    const { forum, refused } = await facilitatorOf(locals, params.forumId, 'join');
    if (refused) return refused;
    try {
      await locals.app.forums.joinParent(forum, tokenOf(values.link));
    } catch (err) {
      return refusal(err, 'join', { link: 'join-link' }, values);
    }
    redirect(303, `/f/${forum.id}?done=joined`);
  },

  // A new workshop in this forum: its links are shown once, here.
  workshop: async ({ params, request, locals, url }) => {
    const form = await request.formData();
    const values = { title: field(form, 'workshop-title'), question: field(form, 'workshop-question') };
    const { forum, refused } = await facilitatorOf(locals, params.forumId, 'workshop');
    if (refused) return refused;
    try {
      const { app, who } = locals;
      const created = await app.createWorkshop({ title: values.title, question: values.question }, who.address());
      await app.forums.adopt(forum, created.workshop.id);
      return { action: 'workshop', created: createdBody(app.linkBase(url.origin), created) };
    } catch (err) {
      return refusal(err, 'workshop', { title: 'workshop-title', question: 'workshop-question' }, values);
    }
  },

  // A board meeting the forum prepares for: its points are what the forum says now.
  meeting: async ({ params, request, locals }) => {
    const form = await request.formData();
    const values = { body: field(form, 'meeting-body'), date: field(form, 'meeting-date') };
    const { forum, refused } = await facilitatorOf(locals, params.forumId, 'meeting');
    if (refused) return refused;
    let id: string;
    try {
      id = (await locals.app.meetings.create(forum, values)).id;
    } catch (err) {
      return refusal(err, 'meeting', { body: 'meeting-body', date: 'meeting-date' }, values);
    }
    redirect(303, `/meetings/${id}`);
  }
};
