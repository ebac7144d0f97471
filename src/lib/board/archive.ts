// A board and its closed votes as a section of the workshop archive (src/lib/protocol/archive.ts),
// and back: pure, no I/O, so a round trip is tested without a server.
//
// Export numbers everything in the order it appears (cards c1, c2... lane by lane in board order;
// themes t1...; key points k1...; votes v1...; vote items no longer on the board x1...), so the same
// board always gives the same section. References are kept only when they resolve: a key point's
// source that has left the board (hidden or deleted) is not written, since the import refuses
// references to nothing. Texts are cut to the limits the page writes (a client other than our page
// could write longer ones). Nothing here reads who wrote a card: a section carries no one's name.
//
// Import gives every card, theme, key point and vote a new id of this server's kind and fresh order
// keys in the same order, so nothing in the new workshop is tied to the old one's ids (a revealed
// draft's id is a hash of its writer's id), and one archive can be imported any number of times.
import * as Y from 'yjs';
import { generateKeyBetween } from 'fractional-indexing';
import { Board } from './board';
import { putKeyPoint, readKeyPoints, KEY_POINT_MAX, THEME_SOURCE } from './keypoints';
import { putTheme } from './themes';
import { newId, restoreCard, type CardSnapshot } from './schema';
import { LIMITS } from '../domain/text';
import { VOTING_ROLES, themeOfItem, type ClosedVoteFacts, type TallyUnit, type VoteSubject } from '../domain/votes';
import type { ArchiveBoard, ArchiveVote } from '../protocol/archive';

/**
 * The top-level parts of a board document and the archive field each goes to. A board module
 * that opens another part of the document fails a test until it is listed here and archived.
 */
export const BOARD_DOCUMENT_PARTS = { cards: 'cards', themes: 'themes', keypoints: 'keyPoints' } as const;

const UNIT_ORDER: readonly TallyUnit[] = [...VOTING_ROLES, 'together', 'all'];

/** A closed vote as the store keeps it, without the ids of its workshop and board. */
export type VoteFacts = Omit<ClosedVoteFacts, 'boardId'>;

/** The archive's section for one board: its document as read now, and its closed votes (oldest first). */
export function boardToArchive(doc: Y.Doc, board: { id: string; title: string }, votes: readonly VoteFacts[]): ArchiveBoard {
  const view = new Board(doc);
  const cardIds = new Map<string, string>();
  const themeIds = new Map<string, string>();
  const themes = view.themes().map((t, i) => {
    themeIds.set(t.id, `t${i + 1}`);
    return { id: `t${i + 1}`, name: t.name, collapsed: t.collapsed, createdAt: t.createdAt };
  });
  const cards = view.facts().map((c, i) => {
    cardIds.set(c.id, `c${i + 1}`);
    return {
      id: `c${i + 1}`,
      lane: c.lane,
      text: c.text.slice(0, LIMITS.cardText),
      createdAt: c.createdAt,
      anonymous: c.anonymous,
      theme: c.theme === null ? null : (themeIds.get(c.theme) ?? null)
    };
  });
  const onBoard = (source: string): string | null => {
    const theme = themeOfItem(source);
    if (theme !== null) return themeIds.has(theme) ? THEME_SOURCE + themeIds.get(theme) : null;
    return cardIds.get(source) ?? null;
  };
  const keyPoints = readKeyPoints(doc).map((p, i) => ({
    id: `k${i + 1}`,
    text: p.text.toString().slice(0, KEY_POINT_MAX),
    sources: p.sources.map(onBoard).filter((s): s is string => s !== null),
    createdAt: p.createdAt
  }));

  // Items a vote was about that are no longer on the board keep a number of their own, the same
  // in every vote that names them.
  const gone = new Map<string, string>();
  const ref = (item: string): string => {
    const here = onBoard(item);
    if (here !== null) return here;
    let local = gone.get(item);
    if (!local) {
      local = `${themeOfItem(item) !== null ? THEME_SOURCE : ''}x${gone.size + 1}`;
      gone.set(item, local);
    }
    return local;
  };
  const themeRef = (themeId: string) => ref(THEME_SOURCE + themeId).slice(THEME_SOURCE.length);
  const archivedVotes: ArchiveVote[] = votes.map((v, i) => ({
    id: `v${i + 1}`,
    on: subjectWith(v.subject, themeRef),
    votesPerPerson: v.votesPerPerson,
    maxPerItem: v.maxPerItem,
    openedAt: v.openedAt,
    closedAt: v.closedAt,
    items: v.items.map((item) => ({ id: ref(item), label: v.labels[item] ?? null })),
    groups: VOTING_ROLES.map((role) => {
      const g = v.summary.groups.find((x) => x.role === role);
      return { role, eligible: g?.eligible ?? 0, voters: g?.voters ?? 0, shown: g?.shown ?? 'own' };
    }),
    // In one order whatever order the store keeps them in: by unit, then in the vote's order.
    tallies: [...v.summary.tallies]
      .sort((a, b) => UNIT_ORDER.indexOf(a.unit) - UNIT_ORDER.indexOf(b.unit) || v.items.indexOf(a.itemId) - v.items.indexOf(b.itemId))
      .map((t) => ({ unit: t.unit, itemId: ref(t.itemId), votes: t.votes, backers: t.backers }))
  }));

  return { id: board.id, title: board.title, cards, themes, keyPoints, votes: archivedVotes };
}

