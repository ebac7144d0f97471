import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, boardToJSON, cardsOf, deleteCard, getCard, moveCard, orderBetween, readLanes } from '../../src/lib/board/schema';

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('board schema', () => {
  it('adds cards at the end of a lane in order', () => {
    const doc = new Y.Doc();
    addCard(doc, 'questions', 'one');
    addCard(doc, 'questions', 'two');
    addCard(doc, 'solutions', 'idea');
    expect(boardToJSON(doc).questions.map((c) => c.text)).toEqual(['one', 'two']);
    expect(boardToJSON(doc).solutions.map((c) => c.text)).toEqual(['idea']);
    expect(boardToJSON(doc).problems).toEqual([]);
  });

  it('moves a card within a lane and to another lane', () => {
    const doc = new Y.Doc();
    const a = addCard(doc, 'problems', 'a');
    addCard(doc, 'problems', 'b');
    const c = addCard(doc, 'problems', 'c');
    moveCard(doc, c, 'problems', 0);
    expect(boardToJSON(doc).problems.map((x) => x.text)).toEqual(['c', 'a', 'b']);
    moveCard(doc, a, 'solutions', 0);
    expect(boardToJSON(doc).problems.map((x) => x.text)).toEqual(['c', 'b']);
    expect(boardToJSON(doc).solutions.map((x) => x.text)).toEqual(['a']);
    expect(moveCard(doc, 'missing', 'solutions', 0)).toBe(false);
  });

  it('deletes a card', () => {
    const doc = new Y.Doc();
    const id = addCard(doc, 'questions', 'gone soon');
    expect(deleteCard(doc, id)).toBe(true);
    expect(getCard(doc, id)).toBeNull();
    expect(deleteCard(doc, id)).toBe(false);
  });

  it('keeps both cards when two people add at the same place at the same time', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    addCard(a, 'questions', 'first');
    sync(a, b);
    addCard(a, 'questions', 'from a');
    addCard(b, 'questions', 'from b');
    sync(a, b);
    expect(boardToJSON(a)).toEqual(boardToJSON(b));
    expect(
      boardToJSON(a)
        .questions.map((c) => c.text)
        .sort()
    ).toEqual(['first', 'from a', 'from b']);
    // Inserting between the two equal-keyed cards still works.
    const lanes = readLanes(a).questions;
    expect(() => moveCard(a, lanes[0].id, 'questions', 2)).not.toThrow();
  });

  it('skips malformed cards written by a broken or hostile client', () => {
    const doc = new Y.Doc();
    addCard(doc, 'questions', 'good');
    const cards = cardsOf(doc);
    const bad = new Y.Map<unknown>();
    bad.set('lane', 'nonsense');
    bad.set('order', 'a0');
    bad.set('text', new Y.Text('x'));
    cards.set('bad1', bad);
    const bad2 = new Y.Map<unknown>();
    bad2.set('lane', 'questions');
    bad2.set('order', '<script>');
    bad2.set('text', 'not a Y.Text');
    cards.set('bad2', bad2);
    doc.getMap<unknown>('cards').set('bad3', 42);
    expect(boardToJSON(doc).questions.map((c) => c.text)).toEqual(['good']);
  });

  it('orders keys between neighbours, tolerating equal keys', () => {
    const k = orderBetween(null, null);
    const after = orderBetween(k, null);
    expect(after > k).toBe(true);
    const mid = orderBetween(k, after);
    expect(mid > k && mid < after).toBe(true);
    expect(orderBetween(k, k) > k).toBe(true);
  });
});
