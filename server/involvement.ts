// Involvement records: the time of people who ticked "Record my time" when joining, so they can be
// paid or thanked. Attendance is measured from their session sockets: the first socket opens an
// interval, a break (me.away) or leaving closes it at once, and the last socket's disconnect
// closes it at that moment unless a socket comes back within the grace (a dropped signal, a
// reload), so a short gap does not split it. Open intervals are marked as seen every heartbeat; a
// restart closes what was left open where it was last seen. Nothing here reads or writes anything
// a person wrote, and the export names nobody by their display name.
import type { Logger } from 'pino';
import { attendance, checkRecordTime, INVOLVEMENT_TEXT, THANKS_LABEL, type Attendance, type TimeRow } from '../src/lib/domain/involvement';
import { AppError } from '../src/lib/protocol/errors';
import type { InvolvementWithTime, ParticipantRecord, Store } from './persistence/types';
import { KeyedQueue } from './keyed-queue';

export interface InvolvementOptions {
  /** How long after a person's last socket closes their interval waits for them to come back. */
  graceMs: number;
  /** How often open intervals are marked as seen (what a crash can lose at most). */
  heartbeatMs: number;
  now?: () => number;
}

/** A person's own record, as "Your time record" shows it. */
export interface MyTimeRecord {
  name: string;
  choice: InvolvementWithTime['choice'];
  choiceLabel: string;
  /** When they asked for their time to be recorded. */
  since: number;
  /** Here now (an interval is open). */
  here: boolean;
  intervals: { start: number; end: number | null }[];
  attendance: Attendance;
}

/** How late a live process's heartbeat may be (a busy event loop, a slow store) before its intervals count as left open. */
const STALE_MARGIN_MS = 5000;

export class InvolvementService {
  private queue = new KeyedQueue();
  /** Live session sockets per participant. */
  private sockets = new Map<string, number>();
  /** People on a break (me.away) with their sockets still open: not counted until back. */
  private away = new Set<string>();
  /** People whose last socket closed, waiting for the grace to pass: when it closed. */
  private pending = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  /** People with an interval open in the store (for the heartbeat). */
  private open = new Set<string>();
  private heartbeat: NodeJS.Timeout | null = null;
  private now: () => number;
  private stopped = false;

