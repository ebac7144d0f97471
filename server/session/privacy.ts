// A person's and a workshop's data leaving: "remove my name and my cards", ending a workshop,
// deleting it (now, or after the retention period). A person's ballots in an open vote go with
// them (the store deletes them with the person), and so do their answers in an open consent round.
import { endedState, forgetAnswers, withoutParticipant } from '../../src/lib/domain/facilitation';
import type { CommandResult } from '../../src/lib/protocol/session';
import type { ParticipantRecord } from '../persistence/types';
import { done, type SessionContext } from './context';
import { closeOpenVotes } from './votes';
import { closeOpenConsent } from './keypoints';

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
    // Their words go from agreed versions of the key points too (the versions keep the rest).
    await ctx.store.keyPoints.forgetSources(board.id, ids);
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

/** Deletes workshops that ended more than `days` ago. Resolves with how many. */
export async function sweepRetention(ctx: SessionContext, days: number, now = Date.now()): Promise<number> {
  const ids = await ctx.store.workshops.endedBefore(now - days * 24 * 3600_000);
  for (const id of ids) await deleteWorkshop(ctx, id, 'This workshop has ended and its data has been deleted.');
  return ids.length;
}
