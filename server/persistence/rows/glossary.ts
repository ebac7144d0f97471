// Glossary entries' rows as SQLite and Postgres both store them (the same columns), and the records the store
// contract answers with: one mapping for both stores.
import type { GlossaryRecord } from '../types';

export interface GlossaryRow {
  workshop_id: string;
  id: string;
  term: string;
  explanation: string;
  created_at: number;
  updated_at: number;
}

export const toEntry = (r: GlossaryRow): GlossaryRecord => ({
  id: r.id,
  workshopId: r.workshop_id,
  term: r.term,
  explanation: r.explanation,
  createdAt: r.created_at,
  updatedAt: r.updated_at
});
