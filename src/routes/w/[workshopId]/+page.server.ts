// The workshop's board page. Needs this device's session for the workshop; without one it
// explains how to join instead of showing anything.
import { ROLE_LABEL } from '$lib/domain/roles';
import { formatCode } from '$lib/domain/join-code';
import { readSession } from '$lib/server/links';

export const load = async ({ params, cookies, locals, setHeaders }) => {
  setHeaders({ 'cache-control': 'no-store' });
  const { workshops, store } = locals.services;
  const session = workshops.authenticate(readSession(cookies, params.workshopId));
  if (!session || session.workshop.id !== params.workshopId) return { signedIn: false as const };
  const { participant, workshop } = session;
  const boards = store.listBoards(workshop.id);
  return {
    signedIn: true as const,
    workshop: { id: workshop.id, title: workshop.title, question: workshop.question, code: formatCode(workshop.code) },
    board: { id: boards[0].id, title: boards[0].title },
    me: { id: participant.id, name: participant.name, role: participant.role, roleLabel: ROLE_LABEL[participant.role] }
  };
};
