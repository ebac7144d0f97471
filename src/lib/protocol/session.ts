// The socket.io contract for session control, typed on both ends so a renamed event fails to
// compile. Every command goes through one event, `command`, with an acknowledgement; the server
// validates it (schema, then role and board from the command table, then the domain rule). The
// commands themselves are in schemas.ts and commands.ts. See docs/API.md for each command.
import type { Lane } from '../board/schema';
import type { FacilitationState, Phase, RoundAnswer, Spotlight } from '../domain/facilitation';
import type { Command } from './schemas';
import type { TimerState } from '../domain/timer';
import type { Role } from '../domain/roles';

export const PROTOCOL_VERSION = 1;

export interface ParticipantInfo {
  id: string;
  name: string;
  role: Role;
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
  /** The check-in or check-out; `number` counts the workshop's rounds, so a page can tell a new one. */
  round: { number: number; kind: 'checkin' | 'checkout'; prompt: string; open: boolean; answers: Omit<RoundAnswer, 'by'>[] } | null;
  /** The facilitator has ended the workshop: boards are read-only, and devices stop keeping copies. */
  ended: boolean;
  serverTime: number;
}

export interface RosterEntry {
  id: string;
  name: string;
  role: Role;
  online: boolean;
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

export interface FacilitatorView {
  roster: RosterEntry[];
  balance: Balance;
  hidden: HiddenCard[];
  links: Partial<Record<Role, string>>;
}

export type CommandErrorCode = 'invalid_payload' | 'forbidden' | 'not_allowed_now' | 'rate_limited' | 'unknown_command' | 'server_error';

export interface CommandError {
  code: CommandErrorCode;
  message: string;
}

export type CommandResult = { ok: true } | { ok: false; error: CommandError };

export type { Command, CommandType } from './schemas';

export interface ServerToClientEvents {
  welcome: (welcome: Welcome) => void;
  state: (state: PublicState) => void;
  /** Only to facilitators. */
  facilitator: (view: FacilitatorView) => void;
  /** Only to the author: which of their drafts the server holds, and which were revealed. */
  drafts: (info: { held: string[]; revealed: string[] }) => void;
  /** Your role changed; the page reloads what it shows. */
  role: (participant: ParticipantInfo) => void;
  /** You were removed, or your session ended; the socket closes after this. */
  removed: (info: { message: string }) => void;
  /** A refusal of something this client sent without an acknowledgement; only this client receives it. */
  refused: (error: CommandError) => void;
}

export interface ClientToServerEvents {
  command: (command: Command, ack?: (result: CommandResult) => void) => void;
}

/** What the client sends in the socket.io handshake's `auth`. */
export interface HandshakeAuth {
  workshopId: string;
  /** A session token for scripts; pages rely on the httpOnly cookie instead. */
  token?: string;
}
