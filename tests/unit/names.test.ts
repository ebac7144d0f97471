// Display names that cannot pose as someone else (issue 15, item 4): src/lib/domain/names.ts.
import { describe, expect, it } from 'vitest';
import { checkDisplayName, NAME_MESSAGES, nameSkeleton, normaliseName } from '../../src/lib/domain/names';
import { checkName, LIMITS } from '../../src/lib/domain/text';
import type { Role } from '../../src/lib/domain/roles';

const asMember = (others: string[] = []) => ({ role: 'member' as Role, others });
const asFacilitator = (others: string[] = []) => ({ role: 'facilitator' as Role, others });
const KEPT_FOR_FACILITATOR = 'That name is kept for the facilitator. Choose another name';

describe('normaliseName', () => {
  it('removes right-to-left overrides and other direction controls, so the name reads as typed', () => {
    // Shown with the override, "\u202Erotatilicaf" reads as "facilitator".
    expect(normaliseName('\u202Erotatilicaf')).toBe('rotatilicaf');
    expect(normaliseName('\u202Erotatilicaf\u202C')).toBe('rotatilicaf');
    expect(normaliseName('\u2067Sam\u2069 \u200F\u200E\u061CBo\u202A\u202B\u202D\u2066\u2068')).toBe('Sam Bo');
  });

  it('removes zero-width and other invisible characters', () => {
    expect(normaliseName('Fac\u200Bilitator')).toBe('Facilitator');
    expect(normaliseName('F\u200Ca\u200Dc\u2060i\u2061l\u2062i\u2063t\u2064a\uFEFFt\u180Eo\u00ADr')).toBe('Facilitator');
    expect(normaliseName('Sam\uFE0F\uFE00\u{E0100}')).toBe('Sam'); // variation selectors after a letter
    expect(normaliseName('Sam\u{E0041}\u{E0042}\u{E007F}')).toBe('Sam'); // tag characters (hidden text)
    expect(normaliseName('S\u034Fam\u0007')).toBe('Sam'); // grapheme joiner, a control at the end
  });

  it('turns every kind of space into one plain space and trims', () => {
    expect(normaliseName('  Sam\u00A0\u00A0\u3000Bo\u2003\u202F ')).toBe('Sam Bo');
    expect(normaliseName('Sam\tBo\nLee')).toBe('Sam Bo Lee');
    // Blank "letters" that show as nothing at all are spaces too, so a blank name stays blank.
    expect(normaliseName('\u3164')).toBe('');
    expect(normaliseName('\u2800\u115F\uFFA0')).toBe('');
  });

  it('makes fullwidth and styled letters plain (NFKC)', () => {
    expect(normaliseName('Ｆａｃｉｌｉｔａｔｏｒ')).toBe('Facilitator');
    expect(normaliseName('𝐅𝐚𝐜𝐢𝐥𝐢𝐭𝐚𝐭𝐨𝐫')).toBe('Facilitator');
    expect(normaliseName('ⓈⒶⓂ')).toBe('SAM');
    expect(normaliseName('Zoe\u0308')).toBe('Zoë');
  });

  it('keeps letters of every script, and emoji whole', () => {
    for (const name of ['Zoë', 'محمد', '李雷', 'Sam 👋', 'Ngọc Anh', 'Ὀδυσσεύς', 'Фёдор', 'שָׁלוֹם', 'प्रिया', 'Kaʻiulani']) {
      expect(normaliseName(name)).toBe(name.normalize('NFC'));
    }
    // Joiners and presentation selectors are kept where they do a visible job.
    for (const emoji of [
      '👨\u200D👩\u200D👧',
      '❤\uFE0F',
      '1\uFE0F\u20E3',
      '👋🏽',
      '🏳\uFE0F\u200D🌈',
      '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}'
    ]) {
      expect(normaliseName(`Sam ${emoji}`)).toBe(`Sam ${emoji}`);
    }
    expect(normaliseName('علی\u200Cرضا')).toBe('علی\u200Cرضا'); // Persian zero-width non-joiner
    expect(normaliseName('क्\u200Dष')).toBe('क्\u200Dष'); // Devanagari joiner after a virama
  });

  it('is idempotent', () => {
    for (const raw of ['\u202Erotatilicaf', ' ¨Sam ', 'a\u200B\u0301b', 'Ｓａｍ　Ｂ', 'x\u200C\u200Cy', '👨\u200D\u200D👩']) {
      expect(normaliseName(normaliseName(raw))).toBe(normaliseName(raw));
    }
  });
});

