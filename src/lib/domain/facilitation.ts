// Facilitation state and its rules, pure: apply(state, command, actor, now) -> result.
// The socket.io handler authorises, applies, stores and broadcasts; nothing here does I/O.
import type { Lane } from '../board/schema';
import { permitted } from '../protocol/commands';
import { orderQueue, type RaisedHand } from './queue';
import type { Role } from './roles';
import { addMinute, idleTimer, MAX_TIMER_MS, pauseTimer, resetTimer, startTimer, type TimerState } from './timer';

export const PHASE_KINDS = ['welcome', 'question', 'silent', 'share', 'discuss', 'group', 'vote', 'agree', 'other'] as const;
export type PhaseKind = (typeof PHASE_KINDS)[number];

export interface Phase {
  kind: PhaseKind;
  title: string;
}

/** What each phase asks of people, in plain words, shown under the phase name. */
export const PHASE_HELP: Record<PhaseKind, string> = {
  welcome: 'Say hello. Get settled. There are no wrong answers today.',
  question: 'Listen to the question. Ask if anything is not clear.',
  silent: 'Write on your own. Nobody can see your cards until the facilitator shows them all together.',
  share: 'The cards are on the board for everyone to see.',
  discuss: 'Talk about the cards. Raise your hand to speak.',
  group: 'Put cards that belong together in themes.',
  vote: 'Choose the cards that matter most to you.',
  agree: 'Agree what the group wants to say.',
  other: ''
};

/** The steps a new workshop starts with: from the question to cards, themes, a vote and what the group agrees. */
export const DEFAULT_PHASES: Phase[] = [
  { kind: 'welcome', title: 'Welcome' },
  { kind: 'question', title: 'The question' },
  { kind: 'silent', title: 'Silent writing' },
  { kind: 'share', title: 'Share' },
  { kind: 'discuss', title: 'Discuss' },
  { kind: 'group', title: 'Group into themes' },
  { kind: 'vote', title: 'Vote' },
  { kind: 'agree', title: 'Agree' }
];

export type AnonymousMode = 'off' | 'optional' | 'always';

export interface Settings {
  /** off: cards show nobody's name but are attributed for balance; optional: people choose per card; always: every card. */
  anonymousCards: AnonymousMode;
  decisionMakersAfterMembers: boolean;
}

export type Spotlight = { kind: 'card'; boardId: string; cardId: string } | { kind: 'lane'; boardId: string; lane: Lane };

/**
 * What the facilitator chose to show on the present screen (/w/<id>/present) besides the question:
 * a closed vote's results. A spotlight chosen later takes its place, so the screen shows the last
 * thing chosen.
 */
export type OnScreen = { kind: 'vote'; voteId: string };

export interface RoundAnswer {
  id: string;
  /** null when the person chose to answer anonymously. */
  name: string | null;
  text: string;
  emoji: string | null;
  /**
   * Who answered, for named answers only (so "remove my name" finds theirs, not everyone's who
   * shares the name). Kept in the stored state, never in what is broadcast (see publicRound).
   */
  by?: string;
}

/** A round as everyone sees it: no participant ids, and closed once the workshop has ended. */
export function publicRound(round: Round | null, ended = false): Round | null {
  return (
    round && {
      ...round,
      number: round.number ?? 0,
      open: round.open && !ended,
      answers: round.answers.map(({ id, name, text, emoji }) => ({ id, name, text, emoji }))
    }
  );
}

/** "Remove my name": the person's named answers keep their words and lose the name. */
export function forgetAnswers(round: Round | null, participantId: string, name: string, others: ReadonlySet<string>): Round | null {
  if (!round) return round;
  // Answers stored before answers recorded who gave them: only a name nobody else has is theirs.
  const unclaimed = (a: RoundAnswer) => a.by === undefined && a.name === name && !others.has(name);
  return {
    ...round,
    answers: round.answers.map((a) => (a.by === participantId || unclaimed(a) ? { id: a.id, name: null, text: a.text, emoji: a.emoji } : a))
  };
}

export interface Round {
  /**
   * Counts the workshop's rounds from 1, so a page can tell a new round from the one before (a
   * thank-you belongs to the round it was given in). Rounds stored before it have none: 0.
   */
  number: number;
  kind: 'checkin' | 'checkout';
  prompt: string;
  open: boolean;
  answers: RoundAnswer[];
}

export interface FacilitationState {
  phases: Phase[];
  phaseIndex: number;
  timer: TimerState;
  lockedBoards: string[];
  settings: Settings;
  hands: RaisedHand[];
  /** How often each participant has been called to speak (for fair order and balance). */
  calledCounts: Record<string, number>;
  speaking: string | null;
  spotlight: Spotlight | null;
  round: Round | null;
  /** Shown on the present screen; null: the question (or the spotlight). States stored before it have none. */
  onScreen: OnScreen | null;
}

