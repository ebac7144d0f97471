// One way for SvelteKit's server code to know who is asking: the session token the request
// presents (Authorization: Bearer, else the workshop's cookie), checked by the same function as
// the /sync upgrade and the socket.io handshake; and the client's address by the same rule.
import type { RequestEvent } from '@sveltejs/kit';
import type { App, SessionInfo } from './app';
import { clientAddress, forumToken, sessionToken, type RequestFacts } from './credentials';

function facts(event: Pick<RequestEvent, 'request' | 'getClientAddress'>): RequestFacts {
  let remote: string | null = null;
  try {
    remote = event.getClientAddress();
  } catch {
    // no socket address (tests that call handlers directly)
  }
  return { header: (name) => event.request.headers.get(name), remoteAddress: remote };
}

/** The verbs a request gets in `locals`: who it is in a workshop, and where it comes from. */
export function requestVerbs(event: Pick<RequestEvent, 'request' | 'getClientAddress'>, app: App) {
  const f = facts(event);
  return {
    /**
     * This request's session in `workshopId` (null when it has none, or it has ended). With
     * `null`, whichever workshop a Bearer token belongs to (cookies are per workshop).
     */
    session: (workshopId: string | null): Promise<SessionInfo | null> =>
      app.authenticate(sessionToken(f, workshopId)).then((s) => (s && (workshopId === null || s.workshop.id === workshopId) ? s : null)),
    /** The forum link token this request presents for `forumId` (Bearer, else the forum's cookie). */
    forumToken: (forumId: string): string | null => forumToken(f, forumId),
    /** The session token this request presents for `workshopId` (to end it: leaving). */
    token: (workshopId: string): string | null => sessionToken(f, workshopId),
    /** The address to rate-limit by (TRUST_PROXY: the proxy's own X-Forwarded-For entry). */
    address: (): string => clientAddress(f, app.trustProxy)
  };
}

export type RequestVerbs = ReturnType<typeof requestVerbs>;
