// What happened to a workshop's ideas, as one typed model: every recommendation with where it
// stands, its timeline and its links, and how many reached each status. Pure: the server builds
// it from the store (server/outcomes.ts), outcomes.json is it, and the page and the summary's
// formats (outcomes-document.ts) are made from it, so they cannot say different things.
import {
  STATUS_INFO,
  WAITING_LABEL,
  countStatuses,
  standing,
  type Answerer,
  type Recommendation,
  type Status,
  type StatusCounts,
  type TimelineChange,
  type TimelineEntry
} from './outcomes';

/** Another recommendation a link points at, as the report shows it. */
export interface LinkedRecommendation {
  id: string;
  number: number;
  text: string;
  workshopId: string;
  /** Its workshop's title when it is another workshop of the group; null when it is this one. */
  workshopTitle: string | null;
  status: Status | null;
}

export type ReportEntry = {
  seq: number;
  at: number;
  by: Answerer;
  /** A later entry corrected it (its words stay, shown as corrected). */
  corrected: boolean;
} & TimelineChange;

export interface ReportSource {
  kind: 'keyPoint' | 'card';
  boardId: string;
  /** The board's title, or null when the board is not in the workshop any more. */
  boardTitle: string | null;
  /** The key point's or card's words when the recommendation was made; null once its writer removed them. */
  words: string | null;
  /** The agreed version the key point was in. */
  version?: number;
}

export interface ReportRecommendation {
  id: string;
  number: number;
  text: string;
  /** Who it is for now. */
  addressedTo: string;
  /** Who it was for when it was made. */
  firstAddressedTo: string;
  source: ReportSource | null;
  createdAt: number;
  createdBy: Answerer;
  status: Status | null;
  statusLabel: string;
  /** The explanation given with the latest status. */
  explanation: string | null;
  lastChangeAt: number;
  reached: Status[];
  ledTo: LinkedRecommendation[];
  cameFrom: LinkedRecommendation[];
  /** Oldest first. */
  timeline: ReportEntry[];
}

export interface OutcomesReport {
  workshop: { id: string; title: string; question: string; createdAt: number; endedAt: number | null };
  madeAt: number;
  counts: StatusCounts;
  recommendations: ReportRecommendation[];
}

export interface OutcomesInput {
  workshop: OutcomesReport['workshop'];
  boards: { id: string; title: string }[];
  recommendations: Recommendation[];
  /** This workshop's timeline entries. */
  entries: TimelineEntry[];
  /**
   * Recommendations of the other workshops of its group, with their entries and their workshop's
   * title, so links across the group can be shown both ways.
   */
  group: { workshopId: string; title: string; recommendations: Recommendation[]; entries: TimelineEntry[] }[];
}

export function buildOutcomes(input: OutcomesInput, madeAt: number): OutcomesReport {
  const byRec = (entries: TimelineEntry[]) => {
    const out = new Map<string, TimelineEntry[]>();
    for (const e of entries) out.set(e.recommendationId, [...(out.get(e.recommendationId) ?? []), e]);
    for (const list of out.values()) list.sort((a, b) => a.seq - b.seq);
    return out;
  };
  // Every recommendation a link may name: this workshop's and its group's, with where each stands.
  const all = new Map<string, { rec: Recommendation; workshopTitle: string | null; ledTo: string[]; status: Status | null }>();
  const add = (recs: Recommendation[], entries: TimelineEntry[], workshopTitle: string | null) => {
    const timelines = byRec(entries);
    for (const rec of recs) {
      const s = standing(rec, timelines.get(rec.id) ?? []);
      all.set(rec.id, { rec, workshopTitle, ledTo: s.ledTo, status: s.status });
    }
  };
  add(input.recommendations, input.entries, null);
  for (const g of input.group) add(g.recommendations, g.entries, g.title);
  const linked = (id: string): LinkedRecommendation[] => {
    const x = all.get(id);
    if (!x) return [];
    return [{ id, number: x.rec.number, text: x.rec.text, workshopId: x.rec.workshopId, workshopTitle: x.workshopTitle, status: x.status }];
  };

  const boardTitle = new Map(input.boards.map((b) => [b.id, b.title]));
  const timelines = byRec(input.entries);
  const standings = [];
  const recommendations: ReportRecommendation[] = [];
  for (const rec of [...input.recommendations].sort((a, b) => a.number - b.number)) {
    const timeline = timelines.get(rec.id) ?? [];
    const s = standing(rec, timeline);
    standings.push(s);
    const corrected = new Set(s.corrected);
    recommendations.push({
      id: rec.id,
      number: rec.number,
      text: rec.text,
      addressedTo: s.addressedTo,
      firstAddressedTo: rec.addressedTo,
      source: rec.source
        ? {
            kind: rec.source.kind,
            boardId: rec.source.boardId,
            boardTitle: boardTitle.get(rec.source.boardId) ?? null,
            words: rec.source.words,
            ...(rec.source.kind === 'keyPoint' ? { version: rec.source.version } : {})
          }
        : null,
      createdAt: rec.createdAt,
      createdBy: rec.createdBy,
      status: s.status,
      statusLabel: s.status ? STATUS_INFO[s.status].label : WAITING_LABEL,
      explanation: s.explanation,
      lastChangeAt: s.lastChangeAt,
      reached: s.reached,
      ledTo: s.ledTo.flatMap(linked),
      cameFrom: [...all.values()].filter((x) => x.ledTo.includes(rec.id)).flatMap((x) => linked(x.rec.id)),
      timeline: timeline.map((e) => ({ seq: e.seq, at: e.at, by: e.by, corrected: corrected.has(e.seq), ...e.change }))
    });
  }
  return { workshop: input.workshop, madeAt, counts: countStatuses(standings), recommendations };
}

/** What the page offers to make a recommendation from. */
export interface SourceOption {
  value: string;
  kind: 'keyPoint' | 'card';
  boardTitle: string;
  words: string;
}

export interface LinkOption {
  id: string;
  number: number;
  text: string;
  /** Null for this workshop's own. */
  workshopTitle: string | null;
}

export interface SinceLastTime {
  workshopId: string;
  /** Null when the earlier workshop has been deleted since. */
  title: string | null;
  endedAt: number | null;
  counts: OutcomesReport['counts'] | null;
  recommendations: Pick<
    ReportRecommendation,
    'number' | 'text' | 'addressedTo' | 'status' | 'statusLabel' | 'explanation' | 'lastChangeAt'
  >[];
}
