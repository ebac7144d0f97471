// Dot voting, server-authoritative: opening a vote on a board's cards or themes, casting and
// taking back votes (within each person's budget and the limit per item; everyone who may vote
// has the same budget), closing it. While a vote is open nobody sees any total, by any channel:
// `state` carries the vote's items and turnout only (turnout.ts), each voter's own votes go to
// their sockets alone (`ballot`), and a vote's acknowledgement to the voter alone. Closing turns
// the ballots into totals by role group and deletes them in the same transaction, then empties
// the database's write-ahead log, so no ballot stays on disk beside its voter's id; the results
// (`voteResults`) go to everyone and are kept for the briefing. See "Votes" in docs/API.md.
import { randomBytes } from 'node:crypto';
import {
  cast,
  present,
  remaining,
  retract,
  summarise,
  themeOfItem,
  used,
  voteLimits,
  votingRoles,
  VOTE_RULES,
  VOTING_ROLES,
  withoutHiddenLabels,
  type Ballot,
  type VoteResults,
  type VoteSubject,
  type VotingRole
} from '../../src/lib/domain/votes';
import type { Command } from '../../src/lib/protocol/commands';
import type { CommandFailure, CommandResult, MyBallot } from '../../src/lib/protocol/session';
import type { ParticipantRecord, VoteRecord } from '../persistence/types';
import { done, fail, type SessionContext } from './context';
import { hiddenByBoard } from './hidden';
import type { Deferred } from './drafts';

type Of<K extends Command['type']> = Extract<Command, { type: K }>;

/** The subject as stored: lists without repeats. */
function normalised(on: VoteSubject): VoteSubject {
  const themes = on.themes && [...new Set(on.themes)];
  if (on.kind === 'themes') return themes ? { kind: 'themes', themes } : { kind: 'themes' };
  const lanes = on.lanes && [...new Set(on.lanes)];
  return { kind: 'cards', ...(lanes ? { lanes } : {}), ...(themes ? { themes } : {}) };
}

const myBallot = (vote: VoteRecord, mine: Ballot): MyBallot => ({ voteId: vote.id, mine: { ...mine }, remaining: remaining(mine, vote) });

/** The vote a command names, if it is this workshop's; another workshop's is answered as unknown. */
async function voteOf(ctx: SessionContext, actor: ParticipantRecord, voteId: string): Promise<VoteRecord | CommandFailure> {
  const vote = await ctx.store.votes.get(voteId);
  if (!vote || vote.workshopId !== actor.workshopId) return fail('invalid_payload', 'There is no such vote in this workshop.');
  if (vote.closedAt !== null) return fail('not_allowed_now', 'This vote has closed.');
  return vote;
}

export async function openVote(ctx: SessionContext, actor: ParticipantRecord, c: Of<'vote.open'>): Promise<CommandResult<'vote.open'>> {
  const workshopId = actor.workshopId;
  // Not once the workshop has ended: the dispatcher refuses it (vote.open is not taken after the end).
  const limits = voteLimits(c);
  if (!limits.ok) return fail('invalid_payload', limits.message);
  if ((await ctx.store.votes.openIn(workshopId)).some((v) => v.boardId === c.boardId)) {
    return fail('not_allowed_now', 'A vote is already open on this board. Close it before opening another.');
  }
  const on = normalised(c.on);
  const picked = await ctx.boards.read(c.boardId, (board) => board.voteItems(on));
  if (!picked.ok) return fail('invalid_payload', picked.message);
  if (!picked.value.length) {
    return fail(
      'not_allowed_now',
      on.kind === 'themes' ? 'There are no themes on the board to vote on.' : 'There are no cards to vote on there.'
    );
  }
  if (picked.value.length > VOTE_RULES.maxItems) {
    return fail('invalid_payload', `A vote can be about at most ${VOTE_RULES.maxItems} cards or themes. Choose fewer lanes or themes.`);
  }
  const vote: VoteRecord = {
    id: randomBytes(12).toString('hex'),
    workshopId,
    boardId: c.boardId,
    subject: on,
    items: picked.value.map((i) => i.id),
    votesPerPerson: limits.value.votesPerPerson,
    maxPerItem: limits.value.maxPerItem,
    openedAt: Date.now(),
    closedAt: null
  };
  await ctx.store.votes.open(vote);
  ctx.turnout.opened(vote);
  await ctx.states.publish(workshopId);
  return { ok: true, voteId: vote.id };
}

/**
 * vote.cast and vote.retract: one vote more or fewer on an item, for the sender only. Checked and
 * committed in the workshop's turn (so no two of one person's votes can pass the budget together);
 * answered once durable, outside the turn, so a thousand voters share each sync of the disk.
 */
