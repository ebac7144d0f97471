// Which origins may open WebSockets and socket.io connections (cross-site WebSocket hijacking
// defence): the page's own host, the configured public URL, and any extra origins allowed.
import type { RequestFacts } from '../src/lib/server/credentials';
import os from 'node:os';

/** Whether a browser page from this request's Origin may open a live connection. */
export function originAllowed(req: RequestFacts, publicUrl: string | null, extra: string[]): boolean {
  const origin = req.header('origin');
  if (!origin) return true; // not a browser: scripts must still present a session token
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  const host = req.header('host');
  if (host && parsed.host === host) return true;
  if (publicUrl && parsed.origin === new URL(publicUrl).origin) return true;
  return extra.includes(parsed.origin);
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

export { inviteLink } from '../src/lib/protocol/links';
