// The socket.io contract for session control, typed on both ends so a renamed event fails to
// compile. Every command goes through one event, `command`, with an acknowledgement; the server
// validates it (schema, then role and board from the command table, then the domain rule). The
// commands themselves are in schemas.ts and commands.ts. See docs/API.md for each command.
import type { Lane } from '../board/schema';
import type { FacilitationState, OnScreen, Phase, RoundAnswer, Spotlight } from '../domain/facilitation';
import type { Command, CommandType } from './schemas';
import type { TimerState } from '../domain/timer';
import type { Role } from '../domain/roles';
import type { RemovedBy } from '../domain/removed';
import type { TurnoutRow, VoteResults, VoteSubject } from '../domain/votes';
import type { ConsentAnswer, ConsentPoint, ConsentResults } from '../domain/consent';
import type { AgreedVersion } from '../domain/agreed';
import type { LinkKind } from './links';
import type { QuestionInfo } from '../domain/question';

export const PROTOCOL_VERSION = 1;

export interface ParticipantInfo {
  id: string;
  name: string;
  role: Role;
  /** Marked by a facilitator as a representative of the group: may download the briefing. */
  representative?: boolean;
}

export interface Welcome {
  protocolVersion: number;
  participant: ParticipantInfo;
  workshop: { id: string; title: string; question: string };
  /** Server clock when sent, so timers show in step whatever the device's clock says. */
  serverTime: number;
}

/** What everyone in the workshop sees. No author of any card or anonymous answer is in here. */
export interface PublicState {
  phases: Phase[];
  phaseIndex: number;
  timer: TimerState;
  lockedBoards: string[];
  settings: FacilitationState['settings'];
  /** The hand-raise queue, in the order people will be called. */
  queue: { participantId: string; name: string }[];
  speaking: { participantId: string; name: string } | null;
  spotlight: Spotlight | null;
  /** What the present screen shows besides the question (present.show): a closed vote's results, or nothing. */
  onScreen: OnScreen | null;
  /** The check-in or check-out; `number` counts the workshop's rounds, so a page can tell a new one. */
  round: { number: number; kind: 'checkin' | 'checkout'; prompt: string; open: boolean; answers: Omit<RoundAnswer, 'by'>[] } | null;
  /** The facilitator has ended the workshop: boards are read-only, and devices stop keeping copies. */
  ended: boolean;
  /** The votes open now (at most one per board): what they are about and the turnout, never a total. */
  votes: PublicVote[];
  /** The consent rounds open now (at most one per board): the points asked about and the turnout, never a total. */
  consent: PublicConsent[];
  serverTime: number;
}

/** An open consent round as everyone sees it: no totals until it closes (`consentResults`). */
export interface PublicConsent {
  id: string;
  boardId: string;
  /** The key points asked about, fixed when it opened, in order. */
  points: ConsentPoint[];
  openedAt: number;
  /** Who has answered so far, by role group; changes at turnout moments only. */
  turnout: TurnoutRow[];
}

/** Your own answers in an open consent round: sent to your sockets only. */
export interface MyConsent {
  consentId: string;
  answers: Record<string, ConsentAnswer>;
}

/**
 * An open vote as everyone sees it. No totals, by design: they exist only once the vote closes
 * (`voteResults`). Turnout changes at turnout moments (multiples of LIMIT_RELEASE_WINDOW_MS on the
 * server's clock), never at the moment someone votes.
 */
export interface PublicVote {
  id: string;
  boardId: string;
  on: VoteSubject;
  /** Card ids, or `theme:<themeId>`, fixed when the vote opened, in board order. */
  items: string[];
  votesPerPerson: number;
  maxPerItem: number;
  openedAt: number;
  /** Who has voted so far, by role group ('7 of 9 members have voted'). */
  turnout: TurnoutRow[];
}

/** Your own votes in an open vote: sent to your sockets only, after each change and on connect. */
export interface MyBallot {
  voteId: string;
  /** Your votes on each item (items without any are left out). */
  mine: Record<string, number>;
  remaining: number;
}

export type { TurnoutRow, VoteResults, VoteSubject } from '../domain/votes';
export type { ConsentAnswer, ConsentPoint, ConsentResults } from '../domain/consent';
export type { AgreedVersion } from '../domain/agreed';
export type { QuestionCheck, QuestionInfo } from '../domain/question';
export type { GlossaryEntry } from '../domain/glossary';

export interface RosterEntry {
  id: string;
  name: string;
  role: Role;
  online: boolean;
  /** May download the briefing (marked by a facilitator). */
  representative: boolean;
}

/** Participation balance, for the facilitator only. Anonymous cards are counted, never attributed. */
export interface Balance {
  people: { id: string; name: string; role: Role; cards: number; words: number; turns: number; notYet: boolean }[];
  groups: { role: Role; people: number; cards: number; words: number; turns: number }[];
  anonymousCards: number;
}

export interface HiddenCard {
  boardId: string;
  cardId: string;
  lane: Lane;
  text: string;
  /** Posted without a name: it comes back without one. */
  anonymous: boolean;
  reason: string;
  hiddenAt: number;
}

/**
 * A card someone took off the board that someone else wrote (facilitators see every one). Who
 * removed it is said only as "a facilitator" or "someone on the board"; who wrote it, never.
 */
export interface RemovedCard {
  boardId: string;
  cardId: string;
  lane: Lane;
  text: string;
  /** Posted without a name: nobody could be told it was removed. */
  anonymous: boolean;
  /** Whether its writer is recorded, so was told and can put it back themselves. */
  writerTold: boolean;
  removedBy: RemovedBy;
  removedAt: number;
}

