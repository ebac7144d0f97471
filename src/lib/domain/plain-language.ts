// The plain-language helper: how easy a text is to read (a UK reading age from the
// Flesch-Kincaid grade, and Flesch reading ease) and what would make it easier (sentences over 25
// words, jargon with plainer words, short forms not explained the first time they are used).
// Pure and deterministic, so the page that drafts a question and the server that shows the
// facilitator its score give the same answer. Syllables come from `syllable`; the counting of
// words and sentences (sentences.ts, shared with Read aloud), the formulas and every rule are ours.
//
// Positions are offsets into the text as given (UTF-16 code units, as String.slice and a
// textarea's selectionStart use), so a page can highlight exactly what a finding is about.
import { syllable } from 'syllable';
import { JARGON, type JargonTerm } from './jargon';
import { DOTTED, sentencesOf, tokenise, type Token } from './sentences';
import { readingAgeWords } from './question';

/** A sentence with more words than this is flagged. */
export const LONG_SENTENCE_WORDS = 25;

/**
 * Flesch's own table calls a reading ease of 60 to 70 "plain English" (school grades 8 and 9, a
 * reading age of 13 or 14). GOV.UK and NHS content guidance aim lower, for a reading age of about
 * 9; the page shows the age so people can aim for that, but a text counts as plain from 60 up.
 */
export const PLAIN_READING_EASE = 60;

/**
 * Short forms nearly every adult in the UK knows by sight, so asking for them to be spelled out
 * would be noise: NHS, GP and the like. Kept short on purpose: a short form people in services
 * use every day ("CSTR", "L&D", "ICB", "MDT") is exactly what the check is for.
 */
export const WELL_KNOWN_SHORT_FORMS: ReadonlySet<string> = new Set([
  'NHS',
  'GP',
  'UK',
  'OK',
  'TV',
  'BBC',
  'MP',
  'ID',
  'A&E',
  'EU',
  'CV',
  'PIN',
  'CCTV',
  'COVID',
  'AM',
  'PM',
  'Q&A'
]);

interface Span {
  /** Which text, when several were checked together (a question and its context): 0 for the first. */
  part: number;
  start: number;
  end: number;
  /** What to do, in plain words. */
  message: string;
}

export interface LongSentence extends Span {
  kind: 'long-sentence';
  words: number;
}

export interface JargonUse extends Span {
  kind: 'jargon';
  /** The words as written ("Stakeholders"). */
  text: string;
  /** The entry in the jargon list ("stakeholder"). */
  term: string;
  plainer: readonly string[];
  means?: string;
}

export interface UnexplainedShortForm extends Span {
  kind: 'acronym';
  /** As written, plural or possessive included ("CSTRs"). */
  text: string;
  /** The short form itself ("CSTR"). */
  acronym: string;
  /** True when the text explains it, but only after this first use. */
  explainedLater: boolean;
}

export type PlainFinding = LongSentence | JargonUse | UnexplainedShortForm;

export interface PlainLanguageReport {
  words: number;
  sentences: number;
  syllables: number;
  /** Flesch reading ease: higher is easier; 60 and over is plain. Null for a text with no words. */
  readingEase: number | null;
  /** Flesch-Kincaid grade (a US school year). Null for a text with no words. */
  grade: number | null;
  /** The grade plus 5: the age of a UK child in that school year. Null for a text with no words. */
  readingAge: number | null;
  longSentences: LongSentence[];
  /** Every use of a listed term, for highlighting; several uses of one term are several entries. */
  jargon: JargonUse[];
  /** The first use of each short form that is not explained there. */
  acronyms: UnexplainedShortForm[];
  /** All of the above in reading order. */
  findings: PlainFinding[];
  /** Nothing flagged and a reading ease of at least PLAIN_READING_EASE. */
  plain: boolean;
}

export interface PlainLanguageOptions {
  /** Terms and short forms the workshop's glossary explains already: not flagged. */
  glossary?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// The formulas (Flesch 1948; Kincaid et al. 1975), exported so tests can check them against
// published figures on their own.

export function fleschReadingEase(words: number, sentences: number, syllables: number): number {
  return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words);
}

export function fleschKincaidGrade(words: number, sentences: number, syllables: number): number {
  return 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59;
}

/** A US grade is a school year that starts at age 5 or 6 (grade 1), so age = grade + 5 (UK practice). */
export const readingAgeFromGrade = (grade: number): number => grade + 5;

