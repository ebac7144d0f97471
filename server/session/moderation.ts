// Moderation: roles, removing people, renewing invite links, hiding and restoring cards. Hiding
// keeps the whole card (every field), so restoring gives back exactly what was hidden: an
// anonymous card comes back anonymous. The writer of a hidden card (when one is recorded) is told,
// with the reason, until they dismiss it or the card is back.
import type { Role } from '../../src/lib/domain/roles';
import type { LinkKind } from '../../src/lib/protocol/links';
import { withoutParticipant } from '../../src/lib/domain/facilitation';
import type { CommandResult } from '../../src/lib/protocol/session';
import type { ParticipantRecord } from '../persistence/types';
import { newToken, unusedJoinCode } from '../tokens';
import { PRESENT_TEXT } from '../present';
import { done, fail, type SessionContext } from './context';
import { resendAgreedNaming } from './keypoints';
import { tellNotices, writerOf } from './removed';
import { resendResultsNaming } from './votes';

async function personHere(ctx: SessionContext, workshopId: string, participantId: string): Promise<ParticipantRecord | null> {
  const target = await ctx.store.people.get(participantId);
  return target && target.workshopId === workshopId && target.removedAt === null ? target : null;
}

export async function setRole(ctx: SessionContext, actor: ParticipantRecord, participantId: string, role: Role): Promise<CommandResult> {
  const workshopId = actor.workshopId;
  const target = await personHere(ctx, workshopId, participantId);
  if (!target) return fail('invalid_payload', 'That person is not in this workshop.');
  if (target.id === actor.id && role !== 'facilitator') {
    const others = (await ctx.store.people.list(workshopId)).some(
      (p) => p.id !== actor.id && p.role === 'facilitator' && p.removedAt === null
    );
    if (!others) return fail('not_allowed_now', 'You are the only facilitator. Make someone else a facilitator first.');
  }
  await ctx.store.people.setRole(target.id, role);
  // Representatives are members: the store took the mark off with any other role.
  const updated = { ...target, role, representative: role === 'member' && target.representative === true };
  ctx.connections.participantChanged(updated);
  ctx.notifier()?.role(updated);
  // The queue's order depends on roles (decision makers after members): everyone sees it anew.
  await ctx.states.save(workshopId, await ctx.states.get(workshopId));
  return done;
}

/**
 * Removes someone: their sockets and board connections close at once and their sessions end; a
 * device that presents one of those sessions again is refused a new join (see
 * WorkshopService.join). With `renewInvites`, in the same step, the member link (the code leads to
 * it), the link of the removed person's role and the join code are turned off and made anew, so
 * their other devices, or anyone they passed the link to, cannot join either.
 */
export async function removePerson(
  ctx: SessionContext,
  actor: ParticipantRecord,
  participantId: string,
  options: { renewInvites: boolean } = { renewInvites: false }
): Promise<CommandResult> {
  const workshopId = actor.workshopId;
  const target = await personHere(ctx, workshopId, participantId);
  if (!target) return fail('invalid_payload', 'That person is not in this workshop.');
  if (target.id === actor.id) return fail('not_allowed_now', 'You cannot remove yourself.');
  await ctx.store.people.remove(target.id, Date.now());
  ctx.connections.closeParticipant(target.id, 'removed');
  ctx.notifier()?.removed(target.id, 'The facilitator has removed you from this workshop.');
  await ctx.states.save(workshopId, withoutParticipant(await ctx.states.get(workshopId), target.id));
  if (options.renewInvites) {
    for (const role of new Set<Role>(['member', target.role])) await renewLink(ctx, workshopId, role);
    await ctx.store.workshops.setCode(workshopId, await unusedJoinCode((code) => ctx.store.workshops.codeInUse(code)));
    ctx.views.schedule(workshopId, 0);
    // The present screen shows the new code and the new member link's QR code.
    ctx.present.schedule(workshopId, 0);
  }
  return done;
}

