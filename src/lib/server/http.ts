// Small helpers for the JSON API: read a body safely and turn refusals into `{ error }` replies.
import { json, type RequestEvent } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';

const MAX_BODY = 16 * 1024;

export async function readJson(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) {
    throw new AppError('invalid_json', 'Send a JSON body with Content-Type: application/json.', 415);
  }
  const text = await request.text();
  if (text.length > MAX_BODY) throw new AppError('payload_too_large', 'The request body is too large.', 413);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid JSON.', 400);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('invalid_input', 'The request body must be a JSON object.', 400);
  }
  return body as Record<string, unknown>;
}

export function errorResponse(err: unknown, event: RequestEvent) {
  if (AppError.is(err)) return json(err.toBody(), { status: err.status });
  event.locals.services.logger.error({ err, path: event.url.pathname }, 'api failure');
  return json({ error: { code: 'server_error', message: 'Something went wrong on our side. Try again.' } }, { status: 500 });
}

export function clientAddress(event: RequestEvent): string {
  try {
    return event.getClientAddress();
  } catch {
    return 'unknown';
  }
}
