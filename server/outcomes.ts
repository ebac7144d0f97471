// "You said, we did" on the server: making recommendations from agreed key points, solution cards
// or fresh words, answering them with a status and an explanation (appended to their timeline,
// never rewritten), linking them, reading them back as one report, remembering when each person
// last looked, and "Since last time" for the next workshop of a group. Reached over HTTP (and the
// outcomes page's form actions), so it works long after the workshop ended. The rules are pure,
// in src/lib/domain/outcomes.ts, who may too (`mayAnswer`).
import { KEY_POINT_MAX } from '../src/lib/board/keypoints';
import {
  OUTCOME_RULES,
  OUTCOME_TEXT,
  checkAddressedTo,
  checkChange,
  checkRecommendationText,
  checkRoom,
  isAnswerer,
  mayAnswer,
  nextVisit,
  standing,
  type Answerer,
  type ChangeDraft,
  type LinkTarget,
  type Recommendation,
  type RecommendationSource,
  type SourceChoice,
  type TimelineEntry,
  type Visit
} from '../src/lib/domain/outcomes';
import {
  buildOutcomes,
  type LinkOption,
  type OutcomesReport,
  type ReportRecommendation,
  type SinceLastTime,
  type SourceOption
} from '../src/lib/domain/outcomes-report';

export type { LinkOption, SinceLastTime, SourceOption };
import { retentionOf, type Retention } from '../src/lib/domain/retention';
import { meetingDay } from '../src/lib/domain/meetings';
import { AppError } from '../src/lib/protocol/errors';
import type { BoardAnswer, PointSource } from './meetings';
import type { ParticipantRecord, Store, WorkshopRecord } from './persistence/types';
import { activityOf } from './session/privacy';
import type { BoardPeer } from './session/ports';
import type { FacilitationStates } from './session/states';
import { newRecordId } from './tokens';

export interface OutcomeDeps {
  store: Store;
  states: FacilitationStates;
  boards: BoardPeer;
  retentionDays: number;
}

/** Who is asking: a live participant of the workshop (authenticated by the caller). */
export interface Asker {
  participant: ParticipantRecord;
  workshop: WorkshopRecord;
}

/** The group a workshop is in: its first workshop's id (itself, for one that follows none). */
export const groupOf = (w: Pick<WorkshopRecord, 'id' | 'group'>) => w.group ?? w.id;

const cut = (text: string, max: number) => text.replace(/\s+/g, ' ').trim().slice(0, max);

export class OutcomeService {
  constructor(private deps: OutcomeDeps) {}

  private forbidIfNotAnswerer(asker: Asker): Answerer {
    if (!mayAnswer(asker.participant) || !isAnswerer(asker.participant.role)) throw new AppError('forbidden', OUTCOME_TEXT.forbidden, 403);
    return asker.participant.role;
  }

  /** The workshop's agreed key points (each board's latest version) and solution cards, to make a recommendation from. */
  async sources(workshopId: string): Promise<SourceOption[]> {
    const { store, boards } = this.deps;
    const [list, versions] = await Promise.all([store.workshops.boards(workshopId), store.keyPoints.versions(workshopId)]);
    const out: SourceOption[] = [];
    for (const board of list) {
      const latest = versions.filter((v) => v.boardId === board.id).sort((a, b) => b.number - a.number)[0];
      for (const p of latest?.points ?? []) {
        if (p.text.trim()) out.push({ value: `keyPoint:${board.id}:${p.id}`, kind: 'keyPoint', boardTitle: board.title, words: p.text });
      }
    }
    for (const board of list) {
      const cards = await boards.read(board.id, (b) => b.facts().filter((c) => c.lane === 'solutions' && c.text.trim()));
      for (const c of cards.slice(0, OUTCOME_RULES.perWorkshop)) {
        out.push({ value: `card:${board.id}:${c.id}`, kind: 'card', boardTitle: board.title, words: c.text });
      }
    }
    return out;
  }

