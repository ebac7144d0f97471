// The database files of a data folder, page by page: for tests that check two things (a person's
// id and what they chose or wrote) never share a page of the main file or a frame of the
// write-ahead log. The same reading as tests/integration/defects-session.test.ts.
import fs from 'node:fs';
import path from 'node:path';

export interface DbFile {
  name: string;
  bytes: Buffer;
}

export function databaseFiles(dataDir: string): DbFile[] {
  return ['roundtable.sqlite', 'roundtable.sqlite-wal', 'roundtable.sqlite-shm']
    .filter((f) => fs.existsSync(path.join(dataDir, f)))
    .map((f) => ({ name: f, bytes: fs.readFileSync(path.join(dataDir, f)) }));
}

/** A file's pages: the main file's pages, the log's frames, fixed 4 KiB blocks of anything else. */
export function pagesOf(file: DbFile): { at: number; page: Buffer }[] {
  const { bytes } = file;
  const windows: [number, number][] = [];
  if (file.name.endsWith('-wal') && bytes.length >= 32) {
    const pageSize = bytes.readUInt32BE(8);
    for (let at = 32; at + 24 <= bytes.length; at += 24 + pageSize) windows.push([at + 24, Math.min(bytes.length, at + 24 + pageSize)]);
  } else {
    let pageSize = 4096;
    if (file.name.endsWith('.sqlite') && bytes.length >= 100) {
      const raw = bytes.readUInt16BE(16);
      pageSize = raw === 1 ? 65536 : raw;
    }
    for (let at = 0; at < bytes.length; at += pageSize) windows.push([at, Math.min(bytes.length, at + pageSize)]);
  }
  return windows.map(([from, to]) => ({ at: from, page: bytes.subarray(from, to) }));
}

/** Every page holding one of `as` and one of `bs`, as "file@offset: a + b". */
export function pagesWithPairs(files: DbFile[], as: readonly string[], bs: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    for (const { at, page } of pagesOf(file)) {
      const a = as.find((x) => page.includes(x));
      if (a === undefined) continue;
      const b = bs.find((x) => page.includes(x));
      if (b !== undefined) found.push(`${file.name}@${at}: ${a} + ${b}`);
    }
  }
  return found;
}
