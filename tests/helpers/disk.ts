// A disk that fails: Node's fdatasync reports EIO once (the one way to simulate it here), then
// behaves again. Everything else stays real. Restore the spy when done.
import fs from 'node:fs';
import { vi } from 'vitest';

export function failNextDiskSync() {
  return vi
    .spyOn(fs, 'fdatasync')
    .mockImplementationOnce((_fd: number, cb: (err: NodeJS.ErrnoException | null) => void) =>
      cb(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }))
    );
}
