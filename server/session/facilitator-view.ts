// The facilitators' own view: who is here, who has had a say (the participation balance), the
// hidden and removed cards and the invite links (and the present link). Built only when a facilitator is connected (it reads every
// board), and at most every 300 ms per workshop however much changes.
import type { Logger } from 'pino';
import { snapshotSummary } from '../../src/lib/board/schema';
import { inviteLink, presentLink } from '../../src/lib/protocol/links';
import { ROLES } from '../../src/lib/domain/roles';
import type { Balance, FacilitatorView } from '../../src/lib/protocol/session';
import type { ParticipantRecord, Store } from '../persistence/types';
import type { BoardPeer, Notifier } from './ports';
import type { FacilitationStates } from './states';
import { removedView } from './removed';

function countWords(text: string): number {
  const t = text.trim();
  return t ? t.split(/\s+/).length : 0;
}

export class FacilitatorViews {
  private timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private store: Store,
    private states: FacilitationStates,
    private boards: BoardPeer,
    private notifier: () => Notifier | null,
    private logger: Logger,
    /** The address invite links start with (null until the server knows it). */
    private linkBase: () => string | null
  ) {}

  /** Sends the facilitators a fresh view after `delay` ms (several changes share one). */
  schedule(workshopId: string, delay = 300): void {
    if (!this.notifier()) return;
    const existing = this.timers.get(workshopId);
    if (existing && delay > 0) return;
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.timers.delete(workshopId);
      const notifier = this.notifier();
      // Nobody to show it to: do not read every board for the balance.
      if (!notifier?.hasFacilitators(workshopId)) return;
      this.build(workshopId).then(
        (view) => notifier.facilitator(workshopId, view),
        (err) => this.logger.error({ err, workshopId }, 'could not build the facilitator view')
      );
    }, delay);
    timer.unref();
    this.timers.set(workshopId, timer);
  }

  async build(workshopId: string): Promise<FacilitatorView> {
    const online = this.notifier()?.online(workshopId) ?? new Set<string>();
    const participants = (await this.store.people.list(workshopId)).filter((p) => p.removedAt === null);
    const base = this.linkBase();
    const links: FacilitatorView['links'] = {};
    if (base) {
      for (const i of await this.store.people.invites(workshopId)) if (i.revokedAt === null) links[i.role] = inviteLink(base, i.token);
      const present = await this.store.present.current(workshopId);
      if (present) links.present = presentLink(base, present.token);
    }
    const hidden = await this.store.moderation.list(workshopId);
    return {
      roster: participants.map((p) => ({
        id: p.id,
        name: p.name,
        role: p.role,
        online: online.has(p.id),
        representative: p.representative ?? false
      })),
      balance: await this.balance(workshopId, participants),
      hidden: hidden.map((h) => ({
        boardId: h.boardId,
        cardId: h.cardId,
        reason: h.reason,
        hiddenAt: h.hiddenAt,
        ...snapshotSummary(h.card)
      })),
      removed: removedView(await this.store.removed.list(workshopId)),
      links
    };
  }

  /** Contributions per person and per role group. Anonymous cards are counted in total only. */
  async balance(workshopId: string, participants: ParticipantRecord[]): Promise<Balance> {
    const state = await this.states.get(workshopId);
    const authors = new Map((await this.store.boards.authors(workshopId)).map((a) => [`${a.boardId}/${a.cardId}`, a.participantId]));
    const cards = new Map<string, number>();
    const words = new Map<string, number>();
    let anonymousCards = 0;
    for (const board of await this.store.workshops.boards(workshopId)) {
      const facts = await this.boards.read(board.id, (b) => b.facts());
      for (const card of facts) {
        if (card.anonymous) {
          anonymousCards++;
          continue;
        }
        const author = authors.get(`${board.id}/${card.id}`);
        if (!author) continue;
        cards.set(author, (cards.get(author) ?? 0) + 1);
        words.set(author, (words.get(author) ?? 0) + countWords(card.text));
      }
    }
    const people = participants.map((p) => {
      const c = cards.get(p.id) ?? 0;
      const w = words.get(p.id) ?? 0;
      const turns = state.calledCounts[p.id] ?? 0;
      return { id: p.id, name: p.name, role: p.role, cards: c, words: w, turns, notYet: c === 0 && turns === 0 && p.role !== 'observer' };
    });
    const groups = ROLES.map((role) => {
      const inRole = people.filter((p) => p.role === role);
      return {
        role,
        people: inRole.length,
        cards: inRole.reduce((n, p) => n + p.cards, 0),
        words: inRole.reduce((n, p) => n + p.words, 0),
        turns: inRole.reduce((n, p) => n + p.turns, 0)
      };
    }).filter((g) => g.people > 0);
    return { people, groups, anonymousCards };
  }

  forget(workshopId: string): void {
    clearTimeout(this.timers.get(workshopId));
    this.timers.delete(workshopId);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
