// Configuration, read once from the environment into one typed object, and validated: a value
// that is not understood (a typo in a limit's name, "fast" for SQLITE_SYNCHRONOUS, a port of
// 70000) stops the server at start with a message naming the variable, rather than being
// silently ignored. Defaults work on a laptop: the app listens on every interface so phones on
// the same Wi-Fi can join. docs/LIMITS.md describes every limit below.
import path from 'node:path';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';
export type Synchronous = 'FULL' | 'NORMAL';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** The address people type or scan, when it differs from what the browser used (proxy, LAN name). */
  publicUrl: string | null;
  /** Origins allowed to open WebSocket and socket.io connections, besides the page's own. */
  extraOrigins: string[];
  /** Behind a reverse proxy that sets X-Forwarded-For and -Proto (TRUST_PROXY=1). */
  trustProxy: boolean;
  logLevel: LogLevel;
  /** Ended workshops are deleted this many days after they end. */
  retentionDays: number;
  /** SQLite's `synchronous` for everything but the board log (see docs/ARCHITECTURE.md). */
  sqliteSynchronous: Synchronous;
  /** Stored updates per board before they are folded into a snapshot. */
  compactEvery: number;
  /** Redis, for what several processes share (REDIS_URL); null runs one process on its own. */
  redisUrl: string | null;
  /**
   * DATABASE_URL: a Postgres database to use as the store instead of the SQLite file (several
   * server processes can share one). Null: SQLite in DATA_DIR, the laptop default.
   */
  databaseUrl: string | null;
  limits: Limits;
}

/** Every limit and rate, in one place. Each can be set with its LIMIT_* variable. */
export interface Limits {
  /** Workshops one address may create per hour. */
  createPerHour: number;
  /** Wrong join codes one address may try per 10 minutes. */
  codeGuessesPer10Min: number;
  /** Failed /sync upgrades one address may make per minute. */
  failedUpgradesPerMinute: number;
  /** Largest WebSocket message, in bytes (a sync answer may be larger: up to maxDocBytes). */
  maxMessageBytes: number;
  /** Largest board document, in bytes of its encoded state. */
  maxDocBytes: number;
  /** Largest presence state of one client, in bytes of JSON. */
  maxPresenceBytes: number;
  /** Yjs client ids one connection may publish presence for. */
  presenceIdsPerConnection: number;
  /** Open sync connections one participant session may hold. */
  connectionsPerSession: number;
  /** Sync messages a second one connection may send, sustained, and as a burst. */
  syncMessagesPerSecond: number;
  syncMessageBurst: number;
  /** Bytes waiting for a reader before relays to it stop (it falls behind and is caught up). */
  maxBufferedBytes: number;
  /** socket.io commands a second one connection may send, sustained, and as a burst. */
  commandsPerSecond: number;
  commandBurst: number;
  /** Largest socket.io payload, in bytes. */
  socketPayloadBytes: number;
  /** Largest HTTP API request body, in bytes. */
  httpBodyBytes: number;
  /** Ping every connection this often; one that misses a ping is closed as idle. */
  pingIntervalMs: number;
  /** Keep a board nobody is on in memory this long, so a quick reconnect does not reload it. */
  unloadDelayMs: number;
  /**
   * Cards posted without a name, and drafts that arrive after the reveal, wait for a random
   * moment up to this long and go on the board together (so timing cannot tie one to a writer).
   * Votes' turnout changes are published at multiples of it too (server/session/turnout.ts).
   */
  releaseWindowMs: number;
  /**
   * Involvement records: a person's attendance interval stays open this long after their last
   * session socket closes, so a dropped signal or a reload does not split it (it then closes at
   * the moment the socket closed).
   */
  attendanceGraceMs: number;
  /** How often open attendance intervals are marked as seen: what a crash can lose of someone's time. */
  attendanceHeartbeatMs: number;
}

interface LimitSpec {
  env: string;
  default: number;
  min: number;
  max: number;
}

const MiB = 1024 * 1024;

/** Each limit's variable, default and allowed range. */
export const LIMIT_SPECS: { [K in keyof Limits]: LimitSpec } = {
  createPerHour: { env: 'LIMIT_CREATE_PER_HOUR', default: 30, min: 1, max: 1_000_000 },
  codeGuessesPer10Min: { env: 'LIMIT_CODE_GUESSES', default: 20, min: 1, max: 1_000_000 },
  failedUpgradesPerMinute: { env: 'LIMIT_FAILED_UPGRADES', default: 30, min: 1, max: 1_000_000 },
  maxMessageBytes: { env: 'LIMIT_MESSAGE_BYTES', default: MiB, min: 1024, max: 256 * MiB },
  maxDocBytes: { env: 'LIMIT_DOC_BYTES', default: 20 * MiB, min: 1024, max: 2048 * MiB },
  maxPresenceBytes: { env: 'LIMIT_PRESENCE_BYTES', default: 4096, min: 64, max: MiB },
  presenceIdsPerConnection: { env: 'LIMIT_PRESENCE_IDS', default: 4, min: 1, max: 100 },
  connectionsPerSession: { env: 'LIMIT_CONNECTIONS_PER_SESSION', default: 8, min: 1, max: 1000 },
  syncMessagesPerSecond: { env: 'LIMIT_SYNC_MESSAGES_PER_SECOND', default: 60, min: 1, max: 100_000 },
  syncMessageBurst: { env: 'LIMIT_SYNC_MESSAGE_BURST', default: 200, min: 1, max: 1_000_000 },
  maxBufferedBytes: { env: 'LIMIT_BUFFERED_BYTES', default: 8 * MiB, min: 16 * 1024, max: 1024 * MiB },
  commandsPerSecond: { env: 'LIMIT_COMMANDS_PER_SECOND', default: 20, min: 1, max: 100_000 },
  commandBurst: { env: 'LIMIT_COMMAND_BURST', default: 40, min: 1, max: 1_000_000 },
  socketPayloadBytes: { env: 'LIMIT_SOCKET_PAYLOAD_BYTES', default: 64 * 1024, min: 1024, max: 16 * MiB },
  httpBodyBytes: { env: 'LIMIT_HTTP_BODY_BYTES', default: 16 * 1024, min: 1024, max: 16 * MiB },
  pingIntervalMs: { env: 'LIMIT_PING_INTERVAL_MS', default: 30_000, min: 100, max: 3_600_000 },
  unloadDelayMs: { env: 'LIMIT_UNLOAD_DELAY_MS', default: 2000, min: 0, max: 3_600_000 },
  releaseWindowMs: { env: 'LIMIT_RELEASE_WINDOW_MS', default: 3000, min: 0, max: 600_000 },
  attendanceGraceMs: { env: 'LIMIT_ATTENDANCE_GRACE_MS', default: 120_000, min: 0, max: 3_600_000 },
  attendanceHeartbeatMs: { env: 'LIMIT_ATTENDANCE_HEARTBEAT_MS', default: 60_000, min: 100, max: 3_600_000 }
};