export function initialState(): FacilitationState {
  return {
    phases: DEFAULT_PHASES.map((p) => ({ ...p })),
    phaseIndex: 0,
    timer: idleTimer(),
    lockedBoards: [],
    settings: { anonymousCards: 'off', decisionMakersAfterMembers: false },
    hands: [],
    calledCounts: {},
    speaking: null,
    spotlight: null,
    round: null,
    onScreen: null
  };
}

export function currentPhase(state: FacilitationState): Phase {
  return state.phases[Math.min(state.phaseIndex, state.phases.length - 1)];
}

export function isSilentWriting(state: FacilitationState): boolean {
  return currentPhase(state).kind === 'silent';
}

export type PureCommand =
  | { type: 'phase.go'; index: number }
  | { type: 'phases.set'; phases: Phase[] }
  | { type: 'timer.start'; minutes?: number }
  | { type: 'timer.pause' }
  | { type: 'timer.addMinute' }
  | { type: 'timer.reset'; minutes?: number }
  | { type: 'board.lock'; boardId: string; locked: boolean }
  | { type: 'settings.update'; anonymousCards?: AnonymousMode; decisionMakersAfterMembers?: boolean }
  | { type: 'hand.raise' }
  | { type: 'hand.lower' }
  | { type: 'turn.pass' }
  | { type: 'queue.next' }
  | { type: 'queue.clear' }
  | { type: 'spotlight.set'; target: Spotlight | null }
  | { type: 'round.open'; kind: 'checkin' | 'checkout'; prompt: string }
  | { type: 'round.answer'; answerId: string; text: string; emoji: string | null; anonymous: boolean }
  | { type: 'round.close' }
  | { type: 'me.away' };

export interface Actor {
  participantId: string;
  name: string;
  role: Role;
}

export type ApplyResult =
  { ok: true; state: FacilitationState; announce?: string } | { ok: false; code: 'forbidden' | 'not_allowed_now'; message: string };

/** The role rule for every command lives in the command table (src/lib/protocol/commands.ts). */
export { permitted };

const refuse = (message: string): ApplyResult => ({ ok: false, code: 'not_allowed_now', message });
const ok = (state: FacilitationState, announce?: string): ApplyResult => ({ ok: true, state, announce });