describe('nameSkeleton', () => {
  const same = (a: string, b: string) => expect(nameSkeleton(a)).toBe(nameSkeleton(b));
  const differ = (a: string, b: string) => expect(nameSkeleton(a)).not.toBe(nameSkeleton(b));

  it('folds case and accents', () => {
    same('FACILITATOR', 'facilitator');
    same('Facilitatór', 'Facilitator');
    same('Zoë', 'Zoe');
    same('Ïrène', 'irene');
    same('Straße', 'STRASSE');
  });

  it('maps Cyrillic and Greek look-alikes, and small capitals, to Latin', () => {
    same('Fасilitаtоr', 'Facilitator'); // Cyrillic а с а о
    same('FΑCΙLΙΤΑΤΟR', 'Facilitator'); // Greek Α Ι Τ Ο
    same('Sаm', 'Sam'); // Cyrillic а
    same('ЅАМ', 'Sam'); // Cyrillic capitals
    same('рорру', 'poppy');
    same('ԁеѕі', 'desi');
    same('ꜰᴀᴄɪʟɪᴛᴀᴛᴏʀ', 'Facilitator');
    same('ɡеоrɡе', 'george');
  });

  it('treats 0 as o, 1 and I as l, rn as m, vv as w', () => {
    same('B0b', 'Bob');
    same('A1i', 'Ali');
    same('AlI', 'All');
    same('Sarn', 'Sam');
    same('VVendy', 'Wendy');
  });

  it('ignores separators and invisible characters', () => {
    same('S.a-m_', 'Sam');
    same('Decision-maker', 'decision maker');
    same('Fac\u200Bilitator', 'Facilitator');
  });

  it('keeps emoji and letters of other scripts apart', () => {
    differ('Sam 👋', 'Sam');
    differ('李雷', '李蕾');
    differ('कमल', 'कोमल'); // Kamal and Komal: Devanagari vowel signs are letters, not accents
    same('مُحَمَّد', 'محمد'); // Arabic vowel points are accents
    differ('Sam', 'Pam');
  });
});

