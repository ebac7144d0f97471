// Each workshop's facilitation state (phases, timer, locks, hands, spotlight, rounds): loaded once,
// cached, saved with compare-and-set on its version, and broadcast to everyone after each change.
// Commands for one workshop run one at a time (exclusive), so their order is the order the server
// took them in, and no two of them save over each other.
import type { Logger } from 'pino';
import { initialState, publicRound, type FacilitationState } from '../../src/lib/domain/facilitation';
import { orderQueue } from '../../src/lib/domain/queue';
import type { Role } from '../../src/lib/domain/roles';
import type { PublicConsent, PublicState, PublicVote } from '../../src/lib/protocol/session';
import { VersionConflict, type ParticipantRecord, type Store } from '../persistence/types';
import type { Notifier } from './ports';
import { KeyedQueue } from '../keyed-queue';

interface Cached {
  state: FacilitationState;
  version: number;
}

export function rolesOf(participants: ParticipantRecord[]): Record<string, Role> {
  return Object.fromEntries(participants.map((p) => [p.id, p.role]));
}

export class FacilitationStates {
  private cache = new Map<string, Cached>();
  private loading = new Map<string, Promise<Cached>>();
  private turns = new KeyedQueue();
  /** Told after every stored save (with several processes, the others refresh: see refresh()). */
  onStored: (workshopId: string) => void = () => undefined;
  /** Told after every save, to refresh the facilitators' view. */
  onSaved: (workshopId: string) => void = () => undefined;
  /** The open votes' public facts (turnout.ts), for `state`. */
  openVotes: (workshopId: string, participants: ParticipantRecord[]) => Promise<PublicVote[]> = () => Promise.resolve([]);
  /** The open consent rounds' public facts (turnout.ts), for `state`. */
  openConsent: (workshopId: string, participants: ParticipantRecord[]) => Promise<PublicConsent[]> = () => Promise.resolve([]);

  constructor(
    private store: Store,
    private logger: Logger,
    private notifier: () => Notifier | null
  ) {}

  /** Runs `task` after every earlier task of this workshop has finished (one at a time). */
  exclusive<T>(workshopId: string, task: () => Promise<T>): Promise<T> {
    return this.turns.run(workshopId, task);
  }

  /** Loads a workshop's state into memory (before its first board connection: see isLocked). */
  async ready(workshopId: string): Promise<void> {
    await this.entry(workshopId);
  }

  private entry(workshopId: string): Promise<Cached> {
    const cached = this.cache.get(workshopId);
    if (cached) return Promise.resolve(cached);
    let loading = this.loading.get(workshopId);
    if (!loading) {
      loading = this.load(workshopId).finally(() => this.loading.delete(workshopId));
      this.loading.set(workshopId, loading);
    }
    return loading;
  }

  private async load(workshopId: string): Promise<Cached> {
    const entry = await this.read(workshopId);
    this.cache.set(workshopId, entry);
    return entry;
  }

  private async read(workshopId: string): Promise<Cached> {
    const stored = await this.store.facilitation.get(workshopId);
    let state = initialState();
    if (stored) {
      try {
        state = { ...state, ...(JSON.parse(stored.json) as FacilitationState) };
      } catch (err) {
        this.logger.error({ err, workshopId }, 'stored facilitation state is unreadable; starting fresh');
      }
    }
    return { state, version: stored?.version ?? 0 };
  }

  async get(workshopId: string): Promise<FacilitationState> {
    return (await this.entry(workshopId)).state;
  }

  /** Whether a board is locked, from memory (false until the workshop's state is ready). */
  isLocked(boardId: string, workshopId: string): boolean {
    return this.cache.get(workshopId)?.state.lockedBoards.includes(boardId) ?? false;
  }

  /** Saves a new state (compare-and-set on the version read), then tells everyone. */
  async save(workshopId: string, state: FacilitationState, participants?: ParticipantRecord[]): Promise<void> {
    const entry = await this.entry(workshopId);
    try {
      entry.version = await this.store.facilitation.save(workshopId, JSON.stringify(state), entry.version);
    } catch (err) {
      // Another writer (another server process) saved first: take theirs, and refuse this one.
      // Read into the entry rather than emptying the cache, so isLocked never answers from nothing.
      if (err instanceof VersionConflict) {
        const fresh = await this.read(workshopId).catch(() => null);
        if (fresh) Object.assign(entry, fresh);
        else this.cache.delete(workshopId);
      }
      throw err;
    }
    entry.state = state;
    this.onStored(workshopId);
    await this.publish(workshopId, participants);
    this.onSaved(workshopId);
  }

  /** Tells everyone the public state as it is now (after a save, or a change kept elsewhere: votes). */
  async publish(workshopId: string, participants?: ParticipantRecord[]): Promise<void> {
    const notifier = this.notifier();
    if (notifier) notifier.state(workshopId, await this.publicState(workshopId, participants));
  }

  async publicState(workshopId: string, participants?: ParticipantRecord[]): Promise<PublicState> {
    const s = await this.get(workshopId);
    const people = participants ?? (await this.store.people.list(workshopId));
    const byId = new Map(people.map((p) => [p.id, p]));
    const named = (participantId: string) => ({ participantId, name: byId.get(participantId)?.name ?? 'Someone' });
    const ended = !!(await this.store.workshops.get(workshopId))?.endedAt;
    return {
      phases: s.phases,
      phaseIndex: s.phaseIndex,
      timer: s.timer,
      lockedBoards: s.lockedBoards,
      settings: s.settings,
      queue: orderQueue(s.hands, {
        calledCounts: s.calledCounts,
        roles: rolesOf(people),
        decisionMakersAfterMembers: s.settings.decisionMakersAfterMembers
      }).map((h) => named(h.participantId)),
      speaking: s.speaking ? named(s.speaking) : null,
      spotlight: s.spotlight,
      onScreen: s.onScreen,
      round: publicRound(s.round, ended),
      ended,
      votes: await this.openVotes(workshopId, people),
      consent: await this.openConsent(workshopId, people),
      serverTime: Date.now()
    };
  }

  /**
   * Another process stored a new state for this workshop: read it again (in the workshop's turn,
   * so no command here is half-way through it). Resolves with the boards it unlocked.
   */
  refresh(workshopId: string): Promise<string[]> {
    if (!this.cache.has(workshopId)) return Promise.resolve([]);
    return this.exclusive(workshopId, async () => {
      // Read into the cached entry, never through an empty cache: isLocked answers from it
      // meanwhile, and must not say "unlocked" while the state is being read.
      const fresh = await this.read(workshopId);
      const entry = this.cache.get(workshopId);
      if (!entry || fresh.version < entry.version) return [];
      const before = entry.state.lockedBoards;
      entry.state = fresh.state;
      entry.version = fresh.version;
      return before.filter((id) => !fresh.state.lockedBoards.includes(id));
    });
  }

  /** The workshops whose state is cached (to refresh them all after Redis was away). */
  cached(): string[] {
    return [...this.cache.keys()];
  }

  /** A workshop was deleted: forget its state. */
  forget(workshopId: string): void {
    this.cache.delete(workshopId);
  }
}
