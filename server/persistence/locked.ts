// Whether a stored facilitation state locks a board, for the stores' append [ST140]. The state is
// the JSON the session layer saves (src/lib/domain/facilitation.ts); unreadable state locks
// nothing, as the session layer then starts from a fresh state too. Postgres checks the same in
// its append statement with its twin, roundtable_board_locked() (Postgres migration 5).
export function lockedIn(json: string, boardId: string): boolean {
  try {
    const state = JSON.parse(json) as { lockedBoards?: unknown };
    return Array.isArray(state.lockedBoards) && state.lockedBoards.includes(boardId);
  } catch {
    return false;
  }
}
