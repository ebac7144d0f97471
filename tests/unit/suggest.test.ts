// "Suggest groups": key words, stemmed, stop words out; groups of cards sharing one.
import { describe, expect, it } from 'vitest';
import { keyWords, suggestGroups } from '../../src/lib/domain/suggest';

describe('suggest groups', () => {
  it('finds key words: lower case, stop words and short words out, stems', () => {
    expect([...keyWords('The buses are late and the bus stop is far').keys()].sort()).toEqual(['bu', 'far', 'late', 'stop'].sort());
    expect(keyWords("Waiting for the doctor's letters").get('wait')).toBe('waiting');
  });

  it('groups cards that share a key word, largest first, each card once', () => {
    const groups = suggestGroups([
      { id: 'a', text: 'Buses stop at 6pm' },
      { id: 'b', text: 'No bus on Sundays' },
      { id: 'c', text: 'The bus is too expensive' },
      { id: 'd', text: 'Letters arrive late' },
      { id: 'e', text: 'Appointment letters get lost' },
      { id: 'f', text: 'Nobody answers the phone' }
    ]);
    expect(groups).toEqual([
      { name: 'Bus', cardIds: ['a', 'b', 'c'] },
      { name: 'Letters', cardIds: ['d', 'e'] }
    ]);
  });

  it('leaves out a word nearly every card shares, and suggests nothing for too few cards', () => {
    const cards = ['Housing costs', 'Housing waits', 'Housing officers', 'Housing letters', 'Housing forms'].map((text, i) => ({
      id: `c${i}`,
      text
    }));
    expect(suggestGroups(cards).map((g) => g.name)).not.toContain('Housing');
    expect(suggestGroups([{ id: 'x', text: 'only one card' }])).toEqual([]);
  });
});