  /**
   * A source as chosen, with its words now (all of them, for a recommendation left without words
   * of its own; the source keeps the first OUTCOME_RULES.sourceWords); refused when it is not (or no
   * longer) there.
   */
  private async source(workshopId: string, choice: SourceChoice): Promise<{ source: RecommendationSource; words: string } | null> {
    if (!choice) return null;
    const { store, boards } = this.deps;
    const board = await store.workshops.board(choice.boardId);
    if (!board || board.workshopId !== workshopId)
      throw new AppError('invalid_input', 'That board is not part of this workshop.', 400, 'from');
    if (choice.kind === 'keyPoint') {
      const versions = (await store.keyPoints.versions(workshopId))
        .filter((v) => v.boardId === board.id)
        .sort((a, b) => b.number - a.number);
      for (const v of versions) {
        const point = v.points.find((p) => p.id === choice.pointId);
        if (point) {
          const words = cut(point.text, KEY_POINT_MAX);
          const source = {
            kind: 'keyPoint' as const,
            boardId: board.id,
            pointId: point.id,
            version: v.number,
            words: words.slice(0, OUTCOME_RULES.sourceWords)
          };
          return { source, words };
        }
      }
      throw new AppError(
        'invalid_input',
        'That key point is not in an agreed version. Agree the key points on the board first, or write the recommendation yourself.',
        400,
        'from'
      );
    }
    const card = await boards.read(board.id, (b) => b.facts().find((c) => c.id === choice.cardId) ?? null);
    if (!card || card.lane !== 'solutions') {
      throw new AppError(
        'invalid_input',
        'That card is not in the Solutions list on the board. Choose another, or write the recommendation yourself.',
        400,
        'from'
      );
    }
    const words = cut(card.text, OUTCOME_RULES.text);
    return { source: { kind: 'card', boardId: board.id, cardId: card.id, words: words.slice(0, OUTCOME_RULES.sourceWords) }, words };
  }

  /**
   * Makes a recommendation: its words (or, left empty, its source's words), who it is for, and
   * where it comes from. Facilitators and decision makers only; after the end too.
   */
  async create(asker: Asker, input: { text?: unknown; addressedTo?: unknown; from?: SourceChoice }): Promise<ReportRecommendation> {
    const by = this.forbidIfNotAnswerer(asker);
    const workshopId = asker.workshop.id;
    return this.deps.states.exclusive(workshopId, async () => {
      const from = await this.source(workshopId, input.from ?? null);
      const typed = typeof input.text === 'string' ? input.text : '';
      const text = checkRecommendationText(typed.trim() === '' && from ? from.words : input.text);
      if (!text.ok) throw new AppError('invalid_input', text.message, 400, text.field);
      const addressedTo = checkAddressedTo(input.addressedTo);
      if (!addressedTo.ok) throw new AppError('invalid_input', addressedTo.message, 400, addressedTo.field);
      const room = checkRoom((await this.deps.store.outcomes.list(workshopId)).length);
      if (!room.ok) throw new AppError('invalid_input', room.message, 400, room.field);
      const rec = await this.deps.store.outcomes.create({
        id: newRecordId(),
        workshopId,
        text: text.value,
        addressedTo: addressedTo.value,
        source: from?.source ?? null,
        createdAt: Date.now(),
        createdBy: by
      });
      return this.one(workshopId, rec.id);
    });
  }

