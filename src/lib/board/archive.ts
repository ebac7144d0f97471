// A board, its closed votes, agreed versions and closed consent rounds as a section of the
// workshop archive (src/lib/protocol/archive.ts), and back: pure, no I/O, so a round trip is tested
// without a server.
//
// Export numbers everything in the order it appears (cards c1, c2... lane by lane in board order;
// themes t1...; key points k1...; votes v1...; consent rounds r1...), so the same board always
// gives the same section. What has left the board but is still named keeps a number of its own,
// the same wherever it is named: a card or theme that a key point, a vote or an agreed version
// names is x1, x2... (found in that order), and a key point that an agreed version or a consent
// round names is p1, p2... So a key point whose card was hidden still names something gone, as
// it does on the board, and the new workshop sees no change since the version it agreed. Texts
// are cut to the limits the page and the server write (a client other than our page could write
// longer ones). An agreed version keeps the words of its sources as they were, except a card a
// facilitator has hidden since (as the briefing shows it: without its words). Nothing here reads
// who wrote a card or gave an answer: a section carries no one's name.
//
// Import gives every card, theme, key point, vote, consent round and gone thing a new id of this
// server's kind and fresh order keys in the same order, so nothing in the new workshop is tied to
// the old one's ids (a revealed draft's id is a hash of its writer's id), and one archive can be
// imported any number of times.
import * as Y from 'yjs';
import { generateKeyBetween } from 'fractional-indexing';
import { Board } from './board';
import { putKeyPoint, readKeyPoints, KEY_POINT_MAX, THEME_SOURCE } from './keypoints';
import { putTheme } from './themes';
import { newId, restoreCard, type CardSnapshot } from './schema';
import { KEY_POINT_RULES, type AgreedPoint, type AgreedVersion } from '../domain/agreed';
import { CONSENT_ANSWERS, CONSENT_RULES, isConsentAnswer, type ClosedConsentFacts } from '../domain/consent';
import type { VoteSupport } from '../domain/support';
import { LIMITS } from '../domain/text';
import { VOTING_ROLES, themeOfItem, type ClosedVoteFacts, type GroupSummary, type TallyUnit, type VoteSubject } from '../domain/votes';
import {
  ARCHIVE_RULES,
  type ArchiveAgreedVersion,
  type ArchiveBoard,
  type ArchiveConsentRound,
  type ArchiveGroup,
  type ArchiveVote
} from '../protocol/archive';

/**
 * The top-level parts of a board document and the archive field each goes to. A board module
 * that opens another part of the document fails a test until it is listed here and archived.
 */
export const BOARD_DOCUMENT_PARTS = { cards: 'cards', themes: 'themes', keypoints: 'keyPoints' } as const;

const UNIT_ORDER: readonly TallyUnit[] = [...VOTING_ROLES, 'together', 'all'];

/** A closed vote as the store keeps it, without the ids of its workshop and board. */
export type VoteFacts = Omit<ClosedVoteFacts, 'boardId'>;
/** An agreed version as the store keeps it, without the ids of its workshop and board. */
export type AgreedFacts = Omit<AgreedVersion, 'boardId'>;
/** A closed consent round as the store keeps it (totals only), without the ids of its workshop and board. */
export type ConsentFacts = Omit<ClosedConsentFacts, 'boardId'>;

/** What the store keeps about a board besides its document and its votes. */
export interface BoardKeptFacts {
  /** Agreed versions of its key points, by number. */
  agreed?: readonly AgreedFacts[];
  /** Closed consent rounds, oldest first. */
  consent?: readonly ConsentFacts[];
  /** Ids of its cards a facilitator has hidden: an agreed version keeps no words of theirs in an archive. */
  hidden?: Iterable<string>;
}

/** Each voting group once, in the order members, decision makers, facilitators (whatever order they are kept in). */
const inRoleOrder = (groups: readonly GroupSummary[]): ArchiveGroup[] =>
  VOTING_ROLES.map((role) => {
    const g = groups.find((x) => x.role === role);
    return { role, eligible: g?.eligible ?? 0, voters: g?.voters ?? 0, shown: g?.shown ?? 'own' };
  });

/** A consent total's item, `<pointId>:<answer>` (src/lib/domain/consent.ts). */
function consentItem(itemId: string): { pointId: string; answer: (typeof CONSENT_ANSWERS)[number] } | null {
  const at = itemId.lastIndexOf(':');
  const answer = itemId.slice(at + 1);
  return at > 0 && isConsentAnswer(answer) ? { pointId: itemId.slice(0, at), answer } : null;
}

/**
 * The archive's section for one board: its document as read now, its closed votes (oldest first),
 * and what else the store keeps of it (agreed versions, closed consent rounds).
 */
