// The GOV.UK character count: say how many characters are left, or how many too many, instead of
// cutting what people type (or paste) without a word. Pure: the page and the server share it.

export interface CharacterCount {
  /** Worth showing: at 75 % of the limit or more (GOV.UK's threshold). */
  near: boolean;
  over: boolean;
  message: string;
}

const characters = (n: number) => (n === 1 ? 'character' : 'characters');

export function characterCount(length: number, max: number, threshold = 0.75): CharacterCount {
  const left = max - length;
  const over = left < 0;
  const n = Math.abs(left);
  return {
    near: length >= max * threshold,
    over,
    message: over ? `You have ${n} ${characters(n)} too many` : `You have ${n} ${characters(n)} remaining`
  };
}

/**
 * The limit in words, before anything is typed: shown under the field when the page has no
 * scripts (the count cannot follow the typing then), and the field's description for screen
 * readers when it has.
 */
export function limitDescription(max: number): string {
  return `You can enter up to ${max} ${characters(max)}`;
}
