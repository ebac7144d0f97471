// Workshops, people, drafts, moderation (hidden and removed cards, notices) and facilitation
// states in SQLite, on the main connection (synchronous = FULL: durable when the promise resolves).
import type Database from 'better-sqlite3';
import type { Role } from '../../../src/lib/domain/roles';
import type { CardSnapshot } from '../../../src/lib/board/schema';
import { snapshotSummary } from '../../../src/lib/board/schema';
import type { QuestionCheck } from '../../../src/lib/domain/question';
import {
  VersionConflict,
  type AgreedVersionRecord,
  type BoardRecord,
  type CardNoticeRecord,
  type ClosedConsentRecord,
  type ClosedVoteRecord,
  type NoticeKind,
  type NoticeStore,
  type RemovedBy,
  type RemovedCardRecord,
  type RemovedCardStore,
  type DraftRecord,
  type DraftStore,
  type FacilitationStateStore,
  type GlossaryRecord,
  type HiddenCardRecord,
  type InviteRecord,
  type ModerationStore,
  type NewWorkshop,
  type ParticipantRecord,
  type PeopleStore,
  type WorkshopRecord,
  type WorkshopStore
} from '../types';

interface WorkshopRow {
  id: string;
  title: string;
  question: string;
  code: string;
  created_at: number;
  ended_at: number | null;
  context: string;
  question_check: string | null;
  after_id: string | null;
  group_id: string | null;
}
interface BoardRow {
  id: string;
  workshop_id: string;
  title: string;
  position: number;
}
interface InviteRow {
  token: string;
  workshop_id: string;
  role: string;
  created_at: number;
  revoked_at: number | null;
}
interface ParticipantRow {
  id: string;
  workshop_id: string;
  name: string;
  role: string;
  created_at: number;
  removed_at: number | null;
  representative: number;
}
interface DraftRow {
  participant_id: string;
  draft_id: string;
  workshop_id: string;
  board_id: string;
  lane: string;
  text: string;
  anonymous: number;
  updated_at: number;
}
interface HiddenRow {
  board_id: string;
  card_id: string;
  lane: string;
  text: string;
  reason: string;
  hidden_at: number;
  card: string | null;
}

const toWorkshop = (r: WorkshopRow): WorkshopRecord => ({
  id: r.id,
  title: r.title,
  question: r.question,
  code: r.code,
  createdAt: r.created_at,
  endedAt: r.ended_at,
  context: r.context,
  questionCheck: r.question_check ? (JSON.parse(r.question_check) as QuestionCheck) : null,
  after: r.after_id,
  group: r.group_id
});
const toBoard = (r: BoardRow): BoardRecord => ({ id: r.id, workshopId: r.workshop_id, title: r.title, position: r.position });
const toInvite = (r: InviteRow): InviteRecord => ({
  token: r.token,
  workshopId: r.workshop_id,
  role: r.role as Role,
  createdAt: r.created_at,
  revokedAt: r.revoked_at
});
const toParticipant = (r: ParticipantRow): ParticipantRecord => ({
  id: r.id,
  workshopId: r.workshop_id,
  name: r.name,
  role: r.role as Role,
  createdAt: r.created_at,
  removedAt: r.removed_at,
  representative: r.representative === 1
});
const toDraft = (r: DraftRow): DraftRecord => ({
  participantId: r.participant_id,
  draftId: r.draft_id,
  workshopId: r.workshop_id,
  boardId: r.board_id,
  lane: r.lane,
  text: r.text,
  anonymous: r.anonymous === 1,
  updatedAt: r.updated_at
});

/** Rows hidden before migration 4 kept only lane and text: they come back as a card with those. */
function cardOf(r: HiddenRow): CardSnapshot {
  if (r.card) return JSON.parse(r.card) as CardSnapshot;
  return {
    fields: {
      lane: { kind: 'json', value: r.lane },
      order: { kind: 'json', value: 'a0' },
      text: { kind: 'text', value: r.text },
      createdAt: { kind: 'json', value: r.hidden_at }
    }
  };
}
const toHidden = (r: HiddenRow): HiddenCardRecord => ({
  boardId: r.board_id,
  cardId: r.card_id,
  card: cardOf(r),
  reason: r.reason,
  hiddenAt: r.hidden_at
});

