// Facilitation: the authority over phases, timer, locks, hands, spotlight, rounds, drafts,
// anonymous cards, moderation and roles. Each command is checked (schema, then role, then the
// domain rule), applied, stored, then broadcast. Board content the server writes (revealed
// drafts, anonymous cards, hidden and restored cards) goes through the sync host as its own peer.
import { createHash, randomInt } from 'node:crypto';
import * as Y from 'yjs';
import type { Logger } from 'pino';
import {
  apply,
  initialState,
  isSilentWriting,
  permitted,
  withoutParticipant,
  type Actor,
  type FacilitationState,
  type PureCommand
} from '../../src/lib/domain/facilitation';
import { orderQueue } from '../../src/lib/domain/queue';
import { ROLES, type Role } from '../../src/lib/domain/roles';
import { cardsOf, getCard, orderBetween, readLanes, type Lane } from '../../src/lib/board/schema';
import type {
  Balance,
  Command,
  CommandError,
  CommandResult,
  FacilitatorView,
  PublicState,
  ServerCommand
} from '../../src/lib/protocol/session';
import type { ParticipantRecord, Store } from '../persistence/types';
import type { SyncHost } from '../sync/host';
import { newRecordId, newToken } from '../tokens';
import { parseCommand } from './commands';
import { inviteLink } from '../origins';

export interface Notifier {
  /** To everyone in the workshop. */
  state(workshopId: string, state: PublicState): void;
  /** To the workshop's facilitators only. */
  facilitator(workshopId: string, view: FacilitatorView): void;
  /** To one participant's sockets. */
  drafts(participantId: string, info: { held: string[]; revealed: string[] }): void;
  role(participant: ParticipantRecord): void;
  removed(participantId: string, message: string): void;
  /** To everyone in the workshop, then their sockets close. */
  workshopGone(workshopId: string, message: string): void;
  online(workshopId: string): Set<string>;
  /** Whether any facilitator of the workshop is connected now. */
  hasFacilitators(workshopId: string): boolean;
}

const fail = (code: CommandError['code'], message: string): CommandResult => ({ ok: false, error: { code, message } });
const done: CommandResult = { ok: true };

