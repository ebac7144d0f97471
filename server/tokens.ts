// Secrets and codes. Invite and session tokens carry 256 bits from the OS's random source; only a
// hash of each session token is stored, so a copy of the database cannot sign anyone in.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { CODE_ALPHABET, CODE_LENGTH } from '../src/lib/domain/join-code';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function newRecordId(): string {
  return randomBytes(12).toString('hex');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A short join code with an unbiased draw per character (randomInt rejects modulo bias). */
export function newJoinCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** A join code no workshop uses now (a few draws; codes are 29^6, so a clash is rare). */
export async function unusedJoinCode(inUse: (code: string) => Promise<boolean>): Promise<string> {
  for (let i = 0; i < 20; i++) {
    const code = newJoinCode();
    if (!(await inUse(code))) return code;
  }
  throw new Error('could not make a join code that is not in use');
}

/** Tokens are base64url and long; anything else is refused before touching the store. */
export function looksLikeToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(value);
}