/** Turns off the role's links that still work and makes a new one. */
async function renewLink(ctx: SessionContext, workshopId: string, role: Role): Promise<void> {
  const now = Date.now();
  for (const invite of await ctx.store.people.invites(workshopId)) {
    if (invite.role === role && invite.revokedAt === null) await ctx.store.people.revokeInvite(invite.token, now);
  }
  await ctx.store.people.addInvite({ token: newToken(), workshopId, role, createdAt: now, revokedAt: null });
}

/**
 * invite.renew: a role's invite link, or the present link. Screens opened with the old present link
 * are told and closed at once (a facilitator's own present view, opened with their session, stays).
 */
export async function renewInvite(ctx: SessionContext, actor: ParticipantRecord, kind: LinkKind): Promise<CommandResult> {
  const workshopId = actor.workshopId;
  if (kind === 'present') {
    await ctx.store.present.replace({ token: newToken(), workshopId, createdAt: Date.now(), revokedAt: null });
    ctx.notifier()?.presentLinkReplaced(workshopId, PRESENT_TEXT.replaced);
  } else {
    await renewLink(ctx, workshopId, kind);
    // A new member link is a new QR code on the present screen.
    if (kind === 'member') ctx.present.schedule(workshopId, 0);
  }
  ctx.views.schedule(workshopId, 0);
  return done;
}

export async function hideCard(
  ctx: SessionContext,
  actor: ParticipantRecord,
  boardId: string,
  cardId: string,
  reason: string
): Promise<CommandResult> {
  const workshopId = actor.workshopId;
  // Kept before the card leaves the board: if the edit fails, it is still on the board.
  const snapshot = await ctx.boards.read(boardId, (board) => board.snapshot(cardId));
  if (!snapshot) return fail('invalid_payload', 'That card is not on the board.');
  const hiddenAt = Date.now();
  await ctx.store.moderation.hide({ boardId, cardId, card: snapshot, reason, hiddenAt });
  await ctx.boards.edit(boardId, (board) => board.delete(cardId));
  // Its writer is told, with the reason (nobody can be told about a card posted without a name).
  const writer = await writerOf(ctx, boardId, cardId);
  if (writer !== null && (await ctx.store.people.get(writer))) {
    await ctx.store.notices.add({ participantId: writer, boardId, cardId, kind: 'hidden', createdAt: hiddenAt });
    await tellNotices(ctx, [writer]);
  }
  const state = await ctx.states.get(workshopId);
  if (state.spotlight?.kind === 'card' && state.spotlight.cardId === cardId)
    await ctx.states.save(workshopId, { ...state, spotlight: null });
  // Its words leave the agreed versions as everyone sees them too (the versions keep them, for a restore).
  await resendAgreedNaming(ctx, workshopId, boardId, cardId);
  await resendResultsNaming(ctx, workshopId, boardId, cardId);
  ctx.views.schedule(workshopId, 0);
  return done;
}

export async function restoreCard(ctx: SessionContext, actor: ParticipantRecord, boardId: string, cardId: string): Promise<CommandResult> {
  const hidden = await ctx.store.moderation.get(boardId, cardId);
  if (!hidden) return fail('invalid_payload', 'That card is not hidden.');
  await ctx.boards.edit(boardId, (board) => board.restore(cardId, hidden.card));
  await ctx.store.moderation.delete(boardId, cardId);
  // Back on the board: what its writer was told no longer stands.
  await ctx.store.notices.deleteAbout(boardId, cardId, 'hidden');
  const writer = await writerOf(ctx, boardId, cardId);
  if (writer !== null) await tellNotices(ctx, [writer]);
  await resendAgreedNaming(ctx, actor.workshopId, boardId, cardId);
  await resendResultsNaming(ctx, actor.workshopId, boardId, cardId);
  ctx.views.schedule(actor.workshopId, 0);
  return done;
}
