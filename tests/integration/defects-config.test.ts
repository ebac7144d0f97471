// Defects in reading SQLITE_SYNCHRONOUS: the value is compared case-sensitively, so "full" turns
// off the sync of the write-ahead log before each relay, and nonsense is accepted silently.
//
// The variable is given to startTestServer and also set in process.env while the server runs,
// since the code it was written against reads it from process.env rather than from the env given
// to readConfig; either way of reading it sees the same value.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addCard, getCard } from '../../src/lib/board/schema';
import { startTestServer, type TestServer } from '../helpers/server';
import { connectBoard, createWorkshop, join, until, type BoardClient } from '../helpers/clients';

const saved = process.env.SQLITE_SYNCHRONOUS;
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  if (saved === undefined) delete process.env.SQLITE_SYNCHRONOUS;
  else process.env.SQLITE_SYNCHRONOUS = saved;
});

async function serverWith(value: string): Promise<TestServer> {
  process.env.SQLITE_SYNCHRONOUS = value;
  const server = await startTestServer({ env: { SQLITE_SYNCHRONOUS: value } });
  cleanups.push(() => server.close());
  return server;
}

/** The file a descriptor of this process refers to (Linux). */
function fileOf(fd: number): string | null {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return null;
  }
}

describe('SQLITE_SYNCHRONOUS', () => {
  // "FULL" is the control: it passes on the current code, showing the check itself is sound.
  it.each(['FULL', 'full', 'Full'])(
    'with SQLITE_SYNCHRONOUS=%s, syncs the write-ahead log to disk before a board edit is relayed',
    async (value) => {
      const server = await serverWith(value);
      const wal = path.join(fs.realpathSync(server.dataDir), 'roundtable.sqlite-wal');
      const w = await createWorkshop(server.url);
      const [a, b] = await Promise.all([join(server.url, w.links.member, 'Ana'), join(server.url, w.links.member, 'Ben')]);
      const boardA: BoardClient = connectBoard(server.wsUrl, w.boards[0].id, a.sessionToken);
      const boardB: BoardClient = connectBoard(server.wsUrl, w.boards[0].id, b.sessionToken);
      cleanups.push(
        () => boardA.destroy(),
        () => boardB.destroy()
      );
      await Promise.all([boardA.synced, boardB.synced]);

      // Watch fdatasync without replacing it: every call goes through to the real one.
      const completed: string[] = [];
      const real = fs.fdatasync;
      const spy = vi.spyOn(fs, 'fdatasync').mockImplementation((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
        const file = fileOf(fd) ?? `fd ${fd}`;
        real(fd, (err) => {
          if (!err) completed.push(file);
          cb(err);
        });
      });
      cleanups.push(() => spy.mockRestore());

      const id = addCard(boardA.doc, 'problems', `written with ${value}`);
      let syncedBeforeRelay: string[] | null = null;
      await until(boardB.doc, () => {
        if (getCard(boardB.doc, id) === null) return false;
        syncedBeforeRelay ??= [...completed];
        return true;
      });
      expect(syncedBeforeRelay).toContain(wal);
    }
  );

  it('refuses to start with SQLITE_SYNCHRONOUS=sometimes, with a message naming SQLITE_SYNCHRONOUS', async () => {
    let started: TestServer | null = null;
    let failure: unknown = null;
    try {
      started = await serverWith('sometimes');
    } catch (err) {
      failure = err;
    }
    if (started) cleanups.pop(); // closed below, before the assertion
    await started?.close();
    expect(failure, 'the server started with SQLITE_SYNCHRONOUS=sometimes').toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/SQLITE_SYNCHRONOUS/);
  });
});
