// The store contracts. SQLite implements them now, an in-memory twin for quick tests, Postgres
// later; one contract suite (tests/integration/store-contract.test.ts) runs against each.
import type { Role } from '../../src/lib/domain/roles';

export interface WorkshopRecord {
  id: string;
  title: string;
  question: string;
  code: string;
  createdAt: number;
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
  /** Appends every update in one transaction; returns the id of the last one written. */
  appendUpdates(batch: ReadonlyArray<{ boardId: string; update: Uint8Array }>): number;
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
  close(): void;
}
