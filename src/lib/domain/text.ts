// Cleaning and checking the short texts people type: titles, questions, names.
// Messages follow the GOV.UK pattern: say what to do, in plain words.

export const LIMITS = {
  title: 120,
  question: 500,
  /** The background to the question a decision maker writes before the session: a few short paragraphs. */
  context: 2000,
  name: 40,
  cardText: 2000,
  /** The facilitator's few words: a step's name, a check-in's question, why a card is hidden. */
  phaseTitle: 60,
  roundPrompt: 200,
  hideReason: 200,
  /** One person's answer to a check-in or check-out. */
  roundAnswer: 200,
  /** A word or short form in the workshop's glossary, and its plain explanation. */
  glossaryTerm: 60,
  glossaryExplanation: 300
} as const;

/** Trim, fold runs of spaces, and drop control characters (newlines kept only where asked). */
export function cleanText(value: string, keepNewlines = false): string {
  // Control characters are what this removes.
  // eslint-disable-next-line no-control-regex
  const noControls = value.replace(keepNewlines ? /[\u0000-\u0009\u000B-\u001F\u007F]/g : /[\u0000-\u001F\u007F]/g, ' ');
  return keepNewlines
    ? noControls
        .replace(/[ \t]+/g, ' ')
        .replace(/\n{3,}/g, '\n\n')
        .trim()
    : noControls.replace(/\s+/g, ' ').trim();
}

export type Checked = { ok: true; value: string } | { ok: false; message: string };

function check(raw: unknown, what: string, max: number, keepNewlines: boolean, emptyMessage: string): Checked {
  if (typeof raw !== 'string') return { ok: false, message: emptyMessage };
  const value = cleanText(raw, keepNewlines);
  if (value.length === 0) return { ok: false, message: emptyMessage };
  if (value.length > max) return { ok: false, message: `${what} must be ${max} characters or fewer` };
  return { ok: true, value };
}

export const checkTitle = (raw: unknown) => check(raw, 'Workshop title', LIMITS.title, false, 'Enter a title for the workshop');
export const checkQuestion = (raw: unknown) =>
  check(raw, 'The question', LIMITS.question, true, 'Enter the question the group will work on');
/** The background to the question: may be empty (a question can stand alone); paragraphs are kept. */
export function checkContext(raw: unknown): Checked {
  if (raw === undefined || raw === null) return { ok: true, value: '' };
  if (typeof raw !== 'string') return { ok: false, message: 'The background must be text' };
  const value = cleanText(raw, true);
  if (value.length > LIMITS.context) return { ok: false, message: `The background must be ${LIMITS.context} characters or fewer` };
  return { ok: true, value };
}
export const checkName = (raw: unknown) =>
  check(raw, 'Your name', LIMITS.name, false, 'Enter a name to show to the group. It can be a made-up name');