export function boardToArchive(
  doc: Y.Doc,
  board: { id: string; title: string },
  votes: readonly VoteFacts[],
  kept: BoardKeptFacts = {}
): ArchiveBoard {
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
  // Cards and themes no longer on the board keep a number of their own, the same wherever they are named.
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

  const points = readKeyPoints(doc);
  const pointIds = new Map(points.map((p, i) => [p.id, `k${i + 1}`]));
  const keyPoints = points.map((p) => ({
    id: pointIds.get(p.id)!,
    text: p.text.toString().slice(0, KEY_POINT_MAX),
    // At most what an archive takes (only a client other than our page links more), cut before
    // numbering, so what is left out takes no number.
    sources: p.sources.slice(0, ARCHIVE_RULES.maxSources).map(ref),
    createdAt: p.createdAt
  }));
  // Key points no longer on the board, as agreed versions and consent rounds name them.
  const gonePoints = new Map<string, string>();
  const pointRef = (id: string): string => {
    let local = pointIds.get(id) ?? gonePoints.get(id);
    if (!local) {
      local = `p${gonePoints.size + 1}`;
      gonePoints.set(id, local);
    }
    return local;
  };

  const voteIds = new Map(votes.map((v, i) => [v.id, `v${i + 1}`]));
  const archivedVotes: ArchiveVote[] = votes.map((v) => ({
    id: voteIds.get(v.id)!,
    on: subjectWith(v.subject, themeRef),
    votesPerPerson: v.votesPerPerson,
    maxPerItem: v.maxPerItem,
    openedAt: v.openedAt,
    closedAt: v.closedAt,
    items: v.items.map((item) => ({ id: ref(item), label: v.labels[item] ?? null })),
    groups: inRoleOrder(v.summary.groups),
    // In one order whatever order the store keeps them in: by unit, then in the vote's order.
    tallies: [...v.summary.tallies]
      .sort((a, b) => UNIT_ORDER.indexOf(a.unit) - UNIT_ORDER.indexOf(b.unit) || v.items.indexOf(a.itemId) - v.items.indexOf(b.itemId))
      .map((t) => ({ unit: t.unit, itemId: ref(t.itemId), votes: t.votes, backers: t.backers }))
  }));

  const rounds = kept.consent ?? [];
  const roundIds = new Map(rounds.map((r, i) => [r.id, `r${i + 1}`]));
  const consent: ArchiveConsentRound[] = rounds.map((r) => {
    const order = new Map(r.points.map((p, i) => [p.id, i]));
    const tallies = r.summary.tallies
      .map((t) => ({ t, item: consentItem(t.itemId) }))
      .filter(
        (x): x is { t: (typeof r.summary.tallies)[number]; item: NonNullable<ReturnType<typeof consentItem>> } =>
          x.item !== null && order.has(x.item.pointId)
      )
      .sort(
        (a, b) =>
          UNIT_ORDER.indexOf(a.t.unit) - UNIT_ORDER.indexOf(b.t.unit) ||
          order.get(a.item.pointId)! - order.get(b.item.pointId)! ||
          CONSENT_ANSWERS.indexOf(a.item.answer) - CONSENT_ANSWERS.indexOf(b.item.answer)
      );
    return {
      id: roundIds.get(r.id)!,
      openedAt: r.openedAt,
      closedAt: r.closedAt,
      points: r.points.map((p) => ({ id: pointRef(p.id), text: p.text.slice(0, CONSENT_RULES.textChars) })),
      groups: inRoleOrder(r.summary.groups),
      // Each person gives one answer a point, so the people giving it are its backers.
      tallies: tallies.map(({ t, item }) => ({ unit: t.unit, point: pointRef(item.pointId), answer: item.answer, people: t.backers }))
    };
  });

  const hidden = new Set(kept.hidden ?? []);
  const agreed: ArchiveAgreedVersion[] = (kept.agreed ?? []).map((v) => ({
    number: v.number,
    agreedAt: v.agreedAt,
    consent: v.consentId === null ? null : (roundIds.get(v.consentId) ?? null),
    points: v.points.map((p) => ({
      id: pointRef(p.id),
      text: p.text.slice(0, KEY_POINT_MAX),
      sources: p.sources.slice(0, KEY_POINT_RULES.maxSources).map((s) => {
        const isTheme = themeOfItem(s.id) !== null;
        const text = !isTheme && hidden.has(s.id) ? null : s.text;
        return {
          id: ref(s.id),
          kind: isTheme ? ('theme' as const) : ('card' as const),
          text: text === null ? null : text.slice(0, KEY_POINT_RULES.sourceChars),
          lane: isTheme ? null : s.lane,
          ...(isTheme && s.cards !== undefined ? { cards: s.cards } : {})
        };
      }),
      support: {
        cards: p.support.cards,
        people: p.support.people,
        withoutName: p.support.withoutName,
        // Only when there are some, so a workshop that never came from an archive writes what it always did.
        ...(p.support.earlier ? { earlier: p.support.earlier } : {}),
        missing: p.support.missing,
        votes: p.support.votes
          .filter((s) => voteIds.has(s.voteId))
          .map((s) => ({
            vote: voteIds.get(s.voteId)!,
            closedAt: s.closedAt,
            items: s.items,
            total: s.total,
            byGroup: { member: s.byGroup.member, decisionMaker: s.byGroup.decisionMaker, facilitator: s.byGroup.facilitator },
            together: s.together,
            togetherRoles: VOTING_ROLES.filter((r) => s.togetherRoles.includes(r)),
            groups: inRoleOrder(s.groups)
          }))
      }
    }))
  }));

  return {
    id: board.id,
    title: board.title,
    cards,
    themes,
    keyPoints,
    votes: archivedVotes,
    // Left out when empty, so the file reads as it did before these came into the archive.
    ...(agreed.length ? { agreed } : {}),
    ...(consent.length ? { consent } : {})
  };
}

