// The store contract, split by noun. Every method returns a promise, because Postgres will; the
// SQLite store answers from the same thread and the in-memory twin from memory. One contract
// suite (tests/contract/store-contract.ts, rule ids [ST1]...) runs against each implementation.
import type { Role } from '../../src/lib/domain/roles';
import type { CardSnapshot } from '../../src/lib/board/schema';
import type { RemovedBy } from '../../src/lib/domain/removed';

export type { RemovedBy } from '../../src/lib/domain/removed';
import type { BallotEntry, VoteSubject, VoteSummary } from '../../src/lib/domain/votes';
import type { AgreedVersion } from '../../src/lib/domain/agreed';
import type { ConsentAnswer, ConsentEntry, ConsentPoint } from '../../src/lib/domain/consent';
import type { QuestionCheck } from '../../src/lib/domain/question';
import type { Recommendation, TimelineEntry, Visit } from '../../src/lib/domain/outcomes';
import type { ThanksChoice } from '../../src/lib/domain/involvement';
import type { ForumLevel, PointBacking } from '../../src/lib/domain/forums';

export interface WorkshopRecord {
  id: string;
  title: string;
  question: string;
  code: string;
  createdAt: number;
  /** When the facilitator ended it; retention deletes ended workshops N days after their last activity. */
  endedAt?: number | null;
  /**
   * The background to the question, in plain words (prepared before the session). Stores always
   * answer with it ('' when there is none); a new workshop may leave it out.
   */
  context?: string;
  /**
   * The plain words check of the question and background with the glossary, as the server last
   * made it. Stores always answer with it (null for a workshop made before it existed).
   */
  questionCheck?: QuestionCheck | null;
  /**
   * The workshop of the same group this one follows (POST /api/workshops with `after`), for its
   * "Since last time"; null otherwise. Stores always answer with it; a new workshop may leave it out.
   */
  after?: string | null;
  /**
   * The group it belongs to: the id of the group's first workshop (the one `after` chains lead
   * back to), or null for a workshop that follows none (its group is itself). Links between
   * recommendations may cross workshops of one group. Stores always answer with it.
   */
  group?: string | null;
}

export interface BoardRecord {
  id: string;
  workshopId: string;
  title: string;
  position: number;
}

export interface InviteRecord {
  token: string;
  workshopId: string;
  role: Role;
  createdAt: number;
  revokedAt: number | null;
}

export interface ParticipantRecord {
  id: string;
  workshopId: string;
  name: string;
  role: Role;
  createdAt: number;
  removedAt: number | null;
  /**
   * Marked by a facilitator as one of the group's representatives: may download the briefing.
   * Stores always answer with it (false unless marked); a new participant may leave it out.
   */
  representative?: boolean;
}

export interface DraftRecord {
  participantId: string;
  draftId: string;
  workshopId: string;
  boardId: string;
  lane: string;
  text: string;
  anonymous: boolean;
  updatedAt: number;
}

export interface CardAuthorRecord {
  boardId: string;
  cardId: string;
  participantId: string;
  createdAt: number;
}

/** A card taken off the board by a facilitator: the whole card, so restoring gives back every field. */
export interface HiddenCardRecord {
  boardId: string;
  cardId: string;
  card: CardSnapshot;
  reason: string;
  hiddenAt: number;
}

/**
 * A card someone deleted that someone else wrote (or that nobody is recorded as writing): the
 * whole card, so putting it back gives every field again, its theme too.
 */
export interface RemovedCardRecord {
  boardId: string;
  cardId: string;
  card: CardSnapshot;
  /** Who wrote it (their authorship record), or null: posted without a name, or nobody recorded. */
  authorId: string | null;
  /** A facilitator, or someone else on the board: never who. */
  removedBy: RemovedBy;
  removedAt: number;
}

/**
 * A change to a board's Removed cards, stored in the same transaction as the board updates that
 * caused it: a card taken off the board (kept, and its author told), or one that no longer needs
 * keeping (back on the board, or let go as the oldest past the limit).
 */
export type RemovalChange = { kind: 'removed'; record: RemovedCardRecord } | { kind: 'dropped'; boardId: string; cardId: string };

/** What a room needs to tell a removal from someone's own deletion, loaded with the board. */
export interface BoardCardRecords {
  /** Who wrote each card with an authorship record. */
  authors: { cardId: string; participantId: string }[];
  /** Ids of the board's cards in Removed cards, oldest removal first. */
  removed: string[];
}

