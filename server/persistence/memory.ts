// The in-memory twin of the SQLite store: same contract, nothing on disk. For quick tests and
// for tools that need a throwaway server; the contract suite (tests/contract/store-contract.ts)
// holds the two to exactly the same rules.
import type { BallotEntry } from '../../src/lib/domain/votes';
import type { ConsentAnswer } from '../../src/lib/domain/consent';
import { termKey } from '../../src/lib/domain/glossary';
import type { Recommendation, Visit } from '../../src/lib/domain/outcomes';
import {
  VersionConflict,
  type AgreedVersionRecord,
  type BoardRecord,
  type CardAuthorRecord,
  type CardNoticeRecord,
  type RemovedCardRecord,
  type TimelineEntryRecord,
  type ClosedConsentRecord,
  type ConsentRecord,
  type ClosedVoteRecord,
  type DraftRecord,
  type GlossaryRecord,
  type HiddenCardRecord,
  type AttendanceInterval,
  type InvolvementRecord,
  type MeetingCommentRecord,
  type MeetingPointRecord,
  type MeetingRecord,
  type InviteRecord,
  type ParticipantRecord,
  type PresentLinkRecord,
  type ForumLinkRecord,
  type ForumRecord,
  type ForumWorkshopRecord,
  type RollupCardRecord,
  type SharedPointRecord,
  type Store,
  type VoteRecord,
  type WorkshopRecord
} from './types';
import { foldBoard } from './fold';
import { lockedIn } from './locked';

/** A copy, so callers can never change what the store holds by changing what it returned. */
const clone = <T>(v: T): T => structuredClone(v);
const copy = <T extends object>(v: T | undefined): T | null => (v ? clone(v) : null);

