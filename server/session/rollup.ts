// Roll-up on a live board: bringing points child forums shared onto a board as cards, merging
// alike ones and undoing a merge (rollup.bring, rollup.merge, rollup.unmerge). The rules and the
// provenance records are the forum service's (server/forums.ts); this file answers commands with
// them, in the workshop's turn (the dispatcher's), so two merges of one card cannot both land.
import type { Command } from '../../src/lib/protocol/commands';
import type { CommandResult } from '../../src/lib/protocol/session';
import type { ParticipantRecord } from '../persistence/types';
import { fail, type SessionContext } from './context';

type Of<K extends Command['type']> = Extract<Command, { type: K }>;

export async function bringIn(
  ctx: SessionContext,
  actor: ParticipantRecord,
  c: Of<'rollup.bring'>
): Promise<CommandResult<'rollup.bring'>> {
  const r = await ctx.forums.bring(actor.workshopId, c.boardId, c.pointIds, c.lane);
  return r.ok ? { ok: true, cardIds: r.cardIds } : fail('not_allowed_now', r.message);
}

export async function mergeCards(
  ctx: SessionContext,
  actor: ParticipantRecord,
  c: Of<'rollup.merge'>
): Promise<CommandResult<'rollup.merge'>> {
  const r = await ctx.forums.merge(actor.workshopId, c.boardId, c.cardIds);
  return r.ok ? { ok: true, cardId: r.cardId } : fail('not_allowed_now', r.message);
}

export async function unmergeCard(
  ctx: SessionContext,
  actor: ParticipantRecord,
  c: Of<'rollup.unmerge'>
): Promise<CommandResult<'rollup.unmerge'>> {
  const r = await ctx.forums.unmerge(actor.workshopId, c.boardId, c.cardId);
  return r.ok ? { ok: true, cardIds: r.cardIds } : fail('not_allowed_now', r.message);
}