/** Something a person is told about one of their cards until they dismiss it. */
export type NoticeKind = 'removed' | 'hidden';

export interface CardNoticeRecord {
  participantId: string;
  boardId: string;
  cardId: string;
  kind: NoticeKind;
  createdAt: number;
}

export interface NewWorkshop {
  workshop: WorkshopRecord;
  boards: BoardRecord[];
  invites: InviteRecord[];
  /**
   * What a workshop made from an archive starts with, written in the same transaction as the rest
   * (all or nothing): each board's first state (one snapshot of its document), the facilitation
   * state (version 1), closed votes with their totals (never a ballot), agreed versions of key
   * points, and closed consent rounds with their totals (never an answer, never an open round).
   */
  contents?: WorkshopContents;
}

export interface WorkshopContents {
  /** A snapshot per board of this workshop (boards left out start empty). */
  boards: { boardId: string; snapshot: Uint8Array }[];
  /** The facilitation state's JSON, or null to start from the defaults. */
  facilitation: string | null;
  /** Closed votes on this workshop's boards, oldest first. */
  votes: ClosedVoteRecord[];
  /**
   * Agreed versions of key points on this workshop's boards, kept under the numbers given (each
   * board's next keyPoints.agree() follows the highest). Two with the same board and number are refused.
   */
  agreed?: AgreedVersionRecord[];
  /** Closed consent rounds on this workshop's boards, oldest first: totals only, so nobody's answers exist. An open one is refused. */
  consent?: ClosedConsentRecord[];
  /** The workshop's glossary. Two entries of one term (by termKey) are refused. */
  glossary?: GlossaryRecord[];
}

export interface StoredBoard {
  /** The compacted state, or null when the board was never compacted. */
  snapshot: Uint8Array | null;
  /** Updates stored and not yet folded into the snapshot, by id. */
  updates: Uint8Array[];
  /** The highest id among those updates, or the highest folded into the snapshot (0 when none). */
  lastUpdateId: number;
}

/** The append-only log of each board's Yjs updates, with compaction into a snapshot. */
export interface BoardLog {
  /**
   * Appends every update, and the authors of cards they created, in one transaction; resolves
   * with the id of the last update written (0 when the batch had no updates).
   *
   * An entry marked `unlessLocked` (it holds edits from people who may not write to a locked
   * board) is stored only if its board is not locked in the stored facilitation state, read in
   * the same transaction (on Postgres under a share lock on the workshop's state row, so a lock
   * saved by another process at the same moment is either seen here or waits for this commit).
   * A refused entry's board id is pushed onto `refused`, and the authors and removals of that
   * board are not stored either. [ST140]
   */
  append(
    batch: ReadonlyArray<{ boardId: string; update: Uint8Array; unlessLocked?: boolean }>,
    authors?: ReadonlyArray<CardAuthorRecord>,
    /**
     * Changes to Removed cards these updates caused, in the same transaction: a removed card is
     * kept (replacing an earlier record of the same card), with a 'removed' notice for its author
     * when it has one; a dropped one is deleted with its notices. Changes for a board or an author
     * that is gone are skipped.
     */
    removals?: ReadonlyArray<RemovalChange>,
    refused?: string[]
  ): Promise<number>;
  /**
   * Resolves once everything append() committed before this call would survive a power cut
   * (a store may make that true some time after the commit, as SQLite does, off the event loop).
   * Updates are relayed only after it resolves. Rejects if the disk reports an error.
   */
  durable(): Promise<void>;
  /** The board's snapshot and every update stored for it (read at one moment: never half of a compaction). */
  load(boardId: string): Promise<StoredBoard>;
  /**
   * Folds `snapshot` (the caller's whole document, which may also hold edits not stored yet), the
   * stored snapshot and every update stored for the board into a new snapshot (foldBoard), and
   * deletes exactly the updates it read, in one transaction under the board's lock. An update
   * another writer commits meanwhile is not read, so it stays. Nothing here trusts ids as a
   * cursor: with several writers, sequence ids commit out of order.
   */
  compact(boardId: string, snapshot: Uint8Array): Promise<void>;
  /** Number of updates stored after the snapshot. */
  pendingCount(boardId: string): Promise<number>;
  /** Who wrote which (non-anonymous) card, for the facilitator's participation balance. */
  authors(workshopId: string): Promise<CardAuthorRecord[]>;
  /**
   * When any of the workshop's boards last changed, as far as the log knows: the latest moment one
   * of them was compacted (which happens once its room closes after edits, and every
   * COMPACT_EVERY updates) or first stored; null when none was. For retention (after the end).
   */
  lastChange(workshopId: string): Promise<number | null>;
  /** A board's authorship records and the ids of its removed cards (oldest first), for its room. */
  cardRecords(boardId: string): Promise<BoardCardRecords>;
}

