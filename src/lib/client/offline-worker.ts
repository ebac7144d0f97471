// Browser only: registers the service worker (src/service-worker.ts) once the page has done its
// own first work. SvelteKit's registration (turned off in svelte.config.js) ran at the page's
// "load" event, and a worker installing fetches and stores every file of the app (about 290 KB
// gzip, some 60 files): on a first visit that happened while the board was still arriving and
// being drawn, on the same cores and the same connection. A 500-card board was drawn whole
// 0.94-1.02 s into the load with it and 0.72-0.77 s without (docs/PERFORMANCE.md). So the worker
// is registered once the page has loaded, whatever a page holds it for (the board page: its
// board, from this device or the server) is done, and the main thread has then been idle for a
// while; in any case within QUIET_WAIT_MS of that. Offline support needs the worker only from
// the second visit on, so nothing is lost by a few seconds' wait.
import { dev } from '$app/environment';
import { base } from '$app/paths';

/** The longest wait for an idle main thread once the page and what it held for are done. */
const QUIET_WAIT_MS = 5_000;
/** The longest wait for what a page holds the worker for (a board that never comes). */
const HOLD_WAIT_MS = 15_000;
/** An idle period this long (Chrome gives up to 50 ms when nothing is due) means the page's work is done. */
const IDLE_MS = 45;

const held: Promise<unknown>[] = [];
let started = false;
/** Set once the holds are waited for: later ones (a board page opened by a later navigation) change nothing. */
let holdsTaken = false;

/** Holds the worker's registration until `done` settles (at most HOLD_WAIT_MS). Call as the page starts, before its "load". */
export function holdWorkerUntil(done: Promise<unknown>): void {
  if (!holdsTaken) held.push(done.catch(() => undefined));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function loaded(): Promise<void> {
  if (document.readyState === 'complete') return Promise.resolve();
  return new Promise((resolve) => addEventListener('load', () => resolve(), { once: true }));
}

/** Resolves at the first idle period of IDLE_MS or more, or after QUIET_WAIT_MS. */
function quiet(): Promise<void> {
  if (typeof requestIdleCallback !== 'function') return sleep(1_000);
  return new Promise((resolve) => {
    const giveUp = setTimeout(resolve, QUIET_WAIT_MS);
    const check = (deadline: IdleDeadline) => {
      if (deadline.timeRemaining() < IDLE_MS && !deadline.didTimeout) return void requestIdleCallback(check);
      clearTimeout(giveUp);
      resolve();
    };
    requestIdleCallback(check, { timeout: QUIET_WAIT_MS });
  });
}

/** Registers the service worker once the page is quiet (see above). Once per page load. */
export function registerWorkerWhenQuiet(): void {
  if (started || !('serviceWorker' in navigator)) return;
  started = true;
  void (async () => {
    await loaded();
    holdsTaken = true;
    await Promise.race([Promise.all(held.splice(0)), sleep(HOLD_WAIT_MS)]);
    await quiet();
    // As SvelteKit registers it: a module in development, where it is not bundled.
    await navigator.serviceWorker.register(`${base}/service-worker.js`, { type: dev ? 'module' : 'classic' });
  })().catch(() => undefined);
}
