import { describe, expect, it } from 'vitest';
import { apply, initialState, permitted, withoutParticipant, type Actor } from '../../src/lib/domain/facilitation';
import { orderQueue } from '../../src/lib/domain/queue';
import { addMinute, formatClock, idleTimer, isTimeUp, pauseTimer, remainingMs, resetTimer, startTimer } from '../../src/lib/domain/timer';
import { ROLES } from '../../src/lib/domain/roles';

const fac: Actor = { participantId: 'f', name: 'Fay', role: 'facilitator' };
const member: Actor = { participantId: 'm', name: 'Mo', role: 'member' };
const observer: Actor = { participantId: 'o', name: 'Oz', role: 'observer' };

describe('timer arithmetic', () => {
  it('runs, pauses, resumes and resets from server time', () => {
    let t = idleTimer(60_000);
    expect(remainingMs(t, 0)).toBe(60_000);
    t = startTimer(t, 1000);
    expect(remainingMs(t, 31_000)).toBe(30_000);
    t = pauseTimer(t, 31_000);
    expect(remainingMs(t, 999_999)).toBe(30_000);
    t = startTimer(t, 100_000);
    expect(remainingMs(t, 110_000)).toBe(20_000);
    expect(isTimeUp(t, 130_000)).toBe(true);
    expect(remainingMs(t, 200_000)).toBe(0);
    expect(resetTimer(t)).toEqual({ kind: 'idle', durationMs: 60_000 });
  });

  it('adds a minute from now when time is already up', () => {
    const t = startTimer(idleTimer(60_000), 0);
    expect(remainingMs(addMinute(t, 10_000), 10_000)).toBe(110_000);
    expect(remainingMs(addMinute(t, 200_000), 200_000)).toBe(60_000);
    expect(addMinute(idleTimer(60_000), 0)).toEqual({ kind: 'idle', durationMs: 120_000 });
    expect(remainingMs(addMinute(pauseTimer(t, 30_000), 99), 12345)).toBe(90_000);
  });

  it('shows minutes and seconds, rounding up', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(1)).toBe('0:01');
    expect(formatClock(65_000)).toBe('1:05');
    expect(formatClock(3_723_000)).toBe('1:02:03');
  });
});

describe('phases', () => {
  it('go to any step that exists and clear the spotlight', () => {
    const s = { ...initialState(), spotlight: { kind: 'lane' as const, boardId: 'b', lane: 'questions' as const } };
    const r = apply(s, { type: 'phase.go', index: 2 }, fac, 0);
    expect(r.ok && r.state.phaseIndex).toBe(2);
    expect(r.ok && r.state.spotlight).toBeNull();
    expect(apply(s, { type: 'phase.go', index: 99 }, fac, 0)).toMatchObject({ ok: false, code: 'not_allowed_now' });
  });

  it('keep the current step when the template is edited', () => {
    const s = apply(initialState(), { type: 'phase.go', index: 2 }, fac, 0);
    if (!s.ok) throw new Error();
    const r = apply(
      s.state,
      {
        type: 'phases.set',
        phases: [
          { kind: 'welcome', title: 'Welcome' },
          { kind: 'silent', title: 'Silent writing' }
        ]
      },
      fac,
      0
    );
    expect(r.ok && r.state.phaseIndex).toBe(1);
    expect(apply(s.state, { type: 'phases.set', phases: [] }, fac, 0)).toMatchObject({ ok: false });
  });
});

describe('queue ordering', () => {
  const hands = [
    { participantId: 'dm', raisedAt: 1 },
    { participantId: 'a', raisedAt: 2 },
    { participantId: 'b', raisedAt: 3 }
  ];
  it('puts people called least first, then earliest', () => {
    expect(orderQueue(hands, { calledCounts: { a: 2 }, roles: {}, decisionMakersAfterMembers: false }).map((h) => h.participantId)).toEqual(
      ['dm', 'b', 'a']
    );
  });
  it('can put decision makers after members', () => {
    const roles = { dm: 'decisionMaker' as const, a: 'member' as const, b: 'member' as const };
    expect(orderQueue(hands, { calledCounts: {}, roles, decisionMakersAfterMembers: true }).map((h) => h.participantId)).toEqual([
      'a',
      'b',
      'dm'
    ]);
  });
  it('keeps the order hands were taken in when they arrive in the same millisecond', () => {
    for (const ids of [
      ['zed', 'amy'],
      ['amy', 'zed']
    ]) {
      let s = initialState();
      for (const id of ids) {
        const r = apply(s, { type: 'hand.raise' }, { ...member, participantId: id }, 5);
        if (!r.ok) throw new Error();
        s = r.state;
      }
      expect(s.hands.map((h) => h.participantId)).toEqual(ids);
    }
  });
  it('counts a turn when someone is called, and forgets a removed person', () => {
    let s = initialState();
    for (const who of [member, { ...member, participantId: 'n' }]) {
      const r = apply(s, { type: 'hand.raise' }, who, 1);
      if (!r.ok) throw new Error();
      s = r.state;
    }
    const r = apply(s, { type: 'queue.next' }, fac, 2);
    if (!r.ok) throw new Error();
    expect(r.state.speaking).toBe('m');
    expect(r.state.calledCounts).toEqual({ m: 1 });
    expect(withoutParticipant(r.state, 'n').hands).toEqual([]);
    expect(withoutParticipant(r.state, 'm').speaking).toBeNull();
  });
});

describe('permissions', () => {
  it('keep facilitator commands for facilitators and participation away from observers', () => {
    for (const role of ROLES) expect(permitted(role, 'phase.go')).toBe(role === 'facilitator');
    expect(permitted('observer', 'hand.raise')).toBe(false);
    expect(permitted('member', 'hand.raise')).toBe(true);
    expect(permitted('observer', 'hand.lower')).toBe(true);
    expect(apply(initialState(), { type: 'timer.start' }, member, 0)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(apply(initialState(), { type: 'hand.raise' }, observer, 0)).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('only accept check-in answers while a round is open, and keep anonymous answers nameless', () => {
    const closed = apply(initialState(), { type: 'round.answer', answerId: 'x', text: 'ok', emoji: null, anonymous: false }, member, 0);
    expect(closed).toMatchObject({ ok: false });
    const opened = apply(initialState(), { type: 'round.open', kind: 'checkin', prompt: 'How are you?' }, fac, 0);
    if (!opened.ok) throw new Error();
    const r = apply(opened.state, { type: 'round.answer', answerId: 'x', text: 'tired', emoji: '😴', anonymous: true }, member, 0);
    expect(r.ok && r.state.round?.answers).toEqual([{ id: 'x', name: null, text: 'tired', emoji: '😴' }]);
  });
});
