// Preparing for a board meeting: a forum's facilitator names the meeting (who meets, the day); its
// points are the forum's collective view as it stands then, each with where it came from (forum,
// workshop, date, how many stood behind it: counts, never a name). The forum's people (anyone in
// one of its workshops) comment on each point, with their name or without; its representatives
// and facilitators agree the words to take and, after the meeting, record what the board said.
// Who may is decided here, from the forum link or a workshop session the request presents.
import {
  checkBody,
  checkComment,
  checkDate,
  checkWords,
  MEETING_RULES,
  MEETING_TEXT,
  type MeetingProvenance,
  type MeetingView
} from '../src/lib/domain/meetings';
import { AppError } from '../src/lib/protocol/errors';
import type { ForumService, LineageNode } from './forums';
import type { ForumRecord, MeetingRecord, ParticipantRecord, Store } from './persistence/types';
import { newRecordId } from './tokens';

/** Who is asking about a meeting. */
export type MeetingViewer =
  { kind: 'facilitator'; forum: ForumRecord } | { kind: 'participant'; participant: ParticipantRecord; preparer: boolean };

/** What a request presents: its forum link for a forum, its session in a workshop. */
export interface MeetingCredentials {
  forumToken(forumId: string): string | null;
  session(workshopId: string): Promise<{ participant: ParticipantRecord } | null>;
}

/** An agreed key point somewhere in a meeting point's lineage: where "you said, we did" may be waiting for the board's answer. */
export interface PointSource {
  workshopId: string;
  boardId: string;
  pointId: string;
}

/** What the board said, as it goes to "you said, we did" (server/outcomes.ts: `boardSaid`). */
export interface BoardAnswer {
  body: string;
  date: string;
  said: string;
}

/** Where the board's answers go: the outcome service's timeline. */
export interface BoardAnswerPort {
  boardSaid(sources: readonly PointSource[], answer: BoardAnswer): Promise<number>;
}

/** The provenance as stored: the pack's words, and the agreed key points behind it (ids only; never shown). */
type StoredProvenance = MeetingProvenance & { sources?: PointSource[] };

/** Every node of a lineage tree: the point itself, the points it was rolled up from, down to the local groups. */
const everyNode = (n: LineageNode): LineageNode[] => [n, ...n.from.flatMap(everyNode)];

export class MeetingService {
  constructor(
    private store: Store,
    private forums: Pick<ForumService, 'overview' | 'facilitator'>,
    private answers: BoardAnswerPort | null = null
  ) {}

  /**
   * The agreed key points in these lineages, as workshop, board and point: a forum's own points
   * carry them in their id ("agreed:<workshop>:<board>:<point>"), shared points in their record.
   */
  private async sourcesOf(lineages: readonly LineageNode[]): Promise<PointSource[][]> {
    const ids = lineages.map((l) => [...new Set(everyNode(l).map((n) => n.id))]);
    const shared = new Map(
      (await this.store.forums.sharedPoints([...new Set(ids.flat().filter((id) => !id.startsWith('agreed:')))])).map((p) => [p.id, p])
    );
    return ids.map((list) => {
      const out: PointSource[] = [];
      for (const id of list) {
        if (id.startsWith('agreed:')) {
          const [, workshopId, boardId, pointId] = id.split(':');
          if (workshopId && boardId && pointId) out.push({ workshopId, boardId, pointId });
          continue;
        }
        const p = shared.get(id);
        if (p) out.push({ workshopId: p.workshopId, boardId: p.boardId, pointId: p.pointId });
      }
      return out.filter(
        (a, i) => out.findIndex((b) => b.workshopId === a.workshopId && b.boardId === a.boardId && b.pointId === a.pointId) === i
      );
    });
  }

  /** A new meeting of the forum (its facilitator's), with the forum's collective view as its points. */
  async create(forum: ForumRecord, input: { body?: unknown; date?: unknown }): Promise<MeetingRecord> {
    const body = checkBody(input.body);
    if (!body.ok) throw new AppError('invalid_input', body.message, 400, 'body');
    const date = checkDate(input.date);
    if (!date.ok) throw new AppError('invalid_input', date.message, 400, 'date');
    const view = (await this.forums.overview(forum)).view.slice(0, MEETING_RULES.points);
    if (!view.length) throw new AppError('not_allowed_now', MEETING_TEXT.noPoints, 409);
    const meeting: MeetingRecord = { id: newRecordId(), forumId: forum.id, body: body.value, date: date.value, createdAt: Date.now() };
    const sources = await this.sourcesOf(view.map((p) => p.lineage));
    await this.store.meetings.create(
      meeting,
      view.map((p, position) => {
        const provenance: StoredProvenance = {
          breadth: p.breadth,
          people: p.total.people,
          cards: p.total.cards,
          groups: p.groups.map((g) => ({
            forum: g.forum.name,
            level: g.forum.level,
            workshopTitle: g.workshopTitle,
            agreedAt: g.agreedAt,
            people: g.backing.people,
            cards: g.backing.cards
          })),
          sources: sources[position]
        };
        return {
          meetingId: meeting.id,
          id: `p${position + 1}`,
          position,
          text: p.text,
          provenance: JSON.stringify(provenance),
          agreed: null,
          boardSaid: null
        };
      })
    );
    return meeting;
  }