export async function changeVote(
  ctx: SessionContext,
  actor: ParticipantRecord,
  c: Of<'vote.cast'> | Of<'vote.retract'>
): Promise<CommandResult | Deferred> {
  const vote = await voteOf(ctx, actor, c.voteId);
  if ('error' in vote) return vote;
  if (!vote.items.includes(c.itemId)) return fail('invalid_payload', 'That is not one of the cards or themes in this vote.');
  // A vote can be taken back from an item that has left the board (to move it), not put on one.
  if (c.type === 'vote.cast' && !(await ctx.boards.read(vote.boardId, (board) => board.hasVoteItem(c.itemId)))) {
    return fail(
      'invalid_payload',
      themeOfItem(c.itemId) !== null ? 'That theme is no longer on the board.' : 'That card is no longer on the board.'
    );
  }
  const before = await ctx.store.votes.ballot(vote.id, actor.id);
  const after = c.type === 'vote.cast' ? cast(before, c.itemId, vote) : retract(before, c.itemId);
  if (!after.ok) return fail('not_allowed_now', after.message);
  if (!(await ctx.store.votes.setVotes(vote.id, actor.id, c.itemId, after.value[c.itemId] ?? 0))) {
    return fail('not_allowed_now', 'This vote has closed.');
  }
  const later = ctx.store.votes.durable().then(
    () => {
      ctx.notifier()?.ballot(actor.id, myBallot(vote, after.value));
      // Turnout counts people with at least one vote: only a first vote or a last one taken back changes it.
      if ((used(before) === 0) !== (used(after.value) === 0)) ctx.turnout.changed(actor.workshopId);
      return done;
    },
    (err: unknown): CommandResult => {
      ctx.logger.error({ err }, 'a vote could not be made durable');
      return fail('server_error', 'The server could not save your vote. Reload to see which of your votes it kept.');
    }
  );
  return { later };
}

export async function closeVote(ctx: SessionContext, actor: ParticipantRecord, voteId: string): Promise<CommandResult> {
  const vote = await voteOf(ctx, actor, voteId);
  if ('error' in vote) return vote;
  await finish(ctx, vote);
  return done;
}

/** The workshop ended: its open votes close, so no ballot outlives it. */
export async function closeOpenVotes(ctx: SessionContext, workshopId: string): Promise<void> {
  for (const vote of await ctx.store.votes.openIn(workshopId)) await finish(ctx, vote);
}

/**
 * Closes a vote: totals by the role each voter has now (observers and people who have left are
 * not counted), kept with the ballots' deletion in one transaction; then the write-ahead log is
 * emptied, and everyone gets the results.
 */
async function finish(ctx: SessionContext, vote: VoteRecord): Promise<void> {
  const people = await ctx.store.people.list(vote.workshopId);
  const roles = votingRoles(people);
  const eligible = Object.fromEntries(VOTING_ROLES.map((r) => [r, 0])) as Record<VotingRole, number>;
  for (const role of Object.values(roles)) eligible[role]++;
  const labels = await ctx.boards.read(vote.boardId, (board) => Object.fromEntries(vote.items.map((id) => [id, board.voteItemLabel(id)])));
  const closed = await ctx.store.votes.close(vote.id, Date.now(), labels, (ballots) => summarise(ballots, roles, eligible, vote.items));
  ctx.turnout.closed(vote.id);
  if (!closed) return;
  try {
    await ctx.store.checkpoint();
  } catch (err) {
    ctx.logger.error({ err }, 'could not empty the write-ahead log after a vote closed; the next checkpoint will');
  }
  await ctx.states.publish(vote.workshopId, people);
  ctx.notifier()?.voteResults(vote.workshopId, present(closed));
}

/** What a socket gets on connect: its person's votes in each open vote, and each board's latest results. */
export async function votesOnConnect(
  ctx: Pick<SessionContext, 'store'>,
  participant: ParticipantRecord
): Promise<{ ballots: MyBallot[]; results: VoteResults[] }> {
  const ballots: MyBallot[] = [];
  if (participant.role !== 'observer') {
    for (const vote of await ctx.store.votes.openIn(participant.workshopId)) {
      ballots.push(myBallot(vote, await ctx.store.votes.ballot(vote.id, participant.id)));
    }
  }
  const latest = new Map<string, VoteResults>();
  const hidden = await hiddenByBoard(ctx, participant.workshopId);
  for (const closed of await ctx.store.votes.results(participant.workshopId)) {
    latest.set(closed.boardId, present(withoutHiddenLabels(closed, hidden.get(closed.boardId) ?? new Set())));
  }
  return { ballots, results: [...latest.values()] };
}

/**
 * A card was hidden or put back: if the board's latest closed vote (the results pages show) was
 * on it, everyone gets those results again, with its words left out or back.
 */
export async function resendResultsNaming(ctx: SessionContext, workshopId: string, boardId: string, cardId: string): Promise<void> {
  const closed = (await ctx.store.votes.results(workshopId)).filter((v) => v.boardId === boardId);
  const latest = closed.at(-1);
  if (!latest || !(cardId in latest.labels) || latest.labels[cardId] === null) return;
  const hidden = (await hiddenByBoard(ctx, workshopId)).get(boardId) ?? new Set();
  ctx.notifier()?.voteResults(workshopId, present(withoutHiddenLabels(latest, hidden)));
}