export function apply(
  state: FacilitationState,
  command: PureCommand,
  actor: Actor,
  now: number,
  roles: Record<string, Role> = {}
): ApplyResult {
  if (!permitted(actor.role, command.type)) {
    return { ok: false, code: 'forbidden', message: 'Your role cannot do that.' };
  }
  switch (command.type) {
    case 'phase.go': {
      if (command.index < 0 || command.index >= state.phases.length) return refuse('There is no such step.');
      const phase = state.phases[command.index];
      return ok({ ...state, phaseIndex: command.index, spotlight: null }, `Now: ${phase.title}`);
    }
    case 'phases.set': {
      if (command.phases.length === 0) return refuse('Keep at least one step.');
      const current = currentPhase(state);
      const kept = command.phases.findIndex((p) => p.kind === current.kind && p.title === current.title);
      return ok({ ...state, phases: command.phases, phaseIndex: kept >= 0 ? kept : Math.min(state.phaseIndex, command.phases.length - 1) });
    }
    case 'timer.start': {
      const ms = command.minutes !== undefined ? Math.round(command.minutes * 60_000) : undefined;
      if (ms !== undefined && (ms <= 0 || ms > MAX_TIMER_MS)) return refuse('Choose between 1 minute and 4 hours.');
      return ok({ ...state, timer: startTimer(state.timer, now, ms) }, 'The timer has started.');
    }
    case 'timer.pause':
      return ok({ ...state, timer: pauseTimer(state.timer, now) }, 'The timer is paused.');
    case 'timer.addMinute':
      return ok({ ...state, timer: addMinute(state.timer, now) }, 'One more minute.');
    case 'timer.reset': {
      const ms = command.minutes !== undefined ? Math.round(command.minutes * 60_000) : state.timer.durationMs;
      if (ms <= 0 || ms > MAX_TIMER_MS) return refuse('Choose between 1 minute and 4 hours.');
      return ok({ ...state, timer: resetTimer({ kind: 'idle', durationMs: ms }) });
    }
    case 'board.lock': {
      const others = state.lockedBoards.filter((b) => b !== command.boardId);
      return ok(
        { ...state, lockedBoards: command.locked ? [...others, command.boardId] : others },
        command.locked ? 'The board is locked. Only the facilitator can change it.' : 'The board is open for changes again.'
      );
    }
    case 'settings.update':
      return ok({
        ...state,
        settings: {
          anonymousCards: command.anonymousCards ?? state.settings.anonymousCards,
          decisionMakersAfterMembers: command.decisionMakersAfterMembers ?? state.settings.decisionMakersAfterMembers
        }
      });
    case 'hand.raise': {
      if (state.hands.some((h) => h.participantId === actor.participantId)) return ok(state);
      if (state.speaking === actor.participantId) return refuse('You are speaking now.');
      // "Who raised first" is the order the server took the hands in: two hands in the same
      // millisecond keep their order instead of falling back to comparing ids.
      const raisedAt = Math.max(now, ...state.hands.map((h) => h.raisedAt + 1));
      return ok({ ...state, hands: sortHands(state, [...state.hands, { participantId: actor.participantId, raisedAt }], roles) });
    }
    case 'hand.lower':
      return ok({ ...state, hands: state.hands.filter((h) => h.participantId !== actor.participantId) });
    case 'turn.pass': {
      // Passing is always fine and never counted against anyone.
      const hands = state.hands.filter((h) => h.participantId !== actor.participantId);
      return ok({ ...state, hands, speaking: state.speaking === actor.participantId ? null : state.speaking });
    }
    case 'queue.next': {
      const [next, ...rest] = sortHands(state, state.hands, roles);
      if (!next) return ok({ ...state, speaking: null });
      const calledCounts = { ...state.calledCounts, [next.participantId]: (state.calledCounts[next.participantId] ?? 0) + 1 };
      return ok({ ...state, hands: sortHands({ ...state, calledCounts }, rest, roles), calledCounts, speaking: next.participantId });
    }
    case 'queue.clear':
      return ok({ ...state, hands: [], speaking: null }, 'The facilitator cleared the hands.');
    case 'spotlight.set':
      // The present screen shows the last thing chosen: a new spotlight takes the place of vote results.
      return ok({ ...state, spotlight: command.target, onScreen: command.target ? null : state.onScreen });
    case 'round.open': {
      const number = (state.round?.number ?? 0) + 1;
      return ok({ ...state, round: { number, kind: command.kind, prompt: command.prompt, open: true, answers: [] } });
    }
    case 'round.answer': {
      if (!state.round?.open) return refuse('There is no check-in open now.');
      if (state.round.answers.length >= 500) return refuse('This round is full.');
      if (state.round.answers.some((a) => a.id === command.answerId)) return ok(state);
      const answer: RoundAnswer = command.anonymous
        ? { id: command.answerId, name: null, text: command.text, emoji: command.emoji }
        : { id: command.answerId, name: actor.name, text: command.text, emoji: command.emoji, by: actor.participantId };
      return ok({ ...state, round: { ...state.round, answers: [...state.round.answers, answer] } });
    }
    case 'round.close':
      return ok({ ...state, round: state.round ? { ...state.round, open: false } : null });
    case 'me.away':
      // A break, or leaving: out of the queue, and a turn it interrupts is not counted.
      return ok(stepAway(state, actor.participantId));
    default: {
      const never: never = command;
      return never;
    }
  }
}

function sortHands(state: FacilitationState, hands: RaisedHand[], roles: Record<string, Role>): RaisedHand[] {
  return orderQueue(hands, {
    calledCounts: state.calledCounts,
    roles,
    decisionMakersAfterMembers: state.settings.decisionMakersAfterMembers
  });
}

/**
 * Someone steps away (a break, or leaving the board): their hand is lowered, and a turn they were
 * in the middle of ends without counting against them (it no longer puts them later in the queue,
 * nor shows as a turn they had).
 */
export function stepAway(state: FacilitationState, participantId: string): FacilitationState {
  const calledCounts = { ...state.calledCounts };
  if (state.speaking === participantId) {
    const turns = (calledCounts[participantId] ?? 0) - 1;
    if (turns > 0) calledCounts[participantId] = turns;
    else delete calledCounts[participantId];
  }
  return { ...withoutParticipant(state, participantId), calledCounts };
}

/**
 * The workshop has ended: every board locked, the round closed, the timer stopped, nobody in the
 * spotlight and nothing on the present screen, nobody waiting or speaking. Nothing that changes these is taken after the end (the
 * command table's `afterEnd`).
 */
export function endedState(state: FacilitationState, boardIds: string[]): FacilitationState {
  return {
    ...state,
    lockedBoards: boardIds,
    round: state.round && { ...state.round, open: false },
    timer: idleTimer(state.timer.durationMs),
    spotlight: null,
    onScreen: null,
    hands: [],
    speaking: null
  };
}

/** Drops hands and the speaker for someone who left or was removed. */
export function withoutParticipant(state: FacilitationState, participantId: string): FacilitationState {
  return {
    ...state,
    hands: state.hands.filter((h) => h.participantId !== participantId),
    speaking: state.speaking === participantId ? null : state.speaking
  };
}
