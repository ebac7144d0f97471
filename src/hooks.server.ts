// same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts and SvelteKit's CSRF check refuses them; invite tokens in URLs still never leave the site.
// Every request: hand over the process's services, add security headers, and make sure no error
// reaches a browser as a stack trace.
import type { Handle, HandleServerError } from '@sveltejs/kit';
import { services } from '$lib/server/services';

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.services = services();
  const response = await resolve(event);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  response.headers.set('x-frame-options', 'DENY');
  response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  response.headers.set('cross-origin-opener-policy', 'same-origin');
  return response;
};

export const handleError: HandleServerError = ({ error, event, status }) => {
  if (status !== 404) {
    try {
      services().logger.error({ err: error, path: event.url.pathname }, 'request failed');
    } catch {
      // services not running: nothing to log to
    }
  }
  return {
    message: status === 404 ? 'We could not find that page.' : 'Something went wrong on our side. Try again in a moment.',
    code: status === 404 ? 'not_found' : 'server_error'
  };
};
