// The plain-language helper: reading ease and reading age against hand-computed and published
// figures, long sentences, jargon, short forms, positions, and texts that should pass untouched.
import { describe, expect, it } from 'vitest';
import { JARGON } from '../../src/lib/domain/jargon';
import {
  checkPlainLanguage,
  couldStandFor,
  countSyllables,
  endings,
  fleschKincaidGrade,
  fleschReadingEase,
  plainLanguageAdvice,
  plainLanguageSummary,
  readingAgeWords,
  shortFormOf,
  type PlainFinding
} from '../../src/lib/domain/plain-language';

/** What each finding covers, read back from the text: positions must point at the words. */
const covered = (text: string | string[], findings: PlainFinding[]) =>
  findings.map((f) => (typeof text === 'string' ? text : text[f.part]).slice(f.start, f.end));

describe('the formulas, against published figures', () => {
  it('a sentence of 13 words and 24 syllables is grade 11.3 and reading ease 37.5', () => {
    // Wikipedia's example ("The Australian platypus is seemingly a hybrid of a mammal and
    // reptilian creature": 13 words, 24 syllables, grade 11.3).
    // Grade: 0.39 × 13 + 11.8 × 24/13 − 15.59 = 5.07 + 21.785 − 15.59 = 11.265
    // Ease: 206.835 − 1.015 × 13 − 84.6 × 24/13 = 206.835 − 13.195 − 156.185 = 37.455
    expect(fleschKincaidGrade(13, 1, 24)).toBeCloseTo(11.3, 1);
    expect(fleschReadingEase(13, 1, 24)).toBeCloseTo(37.5, 1);
  });

  it('gives the published extremes: grade −3.40 at its lowest, ease about 120 at its highest', () => {
    // One word of one syllable per sentence: 0.39 + 11.8 − 15.59 = −3.40 ("the lowest grade level
    // score in theory is −3.40"). Two one-syllable words a sentence: 206.835 − 2.03 − 84.6 = 120.205
    // ("the highest (easiest) score is about 120").
    expect(fleschKincaidGrade(10, 10, 10)).toBeCloseTo(-3.4, 2);
    expect(fleschReadingEase(20, 10, 20)).toBeCloseTo(120.2, 1);
  });

  it('gives Dr Seuss his published grade of −1.3 (5.7 words a sentence, 1.02 syllables a word)', () => {
    // 0.39 × 5.7 + 11.8 × 581/570 − 15.59 = 2.223 + 12.028 − 15.59 = −1.339
    expect(fleschKincaidGrade(570, 100, 581)).toBeCloseTo(-1.3, 1);
  });
});