interface RemovedRow {
  board_id: string;
  card_id: string;
  card: string;
  author_id: string | null;
  removed_by: string;
  removed_at: number;
}
interface NoticeRow {
  participant_id: string;
  board_id: string;
  card_id: string;
  kind: string;
  created_at: number;
}
const toRemoved = (r: RemovedRow): RemovedCardRecord => ({
  boardId: r.board_id,
  cardId: r.card_id,
  card: JSON.parse(r.card) as CardSnapshot,
  authorId: r.author_id,
  removedBy: r.removed_by as RemovedBy,
  removedAt: r.removed_at
});
const toNotice = (r: NoticeRow): CardNoticeRecord => ({
  participantId: r.participant_id,
  boardId: r.board_id,
  cardId: r.card_id,
  kind: r.kind as NoticeKind,
  createdAt: r.created_at
});

const one = <R, T>(row: R | undefined, map: (r: R) => T): T | null => (row ? map(row) : null);

/** Writers other nouns own, for the tables a workshop made from an archive starts with. */
export interface ContentWriters {
  firstSnapshot(boardId: string, snapshot: Uint8Array): void;
  closedVote(vote: ClosedVoteRecord): void;
  agreedVersion(version: AgreedVersionRecord): void;
  closedConsent(round: ClosedConsentRecord): void;
  glossaryEntry(entry: GlossaryRecord): void;
}