export interface FacilitatorView {
  roster: RosterEntry[];
  balance: Balance;
  hidden: HiddenCard[];
  /** Removed cards, oldest removal first. */
  removed: RemovedCard[];
  /** The invite links that work now, by role, and the present link (`present`). */
  links: Partial<Record<LinkKind, string>>;
}

/**
 * What the present screen (/w/<id>/present) shows, and all a present link can read: built by the
 * server for that screen alone, so nothing in it names anyone (no queue, no speaker, no check-in
 * answers, no presence). Sent as `present` to present screens only, after every change.
 */
export interface PresentView {
  workshop: { title: string; question: string };
  /** How to join, as the invite page shows it; null once the workshop has ended, or while there is no member link. */
  join: {
    /** The join code as people read it ("XC6 FRA"). */
    code: string;
    /** Where to type it (`<base>/join`). */
    address: string;
    /** The member invite link as a QR code (an SVG data URL). */
    qr: string;
  } | null;
  /** The step the workshop is at: its number from 1, how many there are, its name and what it asks of people. */
  step: { number: number; of: number; title: string; help: string };
  timer: TimerState;
  /** The server's clock when this was sent: a screen shows `endsAt - serverTime` as the time left. */
  serverTime: number;
  /** People connected to the workshop now (present screens are not people, so never counted). */
  here: number;
  /** Cards on the workshop's boards now. */
  cards: number;
  /** What the facilitator is showing everyone: a card's words and its list, or a list and how many cards it has. */
  spotlight: { kind: 'card'; lane: Lane; text: string } | { kind: 'lane'; lane: Lane; cards: number } | null;
  /** A closed vote's results, when the facilitator shows them (present.show); they name nobody. */
  results: VoteResults | null;
  ended: boolean;
}

/**
 * What a person is told about their own cards until they dismiss it: one of their cards removed
 * by someone (they can put it back), or hidden by a facilitator with a reason.
 */
export type CardNotice =
  | { kind: 'removed'; boardId: string; cardId: string; lane: Lane; text: string; removedAt: number }
  | { kind: 'hidden'; boardId: string; cardId: string; lane: Lane; text: string; reason: string; hiddenAt: number };

export type CommandErrorCode = 'invalid_payload' | 'forbidden' | 'not_allowed_now' | 'rate_limited' | 'unknown_command' | 'server_error';

export interface CommandError {
  code: CommandErrorCode;
  message: string;
}

export interface CommandFailure {
  ok: false;
  error: CommandError;
}

/** What an allowed command answers besides `ok: true`, for the commands that answer more. */
export interface CommandAnswers {
  'vote.open': { voteId: string };
  'keypoints.agree': { number: number };
  'consent.open': { consentId: string };
  'glossary.put': { termId: string };
  'rollup.bring': { cardIds: string[] };
  'rollup.merge': { cardId: string };
  'rollup.unmerge': { cardIds: string[] };
}

export type CommandOk<K extends CommandType = CommandType> = K extends keyof CommandAnswers
  ? { ok: true } & CommandAnswers[K]
  : { ok: true };

/** The answer to a command of type K (any command when K is left out). */
export type CommandResult<K extends CommandType = CommandType> = CommandOk<K> | CommandFailure;

export type { Command, CommandType } from './schemas';

export interface ServerToClientEvents {
  welcome: (welcome: Welcome) => void;
  state: (state: PublicState) => void;
  /** Only to facilitators. */
  facilitator: (view: FacilitatorView) => void;
  /** Only to the author: which of their drafts the server holds, and which were revealed. */
  drafts: (info: { held: string[]; revealed: string[] }) => void;
  /** Only to the voter: their own votes in an open vote. */
  ballot: (ballot: MyBallot) => void;
  /** To everyone, when a vote closes (and on connect, each board's latest closed vote). Names nobody. */
  voteResults: (results: VoteResults) => void;
  /** Only to you: every notice about your cards you have not dismissed, on connect and after each change. */
  notices: (info: { notices: CardNotice[] }) => void;
  /** Only to you: your own answers in an open consent round. */
  consentMine: (mine: MyConsent) => void;
  /** To everyone, when a consent round closes (and on connect, each board's latest). Names nobody. */
  consentResults: (results: ConsentResults) => void;
  /** To everyone, when a board's key points are agreed (and on connect, every agreed version). */
  agreedKeyPoints: (version: AgreedVersion) => void;
  /**
   * To everyone, on connect and whenever the question, its background or the glossary changes:
   * open board pages show the new words at once.
   */
  question: (info: QuestionInfo) => void;
  /** Your role changed; the page reloads what it shows. */
  role: (participant: ParticipantInfo) => void;
  /** You were removed, or your session ended; the socket closes after this. */
  removed: (info: { message: string }) => void;
  /** A refusal of something this client sent without an acknowledgement; only this client receives it. */
  refused: (error: CommandError) => void;
  /** Only to present screens (and the only thing they receive besides `removed` and `refused`): what they show. */
  present: (view: PresentView) => void;
}

export interface ClientToServerEvents {
  command: (command: Command, ack?: (result: CommandResult) => void) => void;
}

/** What the client sends in the socket.io handshake's `auth`. */
export interface HandshakeAuth {
  workshopId: string;
  /** A session token for scripts (a present token, with `present`); pages rely on the httpOnly cookie instead. */
  token?: string;
  /**
   * Open a present screen rather than a participant's session: authenticated by the present link
   * (its cookie, or `token`) or a facilitator's session. It receives `present` only, and every
   * command it sends is refused.
   */
  present?: true;
}
