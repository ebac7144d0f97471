// Checkpoints on a worker thread (checkpoint-worker.cjs), so copying the write-ahead log into the
// main file never stalls the event loop inside a commit.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { StoreLogger } from '../types';

/** Next to this module in the source tree, and next to dist/server.js in the build. */
const WORKER_FILE = new URL('./checkpoint-worker.cjs', import.meta.url);

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
const CHECKPOINT_EVERY_MS = 250;
const CHECKPOINT_AFTER_COMMITS = 500;
/** Once the log is this long (about 8 MB), the main thread finishes a checkpoint so it restarts. */
const RESTART_FRAMES = 2_000;

export interface Checkpointer {
  committed(): void;
  /** Runs `task` once no background checkpoint is running (at once if none is). */
  whenIdle(task: () => void): void;
  close(): void;
}

export function startCheckpointer(file: string, log: StoreLogger, fallback: () => void, finish: () => void): Checkpointer {
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
      log.warn({ err: (err as Error).message }, `${what} failed`);
    }
  };
  const stop = (reason: unknown) => {
    clearInterval(timer);
    const running = worker;
    worker = null;
    busy = false;
    if (running) running.terminate().catch(() => {});
    // Not silent: the store still works, with the event-loop stalls described above.
    log.warn({ reason: String(reason) }, 'background checkpoints stopped; SQLite checkpoints on commit instead');
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
    worker = new Worker(WORKER_FILE, { workerData: { driver, file, restartFrames: RESTART_FRAMES } });
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
