// What the present screen says, pure: counts and the timer in plain words, how large a text can be
// set so it fits a projector's screen without scrolling (longer text, smaller type, never below
// what reads from the back of a room), and where a very long card is cut on the screen (the whole
// card stays on the board).
import { formatClock, remainingMs, type TimerState } from './timer';

/** Type sizes, largest first: the page maps each to a size relative to the screen. */
export type TextSize = 'xl' | 'l' | 'm' | 's' | 'xs';

/**
 * The size a text is set in on the present screen, by its length. A question has room of its own
 * (up to 500 characters); a card or results shown beneath it make it one size smaller.
 */
export function textSize(length: number, room: 'alone' | 'shared'): TextSize {
  const sizes: TextSize[] = ['xl', 'l', 'm', 's', 'xs'];
  const step = length <= 60 ? 0 : length <= 140 ? 1 : length <= 280 ? 2 : 3;
  return sizes[Math.min(sizes.length - 1, step + (room === 'shared' ? 1 : 0))];
}

/** How many characters of a card the screen shows; past it the card is cut (it is whole on the board). */
export const SCREEN_CARD_CHARACTERS = 600;

/** A text cut to at most `max` characters at a space where there is one near, with "…"; `cut` says whether it was. */
export function forScreen(text: string, max: number): { text: string; cut: boolean } {
  const trimmed = text.trim();
  if (trimmed.length <= max) return { text: trimmed, cut: false };
  const head = trimmed.slice(0, max);
  const space = head.lastIndexOf(' ');
  return { text: `${(space > max * 0.75 ? head.slice(0, space) : head).trimEnd()}…`, cut: true };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "12 people here", "1 person here", "Nobody here yet". */
export function hereWords(here: number): string {
  return here === 0 ? 'Nobody here yet' : `${plural(here, 'person', 'people')} here`;
}

/** "34 cards", "1 card", "No cards yet". */
export function cardWords(cards: number): string {
  return cards === 0 ? 'No cards yet' : plural(cards, 'card', 'cards');
}

/**
 * The timer as the screen shows it: the time left, and a word when it is paused or up; null while
 * it has not started (the screen shows no timer then).
 */
export function timerWords(timer: TimerState, now: number): { clock: string; note: string | null; up: boolean } | null {
  switch (timer.kind) {
    case 'idle':
      return null;
    case 'running': {
      const left = remainingMs(timer, now);
      return { clock: formatClock(left), note: left <= 0 ? 'Time is up' : null, up: left <= 0 };
    }
    case 'paused':
      return { clock: formatClock(timer.remainingMs), note: 'Paused', up: false };
    default: {
      const never: never = timer;
      return never;
    }
  }
}
