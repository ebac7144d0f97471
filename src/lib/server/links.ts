// Building the links people share, and setting the session cookie.
import type { Cookies } from '@sveltejs/kit';
import QRCode from 'qrcode';
import type { Role } from '$lib/domain/roles';
import { inviteLink } from '$lib/protocol/links';
import { sessionCookieName } from './credentials';

export { inviteLink };


export function inviteLinks(base: string, invites: Partial<Record<Role, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [role, token] of Object.entries(invites)) if (token) out[role] = inviteLink(base, token);
  return out;
}

export async function qrDataUrl(link: string): Promise<string> {
  const svg = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

export function setSessionCookie(cookies: Cookies, url: URL, workshopId: string, token: string): void {
  cookies.set(sessionCookieName(workshopId), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    // Explicit: a laptop on venue Wi-Fi serves plain http on a LAN address, where a Secure cookie would be dropped.
    secure: url.protocol === 'https:',
    maxAge: 60 * 60 * 24 * 30
  });
}
