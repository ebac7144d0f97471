// Reading a deleted card as it was (cardsRemovedIn): the server's room reads a card someone else
// deleted from the deleted items, before Yjs garbage-collects them. It must give exactly what
// snapshotCard would have given just before the deletion, whatever happened to the card first:
// typing, deleting words, moving, a theme set and taken off, edits made in the same change as the
// deletion, and several people's edits merged. A seeded fuzz compares the two on many histories.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  boundSnapshot,
  cardsOf,
  cardsRemovedIn,
  getCard,
  putBackCard,
  readLanes,
  snapshotCard,
  writeCard,
  type CardSnapshot
} from '../../src/lib/board/schema';
import { hiddenNotice, mayRestoreRemoved, quoteCard, removedByOf, removedNotice, REMOVED_RULES } from '../../src/lib/domain/removed';
import { addTheme, setCardTheme } from '../../src/lib/board/themes';

/** A server-like doc (garbage collection on) that records what cardsRemovedIn read in each transaction. */
function server() {
  const doc = new Y.Doc({ gc: true });
  cardsOf(doc); // the cards map exists before the first update, as in the room
  const removed: { id: string; snapshot: CardSnapshot }[][] = [];
  doc.on('afterTransaction', (tr: Y.Transaction) => removed.push(cardsRemovedIn(tr)));
  return { doc, removed };
}

function send(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'connection');
}