describe('reading ease and reading age of known texts', () => {
  it('"The cat sat on the mat." is ease 116.1 and grade −1.45', () => {
    // 6 words, 1 sentence, 6 syllables.
    // Ease: 206.835 − 1.015 × 6 − 84.6 × 1 = 116.145. Grade: 0.39 × 6 + 11.8 × 1 − 15.59 = −1.45.
    const r = checkPlainLanguage('The cat sat on the mat.');
    expect([r.words, r.sentences, r.syllables]).toEqual([6, 1, 6]);
    expect(r.readingEase).toBeCloseTo(116.145, 3);
    expect(r.grade).toBeCloseTo(-1.45, 3);
    expect(r.readingAge).toBeCloseTo(3.55, 3);
    expect(r.plain).toBe(true);
  });

  it('three short sentences: ease 95.7, reading age 6.2', () => {
    // The(1) bus(1) stops(1) at(1) six(1) = 5 words, 5 syllables.
    // After(2) that(1) people(2) walk(1) home(1) in(1) the(1) dark(1) = 8 words, 10 syllables.
    // Nobody(3) feels(1) safe(1) = 3 words, 5 syllables.
    // 16 words, 3 sentences, 20 syllables: 16/3 = 5.333 words a sentence, 1.25 syllables a word.
    // Ease: 206.835 − 1.015 × 5.333 − 84.6 × 1.25 = 206.835 − 5.413 − 105.75 = 95.672
    // Grade: 0.39 × 5.333 + 11.8 × 1.25 − 15.59 = 2.08 + 14.75 − 15.59 = 1.24; age 6.24.
    const r = checkPlainLanguage('The bus stops at six. After that, people walk home in the dark. Nobody feels safe.');
    expect([r.words, r.sentences, r.syllables]).toEqual([16, 3, 20]);
    expect(r.readingEase).toBeCloseTo(95.672, 2);
    expect(r.grade).toBeCloseTo(1.24, 2);
    expect(r.readingAge).toBeCloseTo(6.24, 2);
  });

  it('counts a number as one word of one syllable, and a hyphenated word or contraction as one word', () => {
    // It’s(1) a(1) 24-hour(1: "24" has none, "hour" one) helpline(2) | Call(1) 0800(1) 123(1) 456(1)
    // 8 words, 2 sentences, 9 syllables.
    // Ease: 206.835 − 1.015 × 4 − 84.6 × 9/8 = 206.835 − 4.06 − 95.175 = 107.6
    // Grade: 0.39 × 4 + 11.8 × 1.125 − 15.59 = 1.56 + 13.275 − 15.59 = −0.755
    const r = checkPlainLanguage('It’s a 24-hour helpline. Call 0800 123 456.');
    expect([r.words, r.sentences, r.syllables]).toEqual([8, 2, 9]);
    expect(r.readingEase).toBeCloseTo(107.6, 3);
    expect(r.grade).toBeCloseTo(-0.755, 3);
  });

  it('the platypus sentence, counted by our syllable counter, is harder than Wikipedia says', () => {
    // Wikipedia counts 24 syllables; the library counts "Australian" and "reptilian" as 4 each
    // (Aus-tra-li-an, rep-til-i-an), 26 in all, as a dictionary does:
    // Ease: 206.835 − 13.195 − 84.6 × 2 = 24.44. Grade: 5.07 + 11.8 × 2 − 15.59 = 13.08.
    const r = checkPlainLanguage('The Australian platypus is seemingly a hybrid of a mammal and reptilian creature.');
    expect([r.words, r.sentences, r.syllables]).toEqual([13, 1, 26]);
    expect(r.readingEase).toBeCloseTo(24.44, 2);
    expect(r.grade).toBeCloseTo(13.08, 2);
    expect(r.plain).toBe(false);
  });

  it('says short forms letter by letter when they cannot be said as a word', () => {
    expect(countSyllables('NHS')).toBe(3);
    expect(countSyllables('CSTR')).toBe(4);
    expect(countSyllables('L&D')).toBe(3); // L-and-D
    expect(countSyllables('GPs')).toBe(2);
    expect(countSyllables('WHO')).toBe(5); // double-you, aitch, oh
    expect(countSyllables('NICE')).toBe(1); // said as a word
    expect(countSyllables('e.g.')).toBe(2);
    expect(countSyllables('1,000')).toBe(1);
  });

  it('counts British spellings and curly apostrophes as well as American ones and straight ones', () => {
    expect(countSyllables('organisation')).toBe(countSyllables('organization'));
    expect(countSyllables('colour')).toBe(countSyllables('color'));
    expect(countSyllables('isn’t')).toBe(countSyllables("isn't"));
    expect(checkPlainLanguage('We can’t wait.').words).toBe(3);
  });

  it('handles an empty text, spaces, and punctuation with no words', () => {
    for (const text of ['', '   \n  ', '...!?', '— ( ) “ ”', []]) {
      const r = checkPlainLanguage(text);
      expect(r).toMatchObject({ words: 0, sentences: 0, readingEase: null, grade: null, readingAge: null, findings: [], plain: false });
      expect(plainLanguageSummary(r)).toBe('');
    }
  });
});

