// Builds the briefing's model (src/lib/domain/briefing.ts) from the store and the board
// documents, and the key points' support now. Read only: nothing here changes a workshop.
import { buildBriefing, type Briefing } from '../../src/lib/domain/briefing';
import type { Support } from '../../src/lib/domain/support';
import type { Store } from '../persistence/types';
import type { BoardPeer } from '../session/ports';
import { authorLookup, closedConsent, closedVotes, readBoardFacts, supportFacts, supportNow } from './facts';

export interface BriefingSources {
  store: Store;
  boards: BoardPeer;
}

/** The briefing of a workshop as it is now; null when there is no such workshop. */
export async function workshopBriefing(ctx: BriefingSources, workshopId: string, now = Date.now()): Promise<Briefing | null> {
  const workshop = await ctx.store.workshops.get(workshopId);
  if (!workshop) return null;
  const [boards, people, authorOf, votes, consent, agreed, hidden] = await Promise.all([
    ctx.store.workshops.boards(workshopId),
    ctx.store.people.list(workshopId),
    authorLookup(ctx.store, workshopId),
    closedVotes(ctx.store, workshopId),
    closedConsent(ctx.store, workshopId),
    ctx.store.keyPoints.versions(workshopId),
    ctx.store.moderation.list(workshopId)
  ]);
  const inputs = [];
  for (const board of boards) {
    const facts = await readBoardFacts(ctx.boards, board.id);
    inputs.push({
      id: board.id,
      title: board.title,
      cards: facts.cards,
      themes: facts.themes,
      keyPoints: facts.keyPoints,
      votes: votes.get(board.id) ?? [],
      agreed: agreed.filter((v) => v.boardId === board.id),
      consent: consent.get(board.id) ?? [],
      hidden: hidden.filter((h) => h.boardId === board.id).map((h) => h.cardId)
    });
  }
  return buildBriefing({
    workshop: {
      id: workshop.id,
      title: workshop.title,
      question: workshop.question,
      createdAt: workshop.createdAt,
      endedAt: workshop.endedAt ?? null
    },
    madeAt: now,
    people,
    boards: inputs,
    authorOf
  });
}

/** Each board's key points' support now (for the board page). */
export async function keyPointSupport(
  ctx: BriefingSources,
  workshopId: string
): Promise<{ boardId: string; support: Record<string, Support> }[]> {
  const [boards, authorOf, votes] = await Promise.all([
    ctx.store.workshops.boards(workshopId),
    authorLookup(ctx.store, workshopId),
    closedVotes(ctx.store, workshopId)
  ]);
  const out = [];
  for (const board of boards) {
    const facts = await readBoardFacts(ctx.boards, board.id);
    out.push({ boardId: board.id, support: supportNow(facts, supportFacts(facts, authorOf, votes.get(board.id) ?? [])) });
  }
  return out;
}
