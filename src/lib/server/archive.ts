// What both ways of importing an archive (POST /api/workshops/import and the start page's form)
// share: the refusal of a file that is too large, and a bound on how many are read at once, since
// each can take the board document limit (20 MiB) of memory while it is read and checked.
import { AppError } from '$lib/protocol/errors';

/** Archives read and checked at once in this process; more are refused until one is done. */
export const ARCHIVES_AT_ONCE = 4;

let reading = 0;

export function tooBigArchive(maxBytes: number): AppError {
  const size = maxBytes >= 1024 * 1024 ? `${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MiB` : `${Math.round(maxBytes / 1024)} KiB`;
  return new AppError('payload_too_large', `This file is larger than an archive can be here (${size}). Nothing was made.`, 413, 'archive');
}

/** Runs `read` (reading, checking and storing one archive) unless ARCHIVES_AT_ONCE already are. */
export async function oneOfFewArchives<T>(read: () => Promise<T>): Promise<T> {
  if (reading >= ARCHIVES_AT_ONCE) {
    throw new AppError('rate_limited', 'Several workshops are being made from files right now. Try again in a minute.', 429);
  }
  reading++;
  try {
    return await read();
  } finally {
    reading--;
  }
}
