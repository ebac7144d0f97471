// Present links' rows as SQLite and Postgres both store them (the same columns), and the records the store
// contract answers with: one mapping for both stores.
import type { PresentLinkRecord } from '../types';

export interface PresentRow {
  token: string;
  workshop_id: string;
  created_at: number;
  revoked_at: number | null;
}

export const toLink = (r: PresentRow): PresentLinkRecord => ({
  token: r.token,
  workshopId: r.workshop_id,
  createdAt: r.created_at,
  revokedAt: r.revoked_at
});
