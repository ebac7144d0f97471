// Workshops, people, drafts, moderation (hidden and removed cards, notices) and facilitation
// states in Postgres. Each write is durable when its promise resolves (its commit was flushed).
// Facilitation states are saved with compare-and-set in one statement (UPDATE ... WHERE version =
// the expected one), so two processes can never both win.
import type pg from 'pg';
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
  type DraftRecord,
  type DraftStore,
  type FacilitationStateStore,
  type GlossaryRecord,
  type HiddenCardRecord,
  type InviteRecord,
  type ModerationStore,
  type NoticeKind,
  type NoticeStore,
  type ParticipantRecord,
  type PeopleStore,
  type RemovedBy,
  type RemovedCardRecord,
  type RemovedCardStore,
  type WorkshopRecord,
  type WorkshopStore
} from '../types';
import { first, sql, transaction, type Queryable } from './db';

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
  representative: boolean;
}
interface DraftRow {
  participant_id: string;
  draft_id: string;
  workshop_id: string;
  board_id: string;
  lane: string;
  text: string;
  anonymous: boolean;
  updated_at: number;
}
interface HiddenRow {
  board_id: string;
  card_id: string;
  reason: string;
  hidden_at: number;
  card: string;
}
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

const WORKSHOP = 'id, title, question, code, created_at, ended_at, context, question_check, after_id, group_id';
const PARTICIPANT = 'p.id, p.workshop_id, p.name, p.role, p.created_at, p.removed_at, p.representative';

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
  representative: r.representative
});
const toDraft = (r: DraftRow): DraftRecord => ({
  participantId: r.participant_id,
  draftId: r.draft_id,
  workshopId: r.workshop_id,
  boardId: r.board_id,
  lane: r.lane,
  text: r.text,
  anonymous: r.anonymous,
  updatedAt: r.updated_at
});
// Every hidden card here has the whole card: this schema began after SQLite's migration 4.
const toHidden = (r: HiddenRow): HiddenCardRecord => ({
  boardId: r.board_id,
  cardId: r.card_id,
  card: JSON.parse(r.card) as CardSnapshot,
  reason: r.reason,
  hiddenAt: r.hidden_at
});
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

/** Writers other nouns own, for the tables a workshop made from an archive starts with (inside its transaction). */
export interface ContentWriters {
  firstSnapshot(c: Queryable, boardId: string, snapshot: Uint8Array): Promise<void>;
  closedVote(c: Queryable, vote: ClosedVoteRecord): Promise<void>;
  agreedVersion(c: Queryable, version: AgreedVersionRecord): Promise<void>;
  closedConsent(c: Queryable, round: ClosedConsentRecord): Promise<void>;
  glossaryEntry(c: Queryable, entry: GlossaryRecord): Promise<void>;
}