/** Every variable the server reads (LIMIT_* ones in LIMIT_SPECS), for the unknown-name check. */
const KNOWN = new Set([
  'PORT',
  'HOST',
  'DATA_DIR',
  'PUBLIC_URL',
  'ALLOWED_ORIGINS',
  'TRUST_PROXY',
  'LOG_LEVEL',
  'RETENTION_DAYS',
  'SQLITE_SYNCHRONOUS',
  'COMPACT_EVERY',
  'REDIS_URL',
  'DATABASE_URL',
  ...Object.values(LIMIT_SPECS).map((s) => s.env)
]);

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function set(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (!set(raw)) return fallback;
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
  normalise: (s: string) => string
): T {
  const raw = env[name];
  if (!set(raw)) return fallback;
  const value = normalise(raw.trim());
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return value as T;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (!set(raw)) return false;
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(`${name} must be 1 or 0, got "${raw}"`);
}

function origin(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must hold web addresses like https://roundtable.example.org, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must start with http:// or https://, got "${raw}"`);
  }
  return url.origin;
}

/** REDIS_URL: redis:// or rediss:// with a host; anything else stops the server at start. */
function redisUrl(env: NodeJS.ProcessEnv): string | null {
  const raw = env.REDIS_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`REDIS_URL must be an address like redis://localhost:6379, got "${raw.replace(/\/\/[^@/]*@/, '//…@')}"`);
  }
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname) {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss:// and name a host, got "${url.protocol}//${url.host}"`);
  }
  return raw;
}

/** An address with its password hidden, for messages. */
function withoutPassword(raw: string): string {
  return raw.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** DATABASE_URL: a postgres:// (or postgresql://) address with a database name, or nothing. */
function databaseUrl(raw: string | undefined): string | null {
  if (!set(raw)) return null;
  const value = raw.trim();
  const example = 'postgres://user:password@host:5432/roundtable';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`DATABASE_URL must be a Postgres address like ${example}, got "${withoutPassword(value)}"`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// (like ${example}), got "${withoutPassword(value)}"`);
  }
  if (!url.pathname || url.pathname === '/') {
    throw new ConfigError(`DATABASE_URL must name the database after the host (like ${example}), got "${withoutPassword(value)}"`);
  }
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  for (const name of Object.keys(env)) {
    if ((name.startsWith('LIMIT_') || name.startsWith('SQLITE_')) && !KNOWN.has(name)) {
      throw new ConfigError(`${name} is not a setting Roundtable knows (see docs/LIMITS.md for the LIMIT_* names)`);
    }
  }
  const publicUrlRaw = env.PUBLIC_URL?.trim().replace(/\/+$/, '');
  if (publicUrlRaw && !/^https?:\/\//.test(publicUrlRaw)) {
    throw new ConfigError(`PUBLIC_URL must start with http:// or https://, got "${publicUrlRaw}"`);
  }
  if (publicUrlRaw) origin('PUBLIC_URL', publicUrlRaw);
  const limits = Object.fromEntries(
    Object.entries(LIMIT_SPECS).map(([key, spec]) => [key, whole(env, spec.env, spec.default, spec.min, spec.max)])
  ) as unknown as Limits;
  if (limits.maxMessageBytes > limits.maxDocBytes) {
    throw new ConfigError(`LIMIT_MESSAGE_BYTES (${limits.maxMessageBytes}) cannot be larger than LIMIT_DOC_BYTES (${limits.maxDocBytes})`);
  }
  return {
    port: whole(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR?.trim() || './data'),
    publicUrl: publicUrlRaw || null,
    extraOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => origin('ALLOWED_ORIGINS', s)),
    trustProxy: flag(env, 'TRUST_PROXY'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['silent', 'error', 'warn', 'info', 'debug'] as const, 'info', (s) => s.toLowerCase()),
    retentionDays: whole(env, 'RETENTION_DAYS', 30, 1, 36_500),
    // Case does not matter ("full" is FULL); anything else is refused, never quietly NORMAL.
    sqliteSynchronous: oneOf(env, 'SQLITE_SYNCHRONOUS', ['FULL', 'NORMAL'] as const, 'FULL', (s) => s.toUpperCase()),
    compactEvery: whole(env, 'COMPACT_EVERY', 500, 1, 1_000_000),
    redisUrl: redisUrl(env),
    databaseUrl: databaseUrl(env.DATABASE_URL),
    limits
  };
}
