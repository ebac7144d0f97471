// Building the links people share, and setting and clearing the session cookies.
import type { Cookies } from '@sveltejs/kit';
import type { Role } from '$lib/domain/roles';
import { inviteLink, presentLink } from '$lib/protocol/links';
import { HERE, LEFT, REMOVED, hereCookieName, removedCookieName } from '$lib/protocol/device';
import type { DeviceFacts } from './app';
import { forumCookieName, presentCookieName, sessionCookieName } from './credentials';
import type { CreatedWorkshop } from './app';

const HERE_PREFIX = hereCookieName('');

export { inviteLink, presentLink };

export function inviteLinks(base: string, invites: Partial<Record<Role, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [role, token] of Object.entries(invites)) if (token) out[role] = inviteLink(base, token);
  return out;
}

/** What creating a workshop answers (POST /api/workshops, and an import): its id, code, boards, invite links and present link. */
export function createdBody(base: string, created: CreatedWorkshop) {
  return {
    id: created.workshop.id,
    title: created.workshop.title,
    question: created.workshop.question,
    code: created.workshop.code,
    boards: created.boards.map((b) => ({ id: b.id, title: b.title })),
    // The workshop it follows (POST /api/workshops with `after`), or null.
    after: created.workshop.after ?? null,
    links: { ...inviteLinks(base, created.invites), present: presentLink(base, created.present) }
  };
}

export { qrDataUrl } from './qr';

const SESSION_DAYS = 30;

function cookieOptions(url: URL, httpOnly: boolean) {
  return {
    path: '/',
    httpOnly,
    sameSite: 'lax' as const,
    // Explicit: a laptop on venue Wi-Fi serves plain http on a LAN address, where a Secure cookie would be dropped.
    secure: url.protocol === 'https:',
    maxAge: 60 * 60 * 24 * SESSION_DAYS
  };
}

/**
 * Sets the session cookie (httpOnly: the secret) and its companion `rt_here_<id>` (no secret,
 * readable by the page and the service worker, which keep nothing for offline use without it).
 */
export function setSessionCookie(cookies: Cookies, url: URL, workshopId: string, token: string): void {
  cookies.set(sessionCookieName(workshopId), token, cookieOptions(url, true));
  cookies.set(hereCookieName(workshopId), HERE, cookieOptions(url, false));
}

/**
 * This request's device in a workshop, for the removal rule: the marker cookie the server sets once
 * it learns the person using the device was removed (httpOnly, no secret; never deleted by leaving
 * or clearing the device), and the session token it presents.
 */
export function deviceOf(cookies: Cookies, url: URL, sessionToken: (workshopId: string) => string | null): DeviceFacts {
  return {
    markedRemoved: (workshopId) => cookies.get(removedCookieName(workshopId)) === REMOVED,
    sessionToken,
    markRemoved: (workshopId) => cookies.set(removedCookieName(workshopId), REMOVED, cookieOptions(url, true))
  };
}

/**
 * The present screen's cookie (/p/<token> sets it): the present link's token, httpOnly, for this
 * workshop's present view only. No Max-Age, so it goes when the browser closes: the screen is
 * often a venue's computer, and the facilitator opens the link again next time.
 */
export function setPresentCookie(cookies: Cookies, url: URL, workshopId: string, token: string): void {
  const { maxAge: _days, ...options } = cookieOptions(url, true);
  cookies.set(presentCookieName(workshopId), token, options);
}

/**
 * A forum facilitator's cookie (/forum/<token> sets it): the forum link's token, httpOnly, for that
 * forum's page and API only. No Max-Age, as for present screens: it goes when the browser closes.
 */
export function setForumCookie(cookies: Cookies, url: URL, forumId: string, token: string): void {
  const { maxAge: _days, ...options } = cookieOptions(url, true);
  cookies.set(forumCookieName(forumId), token, options);
}

/** Deletes a present cookie that no longer works (its link replaced, its workshop deleted). */
export function clearPresentCookie(cookies: Cookies, url: URL, workshopId: string): void {
  const { path, secure, sameSite } = cookieOptions(url, true);
  cookies.delete(presentCookieName(workshopId), { path, secure, sameSite, httpOnly: true });
}

/** Sessions made before the companion cookie existed get one on their next signed-in page. */
export function ensureHereCookie(cookies: Cookies, url: URL, workshopId: string): void {
  if (cookies.get(hereCookieName(workshopId)) !== HERE) cookies.set(hereCookieName(workshopId), HERE, cookieOptions(url, false));
}

/** Deletes both cookies of a workshop (leaving, removed, forgotten, deleted). */
export function clearSessionCookies(cookies: Cookies, url: URL, workshopId: string): void {
  const { path, secure, sameSite } = cookieOptions(url, true);
  cookies.delete(sessionCookieName(workshopId), { path, secure, sameSite, httpOnly: true });
  cookies.delete(hereCookieName(workshopId), { path, secure, sameSite, httpOnly: false });
}

/**
 * Leaves that a device made offline (`rt_here_<id>=left`, written by the page): ends each of those
 * sessions and deletes both cookies. Runs on every request, so the first one that reaches the
 * server after the signal comes back finishes the leave.
 */
export async function finishPendingLeaves(
  cookies: Cookies,
  url: URL,
  endSession: (token: string | undefined) => Promise<void>
): Promise<void> {
  for (const { name, value } of cookies.getAll()) {
    if (!name.startsWith(HERE_PREFIX) || value !== LEFT) continue;
    const workshopId = name.slice(HERE_PREFIX.length);
    await endSession(cookies.get(sessionCookieName(workshopId)));
    clearSessionCookies(cookies, url, workshopId);
  }
}
