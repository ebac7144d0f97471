// The workshop's question as prepared before the session: its plain words check as the server
// keeps it (QuestionCheck), and that check in words for the facilitator and the decision maker.
// No dependencies at run time (only a type from plain-language.ts), so the board's first chunk
// can show a check without the syllable counter; the check itself is question-check.ts.
import type { PlainLanguageReport } from './plain-language';
import type { GlossaryEntry } from './glossary';

/**
 * The plain words check of a question and its background, with the workshop's glossary counted
 * as explaining its terms: what the server stores with the question, and every page shows alike.
 */
export interface QuestionCheck {
  /** UK reading age (Flesch-Kincaid grade + 5), to one decimal; null with no words. */
  readingAge: number | null;
  /** Flesch reading ease, to one decimal; null with no words. */
  readingEase: number | null;
  words: number;
  longSentences: number;
  /** Words from the jargon list, each counted once. */
  jargon: number;
  /** Short forms not explained the first time they are used (nor in the glossary). */
  acronyms: number;
  /** Nothing flagged and a reading ease of 60 or more. */
  plain: boolean;
  /** When the server checked it (ms since epoch). */
  checkedAt: number;
}

/** What everyone in a workshop is sent about its question (the `question` event, and the API). */
export interface QuestionInfo {
  question: string;
  /** The background, in plain words; empty when there is none. */
  context: string;
  /** In alphabetical order of their terms. */
  glossary: GlossaryEntry[];
  /** The server's check of the question and background as saved; null for a workshop made before it. */
  check: QuestionCheck | null;
}

const oneDecimal = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** A report of the plain words helper, as the server keeps it. */
export function summariseReport(report: PlainLanguageReport, checkedAt: number): QuestionCheck {
  return {
    readingAge: oneDecimal(report.readingAge),
    readingEase: oneDecimal(report.readingEase),
    words: report.words,
    longSentences: report.longSentences.length,
    jargon: new Set(report.jargon.map((j) => j.term)).size,
    acronyms: report.acronyms.length,
    plain: report.plain,
    checkedAt
  };
}

/** "Reading age about 14": below 6 the grade describes no school year, so it is "6 or under". */
export function readingAgeWords(age: number): string {
  const rounded = Math.round(age);
  return rounded <= 6 ? 'Reading age 6 or under' : `Reading age about ${rounded}`;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The check in one line: "Reading age about 9. Reading ease 78 (60 or more reads plainly).
 * 1 short form to explain." The same words wherever the score is shown.
 */
export function checkWords(check: Omit<QuestionCheck, 'checkedAt'>): string {
  if (check.readingAge === null || check.readingEase === null) return 'There are no words to check yet.';
  const out = [`${readingAgeWords(check.readingAge)}.`, `Reading ease ${Math.round(check.readingEase)} (60 or more reads plainly).`];
  if (check.longSentences) out.push(`${count(check.longSentences, 'long sentence', 'long sentences')}.`);
  if (check.jargon) out.push(`${count(check.jargon, 'word', 'words')} you could say more plainly.`);
  if (check.acronyms) out.push(`${count(check.acronyms, 'short form', 'short forms')} to explain.`);
  out.push(check.plain ? 'This reads plainly.' : 'It could be plainer.');
  return out.join(' ');
}