describe('sentences', () => {
  it('ends a sentence at a full stop, question mark, exclamation mark and line break', () => {
    expect(checkPlainLanguage('One. Two? Three! Four').sentences).toBe(4);
    expect(checkPlainLanguage('What we want to know\nWhat would help you most').sentences).toBe(2);
    expect(checkPlainLanguage('- Housing\n- Jobs\n- Money').sentences).toBe(3);
  });

  it('does not end a sentence after a title, "e.g.", a decimal, or an ellipsis before a small letter', () => {
    expect(checkPlainLanguage('Dr. Patel said e.g. a GP can help. Then we met.').sentences).toBe(2);
    expect(checkPlainLanguage('It costs £3.50 a week. That is a lot.').sentences).toBe(2);
    expect(checkPlainLanguage('We waited... and waited. Then it came.').sentences).toBe(2);
    expect(checkPlainLanguage('We need money, staff, etc. to start.').sentences).toBe(1);
    expect(checkPlainLanguage('We need money, staff, etc. Then we start.').sentences).toBe(2);
    expect(checkPlainLanguage('See No. 5 on p. 12 of the plan.').sentences).toBe(1);
    expect(checkPlainLanguage('The answer is no. We asked again.').sentences).toBe(2);
    expect(checkPlainLanguage('We live in the U.K. Then we moved.').sentences).toBe(2);
  });

  it('flags a sentence over 25 words, with its place and a plain message', () => {
    const w = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 'Word' : 'word')).join(' ');
    const long = `${w(31)}.`;
    const text = `${w(25)}. ${long} Short one.`;
    const r = checkPlainLanguage(text);
    expect(r.longSentences).toHaveLength(1); // 25 words is fine, 31 is not
    expect(r.longSentences[0]).toMatchObject({ kind: 'long-sentence', words: 31, part: 0 });
    expect(r.longSentences[0].message).toBe('This sentence has 31 words. Try to keep sentences to 25 words or fewer.');
    expect(covered(text, r.longSentences)).toEqual([long]);
  });

  it('counts a long sentence that runs over commas, semicolons and dashes as one', () => {
    const text =
      'People told us the bus is late, the forms are long; the office shuts at four — and the phone line, which is the only other way in, is busy most of the day.';
    const r = checkPlainLanguage(text);
    expect(r.sentences).toBe(1);
    expect(r.longSentences.map((s) => s.words)).toEqual([33]);
    expect(covered(text, r.longSentences)).toEqual([text]);
  });
});

describe('jargon', () => {
  it('finds a term whatever its case, plural or possessive, with plainer words', () => {
    const text = 'Stakeholders met. The stakeholder’s view. STAKEHOLDERS agreed. A stakeholder spoke.';
    const r = checkPlainLanguage(text);
    expect(covered(text, r.jargon)).toEqual(['Stakeholders', 'stakeholder', 'STAKEHOLDERS', 'stakeholder']);
    expect(r.jargon.every((j) => j.term === 'stakeholder')).toBe(true);
    expect(r.jargon[0].plainer).toEqual(['people involved', 'people affected']);
    expect(r.jargon[0].message).toBe('Try “people involved” or “people affected” instead of “Stakeholders”.');
  });

  it('finds phrases, hyphenated terms, verb endings and American spellings', () => {
    const text =
      'Going forward, service users on the care pathway get multi-agency support. We are leveraging holistic, co-produced plans, prioritized by cohorts.';
    const r = checkPlainLanguage(text);
    expect(covered(text, r.jargon)).toEqual([
      'Going forward',
      'service users',
      'care pathway',
      'multi-agency',
      'leveraging',
      'holistic',
      'co-produced',
      'prioritized',
      'cohorts'
    ]);
    expect(r.jargon.map((j) => j.term)).toEqual([
      'going forward',
      'service user',
      'care pathway',
      'multi-agency',
      'leverage',
      'holistic',
      'co-produce',
      'prioritise',
      'cohort'
    ]);
  });

  it('explains a term that has to stay, such as safeguarding', () => {
    const r = checkPlainLanguage('Safeguarding comes first.');
    expect(r.jargon[0].message).toBe(
      'Try “keeping people safe” instead of “Safeguarding”. If you keep “Safeguarding”, say what it means: keeping children and adults safe from harm, abuse and neglect.'
    );
  });

  it('finds a term between curly quotes and across a hyphen written as a space only where the term has a space', () => {
    const text = '‘Service-users’ said “going forward” is vague. Multi agency work matters.';
    const r = checkPlainLanguage(text);
    // "multi-agency" is written with a hyphen: "multi agency" could be two ordinary words.
    expect(covered(text, r.jargon)).toEqual(['Service-users', 'going forward']);
  });

  it('does not flag ordinary words that look like jargon', () => {
    const text =
      'The stake holder held the rope. Users of the bus service want a path and a way home. The agency is capable. ' +
      'We moved forward. Our commission met. Guards keep us safe. The outcomes-free… no. A cohesive group came out well. ' +
      'Please lever the lid. We were engaged to be married. He will step down. We bought in bulk. The whole system works.';
    const r = checkPlainLanguage(text);
    expect(covered(text, r.jargon)).toEqual(['outcomes']); // "outcomes-free" still holds the term
  });

  it('does not flag a term inside the name a short form stands for', () => {
    const text = 'The Integrated Care Board (ICB) pays for it. Integrated care helps.';
    const r = checkPlainLanguage(text);
    expect(r.acronyms).toEqual([]);
    expect(covered(text, r.jargon)).toEqual(['Integrated care']);
  });

  it('leaves out what the workshop’s glossary explains', () => {
    const r = checkPlainLanguage('Safeguarding and the CSTR matter to stakeholders.', { glossary: ['safeguarding', 'CSTR'] });
    expect(r.jargon.map((j) => j.term)).toEqual(['stakeholder']);
    expect(r.acronyms).toEqual([]);
  });

  it('makes the endings of a word, with -ize beside -ise', () => {
    expect(endings('prioritise')).toEqual(
      expect.arrayContaining(['prioritises', 'prioritised', 'prioritising', 'prioritize', 'prioritized'])
    );
    expect(endings('capacity')).toEqual(expect.arrayContaining(['capacities']));
    expect(endings('holistic')).toEqual(expect.arrayContaining(['holistically']));
    expect(endings('commissioning')).not.toContain('commission');
  });

  it('keeps a list of real terms, each with plainer words or a meaning, and no term twice', () => {
    expect(JARGON.length).toBeGreaterThanOrEqual(150);
    expect(JARGON.every((j) => j.plainer.length > 0 || j.means)).toBe(true);
    const terms = JARGON.map((j) => j.term);
    expect(new Set(terms).size).toBe(terms.length);
    for (const t of [
      'stakeholder',
      'service user',
      'pathway',
      'commissioning',
      'multi-agency',
      'safeguarding',
      'cohort',
      'outcome',
      'leverage',
      'going forward',
      'capacity',
      'holistic'
    ]) {
      expect(terms).toContain(t);
    }
  });
});

