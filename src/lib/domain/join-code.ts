// Short join codes: easy to read aloud and type. No 0/O, 1/I/L or U/V look-alikes. People type
// what they see, so a code is read generously (readCode): any case, with spaces, dashes or dots,
// fullwidth, and in letters and digits of other scripts that look like the ones codes use (a
// Cyrillic С, an Arabic-Indic ٣). What cannot be a code is refused with words that say what codes
// look like.
import { latinLookAlikes } from './names';

export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTWXYZ23456789';
export const CODE_LENGTH = 6;
/** Letters and digits codes never use, in the order the messages name them. */
export const NEVER_USED = '01ILOUV';

const EXAMPLE = 'ABC 234';

export const CODE_MESSAGES = {
  empty: `Enter the code from the screen. It has ${CODE_LENGTH} letters and numbers, like ${EXAMPLE}`,
  length: (typed: number) => `A code has ${CODE_LENGTH} letters and numbers, like ${EXAMPLE}. You typed ${typed}`,
  notLetters: `A code has only letters and numbers, like ${EXAMPLE}. Check the code on the screen`,
  neverUsed: (found: string[]) =>
    `Codes never use ${listed(found)}. Check the code on the screen: it has ${CODE_LENGTH} letters and numbers, like ${EXAMPLE}, and never 0, 1, I, L, O, U or V`,
  unknown: `No workshop has that code. Check the code on the screen and try again. Codes look like ${EXAMPLE}`
};

function listed(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Spaces, dashes of every kind, dots, underscores, slashes and invisible characters: not part of a code. */
const SEPARATOR = /[\s\p{Pd}\p{Cf}._·•,/\\]/gu;
const DIGIT = /\p{Nd}/u;

/**
 * A decimal digit of any script as 0-9. Unicode keeps each script's digits in runs of ten, 0 to 9
 * (some runs follow one another), so a digit's value is its distance from the run's start.
 */
function asciiDigit(c: string): string {
  const cp = c.codePointAt(0)!;
  let start = cp;
  while (start > 0 && DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return String((cp - start) % 10);
}

/**
 * What someone typed, as the code it stands for: NFKC (fullwidth and styled characters become
 * plain), separators removed, digits of other scripts as 0-9, upper case, and letters of other
 * scripts that pass for Latin ones (names.ts's look-alikes) as those. Not checked: see readCode.
 */
export function normaliseCode(input: string): string {
  const plain = input
    .normalize('NFKC')
    .replace(SEPARATOR, '')
    .replace(/\p{Nd}/gu, (d) => (/[0-9]/.test(d) ? d : asciiDigit(d)))
    .toUpperCase();
  return latinLookAlikes(plain).toUpperCase();
}

export function isWellFormedCode(code: string): boolean {
  if (code.length !== CODE_LENGTH) return false;
  for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return false;
  return true;
}

export type ReadCode = { ok: true; code: string } | { ok: false; message: string };

/** A typed code as the code it stands for, or what is wrong with it in plain words. */
export function readCode(input: unknown): ReadCode {
  const code = typeof input === 'string' ? normaliseCode(input) : '';
  const chars = [...code];
  if (chars.length === 0) return { ok: false, message: CODE_MESSAGES.empty };
  if (chars.some((c) => !/^[A-Z0-9]$/.test(c))) return { ok: false, message: CODE_MESSAGES.notLetters };
  const never = [...NEVER_USED].filter((c) => chars.includes(c));
  if (never.length) return { ok: false, message: CODE_MESSAGES.neverUsed(never) };
  if (chars.length !== CODE_LENGTH) return { ok: false, message: CODE_MESSAGES.length(chars.length) };
  return { ok: true, code };
}

/** "ABC234" -> "ABC 234", how the code is shown and read aloud. */
export function formatCode(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`;
}
