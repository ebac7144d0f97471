// Long lists drawn in steps: the first screenful at once, the rest in small tasks after it. A
// 500-card board drawn in one go held the page for half a second on a laptop (several seconds on
// a cheap phone) before anything showed or a tap was answered; in steps, the first cards show
// sooner and the page answers between steps. A list that grows by a little (a card added, a
// card coming in from someone else) is drawn whole at once, so nothing waits in steady use.

/** Cards drawn at once: more than any screen shows of one list. */
export const FIRST_CARDS = 16;
/** Cards drawn in each later step (a few tens of milliseconds of work on a laptop). */
export const STEP_CARDS = 24;

export class DrawnInSteps {
  #shown = $state(0);

  /**
   * `length` is the list's length now (read in an effect, so the steps follow it). Call in a
   * component's setup.
   */
  constructor(
    length: () => number,
    private readonly first = FIRST_CARDS,
    step = STEP_CARDS
  ) {
    this.#shown = first;
    $effect(() => {
      const n = length();
      if (n <= this.#shown + this.first) return;
      const timer = setTimeout(() => (this.#shown = Math.min(n, this.#shown + step)));
      return () => clearTimeout(timer);
    });
  }

  /** How many of a list of `n` to draw now (at least `atLeast`, e.g. to reach a spotlit card). */
  count(n: number, atLeast = 0): number {
    return n <= this.#shown + this.first ? n : Math.min(n, Math.max(this.#shown, atLeast));
  }

  /** The cards of `items` to draw now: the first steps' worth, and at least up to `spotId`'s. */
  of<T extends { id: string }>(items: T[], spotId: string | null): T[] {
    const spot = spotId ? items.findIndex((c) => c.id === spotId) + 1 : 0;
    const n = this.count(items.length, spot);
    return n === items.length ? items : items.slice(0, n);
  }
}

/**
 * The drag zone (svelte-dnd-action) of a list drawn in steps: dragging waits until all of it is
 * drawn (`whole`; the card menu never waits), as the library reads the list from what is drawn.
 * It depends on the whole list and `whole`, not on the part drawn: the library's zones share one
 * store with every drag handle on the page, so each change of a zone's options touches all 500
 * handles, and one per step was a long board's most repeated work while it was drawn.
 */
export function cardZone<T extends { id: string }>(all: T[], whole: boolean, canDrag: boolean) {
  return {
    items: all,
    type: 'card',
    flipDurationMs: 0,
    dragDisabled: !canDrag || !whole,
    dropTargetStyle: {},
    zoneTabIndex: -1
  };
}
