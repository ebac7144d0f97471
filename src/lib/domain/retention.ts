// When an ended workshop is deleted, and why, pure: RETENTION_DAYS after its last activity, which
// is the latest of its end, a change to its boards (or its key points agreed) and a change to its
// recommendations' timelines. So a decision maker who keeps saying what happened keeps the
// workshop, and the people who were there can still read it. The retention sweep and the
// facilitator's pages both ask this one function.
import { longDate } from './briefing-document';

export type ActivityKind = 'ended' | 'board' | 'outcomes';

export interface ActivityFacts {
  /** When the facilitator ended it; null while it is open. */
  endedAt: number | null;
  /** The last change to its boards, or when its key points were last agreed. */
  boardAt: number | null;
  /** The last change to its recommendations (made, or a timeline entry). */
  outcomesAt: number | null;
}

export type Retention =
  /** Open workshops are never deleted by retention. */
  { kind: 'open'; days: number } | { kind: 'scheduled'; days: number; deleteAt: number; lastActivityAt: number; because: ActivityKind };

const DAY_MS = 24 * 3600_000;

export function retentionOf(facts: ActivityFacts, days: number): Retention {
  if (facts.endedAt === null) return { kind: 'open', days };
  // The end counts as activity, and wins a tie: it is the plainest thing to say.
  let because: ActivityKind = 'ended';
  let at = facts.endedAt;
  if (facts.boardAt !== null && facts.boardAt > at) [because, at] = ['board', facts.boardAt];
  if (facts.outcomesAt !== null && facts.outcomesAt > at) [because, at] = ['outcomes', facts.outcomesAt];
  return { kind: 'scheduled', days, deleteAt: at + days * DAY_MS, lastActivityAt: at, because };
}

/** Whether retention deletes the workshop at `now`. */
export function isDue(r: Retention, now: number): boolean {
  return r.kind === 'scheduled' && r.deleteAt < now;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/** What the facilitator reads: "This workshop will be deleted on 3 March 2027, 30 days after …". */
export function retentionWords(r: Retention, timeZone?: string): string {
  const days = plural(r.days, 'day', 'days');
  switch (r.kind) {
    case 'open':
      return `This workshop is kept while it is open. Once you end it, it is deleted ${days} after its last change: to its boards, or an update on what happened to its ideas.`;
    case 'scheduled': {
      const on = longDate(r.deleteAt, timeZone);
      const when = longDate(r.lastActivityAt, timeZone);
      const why =
        r.because === 'ended'
          ? `${days} after it ended (${when})`
          : r.because === 'board'
            ? `${days} after the last change to its boards (${when})`
            : `${days} after the last update on what happened to its ideas (${when})`;
      return `This workshop will be deleted on ${on}, ${why}. Any later change, such as a decision maker's update, moves this date.`;
    }
    default: {
      const never: never = r;
      return never;
    }
  }
}