export function openMemoryStore(): Store {
  const workshops = new Map<string, WorkshopRecord>();
  const boards = new Map<string, BoardRecord>();
  const invites = new Map<string, InviteRecord>();
  const participants = new Map<string, ParticipantRecord>();
  const sessions = new Map<string, { participantId: string; revoked: boolean }>(); // hash -> session
  const updates = new Map<string, { id: number; data: Uint8Array }[]>();
  // `at`: when it was stored (compacted, or first written), as SQLite's updated_at.
  const snapshots = new Map<string, { data: Uint8Array; uptoId: number; at: number }>();
  const states = new Map<string, { json: string; version: number }>();
  const drafts = new Map<string, DraftRecord>(); // participantId + '/' + draftId
  const authors = new Map<string, CardAuthorRecord>(); // boardId + '/' + cardId
  const hidden = new Map<string, HiddenCardRecord>(); // boardId + '/' + cardId
  // boardId + '/' + cardId; `seq` orders removals made in the same millisecond as SQLite's rowid does.
  const removed = new Map<string, RemovedCardRecord & { seq: number }>();
  let nextRemovalSeq = 1;
  const notices = new Map<string, CardNoticeRecord>(); // participantId + '/' + boardId + '/' + cardId + '/' + kind
  const noticeKey = (n: { participantId: string; boardId: string; cardId: string; kind: string }) =>
    `${n.participantId}/${n.boardId}/${n.cardId}/${n.kind}`;
  const byRemoval = (a: { removedAt: number; seq: number }, b: { removedAt: number; seq: number }) =>
    a.removedAt - b.removedAt || a.seq - b.seq;
  const withoutSeq = ({ seq: _seq, ...r }: RemovedCardRecord & { seq: number }): RemovedCardRecord => clone(r);
  const dropRemoved = (boardId: string, cardId: string) => {
    removed.delete(`${boardId}/${cardId}`);
    for (const [k, n] of notices) if (n.boardId === boardId && n.cardId === cardId && n.kind === 'removed') notices.delete(k);
  };
  const votes = new Map<string, VoteRecord | ClosedVoteRecord>();
  const ballots = new Map<string, BallotEntry & { voteId: string }>(); // voteId + '/' + participantId + '/' + itemId
  const agreed: AgreedVersionRecord[] = [];
  const rounds = new Map<string, ConsentRecord | ClosedConsentRecord>();
  const answers = new Map<string, { consentId: string; participantId: string; pointId: string; answer: ConsentAnswer }>(); // consentId/participantId/pointId
  const answersOf = (consentId: string) => [...answers.values()].filter((a) => a.consentId === consentId);
  const ballotsOf = (voteId: string) => [...ballots.values()].filter((b) => b.voteId === voteId);
  const isOpen = (voteId: string) => votes.get(voteId)?.closedAt === null;
  const glossary = new Map<string, GlossaryRecord>(); // workshopId + '/' + termId
  const glossaryOf = (workshopId: string) => [...glossary.values()].filter((e) => e.workshopId === workshopId);
  const recommendations = new Map<string, Recommendation>();
  const entries: TimelineEntryRecord[] = [];
  const visits = new Map<string, Visit>(); // participantId -> their last look at the outcomes
  const deleted = new Map<string, number>(); // workshopId -> when it was deleted
  const presentLinks = new Map<string, PresentLinkRecord>(); // token -> link
  const workingLink = (workshopId: string) => [...presentLinks.values()].find((l) => l.workshopId === workshopId && l.revokedAt === null);
  const meetings = new Map<string, MeetingRecord>();
  const meetingPoints: MeetingPointRecord[] = [];
  const meetingComments: MeetingCommentRecord[] = [];
  // Involvement records and their intervals (oldest first), by participant.
  const involvement = new Map<string, { record: InvolvementRecord; intervals: AttendanceInterval[] }>();
  const withTime = (e: { record: InvolvementRecord; intervals: AttendanceInterval[] }) => clone({ ...e.record, intervals: e.intervals });
  const forums = new Map<string, ForumRecord>();
  const forumLinks = new Map<string, ForumLinkRecord>(); // token -> link
  const forumWorkshops = new Map<string, ForumWorkshopRecord>(); // workshopId -> its forum
  const sharedPoints = new Map<string, SharedPointRecord>(); // id -> point, in the order shared
  const rollups = new Map<string, RollupCardRecord>(); // boardId + '/' + cardId
  const boardsOf = (workshopId: string) => new Set([...boards.values()].filter((b) => b.workshopId === workshopId).map((b) => b.id));
  let nextUpdateId = 1;
  let closed = false;
  const open = () => {
    if (closed) throw new Error('the store is closed');
  };

  const deleteParticipant = (id: string) => {
    participants.delete(id);
    for (const [hash, s] of sessions) if (s.participantId === id) sessions.delete(hash);
    for (const [k, d] of drafts) if (d.participantId === id) drafts.delete(k);
    for (const [k, a] of authors) if (a.participantId === id) authors.delete(k);
    for (const [k, b] of ballots) if (b.participantId === id) ballots.delete(k);
    for (const [k, n] of notices) if (n.participantId === id) notices.delete(k);
    for (const [k, r] of removed) if (r.authorId === id) removed.delete(k);
    for (const [k, a] of answers) if (a.participantId === id) answers.delete(k);
    visits.delete(id);
    involvement.delete(id);
    for (let i = meetingComments.length - 1; i >= 0; i--) if (meetingComments[i].participantId === id) meetingComments.splice(i, 1);
  };

  return {
    boards: {
      async append(batch, allAuthors = [], allRemovals = [], refused) {
        open();
        // Boards locked in the stored state refuse the entries marked unlessLocked [ST140].
        const skip = new Set<string>();
        for (const { boardId, unlessLocked } of batch) {
          const board = boards.get(boardId);
          if (!unlessLocked || !board || skip.has(boardId)) continue;
          const json = states.get(board.workshopId)?.json;
          if (json && lockedIn(json, boardId)) skip.add(boardId);
        }
        refused?.push(...skip);
        const newAuthors = allAuthors.filter((a) => !skip.has(a.boardId));
        const removals = allRemovals.filter((c) => !skip.has(c.kind === 'dropped' ? c.boardId : c.record.boardId));
        for (const a of newAuthors) {
          const key = `${a.boardId}/${a.cardId}`;
          if (!authors.has(key) && participants.has(a.participantId) && boards.has(a.boardId)) authors.set(key, clone(a));
        }
        for (const change of removals) {
          if (change.kind === 'dropped') {
            dropRemoved(change.boardId, change.cardId);
            continue;
          }
          const r = change.record;
          if (!boards.has(r.boardId) || (r.authorId !== null && !participants.has(r.authorId))) continue;
          removed.set(`${r.boardId}/${r.cardId}`, { ...clone(r), seq: nextRemovalSeq++ });
          if (r.authorId !== null) {
            const notice = {
              participantId: r.authorId,
              boardId: r.boardId,
              cardId: r.cardId,
              kind: 'removed' as const,
              createdAt: r.removedAt
            };
            notices.set(noticeKey(notice), notice);
          }
        }
        let last = 0;
        for (const { boardId, update } of batch) {
          if (!boards.has(boardId) || skip.has(boardId)) continue;
          last = nextUpdateId++;
          const list = updates.get(boardId) ?? [];
          list.push({ id: last, data: update.slice() });
          updates.set(boardId, list);
        }
        return last;
      },
      durable: async () => open(),
      async load(boardId) {
        const snap = snapshots.get(boardId);
        const list = updates.get(boardId) ?? [];
        return {
          snapshot: snap ? snap.data.slice() : null,
          updates: list.map((u) => u.data.slice()),
          lastUpdateId: list.length ? list[list.length - 1].id : (snap?.uptoId ?? 0)
        };
      },
      // One thread is the board's lock: nothing can append between the read and the write below.
      async compact(boardId, snapshot) {
        if (!boards.has(boardId)) return;
        const folded = updates.get(boardId) ?? [];
        const snap = snapshots.get(boardId);
        const data = foldBoard(
          snapshot,
          snap?.data ?? null,
          folded.map((u) => u.data)
        );
        const uptoId = Math.max(snap?.uptoId ?? 0, ...folded.map((u) => u.id));
        snapshots.set(boardId, { data: data === snapshot ? snapshot.slice() : data, uptoId, at: Date.now() });
        const gone = new Set(folded.map((u) => u.id));
        updates.set(
          boardId,
          (updates.get(boardId) ?? []).filter((u) => !gone.has(u.id))
        );
      },
      pendingCount: async (boardId) => (updates.get(boardId) ?? []).length,
      async lastChange(workshopId) {
        const times = [...boardsOf(workshopId)].map((b) => snapshots.get(b)?.at).filter((t): t is number => t !== undefined);
        return times.length ? Math.max(...times) : null;
      },
      async cardRecords(boardId) {
        return {
          authors: [...authors.values()]
            .filter((a) => a.boardId === boardId)
            .map((a) => ({ cardId: a.cardId, participantId: a.participantId })),
          removed: [...removed.values()]
            .filter((r) => r.boardId === boardId)
            .sort(byRemoval)
            .map((r) => r.cardId)
        };
      },
      async authors(workshopId) {
        const ids = boardsOf(workshopId);
        return [...authors.values()].filter((a) => ids.has(a.boardId)).map(clone);
      }
    },
    workshops: {
      async create({ workshop, boards: bs, invites: is, contents }) {
        // Everything is checked before anything is written: all or nothing, as SQLite's transaction.
        if (workshops.has(workshop.id) || [...workshops.values()].some((w) => w.code === workshop.code)) {
          throw new Error('UNIQUE constraint failed: workshops');
        }
        const ours = new Set(bs.map((b) => b.id));
        if (ours.size !== bs.length || bs.some((b) => boards.has(b.id))) throw new Error('UNIQUE constraint failed: boards');
        if (new Set(is.map((i) => i.token)).size !== is.length || is.some((i) => invites.has(i.token))) {
          throw new Error('UNIQUE constraint failed: invites');
        }
        if (contents) {
          const named = [...contents.boards.map((b) => b.boardId), ...contents.votes.map((v) => v.boardId)];
          if (named.some((id) => !ours.has(id))) throw new Error("a board that is not one of the new workshop's");
          if (new Set(contents.boards.map((b) => b.boardId)).size !== contents.boards.length) {
            throw new Error('UNIQUE constraint failed: board_snapshots');
          }
          const voteIds = contents.votes.map((v) => v.id);
          if (new Set(voteIds).size !== voteIds.length || voteIds.some((id) => votes.has(id)))
            throw new Error('UNIQUE constraint failed: votes');
          if (contents.votes.some((v) => v.workshopId !== workshop.id)) throw new Error("a vote that is not the new workshop's");
          const versions = contents.agreed ?? [];
          const closedRounds = contents.consent ?? [];
          if ([...versions, ...closedRounds].some((x) => !ours.has(x.boardId)))
            throw new Error("a board that is not one of the new workshop's");
          if ([...versions, ...closedRounds].some((x) => x.workshopId !== workshop.id))
            throw new Error("a record that is not the new workshop's");
          const numbers = versions.map((v) => `${v.boardId}/${v.number}`);
          if (new Set(numbers).size !== numbers.length) throw new Error('UNIQUE constraint failed: agreed_keypoints');
          const roundIds = closedRounds.map((r) => r.id);
          if (new Set(roundIds).size !== roundIds.length || roundIds.some((id) => rounds.has(id)))
            throw new Error('UNIQUE constraint failed: consent_rounds');
          const open = closedRounds.find((r) => typeof r.closedAt !== 'number');
          if (open) throw new Error(`consent round ${open.id} is not closed`);
          const terms = contents.glossary ?? [];
          if (terms.some((e) => e.workshopId !== workshop.id)) throw new Error("a glossary entry that is not the new workshop's");
          if (new Set(terms.map((e) => e.id)).size !== terms.length) throw new Error('UNIQUE constraint failed: glossary_terms');
          if (new Set(terms.map((e) => termKey(e.term))).size !== terms.length) {
            throw new Error('UNIQUE constraint failed: glossary_terms.workshop_id, glossary_terms.term_key');
          }
        }
        workshops.set(
          workshop.id,
          clone({
            ...workshop,
            endedAt: workshop.endedAt ?? null,
            context: workshop.context ?? '',
            questionCheck: workshop.questionCheck ?? null,
            after: workshop.after ?? null,
            group: workshop.group ?? null
          })
        );
        for (const b of bs) boards.set(b.id, clone(b));
        for (const i of is) invites.set(i.token, clone(i));
        if (!contents) return;
        for (const b of contents.boards) snapshots.set(b.boardId, { data: b.snapshot.slice(), uptoId: 0, at: Date.now() });
        if (contents.facilitation !== null) states.set(workshop.id, { json: contents.facilitation, version: 1 });
        for (const v of contents.votes) votes.set(v.id, clone(v));
        for (const v of contents.agreed ?? []) agreed.push(clone(v));
        for (const r of contents.consent ?? []) rounds.set(r.id, clone(r));
        for (const e of contents.glossary ?? []) glossary.set(`${e.workshopId}/${e.id}`, clone(e));
      },
      get: async (id) => copy(workshops.get(id)),
      byCode: async (code) => copy([...workshops.values()].find((w) => w.code === code)),
      codeInUse: async (code) => [...workshops.values()].some((w) => w.code === code),
      boards: async (workshopId) =>
        [...boards.values()]
          .filter((b) => b.workshopId === workshopId)
          .sort((a, b) => a.position - b.position)
          .map(clone),
      board: async (id) => copy(boards.get(id)),
      async setCode(id, code) {
        if ([...workshops.values()].some((w) => w.code === code && w.id !== id))
          throw new Error('UNIQUE constraint failed: workshops.code');
        const w = workshops.get(id);
        if (w) w.code = code;
      },
      async end(id, at) {
        const w = workshops.get(id);
        if (w && !w.endedAt) w.endedAt = at;
      },
      async setQuestion(id, { question, context, check }) {
        const w = workshops.get(id);
        if (w) Object.assign(w, { question, context, questionCheck: clone(check) });
      },
      async delete(id) {
        const boardIds = boardsOf(id);
        if (workshops.has(id)) deleted.set(id, Date.now());
        workshops.delete(id);
        for (const b of boardIds) {
          boards.delete(b);
          updates.delete(b);
          snapshots.delete(b);
        }
        for (const [token, i] of invites) if (i.workshopId === id) invites.delete(token);
        for (const [token, l] of presentLinks) if (l.workshopId === id) presentLinks.delete(token);
        for (const [pid, p] of participants) if (p.workshopId === id) deleteParticipant(pid);
        states.delete(id);
        for (const [k, d] of drafts) if (d.workshopId === id) drafts.delete(k);
        for (const [k, a] of authors) if (boardIds.has(a.boardId)) authors.delete(k);
        for (const [k, h] of hidden) if (boardIds.has(h.boardId)) hidden.delete(k);
        for (const [k, r] of removed) if (boardIds.has(r.boardId)) removed.delete(k);
        for (const [k, n] of notices) if (boardIds.has(n.boardId)) notices.delete(k);
        for (const [k, v] of votes) if (v.workshopId === id) votes.delete(k);
        for (const [k, b] of ballots) if (!votes.has(b.voteId)) ballots.delete(k);
        for (let i = agreed.length - 1; i >= 0; i--) if (agreed[i].workshopId === id) agreed.splice(i, 1);
        for (const [k, r] of rounds) if (r.workshopId === id) rounds.delete(k);
        for (const [k, a] of answers) if (!rounds.has(a.consentId)) answers.delete(k);
        for (const [k, e] of glossary) if (e.workshopId === id) glossary.delete(k);
        for (const [k, r] of recommendations) if (r.workshopId === id) recommendations.delete(k);
        for (let i = entries.length - 1; i >= 0; i--) if (entries[i].workshopId === id) entries.splice(i, 1);
        // Its place in a forum and its rolled-up cards go with it; points it shared stay the forum's (docs/API.md, "Forums").
        forumWorkshops.delete(id);
        for (const [k, r] of rollups) if (r.workshopId === id) rollups.delete(k);
      },
      deletedAt: async (id) => deleted.get(id) ?? null,
      endedBefore: async (before) => [...workshops.values()].filter((w) => w.endedAt && w.endedAt < before).map((w) => w.id),
      // A Map keeps insertion order, which for equal times is the order they were made (SQLite's rowid).
      group: async (groupId) =>
        [...workshops.values()]
          .filter((w) => w.id === groupId || w.group === groupId)
          .sort((a, b) => a.createdAt - b.createdAt)
          .map(clone)
    },
    people: {
      async add(p, hash) {
        if (participants.has(p.id) || sessions.has(hash)) throw new Error('UNIQUE constraint failed: participants');
        participants.set(p.id, clone({ ...p, representative: p.representative ?? false }));
        sessions.set(hash, { participantId: p.id, revoked: false });
      },
      async bySession(hash) {
        const s = sessions.get(hash);
        const p = s && !s.revoked ? participants.get(s.participantId) : undefined;
        return p && p.removedAt === null ? clone(p) : null;
      },
      async sessionOwner(hash) {
        const s = sessions.get(hash);
        return s ? copy(participants.get(s.participantId)) : null;
      },
      get: async (id) => copy(participants.get(id)),
      list: async (workshopId) =>
        [...participants.values()]
          .filter((p) => p.workshopId === workshopId)
          .sort((a, b) => a.createdAt - b.createdAt)
          .map(clone),
      withLiveSession: async (workshopId) =>
        [...participants.values()]
          .filter((p) => p.workshopId === workshopId && p.removedAt === null)
          .filter((p) => [...sessions.values()].some((s) => s.participantId === p.id && !s.revoked))
          .sort((a, b) => a.createdAt - b.createdAt)
          .map((p) => p.id),
      async setRole(id, role) {
        const p = participants.get(id);
        if (!p) return;
        p.role = role;
        if (role !== 'member') p.representative = false;
      },
      async setRepresentative(id, representative) {
        const p = participants.get(id);
        if (p) p.representative = representative;
      },
      async remove(id, at) {
        const p = participants.get(id);
        if (p && p.removedAt === null) p.removedAt = at;
        for (const s of sessions.values()) if (s.participantId === id) s.revoked = true;
      },
      async revokeSession(hash) {
        const s = sessions.get(hash);
        if (s) s.revoked = true;
      },
      delete: async (id) => deleteParticipant(id),
      invite: async (token) => copy(invites.get(token)),
      invites: async (workshopId) =>
        [...invites.values()]
          .filter((i) => i.workshopId === workshopId)
          .sort((a, b) => a.createdAt - b.createdAt)
          .map(clone),
      async addInvite(invite) {
        invites.set(invite.token, clone(invite));
      },
      async revokeInvite(token, at) {
        const i = invites.get(token);
        if (i && i.revokedAt === null) i.revokedAt = at;
      }
    },
    drafts: {
      async save(d) {
        drafts.set(`${d.participantId}/${d.draftId}`, clone(d));
      },
      async delete(participantId, draftId) {
        drafts.delete(`${participantId}/${draftId}`);
      },
      ofBoard: async (boardId) =>
        [...drafts.values()]
          .filter((d) => d.boardId === boardId)
          .sort((a, b) => a.updatedAt - b.updatedAt)
          .map(clone),
      of: async (participantId) =>
        [...drafts.values()]
          .filter((d) => d.participantId === participantId)
          .sort((a, b) => a.updatedAt - b.updatedAt)
          .map(clone),
      async deleteMany(keys) {
        for (const k of keys) drafts.delete(`${k.participantId}/${k.draftId}`);
      }
    },
    moderation: {
      async hide(c) {
        hidden.set(`${c.boardId}/${c.cardId}`, clone(c));
      },
      async list(workshopId) {
        const ids = boardsOf(workshopId);
        return [...hidden.values()]
          .filter((h) => ids.has(h.boardId))
          .sort((a, b) => a.hiddenAt - b.hiddenAt)
          .map(clone);
      },
      get: async (boardId, cardId) => copy(hidden.get(`${boardId}/${cardId}`)),
      async delete(boardId, cardId) {
        hidden.delete(`${boardId}/${cardId}`);
      }
    },
    removed: {
      async list(workshopId) {
        const ids = boardsOf(workshopId);
        return [...removed.values()]
          .filter((r) => ids.has(r.boardId))
          .sort(byRemoval)
          .map(withoutSeq);
      },
      ofAuthor: async (participantId) =>
        [...removed.values()]
          .filter((r) => r.authorId === participantId)
          .sort(byRemoval)
          .map(withoutSeq),
      async get(boardId, cardId) {
        const r = removed.get(`${boardId}/${cardId}`);
        return r ? withoutSeq(r) : null;
      },
      async delete(boardId, cardId) {
        dropRemoved(boardId, cardId);
      }
    },
    notices: {
      async add(n) {
        if (!participants.has(n.participantId) || !boards.has(n.boardId)) throw new Error('FOREIGN KEY constraint failed');
        notices.set(noticeKey(n), clone(n));
      },
      of: async (participantId) =>
        [...notices.values()]
          .filter((n) => n.participantId === participantId)
          .sort(
            (a, b) =>
              a.createdAt - b.createdAt ||
              (a.boardId < b.boardId ? -1 : a.boardId > b.boardId ? 1 : 0) ||
              (a.cardId < b.cardId ? -1 : a.cardId > b.cardId ? 1 : 0) ||
              (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)
          )
          .map(clone),
      async dismiss(participantId, boardId, cardId, kind) {
        notices.delete(noticeKey({ participantId, boardId, cardId, kind }));
      },
      async deleteAbout(boardId, cardId, kind) {
        for (const [k, n] of notices) if (n.boardId === boardId && n.cardId === cardId && n.kind === kind) notices.delete(k);
      }
    },
    votes: {
      async open(vote) {
        if (!boards.has(vote.boardId) || !workshops.has(vote.workshopId)) throw new Error('FOREIGN KEY constraint failed');
        if (votes.has(vote.id) || [...votes.values()].some((v) => v.boardId === vote.boardId && v.closedAt === null)) {
          throw new Error('UNIQUE constraint failed: votes (one open vote per board)');
        }
        votes.set(vote.id, clone({ ...vote, closedAt: null }));
      },
      async get(voteId) {
        const v = votes.get(voteId);
        if (!v) return null;
        const { id, workshopId, boardId, subject, items, votesPerPerson, maxPerItem, openedAt, closedAt } = clone(v);
        return { id, workshopId, boardId, subject, items, votesPerPerson, maxPerItem, openedAt, closedAt };
      },
      openIn: async (workshopId) =>
        [...votes.values()]
          .filter((v) => v.workshopId === workshopId && v.closedAt === null)
          .sort((a, b) => a.openedAt - b.openedAt)
          .map(clone),
      async ballot(voteId, participantId) {
        const out: Record<string, number> = {};
        for (const b of ballotsOf(voteId)) if (b.participantId === participantId) out[b.itemId] = b.count;
        return out;
      },
      async setVotes(voteId, participantId, itemId, count) {
        if (!isOpen(voteId)) return false;
        if (!participants.has(participantId)) throw new Error('FOREIGN KEY constraint failed');
        const key = `${voteId}/${participantId}/${itemId}`;
        if (count > 0) ballots.set(key, { voteId, participantId, itemId, count });
        else ballots.delete(key);
        return true;
      },
      durable: async () => open(),
      voters: async (voteId) => [...new Set(ballotsOf(voteId).map((b) => b.participantId))],
      async close(voteId, closedAt, labels, summarise) {
        const vote = votes.get(voteId);
        if (!vote || vote.closedAt !== null) return null;
        const entries = ballotsOf(voteId).map(({ participantId, itemId, count }) => ({ participantId, itemId, count }));
        const summary = clone(summarise(entries));
        const closed: ClosedVoteRecord = { ...vote, closedAt, labels: clone(labels), summary };
        for (const [k, b] of ballots) if (b.voteId === voteId) ballots.delete(k);
        votes.set(voteId, closed);
        return clone(closed);
      },
      results: async (workshopId) =>
        [...votes.values()]
          .filter((v): v is ClosedVoteRecord => v.workshopId === workshopId && v.closedAt !== null)
          .sort((a, b) => a.openedAt - b.openedAt)
          .map(clone)
    },
    keyPoints: {
      async agree(workshopId, version) {
        if (!boards.has(version.boardId) || !workshops.has(workshopId)) throw new Error('FOREIGN KEY constraint failed');
        const number = agreed.filter((v) => v.boardId === version.boardId).reduce((n, v) => Math.max(n, v.number), 0) + 1;
        const record: AgreedVersionRecord = { ...clone(version), workshopId, number };
        agreed.push(record);
        return clone(record);
      },
      versions: async (workshopId) =>
        agreed
          .filter((v) => v.workshopId === workshopId)
          .sort((a, b) => (a.boardId < b.boardId ? -1 : a.boardId > b.boardId ? 1 : a.number - b.number))
          .map(clone),
      async forgetSources(boardId, cardIds) {
        const gone = new Set(cardIds);
        for (const v of agreed) {
          if (v.boardId !== boardId) continue;
          for (const p of v.points) for (const s of p.sources) if (s.kind === 'card' && gone.has(s.id)) s.text = null;
        }
      }
    },
    consent: {
      async open(round) {
        if (!boards.has(round.boardId) || !workshops.has(round.workshopId)) throw new Error('FOREIGN KEY constraint failed');
        if (rounds.has(round.id) || [...rounds.values()].some((r) => r.boardId === round.boardId && r.closedAt === null)) {
          throw new Error('UNIQUE constraint failed: consent_rounds (one open round per board)');
        }
        rounds.set(round.id, clone({ ...round, closedAt: null }));
      },
      async get(id) {
        const r = rounds.get(id);
        if (!r) return null;
        const { workshopId, boardId, points, openedAt, closedAt } = clone(r);
        return { id, workshopId, boardId, points, openedAt, closedAt };
      },
      openIn: async (workshopId) =>
        [...rounds.values()]
          .filter((r) => r.workshopId === workshopId && r.closedAt === null)
          .sort((a, b) => a.openedAt - b.openedAt)
          .map(clone),
      async answers(consentId, participantId) {
        const out: Record<string, ConsentAnswer> = {};
        for (const a of answersOf(consentId)) if (a.participantId === participantId) out[a.pointId] = a.answer;
        return out;
      },
      async setAnswer(consentId, participantId, pointId, answer) {
        if (rounds.get(consentId)?.closedAt !== null || !rounds.has(consentId)) return false;
        if (!participants.has(participantId)) throw new Error('FOREIGN KEY constraint failed');
        const key = `${consentId}/${participantId}/${pointId}`;
        if (answer === null) answers.delete(key);
        else answers.set(key, { consentId, participantId, pointId, answer });
        return true;
      },
      voters: async (consentId) => [...new Set(answersOf(consentId).map((a) => a.participantId))],
      async close(consentId, closedAt, summarise) {
        const round = rounds.get(consentId);
        if (!round || round.closedAt !== null) return null;
        const entries = answersOf(consentId).map(({ participantId, pointId, answer }) => ({ participantId, pointId, answer }));
        const closedRound: ClosedConsentRecord = { ...round, closedAt, summary: clone(summarise(entries)) };
        for (const [k, a] of answers) if (a.consentId === consentId) answers.delete(k);
        rounds.set(consentId, closedRound);
        return clone(closedRound);
      },
      results: async (workshopId) =>
        [...rounds.values()]
          .filter((r): r is ClosedConsentRecord => r.workshopId === workshopId && r.closedAt !== null)
          .sort((a, b) => a.openedAt - b.openedAt)
          .map(clone)
    },
    glossary: {
      list: async (workshopId) =>
        glossaryOf(workshopId)
          .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          .map(clone),
      async put(entry, check) {
        const w = workshops.get(entry.workshopId);
        if (!w) throw new Error('FOREIGN KEY constraint failed');
        const key = termKey(entry.term);
        if (glossaryOf(entry.workshopId).some((e) => e.id !== entry.id && termKey(e.term) === key)) {
          throw new Error('UNIQUE constraint failed: glossary_terms.workshop_id, glossary_terms.term_key');
        }
        const had = glossary.get(`${entry.workshopId}/${entry.id}`);
        glossary.set(`${entry.workshopId}/${entry.id}`, clone({ ...entry, createdAt: had?.createdAt ?? entry.createdAt }));
        w.questionCheck = clone(check);
      },
      async remove(workshopId, termId, check) {
        if (!glossary.delete(`${workshopId}/${termId}`)) return false;
        const w = workshops.get(workshopId);
        if (w) w.questionCheck = clone(check);
        return true;
      }
    },
    outcomes: {
      async create(rec) {
        if (!workshops.has(rec.workshopId)) throw new Error('FOREIGN KEY constraint failed');
        if (recommendations.has(rec.id)) throw new Error('UNIQUE constraint failed: recommendations');
        const number =
          [...recommendations.values()].filter((r) => r.workshopId === rec.workshopId).reduce((n, r) => Math.max(n, r.number), 0) + 1;
        const stored: Recommendation = { ...clone(rec), number };
        recommendations.set(rec.id, stored);
        return clone(stored);
      },
      get: async (id) => copy(recommendations.get(id)),
      list: async (workshopId) =>
        [...recommendations.values()]
          .filter((r) => r.workshopId === workshopId)
          .sort((a, b) => a.number - b.number)
          .map(clone),
      async append(entry, afterSeq) {
        const rec = recommendations.get(entry.recommendationId);
        if (!rec) throw new Error(`no recommendation ${entry.recommendationId}`);
        if (rec.workshopId !== entry.workshopId)
          throw new Error(`recommendation ${entry.recommendationId} is not workshop ${entry.workshopId}'s`);
        const last = entries.filter((e) => e.recommendationId === rec.id).reduce((n, e) => Math.max(n, e.seq), 0);
        if (last !== afterSeq) return null;
        const stored: TimelineEntryRecord = { ...clone(entry), seq: afterSeq + 1 };
        entries.push(stored);
        return clone(stored);
      },
      async timeline(workshopId) {
        const number = (id: string) => recommendations.get(id)?.number ?? 0;
        return entries
          .filter((e) => e.workshopId === workshopId)
          .sort((a, b) => number(a.recommendationId) - number(b.recommendationId) || a.seq - b.seq)
          .map(clone);
      },
      async lastChange(workshopId) {
        const times = [
          ...[...recommendations.values()].filter((r) => r.workshopId === workshopId).map((r) => r.createdAt),
          ...entries.filter((e) => e.workshopId === workshopId).map((e) => e.at)
        ];
        return times.length ? Math.max(...times) : null;
      },
      async forgetSources(boardId, cardIds) {
        const gone = new Set(cardIds);
        for (const r of recommendations.values()) {
          const s = r.source;
          if (s?.kind === 'card' && s.boardId === boardId && gone.has(s.cardId)) s.words = null;
        }
      },
      visit: async (participantId) => copy(visits.get(participantId)),
      async setVisit(participantId, visit) {
        if (!participants.has(participantId)) throw new Error('FOREIGN KEY constraint failed');
        visits.set(participantId, clone(visit));
      }
    },
    facilitation: {
      get: async (workshopId) => copy(states.get(workshopId)),
      async save(workshopId, json, expected) {
        const current = states.get(workshopId)?.version ?? 0;
        if (current !== expected || (expected === 0 && !workshops.has(workshopId))) throw new VersionConflict(workshopId);
        states.set(workshopId, { json, version: expected + 1 });
        return expected + 1;
      }
    },
    present: {
      current: async (workshopId) => copy(workingLink(workshopId)),
      byToken: async (token) => copy(presentLinks.get(token)),
      async ensure(link) {
        if (!workshops.has(link.workshopId)) throw new Error('FOREIGN KEY constraint failed');
        const working = workingLink(link.workshopId);
        if (working) return clone(working);
        if (presentLinks.has(link.token)) throw new Error('UNIQUE constraint failed: present_links');
        presentLinks.set(link.token, clone(link));
        return clone(link);
      },
      async replace(link) {
        if (!workshops.has(link.workshopId)) throw new Error('FOREIGN KEY constraint failed');
        if (presentLinks.has(link.token)) throw new Error('UNIQUE constraint failed: present_links');
        const working = workingLink(link.workshopId);
        if (working) working.revokedAt = link.createdAt;
        presentLinks.set(link.token, clone(link));
      }
    },
    involvement: {
      async add(record) {
        const p = participants.get(record.participantId);
        if (!p || p.workshopId !== record.workshopId) throw new Error('FOREIGN KEY constraint failed');
        if (involvement.has(record.participantId)) throw new Error('UNIQUE constraint failed: involvement_records');
        involvement.set(record.participantId, { record: clone(record), intervals: [] });
      },
      get: async (participantId) => {
        const e = involvement.get(participantId);
        return e ? withTime(e) : null;
      },
      list: async (workshopId) =>
        [...involvement.values()]
          .filter((e) => e.record.workshopId === workshopId)
          .sort((a, b) => a.record.createdAt - b.record.createdAt)
          .map(withTime),
      async open(participantId, at) {
        const e = involvement.get(participantId);
        if (!e || e.intervals.some((i) => i.end === null)) return false;
        e.intervals.push({ start: at, end: null, seenAt: at });
        e.intervals.sort((a, b) => a.start - b.start);
        return true;
      },
      async seen(participantIds, at) {
        for (const id of participantIds) {
          const i = involvement.get(id)?.intervals.find((x) => x.end === null);
          if (i) i.seenAt = Math.max(i.start, at);
        }
      },
      async close(participantId, at) {
        const i = involvement.get(participantId)?.intervals.find((x) => x.end === null);
        if (!i) return false;
        i.end = Math.max(i.start, at);
        return true;
      },
      async closeStale(seenBefore = Infinity) {
        let n = 0;
        for (const e of involvement.values())
          for (const i of e.intervals)
            if (i.end === null && i.seenAt < seenBefore) {
              i.end = i.seenAt;
              n++;
            }
        return n;
      },
      clear: async (participantId) => involvement.delete(participantId)
    },
    forums: {
      async create(forum, links) {
        if (forums.has(forum.id) || links.some((l) => forumLinks.has(l.token))) throw new Error('UNIQUE constraint failed: forums');
        if (forum.parentId !== null && !forums.has(forum.parentId)) throw new Error('FOREIGN KEY constraint failed');
        forums.set(forum.id, clone(forum));
        for (const l of links) forumLinks.set(l.token, clone({ ...l, forumId: forum.id }));
      },
      get: async (id) => copy(forums.get(id)),
      children: async (forumId) =>
        [...forums.values()]
          .filter((f) => f.parentId === forumId)
          .sort((a, b) => a.createdAt - b.createdAt)
          .map(clone),
      async setParent(forumId, parentId) {
        if (parentId !== null && !forums.has(parentId)) throw new Error('FOREIGN KEY constraint failed');
        const f = forums.get(forumId);
        if (f) f.parentId = parentId;
      },
      async addLink(link) {
        if (!forums.has(link.forumId)) throw new Error('FOREIGN KEY constraint failed');
        if (forumLinks.has(link.token)) throw new Error('UNIQUE constraint failed: forum_links');
        forumLinks.set(link.token, clone(link));
      },
      link: async (token) => copy(forumLinks.get(token)),
      links: async (forumId) =>
        [...forumLinks.values()]
          .filter((l) => l.forumId === forumId)
          .sort((a, b) => a.createdAt - b.createdAt)
          .map(clone),
      async revokeLink(token, at) {
        const l = forumLinks.get(token);
        if (l && l.revokedAt === null) l.revokedAt = at;
      },
      async addWorkshop(link) {
        if (!forums.has(link.forumId) || !workshops.has(link.workshopId)) throw new Error('FOREIGN KEY constraint failed');
        if (forumWorkshops.has(link.workshopId)) return false;
        forumWorkshops.set(link.workshopId, clone(link));
        return true;
      },
      workshops: async (forumId) =>
        [...forumWorkshops.values()]
          .filter((w) => w.forumId === forumId)
          .sort((a, b) => a.addedAt - b.addedAt)
          .map(clone),
      forumOf: async (workshopId) => forumWorkshops.get(workshopId)?.forumId ?? null,
      async share(point) {
        if (!forums.has(point.forumId)) throw new Error('FOREIGN KEY constraint failed');
        const live = [...sharedPoints.values()].find(
          (p) =>
            p.withdrawnAt === null &&
            p.forumId === point.forumId &&
            p.boardId === point.boardId &&
            p.pointId === point.pointId &&
            p.version === point.version
        );
        if (live) return clone(live);
        if (sharedPoints.has(point.id)) throw new Error('UNIQUE constraint failed: shared_points');
        sharedPoints.set(point.id, clone(point));
        return clone(point);
      },
      async withdraw(id, at) {
        const p = sharedPoints.get(id);
        if (!p) return null;
        if (p.withdrawnAt === null) p.withdrawnAt = at;
        return clone(p);
      },
      async sharedBy(forumIds) {
        const ids = new Set(forumIds);
        return [...sharedPoints.values()]
          .filter((p) => ids.has(p.forumId))
          .sort((a, b) => a.sharedAt - b.sharedAt)
          .map(clone);
      },
      sharedPoints: async (ids) => [...new Set(ids)].flatMap((id) => (sharedPoints.has(id) ? [clone(sharedPoints.get(id)!)] : [])),
      rollups: async (workshopId) =>
        [...rollups.values()]
          .filter((r) => r.workshopId === workshopId)
          .sort((a, b) => a.createdAt - b.createdAt)
          .map(clone),
      async replaceRollups(remove, add) {
        for (const r of add) if (!boards.has(r.boardId) || !workshops.has(r.workshopId)) throw new Error('FOREIGN KEY constraint failed');
        for (const r of remove) rollups.delete(`${r.boardId}/${r.cardId}`);
        for (const r of add) rollups.set(`${r.boardId}/${r.cardId}`, clone(r));
      }
    },
    meetings: {
      async create(meeting, points) {
        if (!forums.has(meeting.forumId)) throw new Error('FOREIGN KEY constraint failed');
        if (meetings.has(meeting.id)) throw new Error('UNIQUE constraint failed: meetings');
        meetings.set(meeting.id, clone(meeting));
        meetingPoints.push(...points.map(clone));
      },
      get: async (id) => copy(meetings.get(id)),
      list: async (forumId) =>
        [...meetings.values()]
          .filter((m) => m.forumId === forumId && forums.has(m.forumId))
          .sort((a, b) => a.date.localeCompare(b.date) || a.createdAt - b.createdAt)
          .map(clone),
      points: async (meetingId) =>
        meetingPoints
          .filter((p) => p.meetingId === meetingId && meetings.has(meetingId))
          .sort((a, b) => a.position - b.position)
          .map(clone),
      async setPoint(meetingId, pointId, change) {
        const p = meetingPoints.find((x) => x.meetingId === meetingId && x.id === pointId);
        if (!p) return false;
        if (change.agreed !== undefined) p.agreed = change.agreed;
        if (change.boardSaid !== undefined) p.boardSaid = change.boardSaid;
        return true;
      },
      async addComment(comment) {
        if (!meetingPoints.some((x) => x.meetingId === comment.meetingId && x.id === comment.pointId))
          throw new Error('FOREIGN KEY constraint failed');
        if (comment.participantId !== null && !participants.has(comment.participantId)) throw new Error('FOREIGN KEY constraint failed');
        meetingComments.push(clone(comment));
      },
      comments: async (meetingId) =>
        meetingComments
          .filter((c) => c.meetingId === meetingId && meetings.has(meetingId))
          .sort((a, b) => a.createdAt - b.createdAt)
          .map(clone)
    },
    async ping() {
      open();
    },
    checkpoint: async () => undefined,
    async backup() {
      throw new Error('The in-memory store has nothing to back up.');
    },
    async close() {
      closed = true;
    }
  };
}
