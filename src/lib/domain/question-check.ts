// The plain words check of a workshop's question and background, with its glossary: one function
// for the server (which stores the score with the question) and the preparation page (which shows
// it as people type), so both give the same answer.
import { checkPlainLanguage, type PlainLanguageReport } from './plain-language';
import { summariseReport, type QuestionCheck } from './question';

/** The helper's full report: the question, then its background, with the glossary's terms explained. */
export function questionReport(question: string, context: string, glossaryTerms: readonly string[]): PlainLanguageReport {
  return checkPlainLanguage(context ? [question, context] : [question], { glossary: glossaryTerms });
}

/** The check as the server keeps it. */
export function checkTheQuestion(question: string, context: string, glossaryTerms: readonly string[], at: number): QuestionCheck {
  return summariseReport(questionReport(question, context, glossaryTerms), at);
}
