// Involvement records: the time of people who asked for it to be recorded ("Record my time" when
// joining), so they can be paid or thanked. Pure: the choices and their words, the check of what
// someone asks for, and how connected time becomes joined, left and minutes active.
import { normaliseName } from './names';
import { ROLE_LABEL, type Role } from './roles';
import { LIMITS } from './text';

export const THANKS_CHOICES = ['payment', 'voucher', 'none'] as const;
export type ThanksChoice = (typeof THANKS_CHOICES)[number];

/** What each choice says on the join page, on "Your time record" and in the export. */
export const THANKS_LABEL: Record<ThanksChoice, string> = {
  payment: 'Payment',
  voucher: 'Voucher',
  none: 'No payment, just a record'
};

export interface RecordTimeRequest {
  name: string;
  choice: ThanksChoice;
}

export type CheckedRequest = { ok: true; value: RecordTimeRequest } | { ok: false; errors: { recordName?: string; thanks?: string } };

/** The words of a refusal, one per field (the join form shows each beside its field). */
export const INVOLVEMENT_TEXT = {
  nameMissing: 'Enter the name for your time record. It can be the name your payment goes to',
  nameTooLong: `The name for your time record must be ${LIMITS.name} characters or fewer`,
  choiceMissing: 'Choose how you would like to be thanked for your time',
  notRecorded: 'Your time is not being recorded in this workshop. You did not tick "Record my time" when you joined.'
} as const;

/**
 * The name and choice of someone who ticked "Record my time". The name may differ from their
 * display name (a legal name for a payment, say), and is kept apart from it.
 */
export function checkRecordTime(rawName: unknown, rawChoice: unknown): CheckedRequest {
  const errors: { recordName?: string; thanks?: string } = {};
  const name = typeof rawName === 'string' ? normaliseName(rawName) : '';
  if (!name) errors.recordName = INVOLVEMENT_TEXT.nameMissing;
  else if (name.length > LIMITS.name) errors.recordName = INVOLVEMENT_TEXT.nameTooLong;
  const choice = THANKS_CHOICES.find((c) => c === rawChoice);
  if (!choice) errors.thanks = INVOLVEMENT_TEXT.choiceMissing;
  if (errors.recordName || errors.thanks || !choice) return { ok: false, errors };
  return { ok: true, value: { name, choice } };
}

/** One stretch of connected time: `end` is null while the person is still here. */
export interface Interval {
  start: number;
  end: number | null;
}

export interface Attendance {
  /** When they were first here (the first interval's start); null before they ever connected. */
  joinedAt: number | null;
  /** When they last left (the last interval's end); null while they are here, or before they came. */
  leftAt: number | null;
  /** Connected time, in milliseconds, up to `now` for an interval still open. */
  activeMs: number;
  /** activeMs in whole minutes, rounded to the nearest (what a payment is worked out from). */
  minutes: number;
}

/**
 * Joined, left and minutes active from a person's intervals, within [from, to) when a period is
 * given (an interval across its edge counts only the part inside). Overlapping intervals count
 * once, so a second device never doubles anyone's time.
 */
export function attendance(intervals: readonly Interval[], now: number, period: { from?: number; to?: number } = {}): Attendance {
  const from = period.from ?? -Infinity;
  const to = Math.min(period.to ?? Infinity, now);
  const spans = intervals
    .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end ?? now, to) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  let activeMs = 0;
  let reached = -Infinity;
  for (const s of spans) {
    const start = Math.max(s.start, reached);
    if (s.end > start) activeMs += s.end - start;
    reached = Math.max(reached, s.end);
  }
  const inside = intervals.filter((i) => (i.end ?? now) >= from && i.start < to).sort((a, b) => a.start - b.start);
  const last = inside.at(-1);
  const open = inside.some((i) => i.end === null);
  return {
    joinedAt: inside.length ? Math.max(inside[0].start, from) : null,
    leftAt: last && !open ? Math.min(Math.max(...inside.map((i) => i.end ?? now)), to) : null,
    activeMs,
    minutes: Math.round(activeMs / 60_000)
  };
}

/** One row of the facilitator's export: the name given for the record, never the display name. */
export interface TimeRow extends Attendance {
  name: string;
  role: Role;
  choice: ThanksChoice;
}

/** The export's header and cells, with moments written by `date` (the caller guards cells against formula injection). */
export function timeTable(rows: readonly TimeRow[], date: (ms: number) => string): string[][] {
  return [
    ['Name for the record', 'Role', 'Thanks', 'Joined (UTC)', 'Left (UTC)', 'Minutes active'],
    ...rows.map((r) => [
      r.name,
      ROLE_LABEL[r.role],
      THANKS_LABEL[r.choice],
      r.joinedAt === null ? '' : date(r.joinedAt),
      r.leftAt === null ? (r.joinedAt === null ? '' : 'Still here') : date(r.leftAt),
      String(r.minutes)
    ])
  ];
}

/** A forum's export: the workshop each row comes from, then the workshop export's columns. */
export function forumTimeTable(rows: readonly (TimeRow & { workshopTitle: string })[], date: (ms: number) => string): string[][] {
  const [header, ...body] = timeTable(rows, date);
  return [['Workshop', ...header], ...body.map((cells, i) => [rows[i].workshopTitle, ...cells])];
}