/** Workshops and their boards. */
export interface WorkshopStore {
  /** Creates a workshop with its boards and invites (and, from an archive, its contents) in one transaction. */
  create(input: NewWorkshop): Promise<void>;
  get(id: string): Promise<WorkshopRecord | null>;
  byCode(code: string): Promise<WorkshopRecord | null>;
  codeInUse(code: string): Promise<boolean>;
  boards(workshopId: string): Promise<BoardRecord[]>;
  board(id: string): Promise<BoardRecord | null>;
  /** Gives the workshop a new join code (the old one finds nothing from then on); rejects a code in use. */
  setCode(workshopId: string, code: string): Promise<void>;
  end(workshopId: string, at: number): Promise<void>;
  /** Replaces the question and its background, with their plain words check, in one write. */
  setQuestion(workshopId: string, text: { question: string; context: string; check: QuestionCheck }): Promise<void>;
  /**
   * Deletes the workshop and everything in it: boards, their logs and snapshots, people, drafts,
   * hidden and removed cards, notices, votes, agreed key points, consent rounds, the glossary, recommendations with their timelines, state. Only its id
   * and the time are kept (deletedAt), so pages can say so.
   */
  delete(workshopId: string): Promise<void>;
  /** When a workshop with this id was deleted, or null (never deleted, or never existed). */
  deletedAt(workshopId: string): Promise<number | null>;
  /** Ids of workshops ended before `before` (ms since epoch). */
  endedBefore(before: number): Promise<string[]>;
  /** The workshops of a group: its first (whose id is `groupId`) and every one whose group it is, oldest first. */
  group(groupId: string): Promise<WorkshopRecord[]>;
}

/** Participants, their sessions, and the invites that let people join. */
export interface PeopleStore {
  /** Adds the participant and their first session in one transaction. */
  add(participant: ParticipantRecord, sessionHash: string): Promise<void>;
  /** The live participant a session token hash belongs to; null when unknown, removed or revoked. */
  bySession(sessionHash: string): Promise<ParticipantRecord | null>;
  /**
   * Whose the session was, whether it is live, ended (left) or its participant removed; null when
   * unknown or the participant was deleted. A removed person's device is recognised by it.
   */
  sessionOwner(sessionHash: string): Promise<ParticipantRecord | null>;
  get(id: string): Promise<ParticipantRecord | null>;
  list(workshopId: string): Promise<ParticipantRecord[]>;
  /**
   * The ids of the workshop's people (not removed) who hold at least one live session: who is
   * "here" for names. Someone who left on every device (or was removed) is not.
   */
  withLiveSession(workshopId: string): Promise<string[]>;
  /** Changes a role; a role other than member takes the representative mark off, in the same write. */
  setRole(participantId: string, role: Role): Promise<void>;
  /** Marks a member as a representative of the group (may download the briefing), or not. */
  setRepresentative(participantId: string, representative: boolean): Promise<void>;
  /** Marks the participant removed and ends every session they hold. */
  remove(participantId: string, at: number): Promise<void>;
  /** Ends one session (a device leaving); the participant and their other sessions stay. */
  revokeSession(sessionHash: string, at: number): Promise<void>;
  /**
   * Deletes a participant and what is tied to them (sessions, drafts, authorship records, ballots,
   * consent answers, their notices, the removed cards they wrote and their visits to the outcomes).
   */
  delete(participantId: string): Promise<void>;
  invite(token: string): Promise<InviteRecord | null>;
  invites(workshopId: string): Promise<InviteRecord[]>;
  addInvite(invite: InviteRecord): Promise<void>;
  revokeInvite(token: string, at: number): Promise<void>;
}

/** Private drafts written during silent writing, held apart from the shared board. */
export interface DraftStore {
  save(draft: DraftRecord): Promise<void>;
  delete(participantId: string, draftId: string): Promise<void>;
  ofBoard(boardId: string): Promise<DraftRecord[]>;
  of(participantId: string): Promise<DraftRecord[]>;
  deleteMany(keys: ReadonlyArray<{ participantId: string; draftId: string }>): Promise<void>;
}

