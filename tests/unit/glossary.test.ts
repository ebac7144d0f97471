// The glossary's matcher (src/lib/domain/glossary.ts): whole words, any case, punctuation around a
// term, plural and possessive endings, overlapping terms, the first use per text, and the checks
// of a term and its explanation; and the question's check with a glossary (question-check.ts).
import { describe, expect, it } from 'vitest';
import { checkExplanation, checkTerm, compileGlossary, sortGlossary, termKey, type GlossaryEntry } from '../../src/lib/domain/glossary';
import { checkTheQuestion, questionReport } from '../../src/lib/domain/question-check';
import { checkWords, summariseReport } from '../../src/lib/domain/question';

let n = 0;
const entry = (term: string): GlossaryEntry => ({ id: `g${++n}`, term, explanation: `What ${term} means` });
const glossaryOf = (...terms: string[]) => compileGlossary(terms.map(entry))!;
/** Every use, as the words of the text it covers. */
const found = (terms: string[], text: string) =>
  glossaryOf(...terms)
    .uses(text)
    .map((u) => text.slice(u.start, u.end));

describe('whole words only', () => {
  it('finds a term on its own, never inside a longer word', () => {
    expect(found(['ward'], 'The ward is open. An award, a wardrobe, a reward, toward.')).toEqual(['ward']);
    expect(found(['ICB'], 'ICB and ICBX and XICB')).toEqual(['ICB']);
    expect(found(['care'], 'careful carers take care')).toEqual(['care']);
  });

  it('treats digits, letters of other scripts and underscores as part of a word', () => {
    expect(found(['MDT'], 'MDT2 is not MDT, nor is MDT_x or éMDT')).toEqual(['MDT']);
  });

  it('finds a term between punctuation, quotes, brackets and at the ends of the text', () => {
    const text = 'CSTR, (CSTR) “CSTR” CSTR. CSTR? -CSTR- CSTR/CSTR\nCSTR';
    expect(found(['CSTR'], text)).toHaveLength(9);
    expect(found(['L&D'], 'Our L&D team: L&D.')).toEqual(['L&D', 'L&D']);
  });

  it('counts a plural or possessive ending as part of the use', () => {
    // An apostrophe after a plural is punctuation: it stays outside the button.
    expect(found(['CSTR'], 'Two CSTRs, the CSTR’s terms, the CSTRs’ judges')).toEqual(['CSTRs', 'CSTR’s', 'CSTRs']);
    expect(found(['bus pass'], 'bus passes')).toEqual(['bus passes']);
  });
});

describe('any case, spacing and apostrophe', () => {
  it('finds a term in any case', () => {
    expect(found(['probation officer'], 'A Probation Officer, a PROBATION OFFICER, a probation officer')).toHaveLength(3);
    expect(found(['ÉCOLE'], 'une école')).toEqual(['école']);
  });

  it('lets a space in a term match any run of spaces or a line break, and either apostrophe', () => {
    expect(found(['care plan'], 'my care  plan and my care\nplan')).toEqual(['care  plan', 'care\nplan']);
    expect(found(["carer's allowance"], 'Carer’s Allowance')).toEqual(['Carer’s Allowance']);
    expect(found(['multi-agency'], 'multi‑agency work')).toEqual(['multi‑agency']);
  });

  it('takes characters that mean something to a regular expression as they are', () => {
    expect(found(['C++'], 'We teach C++ and C')).toEqual(['C++']);
    expect(found(['a.b'], 'axb and a.b')).toEqual(['a.b']);
    expect(found(['(x)'], 'x and (x)')).toEqual(['(x)']);
  });
});

describe('overlapping terms', () => {
  it('prefers the longer term where two start at the same place', () => {
    const g = glossaryOf('care', 'care plan');
    const uses = g.uses('Your care plan says what care you get');
    expect(uses.map((u) => u.entry.term)).toEqual(['care plan', 'care']);
  });

  it('takes the one that starts first where two overlap, and never overlaps two uses', () => {
    const g = glossaryOf('mental health', 'health service');
    const text = 'a mental health service';
    expect(g.uses(text).map((u) => text.slice(u.start, u.end))).toEqual(['mental health']);
  });

  it('finds a term inside a longer one only where the longer one is not', () => {
    expect(found(['ICB', 'ICB board'], 'The ICB board and the ICB')).toEqual(['ICB board', 'ICB']);
  });
});

