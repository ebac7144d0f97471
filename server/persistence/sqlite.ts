// The embedded store: one SQLite file through better-sqlite3. WAL, a busy timeout, numbered
// migrations, prepared statements with named parameters, and transactions around multi-row writes.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';
import type {
  BoardRecord,
  InviteRecord,
  NewWorkshop,
  ParticipantRecord,
  Store,
  StoredBoard,
  WorkshopRecord
} from './types';
import type { Role } from '../../src/lib/domain/roles';

export type Synchronous = 'FULL' | 'NORMAL';

export interface SqliteOptions {
  /** FULL (default) survives power loss; NORMAL survives a crashed process only. See docs/ARCHITECTURE.md. */
  synchronous?: Synchronous;
}

interface WorkshopRow { id: string; title: string; question: string; code: string; created_at: number }
interface BoardRow { id: string; workshop_id: string; title: string; position: number }
interface InviteRow { token: string; workshop_id: string; role: string; created_at: number; revoked_at: number | null }
interface ParticipantRow {
  id: string; workshop_id: string; name: string; role: string; created_at: number; removed_at: number | null;
}

const toWorkshop = (r: WorkshopRow): WorkshopRecord => ({
  id: r.id, title: r.title, question: r.question, code: r.code, createdAt: r.created_at
});
const toBoard = (r: BoardRow): BoardRecord => ({ id: r.id, workshopId: r.workshop_id, title: r.title, position: r.position });
const toInvite = (r: InviteRow): InviteRecord => ({
  token: r.token, workshopId: r.workshop_id, role: r.role as Role, createdAt: r.created_at, revokedAt: r.revoked_at
});
const toParticipant = (r: ParticipantRow): ParticipantRecord => ({
  id: r.id, workshopId: r.workshop_id, name: r.name, role: r.role as Role, createdAt: r.created_at, removedAt: r.removed_at
});

export function databasePath(dataDir: string): string {
  return path.join(dataDir, 'roundtable.sqlite');
}

