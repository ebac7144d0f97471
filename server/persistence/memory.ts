// The in-memory twin of the SQLite store: same contract, nothing on disk. For quick tests and
// for tools that need a throwaway server; the contract suite keeps the two in step.
import type { BoardRecord, InviteRecord, ParticipantRecord, Store, WorkshopRecord } from './types';

export function openMemoryStore(): Store {
  const workshops = new Map<string, WorkshopRecord>();
  const boards = new Map<string, BoardRecord>();
  const invites = new Map<string, InviteRecord>();
  const participants = new Map<string, ParticipantRecord>();
  const sessions = new Map<string, string>(); // hash -> participant id
  const updates = new Map<string, { id: number; data: Uint8Array }[]>();
  const snapshots = new Map<string, { data: Uint8Array; uptoId: number }>();
  let nextUpdateId = 1;
  const copy = <T extends object>(v: T | undefined): T | null => (v ? { ...v } : null);

  return {
    createWorkshop({ workshop, boards: bs, invites: is }) {
      if (workshops.has(workshop.id) || [...workshops.values()].some((w) => w.code === workshop.code)) {
        throw new Error('UNIQUE constraint failed: workshops');
      }
      workshops.set(workshop.id, { ...workshop });
      for (const b of bs) boards.set(b.id, { ...b });
      for (const i of is) invites.set(i.token, { ...i });
    },
    getWorkshop: (id) => copy(workshops.get(id)),
    getWorkshopByCode: (code) => copy([...workshops.values()].find((w) => w.code === code)),
    codeInUse: (code) => [...workshops.values()].some((w) => w.code === code),
    listBoards: (workshopId) =>
      [...boards.values()].filter((b) => b.workshopId === workshopId).sort((a, b) => a.position - b.position).map((b) => ({ ...b })),
    getBoard: (id) => copy(boards.get(id)),
    getInvite: (token) => copy(invites.get(token)),
    listInvites: (workshopId) => [...invites.values()].filter((i) => i.workshopId === workshopId).map((i) => ({ ...i })),
    addParticipant(p, hash) {
      if (participants.has(p.id) || sessions.has(hash)) throw new Error('UNIQUE constraint failed: participants');
      participants.set(p.id, { ...p });
      sessions.set(hash, p.id);
    },
    getParticipantBySession(hash) {
      const id = sessions.get(hash);
      const p = id ? participants.get(id) : undefined;
      return p && p.removedAt === null ? { ...p } : null;
    },
    getParticipant: (id) => copy(participants.get(id)),
    listParticipants: (workshopId) =>
      [...participants.values()].filter((p) => p.workshopId === workshopId).map((p) => ({ ...p })),
    appendUpdates(batch) {
      let last = 0;
      for (const { boardId, update } of batch) {
        last = nextUpdateId++;
        const list = updates.get(boardId) ?? [];
        list.push({ id: last, data: update.slice() });
        updates.set(boardId, list);
      }
      return last;
    },
    loadBoard(boardId) {
      const snap = snapshots.get(boardId);
      const list = (updates.get(boardId) ?? []).filter((u) => u.id > (snap?.uptoId ?? 0));
      return {
        snapshot: snap ? snap.data.slice() : null,
        updates: list.map((u) => u.data.slice()),
        lastUpdateId: list.length ? list[list.length - 1].id : (snap?.uptoId ?? 0)
      };
    },
    compactBoard(boardId, snapshot, uptoId) {
      snapshots.set(boardId, { data: snapshot.slice(), uptoId });
      updates.set(boardId, (updates.get(boardId) ?? []).filter((u) => u.id > uptoId));
    },
    pendingUpdateCount: (boardId) => (updates.get(boardId) ?? []).length,
    ping() {},
    close() {}
  };
}