function subjectWith(subject: VoteSubject, theme: (id: string) => string): VoteSubject {
  if (subject.kind === 'themes') return subject.themes ? { kind: 'themes', themes: subject.themes.map(theme) } : { kind: 'themes' };
  return {
    kind: 'cards',
    ...(subject.lanes ? { lanes: [...subject.lanes] } : {}),
    ...(subject.themes ? { themes: subject.themes.map(theme) } : {})
  };
}

/**
 * A new board document from an archive's section (checked by checkArchive first), and its votes
 * with the ids the new document uses. `makeId` makes each new id (the schema's newId by default).
 */
export function archiveToBoard(section: ArchiveBoard, makeId: () => string = newId): { doc: Y.Doc; votes: VoteFacts[] } {
  const doc = new Y.Doc();
  const ids = new Map<string, string>();
  const idFor = (local: string) => {
    let id = ids.get(local);
    if (!id) {
      id = makeId();
      ids.set(local, id);
    }
    return id;
  };
  const themeKey = (local: string) => THEME_SOURCE + local;
  const newRef = (ref: string) => {
    const theme = themeOfItem(ref);
    return theme !== null ? THEME_SOURCE + idFor(themeKey(theme)) : idFor(ref);
  };

  doc.transact(() => {
    let order: string | null = null;
    for (const t of section.themes) {
      order = generateKeyBetween(order, null);
      putTheme(doc, { id: idFor(themeKey(t.id)), name: t.name, order, collapsed: t.collapsed, createdAt: t.createdAt });
    }
    const last = new Map<string, string | null>();
    for (const c of section.cards) {
      const key = generateKeyBetween(last.get(c.lane) ?? null, null);
      last.set(c.lane, key);
      const fields: CardSnapshot['fields'] = {
        lane: { kind: 'json', value: c.lane },
        order: { kind: 'json', value: key },
        text: { kind: 'text', value: c.text },
        createdAt: { kind: 'json', value: c.createdAt }
      };
      if (c.anonymous) fields.anonymous = { kind: 'json', value: true };
      if (c.theme !== null) fields.theme = { kind: 'json', value: idFor(themeKey(c.theme)) };
      restoreCard(doc, idFor(c.id), { fields });
    }
    order = null;
    for (const p of section.keyPoints) {
      order = generateKeyBetween(order, null);
      putKeyPoint(doc, { id: makeId(), text: p.text, order, sources: p.sources.map(newRef), createdAt: p.createdAt });
    }
  });

  const votes: VoteFacts[] = section.votes.map((v) => ({
    id: makeId(),
    subject: subjectWith(v.on, (local) => idFor(themeKey(local))),
    items: v.items.map((i) => newRef(i.id)),
    votesPerPerson: v.votesPerPerson,
    maxPerItem: v.maxPerItem,
    openedAt: v.openedAt,
    closedAt: v.closedAt,
    labels: Object.fromEntries(v.items.map((i) => [newRef(i.id), i.label])),
    summary: {
      groups: VOTING_ROLES.map((role) => ({ ...v.groups.find((g) => g.role === role)! })),
      tallies: v.tallies.map((t) => ({ unit: t.unit, itemId: newRef(t.itemId), votes: t.votes, backers: t.backers }))
    }
  }));
  return { doc, votes };
}
