// The workshop's board page. Needs this device's session for the workshop; without one it
// explains why (deleted, removed) or how to join instead of showing anything, and deletes cookies
// that no longer work.
import { ROLE_LABEL } from '$lib/domain/roles';
import { mayAnswer } from '$lib/domain/outcomes';
import { meetingDay } from '$lib/domain/meetings';
import { clearSessionCookies, deviceOf, ensureHereCookie } from '$lib/server/links';
import { sessionCookieName } from '$lib/server/credentials';

export const load = async ({ params, cookies, locals, setHeaders, url }) => {
  setHeaders({ 'cache-control': 'no-store' });
  const session = await locals.who.session(params.workshopId);
  if (!session) {
    // Why, when the server can know: the workshop was deleted (only its id is kept), or the person
    // using this device was removed from it. Otherwise: not joined on this device, or it left.
    const gone: 'deleted' | 'removed' | null =
      (await locals.app.deletedAt(params.workshopId)) !== null
        ? 'deleted'
        : (await locals.app.removedHere(params.workshopId, deviceOf(cookies, url, locals.who.token)))
          ? 'removed'
          : null;
    if (cookies.get(sessionCookieName(params.workshopId))) clearSessionCookies(cookies, url, params.workshopId);
    return { signedIn: false as const, workshopId: params.workshopId, gone };
  }
  ensureHereCookie(cookies, url, params.workshopId);
  const { participant, workshop } = session;
  const [boards, question, stepKind, report, sinceLastTime, recordingTime, forum] = await Promise.all([
    locals.app.boards(workshop.id),
    locals.app.question(workshop.id),
    // The page opens by theme at a "group" step, and fetches the themes view as it starts.
    locals.app.stepKind(workshop.id).catch(() => null),
    locals.app.outcomes.report(workshop.id),
    locals.app.outcomes.sinceLastTime(workshop),
    locals.app.involvement.mine(participant.id).then(
      () => true,
      () => false
    ),
    locals.app.forums.rollupScope(workshop.id)
  ]);
  // Which boards this page keeps on the device, so the service worker can delete their copies
  // when it finds the device signed out (the cached page keeps its headers).
  setHeaders({ 'x-roundtable-boards': boards.map((b) => b.id).join(',') });
  // No join code or invite link here: this page is kept on the device for offline use.
  return {
    signedIn: true as const,
    workshopId: workshop.id,
    ended: !!workshop.endedAt,
    workshop: {
      id: workshop.id,
      title: workshop.title,
      question: workshop.question,
      context: workshop.context ?? '',
      glossary: question?.glossary ?? []
    },
    boards: boards.map((b) => b.id),
    board: { id: boards[0].id, title: boards[0].title },
    stepKind,
    // "What happened to our ideas" (/w/<id>/outcomes): offered once there is something to read, and to those who answer.
    outcomes: {
      recommendations: report?.counts.total ?? 0,
      offered: !!workshop.endedAt || !!report?.counts.total || mayAnswer(participant)
    },
    // "Points from other forums" (/w/<id>/rollup): offered to the facilitator of a workshop in a forum with forums in it.
    rollup: { offered: participant.role === 'facilitator' && forum.children.length > 0 },
    // The board meetings its forum prepares for: everyone here may comment on their points.
    meetings: forum.forum
      ? (await locals.app.meetings.list(forum.forum)).map((m) => ({
          id: m.id,
          label: `Preparing for the ${m.body}, ${meetingDay(m.date)}`
        }))
      : [],
    // The earlier workshop of the group's recommendations, for a workshop that follows one.
    sinceLastTime,
    // Whether this person asked for their time to be recorded (the link to "Your time record").
    recordingTime,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    me: {
      id: participant.id,
      name: participant.name,
      role: participant.role,
      roleLabel: ROLE_LABEL[participant.role],
      representative: participant.representative ?? false
    }
  };
};
