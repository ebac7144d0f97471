// Themes and key points in the board document: the rules of the schema (src/lib/board).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, getCard, readLanes, restoreCard, snapshotCard, deleteCard } from '../../src/lib/board/schema';
import {
  addTheme,
  cardsByTheme,
  deleteTheme,
  getTheme,
  groupByTheme,
  mergeThemes,
  placesInLists,
  readThemes,
  renameTheme,
  setCardTheme,
  setThemeCollapsed,
  themeOfCard,
  ungroupTheme,
  THEME_NAME_MAX
} from '../../src/lib/board/themes';
import { addKeyPoint, moveKeyPoint, readKeyPoints, setKeyPointSource, deleteKeyPoint } from '../../src/lib/board/keypoints';

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('themes', () => {
  it('group cards, which keep their lane and are in at most one theme', () => {
    const doc = new Y.Doc();
    const c1 = addCard(doc, 'problems', 'No bus after 6');
    const c2 = addCard(doc, 'solutions', 'Evening minibus');
    const t1 = addTheme(doc, 'Getting there');
    const t2 = addTheme(doc, 'Money');
    expect(setCardTheme(doc, c1, t1)).toBe(true);
    expect(setCardTheme(doc, c2, t1)).toBe(true);
    expect(setCardTheme(doc, c2, t2)).toBe(true); // moves, never in two
    expect(getCard(doc, c2)?.lane).toBe('solutions');
    const byTheme = cardsByTheme(doc);
    expect(byTheme.get(t1)?.map((c) => c.id)).toEqual([c1]);
    expect(byTheme.get(t2)?.map((c) => c.id)).toEqual([c2]);
    expect(setCardTheme(doc, c1, 'no-such-theme')).toBe(false);
    expect(setCardTheme(doc, c1, null)).toBe(true);
    expect(
      cardsByTheme(doc)
        .get(null)
        ?.map((c) => c.id)
    ).toEqual([c1]);
  });

  it('the board page groups the cards it has read as the document does, and knows each card’s place in its list', () => {
    const doc = new Y.Doc();
    const t1 = addTheme(doc, 'Getting there');
    const t2 = addTheme(doc, 'Money');
    const ids = ['problems', 'solutions', 'problems', 'questions', 'problems'].map((lane, i) =>
      addCard(doc, lane as 'problems', `card ${i}`)
    );
    setCardTheme(doc, ids[0], t1);
    setCardTheme(doc, ids[2], t1);
    setCardTheme(doc, ids[3], t2);
    setCardTheme(doc, ids[4], t2);
    deleteTheme(doc, t2); // its cards are in no theme now
    const lanes = readLanes(doc);
    const all = Object.values(lanes).flat();
    const known = new Set(readThemes(doc).map((t) => t.id));
    const grouped = groupByTheme(all, known);
    const fromDoc = cardsByTheme(doc);
    for (const key of [t1, null]) expect(grouped.get(key)?.map((c) => c.id)).toEqual(fromDoc.get(key)?.map((c) => c.id));
    expect(grouped.has(t2)).toBe(false);
    const places = placesInLists(lanes);
    expect([ids[0], ids[2], ids[4], ids[1], ids[3]].map((id) => places.get(id))).toEqual([0, 1, 2, 0, 0]);
  });

  it('rename, collapse, merge (all cards kept), ungroup and delete (cards stay)', () => {
    const doc = new Y.Doc();
    const a = addTheme(doc, 'Housing');
    const b = addTheme(doc, 'Homes');
    const cards = [addCard(doc, 'problems', 'x'), addCard(doc, 'problems', 'y'), addCard(doc, 'questions', 'z')];
    setCardTheme(doc, cards[0], a);
    setCardTheme(doc, cards[1], b);
    setCardTheme(doc, cards[2], b);
    expect(renameTheme(doc, a, '  Somewhere   to live ')).toBe(true);
    expect(getTheme(doc, a)?.name).toBe('Somewhere to live');
    expect(renameTheme(doc, a, '   ')).toBe(false);
    setThemeCollapsed(doc, a, true);
    expect(getTheme(doc, a)?.collapsed).toBe(true);
    expect(mergeThemes(doc, b, a)).toBe(true);
    expect(readThemes(doc).map((t) => t.id)).toEqual([a]);
    expect(cardsByTheme(doc).get(a)?.length).toBe(3);
    expect(ungroupTheme(doc, a)).toBe(3);
    expect(getTheme(doc, a)).not.toBeNull();
    setCardTheme(doc, cards[0], a);
    expect(deleteTheme(doc, a)).toBe(true);
    expect(readThemes(doc)).toEqual([]);
    expect(Object.values(readLanes(doc)).flat()).toHaveLength(3); // cards stay
    expect(getCard(doc, cards[0])?.theme).toBeNull();
  });

  it("reads a card whose theme is gone (deleted elsewhere) as in no theme, and keeps a card's theme through hide and restore", () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const t = addTheme(a, 'Trust');
    const c = addCard(a, 'problems', 'They never call back');
    setCardTheme(a, c, t);
    sync(a, b);
    deleteTheme(b, t);
    addCard(a, 'problems', 'another'); // concurrent
    sync(a, b);
    expect(themeOfCard(a, getCard(a, c)!)).toBeNull();

    const doc = new Y.Doc();
    const t2 = addTheme(doc, 'Kept');
    const id = addCard(doc, 'solutions', 'Peer coaches');
    setCardTheme(doc, id, t2);
    const snap = snapshotCard(doc, id)!;
    deleteCard(doc, id);
    restoreCard(doc, id, snap);
    expect(getCard(doc, id)?.theme).toBe(t2);
  });

  it('keeps theme names short and skips malformed themes', () => {
    const doc = new Y.Doc();
    const id = addTheme(doc, 'x'.repeat(500));
    expect(getTheme(doc, id)?.name).toHaveLength(THEME_NAME_MAX);
    const bad = new Y.Map<unknown>();
    bad.set('name', 42);
    doc.getMap('themes').set('bad', bad);
    expect(readThemes(doc).map((t) => t.id)).toEqual([id]);
  });
});

describe('key points', () => {
  it('keep an order, their words and their sources, and merge concurrent edits', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const k1 = addKeyPoint(a, 'Buses after 6pm', ['c1', 'theme:t1']);
    const k2 = addKeyPoint(a, 'Peer coaches at the drop-in', ['c2']);
    sync(a, b);
    moveKeyPoint(b, k2, 0);
    readKeyPoints(a)[0].text.insert(0, 'More ');
    sync(a, b);
    expect(readKeyPoints(a).map((k) => k.id)).toEqual([k2, k1]);
    expect(
      readKeyPoints(b)
        .find((k) => k.id === k1)
        ?.text.toString()
    ).toBe('More Buses after 6pm');
    setKeyPointSource(a, k1, 'c3', true);
    setKeyPointSource(a, k1, 'c1', false);
    setKeyPointSource(a, k1, 'c3', true); // no duplicates
    expect(readKeyPoints(a).find((k) => k.id === k1)?.sources).toEqual(['theme:t1', 'c3']);
    expect(deleteKeyPoint(a, k2)).toBe(true);
    expect(readKeyPoints(a).map((k) => k.id)).toEqual([k1]);
  });
});
