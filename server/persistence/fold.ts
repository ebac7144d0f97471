// Compaction's one merge, the same in every store: the caller's document, the stored snapshot and
// every update stored for the board, as one Yjs update. Merging is exact whatever any of them
// holds (Yjs updates commute and repeat harmlessly), so a compaction keeps the edits of another
// writer (another server process) that the caller never received. The caller's document goes
// first: where the inputs overlap, the merge keeps its copy, in which deleted content has been
// garbage-collected, so the snapshot does not grow with deleted words.
import * as Y from 'yjs';

export function foldBoard(current: Uint8Array, snapshot: Uint8Array | null, updates: readonly Uint8Array[]): Uint8Array {
  const parts = [current, ...(snapshot ? [snapshot] : []), ...updates];
  return parts.length === 1 ? current : Y.mergeUpdates(parts);
}
