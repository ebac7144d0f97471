// Silent writing and cards without names. Drafts written during silent writing are held apart
// from the board, visible to their writer only, until the facilitator reveals them all at once;
// a draft that arrives after the reveal, and a card posted without a name, wait for the board's
// next release moment (release.ts) so that timing cannot tie them to their writer.
import { createHash } from 'node:crypto';
import { isSilentWriting } from '../../src/lib/domain/facilitation';
import type { Lane } from '../../src/lib/board/schema';
import type { CommandResult } from '../../src/lib/protocol/session';
import type { Command } from '../../src/lib/protocol/commands';
import type { ParticipantRecord } from '../persistence/types';
import { done, fail, type SessionContext } from './context';
import type { ReleasedCard } from './release';

/** An answer that comes later (after a release), sent once the command's lock is free again. */
export interface Deferred {
  later: Promise<CommandResult>;
}

/** Card ids for revealed drafts: stable (a retried reveal cannot duplicate) and unlinkable to the author. */
function draftCardId(participantId: string, draftId: string): string {
  return createHash('sha256').update(`${participantId}/${draftId}`).digest('hex').slice(0, 24);
}

/**
 * Card ids for cards posted without a name with the page's `postId`: the same post sent again
 * (its answer was lost) names the same card, and nobody without the post id (which only the
 * writer's device ever had) can tie the card to its writer.
 */
function postCardId(participantId: string, postId: string): string {
  return createHash('sha256').update(`post/${participantId}/${postId}`).digest('hex').slice(0, 24);
}

const draftCard = (d: { participantId: string; draftId: string; lane: string; text: string; anonymous: boolean }): ReleasedCard => ({
  id: draftCardId(d.participantId, d.draftId),
  lane: d.lane as Lane,
  text: d.text,
  anonymous: d.anonymous,
  author: d.anonymous ? undefined : d.participantId
});

const releaseFailed = (ctx: SessionContext, err: unknown): CommandResult => {
  ctx.logger.error({ err }, 'could not put released cards on the board');
  return fail('server_error', 'Your card could not be put on the board. It is kept on your device: try again.');
};

async function held(ctx: SessionContext, participantId: string): Promise<string[]> {
  return (await ctx.store.drafts.of(participantId)).map((d) => d.draftId);
}

export async function saveDraft(
  ctx: SessionContext,
  actor: ParticipantRecord,
  c: Extract<Command, { type: 'draft.save' }>
): Promise<CommandResult | Deferred> {
  const workshopId = actor.workshopId;
  const state = await ctx.states.get(workshopId);
  const anonymous = state.settings.anonymousCards === 'always' || (state.settings.anonymousCards === 'optional' && c.anonymous);
  if (!isSilentWriting(state)) {
    // The reveal happened while this device was offline: the draft joins the board at the next
    // release moment, with whatever else arrives by then.
    const card = c.text.trim() ? [draftCard({ participantId: actor.id, draftId: c.draftId, lane: c.lane, text: c.text, anonymous })] : [];
    const later = ctx.release.enqueue(c.boardId, card).then(
      async () => {
        ctx.notifier()?.drafts(actor.id, { held: await held(ctx, actor.id), revealed: [c.draftId] });
        return done;
      },
      (err: unknown) => releaseFailed(ctx, err)
    );
    return { later };
  }
  await ctx.store.drafts.save({
    participantId: actor.id,
    draftId: c.draftId,
    workshopId,
    boardId: c.boardId,
    lane: c.lane,
    text: c.text,
    anonymous,
    updatedAt: Date.now()
  });
  ctx.notifier()?.drafts(actor.id, { held: await held(ctx, actor.id), revealed: [] });
  ctx.views.schedule(workshopId);
  return done;
}

export async function deleteDraft(ctx: SessionContext, actor: ParticipantRecord, draftId: string): Promise<CommandResult> {
  await ctx.store.drafts.delete(actor.id, draftId);
  ctx.notifier()?.drafts(actor.id, { held: await held(ctx, actor.id), revealed: [] });
  return done;
}

/**
 * Puts every held draft of a board on it at once, in a random order, with one timestamp, written
 * by the server's peer: nothing in the board shows who wrote which card or when. Then the drafts
 * are deleted, and the database's write-ahead log is emptied, so no copy of a draft's words is
 * left on disk beside its writer's id.
 */
export async function revealDrafts(ctx: SessionContext, actor: ParticipantRecord, boardId: string): Promise<CommandResult> {
  const drafts = await ctx.store.drafts.ofBoard(boardId);
  await ctx.release.writeNow(boardId, drafts.filter((d) => d.text.trim()).map(draftCard));
  await ctx.store.drafts.deleteMany(drafts);
  try {
    await ctx.store.checkpoint();
  } catch (err) {
    ctx.logger.error({ err }, 'could not empty the write-ahead log after a reveal; the next checkpoint will');
  }
  const byAuthor = new Map<string, string[]>();
  for (const d of drafts) byAuthor.set(d.participantId, [...(byAuthor.get(d.participantId) ?? []), d.draftId]);
  for (const [author, ids] of byAuthor) ctx.notifier()?.drafts(author, { held: [], revealed: ids });
  ctx.views.schedule(actor.workshopId, 0);
  return done;
}

export async function addAnonymous(
  ctx: SessionContext,
  actor: ParticipantRecord,
  c: Extract<Command, { type: 'card.addAnonymous' }>
): Promise<CommandResult | Deferred> {
  const state = await ctx.states.get(actor.workshopId);
  if (state.settings.anonymousCards === 'off') return fail('not_allowed_now', 'Anonymous cards are turned off in this workshop.');
  if (isSilentWriting(state)) return fail('not_allowed_now', 'During silent writing your cards stay private until they are shown.');
  if (actor.role !== 'facilitator' && state.lockedBoards.includes(c.boardId)) return fail('not_allowed_now', 'The board is locked.');
  // Sent again after a lost answer: once it has been on the board (it is there, or was hidden or
  // removed since), the answer is that it was posted; waiting or on the board, the release skips it.
  const id = c.postId === undefined ? undefined : postCardId(actor.id, c.postId);
  if (id !== undefined && ((await ctx.store.moderation.get(c.boardId, id)) || (await ctx.store.removed.get(c.boardId, id)))) return done;
  // Written by the server's own peer: no client id, presence or event ties it to the author.
  const card = { lane: c.lane, text: c.text, anonymous: true, ...(id === undefined ? {} : { id, once: true as const }) };
  const later = ctx.release.enqueue(c.boardId, [card]).then(
    () => done,
    (err: unknown) => releaseFailed(ctx, err)
  );
  return { later };
}