/** Cards a facilitator hid, kept whole for restoring. */
export interface ModerationStore {
  hide(card: HiddenCardRecord): Promise<void>;
  list(workshopId: string): Promise<HiddenCardRecord[]>;
  get(boardId: string, cardId: string): Promise<HiddenCardRecord | null>;
  delete(boardId: string, cardId: string): Promise<void>;
}

/**
 * Cards someone deleted that someone else wrote, kept whole until they are put back, their author
 * is forgotten (me.forget) or the workshop is deleted. Written only by the board log's append (in
 * the transaction of the deletion itself); read and deleted here.
 */
export interface RemovedCardStore {
  /** A workshop's removed cards, oldest removal first. */
  list(workshopId: string): Promise<RemovedCardRecord[]>;
  /** The removed cards a person wrote, oldest removal first. */
  ofAuthor(participantId: string): Promise<RemovedCardRecord[]>;
  get(boardId: string, cardId: string): Promise<RemovedCardRecord | null>;
  /** Deletes one (put back on the board), with its 'removed' notices. */
  delete(boardId: string, cardId: string): Promise<void>;
}

/**
 * What people are told about their cards until they dismiss it: a card of theirs removed by
 * someone, or hidden by a facilitator. Kept across restarts; deleted with the person and with
 * the workshop.
 */
export interface NoticeStore {
  /** Adds a notice (or renews one of the same person, card and kind). */
  add(notice: CardNoticeRecord): Promise<void>;
  /** A person's notices, oldest first. */
  of(participantId: string): Promise<CardNoticeRecord[]>;
  /** A person dismisses one of their own notices. */
  dismiss(participantId: string, boardId: string, cardId: string, kind: NoticeKind): Promise<void>;
  /** Deletes everyone's notices of one kind about one card (it is back on the board). */
  deleteAbout(boardId: string, cardId: string, kind: NoticeKind): Promise<void>;
}

/** A dot vote on a board: what it is about and its limits. It names nobody (not even who opened it). */
export interface VoteRecord {
  id: string;
  workshopId: string;
  boardId: string;
  subject: VoteSubject;
  /** Card ids or `theme:<id>`, fixed when it opened. */
  items: string[];
  votesPerPerson: number;
  maxPerItem: number;
  openedAt: number;
  closedAt: number | null;
}

/** A closed vote with what is kept of it: totals by role group (no ballot), and the items' words. */
export interface ClosedVoteRecord extends VoteRecord {
  closedAt: number;
  labels: Record<string, string | null>;
  summary: VoteSummary;
}

/**
 * Dot votes. Ballots (a person's votes per item) exist only while their vote is open, to hold
 * each person to their budget; closing a vote turns them into totals and deletes them in one
 * transaction.
 */
export interface VoteStore {
  /** Opens a vote; rejects when its board already has an open one. */
  open(vote: VoteRecord): Promise<void>;
  get(voteId: string): Promise<VoteRecord | null>;
  /** A workshop's open votes, oldest first. */
  openIn(workshopId: string): Promise<VoteRecord[]>;
  /** One person's votes in a vote, by item (empty when none, or once it has closed). */
  ballot(voteId: string, participantId: string): Promise<Record<string, number>>;
  /**
   * Sets how many of a person's votes are on an item (0 removes them). Resolves false, changing
   * nothing, unless the vote is open. Resolves once the change is committed (later reads see it),
   * which may be before it would survive a power cut: see durable().
   */
  setVotes(voteId: string, participantId: string, itemId: string, count: number): Promise<boolean>;
  /**
   * Resolves once every setVotes() that resolved before this call would survive a power cut
   * (SQLite: one fdatasync of the write-ahead log off the event loop, shared by every commit
   * before it, as for board updates). Rejects if the disk reports an error.
   */
  durable(): Promise<void>;
  /** Who holds at least one vote in an open vote (for turnout). */
  voters(voteId: string): Promise<string[]>;
  /**
   * Closes an open vote in one transaction: hands every ballot to `summarise`, keeps what it
   * returns (totals only) and the items' labels, and deletes the ballots. Resolves null, changing
   * nothing, when the vote is not open.
   */
  close(
    voteId: string,
    closedAt: number,
    labels: Record<string, string | null>,
    summarise: (ballots: BallotEntry[]) => VoteSummary
  ): Promise<ClosedVoteRecord | null>;
  /** A workshop's closed votes with their totals, oldest first (for the results and the briefing). */
  results(workshopId: string): Promise<ClosedVoteRecord[]>;
}