/** A small deterministic random source (mulberry32), so a failing history can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('reading a card someone deleted, as it was', () => {
  it('gives every field of the card as it was just before, not the words deleted earlier nor a theme taken off', () => {
    const { doc, removed } = server();
    const page = new Y.Doc();
    const theme = addTheme(page, 'Transport');
    const id = writeCard(page, { lane: 'problems', text: 'Buses stop at 6', createdAt: 5 });
    send(page, doc);
    const card = cardsOf(page).get(id)!;
    const text = card.get('text') as Y.Text;
    text.delete(0, 5);
    text.insert(0, 'Trains');
    setCardTheme(page, id, theme);
    card.set('lane', 'questions');
    card.set('mood', { calm: true });
    send(page, doc);
    const before = snapshotCard(doc, id);
    cardsOf(page).delete(id);
    removed.length = 0;
    send(page, doc);
    expect(removed.flat()).toEqual([{ id, snapshot: before }]);
    expect(before?.fields.text).toEqual({ kind: 'text', value: 'Trains stop at 6' });
    expect(before?.fields.theme).toEqual({ kind: 'json', value: theme });
  });

  it('gives the card as the board had it when the same change also edited it (the edit is not part of what was seen)', () => {
    const { doc, removed } = server();
    // A page that keeps deleted content (no garbage collection) sends the words it typed and
    // deleted in the same change as content, not as a gap: they must not count.
    const page = new Y.Doc({ gc: false });
    const id = writeCard(page, { lane: 'solutions', text: 'Evening slots' });
    send(page, doc);
    const before = snapshotCard(doc, id);
    page.transact(() => {
      (cardsOf(page).get(id)!.get('text') as Y.Text).insert(0, 'More ');
      cardsOf(page).get(id)!.set('lane', 'problems');
      cardsOf(page).delete(id);
    });
    removed.length = 0;
    send(page, doc);
    expect(removed.flat()).toEqual([{ id, snapshot: before }]);
  });

  it('leaves out a card written and deleted within one change, a replaced card, and a key that was never a card', () => {
    const { doc, removed } = server();
    const page = new Y.Doc();
    const kept = writeCard(page, { lane: 'questions', text: 'Stays' });
    const replaced = writeCard(page, { lane: 'questions', text: 'Old words' });
    cardsOf(page).set('junk', new Y.Map());
    send(page, doc);
    removed.length = 0;
    page.transact(() => {
      const brief = writeCard(page, { lane: 'questions', text: 'Gone at once' });
      cardsOf(page).delete(brief);
      writeCard(page, { lane: 'problems', text: 'New words', id: replaced });
      cardsOf(page).delete('junk');
    });
    send(page, doc);
    expect(removed.flat()).toEqual([]);
    expect(snapshotCard(doc, kept)).not.toBeNull();
  });

  it('matches snapshotCard on 300 random histories of typing, moving, themes and several people editing at once (one page keeping deleted content)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rand = random(seed);
      const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)];
      const { doc, removed } = server();
      const pages = [new Y.Doc(), new Y.Doc({ gc: false })];
      const theme = addTheme(pages[0], 'A theme');
      const ids = [0, 1, 2].map((i) =>
        writeCard(pages[0], { lane: pick(['questions', 'problems', 'solutions'] as const), text: `card ${i}` })
      );
      for (const p of pages) send(pages[0], p);
      send(pages[0], doc);
      for (let step = 0; step < 12; step++) {
        const page = pick(pages);
        const card = cardsOf(page).get(pick(ids));
        if (!card) continue;
        const text = card.get('text') as Y.Text;
        switch (Math.floor(rand() * 5)) {
          case 0:
            text.insert(Math.floor(rand() * (text.length + 1)), pick(['a', 'bc', ' de', 'ü', '🙂']));
            break;
          case 1:
            if (text.length) text.delete(Math.floor(rand() * text.length), 1 + Math.floor(rand() * 3));
            break;
          case 2:
            card.set('order', pick(['a0', 'a1', 'Zz', 'a0V']));
            break;
          case 3:
            if (rand() < 0.5) card.set('theme', theme);
            else card.delete('theme');
            break;
          default:
            card.set('lane', pick(['questions', 'problems', 'solutions']));
        }
        // Sometimes the pages and the server catch up with each other (edits cross in flight).
        if (rand() < 0.5) send(page, doc);
        if (rand() < 0.3) send(doc, pick(pages));
      }
      for (const p of pages) send(p, doc);
      const victim = pick(ids);
      const deleter = pick(pages);
      send(doc, deleter);
      // The deleter may also change the card in the same change, or not have seen everything.
      deleter.transact(() => {
        if (rand() < 0.3) (cardsOf(deleter).get(victim)?.get('text') as Y.Text | undefined)?.insert(0, 'late ');
        cardsOf(deleter).delete(victim);
      });
      const before = snapshotCard(doc, victim);
      removed.length = 0;
      send(deleter, doc);
      expect(removed.flat(), `seed ${seed}`).toEqual([{ id: victim, snapshot: before }]);
    }
  });
});

describe('putting a removed card back', () => {
  it('[L-REMOVED-6] comes back under the same id at its place, and never over a card that is there', () => {
    const doc = new Y.Doc();
    const a = writeCard(doc, { lane: 'problems', text: 'A' });
    const b = writeCard(doc, { lane: 'problems', text: 'B' });
    const c = writeCard(doc, { lane: 'problems', text: 'C' });
    const kept = snapshotCard(doc, b)!;
    cardsOf(doc).delete(b);
    expect(putBackCard(doc, b, kept)).toBe(true);
    expect(readLanes(doc).problems.map((x) => x.id)).toEqual([a, b, c]);
    expect(snapshotCard(doc, b)).toEqual(kept);
    expect(putBackCard(doc, b, { fields: { ...kept.fields, text: { kind: 'text', value: 'other' } } })).toBe(false);
    expect(getCard(doc, b)?.text.toString()).toBe('B');
  });

  it('goes to the end of its list when the kept card has no usable place', () => {
    const doc = new Y.Doc();
    const a = writeCard(doc, { lane: 'solutions', text: 'A' });
    const kept: CardSnapshot = { fields: { lane: { kind: 'json', value: 'solutions' }, text: { kind: 'text', value: 'No order' } } };
    expect(putBackCard(doc, 'x1', kept)).toBe(true);
    expect(readLanes(doc).solutions.map((x) => x.id)).toEqual([a, 'x1']);
  });

  it('[L-REMOVED-4] keeps a card too large for its list with its known fields and its words cut to the card limit', () => {
    const small: CardSnapshot = { fields: { lane: { kind: 'json', value: 'questions' }, text: { kind: 'text', value: 'fine' } } };
    expect(boundSnapshot(small, REMOVED_RULES.snapshotChars)).toBe(small);
    const big: CardSnapshot = {
      fields: {
        lane: { kind: 'json', value: 'questions' },
        order: { kind: 'json', value: 'a0' },
        text: { kind: 'text', value: 'x'.repeat(100_000) },
        theme: { kind: 'json', value: 't1' },
        junk: { kind: 'json', value: 'y'.repeat(100_000) }
      }
    };
    const bounded = boundSnapshot(big, REMOVED_RULES.snapshotChars);
    expect(Object.keys(bounded.fields).sort()).toEqual(['lane', 'order', 'text', 'theme']);
    expect(bounded.fields.text).toEqual({ kind: 'text', value: 'x'.repeat(2000) });
  });
});

describe('the rules of removed cards', () => {
  it('[L-REMOVED-1] lets the writer or a facilitator put a card back; on a locked board, a facilitator only', () => {
    const card = { authorId: 'ann' };
    expect(mayRestoreRemoved({ id: 'ann', role: 'member' }, card, false)).toEqual({ ok: true });
    expect(mayRestoreRemoved({ id: 'fay', role: 'facilitator' }, card, true)).toEqual({ ok: true });
    expect(mayRestoreRemoved({ id: 'bo', role: 'member' }, card, false).ok).toBe(false);
    expect(mayRestoreRemoved({ id: 'ann', role: 'decisionMaker' }, card, true)).toEqual({
      ok: false,
      message: 'The board is locked. Ask the facilitator to put your card back.'
    });
    // Posted without a name: nobody is its writer, so only a facilitator.
    expect(mayRestoreRemoved({ id: 'ann', role: 'member' }, { authorId: null }, false).ok).toBe(false);
  });

  it('says who removed a card only as a facilitator or someone, and quotes words in one short line', () => {
    expect(removedByOf('facilitator')).toBe('facilitator');
    expect(['member', 'decisionMaker', 'observer'].map((r) => removedByOf(r as 'member'))).toEqual(['someone', 'someone', 'someone']);
    expect(removedNotice('Buses stop at 6')).toBe('Your card ‘Buses stop at 6’ was removed by someone. You can put it back.');
    expect(hiddenNotice('X', ' off topic ')).toBe('The facilitator hid your card ‘X’. Reason: ‘off topic’.');
    expect(quoteCard('a\n\n  b')).toBe('‘a b’');
    expect(quoteCard('')).toBe('a card with no words');
    expect(quoteCard('w'.repeat(200))).toHaveLength(REMOVED_RULES.quoteChars + 2);
  });
});
