// The embedded store: one SQLite file through better-sqlite3. WAL, a busy timeout, numbered
// migrations, prepared statements with named parameters, and transactions around multi-row writes.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';
import type {
  CardAuthorRecord,
  DraftRecord,
  HiddenCardRecord,
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

/**
 * Board updates are the one hot write path (every keystroke of every person), so they go through
 * a second connection (which also compacts them) whose commits do not fsync (`synchronous =
 * NORMAL`): a commit there only writes the log into the operating system's cache and returns in
 * microseconds. `durable()` then makes those commits survive a power cut with one `fdatasync` of
 * the write-ahead log on libuv's thread pool, off the event loop, shared by every commit made
 * before it started (group commit). The relay waits for it, so the rule "stored before anyone
 * else receives it" still means "on disk". Every other write uses the main connection at FULL
 * and is durable when it returns.
 */
interface WalSync {
  /** Counts a commit made on the fast connection. */
  committed(): void;
  durable(): Promise<void>;
  /** Syncs what is left, synchronously, and closes the descriptor. */
  close(): void;
  /** The error of a failed sync, after which nothing is durable any more (see `failed`). */
  readonly broken: Error | null;
}

function walSync(walFile: string, enabled: boolean): WalSync {
  // The log exists from the first transaction while any connection is open (the same inode even
  // when a checkpoint truncates it), so one descriptor serves the whole life of the store. Syncing
  // it once at open covers commits a killed process left in the OS's cache: they are served from
  // now on.
  let fd: number | null = null;
  const open = (): number => (fd ??= fs.openSync(walFile, 'r+'));
  if (enabled && fs.existsSync(walFile)) fs.fdatasyncSync(open());
  let commits = 0;
  let synced = 0;
  let running: Promise<void> | null = null;
  /**
   * Once a sync fails, no later one can be trusted to cover the same commits (Linux marks the
   * lost pages clean and the next fdatasync succeeds): every durable() from then on rejects, so
   * nothing more is relayed, and /healthz reports the store broken until the server restarts.
   */
  let failed: Error | null = null;
  let closed = false;
  const syncOnce = (): Promise<void> => {
    const upto = commits;
    return new Promise<void>((resolve, reject) => {
      let descriptor: number;
      try {
        descriptor = open();
      } catch (err) {
        return reject(err);
      }
      fs.fdatasync(descriptor, (err) => {
        if (err) {
          failed = new Error(`the disk could not save board edits (${err.message}); restart the server`);
          return reject(failed);
        }
        synced = Math.max(synced, upto);
        resolve();
      });
    });
  };
  const syncUntil = async (target: number): Promise<void> => {
    while (synced < target) {
      if (failed) throw failed;
      if (closed) throw new Error('the store is closed');
      running ??= syncOnce().finally(() => (running = null));
      await running;
    }
  };
  return {
    committed: () => void commits++,
    durable: () => {
      if (failed) return Promise.reject(failed);
      return !enabled || synced >= commits ? Promise.resolve() : syncUntil(commits);
    },
    close: () => {
      if (closed) return;
      closed = true;
      if (!enabled) return;
      // What the last flush and the shutdown compaction committed is synced here, before the
      // connections close. A sync on the thread pool may still be using the descriptor, so the
      // descriptor is closed after it.
      const descriptor = fd ?? (fs.existsSync(walFile) ? open() : null);
      if (descriptor === null) return;
      if (!failed) fs.fdatasyncSync(descriptor);
      const release = () => {
        try {
          fs.closeSync(descriptor);
        } catch {
          // already closed
        }
      };
      if (running) running.then(release, release);
      else release();
    },
    get broken() {
      return failed;
    }
  };
}

interface WorkshopRow { id: string; title: string; question: string; code: string; created_at: number; ended_at: number | null }
interface BoardRow { id: string; workshop_id: string; title: string; position: number }
interface InviteRow { token: string; workshop_id: string; role: string; created_at: number; revoked_at: number | null }
interface ParticipantRow {
  id: string; workshop_id: string; name: string; role: string; created_at: number; removed_at: number | null;
}

interface DraftRow {
  participant_id: string; draft_id: string; workshop_id: string; board_id: string; lane: string; text: string; anonymous: number; updated_at: number;
}
interface HiddenRow { board_id: string; card_id: string; lane: string; text: string; reason: string; hidden_at: number }

const toDraft = (r: DraftRow): DraftRecord => ({
  participantId: r.participant_id, draftId: r.draft_id, workshopId: r.workshop_id, boardId: r.board_id,
  lane: r.lane, text: r.text, anonymous: r.anonymous === 1, updatedAt: r.updated_at
});
const toHidden = (r: HiddenRow): HiddenCardRecord => ({
  boardId: r.board_id, cardId: r.card_id, lane: r.lane, text: r.text, reason: r.reason, hiddenAt: r.hidden_at
});

const toWorkshop = (r: WorkshopRow): WorkshopRecord => ({
  id: r.id, title: r.title, question: r.question, code: r.code, createdAt: r.created_at, endedAt: r.ended_at
});
const toBoard = (r: BoardRow): BoardRecord => ({ id: r.id, workshopId: r.workshop_id, title: r.title, position: r.position });
const toInvite = (r: InviteRow): InviteRecord => ({
  token: r.token, workshopId: r.workshop_id, role: r.role as Role, createdAt: r.created_at, revokedAt: r.revoked_at
});
const toParticipant = (r: ParticipantRow): ParticipantRecord => ({
  id: r.id, workshopId: r.workshop_id, name: r.name, role: r.role as Role, createdAt: r.created_at, removedAt: r.removed_at
});

/**
 * Copying the write-ahead log into the main file (a checkpoint) is SQLite's job inside whichever
 * commit takes the log past 1,000 pages: a 4-5 ms stall of the event loop every few hundred
 * commits, which every edit arriving meanwhile waits for. Here it runs on a worker thread with
 * its own connection instead, PASSIVE (it never blocks a writer or waits for one), a few times a
 * second while the log grows.
 *
 * The log only starts again from its beginning when a write finds it wholly copied. Under a steady
 * stream of writes that never happens after a checkpoint on another thread (commits made while it
 * ran are left over), so once the log is over RESTART_FRAMES long, the worker copies the bulk and
 * syncs the main file itself (SQLite syncs it only when a checkpoint reaches the end of the log,
 * which a checkpoint racing commits rarely does), then the main thread copies the frames left and
 * syncs (about a millisecond on the test machine's disk: the bulk is on disk already) and the
 * next commit starts the log again. The main file is synced only then, not after every round,
 * because each sync of it competes with the log's own syncs, which every relay waits for. If the
 * worker cannot start, exits, or fails three times running, SQLite's own automatic checkpoints
 * come back on, with a warning.
 */
const CHECKPOINTER_SOURCE = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');
const file = fs.openSync(workerData.file, 'r+');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    fs.closeSync(file);
    parentPort.close();
    return;
  }
  try {
    const frames = db.pragma('wal_checkpoint(PASSIVE)')[0].log;
    // Before the main thread finishes (see startCheckpointer), the copied pages go to disk here.
    if (frames > workerData.restartFrames) fs.fdatasyncSync(file);
    parentPort.postMessage({ ok: true, frames });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String((err && err.message) || err) });
  }
});
`;
const CHECKPOINT_EVERY_MS = 250;
const CHECKPOINT_AFTER_COMMITS = 500;
/** Once the log is this long (about 8 MB), the main thread finishes a checkpoint so it restarts. */
const RESTART_FRAMES = 2_000;

interface Checkpointer {
  committed(): void;
  /** Runs `task` once no background checkpoint is running (at once if none is). */
  whenIdle(task: () => void): void;
  close(): void;
}

function startCheckpointer(file: string, fallback: () => void, finish: () => void): Checkpointer {
  let worker: Worker | null = null;
  let commits = 0;
  let busy = false;
  let failures = 0;
  let idleTasks: (() => void)[] = [];
  const runIdleTasks = () => {
    const tasks = idleTasks;
    idleTasks = [];
    for (const task of tasks) guarded('a checkpoint', task);
  };
  const guarded = (what: string, task: () => void) => {
    try {
      task();
    } catch (err) {
      console.warn(`Roundtable: ${what} failed (${(err as Error).message})`);
    }
  };
  const stop = (reason: unknown) => {
    clearInterval(timer);
    const running = worker;
    worker = null;
    busy = false;
    if (running) running.terminate().catch(() => {});
    // Not silent: the store still works, with the event-loop stalls described above.
    console.warn(`Roundtable: background checkpoints stopped (${String(reason)}); SQLite checkpoints on commit instead.`);
    guarded('turning automatic checkpoints back on', fallback);
    runIdleTasks();
  };
  let idleTicks = 0;
  const request = () => {
    if (!worker || busy) return;
    // Other writes (facilitation, people) are not counted: they get a checkpoint every 10 s.
    if (commits === 0 && ++idleTicks < 40) return;
    idleTicks = 0;
    busy = true;
    commits = 0;
    worker.postMessage('checkpoint');
  };
  const timer = setInterval(request, CHECKPOINT_EVERY_MS);
  timer.unref();
  try {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    worker = new Worker(CHECKPOINTER_SOURCE, { eval: true, workerData: { driver, file, restartFrames: RESTART_FRAMES } });
    worker.unref();
    worker.on('message', (m: { ok: boolean; frames?: number; error?: string }) => {
      busy = false;
      if (!m.ok) {
        if (++failures >= 3) stop(m.error);
      } else {
        failures = 0;
        if ((m.frames ?? 0) > RESTART_FRAMES) guarded('finishing a checkpoint', finish);
      }
      runIdleTasks();
    });
    worker.on('error', stop);
    worker.on('exit', (code) => {
      if (worker) stop(`the worker exited with code ${code}`);
    });
  } catch (err) {
    stop(err);
  }
  return {
    committed() {
      if (++commits >= CHECKPOINT_AFTER_COMMITS) request();
    },
    whenIdle(task) {
      if (!busy) task();
      else idleTasks.push(task);
    },
    close() {
      clearInterval(timer);
      const running = worker;
      worker = null;
      running?.postMessage('close');
    }
  };
}

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

  // The board log's own connection (see WalSync). It only appends updates and card authors.
  const log = new Database(file);
  log.pragma('synchronous = NORMAL');
  log.pragma('busy_timeout = 5000');
  log.pragma('foreign_keys = ON');
  log.pragma('secure_delete = ON');
  const wal = walSync(`${file}-wal`, (options.synchronous ?? 'FULL') === 'FULL');
  // Checkpoints run on a worker thread (see startCheckpointer), not inside commits.
  db.pragma('wal_autocheckpoint = 0');
  log.pragma('wal_autocheckpoint = 0');
  const checkpointer = startCheckpointer(
    file,
    () => {
      if (db.open) db.pragma('wal_autocheckpoint = 1000');
      if (log.open) log.pragma('wal_autocheckpoint = 1000');
    },
    () => {
      if (log.open) log.pragma('wal_checkpoint(PASSIVE)');
    }
  );

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
    appendUpdate: log.prepare('INSERT INTO board_updates (board_id, data) VALUES (@boardId, @data)'),
    snapshot: db.prepare<[string], { data: Buffer; upto_id: number }>('SELECT data, upto_id FROM board_snapshots WHERE board_id = ?'),
    updatesAfter: db.prepare<[string, number], { id: number; data: Buffer }>(
      'SELECT id, data FROM board_updates WHERE board_id = ? AND id > ? ORDER BY id'
    ),
    upsertSnapshot: log.prepare(
      `INSERT INTO board_snapshots (board_id, data, upto_id, updated_at) VALUES (@boardId, @data, @uptoId, @now)
       ON CONFLICT(board_id) DO UPDATE SET data = excluded.data, upto_id = excluded.upto_id, updated_at = excluded.updated_at`
    ),
    deleteUpdatesUpTo: log.prepare('DELETE FROM board_updates WHERE board_id = @boardId AND id <= @uptoId'),
    pendingCount: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM board_updates WHERE board_id = ?'),
    ping: db.prepare('SELECT 1'),
    setRole: db.prepare('UPDATE participants SET role = @role WHERE id = @id'),
    removeParticipant: db.prepare('UPDATE participants SET removed_at = @at WHERE id = @id AND removed_at IS NULL'),
    revokeSessions: db.prepare('UPDATE sessions SET revoked_at = @at WHERE participant_id = @id AND revoked_at IS NULL'),
    revokeSession: db.prepare('UPDATE sessions SET revoked_at = @at WHERE token_hash = @hash AND revoked_at IS NULL'),
    revokeInvite: db.prepare('UPDATE invites SET revoked_at = @at WHERE token = @token AND revoked_at IS NULL'),
    getState: db.prepare<[string], { state: string }>('SELECT state FROM workshop_state WHERE workshop_id = ?'),
    saveState: db.prepare(
      `INSERT INTO workshop_state (workshop_id, state, updated_at) VALUES (@workshopId, @json, @now)
       ON CONFLICT(workshop_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`
    ),
    saveDraft: db.prepare(
      `INSERT INTO drafts (participant_id, draft_id, workshop_id, board_id, lane, text, anonymous, updated_at)
       VALUES (@participantId, @draftId, @workshopId, @boardId, @lane, @text, @anonymous, @updatedAt)
       ON CONFLICT(participant_id, draft_id) DO UPDATE SET lane = excluded.lane, text = excluded.text,
         anonymous = excluded.anonymous, board_id = excluded.board_id, updated_at = excluded.updated_at`
    ),
    deleteDraft: db.prepare('DELETE FROM drafts WHERE participant_id = @participantId AND draft_id = @draftId'),
    draftsOfBoard: db.prepare<[string], DraftRow>('SELECT * FROM drafts WHERE board_id = ? ORDER BY updated_at'),
    draftsOf: db.prepare<[string], DraftRow>('SELECT * FROM drafts WHERE participant_id = ? ORDER BY updated_at'),
    insertAuthor: log.prepare(
      'INSERT OR IGNORE INTO card_authors (board_id, card_id, participant_id, created_at) VALUES (@boardId, @cardId, @participantId, @createdAt)'
    ),
    authors: db.prepare<[string], { board_id: string; card_id: string; participant_id: string; created_at: number }>(
      'SELECT a.* FROM card_authors a JOIN boards b ON b.id = a.board_id WHERE b.workshop_id = ?'
    ),
    hideCard: db.prepare(
      `INSERT OR REPLACE INTO hidden_cards (board_id, card_id, lane, text, reason, hidden_at)
       VALUES (@boardId, @cardId, @lane, @text, @reason, @hiddenAt)`
    ),
    hiddenCards: db.prepare<[string], HiddenRow>(
      'SELECT h.* FROM hidden_cards h JOIN boards b ON b.id = h.board_id WHERE b.workshop_id = ? ORDER BY h.hidden_at'
    ),
    hiddenCard: db.prepare<[string, string], HiddenRow>('SELECT * FROM hidden_cards WHERE board_id = ? AND card_id = ?'),
    deleteHidden: db.prepare('DELETE FROM hidden_cards WHERE board_id = @boardId AND card_id = @cardId'),
    deleteParticipant: db.prepare('DELETE FROM participants WHERE id = ?'),
    endWorkshop: db.prepare('UPDATE workshops SET ended_at = @at WHERE id = @id AND ended_at IS NULL'),
    deleteWorkshop: db.prepare('DELETE FROM workshops WHERE id = ?'),
    endedBefore: db.prepare<[number], { id: string }>('SELECT id FROM workshops WHERE ended_at IS NOT NULL AND ended_at < ?')
  };

  const removeParticipant = db.transaction((id: string, at: number) => {
    q.removeParticipant.run({ id, at });
    q.revokeSessions.run({ id, at });
  });
  const deleteDrafts = db.transaction((keys: ReadonlyArray<{ participantId: string; draftId: string }>) => {
    for (const k of keys) q.deleteDraft.run(k);
  });

  const createWorkshop = db.transaction((input: NewWorkshop) => {
    q.insertWorkshop.run(input.workshop);
    for (const b of input.boards) q.insertBoard.run(b);
    for (const i of input.invites) q.insertInvite.run(i);
  });

  const addParticipant = db.transaction((p: ParticipantRecord, hash: string) => {
    q.insertParticipant.run(p);
    q.insertSession.run({ hash, participantId: p.id, createdAt: p.createdAt });
  });

  const appendUpdatesTx = log.transaction(
    (batch: ReadonlyArray<{ boardId: string; update: Uint8Array }>, authors: ReadonlyArray<CardAuthorRecord>) => {
      let last = 0;
      for (const { boardId, update } of batch) {
        last = Number(q.appendUpdate.run({ boardId, data: update }).lastInsertRowid);
      }
      for (const a of authors) q.insertAuthor.run(a);
      return last;
    }
  );
  const appendUpdates = (batch: ReadonlyArray<{ boardId: string; update: Uint8Array }>, authors: ReadonlyArray<CardAuthorRecord>) => {
    const last = appendUpdatesTx(batch, authors);
    wal.committed();
    checkpointer.committed();
    return last;
  };

  // On the log connection too: a compaction replaces updates by a snapshot of them in one
  // transaction, so if a power cut undoes it before the next sync, the updates are still there.
  const compactBoard = log.transaction((boardId: string, snapshot: Uint8Array, uptoId: number) => {
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
    appendUpdates: (batch, authors = []) => (batch.length || authors.length ? appendUpdates(batch, authors) : 0),
    durable: () => wal.durable(),
    setParticipantRole: (id, role) => { q.setRole.run({ id, role }); },
    removeParticipant: (id, at) => removeParticipant(id, at),
    revokeSession: (hash, at) => void q.revokeSession.run({ hash, at }),
    addInvite: (invite) => { q.insertInvite.run(invite); },
    revokeInvite: (token, at) => { q.revokeInvite.run({ token, at }); },
    getFacilitationState: (workshopId) => q.getState.get(workshopId)?.state ?? null,
    saveFacilitationState: (workshopId, json) => { q.saveState.run({ workshopId, json, now: Date.now() }); },
    saveDraft: (d) => { q.saveDraft.run({ ...d, anonymous: d.anonymous ? 1 : 0 }); },
    deleteDraft: (participantId, draftId) => { q.deleteDraft.run({ participantId, draftId }); },
    listDrafts: (boardId) => q.draftsOfBoard.all(boardId).map(toDraft),
    listDraftsOf: (participantId) => q.draftsOf.all(participantId).map(toDraft),
    deleteDrafts: (keys) => deleteDrafts(keys),
    listCardAuthors: (workshopId) =>
      q.authors.all(workshopId).map((r) => ({ boardId: r.board_id, cardId: r.card_id, participantId: r.participant_id, createdAt: r.created_at })),
    hideCard: (c) => { q.hideCard.run(c); },
    listHiddenCards: (workshopId) => q.hiddenCards.all(workshopId).map(toHidden),
    getHiddenCard: (boardId, cardId) => { const r = q.hiddenCard.get(boardId, cardId); return r ? toHidden(r) : null; },
    deleteHiddenCard: (boardId, cardId) => { q.deleteHidden.run({ boardId, cardId }); },
    loadBoard: (boardId) => loadBoard(boardId),
    compactBoard: (boardId, snapshot, uptoId) => compactBoard(boardId, snapshot, uptoId),
    pendingUpdateCount: (boardId) => q.pendingCount.get(boardId)?.n ?? 0,
    ping: () => {
      if (wal.broken) throw wal.broken;
      q.ping.get();
    },
    endWorkshop: (id, at) => { q.endWorkshop.run({ id, at }); },
    deleteParticipant: (id) => { q.deleteParticipant.run(id); },
    // Foreign keys cascade to boards, update logs, snapshots, invites, people, sessions, drafts.
    deleteWorkshop: (id) => { q.deleteWorkshop.run(id); },
    listEndedBefore: (before) => q.endedBefore.all(before).map((r) => r.id),
    checkpoint: () =>
      // This checkpoint is what removes deleted content from the log (privacy). It needs the
      // checkpoint lock, so it waits for a background checkpoint in progress to end.
      new Promise<void>((resolve, reject) => {
        checkpointer.whenIdle(() => {
          try {
            const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
            if (r?.busy) throw new Error('could not empty the write-ahead log: the database is busy');
            resolve();
          } catch (err) {
            reject(err);
          }
        });
      }),
    backup: async (file) => { await db.backup(file); },
    close: () => {
      checkpointer.close();
      wal.close();
      if (log.open) log.close();
      if (db.open) db.close();
    }
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