/** An agreed version of a board's key points, as stored (see src/lib/domain/agreed.ts). */
export interface AgreedVersionRecord extends AgreedVersion {
  workshopId: string;
}

/**
 * Agreed versions of key points: frozen copies, numbered 1, 2... per board, never changed except
 * that forgetSources() takes out the words of cards whose writer had them removed.
 */
export interface KeyPointStore {
  /** Stores a version under its board's next number (in one transaction); resolves with it, numbered. */
  agree(workshopId: string, version: Omit<AgreedVersion, 'number'>): Promise<AgreedVersionRecord>;
  /** A workshop's agreed versions, by board and number. */
  versions(workshopId: string): Promise<AgreedVersionRecord[]>;
  /** Takes the words of these cards out of every agreed version of the board (their writer removed them). */
  forgetSources(boardId: string, cardIds: readonly string[]): Promise<void>;
}

/** A consent round on a board's key points. It names nobody (not even who opened it). */
export interface ConsentRecord {
  id: string;
  workshopId: string;
  boardId: string;
  /** The key points asked about, fixed when it opened. */
  points: ConsentPoint[];
  openedAt: number;
  closedAt: number | null;
}

/** A closed round with what is kept of it: totals by role group only. */
export interface ClosedConsentRecord extends ConsentRecord {
  closedAt: number;
  summary: VoteSummary;
}

/**
 * Consent rounds. Each person's answers exist only while their round is open; closing turns them
 * into totals and deletes them in one transaction (as votes do).
 */
export interface ConsentStore {
  /** Opens a round; rejects when its board already has an open one. */
  open(round: ConsentRecord): Promise<void>;
  get(id: string): Promise<ConsentRecord | null>;
  /** A workshop's open rounds, oldest first. */
  openIn(workshopId: string): Promise<ConsentRecord[]>;
  /** One person's answers in a round, by point (empty when none, or once it has closed). */
  answers(consentId: string, participantId: string): Promise<Record<string, ConsentAnswer>>;
  /** Sets (or, with null, takes back) a person's answer on a point. Resolves false, changing nothing, unless the round is open. */
  setAnswer(consentId: string, participantId: string, pointId: string, answer: ConsentAnswer | null): Promise<boolean>;
  /** Who has answered at least one point of an open round (for turnout). */
  voters(consentId: string): Promise<string[]>;
  /**
   * Closes an open round in one transaction: hands every answer to `summarise`, keeps what it
   * returns, and deletes the answers. Resolves null, changing nothing, when it is not open.
   */
  close(consentId: string, closedAt: number, summarise: (entries: ConsentEntry[]) => VoteSummary): Promise<ClosedConsentRecord | null>;
  /** A workshop's closed rounds, oldest first. */
  results(workshopId: string): Promise<ClosedConsentRecord[]>;
}

/**
 * A present link: the capability behind /p/<token>, which opens the present view of one workshop
 * and nothing else. Kept as invite links are (the token itself), because the facilitator's invite
 * page shows it again whenever it is opened; one works at a time, and renewing it turns the old
 * one off.
 */
export interface PresentLinkRecord {
  token: string;
  workshopId: string;
  createdAt: number;
  revokedAt: number | null;
}

/** Present links, one that works per workshop; deleted with the workshop. */
export interface PresentLinkStore {
  /** The workshop's present link that works now, or null. */
  current(workshopId: string): Promise<PresentLinkRecord | null>;
  /** The link a token stands for, turned off or not; null when no present link has it (an invite or session token included). */
  byToken(token: string): Promise<PresentLinkRecord | null>;
  /**
   * The workshop's working link: `link` is stored (in one transaction with the check) only when the
   * workshop has none, so two callers at once keep one. Rejects when the workshop does not exist.
   */
  ensure(link: PresentLinkRecord): Promise<PresentLinkRecord>;
  /** Turns off the workshop's working link, if any, and stores `link` as the one that works, in one transaction. */
  replace(link: PresentLinkRecord): Promise<void>;
}

/** A recommendation's timeline entry, as stored: with its workshop, so a workshop's entries are read at once. */
export interface TimelineEntryRecord extends TimelineEntry {
  workshopId: string;
}

/**
 * "You said, we did": recommendations and their append-only timelines (src/lib/domain/outcomes.ts),
 * and when each person last looked at them. Nothing here changes or deletes an entry: a correction
 * is a new entry. Deleted with the workshop; a person's visits with the person.
 */
