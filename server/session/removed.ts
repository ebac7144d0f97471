// Nothing disappears without a trace. A card someone takes off the board that someone else wrote
// is kept whole in Removed cards (the sync host's room stores it with the deletion itself); its
// writer is told, on their sockets now and on their next connect, and they or a facilitator can
// put it back. A card a facilitator hides tells its writer too, with the reason. Notices stay
// until their person dismisses them; they go with the person (me.forget) and with the workshop.
import { snapshotSummary } from '../../src/lib/board/schema';
import { mayRestoreRemoved } from '../../src/lib/domain/removed';
import type { CardNotice, CommandResult, RemovedCard } from '../../src/lib/protocol/session';
import type { NoticeKind, ParticipantRecord, RemovalChange, RemovedCardRecord } from '../persistence/types';
import { done, fail, type SessionContext } from './context';

/** Every notice a person has not dismissed, with the words of the card it is about. */
export async function noticesOf(ctx: SessionContext, participantId: string): Promise<CardNotice[]> {
  const out: CardNotice[] = [];
  for (const n of await ctx.store.notices.of(participantId)) {
    if (n.kind === 'removed') {
      const removed = await ctx.store.removed.get(n.boardId, n.cardId);
      if (!removed) continue;
      const { lane, text } = snapshotSummary(removed.card);
      out.push({ kind: 'removed', boardId: n.boardId, cardId: n.cardId, lane, text, removedAt: removed.removedAt });
    } else {
      const hidden = await ctx.store.moderation.get(n.boardId, n.cardId);
      if (!hidden) continue;
      const { lane, text } = snapshotSummary(hidden.card);
      out.push({ kind: 'hidden', boardId: n.boardId, cardId: n.cardId, lane, text, reason: hidden.reason, hiddenAt: hidden.hiddenAt });
    }
  }
  return out;
}

/** Sends each person their notices as they are now (to their own sockets only). */
export async function tellNotices(ctx: SessionContext, participantIds: Iterable<string>): Promise<void> {
  const notifier = ctx.notifier();
  if (!notifier) return;
  for (const id of new Set(participantIds)) notifier.notices(id, await noticesOf(ctx, id));
}

/** Who wrote a card, from its authorship record; null when nobody is recorded (posted without a name). */
export async function writerOf(ctx: SessionContext, boardId: string, cardId: string): Promise<string | null> {
  return (await ctx.store.boards.cardRecords(boardId)).authors.find((a) => a.cardId === cardId)?.participantId ?? null;
}

/** The facilitators' list: never who wrote a card, and who removed it only as a role. */
export function removedView(records: RemovedCardRecord[]): RemovedCard[] {
  return records.map((r) => {
    const { lane, text, anonymous } = snapshotSummary(r.card);
    return {
      boardId: r.boardId,
      cardId: r.cardId,
      lane,
      text,
      anonymous,
      writerTold: r.authorId !== null,
      removedBy: r.removedBy,
      removedAt: r.removedAt
    };
  });
}

/**
 * Removed cards a board's room stored (a card taken off, or one back on the board): their writers
 * are told, and the facilitators get a fresh list. Called once the change is durable.
 */
export async function removalsStored(ctx: SessionContext, workshopId: string, boardId: string, changes: RemovalChange[]): Promise<void> {
  const writers = new Set<string>();
  const dropped: string[] = [];
  for (const change of changes) {
    if (change.kind === 'removed') {
      if (change.record.authorId !== null) writers.add(change.record.authorId);
    } else dropped.push(change.cardId);
  }
  if (dropped.length) {
    const authors = (await ctx.store.boards.cardRecords(boardId)).authors;
    for (const a of authors) if (dropped.includes(a.cardId)) writers.add(a.participantId);
  }
  await tellNotices(ctx, writers);
  ctx.views.schedule(workshopId, 0);
}

export async function restoreRemoved(
  ctx: SessionContext,
  actor: ParticipantRecord,
  boardId: string,
  cardId: string
): Promise<CommandResult> {
  const record = await ctx.store.removed.get(boardId, cardId);
  if (!record) return fail('invalid_payload', 'That card is not among the removed cards. It may be back on the board already.');
  const check = mayRestoreRemoved(actor, record, ctx.states.isLocked(boardId, actor.workshopId));
  if (!check.ok) return fail('not_allowed_now', check.message);
  // Written by the server's peer: the room sees the card back and drops its record in the same
  // commit; deleted here too, in case the room did not know it (then nothing else would).
  await ctx.boards.edit(boardId, (board) => board.putBack(cardId, record.card));
  await ctx.store.removed.delete(boardId, cardId);
  if (record.authorId !== null) await tellNotices(ctx, [record.authorId]);
  ctx.views.schedule(actor.workshopId, 0);
  return done;
}

export async function dismissNotice(
  ctx: SessionContext,
  actor: ParticipantRecord,
  boardId: string,
  cardId: string,
  kind: NoticeKind
): Promise<CommandResult> {
  await ctx.store.notices.dismiss(actor.id, boardId, cardId, kind);
  await tellNotices(ctx, [actor.id]);
  return done;
}
