// What the facilitator puts on the present screen besides the question: a closed vote's results
// (present.show). Only a closed vote of this workshop: while a vote is open nobody sees a total, the
// screen included. The results are the same as everyone's (`voteResults`), small groups and all.
import type { OnScreen } from '../../src/lib/domain/facilitation';
import type { CommandResult } from '../../src/lib/protocol/session';
import type { ParticipantRecord } from '../persistence/types';
import { done, fail, type SessionContext } from './context';

export async function showOnPresent(ctx: SessionContext, actor: ParticipantRecord, target: OnScreen | null): Promise<CommandResult> {
  const workshopId = actor.workshopId;
  if (target) {
    const vote = await ctx.store.votes.get(target.voteId);
    // Another workshop's vote is answered as an unknown one.
    if (!vote || vote.workshopId !== workshopId) return fail('invalid_payload', 'There is no such vote in this workshop.');
    if (vote.closedAt === null) {
      return fail(
        'not_allowed_now',
        'This vote is still open. Close it first: the present screen shows results only once a vote has closed.'
      );
    }
  }
  await ctx.states.save(workshopId, { ...(await ctx.states.get(workshopId)), onScreen: target });
  return done;
}