const q = {
  insertWorkshop: sql(
    `INSERT INTO workshops (id, title, question, code, created_at, context, question_check, after_id, group_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
  ),
  setQuestion: sql('UPDATE workshops SET question = $2, context = $3, question_check = $4 WHERE id = $1'),
  insertBoard: sql('INSERT INTO boards (id, workshop_id, title, position) VALUES ($1, $2, $3, $4)'),
  insertInvite: sql('INSERT INTO invites (token, workshop_id, role, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5)'),
  workshop: sql<WorkshopRow>(`SELECT ${WORKSHOP} FROM workshops WHERE id = $1`),
  workshopByCode: sql<WorkshopRow>(`SELECT ${WORKSHOP} FROM workshops WHERE code = $1`),
  codeInUse: sql('SELECT 1 FROM workshops WHERE code = $1'),
  boards: sql<BoardRow>('SELECT id, workshop_id, title, position FROM boards WHERE workshop_id = $1 ORDER BY position'),
  board: sql<BoardRow>('SELECT id, workshop_id, title, position FROM boards WHERE id = $1'),
  endWorkshop: sql('UPDATE workshops SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL'),
  setCode: sql('UPDATE workshops SET code = $2 WHERE id = $1'),
  deleteWorkshop: sql('DELETE FROM workshops WHERE id = $1'),
  markDeleted: sql(
    'INSERT INTO deleted_workshops (id, deleted_at) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET deleted_at = excluded.deleted_at'
  ),
  deletedAt: sql<{ deleted_at: number }>('SELECT deleted_at FROM deleted_workshops WHERE id = $1'),
  endedBefore: sql<{ id: string }>('SELECT id FROM workshops WHERE ended_at IS NOT NULL AND ended_at < $1 ORDER BY ended_at, seq'),
  group: sql<WorkshopRow>(`SELECT ${WORKSHOP} FROM workshops WHERE id = $1 OR group_id = $1 ORDER BY created_at, seq`),

  invite: sql<InviteRow>('SELECT token, workshop_id, role, created_at, revoked_at FROM invites WHERE token = $1'),
  invites: sql<InviteRow>(
    'SELECT token, workshop_id, role, created_at, revoked_at FROM invites WHERE workshop_id = $1 ORDER BY created_at, seq'
  ),
  revokeInvite: sql('UPDATE invites SET revoked_at = $2 WHERE token = $1 AND revoked_at IS NULL'),
  insertParticipant: sql(
    `INSERT INTO participants (id, workshop_id, name, role, created_at, removed_at, representative)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`
  ),
  insertSession: sql('INSERT INTO sessions (token_hash, participant_id, created_at) VALUES ($1, $2, $3)'),
  participantBySession: sql<ParticipantRow>(
    `SELECT ${PARTICIPANT} FROM sessions s JOIN participants p ON p.id = s.participant_id
     WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND p.removed_at IS NULL`
  ),
  sessionOwner: sql<ParticipantRow>(
    `SELECT ${PARTICIPANT} FROM sessions s JOIN participants p ON p.id = s.participant_id WHERE s.token_hash = $1`
  ),
  participant: sql<ParticipantRow>(`SELECT ${PARTICIPANT} FROM participants p WHERE p.id = $1`),
  participants: sql<ParticipantRow>(`SELECT ${PARTICIPANT} FROM participants p WHERE p.workshop_id = $1 ORDER BY p.created_at, p.seq`),
  withLiveSession: sql<{ id: string }>(
    `SELECT p.id FROM participants p WHERE p.workshop_id = $1 AND p.removed_at IS NULL
     AND EXISTS (SELECT 1 FROM sessions s WHERE s.participant_id = p.id AND s.revoked_at IS NULL) ORDER BY p.created_at, p.seq`
  ),
  // Representatives are members: a role change away from member takes the mark off, in the same write.
  setRole: sql(
    "UPDATE participants SET role = $2, representative = CASE WHEN $2 = 'member' THEN representative ELSE false END WHERE id = $1"
  ),
  setRepresentative: sql('UPDATE participants SET representative = $2 WHERE id = $1'),
  removeParticipant: sql('UPDATE participants SET removed_at = $2 WHERE id = $1 AND removed_at IS NULL'),
  revokeSessions: sql('UPDATE sessions SET revoked_at = $2 WHERE participant_id = $1 AND revoked_at IS NULL'),
  revokeSession: sql('UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL'),
  deleteParticipant: sql('DELETE FROM participants WHERE id = $1'),

  saveDraft: sql(
    `INSERT INTO drafts (participant_id, draft_id, workshop_id, board_id, lane, text, anonymous, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (participant_id, draft_id) DO UPDATE SET lane = excluded.lane, text = excluded.text,
       anonymous = excluded.anonymous, board_id = excluded.board_id, updated_at = excluded.updated_at`
  ),
  deleteDraft: sql('DELETE FROM drafts WHERE participant_id = $1 AND draft_id = $2'),
  deleteDrafts: sql(
    'DELETE FROM drafts d USING unnest($1::text[], $2::text[]) AS k(p, id) WHERE d.participant_id = k.p AND d.draft_id = k.id'
  ),
  draftsOfBoard: sql<DraftRow>('SELECT * FROM drafts WHERE board_id = $1 ORDER BY updated_at, seq'),
  draftsOf: sql<DraftRow>('SELECT * FROM drafts WHERE participant_id = $1 ORDER BY updated_at, seq'),

  hideCard: sql(
    `INSERT INTO hidden_cards (board_id, card_id, lane, text, reason, hidden_at, card) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (board_id, card_id) DO UPDATE SET lane = excluded.lane, text = excluded.text, reason = excluded.reason,
       hidden_at = excluded.hidden_at, card = excluded.card, seq = nextval(pg_get_serial_sequence('hidden_cards', 'seq'))`
  ),
  hiddenCards: sql<HiddenRow>(
    'SELECT h.* FROM hidden_cards h JOIN boards b ON b.id = h.board_id WHERE b.workshop_id = $1 ORDER BY h.hidden_at, h.seq'
  ),
  hiddenCard: sql<HiddenRow>('SELECT * FROM hidden_cards WHERE board_id = $1 AND card_id = $2'),
  deleteHidden: sql('DELETE FROM hidden_cards WHERE board_id = $1 AND card_id = $2'),

  removedCards: sql<RemovedRow>(
    'SELECT r.* FROM removed_cards r JOIN boards b ON b.id = r.board_id WHERE b.workshop_id = $1 ORDER BY r.removed_at, r.seq'
  ),
  removedOfAuthor: sql<RemovedRow>('SELECT * FROM removed_cards WHERE author_id = $1 ORDER BY removed_at, seq'),
  removedCard: sql<RemovedRow>('SELECT * FROM removed_cards WHERE board_id = $1 AND card_id = $2'),
  deleteRemoved: sql('DELETE FROM removed_cards WHERE board_id = $1 AND card_id = $2'),
  addNotice: sql(
    `INSERT INTO card_notices (participant_id, board_id, card_id, kind, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (participant_id, board_id, card_id, kind) DO UPDATE SET created_at = excluded.created_at`
  ),
  noticesOf: sql<NoticeRow>(
    'SELECT * FROM card_notices WHERE participant_id = $1 ORDER BY created_at, board_id COLLATE "C", card_id COLLATE "C", kind COLLATE "C"'
  ),
  dismissNotice: sql('DELETE FROM card_notices WHERE participant_id = $1 AND board_id = $2 AND card_id = $3 AND kind = $4'),
  deleteNoticesAbout: sql('DELETE FROM card_notices WHERE board_id = $1 AND card_id = $2 AND kind = $3'),

  getState: sql<{ state: string; version: number }>('SELECT state, version FROM workshop_state WHERE workshop_id = $1'),
  insertState: sql(
    'INSERT INTO workshop_state (workshop_id, state, updated_at, version) VALUES ($1, $2, $3, 1) ON CONFLICT (workshop_id) DO NOTHING'
  ),
  // Compare-and-set in one statement: the row is locked while the version is compared, so of two
  // writers that read the same version, the second finds it moved on and changes nothing.
  updateState: sql('UPDATE workshop_state SET state = $2, updated_at = $3, version = version + 1 WHERE workshop_id = $1 AND version = $4')
};

export function postgresRecords(
  pool: pg.Pool,
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
  const one = async <R, T>(result: Promise<pg.QueryResult<R & pg.QueryResultRow>>, map: (r: R) => T): Promise<T | null> => {
    const row = await first(result);
    return row ? map(row) : null;
  };
  return {
    workshops: {
      create: (input) =>
        transaction(pool, async (c) => {
          const w = input.workshop;
          await q.insertWorkshop(c, [
            w.id,
            w.title,
            w.question,
            w.code,
            w.createdAt,
            w.context ?? '',
            w.questionCheck ? JSON.stringify(w.questionCheck) : null,
            w.after ?? null,
            w.group ?? null
          ]);
          for (const b of input.boards) await q.insertBoard(c, [b.id, b.workshopId, b.title, b.position]);
          for (const i of input.invites) await q.insertInvite(c, [i.token, i.workshopId, i.role, i.createdAt, i.revokedAt]);
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
          for (const b of contents.boards) await writers.firstSnapshot(c, b.boardId, b.snapshot);
          if (contents.facilitation !== null) await q.insertState(c, [w.id, contents.facilitation, w.createdAt]);
          for (const v of contents.votes) {
            if (v.workshopId !== w.id) throw new Error(`vote ${v.id} is not the new workshop's`);
            await writers.closedVote(c, v);
          }
          for (const v of agreed) {
            if (v.workshopId !== w.id) throw new Error(`agreed version ${v.number} is not the new workshop's`);
            await writers.agreedVersion(c, v);
          }
          for (const r of consent) {
            if (r.workshopId !== w.id) throw new Error(`consent round ${r.id} is not the new workshop's`);
            await writers.closedConsent(c, r);
          }
          for (const e of contents.glossary ?? []) {
            if (e.workshopId !== w.id) throw new Error(`glossary entry ${e.id} is not the new workshop's`);
            await writers.glossaryEntry(c, e);
          }
        }),
      get: (id) => one(q.workshop(pool, [id]), toWorkshop),
      byCode: (code) => one(q.workshopByCode(pool, [code]), toWorkshop),
      codeInUse: async (code) => (await q.codeInUse(pool, [code])).rowCount! > 0,
      boards: async (workshopId) => (await q.boards(pool, [workshopId])).rows.map(toBoard),
      board: (id) => one(q.board(pool, [id]), toBoard),
      setCode: async (id, code) => void (await q.setCode(pool, [id, code])),
      end: async (id, at) => void (await q.endWorkshop(pool, [id, at])),
      setQuestion: async (id, { question, context, check }) =>
        void (await q.setQuestion(pool, [id, question, context, JSON.stringify(check)])),
      // Foreign keys cascade to everything in it.
      delete: (id) =>
        transaction(pool, async (c) => {
          if ((await q.deleteWorkshop(c, [id])).rowCount! > 0) await q.markDeleted(c, [id, Date.now()]);
        }),
      deletedAt: async (id) => (await first(q.deletedAt(pool, [id])))?.deleted_at ?? null,
      endedBefore: async (before) => (await q.endedBefore(pool, [before])).rows.map((r) => r.id),
      group: async (groupId) => (await q.group(pool, [groupId])).rows.map(toWorkshop)
    },
    people: {
      add: (p, hash) =>
        transaction(pool, async (c) => {
          await q.insertParticipant(c, [p.id, p.workshopId, p.name, p.role, p.createdAt, p.removedAt, p.representative ?? false]);
          await q.insertSession(c, [hash, p.id, p.createdAt]);
        }),
      bySession: (hash) => one(q.participantBySession(pool, [hash]), toParticipant),
      sessionOwner: (hash) => one(q.sessionOwner(pool, [hash]), toParticipant),
      get: (id) => one(q.participant(pool, [id]), toParticipant),
      list: async (workshopId) => (await q.participants(pool, [workshopId])).rows.map(toParticipant),
      withLiveSession: async (workshopId) => (await q.withLiveSession(pool, [workshopId])).rows.map((r) => r.id),
      setRole: async (id, role) => void (await q.setRole(pool, [id, role])),
      setRepresentative: async (id, representative) => void (await q.setRepresentative(pool, [id, representative])),
      remove: (id, at) =>
        transaction(pool, async (c) => {
          await q.removeParticipant(c, [id, at]);
          await q.revokeSessions(c, [id, at]);
        }),
      revokeSession: async (hash, at) => void (await q.revokeSession(pool, [hash, at])),
      delete: async (id) => void (await q.deleteParticipant(pool, [id])),
      invite: (token) => one(q.invite(pool, [token]), toInvite),
      invites: async (workshopId) => (await q.invites(pool, [workshopId])).rows.map(toInvite),
      addInvite: async (i) => void (await q.insertInvite(pool, [i.token, i.workshopId, i.role, i.createdAt, i.revokedAt])),
      revokeInvite: async (token, at) => void (await q.revokeInvite(pool, [token, at]))
    },
    drafts: {
      save: async (d) =>
        void (await q.saveDraft(pool, [d.participantId, d.draftId, d.workshopId, d.boardId, d.lane, d.text, d.anonymous, d.updatedAt])),
      delete: async (participantId, draftId) => void (await q.deleteDraft(pool, [participantId, draftId])),
      ofBoard: async (boardId) => (await q.draftsOfBoard(pool, [boardId])).rows.map(toDraft),
      of: async (participantId) => (await q.draftsOf(pool, [participantId])).rows.map(toDraft),
      async deleteMany(keys) {
        if (!keys.length) return;
        await q.deleteDrafts(pool, [keys.map((k) => k.participantId), keys.map((k) => k.draftId)]);
      }
    },
    moderation: {
      async hide(h) {
        const { lane, text } = snapshotSummary(h.card);
        await q.hideCard(pool, [h.boardId, h.cardId, lane, text, h.reason, h.hiddenAt, JSON.stringify(h.card)]);
      },
      list: async (workshopId) => (await q.hiddenCards(pool, [workshopId])).rows.map(toHidden),
      get: (boardId, cardId) => one(q.hiddenCard(pool, [boardId, cardId]), toHidden),
      delete: async (boardId, cardId) => void (await q.deleteHidden(pool, [boardId, cardId]))
    },
    removed: {
      list: async (workshopId) => (await q.removedCards(pool, [workshopId])).rows.map(toRemoved),
      ofAuthor: async (participantId) => (await q.removedOfAuthor(pool, [participantId])).rows.map(toRemoved),
      get: (boardId, cardId) => one(q.removedCard(pool, [boardId, cardId]), toRemoved),
      delete: (boardId, cardId) =>
        transaction(pool, async (c) => {
          await q.deleteRemoved(c, [boardId, cardId]);
          await q.deleteNoticesAbout(c, [boardId, cardId, 'removed']);
        })
    },
    notices: {
      add: async (n) => void (await q.addNotice(pool, [n.participantId, n.boardId, n.cardId, n.kind, n.createdAt])),
      of: async (participantId) => (await q.noticesOf(pool, [participantId])).rows.map(toNotice),
      dismiss: async (participantId, boardId, cardId, kind) => void (await q.dismissNotice(pool, [participantId, boardId, cardId, kind])),
      deleteAbout: async (boardId, cardId, kind) => void (await q.deleteNoticesAbout(pool, [boardId, cardId, kind]))
    },
    facilitation: {
      async get(workshopId) {
        const row = await first(q.getState(pool, [workshopId]));
        return row ? { json: row.state, version: row.version } : null;
      },
      async save(workshopId, json, expected) {
        const now = Date.now();
        const result =
          expected === 0
            ? await q.insertState(pool, [workshopId, json, now])
            : await q.updateState(pool, [workshopId, json, now, expected]);
        if (result.rowCount !== 1) throw new VersionConflict(workshopId);
        return expected + 1;
      }
    }
  };
}
