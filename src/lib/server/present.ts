// Who is asking for a present view, from a SvelteKit request: a Bearer token (a present token, or
// a facilitator's session token), the workshop's present cookie, and the session the request
// presents. Decided by the one rule of server/present.ts (PresentLinks.viewer), as the socket.io
// handshake decides it.
import type { RequestEvent } from '@sveltejs/kit';
import type { PresentCredentials } from './app';
import { presentCookieName } from './credentials';

export function presentCredentials(event: Pick<RequestEvent, 'request' | 'cookies' | 'locals'>, workshopId: string): PresentCredentials {
  return {
    token: event.request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null,
    cookie: event.cookies.get(presentCookieName(workshopId)) ?? null,
    session: event.locals.who.token(workshopId)
  };
}
