// Issue 11, item 3: join codes as people type them. The code on the screen is read aloud, copied
// from a projector or typed on a phone with another keyboard: lower case, spaces, dashes, fullwidth
// letters, another script's look-alike letters or digits all mean the same code. A code that cannot
// be right says what codes look like, instead of asking for "the 6-character code" from someone
// who typed six characters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_MESSAGES } from '../../src/lib/domain/join-code';
import { startTestServer, type TestServer } from '../helpers/server';
import { api, createWorkshop, type CreatedWorkshop } from '../helpers/clients';

let server: TestServer;
let w: CreatedWorkshop;
let n = 0;

beforeAll(async () => {
  // Many wrong codes on purpose: the limit on wrong guesses is not what this file is about.
  server = await startTestServer({ env: { LIMIT_CODE_GUESSES: '1000' } });
  w = await createWorkshop(server.url);
});

afterAll(async () => {
  await server?.close();
});

const joinWith = (code: string) => api(server.url, '/api/join', { code, name: `Visitor ${++n}` });

/** The code as someone might type it from the screen: each of these means the same code. */
function typings(code: string): string[] {
  const lower = code.toLowerCase();
  const fullwidth = [...code].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('');
  // Cyrillic and Greek capitals that look like the Latin ones, and Arabic-Indic digits.
  const lookAlike = [...code]
    .map((c) => ({ A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', K: 'К', M: 'Μ', P: 'Р', T: 'Т', X: 'Х', Y: 'Υ', Z: 'Ζ', N: 'Ν' })[c] ?? c)
    .map((c) => (/[0-9]/.test(c) ? String.fromCodePoint(0x0660 + Number(c)) : c))
    .join('');
  return [
    code,
    lower,
    `${code.slice(0, 3)} ${code.slice(3)}`,
    ` ${lower.slice(0, 3)}-${lower.slice(3)} `,
    `${code.slice(0, 2)}.${code.slice(2, 4)}–${code.slice(4)}`,
    fullwidth,
    lookAlike
  ];
}

describe('typing a join code', () => {
  it('accepts the code in any case, with spaces, dashes and dots, fullwidth, and in look-alike letters and digits', async () => {
    for (const typed of typings(w.code)) {
      const res = await joinWith(typed);
      expect({ typed, status: res.status, workshop: res.body.workshopId }).toEqual({ typed, status: 200, workshop: w.id });
    }
  });

  it('says which character codes never use, and what codes look like', async () => {
    const res = await joinWith('ABC123');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_input', message: CODE_MESSAGES.neverUsed(['1']), field: 'code' } });
    expect(res.body.error.message).toBe(
      'Codes never use 1. Check the code on the screen: it has 6 letters and numbers, like ABC 234, and never 0, 1, I, L, O, U or V'
    );
    expect((await joinWith('ab0 oil')).body.error.message).toBe(CODE_MESSAGES.neverUsed(['0', 'I', 'L', 'O']));
  });

  it('says how long a code is when it is too short or too long', async () => {
    expect((await joinWith('ABC 23')).body.error).toEqual({ code: 'invalid_input', message: CODE_MESSAGES.length(5), field: 'code' });
    expect(CODE_MESSAGES.length(5)).toBe('A code has 6 letters and numbers, like ABC 234. You typed 5');
    expect((await joinWith('ABC 2345')).body.error.message).toBe(CODE_MESSAGES.length(7));
    expect((await joinWith('   ')).body.error.message).toBe(CODE_MESSAGES.empty);
  });

  it('says codes are only letters and numbers when something else is typed', async () => {
    expect((await joinWith('ABC#234')).body.error).toEqual({ code: 'invalid_input', message: CODE_MESSAGES.notLetters, field: 'code' });
  });

  it('says what codes look like when no workshop has the code', async () => {
    const res = await joinWith(w.code === 'ZZZ999' ? 'ZZZ998' : 'ZZZ999');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'unknown_code', message: CODE_MESSAGES.unknown, field: 'code' } });
  });
});
