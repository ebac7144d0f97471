// Every socket.io command comes through here: its schema, then who may send it and which board it
// names (both from the command table, src/lib/protocol/commands.ts), then one exhaustive switch to
// its handler, which applies the domain rule. Commands for one workshop run one at a time, in the
// order the server took them. Never throws: every failure is an answer.
import type { Logger } from 'pino';
import { apply, type Actor, type PureCommand } from '../../src/lib/domain/facilitation';
import { boardOf, COMMANDS, permitted, takenAfterEnd, type Command, type CommandType } from '../../src/lib/protocol/commands';
import type { Role } from '../../src/lib/domain/roles';
import { parseCommand } from '../../src/lib/protocol/schemas';
import type { CommandResult } from '../../src/lib/protocol/session';
import { GONE_TEXT } from '../../src/lib/protocol/errors';
import { VersionConflict, type ParticipantRecord } from '../persistence/types';
import { done, fail, type SessionContext } from './context';
import { addAnonymous, deleteDraft, revealDrafts, saveDraft, type Deferred } from './drafts';
import { hideCard, removePerson, renewInvite, restoreCard, setRole } from './moderation';
import { deleteWorkshop, endWorkshop, forget } from './privacy';
import { dismissNotice, restoreRemoved } from './removed';
import { rolesOf } from './states';
import { changeVote, closeVote, openVote } from './votes';
import { agreeKeyPoints, answerConsent, closeConsent, openConsent, setRepresentative } from './keypoints';
import { showOnPresent } from './present';
import { putTerm, removeTerm, setQuestion } from './question';
import { bringIn, mergeCards, unmergeCard } from './rollup';

/** The answer to anything that would change a workshop after its end (the command table's `afterEnd`). */
const ENDED = 'This workshop has ended. Nothing can be added or changed now, but you can still read the board.';

/** Why a role may not send a command, in the words of who may. */
function refusalFor(type: CommandType, role: Role): string {
  if (COMMANDS[type].who === 'preparer') return 'Only decision makers and the facilitator can change the question and its glossary.';
  return role === 'observer' ? 'Observers watch only.' : 'Only the facilitator can do that.';
}

export class Dispatcher {
  constructor(
    private ctx: SessionContext,
    private logger: Logger
  ) {}

  /** Handles one command from a participant's socket. */
  async handle(participantId: string, raw: unknown): Promise<CommandResult> {
    const parsed = parseCommand(raw);
    if (!parsed.ok) return fail(parsed.unknown ? 'unknown_command' : 'invalid_payload', parsed.message);
    const command = parsed.command;
    try {
      const participant = await this.ctx.store.people.get(participantId);
      if (!participant || participant.removedAt !== null) return fail('forbidden', 'You are no longer in this workshop.');
      if (!permitted(participant.role, command.type)) return fail('forbidden', refusalFor(command.type, participant.role));
      const boardId = boardOf(command);
      if (boardId !== null && (await this.ctx.store.workshops.board(boardId))?.workshopId !== participant.workshopId) {
        return fail('invalid_payload', 'That board is not part of this workshop.');
      }
      const outcome = await this.ctx.states.exclusive(participant.workshopId, async () =>
        !takenAfterEnd(command.type) && (await this.ctx.store.workshops.get(participant.workshopId))?.endedAt
          ? fail('not_allowed_now', ENDED)
          : this.dispatch(participant, command)
      );
      // An answer that waits for a release is awaited here, outside the workshop's lock.
      return 'later' in outcome ? await outcome.later : outcome;
    } catch (err) {
      if (err instanceof VersionConflict) return fail('server_error', 'Someone changed this at the same moment. Try again.');
      this.logger.error({ err, type: command.type }, 'command failed');
      return fail('server_error', 'Something went wrong on the server. Try again.');
    }
  }

