// The forum endpoints' common parts: who is asking (the forum link a request presents, checked by
// the forum service), refusals as JSON with `cache-control: no-store` (a forum's answers carry its
// links), and the links in a forum's answers.
import { json, type RequestEvent } from '@sveltejs/kit';
import { errorResponse } from '$lib/server/http';
import { forumJoinLink, forumLink } from '$lib/protocol/links';
import type { ForumRecord } from '../../../../server/persistence/types';

const NO_STORE = { 'cache-control': 'no-store' };

/** Runs an endpoint, answering every refusal as `{ error }` with its status, never stored. */
export async function forumEndpoint(event: RequestEvent, run: () => Promise<Response>): Promise<Response> {
  try {
    const response = await run();
    response.headers.set('cache-control', 'no-store');
    return response;
  } catch (err) {
    const failed = errorResponse(err, event);
    failed.headers.set('cache-control', 'no-store');
    return failed;
  }
}

/** The forum named in the path, when the request presents one of its facilitator links (401/403 otherwise). */
export function asFacilitator(event: RequestEvent): Promise<ForumRecord> {
  const forumId = event.params.id ?? '';
  return event.locals.app.forums.facilitator(forumId, event.locals.who.forumToken(forumId));
}

export const jsonNoStore = (body: unknown, status = 200) => json(body, { status, headers: NO_STORE });

export const base = (event: RequestEvent) => event.locals.app.linkBase(event.url.origin);

export const forumLinks = (event: RequestEvent, token: string) => ({ facilitator: forumLink(base(event), token) });

export const joinLinks = (event: RequestEvent, tokens: string[]) => tokens.map((t) => forumJoinLink(base(event), t));
