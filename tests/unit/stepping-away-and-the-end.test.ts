// Issue 11, the pure rules behind the session panels: stepping away (a break, or leaving) and the
// end of a workshop, and rounds told apart by their number.
import { describe, expect, it } from 'vitest';
import {
  apply,
  endedState,
  initialState,
  publicRound,
  stepAway,
  type Actor,
  type FacilitationState
} from '../../src/lib/domain/facilitation';

const fac: Actor = { participantId: 'f', name: 'Fay', role: 'facilitator' };
const mo: Actor = { participantId: 'm', name: 'Mo', role: 'member' };
const ann: Actor = { participantId: 'a', name: 'Ann', role: 'member' };

function run(state: FacilitationState, ...steps: [Parameters<typeof apply>[1], Actor][]): FacilitationState {
  return steps.reduce((s, [command, actor], i) => {
    const r = apply(s, command, actor, 1000 + i);
    if (!r.ok) throw new Error(r.message);
    return r.state;
  }, state);
}

describe('stepping away', () => {
  it('ends a turn without counting it, so it puts nobody later in the queue', () => {
    const speaking = run(initialState(), [{ type: 'hand.raise' }, mo], [{ type: 'hand.raise' }, ann], [{ type: 'queue.next' }, fac]);
    expect(speaking.speaking).toBe('m');
    expect(speaking.calledCounts).toEqual({ m: 1 });
    const away = run(speaking, [{ type: 'me.away' }, mo]);
    expect(away.speaking).toBeNull();
    expect(away.calledCounts).toEqual({});
    expect(away.hands.map((h) => h.participantId)).toEqual(['a']);
    // A turn finished the usual way still counts.
    const finished = run(speaking, [{ type: 'turn.pass' }, mo]);
    expect(finished.calledCounts).toEqual({ m: 1 });
  });

  it('lowers a waiting hand and leaves the speaker and other counts alone', () => {
    const s = run(initialState(), [{ type: 'hand.raise' }, mo], [{ type: 'queue.next' }, fac], [{ type: 'hand.raise' }, ann]);
    const away = stepAway(s, 'a');
    expect(away.hands).toEqual([]);
    expect(away.speaking).toBe('m');
    expect(away.calledCounts).toEqual({ m: 1 });
  });
});

describe('the end of a workshop', () => {
  it('locks every board, closes the round, stops the timer and the spotlight, and empties the queue', () => {
    const s = run(
      initialState(),
      [{ type: 'round.open', kind: 'checkout', prompt: 'One word?' }, fac],
      [{ type: 'timer.start', minutes: 5 }, fac],
      [{ type: 'spotlight.set', target: { kind: 'lane', boardId: 'b', lane: 'questions' } }, fac],
      [{ type: 'hand.raise' }, mo]
    );
    const ended = endedState(s, ['b', 'c']);
    expect(ended).toMatchObject({ lockedBoards: ['b', 'c'], spotlight: null, hands: [], speaking: null });
    expect(ended.round).toMatchObject({ open: false, prompt: 'One word?' });
    expect(ended.timer).toEqual({ kind: 'idle', durationMs: 5 * 60_000 });
  });

  it('shows a round stored open as closed once the workshop has ended', () => {
    const s = run(initialState(), [{ type: 'round.open', kind: 'checkin', prompt: 'Hello?' }, fac]);
    expect(publicRound(s.round, false)?.open).toBe(true);
    expect(publicRound(s.round, true)?.open).toBe(false);
  });
});

describe('rounds', () => {
  it('are numbered, so a page can tell a new round from the last', () => {
    const first = run(initialState(), [{ type: 'round.open', kind: 'checkin', prompt: 'Hello?' }, fac]);
    const second = run(first, [{ type: 'round.close' }, fac], [{ type: 'round.open', kind: 'checkout', prompt: 'Bye?' }, fac]);
    expect(first.round?.number).toBe(1);
    expect(second.round?.number).toBe(2);
    // A round stored before rounds had numbers reads as 0, and the next one is 1.
    const legacy = {
      ...first,
      round: { kind: 'checkin' as const, prompt: 'Old', open: false, answers: [] }
    } as unknown as FacilitationState;
    expect(publicRound(legacy.round)?.number).toBe(0);
    expect(run(legacy, [{ type: 'round.open', kind: 'checkin', prompt: 'New' }, fac]).round?.number).toBe(1);
  });
});
