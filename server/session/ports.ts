// What session control needs from the rest of the server, as interfaces: it changes boards only
// through BoardPeer, asks live connections to change through BoardConnections (the sync host
// implements both), and tells people what happened through Notifier (socket.io implements it).
// Nothing in server/session imports yjs or the sync host.
import type { Board } from '../../src/lib/board/board';
import type {
  AgreedVersion,
  CardNotice,
  ConsentResults,
  FacilitatorView,
  MyBallot,
  MyConsent,
  PresentView,
  PublicState,
  QuestionInfo,
  VoteResults
} from '../../src/lib/protocol/session';
import type { ParticipantRecord } from '../persistence/types';

/**
 * A board as the server's own peer (hocuspocus's DirectConnection is the model). A change is
 * stored before anyone receives it, and edit() resolves once it is durable.
 */
export interface BoardPeer {
  edit<T>(boardId: string, change: (board: Board) => T): Promise<T>;
  read<T>(boardId: string, read: (board: Board) => T): Promise<T>;
}

/** What session control may ask of the people connected to boards. */
export interface BoardConnections {
  /** A participant's role or name changed: their connections use the new record at once. */
  participantChanged(participant: ParticipantRecord): void;
  /** A board was unlocked: pages whose edits were refused are asked for them again. */
  boardUnlocked(boardId: string): void;
  /** Close one participant's board connections everywhere. */
  closeParticipant(participantId: string, reason: 'removed' | 'forbidden'): void;
  /** Boards being deleted: close their connections and forget them without saving. */
  dropBoards(boardIds: string[]): void;
}

/** How session control tells people what happened (socket.io rooms, in server/session/index.ts). */
export interface Notifier {
  /** To everyone in the workshop. */
  state(workshopId: string, state: PublicState): void;
  /** To the workshop's facilitators only. */
  facilitator(workshopId: string, view: FacilitatorView): void;
  /** To one participant's sockets. */
  drafts(participantId: string, info: { held: string[]; revealed: string[] }): void;
  /** To one participant's sockets: every notice about their cards they have not dismissed. */
  notices(participantId: string, notices: CardNotice[]): void;
  /** To one participant's sockets: their own votes in an open vote. */
  ballot(participantId: string, ballot: MyBallot): void;
  /** To everyone in the workshop: a vote's results once it has closed. */
  voteResults(workshopId: string, results: VoteResults): void;
  /** To one participant's sockets: their own answers in an open consent round. */
  consentMine(participantId: string, mine: MyConsent): void;
  /** To everyone in the workshop: a consent round's totals once it has closed. */
  consentResults(workshopId: string, results: ConsentResults): void;
  /** To everyone in the workshop: a board's key points have been agreed (the new version). */
  agreedKeyPoints(workshopId: string, version: AgreedVersion): void;
  /** To everyone in the workshop: the question, its background or the glossary changed. */
  question(workshopId: string, info: QuestionInfo): void;
  /** Your role (or whether you are a representative) changed. */
  role(participant: ParticipantRecord): void;
  removed(participantId: string, message: string): void;
  /** To everyone in the workshop, then their sockets close. */
  workshopGone(workshopId: string, message: string): void;
  /** Participants with a session connection open now (present screens are not participants). */
  online(workshopId: string): Set<string>;
  /** To the workshop's present screens only. */
  present(workshopId: string, view: PresentView): void;
  /** How many present screens of the workshop are open now. */
  presentScreens(workshopId: string): number;
  /** The present link was replaced: the screens opened with it are told why, then closed. */
  presentLinkReplaced(workshopId: string, message: string): void;
  /** Whether any facilitator of the workshop is connected now. */
  hasFacilitators(workshopId: string): boolean;
}

/** What session control tells the involvement records (server/involvement.ts) about a person's breaks. */
export interface AttendancePort {
  /** A break, or leaving (me.away): their time stops counting now. */
  stepAway(participantId: string): void;
  /** Back from a break (me.back). */
  back(participantId: string): void;
}