export function sqliteRecords(
  db: Database.Database,
  writers: ContentWriters
): {
  workshops: WorkshopStore;
  people: PeopleStore;
  drafts: DraftStore;
  moderation: ModerationStore;
  removed: RemovedCardStore;
  notices: NoticeStore;
  facilitation: FacilitationStateStore;
} {
  const q = {
    insertWorkshop: db.prepare(
      `INSERT INTO workshops (id, title, question, code, created_at, context, question_check, after_id, group_id)
       VALUES (@id, @title, @question, @code, @createdAt, @context, @questionCheck, @after, @group)`
    ),
    setQuestion: db.prepare('UPDATE workshops SET question = @question, context = @context, question_check = @check WHERE id = @id'),
    insertBoard: db.prepare('INSERT INTO boards (id, workshop_id, title, position) VALUES (@id, @workshopId, @title, @position)'),
    insertInvite: db.prepare(
      'INSERT INTO invites (token, workshop_id, role, created_at, revoked_at) VALUES (@token, @workshopId, @role, @createdAt, @revokedAt)'
    ),
    workshop: db.prepare<[string], WorkshopRow>('SELECT * FROM workshops WHERE id = ?'),
    workshopByCode: db.prepare<[string], WorkshopRow>('SELECT * FROM workshops WHERE code = ?'),
    boards: db.prepare<[string], BoardRow>('SELECT * FROM boards WHERE workshop_id = ? ORDER BY position'),
    board: db.prepare<[string], BoardRow>('SELECT * FROM boards WHERE id = ?'),
    endWorkshop: db.prepare('UPDATE workshops SET ended_at = @at WHERE id = @id AND ended_at IS NULL'),
    setCode: db.prepare('UPDATE workshops SET code = @code WHERE id = @id'),
    deleteWorkshop: db.prepare('DELETE FROM workshops WHERE id = ?'),
    markDeleted: db.prepare('INSERT OR REPLACE INTO deleted_workshops (id, deleted_at) VALUES (@id, @at)'),
    deletedAt: db.prepare<[string], { deleted_at: number }>('SELECT deleted_at FROM deleted_workshops WHERE id = ?'),
    endedBefore: db.prepare<[number], { id: string }>('SELECT id FROM workshops WHERE ended_at IS NOT NULL AND ended_at < ?'),
    group: db.prepare<[string, string], WorkshopRow>('SELECT * FROM workshops WHERE id = ? OR group_id = ? ORDER BY created_at, rowid'),

    invite: db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE token = ?'),
    invites: db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE workshop_id = ? ORDER BY created_at'),
    revokeInvite: db.prepare('UPDATE invites SET revoked_at = @at WHERE token = @token AND revoked_at IS NULL'),
    insertParticipant: db.prepare(
      `INSERT INTO participants (id, workshop_id, name, role, created_at, removed_at, representative)
       VALUES (@id, @workshopId, @name, @role, @createdAt, @removedAt, @representative)`
    ),
    insertSession: db.prepare('INSERT INTO sessions (token_hash, participant_id, created_at) VALUES (@hash, @participantId, @createdAt)'),
    participantBySession: db.prepare<[string], ParticipantRow>(
      `SELECT p.* FROM sessions s JOIN participants p ON p.id = s.participant_id
       WHERE s.token_hash = ? AND s.revoked_at IS NULL AND p.removed_at IS NULL`
    ),
    sessionOwner: db.prepare<[string], ParticipantRow>(
      'SELECT p.* FROM sessions s JOIN participants p ON p.id = s.participant_id WHERE s.token_hash = ?'
    ),
    participant: db.prepare<[string], ParticipantRow>('SELECT * FROM participants WHERE id = ?'),
    participants: db.prepare<[string], ParticipantRow>('SELECT * FROM participants WHERE workshop_id = ? ORDER BY created_at'),
    withLiveSession: db.prepare<[string], { id: string }>(
      `SELECT p.id FROM participants p WHERE p.workshop_id = ? AND p.removed_at IS NULL
       AND EXISTS (SELECT 1 FROM sessions s WHERE s.participant_id = p.id AND s.revoked_at IS NULL) ORDER BY p.created_at`
    ),
    // Representatives are members: a role change away from member takes the mark off, in the same write.
    setRole: db.prepare(
      "UPDATE participants SET role = @role, representative = CASE WHEN @role = 'member' THEN representative ELSE 0 END WHERE id = @id"
    ),
    setRepresentative: db.prepare('UPDATE participants SET representative = @representative WHERE id = @id'),
    removeParticipant: db.prepare('UPDATE participants SET removed_at = @at WHERE id = @id AND removed_at IS NULL'),
    revokeSessions: db.prepare('UPDATE sessions SET revoked_at = @at WHERE participant_id = @id AND revoked_at IS NULL'),
    revokeSession: db.prepare('UPDATE sessions SET revoked_at = @at WHERE token_hash = @hash AND revoked_at IS NULL'),
    deleteParticipant: db.prepare('DELETE FROM participants WHERE id = ?'),

    saveDraft: db.prepare(
      `INSERT INTO drafts (participant_id, draft_id, workshop_id, board_id, lane, text, anonymous, updated_at)
       VALUES (@participantId, @draftId, @workshopId, @boardId, @lane, @text, @anonymous, @updatedAt)
       ON CONFLICT(participant_id, draft_id) DO UPDATE SET lane = excluded.lane, text = excluded.text,
         anonymous = excluded.anonymous, board_id = excluded.board_id, updated_at = excluded.updated_at`
    ),
    deleteDraft: db.prepare('DELETE FROM drafts WHERE participant_id = @participantId AND draft_id = @draftId'),
    draftsOfBoard: db.prepare<[string], DraftRow>('SELECT * FROM drafts WHERE board_id = ? ORDER BY updated_at'),
    draftsOf: db.prepare<[string], DraftRow>('SELECT * FROM drafts WHERE participant_id = ? ORDER BY updated_at'),

    hideCard: db.prepare(
      `INSERT OR REPLACE INTO hidden_cards (board_id, card_id, lane, text, reason, hidden_at, card)
       VALUES (@boardId, @cardId, @lane, @text, @reason, @hiddenAt, @card)`
    ),
    hiddenCards: db.prepare<[string], HiddenRow>(
      'SELECT h.* FROM hidden_cards h JOIN boards b ON b.id = h.board_id WHERE b.workshop_id = ? ORDER BY h.hidden_at'
    ),
    hiddenCard: db.prepare<[string, string], HiddenRow>('SELECT * FROM hidden_cards WHERE board_id = ? AND card_id = ?'),
    deleteHidden: db.prepare('DELETE FROM hidden_cards WHERE board_id = @boardId AND card_id = @cardId'),

    removedCards: db.prepare<[string], RemovedRow>(
      'SELECT r.* FROM removed_cards r JOIN boards b ON b.id = r.board_id WHERE b.workshop_id = ? ORDER BY r.removed_at, r.rowid'
    ),
    removedOfAuthor: db.prepare<[string], RemovedRow>('SELECT * FROM removed_cards WHERE author_id = ? ORDER BY removed_at, rowid'),
    removedCard: db.prepare<[string, string], RemovedRow>('SELECT * FROM removed_cards WHERE board_id = ? AND card_id = ?'),
    deleteRemoved: db.prepare('DELETE FROM removed_cards WHERE board_id = @boardId AND card_id = @cardId'),
    addNotice: db.prepare(
      `INSERT OR REPLACE INTO card_notices (participant_id, board_id, card_id, kind, created_at)
       VALUES (@participantId, @boardId, @cardId, @kind, @createdAt)`
    ),
    noticesOf: db.prepare<[string], NoticeRow>(
      'SELECT * FROM card_notices WHERE participant_id = ? ORDER BY created_at, board_id, card_id, kind'
    ),
    dismissNotice: db.prepare(
      'DELETE FROM card_notices WHERE participant_id = @participantId AND board_id = @boardId AND card_id = @cardId AND kind = @kind'
    ),
    deleteNoticesAbout: db.prepare('DELETE FROM card_notices WHERE board_id = @boardId AND card_id = @cardId AND kind = @kind'),

    getState: db.prepare<[string], { state: string; version: number }>('SELECT state, version FROM workshop_state WHERE workshop_id = ?'),
    insertState: db.prepare(
      `INSERT INTO workshop_state (workshop_id, state, updated_at, version) VALUES (@workshopId, @json, @now, 1)
       ON CONFLICT(workshop_id) DO NOTHING`
    ),
    updateState: db.prepare(
      `UPDATE workshop_state SET state = @json, updated_at = @now, version = version + 1
       WHERE workshop_id = @workshopId AND version = @expected`
    )
  };

  const createWorkshop = db.transaction((input: NewWorkshop) => {
    const w = input.workshop;
    q.insertWorkshop.run({
      id: w.id,
      title: w.title,
      question: w.question,
      code: w.code,
      createdAt: w.createdAt,
      context: w.context ?? '',
      questionCheck: w.questionCheck ? JSON.stringify(w.questionCheck) : null,
      after: w.after ?? null,
      group: w.group ?? null
    });
    for (const b of input.boards) q.insertBoard.run(b);
    for (const i of input.invites) q.insertInvite.run(i);
    const contents = input.contents;
    if (!contents) return;
    const ours = new Set(input.boards.map((b) => b.id));
    const agreed = contents.agreed ?? [];
    const consent = contents.consent ?? [];
    const outside = [
      ...contents.boards.map((b) => b.boardId),
      ...contents.votes.map((v) => v.boardId),
      ...agreed.map((v) => v.boardId),
      ...consent.map((r) => r.boardId)
    ].find((id) => !ours.has(id));
    if (outside !== undefined) throw new Error(`board ${outside} is not one of the new workshop's boards`);
    for (const b of contents.boards) writers.firstSnapshot(b.boardId, b.snapshot);
    if (contents.facilitation !== null) {
      q.insertState.run({ workshopId: input.workshop.id, json: contents.facilitation, now: input.workshop.createdAt });
    }
    for (const v of contents.votes) {
      if (v.workshopId !== input.workshop.id) throw new Error(`vote ${v.id} is not the new workshop's`);
      writers.closedVote(v);
    }
    for (const v of agreed) {
      if (v.workshopId !== input.workshop.id) throw new Error(`agreed version ${v.number} is not the new workshop's`);
      writers.agreedVersion(v);
    }
    for (const r of consent) {
      if (r.workshopId !== input.workshop.id) throw new Error(`consent round ${r.id} is not the new workshop's`);
      writers.closedConsent(r);
    }
    for (const e of contents.glossary ?? []) {
      if (e.workshopId !== input.workshop.id) throw new Error(`glossary entry ${e.id} is not the new workshop's`);
      writers.glossaryEntry(e);
    }
  });
  const deleteWorkshop = db.transaction((id: string) => {
    // Foreign keys cascade to boards, update logs, snapshots, invites, people, sessions, drafts.
    if (q.deleteWorkshop.run(id).changes > 0) q.markDeleted.run({ id, at: Date.now() });
  });
  const addParticipant = db.transaction((p: ParticipantRecord, hash: string) => {
    q.insertParticipant.run({
      id: p.id,
      workshopId: p.workshopId,
      name: p.name,
      role: p.role,
      createdAt: p.createdAt,
      removedAt: p.removedAt,
      representative: p.representative ? 1 : 0
    });
    q.insertSession.run({ hash, participantId: p.id, createdAt: p.createdAt });
  });
  const removeParticipant = db.transaction((id: string, at: number) => {
    q.removeParticipant.run({ id, at });
    q.revokeSessions.run({ id, at });
  });
  const deleteRemoved = db.transaction((boardId: string, cardId: string) => {
    q.deleteRemoved.run({ boardId, cardId });
    q.deleteNoticesAbout.run({ boardId, cardId, kind: 'removed' });
  });
  const deleteDrafts = db.transaction((keys: ReadonlyArray<{ participantId: string; draftId: string }>) => {
    for (const k of keys) q.deleteDraft.run(k);
  });

  return {
    workshops: {
      create: async (input) => createWorkshop(input),
      get: async (id) => one(q.workshop.get(id), toWorkshop),
      byCode: async (code) => one(q.workshopByCode.get(code), toWorkshop),
      codeInUse: async (code) => q.workshopByCode.get(code) !== undefined,
      boards: async (workshopId) => q.boards.all(workshopId).map(toBoard),
      board: async (id) => one(q.board.get(id), toBoard),
      setCode: async (id, code) => void q.setCode.run({ id, code }),
      end: async (id, at) => void q.endWorkshop.run({ id, at }),
      setQuestion: async (id, { question, context, check }) =>
        void q.setQuestion.run({ id, question, context, check: JSON.stringify(check) }),
      delete: async (id) => deleteWorkshop(id),
      deletedAt: async (id) => q.deletedAt.get(id)?.deleted_at ?? null,
      endedBefore: async (before) => q.endedBefore.all(before).map((r) => r.id),
      group: async (groupId) => q.group.all(groupId, groupId).map(toWorkshop)
    },
    people: {
      add: async (p, hash) => addParticipant(p, hash),
      bySession: async (hash) => one(q.participantBySession.get(hash), toParticipant),
      sessionOwner: async (hash) => one(q.sessionOwner.get(hash), toParticipant),
      get: async (id) => one(q.participant.get(id), toParticipant),
      list: async (workshopId) => q.participants.all(workshopId).map(toParticipant),
      withLiveSession: async (workshopId) => q.withLiveSession.all(workshopId).map((r) => r.id),
      setRole: async (id, role) => void q.setRole.run({ id, role }),
      setRepresentative: async (id, representative) => void q.setRepresentative.run({ id, representative: representative ? 1 : 0 }),
      remove: async (id, at) => removeParticipant(id, at),
      revokeSession: async (hash, at) => void q.revokeSession.run({ hash, at }),
      delete: async (id) => void q.deleteParticipant.run(id),
      invite: async (token) => one(q.invite.get(token), toInvite),
      invites: async (workshopId) => q.invites.all(workshopId).map(toInvite),
      addInvite: async (invite) => void q.insertInvite.run(invite),
      revokeInvite: async (token, at) => void q.revokeInvite.run({ token, at })
    },
    drafts: {
      save: async (d) => void q.saveDraft.run({ ...d, anonymous: d.anonymous ? 1 : 0 }),
      delete: async (participantId, draftId) => void q.deleteDraft.run({ participantId, draftId }),
      ofBoard: async (boardId) => q.draftsOfBoard.all(boardId).map(toDraft),
      of: async (participantId) => q.draftsOf.all(participantId).map(toDraft),
      deleteMany: async (keys) => deleteDrafts(keys)
    },
    moderation: {
      async hide(c) {
        const { lane, text } = snapshotSummary(c.card);
        q.hideCard.run({
          boardId: c.boardId,
          cardId: c.cardId,
          lane,
          text,
          reason: c.reason,
          hiddenAt: c.hiddenAt,
          card: JSON.stringify(c.card)
        });
      },
      list: async (workshopId) => q.hiddenCards.all(workshopId).map(toHidden),
      get: async (boardId, cardId) => one(q.hiddenCard.get(boardId, cardId), toHidden),
      delete: async (boardId, cardId) => void q.deleteHidden.run({ boardId, cardId })
    },
    removed: {
      list: async (workshopId) => q.removedCards.all(workshopId).map(toRemoved),
      ofAuthor: async (participantId) => q.removedOfAuthor.all(participantId).map(toRemoved),
      get: async (boardId, cardId) => one(q.removedCard.get(boardId, cardId), toRemoved),
      delete: async (boardId, cardId) => deleteRemoved(boardId, cardId)
    },
    notices: {
      add: async (n) => void q.addNotice.run(n),
      of: async (participantId) => q.noticesOf.all(participantId).map(toNotice),
      dismiss: async (participantId, boardId, cardId, kind) => void q.dismissNotice.run({ participantId, boardId, cardId, kind }),
      deleteAbout: async (boardId, cardId, kind) => void q.deleteNoticesAbout.run({ boardId, cardId, kind })
    },
    facilitation: {
      async get(workshopId) {
        const row = q.getState.get(workshopId);
        return row ? { json: row.state, version: row.version } : null;
      },
      async save(workshopId, json, expected) {
        const now = Date.now();
        const changed =
          expected === 0
            ? q.insertState.run({ workshopId, json, now }).changes
            : q.updateState.run({ workshopId, json, now, expected }).changes;
        if (changed !== 1) throw new VersionConflict(workshopId);
        return expected + 1;
      }
    }
  };
}
