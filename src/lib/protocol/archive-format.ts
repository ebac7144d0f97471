// The first thing checked of a workshop archive, with no dependencies, so the page can tell a wrong
// file before sending it: is it a Roundtable archive, and of a version this build reads? The whole
// check (its shape and meaning) is checkArchive in archive.ts, on the server.

export const ARCHIVE_FORMAT = 'roundtable-archive';
export const ARCHIVE_VERSION = 1;

/** What the page says an archive is, wherever it names one. */
export const ARCHIVE_FILE_HINT = 'the file you saved with “Download everything (JSON archive)”, ending in .json';

/** Null when `raw` (parsed JSON) says it is an archive of this version; otherwise what is wrong, in plain words. */
export function formatProblem(raw: unknown): { field: 'format' | 'version'; message: string } | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || (raw as { format?: unknown }).format !== ARCHIVE_FORMAT) {
    return { field: 'format', message: `This file is not a Roundtable archive. Choose ${ARCHIVE_FILE_HINT}.` };
  }
  const version = (raw as { version?: unknown }).version;
  if (version === ARCHIVE_VERSION) return null;
  return {
    field: 'version',
    message:
      typeof version === 'number' && Number.isInteger(version) && version > ARCHIVE_VERSION
        ? `This archive was made by a newer Roundtable (archive version ${version}). This Roundtable can read version ${ARCHIVE_VERSION}: update it, then try again.`
        : `This archive has no version this Roundtable can read (it reads version ${ARCHIVE_VERSION}).`
  };
}
