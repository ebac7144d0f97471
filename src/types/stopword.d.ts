// stopword 3 ships no types; the part we use.
declare module 'stopword' {
  /** English stop words ("the", "and", "of"...). */
  export const eng: string[];
  export function removeStopwords(tokens: string[], stopwords?: string[]): string[];
}
