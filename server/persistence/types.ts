// The store contracts. SQLite implements them now, an in-memory twin for quick tests, Postgres
// later; one contract suite (tests/integration/store-contract.test.ts) runs against each.
import type { Role } from '../../src/lib/domain/roles';

export interface WorkshopRecord {
  id: string;
  title: string;
  question: string;
  code: string;
  createdAt: number;
  /** When the facilitator ended it; retention deletes ended workshops after N days. */
  endedAt?: number | null;
}

export interface BoardRecord {
  id: string;
  workshopId: string;
  title: string;
  position: number;
}

export interface InviteRecord {
  token: string;
  workshopId: string;
  role: Role;
  createdAt: number;
  revokedAt: number | null;
}

export interface ParticipantRecord {
  id: string;
  workshopId: string;
  name: string;
  role: Role;
  createdAt: number;
  removedAt: number | null;
}

export interface DraftRecord {
  participantId: string;
  draftId: string;
  workshopId: string;
  boardId: string;
  lane: string;
  text: string;
  anonymous: boolean;
  updatedAt: number;
}

export interface CardAuthorRecord {
  boardId: string;
  cardId: string;
  participantId: string;
  createdAt: number;
}

export interface HiddenCardRecord {
  boardId: string;
  cardId: string;
  lane: string;
  text: string;
  reason: string;
  hiddenAt: number;
}

export interface NewWorkshop {
  workshop: WorkshopRecord;
  boards: BoardRecord[];
  invites: InviteRecord[];
}

/** Workshops, boards, invites, participants and their sessions. */
export interface WorkshopStore {
  createWorkshop(input: NewWorkshop): void;
  getWorkshop(id: string): WorkshopRecord | null;
  getWorkshopByCode(code: string): WorkshopRecord | null;
  codeInUse(code: string): boolean;
  listBoards(workshopId: string): BoardRecord[];
  getBoard(id: string): BoardRecord | null;
  getInvite(token: string): InviteRecord | null;
  listInvites(workshopId: string): InviteRecord[];
  /** Adds the participant and their first session in one transaction. */
  addParticipant(participant: ParticipantRecord, sessionHash: string): void;
  /** The live participant a session token hash belongs to; null when unknown, removed or revoked. */
  getParticipantBySession(sessionHash: string): ParticipantRecord | null;
  getParticipant(id: string): ParticipantRecord | null;
  listParticipants(workshopId: string): ParticipantRecord[];
  setParticipantRole(participantId: string, role: Role): void;
  /** Marks the participant removed and ends every session they hold. */
  removeParticipant(participantId: string, at: number): void;
  /** Ends one session (a device leaving); the participant and their other sessions stay. */
  revokeSession(sessionHash: string, at: number): void;
  addInvite(invite: InviteRecord): void;
  revokeInvite(token: string, at: number): void;

  /** Deletes a participant and what is tied to them (sessions, drafts, authorship records). */
  deleteParticipant(participantId: string): void;
  endWorkshop(workshopId: string, at: number): void;
  /** Deletes the workshop and everything in it: boards, their update logs and snapshots, people, drafts. */
  deleteWorkshop(workshopId: string): void;
  /** Ids of workshops ended before `before` (ms since epoch). */
  listEndedBefore(before: number): string[];

  /** The facilitation state (phases, timer, queue...) as JSON, or null before the first command. */
  getFacilitationState(workshopId: string): string | null;
  saveFacilitationState(workshopId: string, json: string): void;

  /** Private drafts written during silent writing, held apart from the shared board. */
  saveDraft(draft: DraftRecord): void;
  deleteDraft(participantId: string, draftId: string): void;
  listDrafts(boardId: string): DraftRecord[];
  listDraftsOf(participantId: string): DraftRecord[];
  deleteDrafts(keys: ReadonlyArray<{ participantId: string; draftId: string }>): void;

  /** Who wrote which (non-anonymous) card, for the facilitator's participation balance. */
  listCardAuthors(workshopId: string): CardAuthorRecord[];

  hideCard(card: HiddenCardRecord): void;
  listHiddenCards(workshopId: string): HiddenCardRecord[];
  getHiddenCard(boardId: string, cardId: string): HiddenCardRecord | null;
  deleteHiddenCard(boardId: string, cardId: string): void;
}

export interface StoredBoard {
  /** The compacted state, or null when the board was never compacted. */
  snapshot: Uint8Array | null;
  /** Updates appended after the snapshot, oldest first. */
  updates: Uint8Array[];
  /** Id of the newest update included above (0 when none). */
  lastUpdateId: number;
}

/** The append-only log of each board's Yjs updates, with compaction into a snapshot. */
export interface BoardDocStore {
  /**
   * Appends every update, and the authors of cards they created, in one transaction; returns the
   * id of the last update written.
   */
  appendUpdates(batch: ReadonlyArray<{ boardId: string; update: Uint8Array }>, authors?: ReadonlyArray<CardAuthorRecord>): number;
  /**
   * Resolves once everything appendUpdates committed before this call would survive a power cut
   * (a store may make that true some time after the commit returns, as SQLite does, off the event
   * loop). Updates are relayed only after it resolves. Rejects if the disk reports an error.
   */
  durable(): Promise<void>;
  loadBoard(boardId: string): StoredBoard;
  /**
   * Replaces the snapshot with `snapshot`, which must contain every update with id <= uptoId,
   * and deletes those updates, in one transaction.
   */
  compactBoard(boardId: string, snapshot: Uint8Array, uptoId: number): void;
  /** Number of updates stored after the snapshot, to decide when to compact. */
  pendingUpdateCount(boardId: string): number;
}

export interface Store extends WorkshopStore, BoardDocStore {
  /** Throws when the store cannot be read; used by /healthz. */
  ping(): void;
  /**
   * Moves everything from the write-ahead log into the main file and empties the log (after
   * deletions): at once, or as soon as a background checkpoint that is running ends (milliseconds).
   */
  checkpoint(): Promise<void>;
  /** Copies the whole database to `file`, safely while the server runs. */
  backup(file: string): Promise<void>;
  close(): void;
}
