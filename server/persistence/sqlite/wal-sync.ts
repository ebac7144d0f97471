// The write-ahead log's own fdatasync, on libuv's thread pool: how board edits become durable
// without the event loop waiting for the disk (group commit). See openSqliteStore.
import fs from 'node:fs';

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
export interface WalSync {
  /** Counts a commit made on the fast connection. */
  committed(): void;
  durable(): Promise<void>;
  /** Syncs what is left, synchronously, and closes the descriptor. */
  close(): void;
  /** The error of a failed sync, after which nothing is durable any more (see `failed`). */
  readonly broken: Error | null;
}

export function walSync(walFile: string, enabled: boolean): WalSync {
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