// ---------------------------------------------------------------------------------------------
// Words.

const HYPHENS = /[-\u2010\u2011]/;

// A short form that cannot be said as a word (no vowel, three consonants in a row, or three
// letters or fewer: "NHS", "ADHD", "ICB") is said letter by letter, so "NHS" is three syllables,
// not the library's one; "W" is three ("double-you") and "&" is "and". Those that can be said
// ("NICE", "NATO") go to the library like any word.
const LETTER_SYLLABLES = (ch: string): number => (ch === 'W' ? 3 : 1);
function spelledOut(word: string): string | null {
  const letters = /^([\p{Lu}&]{2,8})s?$/u.exec(word)?.[1];
  if (!letters || (letters.match(/\p{Lu}/gu)?.length ?? 0) < 2) return null;
  return letters.length <= 3 || !/[AEIOU]/.test(letters) || /[^AEIOU&]{3}/.test(letters) ? letters : null;
}

const syllableCache = new Map<string, number>();

/** Syllables in one word as we count them: at least 1 (a number is one word of one syllable). */
export function countSyllables(word: string): number {
  const cached = syllableCache.get(word);
  if (cached !== undefined) return cached;
  let n: number;
  if (DOTTED.test(word)) n = word.replace(/\./g, '').length;
  else {
    const spelled = spelledOut(word);
    n = spelled ? [...spelled].reduce((sum, ch) => sum + LETTER_SYLLABLES(ch), 0) : Math.max(1, syllable(word));
  }
  // Bounded, so a long-running page that checks many texts does not grow without end.
  if (syllableCache.size > 5000) syllableCache.clear();
  syllableCache.set(word, n);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Jargon.

interface TermPattern {
  entry: JargonTerm;
  /** Lower-case words; the last one is matched with its endings. */
  words: string[];
  /** Between word k and k+1: a hyphen must be written as a hyphen; a space may be a space or a hyphen. */
  hyphenated: boolean[];
  lastForms: ReadonlySet<string>;
}

/** A word's plurals and verb endings, with -ize beside -ise. */
export function endings(word: string): string[] {
  const out = new Set([word, `${word}s`, `${word}es`, `${word}ed`, `${word}ing`, `${word}ly`]);
  if (/[^aeiou]y$/.test(word)) for (const end of ['ies', 'ied', 'ily']) out.add(word.slice(0, -1) + end);
  if (word.endsWith('e')) for (const form of [`${word}d`, `${word.slice(0, -1)}ing`]) out.add(form);
  if (word.endsWith('ic')) out.add(`${word}ally`);
  for (const form of [...out]) {
    const us = form.replace(/is(e|ed|es|ing|ation|ations)$/, 'iz$1');
    if (us !== form) out.add(us);
  }
  return [...out];
}

function patternOf(entry: JargonTerm, written: string): TermPattern {
  const words: string[] = [];
  const hyphenated: boolean[] = [];
  for (const m of written.toLowerCase().matchAll(/([^\s\-\u2010\u2011]+)([\s\-\u2010\u2011]*)/g)) {
    words.push(m[1].replace(/’/g, "'"));
    if (m[2]) hyphenated.push(HYPHENS.test(m[2]));
  }
  return { entry, words, hyphenated, lastForms: new Set(endings(words[words.length - 1])) };
}

// Patterns by their first word, longest first, so "service user" wins over a shorter term at the
// same place and "non-statutory" over "statutory".
const PATTERNS = new Map<string, TermPattern[]>();
for (const entry of JARGON) {
  for (const written of [entry.term, ...(entry.forms ?? [])]) {
    const p = patternOf(entry, written);
    const firsts = p.words.length === 1 ? p.lastForms : [p.words[0]];
    for (const first of firsts) {
      const list = PATTERNS.get(first) ?? [];
      list.push(p);
      PATTERNS.set(first, list);
    }
  }
}
for (const list of PATTERNS.values()) list.sort((a, b) => b.words.length - a.words.length);

interface Piece {
  start: number;
  end: number;
  /** Lower case, curly apostrophe made straight, a possessive "'s" taken off. */
  word: string;
}

/** Words split at their hyphens ("multi-agency" is "multi", "agency"), for matching terms. */
function piecesOf(tokens: readonly Token[]): Piece[] {
  const out: Piece[] = [];
  for (const t of tokens) {
    if (t.dotted) continue;
    if (!/['’\-\u2010\u2011]/.test(t.lower)) {
      out.push({ start: t.start, end: t.end, word: t.lower });
      continue;
    }
    let offset = t.start;
    for (const part of t.text.split(/[-\u2010\u2011]/)) {
      const possessive = /['’]s$/.test(part) ? 2 : 0;
      out.push({
        start: offset,
        end: offset + part.length - possessive,
        word: part
          .slice(0, part.length - possessive)
          .toLowerCase()
          .replace(/’/g, "'")
      });
      offset += part.length + 1;
    }
  }
  return out;
}

function jargonMessage(text: string, entry: JargonTerm): string {
  const swap = entry.plainer.length ? `Try ${entry.plainer.map((p) => `“${p}”`).join(' or ')} instead of “${text}”.` : '';
  const means = entry.means ? `If you keep “${text}”, say what it means: ${entry.means}.` : '';
  return [swap || `“${text}” may not be clear to everyone.`, means].filter(Boolean).join(' ');
}

function findJargon(text: string, pieces: readonly Piece[], part: number, glossary: ReadonlySet<string>): JargonUse[] {
  const out: JargonUse[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const candidates = PATTERNS.get(pieces[i].word);
    if (!candidates) continue;
    const found = candidates.find((p) => matchesAt(text, pieces, i, p));
    if (!found) continue;
    const first = pieces[i];
    const last = pieces[i + found.words.length - 1];
    i += found.words.length - 1;
    const written = text.slice(first.start, last.end);
    if (glossary.has(found.entry.term) || glossary.has(written.toLowerCase())) continue;
    out.push({
      kind: 'jargon',
      part,
      start: first.start,
      end: last.end,
      text: written,
      term: found.entry.term,
      plainer: found.entry.plainer,
      ...(found.entry.means ? { means: found.entry.means } : {}),
      message: jargonMessage(written, found.entry)
    });
  }
  return out;
}

function matchesAt(text: string, pieces: readonly Piece[], at: number, p: TermPattern): boolean {
  const n = p.words.length;
  if (at + n > pieces.length) return false;
  for (let k = 0; k < n; k++) {
    const word = pieces[at + k].word;
    if (k === n - 1 ? !p.lastForms.has(word) : word !== p.words[k]) return false;
    if (k === n - 1) break;
    const gap = text.slice(pieces[at + k].end, pieces[at + k + 1].start);
    if (p.hyphenated[k] ? !/^[-\u2010\u2011]$/.test(gap) : !/^(?:[ \t\u00a0]+|[-\u2010\u2011])$/.test(gap)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Short forms (acronyms and initialisms).

/** The short form a word is, or null: two or more capitals, more capitals than small letters. */
export function shortFormOf(word: string): string | null {
  if (DOTTED.test(word)) {
    const letters = word.replace(/\./g, '');
    return /^\p{Lu}+$/u.test(letters) ? letters : null;
  }
  const bare = word.replace(/['’]s$/, '');
  // A plural "s" on a short form ("GPs", "CSTRs") is not part of it.
  const core = /\p{Lu}s$/u.test(bare) ? bare.slice(0, -1) : bare;
  const upper = core.match(/\p{Lu}/gu)?.length ?? 0;
  const lower = core.match(/\p{Ll}/gu)?.length ?? 0;
  if (upper < 2 || lower >= upper || !/^\p{Lu}/u.test(core) || core.length > 8) return null;
  if (!/^[\p{L}\p{N}&]+$/u.test(core)) return null;
  if (/^[IVX]+$/.test(core)) return null; // a Roman numeral: "Part II", "Year IV"
  return core;
}

const isAllCaps = (t: Token) => t.capitals > 0 && t.text === t.text.toUpperCase();

/**
 * Where in `long` the words `short` stands for begin, or -1: each of its letters, right to left,
 * found in order, and the first at the start of a word (the test Schwartz and Hearst describe for
 * finding abbreviations' definitions, 2003). Loose on purpose: "Learning and Development" for "L&D".
 */
function longFormStart(short: string, long: string): number {
  const letters = short.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const text = long.toLowerCase();
  if (!letters || !/\p{Ll}/u.test(long)) return -1;
  let l = text.length - 1;
  for (let s = letters.length - 1; s >= 0; s--) {
    const ch = letters[s];
    while (l >= 0 && (text[l] !== ch || (s === 0 && l > 0 && /[\p{L}\p{N}]/u.test(text[l - 1])))) l--;
    if (l < 0) return -1;
    if (s > 0) l--;
  }
  return l;
}

/** Whether `long` could be what `short` stands for ("Learning and Development", "L&D"). */
export const couldStandFor = (short: string, long: string): boolean => longFormStart(short, long) >= 0;

interface Range {
  start: number;
  end: number;
}

/**
 * Where this use of a short form is explained, "Long Form (LF)" or "LF (Long Form)": the long
 * form's place in the text, or null when this use does not explain it.
 */
function explainedHere(text: string, tokens: readonly Token[], i: number, short: string): Range | null {
  const t = tokens[i];
  // "Community Sentence Treatment Requirement (CSTR)": the short form alone in brackets.
  let open = t.start - 1;
  while (open >= 0 && /\s/.test(text[open])) open--;
  if (text[open] === '(' && /^\s*\)/.test(text.slice(t.end, t.end + 20))) {
    const letters = short.replace(/[^\p{L}\p{N}]/gu, '').length;
    const reach = Math.min(letters + 5, letters * 2);
    const from = tokens[Math.max(0, i - reach)].start;
    const at = from < open ? longFormStart(short, text.slice(from, open)) : -1;
    if (at >= 0) return { start: from + at, end: open };
  }
  // "CSTR (Community Sentence Treatment Requirement)": the long form in brackets right after.
  const after = /^(\s*\()([^()]{1,200})\)/.exec(text.slice(t.end, t.end + 210));
  if (after && /\s/.test(after[2].trim()) && couldStandFor(short, after[2])) {
    const start = t.end + after[1].length;
    return { start, end: start + after[2].length };
  }
  return null;
}

interface ShortFormState {
  explained: Set<string>;
  flagged: Map<string, UnexplainedShortForm>;
}

function shortFormMessage(acronym: string, explainedLater: boolean): string {
  return explainedLater
    ? `“${acronym}” is explained further on. Explain it here instead, the first time it is used.`
    : `Say what “${acronym}” stands for the first time you use it, with “${acronym}” in brackets after it.`;
}

function findShortForms(
  text: string,
  tokens: readonly Token[],
  part: number,
  state: ShortFormState,
  glossary: ReadonlySet<string>,
  longForms: Range[]
): UnexplainedShortForm[] {
  const out: UnexplainedShortForm[] = [];
  // Three or more capitalised words in a row are shouting ("PLEASE READ THIS"), not short forms.
  const shouting = new Set<number>();
  let run: number[] = [];
  const endRun = () => {
    if (run.length >= 3) for (const k of run) shouting.add(k);
    run = [];
  };
  tokens.forEach((t, i) => {
    if (!isAllCaps(t)) return endRun();
    if (run.length && text.slice(tokens[i - 1].end, t.start).includes('\n')) endRun();
    run.push(i);
  });
  endRun();
  // Every use first, with where it is explained, so a short form inside a name that is spelled
  // out ("HM" in "HM Prison and Probation Service (HMPPS)") is part of that name, not a use.
  const uses: { start: number; piece: string; short: string; longForm: Range | null }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.capitals < 2 || shouting.has(i)) continue;
    const pieces = t.dotted ? [t.text] : t.text.split(/[-\u2010\u2011]/);
    let start = t.start;
    for (const piece of pieces) {
      const short = shortFormOf(piece);
      if (short && !WELL_KNOWN_SHORT_FORMS.has(short) && !glossary.has(short.toLowerCase())) {
        uses.push({ start, piece, short, longForm: pieces.length === 1 ? explainedHere(text, tokens, i, short) : null });
      }
      start += piece.length + 1;
    }
  }
  const names = uses.flatMap((u) => (u.longForm ? [u.longForm] : []));
  longForms.push(...names);
  for (const { start, piece, short, longForm } of uses) {
    if (state.explained.has(short) || names.some((r) => start >= r.start && start < r.end)) continue;
    if (longForm) {
      state.explained.add(short);
      const pending = state.flagged.get(short);
      if (pending) {
        pending.explainedLater = true;
        pending.message = shortFormMessage(short, true);
      }
      continue;
    }
    if (state.flagged.has(short)) continue;
    const finding: UnexplainedShortForm = {
      kind: 'acronym',
      part,
      start,
      end: start + piece.length,
      text: piece,
      acronym: short,
      explainedLater: false,
      message: shortFormMessage(short, false)
    };
    state.flagged.set(short, finding);
    out.push(finding);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The check.

/**
 * Check a text, or several read in order (a question, then its context): figures over all of
 * them, findings with the part they are in. A short form explained in the question need not be
 * explained again in the context.
 */
export function checkPlainLanguage(text: string | readonly string[], options: PlainLanguageOptions = {}): PlainLanguageReport {
  const parts = typeof text === 'string' ? [text] : text;
  const glossary = new Set((options.glossary ?? []).map((g) => g.trim().toLowerCase()));
  const shortForms: ShortFormState = { explained: new Set(), flagged: new Map() };
  let words = 0;
  let sentences = 0;
  let syllables = 0;
  const longSentences: LongSentence[] = [];
  const jargon: JargonUse[] = [];
  const acronyms: UnexplainedShortForm[] = [];

  parts.forEach((value, part) => {
    const tokens = tokenise(value);
    words += tokens.length;
    for (const t of tokens) syllables += countSyllables(t.text);
    for (const s of sentencesOf(value, tokens)) {
      sentences++;
      const count = s.last - s.first + 1;
      if (count > LONG_SENTENCE_WORDS) {
        longSentences.push({
          kind: 'long-sentence',
          part,
          start: s.start,
          end: s.end,
          words: count,
          message: `This sentence has ${count} words. Try to keep sentences to ${LONG_SENTENCE_WORDS} words or fewer.`
        });
      }
    }
    // The words a short form stands for are a name ("Integrated Care Board (ICB)"): once it is
    // spelled out, its words are not jargon to be swapped.
    const longForms: Range[] = [];
    acronyms.push(...findShortForms(value, tokens, part, shortForms, glossary, longForms));
    const inName = (j: JargonUse) => longForms.some((r) => j.start >= r.start && j.end <= r.end);
    jargon.push(...findJargon(value, piecesOf(tokens), part, glossary).filter((j) => !inName(j)));
  });

  const readingEase = words ? fleschReadingEase(words, sentences, syllables) : null;
  const grade = words ? fleschKincaidGrade(words, sentences, syllables) : null;
  const findings = [...longSentences, ...jargon, ...acronyms].sort((a, b) => a.part - b.part || a.start - b.start || b.end - a.end);
  return {
    words,
    sentences,
    syllables,
    readingEase,
    grade,
    readingAge: grade === null ? null : readingAgeFromGrade(grade),
    longSentences,
    jargon,
    acronyms,
    findings,
    plain: findings.length === 0 && readingEase !== null && readingEase >= PLAIN_READING_EASE
  };
}

// ---------------------------------------------------------------------------------------------
// In words, for the page.

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export { readingAgeWords };

/** The jargon terms used, each once, in the order they first appear. */
function distinctJargon(report: PlainLanguageReport): JargonUse[] {
  const seen = new Set<string>();
  return report.jargon.filter((j) => !seen.has(j.term) && seen.add(j.term));
}

/**
 * One short paragraph for a polite live region: "Reading age about 14. 1 long sentence. 2 words
 * you could say more plainly." Empty for a text with no words.
 */
export function plainLanguageSummary(report: PlainLanguageReport): string {
  if (report.readingAge === null) return '';
  const out = [`${readingAgeWords(report.readingAge)}.`];
  if (report.longSentences.length) out.push(`${count(report.longSentences.length, 'long sentence', 'long sentences')}.`);
  const terms = distinctJargon(report).length;
  if (terms) out.push(`${count(terms, 'word', 'words')} you could say more plainly.`);
  if (report.acronyms.length) out.push(`${count(report.acronyms.length, 'short form', 'short forms')} to explain.`);
  if (report.plain) out.push('This reads plainly.');
  else if (report.findings.length === 0) out.push('Shorter words and sentences would make it easier to read.');
  return out.join(' ');
}

/** The advice, one line per thing to change: each long sentence, each term once, each short form. */
export function plainLanguageAdvice(report: PlainLanguageReport): PlainFinding[] {
  const terms = new Set(distinctJargon(report));
  return report.findings.filter((f) => f.kind !== 'jargon' || terms.has(f));
}
