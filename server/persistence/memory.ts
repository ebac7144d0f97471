// The in-memory twin of the SQLite store: same contract, nothing on disk. For quick tests and
// for tools that need a throwaway server; the contract suite keeps the two in step.
import type {
  BoardRecord,
  CardAuthorRecord,
  DraftRecord,
  HiddenCardRecord,
  InviteRecord,
  ParticipantRecord,
  Store,
  WorkshopRecord
} from './types';

export function openMemoryStore(): Store {
  const workshops = new Map<string, WorkshopRecord>();
  const boards = new Map<string, BoardRecord>();
  const invites = new Map<string, InviteRecord>();
  const participants = new Map<string, ParticipantRecord>();
  const sessions = new Map<string, string>(); // hash -> participant id
  const updates = new Map<string, { id: number; data: Uint8Array }[]>();
  const snapshots = new Map<string, { data: Uint8Array; uptoId: number }>();
  const sessionRevoked = new Set<string>();
  const states = new Map<string, string>();
  const drafts = new Map<string, DraftRecord>(); // participantId + '/' + draftId
  const authors = new Map<string, CardAuthorRecord>(); // boardId + '/' + cardId
  const hidden = new Map<string, HiddenCardRecord>(); // boardId + '/' + cardId
  const boardsOf = (workshopId: string) => new Set([...boards.values()].filter((b) => b.workshopId === workshopId).map((b) => b.id));
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
      const id = sessionRevoked.has(hash) ? undefined : sessions.get(hash);
      const p = id ? participants.get(id) : undefined;
      return p && p.removedAt === null ? { ...p } : null;
    },
    getParticipant: (id) => copy(participants.get(id)),
    listParticipants: (workshopId) =>
      [...participants.values()].filter((p) => p.workshopId === workshopId).map((p) => ({ ...p })),
    setParticipantRole(id, role) {
      const p = participants.get(id);
      if (p) p.role = role;
    },
    removeParticipant(id, at) {
      const p = participants.get(id);
      if (p && p.removedAt === null) p.removedAt = at;
      for (const [hash, pid] of sessions) if (pid === id) sessionRevoked.add(hash);
    },
    revokeSession(hash) {
      if (sessions.has(hash)) sessionRevoked.add(hash);
    },
    addInvite(invite) {
      invites.set(invite.token, { ...invite });
    },
    revokeInvite(token, at) {
      const i = invites.get(token);
      if (i && i.revokedAt === null) i.revokedAt = at;
    },
    getFacilitationState: (workshopId) => states.get(workshopId) ?? null,
    saveFacilitationState(workshopId, json) {
      states.set(workshopId, json);
    },
    saveDraft(d) {
      drafts.set(`${d.participantId}/${d.draftId}`, { ...d });
    },
    deleteDraft(participantId, draftId) {
      drafts.delete(`${participantId}/${draftId}`);
    },
    listDrafts: (boardId) => [...drafts.values()].filter((d) => d.boardId === boardId).map((d) => ({ ...d })),
    listDraftsOf: (participantId) => [...drafts.values()].filter((d) => d.participantId === participantId).map((d) => ({ ...d })),
    deleteDrafts(keys) {
      for (const k of keys) drafts.delete(`${k.participantId}/${k.draftId}`);
    },
    listCardAuthors(workshopId) {
      const ids = boardsOf(workshopId);
      return [...authors.values()].filter((a) => ids.has(a.boardId)).map((a) => ({ ...a }));
    },
    hideCard(c) {
      hidden.set(`${c.boardId}/${c.cardId}`, { ...c });
    },
    listHiddenCards(workshopId) {
      const ids = boardsOf(workshopId);
      return [...hidden.values()].filter((h) => ids.has(h.boardId)).sort((a, b) => a.hiddenAt - b.hiddenAt).map((h) => ({ ...h }));
    },
    getHiddenCard: (boardId, cardId) => copy(hidden.get(`${boardId}/${cardId}`)),
    deleteHiddenCard(boardId, cardId) {
      hidden.delete(`${boardId}/${cardId}`);
    },
    appendUpdates(batch, newAuthors = []) {
      for (const a of newAuthors) {
        const key = `${a.boardId}/${a.cardId}`;
        if (!authors.has(key)) authors.set(key, { ...a });
      }
      let last = 0;
      for (const { boardId, update } of batch) {
        last = nextUpdateId++;
        const list = updates.get(boardId) ?? [];
        list.push({ id: last, data: update.slice() });
        updates.set(boardId, list);
      }
      return last;
    },
    durable: () => Promise.resolve(),
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
    checkpoint: () => Promise.resolve(),
    async backup() {
      throw new Error('The in-memory store has nothing to back up.');
    },
    deleteParticipant(id) {
      participants.delete(id);
      for (const [hash, owner] of sessions) if (owner === id) sessions.delete(hash);
      for (const [k, d] of drafts) if (d.participantId === id) drafts.delete(k);
      for (const [k, a] of authors) if (a.participantId === id) authors.delete(k);
    },
    endWorkshop(id, at) {
      const w = workshops.get(id);
      if (w && !w.endedAt) w.endedAt = at;
    },
    deleteWorkshop(id) {
      const boardIds = boardsOf(id);
      workshops.delete(id);
      for (const b of boardIds) {
        boards.delete(b);
        updates.delete(b);
        snapshots.delete(b);
      }
      for (const [token, i] of invites) if (i.workshopId === id) invites.delete(token);
      for (const [pid, p] of participants) {
        if (p.workshopId !== id) continue;
        participants.delete(pid);
        for (const [hash, owner] of sessions) if (owner === pid) sessions.delete(hash);
      }
      states.delete(id);
      for (const [k, d] of drafts) if (d.workshopId === id) drafts.delete(k);
      for (const [k, a] of authors) if (boardIds.has(a.boardId)) authors.delete(k);
      for (const [k, h] of hidden) if (boardIds.has(h.boardId)) hidden.delete(k);
    },
    listEndedBefore: (before) => [...workshops.values()].filter((w) => w.endedAt && w.endedAt < before).map((w) => w.id),
    close() {}
  };
}