describe('short forms', () => {
  it('flags a short form the first time it is used without saying what it stands for', () => {
    const text = 'The CSTR starts soon. The CSTR lasts a year.';
    const r = checkPlainLanguage(text);
    expect(r.acronyms).toHaveLength(1); // its first use only
    expect(r.acronyms[0]).toMatchObject({ kind: 'acronym', acronym: 'CSTR', text: 'CSTR', start: 4, end: 8, explainedLater: false });
    expect(r.acronyms[0].message).toBe('Say what “CSTR” stands for the first time you use it, with “CSTR” in brackets after it.');
  });

  it('accepts the long form before the short form in brackets, or after it in brackets', () => {
    for (const text of [
      'A Community Sentence Treatment Requirement (CSTR) starts soon. The CSTR lasts a year.',
      'A CSTR (Community Sentence Treatment Requirement) starts soon. The CSTR lasts a year.',
      'Learning and Development (L&D) runs it. L&D pays.',
      'HM Prison and Probation Service (HMPPS) runs it.',
      'Ask the Department for Education ( DfE ) first.'
    ]) {
      expect(checkPlainLanguage(text).acronyms, text).toEqual([]);
    }
  });

  it('does not accept brackets that do not say what it stands for', () => {
    const text = 'The MDT (see below) meets weekly. Talk to L&D (ask Sam).';
    expect(covered(text, checkPlainLanguage(text).acronyms)).toEqual(['MDT', 'L&D']);
  });

  it('says so when the explanation comes only after the first use', () => {
    const text = 'L&D is key. Learning and Development (L&D) helps.';
    const r = checkPlainLanguage(text);
    expect(r.acronyms).toMatchObject([{ acronym: 'L&D', start: 0, end: 3, explainedLater: true }]);
    expect(r.acronyms[0].message).toBe('“L&D” is explained further on. Explain it here instead, the first time it is used.');
  });

  it('finds plural, possessive, hyphenated and mixed-case short forms', () => {
    const text = 'All CSTRs start. The ICB’s money. A DWP-funded job. The DfE agrees.';
    const r = checkPlainLanguage(text);
    expect(r.acronyms.map((a) => a.acronym)).toEqual(['CSTR', 'ICB', 'DWP', 'DfE']);
    expect(covered(text, r.acronyms)).toEqual(['CSTRs', 'ICB’s', 'DWP', 'DfE']);
  });

  it('needs no explanation for short forms everyone knows, Roman numerals, single capitals or shouting', () => {
    const text =
      'Ask your GP, the NHS or A&E in the UK. OK? Part II. I think A is best. PLEASE READ THIS FIRST. COVID-19 and NHS-funded care.';
    expect(checkPlainLanguage(text).acronyms).toEqual([]);
  });

  it('does not treat ordinary capitalised words and brand names as short forms', () => {
    for (const word of ['McDonald', 'iPhone', 'YouTube', 'London', 'I', 'A']) expect(shortFormOf(word), word).toBeNull();
    expect(shortFormOf('PhDs')).toBe('PhD');
    expect(shortFormOf('U.K.')).toBe('UK');
  });

  it('checks a question and its context in order: explained in one, understood in the next', () => {
    const question = 'How could Learning and Development (L&D) help probation staff?';
    const context = 'L&D runs courses. The MDT meets on Mondays.';
    const r = checkPlainLanguage([question, context]);
    expect(r.acronyms).toMatchObject([{ acronym: 'MDT', part: 1 }]);
    expect(covered([question, context], r.acronyms)).toEqual(['MDT']);
    // Read the other way round, the context's first use is not explained.
    expect(checkPlainLanguage([context, question]).acronyms).toMatchObject([
      { acronym: 'L&D', part: 0, explainedLater: true },
      { acronym: 'MDT', part: 0 }
    ]);
  });

  it('matches letters to the words they stand for', () => {
    expect(couldStandFor('CSTR', 'Community Sentence Treatment Requirement')).toBe(true);
    expect(couldStandFor('L&D', 'learning and development')).toBe(true);
    expect(couldStandFor('MDT', 'see below')).toBe(false);
    expect(couldStandFor('ICB', 'ICB')).toBe(false); // not a long form: no small letters
  });
});

