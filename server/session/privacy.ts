// A person's and a workshop's data leaving: "remove my name and my cards", ending a workshop,
// deleting it (now, or after the retention period). A person's ballots in an open vote go with
// them (the store deletes them with the person), and so do their answers in an open consent round.
// Retention counts from a workshop's last activity (src/lib/domain/retention.ts), not its end.
import { endedState, forgetAnswers, withoutParticipant } from '../../src/lib/domain/facilitation';
import { isDue, retentionOf, type ActivityFacts } from '../../src/lib/domain/retention';
import type { CommandResult } from '../../src/lib/protocol/session';
import type { ParticipantRecord, Store } from '../persistence/types';
import { done, type SessionContext } from './context';
import { closeOpenVotes } from './votes';
import { closeOpenConsent, forgetAgreedWords } from './keypoints';

/**
 * "Remove my name and my cards": deletes the cards recorded as theirs, their drafts and their
 * name, takes their name off their check-in answers (theirs only: by participant, not by name),
 * and ends their session. Cards posted without a name cannot be found, because nothing records
 * who wrote them.
 */
export async function forget(ctx: SessionContext, participant: ParticipantRecord): Promise<CommandResult> {
  const workshopId = participant.workshopId;
  const mine = (await ctx.store.boards.authors(workshopId)).filter((a) => a.participantId === participant.id);
  for (const board of await ctx.store.workshops.boards(workshopId)) {
    const ids = mine.filter((a) => a.boardId === board.id).map((a) => a.cardId);
    if (!ids.length) continue;
    // Their words go from agreed versions of the key points too (the versions keep the rest, and
    // open pages are sent them again), and from the sources of recommendations made from their cards.
    await forgetAgreedWords(ctx, workshopId, board.id, ids);
    await ctx.store.outcomes.forgetSources(board.id, ids);
    await ctx.boards.edit(board.id, (b) => ids.forEach((id) => b.delete(id)));
  }
  const state = withoutParticipant(await ctx.states.get(workshopId), participant.id);
  const { [participant.id]: _forgotten, ...calledCounts } = state.calledCounts;
  const others = new Set((await ctx.store.people.list(workshopId)).filter((p) => p.id !== participant.id).map((p) => p.name));
  const round = forgetAnswers(state.round, participant.id, participant.name, others);
  await ctx.store.people.delete(participant.id);
  await ctx.states.save(workshopId, { ...state, calledCounts, round });
  // Last, so the answer to this command reaches its sender before their sockets close.
  ctx.connections.closeParticipant(participant.id, 'removed');
  // An observer wrote no cards: say only what was done.
  const goodbye =
    participant.role === 'observer'
      ? 'Your name has been removed. Thank you for taking part.'
      : 'Your name and your cards have been removed. Thank you for taking part.';
  ctx.notifier()?.removed(participant.id, goodbye);
  return done;
}

export async function endWorkshop(ctx: SessionContext, actor: ParticipantRecord): Promise<CommandResult> {
  const workshopId = actor.workshopId;
  // Its open votes and consent rounds close first (their ballots and answers are deleted), with the results for everyone.
  await closeOpenVotes(ctx, workshopId);
  await closeOpenConsent(ctx, workshopId);
  await ctx.store.workshops.end(workshopId, Date.now());
  const boards = (await ctx.store.workshops.boards(workshopId)).map((b) => b.id);
  await ctx.states.save(workshopId, endedState(await ctx.states.get(workshopId), boards));
  return done;
}

/**
 * Deletes a workshop and everything in it, from memory and from the database file. Resolves
 * once the write-ahead log holds no copy of the deleted pages either; never rejects (a failure
 * to empty the log is logged, and the next checkpoint overwrites them).
 */
export async function deleteWorkshop(ctx: SessionContext, workshopId: string, message: string): Promise<void> {
  const boards = (await ctx.store.workshops.boards(workshopId)).map((b) => b.id);
  ctx.notifier()?.workshopGone(workshopId, message);
  ctx.connections.dropBoards(boards);
  await ctx.store.workshops.delete(workshopId);
  ctx.states.forget(workshopId);
  ctx.views.forget(workshopId);
  ctx.present.forget(workshopId);
  ctx.turnout.forget(workshopId);
  // Empty the write-ahead log too, so no copy of the deleted pages is left in it.
  await ctx.store.checkpoint().catch((err: unknown) => {
    ctx.logger.error({ err, workshopId }, 'could not empty the write-ahead log after a deletion');
  });
}

/**
 * What retention counts from: the end, the last change to the boards (or key points agreed), and
 * the last change to the recommendations and their timelines.
 */
export async function activityOf(store: Store, workshopId: string): Promise<ActivityFacts> {
  const [workshop, boardAt, versions, outcomesAt] = await Promise.all([
    store.workshops.get(workshopId),
    store.boards.lastChange(workshopId),
    store.keyPoints.versions(workshopId),
    store.outcomes.lastChange(workshopId)
  ]);
  const agreedAt = versions.reduce<number | null>((at, v) => (at === null || v.agreedAt > at ? v.agreedAt : at), null);
  return {
    endedAt: workshop?.endedAt ?? null,
    boardAt: agreedAt !== null && (boardAt === null || agreedAt > boardAt) ? agreedAt : boardAt,
    outcomesAt
  };
}

/**
 * Deletes ended workshops whose last activity is more than `days` ago (a workshop ended that long
 * ago whose recommendations a decision maker updated last week stays). Resolves with how many.
 */
export async function sweepRetention(ctx: SessionContext, days: number, now = Date.now()): Promise<number> {
  // Activity is never before the end, so only workshops ended that long ago can be due.
  const candidates = await ctx.store.workshops.endedBefore(now - days * 24 * 3600_000);
  let deleted = 0;
  for (const id of candidates) {
    if (!isDue(retentionOf(await activityOf(ctx.store, id), days), now)) continue;
    await deleteWorkshop(ctx, id, 'This workshop has ended and its data has been deleted.');
    deleted++;
  }
  return deleted;
}
