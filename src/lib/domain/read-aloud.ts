// Read aloud: what the page says, part by part. A text is read sentence by sentence (the sentences
// of sentences.ts, as the plain-language helper counts them), and the page shows the part being
// said. A sentence longer than MAX_PART_WORDS is said in pieces, cut after a comma, semicolon,
// colon or dash where it has one: a long part is hard to follow on a small screen, and some
// browsers stop speaking an utterance after about 15 seconds. Pure.
import { splitSentences, tokenise } from './sentences';

/** Words in one part at most: about ten seconds of speech. */
export const MAX_PART_WORDS = 30;

/** Something to read: a card, a key point, the question, a paragraph of a page. */
export interface ReadItem {
  /** Said first and shown with the item's first part: "Problem 2 of 5". */
  label?: string;
  text: string;
}

/** One part, said as one utterance and shown while it is said. */
export interface ReadPart {
  /** The item's label, on its first part only. */
  label?: string;
  text: string;
}

/** The words a part is spoken as: its label, then its text. */
export function spokenText(part: ReadPart): string {
  return part.label ? `${part.label}. ${part.text}` : part.text;
}

/** A sentence in pieces of at most `maxWords` words, cut at its clauses where it has them. */
export function piecesOfSentence(sentence: string, maxWords = MAX_PART_WORDS): string[] {
  const tokens = tokenise(sentence);
  const n = tokens.length;
  if (n <= maxWords) return [sentence];
  // Ranges of tokens [from, to): first the clauses, then any clause too long on its own in
  // pieces of maxWords, then neighbours joined again while they fit.
  const clauses: [number, number][] = [];
  let from = 0;
  for (let i = 1; i < n; i++) {
    if (/[,;:\u2013\u2014]|\s-\s/.test(sentence.slice(tokens[i - 1].end, tokens[i].start))) {
      clauses.push([from, i]);
      from = i;
    }
  }
  clauses.push([from, n]);
  const short: [number, number][] = [];
  for (const [a, b] of clauses) for (let k = a; k < b; k += maxWords) short.push([k, Math.min(b, k + maxWords)]);
  const joined: [number, number][] = [];
  for (const range of short) {
    const last = joined.at(-1);
    if (last && range[1] - last[0] <= maxWords) last[1] = range[1];
    else joined.push([...range]);
  }
  return joined.map(([a, b]) => sentence.slice(a === 0 ? 0 : tokens[a].start, b === n ? sentence.length : tokens[b].start).trim());
}

/** Everything to say, in order: each item's sentences (in pieces where long); items without words are left out. */
export function readAloudParts(items: readonly ReadItem[], maxWords = MAX_PART_WORDS): ReadPart[] {
  const out: ReadPart[] = [];
  for (const item of items) {
    const pieces = splitSentences(item.text).flatMap((s) => piecesOfSentence(s.text, maxWords));
    pieces.forEach((text, i) => out.push(i === 0 && item.label ? { label: item.label, text } : { text }));
  }
  return out;
}
