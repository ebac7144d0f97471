// Small helpers for the JSON API: read a body safely and turn refusals into `{ error }` replies.
import { error, json, type RequestEvent } from '@sveltejs/kit';
import { AppError } from '$lib/protocol/errors';

/** The body as a JSON object, refused (as an AppError) when it is not one or is over `maxBytes`. */
export async function readJson(request: Request, maxBytes: number): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) {
    throw new AppError('invalid_json', 'Send a JSON body with Content-Type: application/json.', 415);
  }
  const text = await readText(request, maxBytes);
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

const tooLarge = () => new AppError('payload_too_large', 'The request body is too large.', 413);

/**
 * What a body past its limit fails with while it is read: SvelteKit's own 413 (an HttpError), so a
 * form action that reads it answers 413 as it did under the adapter's limit, and readJson, which
 * looks at the status, answers with its JSON refusal.
 */
function bodyTooLarge(): unknown {
  try {
    error(413, 'The request body is too large.');
  } catch (err) {
    return err;
  }
}

/**
 * The body as text, refused once it passes `max` bytes: checked against Content-Length before
 * reading, and counted while reading (chunked bodies, multi-byte characters). The adapter's own
 * body limit and broken uploads become refusals too, never a 500.
 */
async function readText(request: Request, max: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > max) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size <= max) chunks.push(value);
      // Past the limit, read on and discard (the adapter stops it at its own limit), so the
      // client gets our answer instead of a reset connection.
    }
  } catch (err) {
    if ((err as { status?: number } | null)?.status === 413) throw tooLarge();
    throw new AppError('invalid_json', 'The request body could not be read.', 400);
  }
  if (size > max) throw tooLarge();
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * `request` with its body held to `max` bytes as it is read: past it, reading fails with a 413
 * (which readJson and the form actions turn into a refusal), while the rest is still read and
 * dropped, so the client gets the answer instead of a reset connection. The adapter's own limit is
 * off (server/index.ts): this is the one limit, chosen per route in src/hooks.server.ts.
 */
export function limitBody(request: Request, max: number): Request {
  const source = request.body;
  if (!source) return request;
  const declared = Number(request.headers.get('content-length') ?? NaN);
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let size = 0;
  const drain = async () => {
    try {
      while (!(await reader!.read()).done) {
        // dropped
      }
    } catch {
      // the client went away: nothing to answer
    }
  };
  const body = new ReadableStream<Uint8Array>({
    start() {
      reader = source.getReader();
    },
    async pull(controller) {
      if (declared > max) {
        controller.error(bodyTooLarge());
        void drain();
        return;
      }
      try {
        const { done, value } = await reader!.read();
        if (done) return controller.close();
        size += value.byteLength;
        if (size > max) {
          controller.error(bodyTooLarge());
          void drain();
          return;
        }
        controller.enqueue(value);
      } catch (err) {
        controller.error(err);
      }
    },
    cancel(reason) {
      return reader?.cancel(reason);
    }
  });
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    signal: request.signal,
    // Node's fetch needs this for a streamed body.
    duplex: 'half'
  } as RequestInit);
}

export function errorResponse(err: unknown, event: RequestEvent) {
  if (AppError.is(err)) return json(err.toBody(), { status: err.status });
  // The route's pattern (/j/[token]), never the path: an invite link's path is its token.
  event.locals.app.logger.error({ err, route: event.route.id ?? 'no route' }, 'api failure');
  return json({ error: { code: 'server_error', message: 'Something went wrong on our side. Try again.' } }, { status: 500 });
}

/** A form field's text; a field sent as a file (or missing) is empty, never "[object File]". */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