export interface OutcomeStore {
  /** Adds a recommendation under its workshop's next number (in one transaction); resolves with it, numbered. */
  create(rec: Omit<Recommendation, 'number'>): Promise<Recommendation>;
  get(id: string): Promise<Recommendation | null>;
  /** A workshop's recommendations, by number. */
  list(workshopId: string): Promise<Recommendation[]>;
  /**
   * Appends an entry to its recommendation's timeline, numbered `afterSeq + 1`, if the timeline's
   * last entry is still `afterSeq` (0: none); resolves null, changing nothing, when it has moved on
   * (someone else's change got there first). Rejects an entry whose workshop is not its
   * recommendation's.
   */
  append(entry: Omit<TimelineEntryRecord, 'seq'>, afterSeq: number): Promise<TimelineEntryRecord | null>;
  /** A workshop's timeline entries, by recommendation number, then seq. */
  timeline(workshopId: string): Promise<TimelineEntryRecord[]>;
  /** When a recommendation of the workshop was last made or changed; null when it has none. */
  lastChange(workshopId: string): Promise<number | null>;
  /** Takes these cards' words out of the sources of the board's recommendations (their writer removed them). */
  forgetSources(boardId: string, cardIds: readonly string[]): Promise<void>;
  /** A person's last look at their workshop's outcomes; null before their first. */
  visit(participantId: string): Promise<Visit | null>;
  setVisit(participantId: string, visit: Visit): Promise<void>;
}

/**
 * Someone who ticked "Record my time" when joining: the name for the record (not their display
 * name, and never stored beside anything they wrote) and how they would like to be thanked.
 */
export interface InvolvementRecord {
  participantId: string;
  workshopId: string;
  name: string;
  choice: ThanksChoice;
  createdAt: number;
}

/** One stretch of a person's connected time; `end` is null while it is open. */
export interface AttendanceInterval {
  start: number;
  end: number | null;
  /** While open: when the server last saw the person here (a restart closes it there). */
  seenAt: number;
}

/** A record with its intervals, oldest first. */
export interface InvolvementWithTime extends InvolvementRecord {
  intervals: AttendanceInterval[];
}

/**
 * Involvement records and the attendance behind them, kept apart from everything a person wrote
 * (no card, draft or answer refers to them, nor they to one). Only people who asked have a record,
 * and only a record has intervals. Deleted with the person (clear, forget) and the workshop.
 */
export interface InvolvementStore {
  /** Stores someone's request. Rejects when the participant does not exist or already has a record. */
  add(record: InvolvementRecord): Promise<void>;
  get(participantId: string): Promise<InvolvementWithTime | null>;
  /** A workshop's records, oldest first, each with its intervals. */
  list(workshopId: string): Promise<InvolvementWithTime[]>;
  /**
   * Opens an interval at `at`. Resolves false, storing nothing, when the person has no record
   * (never asked, or cleared it) or already has an open interval.
   */
  open(participantId: string, at: number): Promise<boolean>;
  /** Notes that these people's open intervals were still open at `at`. */
  seen(participantIds: readonly string[], at: number): Promise<void>;
  /** Closes the person's open interval at `at` (never before its start); false when none is open. */
  close(participantId: string, at: number): Promise<boolean>;
  /**
   * Closes open intervals at the last moment they were seen (after a restart); resolves with how
   * many. With `seenBefore`, only those last seen before it: with several server processes, the
   * intervals a live process holds are seen every heartbeat and stay open. [ST141]
   */
  closeStale(seenBefore?: number): Promise<number>;
  /** Deletes the person's record and every interval of it; false when there was none. */
  clear(participantId: string): Promise<boolean>;
}

/** A forum: a named group at a level that workshops belong to; it may join a parent forum (docs/ARCHITECTURE.md, "Forums"). */
export interface ForumRecord {
  id: string;
  name: string;
  level: ForumLevel;
  /** The forum it joined (a join-as-child link of that forum's), or null. */
  parentId: string | null;
  createdAt: number;
}

/**
 * A forum's capability link: `facilitator` (/forum/<token>: acts as the forum's facilitator), or
 * `child` (a forum's facilitator gives it to another forum's, which then joins this one as its
 * child). Kept as invite links are (the token itself), so the forum page can show it again.
 */
export interface ForumLinkRecord {
  token: string;
  forumId: string;
  kind: 'facilitator' | 'child';
  createdAt: number;
  revokedAt: number | null;
}

/** A workshop that belongs to a forum (a workshop belongs to one at most). */
export interface ForumWorkshopRecord {
  forumId: string;
  workshopId: string;
  addedAt: number;
}

