// The workshop's board page. Needs this device's session for the workshop; without one it
// explains how to join instead of showing anything.
import { ROLE_LABEL } from '$lib/domain/roles';
import { formatCode } from '$lib/domain/join-code';

export const load = async ({ params, locals, setHeaders }) => {
  setHeaders({ 'cache-control': 'no-store' });
  const session = await locals.who.session(params.workshopId);
  if (!session) return { signedIn: false as const };
  const { participant, workshop } = session;
  const boards = await locals.app.boards(workshop.id);
  return {
    signedIn: true as const,
    workshop: { id: workshop.id, title: workshop.title, question: workshop.question, code: formatCode(workshop.code) },
    board: { id: boards[0].id, title: boards[0].title },
    me: { id: participant.id, name: participant.name, role: participant.role, roleLabel: ROLE_LABEL[participant.role] }
  };
};