  constructor(
    private store: Store,
    private logger: Logger,
    private options: InvolvementOptions
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Closes what a previous run left open, and starts the heartbeat. */
  async start(): Promise<void> {
    // Only intervals nobody has seen for two heartbeats and a margin: another live server process
    // (sharing this store) marks its own open intervals seen every heartbeat, and they stay open.
    const n = await this.store.involvement.closeStale(this.now() - 2 * this.options.heartbeatMs - STALE_MARGIN_MS);
    if (n) this.logger.info({ intervals: n }, 'closed attendance intervals left open by the last run, where they were last seen');
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Stores someone's "Record my time" (at joining). Refused (400, per field) when the name or choice is missing. */
  async optIn(participant: ParticipantRecord, rawName: unknown, rawChoice: unknown): Promise<void> {
    const checked = checkRecordTime(rawName, rawChoice);
    if (!checked.ok) {
      const [field, message] = Object.entries(checked.errors)[0];
      throw new AppError('invalid_input', message, 400, field);
    }
    await this.store.involvement.add({
      participantId: participant.id,
      workshopId: participant.workshopId,
      name: checked.value.name,
      choice: checked.value.choice,
      createdAt: this.now()
    });
  }

  // ---- attendance, from session control ------------------------------------------------------

  /** A session socket of the person connected. A new socket also ends a break (the page has none after a reload). */
  connected(participantId: string): void {
    this.sockets.set(participantId, (this.sockets.get(participantId) ?? 0) + 1);
    this.away.delete(participantId);
    this.present(participantId);
  }

  disconnected(participantId: string): void {
    const n = (this.sockets.get(participantId) ?? 1) - 1;
    if (n > 0) return void this.sockets.set(participantId, n);
    this.sockets.delete(participantId);
    this.away.delete(participantId);
    if (this.pending.has(participantId)) return;
    const at = this.now();
    const timer = setTimeout(() => {
      this.pending.delete(participantId);
      void this.close(participantId, at);
    }, this.options.graceMs);
    timer.unref();
    this.pending.set(participantId, { at, timer });
  }

  /** A break, or leaving (me.away): the interval closes now. */
  stepAway(participantId: string): void {
    if (this.sockets.has(participantId)) this.away.add(participantId);
    this.cancelPending(participantId);
    void this.close(participantId, this.now());
  }

  /** Back from a break (me.back). */
  back(participantId: string): void {
    this.away.delete(participantId);
    if (this.sockets.has(participantId)) this.present(participantId);
  }

  private present(participantId: string): void {
    if (this.stopped || this.away.has(participantId)) return;
    // Back within the grace: the interval goes on as if they had never gone.
    if (this.cancelPending(participantId)) return;
    if (this.open.has(participantId)) return;
    const at = this.now();
    this.queue
      .run(participantId, async () => {
        // Only for someone who asked: the store refuses anyone without a record.
        if (await this.store.involvement.open(participantId, at)) this.open.add(participantId);
        // One left open by a process that stopped a moment ago (not stale yet at this start), or
        // held by another live process: carried on here, so this process keeps it seen and closes it.
        else if ((await this.store.involvement.get(participantId))?.intervals.some((i) => i.end === null)) this.open.add(participantId);
      })
      .catch((err: unknown) => this.logger.error({ err }, 'could not open an attendance interval'));
  }

  private close(participantId: string, at: number): Promise<void> {
    return this.queue
      .run(participantId, async () => {
        if (!this.open.delete(participantId)) return;
        await this.store.involvement.close(participantId, at);
      })
      .catch((err: unknown) => this.logger.error({ err }, 'could not close an attendance interval'));
  }

  private cancelPending(participantId: string): boolean {
    const p = this.pending.get(participantId);
    if (!p) return false;
    clearTimeout(p.timer);
    this.pending.delete(participantId);
    return true;
  }

  private beat(): void {
    if (!this.open.size) return;
    this.store.involvement
      .seen([...this.open], this.now())
      .catch((err: unknown) => this.logger.error({ err }, 'could not mark attendance as seen'));
  }

  /** Closes every open interval (now, or where its last socket closed), before the store closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    const now = this.now();
    const closing: Promise<void>[] = [];
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      closing.push(this.close(id, p.at));
    }
    this.pending.clear();
    for (const id of [...this.open]) closing.push(this.close(id, now));
    await Promise.all(closing);
  }

  // ---- reading and clearing -------------------------------------------------------------------

  /** A person's own record; refused (404 not_recorded) for someone who did not ask, or cleared it. */
  async mine(participantId: string): Promise<MyTimeRecord> {
    const r = await this.store.involvement.get(participantId);
    if (!r) throw new AppError('not_recorded', INVOLVEMENT_TEXT.notRecorded, 404);
    const now = this.now();
    return {
      name: r.name,
      choice: r.choice,
      choiceLabel: THANKS_LABEL[r.choice],
      since: r.createdAt,
      here: r.intervals.some((i) => i.end === null),
      intervals: r.intervals.map((i) => ({ start: i.start, end: i.end })),
      attendance: attendance(r.intervals, now)
    };
  }

  /** Deletes a person's record and every interval; refused (404 not_recorded) when there is none. */
  async clear(participantId: string): Promise<void> {
    await this.queue.run(participantId, async () => {
      this.open.delete(participantId);
      this.cancelPending(participantId);
      if (!(await this.store.involvement.clear(participantId))) throw new AppError('not_recorded', INVOLVEMENT_TEXT.notRecorded, 404);
    });
  }

  /**
   * The facilitator's export: one row per person who asked, with the name they gave for it (not
   * their display name, so the export cannot be matched to anything they wrote), their role, their
   * choice, and their time within the period. People who did not ask are never in it.
   */
  async rows(workshopId: string, period: { from?: number; to?: number } = {}): Promise<TimeRow[]> {
    const now = this.now();
    const people = new Map((await this.store.people.list(workshopId)).map((p) => [p.id, p]));
    const rows: TimeRow[] = [];
    for (const r of await this.store.involvement.list(workshopId)) {
      const role = people.get(r.participantId)?.role;
      if (!role) continue;
      rows.push({ name: r.name, role, choice: r.choice, ...attendance(r.intervals, now, period) });
    }
    return rows;
  }

  /**
   * A forum's export: every person who asked, in each of the forum's own workshops (not its child
   * forums': their records are theirs), with the workshop's title, in the order the workshops joined.
   */
  async forumRows(forumId: string, period: { from?: number; to?: number } = {}): Promise<(TimeRow & { workshopTitle: string })[]> {
    const out: (TimeRow & { workshopTitle: string })[] = [];
    for (const w of await this.store.forums.workshops(forumId)) {
      const workshop = await this.store.workshops.get(w.workshopId);
      if (!workshop) continue;
      for (const row of await this.rows(workshop.id, period)) out.push({ ...row, workshopTitle: workshop.title });
    }
    return out;
  }
}
