// The GOV.UK character count's words (src/lib/domain/counts.ts), and that they agree with the
// limits the server enforces: a count that says "remaining" never sits beside a refusal.
import { describe, expect, it } from 'vitest';
import { characterCount, limitDescription } from '../../src/lib/domain/counts';
import { checkName, checkQuestion, checkTitle, LIMITS } from '../../src/lib/domain/text';

describe('limitDescription', () => {
  it('says the limit before anything is typed, as GOV.UK does without scripts', () => {
    expect(limitDescription(500)).toBe('You can enter up to 500 characters');
    expect(limitDescription(1)).toBe('You can enter up to 1 character');
  });
});

describe('characterCount', () => {
  it('says how many too many, in GOV.UK words, for text pasted over the limit', () => {
    expect(characterCount(620, 500)).toEqual({ near: true, over: true, message: 'You have 120 characters too many' });
    expect(characterCount(41, 40).message).toBe('You have 1 character too many');
  });

  it('shows from 75 % of the limit, and says what is left', () => {
    expect(characterCount(374, 500).near).toBe(false);
    expect(characterCount(375, 500)).toEqual({ near: true, over: false, message: 'You have 125 characters remaining' });
    expect(characterCount(500, 500)).toEqual({ near: true, over: false, message: 'You have 0 characters remaining' });
    expect(characterCount(39, 40).message).toBe('You have 1 character remaining');
  });

  it('agrees with the server: at the limit is accepted, one over is refused', () => {
    const checks = [
      [checkTitle, LIMITS.title],
      [checkQuestion, LIMITS.question],
      [checkName, LIMITS.name]
    ] as const;
    for (const [check, max] of checks) {
      const atLimit = 'a'.repeat(max);
      expect(characterCount(atLimit.length, max).over).toBe(false);
      expect(check(atLimit).ok).toBe(true);
      const overLimit = 'a'.repeat(max + 1);
      expect(characterCount(overLimit.length, max).over).toBe(true);
      expect(check(overLimit)).toEqual({ ok: false, message: expect.stringContaining(`${max} characters or fewer`) });
    }
  });
});
