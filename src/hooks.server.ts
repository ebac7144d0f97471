// Every request: hand over the app's verbs (narrow, no store or sync host) and who is asking,
// finish leaves made offline, add security headers, and make sure no error reaches a browser as a
// stack trace (or a token a log).
import type { Handle, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { useApp } from '$lib/server/app';
import { requestVerbs } from '$lib/server/auth';
import { finishPendingLeaves } from '$lib/server/links';
import { limitBody } from '$lib/server/http';

/**
 * Pages that carry a capability (an invite or present token, or what leads to one: the present
 * view shows the member link as a QR code; a forum's page shows its join links): never stored anywhere.
 */
const CAPABILITY_PAGE =
  /^\/(j\/[^/]+|p\/[^/]+|join|w\/[^/]+\/(invite|present|rollup)|forum\/[^/]+|forum\/join\/[^/]+|f\/[^/]+)(\/__data\.json)?\/?$/;

const provide: Handle = async ({ event, resolve }) => {
  const app = useApp();
  event.locals.app = app;
  event.locals.who = requestVerbs(event, app);
  await finishPendingLeaves(event.cookies, event.url, (token) => app.endSession(token));
  return resolve(event);
};

/**
 * Every request body is held to a limit as it is read: an archive being imported (by the API or
 * the start page's form) to the board document limit, with room for the form's other fields;
 * every other body, forms too, to the small API limit.
 */
const bodyLimit: Handle = async ({ event, resolve }) => {
  const { limits } = event.locals.app;
  const { pathname, search } = event.url;
  const importing =
    event.request.method === 'POST' && (pathname === '/api/workshops/import' || (pathname === '/' && search === '?/import'));
  event.request = limitBody(event.request, importing ? limits.maxDocBytes + limits.httpBodyBytes : limits.httpBodyBytes);
  return resolve(event);
};

// Referrer-Policy is same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on
// form posts and SvelteKit's CSRF check refuses them. Same-origin still never sends an invite
// link's path (its token) to another site.
const securityHeaders: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  response.headers.set('x-frame-options', 'DENY');
  response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  response.headers.set('cross-origin-opener-policy', 'same-origin');
  if (CAPABILITY_PAGE.test(event.url.pathname)) response.headers.set('cache-control', 'no-store');
  return response;
};

export const handle = sequence(provide, bodyLimit, securityHeaders);

export const handleError: HandleServerError = ({ error, event, status }) => {
  // The route's pattern (/j/[token]), never the path: an invite link's path is its token.
  const route = event.route.id ?? 'no route';
  try {
    const { logger } = useApp();
    if (status >= 500) logger.error({ err: error, route }, 'request failed');
    else if (status !== 404) logger.debug({ status, route }, 'request refused');
  } catch {
    // the app is not running: nothing to log to
  }
  return {
    message: status === 404 ? 'We could not find that page.' : 'Something went wrong on our side. Try again in a moment.',
    code: status === 404 ? 'not_found' : 'server_error'
  };
};