export function openSqliteStore(file: string, options: SqliteOptions = {}): Store {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Deleted content is overwritten, not just unlinked from the b-tree (privacy: deletion is real).
  db.pragma('secure_delete = ON');
  migrate(db);

  const q = {
    insertWorkshop: db.prepare(
      'INSERT INTO workshops (id, title, question, code, created_at) VALUES (@id, @title, @question, @code, @createdAt)'
    ),
    insertBoard: db.prepare('INSERT INTO boards (id, workshop_id, title, position) VALUES (@id, @workshopId, @title, @position)'),
    insertInvite: db.prepare(
      'INSERT INTO invites (token, workshop_id, role, created_at, revoked_at) VALUES (@token, @workshopId, @role, @createdAt, @revokedAt)'
    ),
    workshop: db.prepare<[string], WorkshopRow>('SELECT * FROM workshops WHERE id = ?'),
    workshopByCode: db.prepare<[string], WorkshopRow>('SELECT * FROM workshops WHERE code = ?'),
    boards: db.prepare<[string], BoardRow>('SELECT * FROM boards WHERE workshop_id = ? ORDER BY position'),
    board: db.prepare<[string], BoardRow>('SELECT * FROM boards WHERE id = ?'),
    invite: db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE token = ?'),
    invites: db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE workshop_id = ? ORDER BY created_at'),
    insertParticipant: db.prepare(
      'INSERT INTO participants (id, workshop_id, name, role, created_at, removed_at) VALUES (@id, @workshopId, @name, @role, @createdAt, @removedAt)'
    ),
    insertSession: db.prepare(
      'INSERT INTO sessions (token_hash, participant_id, created_at) VALUES (@hash, @participantId, @createdAt)'
    ),
    participantBySession: db.prepare<[string], ParticipantRow>(
      `SELECT p.* FROM sessions s JOIN participants p ON p.id = s.participant_id
       WHERE s.token_hash = ? AND s.revoked_at IS NULL AND p.removed_at IS NULL`
    ),
    participant: db.prepare<[string], ParticipantRow>('SELECT * FROM participants WHERE id = ?'),
    participants: db.prepare<[string], ParticipantRow>('SELECT * FROM participants WHERE workshop_id = ? ORDER BY created_at'),
    appendUpdate: db.prepare('INSERT INTO board_updates (board_id, data) VALUES (@boardId, @data)'),
    snapshot: db.prepare<[string], { data: Buffer; upto_id: number }>('SELECT data, upto_id FROM board_snapshots WHERE board_id = ?'),
    updatesAfter: db.prepare<[string, number], { id: number; data: Buffer }>(
      'SELECT id, data FROM board_updates WHERE board_id = ? AND id > ? ORDER BY id'
    ),
    upsertSnapshot: db.prepare(
      `INSERT INTO board_snapshots (board_id, data, upto_id, updated_at) VALUES (@boardId, @data, @uptoId, @now)
       ON CONFLICT(board_id) DO UPDATE SET data = excluded.data, upto_id = excluded.upto_id, updated_at = excluded.updated_at`
    ),
    deleteUpdatesUpTo: db.prepare('DELETE FROM board_updates WHERE board_id = @boardId AND id <= @uptoId'),
    pendingCount: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM board_updates WHERE board_id = ?'),
    ping: db.prepare('SELECT 1')
  };

  const createWorkshop = db.transaction((input: NewWorkshop) => {
    q.insertWorkshop.run(input.workshop);
    for (const b of input.boards) q.insertBoard.run(b);
    for (const i of input.invites) q.insertInvite.run(i);
  });

  const addParticipant = db.transaction((p: ParticipantRecord, hash: string) => {
    q.insertParticipant.run(p);
    q.insertSession.run({ hash, participantId: p.id, createdAt: p.createdAt });
  });

  const appendUpdates = db.transaction((batch: ReadonlyArray<{ boardId: string; update: Uint8Array }>) => {
    let last = 0;
    for (const { boardId, update } of batch) {
      last = Number(q.appendUpdate.run({ boardId, data: update }).lastInsertRowid);
    }
    return last;
  });

  const compactBoard = db.transaction((boardId: string, snapshot: Uint8Array, uptoId: number) => {
    q.upsertSnapshot.run({ boardId, data: snapshot, uptoId, now: Date.now() });
    q.deleteUpdatesUpTo.run({ boardId, uptoId });
  });

  const loadBoard = db.transaction((boardId: string): StoredBoard => {
    const snap = q.snapshot.get(boardId);
    const rows = q.updatesAfter.all(boardId, snap?.upto_id ?? 0);
    return {
      snapshot: snap ? new Uint8Array(snap.data) : null,
      updates: rows.map((r) => new Uint8Array(r.data)),
      lastUpdateId: rows.length ? rows[rows.length - 1].id : (snap?.upto_id ?? 0)
    };
  });

  return {
    createWorkshop: (input) => createWorkshop(input),
    getWorkshop: (id) => { const r = q.workshop.get(id); return r ? toWorkshop(r) : null; },
    getWorkshopByCode: (code) => { const r = q.workshopByCode.get(code); return r ? toWorkshop(r) : null; },
    codeInUse: (code) => q.workshopByCode.get(code) !== undefined,
    listBoards: (workshopId) => q.boards.all(workshopId).map(toBoard),
    getBoard: (id) => { const r = q.board.get(id); return r ? toBoard(r) : null; },
    getInvite: (token) => { const r = q.invite.get(token); return r ? toInvite(r) : null; },
    listInvites: (workshopId) => q.invites.all(workshopId).map(toInvite),
    addParticipant: (p, hash) => addParticipant(p, hash),
    getParticipantBySession: (hash) => { const r = q.participantBySession.get(hash); return r ? toParticipant(r) : null; },
    getParticipant: (id) => { const r = q.participant.get(id); return r ? toParticipant(r) : null; },
    listParticipants: (workshopId) => q.participants.all(workshopId).map(toParticipant),
    appendUpdates: (batch) => (batch.length ? appendUpdates(batch) : 0),
    loadBoard: (boardId) => loadBoard(boardId),
    compactBoard: (boardId, snapshot, uptoId) => compactBoard(boardId, snapshot, uptoId),
    pendingUpdateCount: (boardId) => q.pendingCount.get(boardId)?.n ?? 0,
    ping: () => { q.ping.get(); },
    close: () => { if (db.open) db.close(); }
  };
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`The database is from a newer Roundtable (schema ${current}, this build knows ${MIGRATIONS.length}).`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
