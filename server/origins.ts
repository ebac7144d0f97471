// Which origins may open WebSockets and socket.io connections (cross-site WebSocket hijacking
// defence): the page's own host, the configured public URL, and any extra origins allowed.
import type { IncomingMessage } from 'node:http';

export function originAllowed(req: IncomingMessage, publicUrl: string | null, extra: string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // not a browser: scripts must still present a session token
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  const host = req.headers.host;
  if (host && parsed.host === host) return true;
  if (publicUrl && parsed.origin === new URL(publicUrl).origin) return true;
  return extra.includes(parsed.origin);
}

export function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
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

/** The address to rate-limit by. Behind a proxy, set TRUST_PROXY=1 to use X-Forwarded-For. */
export function clientAddress(req: IncomingMessage): string {
  if (process.env.TRUST_PROXY === '1') {
    const fwd = req.headers['x-forwarded-for'];
    const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
