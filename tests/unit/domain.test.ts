import { describe, expect, it } from 'vitest';
import { checkName, checkQuestion, checkTitle, cleanText, LIMITS } from '../../src/lib/domain/text';
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  CODE_MESSAGES,
  formatCode,
  isWellFormedCode,
  normaliseCode,
  readCode
} from '../../src/lib/domain/join-code';
import { canEditBoard, ROLES } from '../../src/lib/domain/roles';
import { hashToken, looksLikeToken, newJoinCode, newToken } from '../../server/tokens';

describe('texts people type', () => {
  it('cleans spaces and control characters', () => {
    expect(cleanText('  a \u0000 b\n c  ')).toBe('a b c');
    expect(cleanText('line one\n\n\n\nline two', true)).toBe('line one\n\nline two');
  });

  it('refuses empty and oversized titles, questions and names with plain messages', () => {
    expect(checkTitle('')).toEqual({ ok: false, message: 'Enter a title for the workshop' });
    expect(checkTitle('   ')).toMatchObject({ ok: false });
    expect(checkTitle(42)).toMatchObject({ ok: false });
    expect(checkTitle('x'.repeat(LIMITS.title + 1))).toMatchObject({
      ok: false,
      message: expect.stringContaining('120 characters or fewer')
    });
    expect(checkQuestion('How?')).toEqual({ ok: true, value: 'How?' });
    expect(checkName('  Sam  ')).toEqual({ ok: true, value: 'Sam' });
    expect(checkName('')).toMatchObject({ ok: false, message: expect.stringContaining('made-up name') });
  });
});

describe('join codes', () => {
  it('accepts codes typed in lower case with spaces or dashes', () => {
    expect(normaliseCode('abc 234')).toBe('ABC234');
    expect(normaliseCode('abc-234')).toBe('ABC234');
    expect(isWellFormedCode('ABC234')).toBe(true);
  });

  it('reads what people type as the code it stands for (issue 11, item 3)', () => {
    for (const typed of [
      'ABC234',
      'abc234',
      'Abc 234',
      ' abc - 234 ',
      'ABC–234',
      'AB.C2_34',
      'ＡＢＣ２３４',
      'АВС234',
      'ΑΒC٢٣٤',
      'abc۲۳۴',
      'ABC\u200B234'
    ]) {
      expect(readCode(typed), typed).toEqual({ ok: true, code: 'ABC234' });
    }
    // Devanagari and Bengali digits, Cyrillic small letters.
    expect(readCode('авс२३৪')).toEqual({ ok: true, code: 'ABC234' });
  });

  it('says what codes look like when a typed code cannot be one', () => {
    expect(readCode('ABC123')).toEqual({ ok: false, message: CODE_MESSAGES.neverUsed(['1']) });
    expect(CODE_MESSAGES.neverUsed(['1'])).toBe(
      'Codes never use 1. Check the code on the screen: it has 6 letters and numbers, like ABC 234, and never 0, 1, I, L, O, U or V'
    );
    expect(readCode('XOV 234')).toEqual({ ok: false, message: CODE_MESSAGES.neverUsed(['O', 'V']) });
    expect(CODE_MESSAGES.neverUsed(['0', 'I', 'L'])).toMatch(/^Codes never use 0, I or L\. /);
    expect(readCode('ABC 23')).toEqual({ ok: false, message: 'A code has 6 letters and numbers, like ABC 234. You typed 5' });
    expect(readCode('ABC 2345')).toEqual({ ok: false, message: CODE_MESSAGES.length(7) });
    expect(readCode('')).toEqual({ ok: false, message: CODE_MESSAGES.empty });
    expect(readCode(' - ')).toEqual({ ok: false, message: CODE_MESSAGES.empty });
    expect(readCode(42)).toEqual({ ok: false, message: CODE_MESSAGES.empty });
    expect(readCode('ABC#23')).toEqual({ ok: false, message: CODE_MESSAGES.notLetters });
    expect(readCode('ABC 2👋')).toEqual({ ok: false, message: CODE_MESSAGES.notLetters });
  });

  it('never uses look-alike characters', () => {
    for (const ch of 'O0I1LUV') expect(CODE_ALPHABET).not.toContain(ch);
    expect(isWellFormedCode('ABO234')).toBe(false);
    expect(isWellFormedCode('ABC23')).toBe(false);
  });

  it('makes well-formed codes with every character in use', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = newJoinCode();
      expect(code).toHaveLength(CODE_LENGTH);
      expect(isWellFormedCode(code)).toBe(true);
      for (const ch of code) seen.add(ch);
    }
    expect(seen.size).toBe(CODE_ALPHABET.length);
    expect(formatCode('ABC234')).toBe('ABC 234');
  });
});

describe('tokens', () => {
  it('carry at least 128 bits and are never repeated', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newToken()));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) {
      expect(Buffer.from(t, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
      expect(looksLikeToken(t)).toBe(true);
    }
  });

  it('are stored only as a hash', () => {
    const t = newToken();
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).not.toContain(t);
    expect(looksLikeToken('short')).toBe(false);
    expect(looksLikeToken("'; DROP TABLE x; --aaaaaaaaaaaaaaaa")).toBe(false);
  });
});

describe('roles', () => {
  it('let facilitators always edit, observers never, and others only while unlocked', () => {
    expect(ROLES.map((r) => canEditBoard(r, { locked: false }))).toEqual([true, true, true, false]);
    expect(ROLES.map((r) => canEditBoard(r, { locked: true }))).toEqual([true, false, false, false]);
  });
});