describe('in words, for the page', () => {
  const text =
    'Going forward, we will ask stakeholders and partners across the whole county, including people who have used the service and their families, what a good service would look like for them. The CSTR is new.';

  it('sums up the reading age, long sentences, words to change and short forms', () => {
    const r = checkPlainLanguage(text);
    expect(plainLanguageSummary(r)).toBe(
      `Reading age about ${Math.round(r.readingAge!)}. 1 long sentence. 2 words you could say more plainly. 1 short form to explain.`
    );
  });

  it('gives one line of advice per thing to change, each term once, in reading order', () => {
    const r = checkPlainLanguage(`${text} Stakeholders agree.`);
    expect(r.jargon).toHaveLength(3);
    expect(plainLanguageAdvice(r).map((f) => f.kind)).toEqual(['long-sentence', 'jargon', 'jargon', 'acronym']);
  });

  it('says when a text reads plainly, and when only shorter words would help', () => {
    expect(plainLanguageSummary(checkPlainLanguage('The bus is late. We wait a long time.'))).toMatch(
      /^Reading age 6 or under\. This reads plainly\.$/
    );
    expect(plainLanguageSummary(checkPlainLanguage('Organisational responsibilities necessitate considerable deliberation.'))).toMatch(
      /^Reading age about \d+\. Shorter words and sentences would make it easier to read\.$/
    );
    expect(readingAgeWords(14.4)).toBe('Reading age about 14');
    expect(readingAgeWords(3.2)).toBe('Reading age 6 or under');
  });
});

describe('speed and sameness', () => {
  // About 2,000 characters of a realistic question and its context.
  const sample = [
    'How can probation and health services work better together for people leaving prison?',
    (
      'Going forward, stakeholders want a joined-up pathway. The Community Sentence Treatment Requirement (CSTR) ' +
      'helps people with mental health, drug or alcohol needs. L&D staff will train practitioners across the ICB. ' +
      'We want to hear what would help you in the first weeks after release, and what got in the way last time. '
    ).repeat(6)
  ];

  it('gives the same report every time', () => {
    expect(checkPlainLanguage(sample)).toEqual(checkPlainLanguage(sample));
  });

  it('checks 2,000 characters quickly (measured, not asserted)', () => {
    const chars = sample.join('').length;
    const cold = performance.now();
    checkPlainLanguage(sample.map((s) => s.replace(/e/g, 'é'))); // words not seen before: the syllable counter runs for each
    const coldMs = performance.now() - cold;
    // Then as a page that checks as people type: the same words again, the code warmed up.
    for (let i = 0; i < 50; i++) checkPlainLanguage(sample);
    const times: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t0 = performance.now();
      checkPlainLanguage(sample);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = times[times.length >> 1];
    const p95 = times[Math.floor(times.length * 0.95)];
    console.log(
      `plain-language: ${chars} characters, median ${median.toFixed(3)} ms, 95th percentile ${p95.toFixed(3)} ms (500 runs); first run with new words ${coldMs.toFixed(3)} ms`
    );
    expect(chars).toBeGreaterThan(1900);
  });
});
