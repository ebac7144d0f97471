// The preparation page's forms and the question's API endpoint send commands (app.command), so a
// change goes through the one rule; this turns a command's refusal into the API's and the page's.
import { AppError, type ApiErrorCode } from '$lib/protocol/errors';
import type { CommandError } from '$lib/protocol/session';

const AS_HTTP: Record<CommandError['code'], { code: ApiErrorCode; status: number }> = {
  invalid_payload: { code: 'invalid_input', status: 400 },
  unknown_command: { code: 'invalid_input', status: 400 },
  forbidden: { code: 'forbidden', status: 403 },
  // The rule refuses it now (the workshop has ended, a word already in the glossary).
  not_allowed_now: { code: 'not_allowed_now', status: 409 },
  rate_limited: { code: 'rate_limited', status: 429 },
  server_error: { code: 'server_error', status: 500 }
};

/** A command's refusal as an HTTP one, with its words. */
export function commandRefusal(error: CommandError, field?: string): AppError {
  const { code, status } = AS_HTTP[error.code];
  return new AppError(code, error.message, status, field);
}
