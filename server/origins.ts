// Which origins may open WebSockets and socket.io connections (cross-site WebSocket hijacking
// defence): the page's own host, the configured public URL, and any extra origins allowed.
import type { IncomingMessage } from 'node:http';
import os from 'node:os';

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

/** This machine's first non-internal IPv4 address, if it has one (a laptop on venue Wi-Fi). */
export function lanAddress(): string | null {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

/**
 * The origin to put in invite links and QR codes. PUBLIC_URL when set. A facilitator who opened
 * the app as "localhost" on a laptop that listens on every interface gets the laptop's network
 * address instead, so phones on the same Wi-Fi can reach the links they scan.
 */
export function shareableOrigin(config: { publicUrl: string | null; host: string }, origin: string): string {
  if (config.publicUrl) return config.publicUrl;
  const url = new URL(origin);
  const local = url.hostname === 'localhost' || url.hostname === '[::1]' || url.hostname.startsWith('127.');
  if (local && (config.host === '0.0.0.0' || config.host === '::')) {
    const ip = lanAddress();
    if (ip) return `${url.protocol}//${ip}${url.port ? `:${url.port}` : ''}`;
  }
  return url.origin;
}

/** An invite link: the page that asks for a name, carrying the invite's token. */
export function inviteLink(base: string, token: string): string {
  return `${base}/j/${token}`;
}
