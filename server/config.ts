// Configuration, read once from the environment and typed. Defaults work on a laptop:
// the app listens on every interface so phones on the same Wi-Fi can join.
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** The address people type or scan, when it differs from what the browser used (proxy, LAN name). */
  publicUrl: string | null;
  /** Origins allowed to open WebSocket and socket.io connections, besides the page's own. */
  extraOrigins: string[];
  limits: Limits;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
}

export interface Limits {
  /** Workshops one address may create per hour. */
  createPerHour: number;
  /** Wrong join codes one address may try per 10 minutes. */
  codeGuessesPer10Min: number;
  /** Largest single WebSocket message, in bytes. */
  maxMessageBytes: number;
  /** Largest board document, in bytes of its encoded state. */
  maxDocBytes: number;
  /** Largest presence state of one client, in bytes of JSON. */
  maxPresenceBytes: number;
  /** Open sync connections one participant session may hold. */
  connectionsPerSession: number;
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return n;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const publicUrl = env.PUBLIC_URL?.replace(/\/+$/, '') || null;
  if (publicUrl && !/^https?:\/\//.test(publicUrl)) {
    throw new Error(`PUBLIC_URL must start with http:// or https://, got "${publicUrl}"`);
  }
  return {
    port: int(env.PORT, 3000, 'PORT'),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    publicUrl,
    extraOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    logLevel: (env.LOG_LEVEL as Config['logLevel']) || 'info',
    limits: {
      createPerHour: int(env.LIMIT_CREATE_PER_HOUR, 30, 'LIMIT_CREATE_PER_HOUR'),
      codeGuessesPer10Min: int(env.LIMIT_CODE_GUESSES, 20, 'LIMIT_CODE_GUESSES'),
      maxMessageBytes: int(env.LIMIT_MESSAGE_BYTES, 1024 * 1024, 'LIMIT_MESSAGE_BYTES'),
      maxDocBytes: int(env.LIMIT_DOC_BYTES, 20 * 1024 * 1024, 'LIMIT_DOC_BYTES'),
      maxPresenceBytes: int(env.LIMIT_PRESENCE_BYTES, 4096, 'LIMIT_PRESENCE_BYTES'),
      connectionsPerSession: int(env.LIMIT_CONNECTIONS_PER_SESSION, 8, 'LIMIT_CONNECTIONS_PER_SESSION')
    }
  };
}
