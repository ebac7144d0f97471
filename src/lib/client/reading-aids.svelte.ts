// This device's reading aids as rune state: read from localStorage (READING_AIDS_KEY), changed by
// the Reading aids panel, put on <html> at once and kept for every page. Other tabs hear of a
// change through the `storage` event and follow it. The first paint has them already:
// static/reading-aids.js sets the same attributes before the body is parsed. The root layout
// creates one and hands it down by context (readingAids()).
import { createContext } from 'svelte';
import { MediaQuery } from 'svelte/reactivity';
import { READING_AIDS_KEY } from '$lib/protocol/device';
import {
  READING_AID_ATTRIBUTES,
  STANDARD_AIDS,
  layoutScale,
  parseReadingAids,
  readingAidAttributes,
  serialiseReadingAids,
  type ReadingAids
} from '$lib/domain/reading-aids';

function storage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null; // blocked
  }
}

/** Puts the choices on <html>, where the stylesheet reads them. */
export function applyReadingAids(aids: ReadingAids, root: HTMLElement = document.documentElement): void {
  const wanted = readingAidAttributes(aids);
  for (const name of READING_AID_ATTRIBUTES) {
    const value = wanted[name];
    if (value === undefined) root.removeAttribute(name);
    else if (root.getAttribute(name) !== value) root.setAttribute(name, value);
  }
}

/**
 * Whether the page should keep still: the person chose less movement, or their device asks for it.
 * For the few movements made from code (a smooth scroll); the stylesheet handles the rest.
 */
export function prefersLessMotion(): boolean {
  if (typeof document === 'undefined') return false;
  return document.documentElement.getAttribute('data-motion') === 'less' || matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Removes this device's reading aids and shows the standard page ("Leave and clear this device"). */
export function forgetReadingAids(): void {
  try {
    storage()?.removeItem(READING_AIDS_KEY);
  } catch {
    // storage blocked: nothing was kept
  }
  if (typeof document !== 'undefined') applyReadingAids(STANDARD_AIDS);
}

export class ReadingAidsState {
  #aids = $state<ReadingAids>(STANDARD_AIDS);
  /** False when this device could not keep the last change (storage full or blocked). */
  kept = $state(true);
  readonly #deviceLessMotion = new MediaQuery('(prefers-reduced-motion: reduce)', false);

  constructor() {
    if (typeof window === 'undefined') return;
    this.#aids = parseReadingAids(storage()?.getItem(READING_AIDS_KEY));
  }

  /** Follows changes made in other tabs (and a leave there); the layout puts them on <html>. Returns the clean-up. */
  listen(): () => void {
    const changed = (e: StorageEvent) => {
      if (e.key !== READING_AIDS_KEY && e.key !== null) return;
      this.#aids = parseReadingAids(storage()?.getItem(READING_AIDS_KEY));
    };
    addEventListener('storage', changed);
    return () => removeEventListener('storage', changed);
  }

  get current(): ReadingAids {
    return this.#aids;
  }

  /** The device asks for less movement (prefers-reduced-motion): the page already keeps still. */
  get deviceAsksLessMotion(): boolean {
    return this.#deviceLessMotion.current;
  }

  /** How much wider the words are than on the standard page (see layoutScale). */
  get layoutScale(): number {
    return layoutScale(this.#aids);
  }

  set(change: Partial<ReadingAids>): void {
    this.#aids = { ...this.#aids, ...change };
    applyReadingAids(this.#aids);
    const value = serialiseReadingAids(this.#aids);
    try {
      const store = storage();
      if (!store) throw new Error('no storage');
      if (value === null) store.removeItem(READING_AIDS_KEY);
      else store.setItem(READING_AIDS_KEY, value);
      this.kept = true;
    } catch {
      // Applied to this page all the same; the panel says it is not kept.
      this.kept = false;
    }
  }

  reset(): void {
    this.set(STANDARD_AIDS);
  }

  /** After "Leave and clear this device": nothing kept, the standard page. */
  forget(): void {
    forgetReadingAids();
    this.#aids = STANDARD_AIDS;
  }
}

export const [readingAids, setReadingAids] = createContext<ReadingAidsState>();

/**
 * Whether the screen is at least `rem` wide, counted in the standard page's rem (16 px in a
 * browser at its default size, as a media query counts them), scaled by the reading aids: with
 * text twice the size, the board puts its lists side by side only on a screen twice as wide, as
 * it would if the browser itself were zoomed. A media query cannot see our text size, so this
 * asks `matchMedia` for the scaled width (one MediaQuery per scale, made when first needed).
 */
export class ScreenAtLeast {
  readonly #queries = new Map<number, MediaQuery>();
  readonly #rem: number;
  readonly #fallback: boolean;
  readonly #scale: () => number;

  /** `fallback` is the answer on the server, where there is no screen. */
  constructor(rem: number, fallback: boolean, scale: () => number) {
    this.#rem = rem;
    this.#fallback = fallback;
    this.#scale = scale;
  }

  get current(): boolean {
    const width = Math.round(this.#rem * this.#scale() * 100) / 100;
    let query = this.#queries.get(width);
    if (!query) {
      query = new MediaQuery(`(min-width: ${width}rem)`, this.#fallback);
      this.#queries.set(width, query);
    }
    return query.current;
  }
}