describe('checkDisplayName', () => {
  it('keeps the messages of checkName for empty and too long names', () => {
    expect(checkDisplayName('', asMember())).toEqual(checkName(''));
    expect(checkDisplayName(42, asMember())).toEqual(checkName(42));
    expect(checkDisplayName('\u200B\u202E\u3164', asMember())).toEqual(checkName(''));
    expect(checkDisplayName('x'.repeat(LIMITS.name + 1), asMember())).toEqual(checkName('x'.repeat(LIMITS.name + 1)));
  });

  it('counts the length after normalisation', () => {
    const forty = 'x'.repeat(LIMITS.name);
    expect(checkDisplayName(`${forty}\u200B\u200B\u200B`, asMember())).toEqual({ ok: true, value: forty });
    expect(checkDisplayName(`  ${'x'.repeat(20)}\u00A0\u00A0\u00A0${'y'.repeat(19)}  `, asMember())).toEqual({
      ok: true,
      value: `${'x'.repeat(20)} ${'y'.repeat(19)}`
    });
    expect(checkDisplayName('\u202E'.repeat(30) + 'Sam', asMember())).toEqual({ ok: true, value: 'Sam' });
    expect(checkDisplayName('Ｆ'.repeat(LIMITS.name + 1), asMember())).toMatchObject({
      ok: false,
      message: `Your name must be ${LIMITS.name} characters or fewer`
    });
  });

  it('normalises a right-to-left trick into the harmless name it really is', () => {
    expect(checkDisplayName('\u202Erotatilicaf', asMember())).toEqual({ ok: true, value: 'rotatilicaf' });
  });

  it('keeps "Facilitator" and its look-alikes for the facilitator', () => {
    for (const name of [
      'Facilitator',
      'FACILITATOR',
      'facilitator',
      'Facilitatór',
      'Fac\u200Bilitator',
      'Fасilitаtоr', // Cyrillic
      'FΑCΙLΙΤΑΤΟR', // Greek
      'Ｆａｃｉｌｉｔａｔｏｒ', // fullwidth
      'ꜰᴀᴄɪʟɪᴛᴀᴛᴏʀ', // small capitals
      'Facilitat0r',
      'The Facilitator',
      'Facilitators',
      '(Facilitator)',
      'Host',
      'H0ST',
      'Host 👑',
      'Organiser',
      'Organizer',
      'Admin',
      'Moderator',
      'Co-host'
    ]) {
      expect(checkDisplayName(name, asMember()), name).toEqual({ ok: false, message: KEPT_FOR_FACILITATOR });
    }
  });

  it('refuses names that include a role word no one has as a name', () => {
    expect(checkDisplayName('Sam the facilitator', asMember())).toEqual({
      ok: false,
      message: NAME_MESSAGES.keptWord('facilitator', 'Facilitator')
    });
    expect(checkDisplayName('Lead Моderator', asMember())).toMatchObject({
      ok: false,
      message: expect.stringContaining('kept for the facilitator')
    });
    expect(checkDisplayName('Sam (decision maker)', asMember())).toMatchObject({
      ok: false,
      message: expect.stringContaining('kept for decision makers')
    });
    expect(checkDisplayName('Roundtable bot', asFacilitator())).toMatchObject({
      ok: false,
      message: expect.stringContaining('Roundtable')
    });
    // Short role words are refused only as whole names: they are inside ordinary words and names.
    expect(checkDisplayName('Badminton Bob', asMember())).toEqual({ ok: true, value: 'Badminton Bob' });
    expect(checkDisplayName('Ghost', asMember())).toEqual({ ok: true, value: 'Ghost' });
    expect(checkDisplayName('Remembered', asMember())).toEqual({ ok: true, value: 'Remembered' });
  });

  it('lets people use the words of their own role', () => {
    expect(checkDisplayName('Facilitator', asFacilitator())).toEqual({ ok: true, value: 'Facilitator' });
    expect(checkDisplayName('Host', asFacilitator())).toEqual({ ok: true, value: 'Host' });
    expect(checkDisplayName('Fay (facilitator)', asFacilitator())).toEqual({ ok: true, value: 'Fay (facilitator)' });
    expect(checkDisplayName('Decision maker', { role: 'decisionMaker', others: [] })).toEqual({ ok: true, value: 'Decision maker' });
    expect(checkDisplayName('Observer', { role: 'observer', others: [] })).toEqual({ ok: true, value: 'Observer' });
    expect(checkDisplayName('Member', asMember())).toEqual({ ok: true, value: 'Member' });
  });

  it('keeps the other role words for their roles, with a message naming who they are for', () => {
    expect(checkDisplayName('Decision maker', asMember())).toEqual({
      ok: false,
      message: 'That name is kept for decision makers. Choose another name'
    });
    expect(checkDisplayName('Decision-maker', asFacilitator())).toMatchObject({ ok: false });
    expect(checkDisplayName('Observer', asMember())).toEqual({
      ok: false,
      message: 'That name is kept for observers. Choose another name'
    });
    expect(checkDisplayName('Members', { role: 'observer', others: [] })).toEqual({
      ok: false,
      message: 'That name is kept for members. Choose another name'
    });
    expect(checkDisplayName('Roundtable', asFacilitator())).toEqual({
      ok: false,
      message: 'That name is kept for Roundtable itself. Choose another name'
    });
  });

  it('refuses a look-alike of someone present, with a kind suggestion (issue 11, item 4)', () => {
    const others = ['Sam', 'Wendy', 'Bob'];
    for (const name of ['Sаm' /* Cyrillic а */, 'Ѕаm', 'SAM', 'sam', 'Sám', 'S.am', 'Sarn']) {
      expect(checkDisplayName(name, asMember(others)), name).toEqual({
        ok: false,
        message: NAME_MESSAGES.taken('Sam', [`${normaliseName(name)} B`, `${normaliseName(name)} 2`])
      });
    }
    expect(checkDisplayName('VVendy', asMember(others))).toEqual({
      ok: false,
      message: NAME_MESSAGES.taken('Wendy', ['VVendy B', 'VVendy 2'])
    });
    expect(checkDisplayName('B0b', asMember(others))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Someone here is already called Bob\. /)
    });
  });

  it('refuses exactly the same name as someone present, suggesting names nobody has (issue 11, item 4)', () => {
    expect(checkDisplayName('Sam', asMember(['Sam']))).toEqual({
      ok: false,
      message: 'Someone here is already called Sam. You could be Sam B or Sam 2'
    });
    expect(checkDisplayName('  Sam ', asMember(['Sam']))).toMatchObject({ ok: false });
    // The same text after normalisation: the zero-width space is gone, so it is exactly "Sam".
    expect(checkDisplayName('S\u200Bam', asMember(['Sam']))).toMatchObject({ ok: false });
    expect(checkDisplayName('Sam', asMember(['S\u200Bam']))).toMatchObject({ ok: false });
    expect(checkDisplayName('Ｓａｍ', asMember(['Sam']))).toMatchObject({ ok: false }); // fullwidth: it would be stored as Sam
    // A second facilitator joining as "Facilitator" next to the first.
    expect(checkDisplayName('Facilitator', asFacilitator(['Facilitator']))).toEqual({
      ok: false,
      message: NAME_MESSAGES.taken('Facilitator', ['Facilitator B', 'Facilitator 2'])
    });
    // The suggestions are free themselves, and never look like anyone present either.
    expect(checkDisplayName('Sam', asMember(['Sam', 'Sam B', 'Sam 2', 'Sam C', 'Sam3']))).toEqual({
      ok: false,
      message: NAME_MESSAGES.taken('Sam', ['Sam D', 'Sam 4'])
    });
    for (const others of [['Sam'], ['Sam', 'Sam B', 'Sam 2', 'Sam C', 'Sam3'], ['Jo', 'Jo B', 'Jo 2']]) {
      const result = checkDisplayName(others[0], asMember(others));
      const suggested = result.ok ? [] : [...result.message.matchAll(/be (.+) or (.+)$/g)].flatMap((m) => [m[1], m[2]]);
      expect(suggested).toHaveLength(2);
      for (const name of suggested) expect(checkDisplayName(name, asMember(others)), name).toEqual({ ok: true, value: name });
    }
  });

  it('keeps suggestions within the length limit', () => {
    const long = 'A'.repeat(LIMITS.name - 1) + 'z';
    const result = checkDisplayName(long, asMember([long]));
    expect(result.ok).toBe(false);
    const [a, b] = [...(result.ok ? '' : result.message).matchAll(/be (.+) or (.+)$/g)][0].slice(1);
    for (const name of [a, b]) {
      expect(name.length).toBeLessThanOrEqual(LIMITS.name);
      expect(checkDisplayName(name, asMember([long]))).toEqual({ ok: true, value: name });
    }
  });

  it('takes role labels from the role only: "Fran (facilitator)" and other roles in brackets are refused', () => {
    for (const role of ['member', 'decisionMaker', 'observer'] as Role[]) {
      expect(checkDisplayName('Fran (facilitator)', { role, others: ['Fran'] }), role).toEqual({
        ok: false,
        message: NAME_MESSAGES.keptWord('facilitator', 'Facilitator')
      });
      expect(checkDisplayName('Fran (Host)', { role, others: [] }), role).toEqual({ ok: false, message: NAME_MESSAGES.roleInName });
    }
    expect(checkDisplayName('Sam (observer)', asMember())).toEqual({ ok: false, message: NAME_MESSAGES.roleInName });
    expect(checkDisplayName('Sam [Member]', { role: 'observer', others: [] })).toEqual({ ok: false, message: NAME_MESSAGES.roleInName });
    expect(checkDisplayName('Sam (you)', asMember())).toEqual({ ok: false, message: NAME_MESSAGES.roleInName });
    expect(NAME_MESSAGES.roleInName).toBe('Your role is shown next to your name. Leave it out of your name');
    // A facilitator may still say so, and brackets are fine for anything else.
    expect(checkDisplayName('Fran (facilitator)', asFacilitator(['Fran']))).toEqual({ ok: true, value: 'Fran (facilitator)' });
    expect(checkDisplayName('Sam (she/her)', asMember())).toEqual({ ok: true, value: 'Sam (she/her)' });
    expect(checkDisplayName('Sam (Leeds)', asMember())).toEqual({ ok: true, value: 'Sam (Leeds)' });
  });

  it('accepts names that only share letters or emoji with someone present', () => {
    const others = ['Sam', 'Zoë', 'محمد', '李雷'];
    for (const name of ['Sam B', 'Sam 👋', 'Samir', 'Pam', 'Zoë 👋', 'محمد علی', '李', '👋']) {
      expect(checkDisplayName(name, asMember(others)), name).toEqual({ ok: true, value: name });
    }
  });

  it('accepts names in every script, and emoji', () => {
    for (const name of ['Zoë', 'محمد', '李雷', 'Sam 👋', 'Ngọc Anh', 'Фёдор', 'प्रिया', 'علی‌رضا', '👨‍👩‍👧', 'Jo ❤️']) {
      expect(checkDisplayName(name, asMember(['Ann', 'Bo'])), name).toEqual({ ok: true, value: name });
    }
  });
});