  /** A forum's meetings, by date (for its facilitators' page). */
  list(forum: ForumRecord): Promise<MeetingRecord[]> {
    return this.store.meetings.list(forum.id);
  }

  /**
   * Who may see the meeting: its forum's facilitators (their forum link), and the people of the
   * forum's workshops (their session there; not removed). Anyone else: 401 when they present
   * nothing that could, 404 for a meeting that does not exist (said the same way as one they
   * cannot see, so ids cannot be probed).
   */
  async viewer(meetingId: string, who: MeetingCredentials): Promise<{ meeting: MeetingRecord; viewer: MeetingViewer }> {
    const meeting = await this.store.meetings.get(meetingId);
    if (!meeting) throw new AppError('not_found', MEETING_TEXT.cannotSee, 404);
    const token = who.forumToken(meeting.forumId);
    if (token) {
      try {
        return { meeting, viewer: { kind: 'facilitator', forum: await this.forums.facilitator(meeting.forumId, token) } };
      } catch (err) {
        if (!AppError.is(err)) throw err;
      }
    }
    for (const w of await this.store.forums.workshops(meeting.forumId)) {
      const session = await who.session(w.workshopId);
      if (session && session.participant.removedAt === null) {
        const p = session.participant;
        return { meeting, viewer: { kind: 'participant', participant: p, preparer: p.role === 'facilitator' || !!p.representative } };
      }
    }
    throw new AppError('not_signed_in', MEETING_TEXT.notSignedIn, 401);
  }

  /** The meeting as its people see it: points with provenance, agreed words, comments (names only of those who gave them). */
  async view(meeting: MeetingRecord): Promise<MeetingView> {
    const [forum, points, comments] = await Promise.all([
      this.store.forums.get(meeting.forumId),
      this.store.meetings.points(meeting.id),
      this.store.meetings.comments(meeting.id)
    ]);
    return {
      meeting: { id: meeting.id, forumId: meeting.forumId, forumName: forum?.name ?? 'The forum', body: meeting.body, date: meeting.date },
      points: points.map((p) => ({
        id: p.id,
        text: p.text,
        agreed: p.agreed,
        boardSaid: p.boardSaid,
        provenance: shown(JSON.parse(p.provenance) as StoredProvenance),
        comments: comments.filter((c) => c.pointId === p.id).map((c) => ({ name: c.name, text: c.text, createdAt: c.createdAt }))
      }))
    };
  }

  /** A comment on a point, with the writer's display name or (anonymous) with no trace of them. */
  async comment(
    meeting: MeetingRecord,
    viewer: MeetingViewer,
    input: { pointId?: unknown; text?: unknown; anonymous?: unknown }
  ): Promise<void> {
    if (viewer.kind === 'participant' && viewer.participant.role === 'observer')
      throw new AppError('forbidden', MEETING_TEXT.observers, 403);
    const text = checkComment(input.text);
    if (!text.ok) throw new AppError('invalid_input', text.message, 400, 'text');
    const point = await this.point(meeting, input.pointId);
    const anonymous = input.anonymous === true;
    const named = viewer.kind === 'participant' && !anonymous;
    await this.store.meetings.addComment({
      id: newRecordId(),
      meetingId: meeting.id,
      pointId: point,
      participantId: named ? viewer.participant.id : null,
      name: named ? viewer.participant.name : anonymous ? null : 'Forum facilitator',
      text: text.value,
      createdAt: Date.now()
    });
  }

  /** The agreed words to take, or (after the meeting) what the board said: representatives and facilitators only. */
  async setPoint(
    meeting: MeetingRecord,
    viewer: MeetingViewer,
    input: { pointId?: unknown; agreed?: unknown; boardSaid?: unknown }
  ): Promise<void> {
    if (viewer.kind === 'participant' && !viewer.preparer) throw new AppError('forbidden', MEETING_TEXT.notPreparer, 403);
    const points = await this.store.meetings.points(meeting.id);
    const pointId = await this.point(meeting, input.pointId);
    const before = points.find((p) => p.id === pointId)!;
    const change: { agreed?: string | null; boardSaid?: string | null } = {};
    for (const key of ['agreed', 'boardSaid'] as const) {
      if (input[key] === undefined) continue;
      const words = checkWords(input[key]);
      if (!words.ok) throw new AppError('invalid_input', words.message, 400, key);
      change[key] = words.value;
    }
    await this.store.meetings.setPoint(meeting.id, pointId, change);
    // What the board said goes to "you said, we did": once per new answer (the same words
    // saved again add nothing; cleared words take nothing back, the timeline is append-only).
    const said = change.boardSaid;
    if (this.answers && said && said !== before.boardSaid) {
      const sources = (JSON.parse(before.provenance) as StoredProvenance).sources ?? [];
      if (sources.length) await this.answers.boardSaid(sources, { body: meeting.body, date: meeting.date, said });
    }
  }

  private async point(meeting: MeetingRecord, pointId: unknown): Promise<string> {
    const points = await this.store.meetings.points(meeting.id);
    const found = points.find((p) => p.id === pointId);
    if (!found) throw new AppError('invalid_input', MEETING_TEXT.noPoint, 400, 'pointId');
    return found.id;
  }
}

/** The provenance people see: the stored ids of the points behind it stay on the server. */
function shown(p: StoredProvenance): MeetingProvenance {
  const { sources: _sources, ...rest } = p;
  return rest;
}
