// Agreed key points' and consent rounds' rows as SQLite and Postgres both store them (the same columns), and the records the store
// contract answers with: one mapping for both stores.
import type { AgreedPoint } from '../../../src/lib/domain/agreed';
import type { ConsentPoint } from '../../../src/lib/domain/consent';
import type { VoteSummary } from '../../../src/lib/domain/votes';
import type { AgreedVersionRecord, ClosedConsentRecord, ConsentRecord } from '../types';

export interface AgreedRow {
  board_id: string;
  number: number;
  workshop_id: string;
  agreed_at: number;
  points: string;
  consent_id: string | null;
}
export interface ConsentRow {
  id: string;
  workshop_id: string;
  board_id: string;
  points: string;
  opened_at: number;
  closed_at: number | null;
  summary: string | null;
}

export const toAgreed = (r: AgreedRow): AgreedVersionRecord => ({
  workshopId: r.workshop_id,
  boardId: r.board_id,
  number: r.number,
  agreedAt: r.agreed_at,
  points: JSON.parse(r.points) as AgreedPoint[],
  consentId: r.consent_id
});

export const toConsent = (r: ConsentRow): ConsentRecord => ({
  id: r.id,
  workshopId: r.workshop_id,
  boardId: r.board_id,
  points: JSON.parse(r.points) as ConsentPoint[],
  openedAt: r.opened_at,
  closedAt: r.closed_at
});

export const toClosed = (r: ConsentRow): ClosedConsentRecord => ({
  ...toConsent(r),
  closedAt: r.closed_at!,
  summary: r.summary ? (JSON.parse(r.summary) as VoteSummary) : { groups: [], tallies: [] }
});
