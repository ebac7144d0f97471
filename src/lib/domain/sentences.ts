// Words and sentences, as the plain-language helper counts them and Read aloud says them: one set
// of rules, so a sentence the helper calls long is the sentence the page reads out. Pure: runs in
// the page and on the server alike.
//
// Positions are offsets into the text as given (UTF-16 code units, as String.slice and a
// textarea's selectionStart use).

// ---------------------------------------------------------------------------------------------
// Words.

export interface Token {
  start: number;
  end: number;
  text: string;
  lower: string;
  /** How many capital letters: most words have none or one, and need no short-form check. */
  capitals: number;
  dotted: boolean;
}

// A word: letters and digits, joined by an apostrophe (straight or curly), a hyphen (with the
// Unicode hyphens) or "&" ("L&D"); a full stop, comma or colon only between digits ("2,000",
// "3.5", "10:30"). Or a dotted abbreviation: "e.g.", "U.K.".
const WORD = /(?:\p{L}\.){2,}|[\p{L}\p{M}\p{N}]+(?:(?:['’\-\u2010\u2011&]|(?<=\p{N})[.,:](?=\p{N}))[\p{L}\p{M}\p{N}]+)*/gu;
export const DOTTED = /^(?:\p{L}\.){2,}$/u;

export function tokenise(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    const lower = word.toLowerCase();
    let capitals = 0;
    if (lower !== word) for (let i = 0; i < word.length; i++) if (word[i] !== lower[i]) capitals++;
    out.push({ start: m.index, end: m.index + word.length, text: word, lower, capitals, dotted: word.includes('.') && DOTTED.test(word) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sentences.

// A full stop after these is part of the word, not the end of a sentence ("Dr. Patel", "e.g. a GP").
const NEVER_ENDS = new Set(['mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'st', 'rev', 'cllr', 'eg', 'ie', 'e.g.', 'i.e.', 'cf', 'vs', 'approx']);
// And after these only before a number ("No. 5", "p. 12"): "The answer is no. We" still ends.
const BEFORE_A_NUMBER = new Set(['no', 'nos', 'fig', 'p', 'pp']);
// A full stop after these ends a sentence only when a capital letter follows ("and so on, etc. Then").
const MAY_END = new Set(['etc']);

const startsWithCapital = (token: Token | undefined) => token !== undefined && /^\p{Lu}/u.test(token.text);

/** Whether the gap between two words (the text between them) ends a sentence. */
function endsSentence(gap: string, before: Token, after: Token | undefined): boolean {
  if (gap.includes('\n')) return true; // a line break ends a sentence: a heading, a list item
  if (/[!?]/.test(gap)) return true;
  const word = before.lower;
  if (before.dotted) {
    // The abbreviation's own full stop may end a sentence too ("in the U.K. Then").
    if (!NEVER_ENDS.has(word) && /^\s/.test(gap) && startsWithCapital(after) && !/^[.…]/.test(gap)) return true;
  }
  const stop = gap.search(/[.…]/);
  if (stop < 0) return false;
  if (gap.startsWith('...', stop) || gap[stop] === '…') return startsWithCapital(after) || after === undefined;
  if (stop === 0 && NEVER_ENDS.has(word)) return false;
  if (stop === 0 && BEFORE_A_NUMBER.has(word) && after && /^\p{N}/u.test(after.text)) return false;
  if (stop === 0 && MAY_END.has(word)) return startsWithCapital(after) || after === undefined;
  return true;
}

export interface Sentence {
  start: number;
  end: number;
  first: number; // index of its first token
  last: number; // index of its last token
}

export function sentencesOf(text: string, tokens: readonly Token[]): Sentence[] {
  const out: Sentence[] = [];
  let first = 0;
  for (let i = 0; i < tokens.length; i++) {
    const next = tokens[i + 1];
    const gap = text.slice(tokens[i].end, next ? next.start : text.length);
    if (next && !endsSentence(gap, tokens[i], next)) continue;
    // The sentence runs to the end of its closing punctuation and quotes: what a highlight covers.
    const tail = /^[.!?…'"’”)\]]*/.exec(gap)?.[0].length ?? 0;
    out.push({ start: tokens[first].start, end: tokens[i].end + tail, first, last: i });
    first = i + 1;
  }
  return out;
}

/** A sentence of a text: where it is, and its words as written (with its closing punctuation). */
export interface SentenceText {
  start: number;
  end: number;
  text: string;
}

/** The sentences of a text, in order. A text with no words (only spaces, or only emoji) has none. */
export function splitSentences(text: string): SentenceText[] {
  return sentencesOf(text, tokenise(text)).map(({ start, end }) => ({ start, end, text: text.slice(start, end) }));
}
