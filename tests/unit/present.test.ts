// The present screen's rules, pure: what it shows after a spotlight or the end, its words, how
// large its text is set, and where a long card is cut on it.
import { describe, expect, it } from 'vitest';
import { apply, endedState, initialState, type Actor } from '../../src/lib/domain/facilitation';
import { cardWords, forScreen, hereWords, SCREEN_CARD_CHARACTERS, textSize, timerWords } from '../../src/lib/domain/present-words';
import { idleTimer, pauseTimer, startTimer } from '../../src/lib/domain/timer';

const fac: Actor = { participantId: 'f', name: 'Fay', role: 'facilitator' };
const results = { ...initialState(), onScreen: { kind: 'vote' as const, voteId: 'v1' } };

describe('what the present screen shows', () => {
  it('[L-PRESENT-4] shows the last thing chosen: a spotlight chosen after the results takes their place; taking the spotlight off leaves them', () => {
    const spot = apply(results, { type: 'spotlight.set', target: { kind: 'card', boardId: 'b', cardId: 'c' } }, fac, 0);
    expect(spot.ok && spot.state.onScreen).toBeNull();
    const off = apply(results, { type: 'spotlight.set', target: null }, fac, 0);
    expect(off.ok && off.state.onScreen).toEqual({ kind: 'vote', voteId: 'v1' });
  });

  it('keeps the results across a new step, and shows nothing but the end once the workshop has ended', () => {
    const next = apply(results, { type: 'phase.go', index: 3 }, fac, 0);
    expect(next.ok && next.state.onScreen).toEqual({ kind: 'vote', voteId: 'v1' });
    expect(endedState(results, ['b']).onScreen).toBeNull();
  });

  it('starts with nothing on it', () => {
    expect(initialState().onScreen).toBeNull();
  });
});

describe('the present screen in words', () => {
  it('counts people and cards in plain words', () => {
    expect([hereWords(0), hereWords(1), hereWords(12)]).toEqual(['Nobody here yet', '1 person here', '12 people here']);
    expect([cardWords(0), cardWords(1), cardWords(34)]).toEqual(['No cards yet', '1 card', '34 cards']);
  });

  it('shows the timer only once it has started: the time left, paused, or up', () => {
    expect(timerWords(idleTimer(300_000), 0)).toBeNull();
    const running = startTimer(idleTimer(300_000), 1000);
    expect(timerWords(running, 56_000)).toEqual({ clock: '4:05', note: null, up: false });
    expect(timerWords(pauseTimer(running, 61_000), 999_999)).toEqual({ clock: '4:00', note: 'Paused', up: false });
    expect(timerWords(running, 400_000)).toEqual({ clock: '0:00', note: 'Time is up', up: true });
  });

  it('[L-PRESENT-12] sets longer text smaller, and one size smaller when it shares the screen', () => {
    expect([10, 60, 61, 140, 141, 280, 281, 500].map((n) => textSize(n, 'alone'))).toEqual(['xl', 'xl', 'l', 'l', 'm', 'm', 's', 's']);
    expect([10, 100, 200, 500].map((n) => textSize(n, 'shared'))).toEqual(['l', 'm', 's', 'xs']);
  });

  it('[L-PRESENT-12] cuts a very long card at a space, says so, and leaves a card that fits alone', () => {
    expect(forScreen('  A short card  ', SCREEN_CARD_CHARACTERS)).toEqual({ text: 'A short card', cut: false });
    const long = 'word '.repeat(200);
    const shown = forScreen(long, SCREEN_CARD_CHARACTERS);
    expect(shown.cut).toBe(true);
    expect(shown.text.length).toBeLessThanOrEqual(SCREEN_CARD_CHARACTERS + 1);
    expect(shown.text).toMatch(/word…$/);
    // No space near the end: cut where the room ends.
    expect(forScreen('x'.repeat(700), 600)).toEqual({ text: `${'x'.repeat(600)}…`, cut: true });
  });
});
