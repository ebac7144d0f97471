// Structured logs (pino). Tokens never reach a log line: URLs are logged without query strings
// and the redact list strips known secret fields.
import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: { paths: ['token', 'sessionToken', '*.token', '*.sessionToken', 'req.headers.cookie'], censor: '[hidden]' }
  });
}
