// Read aloud's parts: a text said sentence by sentence (the plain-language helper's sentences),
// long sentences in pieces at their clauses, items with their labels, nothing for a text without words.
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/lib/domain/sentences';
import { MAX_PART_WORDS, piecesOfSentence, readAloudParts, spokenText } from '../../src/lib/domain/read-aloud';

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

describe('sentences', () => {
  it('a text is split where its sentences end, each with its closing punctuation', () => {
    expect(splitSentences('Letters come late. Who decides? Nobody knows!').map((s) => s.text)).toEqual([
      'Letters come late.',
      'Who decides?',
      'Nobody knows!'
    ]);
  });

  it('titles, "e.g." and numbers do not end a sentence', () => {
    expect(splitSentences('Dr. Patel met us at 10.30 in room No. 5, e.g. on Monday. Then we left.').map((s) => s.text)).toEqual([
      'Dr. Patel met us at 10.30 in room No. 5, e.g. on Monday.',
      'Then we left.'
    ]);
  });

  it('a line break ends a sentence, and quotes and brackets stay with theirs', () => {
    expect(splitSentences('What we heard\n“It was hard.” (Then it got better.)').map((s) => s.text)).toEqual([
      'What we heard',
      'It was hard.”',
      'Then it got better.)'
    ]);
  });

  it('positions point at the words', () => {
    const text = '  First one.   Second one.';
    for (const s of splitSentences(text)) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('a text without words has no sentences', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('   \n ')).toEqual([]);
    expect(splitSentences('👍 🎉')).toEqual([]);
  });
});

describe('long sentences are said in pieces', () => {
  it('a sentence of up to 30 words is one part', () => {
    const sentence = `${'word '.repeat(MAX_PART_WORDS - 1)}end.`;
    expect(piecesOfSentence(sentence)).toEqual([sentence]);
  });

  it('a longer one is cut after its commas and semicolons, joined back while the pieces fit', () => {
    const a = 'When people leave prison they often have nowhere to live';
    const b = 'no money for the first weeks';
    const c = 'and appointments they cannot reach because the bus does not run early enough';
    const d = 'so they miss them and are sent back to prison';
    const sentence = `${a}, ${b}; ${c}, ${d}.`;
    const pieces = piecesOfSentence(sentence, 20);
    expect(pieces).toEqual([`${a}, ${b};`, `${c},`, `${d}.`]);
    expect(pieces.join(' ')).toBe(sentence);
    for (const p of pieces) expect(words(p)).toBeLessThanOrEqual(20);
  });

  it('a long run without a comma is cut every 30 words, and nothing is lost', () => {
    const sentence = `${Array.from({ length: 75 }, (_, i) => `w${i}`).join(' ')}.`;
    const pieces = piecesOfSentence(sentence);
    expect(pieces.map(words)).toEqual([30, 30, 15]);
    expect(pieces.join(' ')).toBe(sentence);
  });
});

describe('what is read', () => {
  it('items are read in order, sentence by sentence, each label with its first part only', () => {
    const parts = readAloudParts([
      { label: 'Problem 1 of 2', text: 'Letters come late. They are hard to read.' },
      { label: 'Problem 2 of 2', text: '' },
      { text: 'Buses stop at six.' }
    ]);
    expect(parts).toEqual([
      { label: 'Problem 1 of 2', text: 'Letters come late.' },
      { text: 'They are hard to read.' },
      { text: 'Buses stop at six.' }
    ]);
    expect(parts.map(spokenText)).toEqual(['Problem 1 of 2. Letters come late.', 'They are hard to read.', 'Buses stop at six.']);
  });

  it('nothing to read gives no parts', () => {
    expect(readAloudParts([])).toEqual([]);
    expect(readAloudParts([{ label: 'Question 1 of 1', text: '  ' }])).toEqual([]);
  });
});