function subjectWith(subject: VoteSubject, theme: (id: string) => string): VoteSubject {
  if (subject.kind === 'themes') return subject.themes ? { kind: 'themes', themes: subject.themes.map(theme) } : { kind: 'themes' };
  return {
    kind: 'cards',
    ...(subject.lanes ? { lanes: [...subject.lanes] } : {}),
    ...(subject.themes ? { themes: subject.themes.map(theme) } : {})
  };
}

export interface BoardFromArchive {
  doc: Y.Doc;
  votes: VoteFacts[];
  agreed: AgreedFacts[];
  consent: ConsentFacts[];
}

/**
 * A new board document from an archive's section (checked by checkArchive first), and its votes,
 * agreed versions and consent rounds with the ids the new document uses. `makeId` makes each new
 * id (the schema's newId by default).
 */
export function archiveToBoard(section: ArchiveBoard, makeId: () => string = newId): BoardFromArchive {
  const doc = new Y.Doc();
  // One new id for each of the archive's own, by kind: an archive id has no ':' in it, so the
  // kinds cannot meet. Cards (and gone cards) go by their id, themes as `theme:<id>`.
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
  const pointId = (local: string) => idFor(`keypoint:${local}`);
  const voteId = (local: string) => idFor(`vote:${local}`);
  const roundId = (local: string) => idFor(`consent:${local}`);
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
      putKeyPoint(doc, { id: pointId(p.id), text: p.text, order, sources: p.sources.map(newRef), createdAt: p.createdAt });
    }
  });

  const votes: VoteFacts[] = section.votes.map((v) => ({
    id: voteId(v.id),
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

  const consent: ConsentFacts[] = (section.consent ?? []).map((r) => ({
    id: roundId(r.id),
    points: r.points.map((p) => ({ id: pointId(p.id), text: p.text })),
    openedAt: r.openedAt,
    closedAt: r.closedAt,
    summary: {
      groups: VOTING_ROLES.map((role) => ({ ...r.groups.find((g) => g.role === role)! })),
      // As the round's summary keeps them: one item per point and answer, each person once (votes = backers).
      tallies: r.tallies.map((t) => ({ unit: t.unit, itemId: `${pointId(t.point)}:${t.answer}`, votes: t.people, backers: t.people }))
    }
  }));

  const agreed: AgreedFacts[] = (section.agreed ?? []).map((v) => ({
    number: v.number,
    agreedAt: v.agreedAt,
    consentId: v.consent === null ? null : roundId(v.consent),
    points: v.points.map((p): AgreedPoint => ({
      id: pointId(p.id),
      text: p.text,
      sources: p.sources.map((s) => ({
        id: newRef(s.id),
        kind: s.kind,
        text: s.text,
        lane: s.lane,
        ...(s.cards !== undefined ? { cards: s.cards } : {})
      })),
      support: {
        cards: p.support.cards,
        people: p.support.people,
        withoutName: p.support.withoutName,
        ...(p.support.earlier ? { earlier: p.support.earlier } : {}),
        missing: p.support.missing,
        votes: p.support.votes.map((s): VoteSupport => ({
          voteId: voteId(s.vote),
          closedAt: s.closedAt,
          items: s.items,
          total: s.total,
          byGroup: { ...s.byGroup },
          together: s.together,
          togetherRoles: [...s.togetherRoles],
          groups: s.groups.map((g) => ({ ...g }))
        }))
      }
    }))
  }));
  return { doc, votes, agreed, consent };
}
