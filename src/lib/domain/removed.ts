// Removed cards and the notices people get about their cards: who may put a removed card back,
// what is said about who removed it, and the plain sentences people read. Pure: the server
// decides with these, the page words its notices with them. See "Removed cards" in docs/API.md.
import type { Role } from './roles';

/** Who took a removed card off the board, as its author and the facilitator are told: never who. */
export type RemovedBy = 'facilitator' | 'someone';

export const REMOVED_RULES = {
  /** Removed cards kept per board; past this the oldest removal is let go (L-REMOVED-3). */
  perBoard: 2000,
  /**
   * Characters of one removed card's snapshot as JSON. The page's cards (2,000 characters of
   * words at most) stay far below it; a larger one, only a script could write, is kept with its
   * known fields and its words cut to the card limit (L-REMOVED-4).
   */
  snapshotChars: 64 * 1024,
  /** Characters of a card's words quoted in a notice; longer words end with "…". */
  quoteChars: 80
} as const;

/** Facilitators' removals are moderation, said as such; anyone else's is "someone on the board". */
export function removedByOf(role: Role): RemovedBy {
  return role === 'facilitator' ? 'facilitator' : 'someone';
}

export type RestoreCheck = { ok: true } | { ok: false; message: string };

/**
 * Whether `actor` may put a removed card back: its author (their own words) or a facilitator;
 * not on a locked board (nor once the workshop has ended, which locks every board) unless a
 * facilitator. A card posted without a name has no author, so only a facilitator can.
 */
export function mayRestoreRemoved(actor: { id: string; role: Role }, card: { authorId: string | null }, locked: boolean): RestoreCheck {
  if (actor.role === 'facilitator') return { ok: true };
  if (card.authorId !== actor.id)
    return { ok: false, message: 'Only the person who wrote this card, or the facilitator, can put it back.' };
  if (locked) return { ok: false, message: 'The board is locked. Ask the facilitator to put your card back.' };
  return { ok: true };
}

/** A card's words as quoted in a sentence: one line, at most REMOVED_RULES.quoteChars characters. */
export function quoteCard(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (!line) return 'a card with no words';
  const cut = line.length > REMOVED_RULES.quoteChars ? `${line.slice(0, REMOVED_RULES.quoteChars - 1).trimEnd()}…` : line;
  return `‘${cut}’`;
}

/** What the author of a removed card reads. */
export function removedNotice(text: string): string {
  return `Your card ${quoteCard(text)} was removed by someone. You can put it back.`;
}

/** What the author of a hidden card reads. */
export function hiddenNotice(text: string, reason: string): string {
  return `The facilitator hid your card ${quoteCard(text)}. Reason: ‘${reason.trim()}’.`;
}

/** How the facilitator's list says who removed a card, and when (the time on the page's clock). */
export function removedByText(by: RemovedBy): string {
  return by === 'facilitator' ? 'Removed by a facilitator' : 'Removed by someone on the board';
}