  /**
   * Appends a change to a recommendation's timeline (a status with its explanation, a new
   * addressee, a link or a link taken back). Refused, changing nothing, for anyone but facilitators
   * and decision makers, for another workshop's recommendation, and by the rules.
   */
  async change(asker: Asker, recommendationId: string, draft: ChangeDraft): Promise<ReportRecommendation> {
    const by = this.forbidIfNotAnswerer(asker);
    const workshopId = asker.workshop.id;
    const { store } = this.deps;
    return this.deps.states.exclusive(workshopId, async () => {
      const rec = await store.outcomes.get(recommendationId);
      if (!rec || rec.workshopId !== workshopId) throw new AppError('not_found', OUTCOME_TEXT.noSuchRecommendation, 404, 'recommendation');
      const timeline = (await store.outcomes.timeline(workshopId)).filter((e) => e.recommendationId === rec.id);
      const target = typeof draft.to === 'string' ? await this.linkTarget(asker.workshop, rec, draft.to) : null;
      const checked = checkChange(draft, rec, timeline, target);
      if (!checked.ok) throw new AppError('invalid_input', checked.message, 400, checked.field);
      const afterSeq = timeline.reduce((n, e) => Math.max(n, e.seq), 0);
      // Changes of one workshop take turns, so the timeline cannot have moved on meanwhile; a
      // store shared with another process could, and then nothing was written.
      const stored = await store.outcomes.append(
        { recommendationId: rec.id, workshopId, at: Date.now(), by, change: checked.value },
        afterSeq
      );
      if (!stored)
        throw new AppError(
          'server_error',
          'Someone else changed this recommendation at the same moment. Look at it again, then try again.',
          500
        );
      return this.one(workshopId, rec.id);
    });
  }

  /**
   * What a board said at a forum's meeting, on a point these agreed key points stand behind: every
   * recommendation made from one of them gets an entry in its timeline, in each workshop's turn.
   * The entry keeps the recommendation's status ("Heard" for one nobody had answered: the board
   * has now heard it) with the board's words as its explanation, by a decision maker (the board);
   * a timeline that is full is left as it is. Resolves with how many entries were added.
   */
  async boardSaid(sources: readonly PointSource[], answer: BoardAnswer): Promise<number> {
    const { store } = this.deps;
    const prefix = `${answer.body} said at its meeting on ${meetingDay(answer.date)}: `;
    const explanation = prefix + answer.said.slice(0, OUTCOME_RULES.explanation - prefix.length);
    let added = 0;
    for (const workshopId of [...new Set(sources.map((s) => s.workshopId))]) {
      const mine = sources.filter((s) => s.workshopId === workshopId);
      added += await this.deps.states.exclusive(workshopId, async () => {
        let n = 0;
        const recs = (await store.outcomes.list(workshopId)).filter(
          (r) =>
            r.source?.kind === 'keyPoint' &&
            mine.some((s) => s.boardId === r.source!.boardId && s.pointId === (r.source as { pointId: string }).pointId)
        );
        if (!recs.length) return 0;
        const all = await store.outcomes.timeline(workshopId);
        for (const rec of recs) {
          const timeline = all.filter((e) => e.recommendationId === rec.id);
          const status = standing(rec, timeline).status ?? 'heard';
          const checked = checkChange({ kind: 'status', status, explanation }, rec, timeline);
          if (!checked.ok) continue;
          const afterSeq = timeline.reduce((m, e) => Math.max(m, e.seq), 0);
          const stored = await store.outcomes.append(
            { recommendationId: rec.id, workshopId, at: Date.now(), by: 'decisionMaker', change: checked.value },
            afterSeq
          );
          if (stored) n++;
        }
        return n;
      });
    }
    return added;
  }

  /** A recommendation a link may point at: this workshop's, or one of a workshop of the same group. */
  private async linkTarget(workshop: WorkshopRecord, from: Recommendation, id: string): Promise<LinkTarget | null> {
    const { store } = this.deps;
    const target = await store.outcomes.get(id);
    if (!target) return null;
    if (target.workshopId !== workshop.id) {
      const theirs = await store.workshops.get(target.workshopId);
      if (!theirs || groupOf(theirs) !== groupOf(workshop)) return null;
    }
    const timeline = (await store.outcomes.timeline(target.workshopId)).filter((e) => e.recommendationId === target.id);
    return {
      id: target.id,
      number: target.number,
      workshopId: target.workshopId,
      linksBack: standing(target, timeline).ledTo.includes(from.id)
    };
  }