  private dispatch(participant: ParticipantRecord, command: Command): Promise<CommandResult | Deferred> {
    const ctx = this.ctx;
    switch (command.type) {
      case 'phase.go':
      case 'phases.set':
      case 'timer.start':
      case 'timer.pause':
      case 'timer.addMinute':
      case 'timer.reset':
      case 'board.lock':
      case 'settings.update':
      case 'hand.raise':
      case 'hand.lower':
      case 'turn.pass':
      case 'queue.next':
      case 'queue.clear':
      case 'spotlight.set':
      case 'round.open':
      case 'round.answer':
      case 'round.close':
        return this.pure(participant, command);
      case 'me.away':
        // Whatever the queue makes of it, a break stops the person's recorded time.
        ctx.attendance.stepAway(participant.id);
        return this.pure(participant, command);
      case 'me.back':
        ctx.attendance.back(participant.id);
        return Promise.resolve(done);
      case 'participant.setRole':
        return setRole(ctx, participant, command.participantId, command.role);
      case 'participant.remove':
        return removePerson(ctx, participant, command.participantId, { renewInvites: command.renewInvites ?? false });
      case 'invite.renew':
        return renewInvite(ctx, participant, command.role);
      case 'card.hide':
        return hideCard(ctx, participant, command.boardId, command.cardId, command.reason);
      case 'card.restore':
        return restoreCard(ctx, participant, command.boardId, command.cardId);
      case 'card.restoreRemoved':
        return restoreRemoved(ctx, participant, command.boardId, command.cardId);
      case 'notice.dismiss':
        return dismissNotice(ctx, participant, command.boardId, command.cardId, command.kind);
      case 'card.addAnonymous':
        return addAnonymous(ctx, participant, command);
      case 'draft.save':
        return saveDraft(ctx, participant, command);
      case 'draft.delete':
        return deleteDraft(ctx, participant, command.draftId);
      case 'drafts.reveal':
        return revealDrafts(ctx, participant, command.boardId);
      case 'facilitator.refresh':
        ctx.views.schedule(participant.workshopId, 0);
        return Promise.resolve(done);
      case 'workshop.end':
        return endWorkshop(ctx, participant);
      case 'workshop.delete':
        // Answered at once; everyone (the sender too) is told and disconnected as it goes.
        void deleteWorkshop(ctx, participant.workshopId, GONE_TEXT.deletedByFacilitator);
        return Promise.resolve(done);
      case 'me.forget':
        return forget(ctx, participant);
      case 'vote.open':
        return openVote(ctx, participant, command);
      case 'vote.cast':
      case 'vote.retract':
        return changeVote(ctx, participant, command);
      case 'vote.close':
        return closeVote(ctx, participant, command.voteId);
      case 'keypoints.agree':
        return agreeKeyPoints(ctx, participant, command.boardId);
      case 'consent.open':
        return openConsent(ctx, participant, command.boardId);
      case 'consent.answer':
        return answerConsent(ctx, participant, command);
      case 'consent.close':
        return closeConsent(ctx, participant, command.consentId);
      case 'participant.setRepresentative':
        return setRepresentative(ctx, participant, command.participantId, command.representative);
      case 'present.show':
        return showOnPresent(ctx, participant, command.target);
      case 'question.set':
        return setQuestion(ctx, participant, command);
      case 'glossary.put':
        return putTerm(ctx, participant, command);
      case 'glossary.remove':
        return removeTerm(ctx, participant, command.termId);
      case 'rollup.bring':
        return bringIn(ctx, participant, command);
      case 'rollup.merge':
        return mergeCards(ctx, participant, command);
      case 'rollup.unmerge':
        return unmergeCard(ctx, participant, command);
      default: {
        const never: never = command;
        return never;
      }
    }
  }

  /** A command the pure rules decide: apply(state, command, actor, now), then save and broadcast. */
  private async pure(participant: ParticipantRecord, command: PureCommand): Promise<CommandResult> {
    const workshopId = participant.workshopId;
    const actor: Actor = { participantId: participant.id, name: participant.name, role: participant.role };
    // One read of the people serves both the rule (queue order by role) and the broadcast (names).
    const participants = await this.ctx.store.people.list(workshopId);
    const result = apply(await this.ctx.states.get(workshopId), command, actor, Date.now(), rolesOf(participants));
    if (!result.ok) return fail(result.code, result.message);
    await this.ctx.states.save(workshopId, result.state, participants);
    if (command.type === 'board.lock' && !command.locked) this.ctx.connections.boardUnlocked(command.boardId);
    return done;
  }
}
