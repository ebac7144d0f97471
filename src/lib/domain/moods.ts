// The moods a check-in offers: each face with its word, so the word is there even where a phone's
// font has no picture for the face. The faces are from Unicode 6 (2010), which older phones and
// Debian's fonts draw: 🙂 (Unicode 7) showed as an empty box, so "Good" is 😊 now.
export const MOODS = [
  { emoji: '😀', word: 'Very good' },
  { emoji: '😊', word: 'Good' },
  { emoji: '😐', word: 'So-so' },
  { emoji: '😟', word: 'Not good' },
  { emoji: '😴', word: 'Tired' }
] as const;

// Answers given before the change keep their word.
const WORDS = new Map<string, string>([...MOODS.map((m): [string, string] => [m.emoji, m.word]), ['🙂', 'Good']]);

/** The word for a face, or null for one the page does not offer (sent by another client). */
export function moodWord(emoji: string): string | null {
  return WORDS.get(emoji) ?? null;
}