describe('the first use of each term per text', () => {
  it('gives each term one button per text, at its first use', () => {
    const g = glossaryOf('CSTR', 'ICB');
    const text = 'CSTR and ICB. Another CSTR, another ICB.';
    expect(g.firstUses(text).map((u) => [u.entry.term, u.start])).toEqual([
      ['CSTR', 0],
      ['ICB', 9]
    ]);
    expect(g.termsIn(text).map((e) => e.term)).toEqual(['CSTR', 'ICB']);
  });

  it('cuts a text into pieces that add up to it, the first uses on their own', () => {
    const g = glossaryOf('CSTR');
    const text = 'Is a CSTR right? A CSTR can help.';
    const pieces = g.pieces(text);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(pieces.filter((p) => p.entry).map((p) => p.text)).toEqual(['CSTR']);
    expect(g.pieces('')).toEqual([{ text: '' }]);
    expect(g.pieces('Nothing here')).toEqual([{ text: 'Nothing here' }]);
  });

  it('answers the same text from what it found before, and a changed text afresh', () => {
    const g = glossaryOf('CSTR');
    expect(g.uses('a CSTR')).toBe(g.uses('a CSTR'));
    expect(g.uses('a CSTR b')).not.toBe(g.uses('a CSTR'));
  });

  it('has no matcher for an empty glossary', () => {
    expect(compileGlossary([])).toBeNull();
  });

  it('stays quick over a 500-card board with a full glossary', () => {
    // Not a timing test (the bench measures speed): this proves one matcher serves every card and
    // finds every use, with 100 terms and 500 cards of 2,000 characters.
    const terms = Array.from({ length: 100 }, (_, i) => `Term${i}`);
    const g = glossaryOf(...terms);
    const card = (i: number) => `${'plain words '.repeat(160)} term${i % 100} and TERM${(i + 1) % 100}s.`;
    let uses = 0;
    for (let i = 0; i < 500; i++) uses += g.termsIn(card(i)).length;
    expect(uses).toBe(1000);
  });
});

describe('the words of a term and its explanation', () => {
  it('takes a term of 1 to 60 characters with a letter or digit, tidied', () => {
    expect(checkTerm('  CSTR ')).toEqual({ ok: true, value: 'CSTR' });
    expect(checkTerm('')).toMatchObject({ ok: false, message: 'Enter the word or short form to explain' });
    expect(checkTerm('   ')).toMatchObject({ ok: false });
    expect(checkTerm('&&&')).toMatchObject({ ok: false, message: 'The word must have at least one letter or number in it' });
    expect(checkTerm('x'.repeat(61))).toMatchObject({ ok: false, message: 'The word must be 60 characters or fewer' });
    expect(checkTerm(42)).toMatchObject({ ok: false });
  });

  it('takes an explanation of 1 to 300 characters', () => {
    expect(checkExplanation(' A court order. ')).toEqual({ ok: true, value: 'A court order.' });
    expect(checkExplanation('')).toMatchObject({ ok: false, message: 'Explain the word in plain words' });
    expect(checkExplanation('x'.repeat(301))).toMatchObject({ ok: false, message: 'The explanation must be 300 characters or fewer' });
  });

  it('knows two spellings of one term as one entry, and sorts entries alphabetically', () => {
    expect(termKey(' Carer’s   ALLOWANCE ')).toBe(termKey("carer's allowance"));
    expect(termKey('ＣＳＴＲ')).toBe(termKey('CSTR'));
    expect(sortGlossary([entry('probation'), entry('ICB'), entry('care plan')]).map((e) => e.term)).toEqual([
      'care plan',
      'ICB',
      'probation'
    ]);
  });
});

describe('the question check with a glossary', () => {
  const question = 'How can we make CSTR referrals work better for people on probation?';

  it('flags a short form until the glossary explains it', () => {
    expect(checkTheQuestion(question, '', [], 1).acronyms).toBe(1);
    expect(checkTheQuestion(question, '', ['CSTR'], 1).acronyms).toBe(0);
    expect(checkTheQuestion(question, '', ['cstr'], 1).acronyms).toBe(0);
  });

  it('checks the background with the question, as one text in two parts', () => {
    const report = questionReport(question, 'A CSTR is a court order. Our L&D team trains staff.', []);
    expect(report.acronyms.map((a) => [a.acronym, a.part])).toEqual([
      ['CSTR', 0],
      ['L&D', 1]
    ]);
    expect(checkTheQuestion(question, 'A CSTR is a court order. Our L&D team trains staff.', ['CSTR', 'L&D'], 1).acronyms).toBe(0);
  });

  it('keeps what the page shows, rounded to one decimal, and says it in words', () => {
    const check = summariseReport(questionReport('Can we talk about the bus?', '', []), 5);
    expect(check).toMatchObject({ words: 6, longSentences: 0, jargon: 0, acronyms: 0, checkedAt: 5 });
    expect(Number.isInteger((check.readingEase ?? 0) * 10)).toBe(true);
    expect(checkWords(check)).toMatch(
      /^Reading age (about \d+|6 or under)\. Reading ease \d+ \(60 or more reads plainly\)\. This reads plainly\.$/
    );
    expect(checkWords({ ...check, readingAge: null, readingEase: null })).toBe('There are no words to check yet.');
    expect(checkWords({ ...check, acronyms: 2, plain: false })).toContain('2 short forms to explain. It could be plainer.');
  });
});
