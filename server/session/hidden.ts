// Which cards a facilitator has hidden, by board: their words are left out of what is sent after
// the fact (agreed key point versions, closed vote results), as they are gone from the board.
import type { SessionContext } from './context';

/** Each board's hidden cards (their ids). */
export async function hiddenByBoard(ctx: Pick<SessionContext, 'store'>, workshopId: string): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const h of await ctx.store.moderation.list(workshopId)) out.set(h.boardId, (out.get(h.boardId) ?? new Set()).add(h.cardId));
  return out;
}
