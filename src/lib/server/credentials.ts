// Who is asking, the same way at every entry point (the SvelteKit pages and API, the /sync
// upgrade, the socket.io handshake): a session token, and the client's address. Pure functions
// over a request's headers, so each entry point adapts its own request type in one line.
import { LEFT, hereCookieName } from '../protocol/device';

/** Each workshop has its own session cookie, so one device can take part in several. */
export function sessionCookieName(workshopId: string): string {
  return `rt_session_${workshopId}`;
}

/**
 * A present screen's cookie for one workshop: the present link's token, set by /p/<token>
 * (httpOnly). It opens that workshop's present view and nothing else: no function here reads it as
 * a session.
 */
export function presentCookieName(workshopId: string): string {
  return `rt_present_${workshopId}`;
}

/** A forum facilitator's cookie for one forum: the forum link's token, set by /forum/<token> (httpOnly). */
export function forumCookieName(forumId: string): string {
  return `rt_forum_${forumId}`;
}

/** The forum link token a request presents for a forum: `Authorization: Bearer`, else the forum's cookie. */
export function forumToken(req: RequestFacts, forumId: string): string | null {
  const bearer = req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return bearer;
  return readCookie(req.header('cookie'), forumCookieName(forumId));
}

/** A request as these functions read it: a header by lower-case name (first value), and the peer. */
export interface RequestFacts {
  header(name: string): string | null;
  /** The address of the peer that opened the connection (the proxy's, behind one). */
  remoteAddress: string | null;
}

/** Adapts Node's IncomingMessage (the upgrade, socket.io's handshake) to RequestFacts. */
export function nodeRequest(req: {
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
}): RequestFacts {
  return {
    header(name) {
      const v = req.headers[name];
      return (Array.isArray(v) ? v[0] : v) ?? null;
    },
    remoteAddress: req.socket?.remoteAddress ?? null
  };
}

export function readCookie(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * The session token a request presents for `workshopId`: one given explicitly (the `token` query
 * parameter of /sync, socket.io's `auth.token`), else `Authorization: Bearer <token>`, else the
 * workshop's session cookie (what pages use), unless this device left the workshop while offline
 * (its companion cookie says `left`: the session ends on its next request). Not checked here: see
 * WorkshopService.authenticate.
 */
export function sessionToken(req: RequestFacts, workshopId: string | null, given?: unknown): string | null {
  if (typeof given === 'string' && given) return given;
  const bearer = req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return bearer;
  if (!workshopId) return null;
  const cookies = req.header('cookie');
  if (readCookie(cookies, hereCookieName(workshopId)) === LEFT) return null;
  return readCookie(cookies, sessionCookieName(workshopId));
}

/**
 * The address to rate-limit by. Behind a trusted reverse proxy (TRUST_PROXY=1), the last entry of
 * X-Forwarded-For: the one the proxy itself appended, naming whoever connected to it. Earlier
 * entries are whatever the client sent and prove nothing. Without a trusted proxy, the peer.
 */
export function clientAddress(req: RequestFacts, trustProxy: boolean): string {
  if (trustProxy) {
    const entries = (req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const last = entries[entries.length - 1];
    if (last) return last;
  }
  return req.remoteAddress ?? 'unknown';
}

/** The scheme the client used: X-Forwarded-Proto from a trusted proxy, else the connection's own. */
export function requestScheme(req: RequestFacts & { encrypted?: boolean }, trustProxy: boolean): 'http' | 'https' {
  if (trustProxy) {
    const fwd = req.header('x-forwarded-proto')?.split(',').pop()?.trim();
    if (fwd === 'https' || fwd === 'http') return fwd;
  }
  return req.encrypted ? 'https' : 'http';
}
