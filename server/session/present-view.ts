// What the present screen (/w/<id>/present) shows, built here for present screens alone: the
// question, how to join (code and QR code), the step and timer, how many people are here and how
// many cards there are, the spotlighted card and a closed vote's results when the facilitator shows
// them. Nothing in it names anyone: no queue, no speaker, no check-in answers, no presence. Built
// only while a present screen of the workshop is open (it reads every board for the count), and at
// most every 300 ms per workshop however much changes.
import type { Logger } from 'pino';
import { currentPhase, PHASE_HELP } from '../../src/lib/domain/facilitation';
import { formatCode } from '../../src/lib/domain/join-code';
import { present as resultsOf } from '../../src/lib/domain/votes';
import { inviteLink } from '../../src/lib/protocol/links';
import { qrDataUrl } from '../../src/lib/server/qr';
import type { PresentView } from '../../src/lib/protocol/session';
import type { Store } from '../persistence/types';
import type { BoardPeer, Notifier } from './ports';
import type { FacilitationStates } from './states';

export class PresentViews {
  private timers = new Map<string, NodeJS.Timeout>();
  /** The last QR code made, per workshop: remade only when the member link changes. */
  private qrCodes = new Map<string, { link: string; qr: string }>();

  constructor(
    private store: Store,
    private states: FacilitationStates,
    private boards: BoardPeer,
    private notifier: () => Notifier | null,
    private logger: Logger,
    /** The address invite links start with (null until the server knows it). */
    private linkBase: () => string | null
  ) {}

  /** Sends the workshop's present screens a fresh view after `delay` ms (several changes share one). */
  schedule(workshopId: string, delay = 300): void {
    // Nobody to show it to: do not read every board for the count.
    if (!this.notifier()?.presentScreens(workshopId)) return;
    const existing = this.timers.get(workshopId);
    if (existing && delay > 0) return;
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.timers.delete(workshopId);
      const notifier = this.notifier();
      if (!notifier?.presentScreens(workshopId)) return;
      this.build(workshopId).then(
        (view) => view && notifier.present(workshopId, view),
        (err) => this.logger.error({ err, workshopId }, 'could not build the present view')
      );
    }, delay);
    timer.unref();
    this.timers.set(workshopId, timer);
  }

  /** The present view as it is now; null when the workshop is gone. */
  async build(workshopId: string): Promise<PresentView | null> {
    const workshop = await this.store.workshops.get(workshopId);
    if (!workshop) return null;
    const state = await this.states.get(workshopId);
    const ended = !!workshop.endedAt;
    const spot = state.spotlight;
    let cards = 0;
    let spotlight: PresentView['spotlight'] = null;
    for (const board of await this.store.workshops.boards(workshopId)) {
      const read = await this.boards.read(board.id, (b) => {
        if (spot?.boardId !== board.id) return { count: b.count(), spotlight: null };
        if (spot.kind === 'lane')
          return { count: b.count(), spotlight: { kind: 'lane' as const, lane: spot.lane, cards: b.count(spot.lane) } };
        const card = b.card(spot.cardId);
        return { count: b.count(), spotlight: card && { kind: 'card' as const, lane: card.lane, text: card.text.toString() } };
      });
      cards += read.count;
      spotlight ??= read.spotlight;
    }
    const phase = currentPhase(state);
    const onScreen = state.onScreen;
    const closed = onScreen ? (await this.store.votes.results(workshopId)).find((v) => v.id === onScreen.voteId) : undefined;
    return {
      workshop: { title: workshop.title, question: workshop.question },
      join: ended ? null : await this.join(workshopId, workshop.code),
      step: {
        number: Math.min(state.phaseIndex, state.phases.length - 1) + 1,
        of: state.phases.length,
        title: phase.title,
        help: PHASE_HELP[phase.kind]
      },
      timer: state.timer,
      serverTime: Date.now(),
      here: this.notifier()?.online(workshopId).size ?? 0,
      cards,
      spotlight,
      results: closed ? resultsOf(closed) : null,
      ended
    };
  }

  /** The code, where to type it, and the member link as a QR code, as the invite page shows them. */
  private async join(workshopId: string, code: string): Promise<PresentView['join']> {
    const base = this.linkBase();
    const invite = (await this.store.people.invites(workshopId)).find((i) => i.role === 'member' && i.revokedAt === null);
    if (!base || !invite) return null;
    const link = inviteLink(base, invite.token);
    let made = this.qrCodes.get(workshopId);
    if (made?.link !== link) {
      made = { link, qr: await qrDataUrl(link) };
      this.qrCodes.set(workshopId, made);
    }
    return { code: formatCode(code), address: `${base}/join`, qr: made.qr };
  }

  forget(workshopId: string): void {
    clearTimeout(this.timers.get(workshopId));
    this.timers.delete(workshopId);
    this.qrCodes.delete(workshopId);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