/**
 * An agreed key point a forum's facilitator shared with the parent forum, frozen as it was agreed
 * (words, date, backing: counts only), with where it came from: its workshop (id and title then)
 * and, for a point agreed on a board that rolled up points from child forums, the shared points
 * behind it (`origins`). Withdrawing keeps the record with `withdrawnAt`, so the parent shows it as
 * withdrawn rather than silently gone, and its provenance stays whole.
 */
export interface SharedPointRecord {
  id: string;
  /** The forum that shared it (the workshop's forum). */
  forumId: string;
  workshopId: string;
  workshopTitle: string;
  boardId: string;
  pointId: string;
  /** The agreed version it is from. */
  version: number;
  text: string;
  agreedAt: number;
  backing: PointBacking;
  /** Shared points of child forums this point was rolled up from (empty for a local point). */
  origins: string[];
  sharedAt: number;
  withdrawnAt: number | null;
}

/**
 * A card a roll-up put on a board, and the shared points it stands for: one, or several once
 * merged. The card's words are in the board document; where they came from is kept here, by the
 * server, so nobody can change a card's provenance by editing the board.
 */
export interface RollupCardRecord {
  boardId: string;
  cardId: string;
  workshopId: string;
  sources: string[];
  createdAt: number;
}

/** Forums, their links and workshops, the key points they share up, and rolled-up cards' provenance. */
export interface ForumStore {
  /** Creates a forum with its first links in one transaction. */
  create(forum: ForumRecord, links: ForumLinkRecord[]): Promise<void>;
  get(id: string): Promise<ForumRecord | null>;
  /** The forums that joined this one, oldest first. */
  children(forumId: string): Promise<ForumRecord[]>;
  /** Sets (or, with null, clears) a forum's parent. The caller checks the rules (src/lib/domain/forums.ts). */
  setParent(forumId: string, parentId: string | null): Promise<void>;
  addLink(link: ForumLinkRecord): Promise<void>;
  /** The link a token stands for, turned off or not; null when no forum link has it. */
  link(token: string): Promise<ForumLinkRecord | null>;
  /** A forum's links, oldest first. */
  links(forumId: string): Promise<ForumLinkRecord[]>;
  revokeLink(token: string, at: number): Promise<void>;
  /** Adds a workshop to a forum; resolves false, changing nothing, when it already belongs to one. Rejects for an unknown forum or workshop. */
  addWorkshop(link: ForumWorkshopRecord): Promise<boolean>;
  /** A forum's workshops, oldest first. */
  workshops(forumId: string): Promise<ForumWorkshopRecord[]>;
  /** The forum a workshop belongs to, or null. */
  forumOf(workshopId: string): Promise<string | null>;
  /**
   * Shares a point; when the same agreed point (forum, board, point, version) is already shared and
   * not withdrawn, resolves with that one, storing nothing.
   */
  share(point: SharedPointRecord): Promise<SharedPointRecord>;
  /** Withdraws a shared point (kept, marked); resolves with it, or null when there is no such point. Withdrawing twice keeps the first time. */
  withdraw(id: string, at: number): Promise<SharedPointRecord | null>;
  /** The points these forums shared, withdrawn ones too, oldest first. */
  sharedBy(forumIds: readonly string[]): Promise<SharedPointRecord[]>;
  /** Shared points by id (unknown ids are left out), in no particular order. */
  sharedPoints(ids: readonly string[]): Promise<SharedPointRecord[]>;
  /** A workshop's rolled-up cards, oldest first. */
  rollups(workshopId: string): Promise<RollupCardRecord[]>;
  /** Removes these cards' records and adds others, in one transaction (a roll-up, a merge, an unmerge). */
  replaceRollups(remove: ReadonlyArray<{ boardId: string; cardId: string }>, add: readonly RollupCardRecord[]): Promise<void>;
}

/** A named board meeting a forum prepares for (for example the NHS England Health and Justice board). */
export interface MeetingRecord {
  id: string;
  forumId: string;
  /** Who meets: "NHS England Health and Justice board". */
  body: string;
  /** The day, YYYY-MM-DD. */
  date: string;
  createdAt: number;
}

/** A key point to raise, as it stood when the meeting was made, with where it came from (JSON the service reads). */
export interface MeetingPointRecord {
  meetingId: string;
  id: string;
  position: number;
  text: string;
  provenance: string;
  /** The forum's agreed words to raise it in, or null (its own words). */
  agreed: string | null;
  /** What the board said about it, recorded after the meeting, or null. */
  boardSaid: string | null;
}

