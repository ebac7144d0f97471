// Short join codes: easy to read aloud and type. No 0/O, 1/I/L or U/V look-alikes;
// people may type them in any case, with spaces or dashes.

export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTWXYZ23456789';
export const CODE_LENGTH = 6;

/** "abc 234" or "ABC-234" -> "ABC234". */
export function normaliseCode(input: string): string {
  return input.toUpperCase().replace(/[\s\-_.]/g, '');
}

export function isWellFormedCode(code: string): boolean {
  if (code.length !== CODE_LENGTH) return false;
  for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return false;
  return true;
}

/** "ABC234" -> "ABC 234", how the code is shown and read aloud. */
export function formatCode(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`;
}
