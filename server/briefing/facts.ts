// What the server reads for key points and the briefing: a board's cards, themes and key points
// (one read of its document through the BoardPeer), who wrote which card (authorship records,
// used only to count people), and the results of closed votes and consent rounds. Shared by the
// keypoints.agree handler, the support endpoint and the briefing builder, so the three count alike.
import type { CardFacts } from '../../src/lib/board/board';
import { KEY_POINT_MAX } from '../../src/lib/board/keypoints';
import { KEY_POINT_RULES, sourceKind, type AgreedPoint, type PointNow } from '../../src/lib/domain/agreed';
import { presentConsent, type ConsentResults } from '../../src/lib/domain/consent';
import { supportOf, themeOfSource, type Support, type SupportFacts } from '../../src/lib/domain/support';
import { present, type VoteResults } from '../../src/lib/domain/votes';
import type { Store } from '../persistence/types';
import type { BoardPeer } from '../session/ports';

export interface BoardFacts {
  boardId: string;
  cards: CardFacts[];
  themes: { id: string; name: string }[];
  keyPoints: PointNow[];
}

export function readBoardFacts(boards: BoardPeer, boardId: string): Promise<BoardFacts> {
  return boards.read(boardId, (board) => ({
    boardId,
    cards: board.facts(),
    themes: board.themes().map((t) => ({ id: t.id, name: t.name })),
    keyPoints: board.keyPointFacts()
  }));
}

/** Who wrote each card of a workshop (its authorship records), as a lookup; never shown to anyone. */
export async function authorLookup(store: Store, workshopId: string): Promise<(boardId: string, cardId: string) => string | null> {
  const authors = new Map((await store.boards.authors(workshopId)).map((a) => [`${a.boardId}/${a.cardId}`, a.participantId]));
  return (boardId, cardId) => authors.get(`${boardId}/${cardId}`) ?? null;
}

/** The results of a workshop's closed votes, by board, oldest first. */
export async function closedVotes(store: Store, workshopId: string): Promise<Map<string, VoteResults[]>> {
  const out = new Map<string, VoteResults[]>();
  for (const v of await store.votes.results(workshopId)) out.set(v.boardId, [...(out.get(v.boardId) ?? []), present(v)]);
  return out;
}

/** The results of a workshop's closed consent rounds, by board, oldest first. */
export async function closedConsent(store: Store, workshopId: string): Promise<Map<string, ConsentResults[]>> {
  const out = new Map<string, ConsentResults[]>();
  for (const r of await store.consent.results(workshopId)) out.set(r.boardId, [...(out.get(r.boardId) ?? []), presentConsent(r)]);
  return out;
}

export function supportFacts(
  board: BoardFacts,
  authorOf: (boardId: string, cardId: string) => string | null,
  votes: readonly VoteResults[]
): SupportFacts {
  return {
    cards: board.cards,
    themes: board.themes.map((t) => t.id),
    authorOf: (cardId) => authorOf(board.boardId, cardId),
    votes
  };
}

/** Each key point's support now. */
export function supportNow(board: BoardFacts, facts: SupportFacts): Record<string, Support> {
  return Object.fromEntries(board.keyPoints.map((p) => [p.id, supportOf(p.sources, facts)]));
}

/** The board's key points frozen as they are: words, sources with their words now, support. */
export function freezePoints(board: BoardFacts, facts: SupportFacts): AgreedPoint[] {
  const cards = new Map(board.cards.map((c) => [c.id, c]));
  const themes = new Map(board.themes.map((t) => [t.id, t]));
  return board.keyPoints.map((p) => ({
    id: p.id,
    text: p.text.slice(0, KEY_POINT_MAX),
    sources: p.sources.slice(0, KEY_POINT_RULES.maxSources).map((id) => {
      const theme = themeOfSource(id);
      if (theme !== null) {
        const t = themes.get(theme);
        return {
          id,
          kind: sourceKind(id),
          text: t ? t.name : null,
          lane: null,
          cards: board.cards.filter((c) => c.theme === theme).length
        };
      }
      const card = cards.get(id);
      return { id, kind: sourceKind(id), text: card ? card.text.slice(0, KEY_POINT_RULES.sourceChars) : null, lane: card?.lane ?? null };
    }),
    support: supportOf(p.sources, facts)
  }));
}
