// Recommendations' and timeline entries' rows as SQLite and Postgres both store them (the same columns), and the records the store
// contract answers with: one mapping for both stores.
import type { Answerer, Recommendation, RecommendationSource, TimelineChange } from '../../../src/lib/domain/outcomes';
import type { TimelineEntryRecord } from '../types';

export interface RecommendationRow {
  id: string;
  workshop_id: string;
  number: number;
  text: string;
  addressed_to: string;
  source: string | null;
  created_at: number;
  created_by: string;
}
export interface EntryRow {
  recommendation_id: string;
  seq: number;
  workshop_id: string;
  at: number;
  by_role: string;
  change: string;
}

export const toRecommendation = (r: RecommendationRow): Recommendation => ({
  id: r.id,
  workshopId: r.workshop_id,
  number: r.number,
  text: r.text,
  addressedTo: r.addressed_to,
  source: r.source ? (JSON.parse(r.source) as RecommendationSource) : null,
  createdAt: r.created_at,
  createdBy: r.created_by as Answerer
});

export const toEntry = (r: EntryRow): TimelineEntryRecord => ({
  recommendationId: r.recommendation_id,
  workshopId: r.workshop_id,
  seq: r.seq,
  at: r.at,
  by: r.by_role as Answerer,
  change: JSON.parse(r.change) as TimelineChange
});
