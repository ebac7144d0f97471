// A workshop with its facilitator and some people, each with a socket.io session open: the
// common start of session-control tests. What it opens is pushed onto `open` for the test to close.
import type { TestServer } from './server';
import { connectSession, createWorkshop, join, type SessionClient } from './clients';

export interface Person {
  name: string;
  token: string;
  id: string;
  session: SessionClient;
}

export async function workshopWith(
  server: TestServer,
  open: { close(): void }[],
  who: { role: 'member' | 'decisionMaker' | 'observer'; name: string }[]
) {
  const w = await createWorkshop(server.url);
  const fac = await join(server.url, w.links.facilitator, 'Fay');
  const facilitator = await connectSession(server.url, w.id, fac.sessionToken);
  open.push({ close: () => facilitator.disconnect() });
  const people: Person[] = [];
  for (const { role, name } of who) {
    const j = await join(server.url, w.links[role], name);
    const session = await connectSession(server.url, w.id, j.sessionToken);
    open.push({ close: () => session.disconnect() });
    people.push({ name, token: j.sessionToken, id: j.participant.id, session });
  }
  return { w, boardId: w.boards[0].id, fac, facilitator, people };
}
