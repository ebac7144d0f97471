// Turnout of open votes and consent rounds as everyone sees it ('7 of 9 members have voted'), and
// their public facts in `state`. Turnout is public by design, but the moment each person votes is not:
// a state sent the moment someone's first vote lands would say when they voted, and one sent per
// vote would say how often. So turnout is published only at turnout moments (multiples of
// LIMIT_RELEASE_WINDOW_MS on the server's clock, as for release moments), once for everything that
// changed since the last; a vote that changes nobody's turnout (a second vote, a move) sends
// nothing to anyone but the voter. Every `state` in between, whatever causes it, carries the
// turnout published at the last moment, so no other command can be used to watch it change.
import type { Logger } from 'pino';
import { turnout } from '../../src/lib/domain/votes';
import type { PublicConsent, PublicVote } from '../../src/lib/protocol/session';
import type { ConsentRecord, ParticipantRecord, Store, VoteRecord } from '../persistence/types';
import type { FacilitationStates } from './states';

interface Published {
  workshopId: string;
  voters: ReadonlySet<string>;
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((x) => b.has(x));

export function publicVote(v: VoteRecord, voters: ReadonlySet<string>, people: ParticipantRecord[]): PublicVote {
  return {
    id: v.id,
    boardId: v.boardId,
    on: v.subject,
    items: [...v.items],
    votesPerPerson: v.votesPerPerson,
    maxPerItem: v.maxPerItem,
    openedAt: v.openedAt,
    turnout: turnout(voters, people)
  };
}

export function publicConsent(r: ConsentRecord, voters: ReadonlySet<string>, people: ParticipantRecord[]): PublicConsent {
  return { id: r.id, boardId: r.boardId, points: r.points.map((p) => ({ ...p })), openedAt: r.openedAt, turnout: turnout(voters, people) };
}

/** Votes and consent rounds are tracked alike, under keys that say which. */
const voteKey = (id: string) => `vote:${id}`;
const consentKey = (id: string) => `consent:${id}`;

export class Turnout {
  /** Who had voted (or answered) at the last turnout moment, by vote or round key. */
  private published = new Map<string, Published>();
  /** The next moment of each workshop with changes waiting. */
  private timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private store: Store,
    private states: FacilitationStates,
    /** LIMIT_RELEASE_WINDOW_MS; 0 publishes at once. */
    private windowMs: number,
    private logger: Logger,
    private now: () => number = Date.now
  ) {}

  /** The next turnout moment after `t`: a multiple of the window on the server's clock. */
  momentFor(t: number): number {
    if (this.windowMs <= 0) return t;
    return (Math.floor(t / this.windowMs) + 1) * this.windowMs;
  }

  /** A workshop's open votes as everyone may see them, with the turnout of the last moment. */
  async openVotes(workshopId: string, people: ParticipantRecord[]): Promise<PublicVote[]> {
    const out: PublicVote[] = [];
    for (const v of await this.store.votes.openIn(workshopId)) {
      out.push(publicVote(v, await this.votersOf(voteKey(v.id), v.workshopId, () => this.store.votes.voters(v.id)), people));
    }
    return out;
  }

  /** A workshop's open consent rounds as everyone may see them, with the turnout of the last moment. */
  async openConsent(workshopId: string, people: ParticipantRecord[]): Promise<PublicConsent[]> {
    const out: PublicConsent[] = [];
    for (const r of await this.store.consent.openIn(workshopId)) {
      out.push(publicConsent(r, await this.votersOf(consentKey(r.id), r.workshopId, () => this.store.consent.voters(r.id)), people));
    }
    return out;
  }

  private async votersOf(key: string, workshopId: string, load: () => Promise<string[]>): Promise<ReadonlySet<string>> {
    let p = this.published.get(key);
    if (!p) {
      // First seen since the server started: the turnout as stored is the one to show.
      p = { workshopId, voters: new Set(await load()) };
      this.published.set(key, p);
    }
    return p.voters;
  }

  opened(vote: VoteRecord): void {
    this.published.set(voteKey(vote.id), { workshopId: vote.workshopId, voters: new Set() });
  }

  closed(voteId: string): void {
    this.published.delete(voteKey(voteId));
  }

  openedConsent(round: ConsentRecord): void {
    this.published.set(consentKey(round.id), { workshopId: round.workshopId, voters: new Set() });
  }

  closedConsent(consentId: string): void {
    this.published.delete(consentKey(consentId));
  }

  /** Someone's turnout changed (first vote, or last one taken back): publish it at the next moment. */
  changed(workshopId: string): void {
    if (this.timers.has(workshopId)) return;
    const now = this.now();
    const timer = setTimeout(
      () => {
        this.timers.delete(workshopId);
        this.publish(workshopId);
      },
      this.momentFor(now) - now
    );
    timer.unref();
    this.timers.set(workshopId, timer);
  }

  /** In the workshop's turn, so this state is never older than one a command sends. */
  private publish(workshopId: string): void {
    this.states
      .exclusive(workshopId, async () => {
        let changed = false;
        const track = (key: string, voters: Set<string>) => {
          const before = this.published.get(key)?.voters;
          if (!before || !sameSet(before, voters)) changed = true;
          this.published.set(key, { workshopId, voters });
        };
        for (const v of await this.store.votes.openIn(workshopId)) track(voteKey(v.id), new Set(await this.store.votes.voters(v.id)));
        for (const r of await this.store.consent.openIn(workshopId))
          track(consentKey(r.id), new Set(await this.store.consent.voters(r.id)));
        if (changed) await this.states.publish(workshopId);
      })
      .catch((err: unknown) => this.logger.error({ err, workshopId }, 'could not publish the turnout of a vote or consent round'));
  }

  /** A workshop was deleted: forget its votes and rounds. */
  forget(workshopId: string): void {
    clearTimeout(this.timers.get(workshopId));
    this.timers.delete(workshopId);
    for (const [id, p] of this.published) if (p.workshopId === workshopId) this.published.delete(id);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