/** A member's comment on a point before the meeting. An anonymous one keeps no participant and no name. */
export interface MeetingCommentRecord {
  id: string;
  meetingId: string;
  pointId: string;
  participantId: string | null;
  name: string | null;
  text: string;
  createdAt: number;
}

/** Board meetings, their points and comments; deleted with their forum (comments with a named writer, with the person). */
export interface MeetingStore {
  /** Stores a meeting and its points in one transaction. Rejects when the forum does not exist. */
  create(meeting: MeetingRecord, points: MeetingPointRecord[]): Promise<void>;
  get(id: string): Promise<MeetingRecord | null>;
  /** A forum's meetings, by date. */
  list(forumId: string): Promise<MeetingRecord[]>;
  /** A meeting's points, by position. */
  points(meetingId: string): Promise<MeetingPointRecord[]>;
  /** Sets (or with null clears) a point's agreed words or what the board said; false when there is no such point. */
  setPoint(meetingId: string, pointId: string, change: { agreed?: string | null; boardSaid?: string | null }): Promise<boolean>;
  /** Rejects when the point does not exist. */
  addComment(comment: MeetingCommentRecord): Promise<void>;
  /** A meeting's comments, oldest first. */
  comments(meetingId: string): Promise<MeetingCommentRecord[]>;
}

export interface VersionedState {
  json: string;
  /** Increases by one with every save; 0 before the first. */
  version: number;
}

/** Thrown by FacilitationStateStore.save when another writer saved first. */
export class VersionConflict extends Error {
  constructor(readonly workshopId: string) {
    super(`facilitation state of ${workshopId} was changed by another writer`);
    this.name = 'VersionConflict';
  }
}

/** A word or short form in a workshop's glossary, with its plain explanation. */
export interface GlossaryRecord {
  id: string;
  workshopId: string;
  term: string;
  explanation: string;
  createdAt: number;
  updatedAt: number;
}

/**
 * Each workshop's glossary. A change to it changes the question's plain words check (a term the
 * glossary explains is not flagged), so every write stores the workshop's new check in the same
 * transaction.
 */
export interface GlossaryStore {
  /** A workshop's entries, oldest first. */
  list(workshopId: string): Promise<GlossaryRecord[]>;
  /**
   * Adds the entry, or changes the one with its id (its term, explanation and updatedAt; not its
   * createdAt), and stores the workshop's check. Rejects, changing nothing, when another entry of
   * the workshop has the same term (termKey) or the workshop does not exist.
   */
  put(entry: GlossaryRecord, check: QuestionCheck): Promise<void>;
  /** Deletes one entry and stores the workshop's check; resolves false, changing nothing, when there is no such entry. */
  remove(workshopId: string, termId: string, check: QuestionCheck): Promise<boolean>;
}

/** The facilitation state (phases, timer, queue...) of each workshop, saved with compare-and-set. */
export interface FacilitationStateStore {
  get(workshopId: string): Promise<VersionedState | null>;
  /**
   * Saves `json` if the stored version is still `expectedVersion` (0: nothing stored yet) and
   * resolves with the new version; rejects with VersionConflict otherwise.
   */
  save(workshopId: string, json: string, expectedVersion: number): Promise<number>;
}

export interface Store {
  boards: BoardLog;
  workshops: WorkshopStore;
  people: PeopleStore;
  drafts: DraftStore;
  moderation: ModerationStore;
  removed: RemovedCardStore;
  notices: NoticeStore;
  votes: VoteStore;
  keyPoints: KeyPointStore;
  consent: ConsentStore;
  glossary: GlossaryStore;
  outcomes: OutcomeStore;
  facilitation: FacilitationStateStore;
  present: PresentLinkStore;
  involvement: InvolvementStore;
  forums: ForumStore;
  meetings: MeetingStore;
  /** Rejects when the store cannot be read or the disk has failed; used by /healthz. */
  ping(): Promise<void>;
  /**
   * Moves everything from the write-ahead log into the main file and empties the log (after
   * deletions): at once, or as soon as a background checkpoint that is running ends (milliseconds).
   */
  checkpoint(): Promise<void>;
  /** Copies the whole database to `file`, safely while the server runs. */
  backup(file: string): Promise<void>;
  close(): Promise<void>;
}

/** What a store logs through (pino's signature); injected, so logs go where the server's go. */
export interface StoreLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}
