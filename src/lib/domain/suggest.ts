// "Suggest groups": cards that share key words, proposed as themes for the facilitator to accept
// or ignore. Computed where it is asked for (the facilitator's browser); nothing is sent anywhere.
// Words are lower-cased, stop words ("the", "and") and very short words dropped, and the rest
// stemmed (Porter: "buses" and "bus", "waiting" and "wait" meet), so a key word is a stem.
import { stemmer } from 'stemmer';
import { eng } from 'stopword';

const STOP = new Set([
  ...eng,
  'also',
  'get',
  'got',
  'just',
  'like',
  'make',
  'much',
  'need',
  'really',
  'still',
  'thing',
  'things',
  'want',
  'way'
]);

export interface SuggestedGroup {
  /** A name for the theme: the shared word as people wrote it most often. */
  name: string;
  cardIds: string[];
}

/** English plurals the Porter stemmer keeps apart ("buses" and "bus"), made singular first. */
function singular(word: string): string {
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(s|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/[^aeiou]ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s') && word.length > 3) return word.slice(0, -1);
  return word;
}

/** The key words of a text: stems of its words that are not stop words, each once. */
export function keyWords(text: string): Map<string, string> {
  const out = new Map<string, string>(); // stem -> the word as written
  for (const raw of text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []) {
    const word = raw.replace(/^'+|'+$/g, '').replace(/'s$/, '');
    if (word.length < 3 || STOP.has(word) || /^\d+$/.test(word)) continue;
    const stem = stemmer(singular(word));
    if (!out.has(stem)) out.set(stem, word);
  }
  return out;
}

/**
 * Groups of at least `minCards` cards that share a key word, largest first; each card is in at
 * most one suggestion (the largest group it can join), and a word shared by most cards says
 * nothing (`maxShare` of them, e.g. the question's own words) so it is left out.
 */
export function suggestGroups(
  cards: { id: string; text: string }[],
  options: { minCards?: number; maxShare?: number; most?: number } = {}
): SuggestedGroup[] {
  const minCards = options.minCards ?? 2;
  const maxShare = options.maxShare ?? 0.6;
  const byStem = new Map<string, { cardIds: string[]; words: Map<string, number> }>();
  for (const card of cards) {
    for (const [stem, word] of keyWords(card.text)) {
      let entry = byStem.get(stem);
      if (!entry) byStem.set(stem, (entry = { cardIds: [], words: new Map() }));
      entry.cardIds.push(card.id);
      entry.words.set(word, (entry.words.get(word) ?? 0) + 1);
    }
  }
  const limit = Math.max(minCards, Math.floor(cards.length * maxShare));
  const candidates = [...byStem.entries()]
    .filter(([, e]) => e.cardIds.length >= minCards && (cards.length < 4 || e.cardIds.length <= limit))
    .sort((a, b) => b[1].cardIds.length - a[1].cardIds.length || (a[0] < b[0] ? -1 : 1));
  const taken = new Set<string>();
  const groups: SuggestedGroup[] = [];
  for (const [, e] of candidates) {
    const free = e.cardIds.filter((id) => !taken.has(id));
    if (free.length < minCards) continue;
    for (const id of free) taken.add(id);
    const name = [...e.words.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
    groups.push({ name: name.charAt(0).toUpperCase() + name.slice(1), cardIds: free });
    if (groups.length >= (options.most ?? 12)) break;
  }
  return groups;
}
