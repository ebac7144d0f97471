// Every request: hand over the app's verbs (narrow, no store or sync host) and who is asking, add
// security headers, and make sure no error reaches a browser as a stack trace.
import type { Handle, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { useApp } from '$lib/server/app';
import { requestVerbs } from '$lib/server/auth';

const provide: Handle = ({ event, resolve }) => {
  const app = useApp();
  event.locals.app = app;
  event.locals.who = requestVerbs(event, app);
  return resolve(event);
};

// same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts and
// SvelteKit's CSRF check refuses them; invite tokens in URLs still never leave the site.
const securityHeaders: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  response.headers.set('x-frame-options', 'DENY');
  response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  response.headers.set('cross-origin-opener-policy', 'same-origin');
  return response;
};

export const handle = sequence(provide, securityHeaders);

export const handleError: HandleServerError = ({ error, event, status }) => {
  if (status !== 404) {
    try {
      useApp().logger.error({ err: error, path: event.url.pathname }, 'request failed');
    } catch {
      // the app is not running: nothing to log to
    }
  }
  return {
    message: status === 404 ? 'We could not find that page.' : 'Something went wrong on our side. Try again in a moment.',
    code: status === 404 ? 'not_found' : 'server_error'
  };
};
