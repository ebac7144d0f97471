// Browser only: what this device keeps of a workshop for offline use, and clearing it. A device
// keeps a workshop's board page (Cache Storage), its boards (IndexedDB), the board written at
// page hide, the private cards not yet shown and the cards posted without a name not yet sent
// (localStorage), and only while the person is
// signed in here: the companion cookie `rt_here_<id>` says so (the session cookie is httpOnly).
// See "What a device keeps" in docs/ARCHITECTURE.md.
import {
  BOARD_PAGE,
  HERE,
  KEPT_PREFIX,
  LEFT,
  NAME_KEY,
  PAGES_CACHE,
  boardDatabaseName,
  boardPagePath,
  draftsKey,
  hereCookieName,
  keptKey,
  outboxKey,
  prepareKey,
  unsavedKey
} from '$lib/protocol/device';
import { forgetReadingAids } from './reading-aids.svelte';

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** True while this device is signed in to the workshop (the companion cookie is there). */
export function signedInHere(workshopId: string): boolean {
  return readCookie(hereCookieName(workshopId)) === HERE;
}

/** True when this device left the workshop offline and the server has not heard yet. */
export function leavePending(): boolean {
  return document.cookie.split(';').some((part) => part.trim().startsWith(hereCookieName('')) && part.trim().endsWith(`=${LEFT}`));
}

/**
 * Offline, the server cannot delete the httpOnly session cookie. So the companion says `left`:
 * from now on this device is not signed in (the server reads no session next to it, the service
 * worker serves no kept page), and the first request that reaches the server ends the session and
 * deletes both cookies.
 */
function markLeft(workshopId: string): void {
  const secure = location.protocol === 'https:' ? '; secure' : '';
  document.cookie = `${hereCookieName(workshopId)}=${LEFT}; path=/; max-age=${60 * 60 * 24 * 30}; samesite=lax${secure}`;
}

function storage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null; // blocked
  }
}

function keptBoards(workshopId: string): string[] {
  try {
    const raw = storage()?.getItem(keptKey(workshopId));
    const list = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(list) ? list.filter((b): b is string => typeof b === 'string') : [];
  } catch {
    return [];
  }
}

const forgetting = new Set<string>();

/**
 * Keeps this workshop's board page for a reload without a signal (the service worker serves it
 * only while `rt_here_<id>` is there), and notes which boards this device keeps, so they can be
 * cleared later even from another page.
 */
export async function keepForOffline(workshopId: string, boardIds: string[]): Promise<void> {
  if (!signedInHere(workshopId)) return;
  try {
    storage()?.setItem(keptKey(workshopId), JSON.stringify(boardIds));
  } catch {
    // storage full or blocked: the board page clears what it knows when it runs
  }
  if (!('serviceWorker' in navigator) || !('caches' in window)) return;
  await navigator.serviceWorker.ready;
  if (!signedInHere(workshopId) || forgetting.has(workshopId)) return;
  const cache = await caches.open(PAGES_CACHE);
  await cache.add(boardPagePath(workshopId));
  // Left (or removed) while the copy was on its way: it does not stay.
  if (!signedInHere(workshopId) || forgetting.has(workshopId)) await cache.delete(boardPagePath(workshopId));
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    try {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = () => resolve();
      // Another tab still has it open: it is deleted once that tab lets go.
      request.onblocked = () => resolve();
    } catch {
      resolve();
    }
  });
}

/**
 * Removes everything this device keeps of a workshop: its board page from the cache, each board's
 * IndexedDB copy and page-hide copy, the private cards not yet shown, the cards without a name
 * not yet sent and a question being prepared. With `name`, also the name remembered for the next invite page.
 */
export async function forgetWorkshop(workshopId: string, options: { boardIds?: string[]; name?: boolean } = {}): Promise<void> {
  forgetting.add(workshopId);
  const boards = new Set([...(options.boardIds ?? []), ...keptBoards(workshopId)]);
  const store = storage();
  try {
    for (const id of boards) store?.removeItem(unsavedKey(id));
    store?.removeItem(draftsKey(workshopId));
    store?.removeItem(outboxKey(workshopId));
    store?.removeItem(prepareKey(workshopId));
    store?.removeItem(keptKey(workshopId));
    if (options.name) store?.removeItem(NAME_KEY);
  } catch {
    // storage blocked
  }
  if ('caches' in window) {
    try {
      const cache = await caches.open(PAGES_CACHE);
      for (const request of await cache.keys()) {
        if (BOARD_PAGE.exec(new URL(request.url).pathname)?.[1] === workshopId) await cache.delete(request);
      }
    } catch {
      // no cache storage here
    }
  }
  await Promise.all([...boards].map((id) => deleteDatabase(boardDatabaseName(id))));
}

const CHANNEL = 'roundtable-device';

/**
 * This device leaves the workshop: clears what it keeps (the reading aids among it), ends the session on the server (or, with
 * no signal, marks it left so the server ends it on the next request) and tells the other tabs.
 */
export async function leaveWorkshop(workshopId: string, boardIds: string[]): Promise<void> {
  await forgetWorkshop(workshopId, { boardIds, name: true });
  // The reading aids too: not part of the workshop, but a choice like large text or read aloud
  // says something about the person who made it, and the next person should find the standard page.
  forgetReadingAids();
  await endSessionHere(workshopId);
  try {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage({ left: workshopId });
    channel.close();
  } catch {
    // no BroadcastChannel: other tabs find out when their session is refused
  }
}

/** Deletes both cookies through the server; without a signal, marks this device as left. */
export async function endSessionHere(workshopId: string): Promise<void> {
  try {
    const response = await fetch('/api/session/leave', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workshop: workshopId }),
      cache: 'no-store',
      // A signal too weak to answer counts as none: the device is marked left instead.
      signal: typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(8000) : undefined
    });
    if (response.ok) return;
  } catch {
    // offline
  }
  markLeft(workshopId);
}

/** Calls `listener` when another tab of this device left the workshop. */
export function onLeftElsewhere(workshopId: string, listener: () => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<{ left?: string }>) => {
    if (event.data?.left === workshopId) listener();
  };
  return () => channel.close();
}

/**
 * Clears every workshop this device keeps but is no longer signed in to (cookies cleared or
 * expired, a leave or removal this page did not see). Runs when any page starts.
 */
export async function sweepDevice(): Promise<void> {
  const gone = new Set<string>();
  const store = storage();
  try {
    for (let i = 0; store && i < store.length; i++) {
      const key = store.key(i) ?? '';
      const prefix = [KEPT_PREFIX, draftsKey(''), outboxKey(''), prepareKey('')].find((p) => key.startsWith(p));
      const id = prefix ? key.slice(prefix.length) : '';
      if (id && !signedInHere(id)) gone.add(id);
    }
  } catch {
    // storage blocked
  }
  if ('caches' in window) {
    try {
      const cache = await caches.open(PAGES_CACHE);
      for (const request of await cache.keys()) {
        const id = BOARD_PAGE.exec(new URL(request.url).pathname)?.[1];
        if (id && !signedInHere(id)) gone.add(id);
      }
    } catch {
      // no cache storage here
    }
  }
  for (const id of gone) await forgetWorkshop(id);
}