/** Card ids for revealed drafts: stable (a retried reveal cannot duplicate) and unlinkable to the author. */
function draftCardId(participantId: string, draftId: string): string {
  return createHash('sha256').update(`${participantId}/${draftId}`).digest('hex').slice(0, 24);
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function countWords(text: string): number {
  const t = text.trim();
  return t ? t.split(/\s+/).length : 0;
}

export class Facilitation {
  private states = new Map<string, FacilitationState>();
  private notifier: Notifier | null = null;
  private viewTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private store: Store,
    private sync: () => SyncHost,
    private logger: Logger,
    private linkBase: () => string | null
  ) {}

  attach(notifier: Notifier): void {
    this.notifier = notifier;
  }

  state(workshopId: string): FacilitationState {
    let state = this.states.get(workshopId);
    if (state) return state;
    const json = this.store.getFacilitationState(workshopId);
    state = initialState();
    if (json) {
      try {
        state = { ...state, ...(JSON.parse(json) as FacilitationState) };
      } catch (err) {
        this.logger.error({ err, workshopId }, 'stored facilitation state is unreadable; starting fresh');
      }
    }
    this.states.set(workshopId, state);
    return state;
  }

  isLocked(boardId: string, workshopId: string): boolean {
    return this.state(workshopId).lockedBoards.includes(boardId);
  }

  private save(workshopId: string, state: FacilitationState, participants?: ParticipantRecord[]): void {
    this.store.saveFacilitationState(workshopId, JSON.stringify(state));
    this.states.set(workshopId, state);
    this.notifier?.state(workshopId, this.publicState(workshopId, participants));
    this.scheduleFacilitatorView(workshopId);
  }

  publicState(workshopId: string, participants = this.store.listParticipants(workshopId)): PublicState {
    const s = this.state(workshopId);
    const people = new Map(participants.map((p) => [p.id, p]));
    const roles = rolesOf(participants);
    const named = (participantId: string) => ({ participantId, name: people.get(participantId)?.name ?? 'Someone' });
    return {
      phases: s.phases,
      phaseIndex: s.phaseIndex,
      timer: s.timer,
      lockedBoards: s.lockedBoards,
      settings: s.settings,
      queue: orderQueue(s.hands, { calledCounts: s.calledCounts, roles, decisionMakersAfterMembers: s.settings.decisionMakersAfterMembers }).map((h) =>
        named(h.participantId)
      ),
      speaking: s.speaking ? named(s.speaking) : null,
      spotlight: s.spotlight,
      round: s.round,
      ended: !!this.store.getWorkshop(workshopId)?.endedAt,
      serverTime: Date.now()
    };
  }

  /** Handles one command from a participant's socket. Never throws. */
  handle(participantId: string, raw: unknown): CommandResult {
    const parsed = parseCommand(raw);
    if (!parsed.ok) return fail(parsed.unknown ? 'unknown_command' : 'invalid_payload', parsed.message);
    const participant = this.store.getParticipant(participantId);
    if (!participant || participant.removedAt !== null) {
      return fail('forbidden', 'You are no longer in this workshop.');
    }
    const command = parsed.command;
    if (!permitted(participant.role, command.type)) {
      return fail('forbidden', participant.role === 'observer' ? 'Observers watch only.' : 'Only the facilitator can do that.');
    }
    try {
      return this.dispatch(participant, command);
    } catch (err) {
      this.logger.error({ err, type: command.type }, 'command failed');
      return fail('server_error', 'Something went wrong on the server. Try again.');
    }
  }

  private dispatch(participant: ParticipantRecord, command: Command): CommandResult {
    const workshopId = participant.workshopId;
    const actor: Actor = { participantId: participant.id, name: participant.name, role: participant.role };
    if (isServerCommand(command)) return this.serverCommand(participant, command);
    if ((command.type === 'board.lock' || command.type === 'spotlight.set') && !this.boardInWorkshop(command.type === 'board.lock' ? command.boardId : command.target?.boardId, workshopId)) {
      return fail('invalid_payload', 'That board is not part of this workshop.');
    }
    // One read of the people serves both the rule (queue order by role) and the broadcast (names).
    const participants = this.store.listParticipants(workshopId);
    const result = apply(this.state(workshopId), command as PureCommand, actor, Date.now(), rolesOf(participants));
    if (!result.ok) return fail(result.code, result.message);
    this.save(workshopId, result.state, participants);
    if (command.type === 'board.lock' && !command.locked) this.sync().resyncRefused(command.boardId);
    return done;
  }

  private boardInWorkshop(boardId: string | undefined, workshopId: string): boolean {
    if (boardId === undefined) return true;
    return this.store.getBoard(boardId)?.workshopId === workshopId;
  }

  private serverCommand(participant: ParticipantRecord, command: ServerCommand): CommandResult {
    const workshopId = participant.workshopId;
    switch (command.type) {
      case 'participant.setRole': {
        const target = this.store.getParticipant(command.participantId);
        if (!target || target.workshopId !== workshopId || target.removedAt !== null) return fail('invalid_payload', 'That person is not in this workshop.');
        if (target.id === participant.id && command.role !== 'facilitator' && !this.anotherFacilitator(workshopId, participant.id)) {
          return fail('not_allowed_now', 'You are the only facilitator. Make someone else a facilitator first.');
        }
        this.store.setParticipantRole(target.id, command.role);
        const updated = { ...target, role: command.role };
        this.sync().updateParticipant(updated);
        this.notifier?.role(updated);
        this.save(workshopId, this.state(workshopId));
        return done;
      }
      case 'participant.remove': {
        const target = this.store.getParticipant(command.participantId);
        if (!target || target.workshopId !== workshopId || target.removedAt !== null) return fail('invalid_payload', 'That person is not in this workshop.');
        if (target.id === participant.id) return fail('not_allowed_now', 'You cannot remove yourself.');
        this.store.removeParticipant(target.id, Date.now());
        this.sync().closeParticipant(target.id, 'removed');
        this.notifier?.removed(target.id, 'The facilitator has removed you from this workshop.');
        this.save(workshopId, withoutParticipant(this.state(workshopId), target.id));
        return done;
      }
      case 'invite.renew': {
        const now = Date.now();
        for (const invite of this.store.listInvites(workshopId)) {
          if (invite.role === command.role && invite.revokedAt === null) this.store.revokeInvite(invite.token, now);
        }
        this.store.addInvite({ token: newToken(), workshopId, role: command.role, createdAt: now, revokedAt: null });
        this.scheduleFacilitatorView(workshopId, 0);
        return done;
      }
      case 'card.hide': {
        if (!this.boardInWorkshop(command.boardId, workshopId)) return fail('invalid_payload', 'That board is not part of this workshop.');
        const hidden = this.sync().editBoard(command.boardId, workshopId, (doc) => {
          const card = getCard(doc, command.cardId);
          if (!card) return false;
          this.store.hideCard({
            boardId: command.boardId,
            cardId: command.cardId,
            lane: card.lane,
            text: card.text.toString(),
            reason: command.reason,
            hiddenAt: Date.now()
          });
          cardsOf(doc).delete(command.cardId);
          return true;
        });
        if (!hidden) return fail('invalid_payload', 'That card is not on the board.');
        const state = this.state(workshopId);
        if (state.spotlight?.kind === 'card' && state.spotlight.cardId === command.cardId) this.save(workshopId, { ...state, spotlight: null });
        this.scheduleFacilitatorView(workshopId, 0);
        return done;
      }
      case 'card.restore': {
        const hidden = this.store.getHiddenCard(command.boardId, command.cardId);
        if (!hidden || !this.boardInWorkshop(command.boardId, workshopId)) return fail('invalid_payload', 'That card is not hidden.');
        this.sync().editBoard(command.boardId, workshopId, (doc) => {
          const lane = hidden.lane as Lane;
          this.writeCard(doc, command.cardId, lane, hidden.text, false);
        });
        this.store.deleteHiddenCard(command.boardId, command.cardId);
        this.scheduleFacilitatorView(workshopId, 0);
        return done;
      }
      case 'card.addAnonymous': {
        const state = this.state(workshopId);
        if (!this.boardInWorkshop(command.boardId, workshopId)) return fail('invalid_payload', 'That board is not part of this workshop.');
        if (state.settings.anonymousCards === 'off') return fail('not_allowed_now', 'Anonymous cards are turned off in this workshop.');
        if (isSilentWriting(state)) return fail('not_allowed_now', 'During silent writing your cards stay private until they are shown.');
        if (participant.role !== 'facilitator' && state.lockedBoards.includes(command.boardId)) return fail('not_allowed_now', 'The board is locked.');
        // Written by the server's own peer: no client id, presence or event ties it to the author.
        this.sync().editBoard(command.boardId, workshopId, (doc) => this.writeCard(doc, newRecordId(), command.lane, command.text, true));
        return done;
      }
      case 'draft.save': {
        const state = this.state(workshopId);
        if (!this.boardInWorkshop(command.boardId, workshopId)) return fail('invalid_payload', 'That board is not part of this workshop.');
        const anonymous = state.settings.anonymousCards === 'always' || (state.settings.anonymousCards === 'optional' && command.anonymous);
        if (!isSilentWriting(state)) {
          // The reveal happened while this device was offline: the draft joins the board now.
          if (command.text.trim()) this.revealDrafts(workshopId, command.boardId, [{ participantId: participant.id, draftId: command.draftId, lane: command.lane, text: command.text, anonymous }]);
          this.notifier?.drafts(participant.id, { held: this.heldDrafts(participant.id), revealed: [command.draftId] });
          return done;
        }
        this.store.saveDraft({
          participantId: participant.id,
          draftId: command.draftId,
          workshopId,
          boardId: command.boardId,
          lane: command.lane,
          text: command.text,
          anonymous,
          updatedAt: Date.now()
        });
        this.notifier?.drafts(participant.id, { held: this.heldDrafts(participant.id), revealed: [] });
        this.scheduleFacilitatorView(workshopId);
        return done;
      }
      case 'draft.delete':
        this.store.deleteDraft(participant.id, command.draftId);
        this.notifier?.drafts(participant.id, { held: this.heldDrafts(participant.id), revealed: [] });
        return done;
      case 'drafts.reveal': {
        if (!this.boardInWorkshop(command.boardId, workshopId)) return fail('invalid_payload', 'That board is not part of this workshop.');
        const drafts = this.store.listDrafts(command.boardId).filter((d) => d.text.trim());
        this.revealDrafts(workshopId, command.boardId, drafts);
        const empty = this.store.listDrafts(command.boardId);
        this.store.deleteDrafts(empty);
        const byAuthor = new Map<string, string[]>();
        for (const d of empty) byAuthor.set(d.participantId, [...(byAuthor.get(d.participantId) ?? []), d.draftId]);
        for (const [author, ids] of byAuthor) this.notifier?.drafts(author, { held: [], revealed: ids });
        this.scheduleFacilitatorView(workshopId, 0);
        return done;
      }
      case 'facilitator.refresh':
        this.scheduleFacilitatorView(workshopId, 0);
        return done;
      case 'workshop.end': {
        this.store.endWorkshop(workshopId, Date.now());
        const boards = this.store.listBoards(workshopId).map((b) => b.id);
        this.save(workshopId, { ...this.state(workshopId), lockedBoards: boards, hands: [], speaking: null });
        return done;
      }
      case 'workshop.delete':
        void this.deleteWorkshop(workshopId, 'The facilitator has deleted this workshop and everything in it.');
        return done;
      case 'me.forget':
        this.forget(participant);
        return done;
      default: {
        const never: never = command;
        return never;
      }
    }
  }

  /**
   * Puts drafts on the board all at once, in a random order, with one timestamp, written by the
   * server's peer: nothing in the board shows who wrote which card or when.
   */
  private revealDrafts(
    workshopId: string,
    boardId: string,
    drafts: { participantId: string; draftId: string; lane: string; text: string; anonymous: boolean }[]
  ): void {
    if (!drafts.length) return;
    this.sync().editBoard(boardId, workshopId, (doc, room) => {
      const now = Date.now();
      for (const d of shuffle(drafts)) {
        const cardId = draftCardId(d.participantId, d.draftId);
        this.writeCard(doc, cardId, d.lane as Lane, d.text, d.anonymous, now);
        if (!d.anonymous) room.attribute(cardId, d.participantId);
      }
    });
  }

  private writeCard(doc: Y.Doc, cardId: string, lane: Lane, text: string, anonymous: boolean, createdAt = Date.now()): void {
    const siblings = readLanes(doc)[lane];
    const card = new Y.Map<unknown>();
    card.set('lane', lane);
    card.set('order', orderBetween(siblings[siblings.length - 1]?.order ?? null, null));
    card.set('text', new Y.Text(text));
    card.set('createdAt', createdAt);
    if (anonymous) card.set('anonymous', true);
    cardsOf(doc).set(cardId, card);
  }

  /**
   * Deletes a workshop and everything in it, from memory and from the database file. Resolves
   * once the write-ahead log holds no copy of the deleted pages either; never rejects (a failure
   * to empty the log is logged, and the next checkpoint overwrites them).
   */
  deleteWorkshop(workshopId: string, message: string): Promise<void> {
    const boards = this.store.listBoards(workshopId).map((b) => b.id);
    this.notifier?.workshopGone(workshopId, message);
    this.sync().dropBoards(boards);
    this.store.deleteWorkshop(workshopId);
    this.states.delete(workshopId);
    clearTimeout(this.viewTimers.get(workshopId));
    this.viewTimers.delete(workshopId);
    // Empty the write-ahead log too, so no copy of the deleted pages is left in it.
    return this.store.checkpoint().catch((err) => {
      this.logger.error({ err, workshopId }, 'could not empty the write-ahead log after a deletion');
    });
  }

  /**
   * A participant's "remove my name and my cards": deletes the cards recorded as theirs, their
   * drafts and their name, and ends their session. Cards posted without a name cannot be found,
   * because nothing records who wrote them.
   */
  private forget(participant: ParticipantRecord): void {
    const workshopId = participant.workshopId;
    const mine = this.store.listCardAuthors(workshopId).filter((a) => a.participantId === participant.id);
    for (const board of this.store.listBoards(workshopId)) {
      const ids = mine.filter((a) => a.boardId === board.id).map((a) => a.cardId);
      if (!ids.length) continue;
      this.sync().editBoard(board.id, workshopId, (doc) => {
        for (const id of ids) cardsOf(doc).delete(id);
      });
    }
    const state = withoutParticipant(this.state(workshopId), participant.id);
    const { [participant.id]: _forgotten, ...calledCounts } = state.calledCounts;
    const round = state.round && {
      ...state.round,
      answers: state.round.answers.map((a) => (a.name === participant.name ? { ...a, name: null } : a))
    };
    this.sync().closeParticipant(participant.id, 'removed');
    this.notifier?.removed(participant.id, 'Your name and your cards have been removed. Thank you for taking part.');
    this.store.deleteParticipant(participant.id);
    this.save(workshopId, { ...state, calledCounts, round });
  }

  /** Deletes workshops that ended more than `days` ago. Returns how many. */
  sweepRetention(days: number, now = Date.now()): number {
    const ids = this.store.listEndedBefore(now - days * 24 * 3600_000);
    for (const id of ids) void this.deleteWorkshop(id, 'This workshop has ended and its data has been deleted.');
    return ids.length;
  }

  private heldDrafts(participantId: string): string[] {
    return this.store.listDraftsOf(participantId).map((d) => d.draftId);
  }

  private anotherFacilitator(workshopId: string, except: string): boolean {
    return this.store.listParticipants(workshopId).some((p) => p.id !== except && p.role === 'facilitator' && p.removedAt === null);
  }

  /** A participant left or came back: facilitators' roster changes. */
  presenceChanged(workshopId: string): void {
    this.scheduleFacilitatorView(workshopId);
  }

  private scheduleFacilitatorView(workshopId: string, delay = 300): void {
    if (!this.notifier) return;
    const existing = this.viewTimers.get(workshopId);
    if (existing && delay > 0) return;
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.viewTimers.delete(workshopId);
      // Nobody to show it to: do not read every board for the balance.
      if (!this.notifier?.hasFacilitators(workshopId)) return;
      try {
        this.notifier?.facilitator(workshopId, this.facilitatorView(workshopId));
      } catch (err) {
        this.logger.error({ err, workshopId }, 'could not build the facilitator view');
      }
    }, delay);
    timer.unref();
    this.viewTimers.set(workshopId, timer);
  }

  facilitatorView(workshopId: string): FacilitatorView {
    const online = this.notifier?.online(workshopId) ?? new Set<string>();
    const participants = this.store.listParticipants(workshopId).filter((p) => p.removedAt === null);
    const base = this.linkBase();
    const links: FacilitatorView['links'] = {};
    if (base) for (const i of this.store.listInvites(workshopId)) if (i.revokedAt === null) links[i.role] = inviteLink(base, i.token);
    return {
      roster: participants.map((p) => ({ id: p.id, name: p.name, role: p.role, online: online.has(p.id) })),
      balance: this.balance(workshopId, participants),
      hidden: this.store.listHiddenCards(workshopId).map((h) => ({ ...h, lane: h.lane as Lane })),
      links
    };
  }

  /** Contributions per person and per role group. Anonymous cards are counted in total only. */
  balance(workshopId: string, participants: ParticipantRecord[]): Balance {
    const state = this.state(workshopId);
    const authors = new Map(this.store.listCardAuthors(workshopId).map((a) => [`${a.boardId}/${a.cardId}`, a.participantId]));
    const cards = new Map<string, number>();
    const words = new Map<string, number>();
    let anonymousCards = 0;
    for (const board of this.store.listBoards(workshopId)) {
      this.sync().readBoard(board.id, workshopId, (doc) => {
        cardsOf(doc).forEach((value, cardId) => {
          if (!(value instanceof Y.Map)) return;
          if (value.get('anonymous') === true) {
            anonymousCards++;
            return;
          }
          const author = authors.get(`${board.id}/${cardId}`);
          const text = value.get('text');
          if (!author) return;
          cards.set(author, (cards.get(author) ?? 0) + 1);
          words.set(author, (words.get(author) ?? 0) + (text instanceof Y.Text ? countWords(text.toString()) : 0));
        });
      });
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

  close(): void {
    for (const t of this.viewTimers.values()) clearTimeout(t);
    this.viewTimers.clear();
  }
}

function rolesOf(participants: ParticipantRecord[]): Record<string, Role> {
  return Object.fromEntries(participants.map((p) => [p.id, p.role]));
}

const SERVER_COMMANDS = new Set<string>([
  'participant.setRole', 'participant.remove', 'invite.renew', 'card.hide', 'card.restore', 'card.addAnonymous',
  'draft.save', 'draft.delete', 'drafts.reveal', 'facilitator.refresh', 'workshop.end', 'workshop.delete', 'me.forget'
]);

function isServerCommand(command: Command): command is ServerCommand {
  return SERVER_COMMANDS.has(command.type);
}
