// The command table: for every command, who may send it and which board (if any) it names. It
// drives the server's role check and board check (server/session/dispatch.ts), the domain's
// refusal of a role (src/lib/domain/facilitation.ts), the page's choice of what to offer, and
// the permission matrix test (tests/integration/permissions.test.ts). Data only, no zod: the page
// and the pure domain read it too.
//
// Adding a command: one schema in schemas.ts, one row here, one case in the dispatcher's switch
// (server/session/dispatch.ts), and its rule (pure in src/lib/domain, or a session handler).
import { mayPrepareQuestion, type Role } from '../domain/roles';
import type { Command, CommandType } from './schemas';

export type { Command, CommandType } from './schemas';

/**
 * Who may send a command: facilitators only, the people who prepare the question (decision makers
 * and facilitators), anyone taking part (not observers), or anyone.
 */
export type Audience = 'facilitator' | 'preparer' | 'contributor' | 'anyone';

export interface Rule<C extends Command> {
  who: Audience;
  /** The board the command names, which must belong to the sender's workshop; null when none. */
  board: (command: C) => string | null;
  /**
   * Still taken once the workshop has ended: what people do for themselves (lower a hand, leave,
   * remove their name) and moderation. Every other command is refused after the end, so a new
   * command is refused there unless its row says otherwise.
   */
  afterEnd?: true;
}

type Of<K extends CommandType> = Extract<Command, { type: K }>;
export type CommandTable = { [K in CommandType]: Rule<Of<K>> };

const none = () => null;
const named = (c: { boardId: string }) => c.boardId;

export const COMMANDS = {
  'phase.go': { who: 'facilitator', board: none },
  'phases.set': { who: 'facilitator', board: none },
  'timer.start': { who: 'facilitator', board: none },
  'timer.pause': { who: 'facilitator', board: none },
  'timer.addMinute': { who: 'facilitator', board: none },
  'timer.reset': { who: 'facilitator', board: none },
  'board.lock': { who: 'facilitator', board: named },
  'settings.update': { who: 'facilitator', board: none },
  'hand.raise': { who: 'contributor', board: none },
  'hand.lower': { who: 'anyone', board: none, afterEnd: true },
  'turn.pass': { who: 'contributor', board: none, afterEnd: true },
  'queue.next': { who: 'facilitator', board: none },
  'queue.clear': { who: 'facilitator', board: none },
  'spotlight.set': { who: 'facilitator', board: (c) => c.target?.boardId ?? null },
  'round.open': { who: 'facilitator', board: none },
  'round.answer': { who: 'contributor', board: none },
  'round.close': { who: 'facilitator', board: none, afterEnd: true },
  'participant.setRole': { who: 'facilitator', board: none, afterEnd: true },
  'participant.remove': { who: 'facilitator', board: none, afterEnd: true },
  'invite.renew': { who: 'facilitator', board: none, afterEnd: true },
  'card.hide': { who: 'facilitator', board: named, afterEnd: true },
  'card.restore': { who: 'facilitator', board: named, afterEnd: true },
  'card.addAnonymous': { who: 'contributor', board: named },
  // The handler lets only the card's writer or a facilitator put it back (and, on a locked board
  // or after the end, only a facilitator): taken after the end for facilitators' moderation.
  'card.restoreRemoved': { who: 'contributor', board: named, afterEnd: true },
  'notice.dismiss': { who: 'anyone', board: named, afterEnd: true },
  'draft.save': { who: 'contributor', board: named },
  'draft.delete': { who: 'anyone', board: none, afterEnd: true },
  'drafts.reveal': { who: 'facilitator', board: named },
  'facilitator.refresh': { who: 'facilitator', board: none, afterEnd: true },
  'workshop.end': { who: 'facilitator', board: none, afterEnd: true },
  'workshop.delete': { who: 'facilitator', board: none, afterEnd: true },
  'me.forget': { who: 'anyone', board: none, afterEnd: true },
  'me.away': { who: 'anyone', board: none, afterEnd: true },
  // Changes nothing of the workshop, only whether a person's time is being recorded.
  'me.back': { who: 'anyone', board: none, afterEnd: true },
  'vote.open': { who: 'facilitator', board: named },
  // A vote belongs to one workshop: the handler refuses another workshop's vote as unknown.
  'vote.cast': { who: 'contributor', board: none },
  'vote.retract': { who: 'contributor', board: none },
  'vote.close': { who: 'facilitator', board: none },
  // After the end too: facilitators may still edit a locked board's key points (the briefing is
  // often finished then), and agreeing is how those edits stop being changes nobody agreed.
  'keypoints.agree': { who: 'facilitator', board: named, afterEnd: true },
  'consent.open': { who: 'facilitator', board: named },
  // A round belongs to one workshop: the handler refuses another workshop's round as unknown.
  'consent.answer': { who: 'contributor', board: none },
  'consent.close': { who: 'facilitator', board: none },
  // After the end too: the facilitator may still choose who takes the briefing to the board.
  'participant.setRepresentative': { who: 'facilitator', board: none, afterEnd: true },
  // A vote belongs to one workshop: the handler refuses another workshop's vote as unknown.
  'present.show': { who: 'facilitator', board: none },
  // Not after the end: the question and its glossary are what the group worked on that day.
  'question.set': { who: 'preparer', board: none },
  // A term belongs to one workshop: the handler refuses another workshop's term as unknown.
  'glossary.put': { who: 'preparer', board: none },
  'glossary.remove': { who: 'preparer', board: none },
  // Not after the end: bringing points in and merging them is the day's work on the board.
  'rollup.bring': { who: 'facilitator', board: named },
  'rollup.merge': { who: 'facilitator', board: named },
  'rollup.unmerge': { who: 'facilitator', board: named }
} as const satisfies CommandTable;

export const COMMAND_TYPES = Object.keys(COMMANDS) as CommandType[];

export function allows(who: Audience, role: Role): boolean {
  switch (who) {
    case 'facilitator':
      return role === 'facilitator';
    case 'preparer':
      return mayPrepareQuestion(role);
    case 'contributor':
      return role !== 'observer';
    case 'anyone':
      return true;
    default: {
      const never: never = who;
      return never;
    }
  }
}

export function isCommandType(type: string): type is CommandType {
  return Object.hasOwn(COMMANDS, type);
}

/** The role rule for a command type (schema first, then this, then the domain rule). */
export function permitted(role: Role, type: CommandType): boolean {
  return allows(COMMANDS[type].who, role);
}

/** Whether a command is still taken once the workshop has ended. */
export function takenAfterEnd(type: CommandType): boolean {
  return 'afterEnd' in COMMANDS[type];
}

/** The board a command names, if any (checked against the sender's workshop). */
export function boardOf(command: Command): string | null {
  return (COMMANDS[command.type].board as (c: Command) => string | null)(command);
}
