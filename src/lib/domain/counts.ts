// The GOV.UK character count: say how many characters are left, or how many too many, instead of
// cutting what people type (or paste) without a word. Pure: the page and the server share it.

export interface CharacterCount {
  /** Worth showing: at 75 % of the limit or more (GOV.UK's threshold). */
  near: boolean;
  over: boolean;
  message: string;
}

export function characterCount(length: number, max: number, threshold = 0.75): CharacterCount {
  const left = max - length;
  const over = left < 0;
  const n = Math.abs(left);
  const chars = n === 1 ? 'character' : 'characters';
  return {
    near: length >= max * threshold,
    over,
    message: over ? `You have ${n} ${chars} too many` : `You have ${n} ${chars} remaining`
  };
}
