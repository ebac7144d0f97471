// What a device keeps, by name: shared by the server (cookies), the service worker (the page
// cache) and the pages (IndexedDB, localStorage), so each can find and clear the others' copies.
// See "What a device keeps" in docs/ARCHITECTURE.md.

/** The Cache Storage cache holding the board pages kept for offline use (and nothing else). */
export const PAGES_CACHE = 'roundtable-pages';

/**
 * The companion of the httpOnly session cookie: set and cleared with it, same path, lifetime and
 * SameSite, readable by the page and the service worker, and holding no secret. `here` while this
 * device is signed in to the workshop; `left` once it left while offline (the server ends the
 * session and clears both cookies on the next request that reaches it).
 */
export function hereCookieName(workshopId: string): string {
  return `rt_here_${workshopId}`;
}
export const HERE = 'here';
export const LEFT = 'left';

/**
 * Set by the server (httpOnly, no secret) once it learns that the person using this device was
 * removed from the workshop: from then on this device is refused a new join there, whatever link
 * or code it uses (WorkshopService.join). Never cleared by leaving or clearing the device; it goes
 * with the browser's cookies, after the session cookie's lifetime.
 */
export function removedCookieName(workshopId: string): string {
  return `rt_removed_${workshopId}`;
}
export const REMOVED = 'removed';

/** The one page kept for offline use: a workshop's board page, `/w/<workshopId>`. */
export const BOARD_PAGE = /^\/w\/([A-Za-z0-9_-]{1,64})\/?$/;
export function boardPagePath(workshopId: string): string {
  return `/w/${workshopId}`;
}

/** y-indexeddb's database for one board: this device's copy of everything on it. */
export function boardDatabaseName(boardId: string): string {
  return `roundtable-board-${boardId}`;
}
/** localStorage: the whole board, written when the page goes and merged in on the next load. */
export function unsavedKey(boardId: string): string {
  return `roundtable.unsaved.${boardId}`;
}
/** localStorage: this person's private cards (silent writing) not yet shown. */
export function draftsKey(workshopId: string): string {
  return `roundtable.drafts.${workshopId}`;
}
/** localStorage: this person's cards posted without a name that the server has not taken yet (offline). */
export function outboxKey(workshopId: string): string {
  return `roundtable.outbox.${workshopId}`;
}
/** localStorage: the question, background and glossary entry being prepared and not yet saved. */
export function prepareKey(workshopId: string): string {
  return `roundtable.prepare.${workshopId}`;
}
/** localStorage: which boards of a workshop this device keeps, so they can be cleared later. */
export function keptKey(workshopId: string): string {
  return `roundtable.kept.${workshopId}`;
}
export const KEPT_PREFIX = 'roundtable.kept.';
/** localStorage: the name typed on the last invite page, to save typing next time. */
export const NAME_KEY = 'roundtable.name';
/**
 * localStorage: this device's reading aids (text size, high contrast, less movement, more space),
 * for every page and every workshop, as JSON (src/lib/domain/reading-aids.ts). Read before the
 * first paint by static/reading-aids.js, which spells the name out and is held to it by
 * tests/unit/reading-aids.test.ts. Not part of any workshop, so the sweep leaves it; "Leave and
 * clear this device" removes it, because a choice like large text says something about the person
 * who made it (docs/ARCHITECTURE.md, "What a device keeps").
 */
export const READING_AIDS_KEY = 'roundtable.reading-aids';
