// Widths that grow with the reading aids, for the board's layout (the lists side by side, the
// facilitator's column). Its own module, so pages without those layouts load no svelte/reactivity.
import { MediaQuery } from 'svelte/reactivity';

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