  /** Every recommendation of the workshop with its timeline, where it stands and its links: outcomes.json. */
  async report(workshopId: string, now = Date.now()): Promise<OutcomesReport | null> {
    const { store } = this.deps;
    const workshop = await store.workshops.get(workshopId);
    if (!workshop) return null;
    const [boards, recommendations, entries, group] = await Promise.all([
      store.workshops.boards(workshopId),
      store.outcomes.list(workshopId),
      store.outcomes.timeline(workshopId),
      store.workshops.group(groupOf(workshop))
    ]);
    const others = [];
    for (const w of group) {
      if (w.id === workshopId) continue;
      others.push({
        workshopId: w.id,
        title: w.title,
        recommendations: await store.outcomes.list(w.id),
        entries: (await store.outcomes.timeline(w.id)) as TimelineEntry[]
      });
    }
    return buildOutcomes(
      {
        workshop: {
          id: workshop.id,
          title: workshop.title,
          question: workshop.question,
          createdAt: workshop.createdAt,
          endedAt: workshop.endedAt ?? null
        },
        boards: boards.map((b) => ({ id: b.id, title: b.title })),
        recommendations,
        entries,
        group: others
      },
      now
    );
  }

  private async one(workshopId: string, id: string): Promise<ReportRecommendation> {
    const found = (await this.report(workshopId))?.recommendations.find((r) => r.id === id);
    if (!found) throw new AppError('not_found', OUTCOME_TEXT.noSuchRecommendation, 404, 'recommendation');
    return found;
  }

  /**
   * A person looks at the outcomes page: the visit it makes (what to show as new), remembered on
   * the server for that participant, so any of their devices shows the same.
   */
  async look(participantId: string, workshopId: string, now = Date.now()): Promise<Visit> {
    const { store } = this.deps;
    const visit = nextVisit(await store.outcomes.visit(participantId), await store.outcomes.lastChange(workshopId), now);
    await store.outcomes.setVisit(participantId, visit);
    return visit;
  }

  /**
   * "Since last time" for a workshop that follows another of its group: the earlier workshop's
   * recommendations, where each stands and its latest explanation. Null for a workshop that follows none.
   */
  async sinceLastTime(workshop: WorkshopRecord): Promise<SinceLastTime | null> {
    if (!workshop.after) return null;
    const earlier = await this.report(workshop.after);
    if (!earlier) return { workshopId: workshop.after, title: null, endedAt: null, counts: null, recommendations: [] };
    return {
      workshopId: earlier.workshop.id,
      title: earlier.workshop.title,
      endedAt: earlier.workshop.endedAt,
      counts: earlier.counts,
      recommendations: earlier.recommendations.map((r) => ({
        number: r.number,
        text: r.text,
        addressedTo: r.addressedTo,
        status: r.status,
        statusLabel: r.statusLabel,
        explanation: r.explanation,
        lastChangeAt: r.lastChangeAt
      }))
    };
  }

  /** What a recommendation of this workshop may be linked to: the recommendations of its group, this workshop's first. */
  async linkable(workshop: WorkshopRecord): Promise<LinkOption[]> {
    const { store } = this.deps;
    const group = await store.workshops.group(groupOf(workshop));
    const out: LinkOption[] = [];
    for (const w of [workshop, ...group.filter((g) => g.id !== workshop.id)]) {
      for (const r of await store.outcomes.list(w.id)) {
        out.push({ id: r.id, number: r.number, text: r.text, workshopTitle: w.id === workshop.id ? null : w.title });
      }
    }
    return out;
  }

  /** When the workshop will be deleted, and why (for its facilitators). */
  async retention(workshopId: string): Promise<Retention> {
    return retentionOf(await activityOf(this.deps.store, workshopId), this.deps.retentionDays);
  }
}
