// The glossary on a page, as runes: the workshop's compiled matcher (one per glossary, made again
// only when the glossary changes) and the one explanation open now. Every term button (in the
// question, its background, a card or a key point) takes this from context and asks it to open or
// close; the page's one GlossaryTip shows it. The matcher and the components that show words as
// buttons (glossary-parts.ts) load only once the glossary has a word: until then, and on the
// server, texts show as they are.
import { createContext } from 'svelte';
import type { Glossary, GlossaryEntry } from '$lib/domain/glossary';

export interface OpenTip {
  entry: GlossaryEntry;
  /** The button that opened it: the explanation sits beside it, and the focus goes back to it. */
  anchor: HTMLElement;
}

export const loadGlossaryParts = () => import('./glossary-parts');
type Parts = Awaited<ReturnType<typeof loadGlossaryParts>>;

export class GlossaryTips {
  #open = $state<OpenTip | null>(null);
  #parts = $state<Parts | null>(null);
  private entries: () => readonly GlossaryEntry[];
  #glossary: Glossary | null;

  /** Made while a page initialises (its effect belongs to the page). */
  constructor(entries: () => readonly GlossaryEntry[]) {
    this.entries = entries;
    this.#glossary = $derived(this.#parts && this.entries().length ? this.#parts.compileGlossary(this.entries()) : null);
    $effect(() => {
      if (this.entries().length && !this.#parts) void loadGlossaryParts().then((parts) => (this.#parts = parts));
    });
  }

  /** The matcher for the glossary as it is now, or null when it has no entries (or is still loading). */
  get glossary(): Glossary | null {
    return this.#glossary;
  }

  /** The components that show words as buttons, once loaded. */
  get parts(): Parts | null {
    return this.#glossary ? this.#parts : null;
  }

  get open(): OpenTip | null {
    // An entry taken out of the glossary meanwhile closes its explanation.
    const open = this.#open;
    return open && this.entries().some((e) => e.id === open.entry.id) ? open : null;
  }

  isOpenAt(anchor: HTMLElement | undefined): boolean {
    return !!anchor && this.open?.anchor === anchor;
  }

  /** Opens the explanation beside this button, or closes it if it is open there already. */
  toggle(entry: GlossaryEntry, anchor: HTMLElement): void {
    this.#open = this.isOpenAt(anchor) ? null : { entry, anchor };
  }

  /** Closes it; with `refocus`, the focus goes back to the button that opened it. */
  close(refocus = false): void {
    const anchor = this.#open?.anchor;
    this.#open = null;
    if (refocus && anchor?.isConnected) anchor.focus();
  }
}

export const [glossaryTips, setGlossaryTips] = createContext<GlossaryTips>();

/** The one explanation box of a page, loaded when a term is first opened. */
export const loadGlossaryTip = () => import('$lib/components/GlossaryTip.svelte');
