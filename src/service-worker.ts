/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Offline support. The app's files (and the "you have left" page) are cached at install. Of the
// pages, only a workshop's board page is kept, and only because the board page itself asks for
// it while its person is signed in (src/lib/client/device.ts); this worker never stores a page on
// its own. With the board in IndexedDB, a reload while offline shows the board and accepts edits.
// A kept board page is served only while the companion cookie `rt_here_<id>` says this device is
// signed in; without it (left, cookies cleared on a shared computer) the worker deletes the page and
// the boards' copies and says so. Nothing with a capability (/j/<token>, /join, /w/<id>/invite)
// or live traffic (/api, /sync, /socket.io) is ever cached. Browsers allow service workers on https
// and localhost only; on plain http over a LAN the app works as before, without offline reloads.
import { build, files, version } from '$service-worker';
import { BOARD_PAGE, HERE, PAGES_CACHE, boardDatabaseName, boardPagePath, hereCookieName } from '$lib/protocol/device';

const sw = self as unknown as ServiceWorkerGlobalScope;
const ASSETS_CACHE = `roundtable-assets-${version}`;
const ASSETS = [...build, ...files];
/** Pages without anything of a workshop in them, kept with the app's files. */
const STATIC_PAGES = ['/left'];
const LIVE = /^\/(api|sync|socket\.io|healthz)(\/|$)|\/export\.csv$/;

interface CookieStore {
  get(name: string): Promise<{ value: string } | null>;
}

/**
 * Whether this device is signed in to the workshop, from the companion cookie; null where the
 * worker cannot read cookies (no `cookieStore`): the page then checks `document.cookie` itself
 * before showing anything, and clears what is kept.
 */
async function signedIn(workshopId: string): Promise<boolean | null> {
  const store = (sw as unknown as { cookieStore?: CookieStore }).cookieStore;
  if (!store) return null;
  try {
    return (await store.get(hereCookieName(workshopId)))?.value === HERE;
  } catch {
    return null;
  }
}

/** Deletes a workshop's kept board page and the IndexedDB copies of the boards it names. */
async function forget(workshopId: string): Promise<void> {
  const cache = await caches.open(PAGES_CACHE);
  for (const request of await cache.keys()) {
    if (BOARD_PAGE.exec(new URL(request.url).pathname)?.[1] !== workshopId) continue;
    const kept = await cache.match(request);
    for (const id of (kept?.headers.get('x-roundtable-boards') ?? '').split(',')) {
      if (/^[A-Za-z0-9_-]{1,64}$/.test(id)) indexedDB.deleteDatabase(boardDatabaseName(id));
    }
    await cache.delete(request);
  }
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(ASSETS_CACHE)
      // A page that fails to load must not cost the whole offline support.
      .then((cache) => cache.addAll(ASSETS).then(() => Promise.all(STATIC_PAGES.map((p) => cache.add(p).catch(() => undefined)))))
      .then(() => sw.skipWaiting())
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const keys = await caches.keys();
      await Promise.all(keys.filter((k) => k.startsWith('roundtable-assets-') && k !== ASSETS_CACHE).map((k) => caches.delete(k)));
      // Earlier versions kept every page they served (invite pages with their links among them):
      // only board pages stay, and only those of workshops this device is still signed in to.
      const pages = await caches.open(PAGES_CACHE);
      for (const request of await pages.keys()) {
        const id = BOARD_PAGE.exec(new URL(request.url).pathname)?.[1];
        if (!id || new URL(request.url).search) await pages.delete(request);
        else if ((await signedIn(id)) === false) await forget(id);
      }
      await sw.clients.claim();
    })()
  );
});

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A plain page saying why nothing is shown, in the app's own style and this device's reading aids
 * (the stylesheet and static/reading-aids.js are cached with the app's files; no other script).
 */
function refusal(heading: string, paragraphs: string[]): Response {
  const body = `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(heading)} – Roundtable</title>
<script src="/reading-aids.js"></script>
<link rel="stylesheet" href="/app.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header"><a href="/">Roundtable</a></header>
<main id="main" class="narrow" tabindex="-1">
<h1>${escape(heading)}</h1>
${paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n')}
</main>
</body>
</html>`;
  return new Response(body, {
    status: 503,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'",
      'referrer-policy': 'same-origin'
    }
  });
}

async function navigate(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const board = BOARD_PAGE.exec(url.pathname)?.[1];
  try {
    const response = await fetch(request);
    // Answered without the companion cookie (signed out, or just deleted by this very answer).
    if (board && (await signedIn(board)) === false) await forget(board);
    return response;
  } catch {
    if (board) {
      const here = await signedIn(board);
      const kept = here === false ? undefined : await (await caches.open(PAGES_CACHE)).match(boardPagePath(board));
      if (kept) return kept;
      if (here === false) await forget(board);
      return refusal('This board is not kept on this device', [
        'You are offline, and this device keeps no copy of this workshop: it has left the workshop, or it never kept it.',
        'When you are back online, open the board again, or use your invite link or the code on the screen.'
      ]);
    }
    const page = STATIC_PAGES.includes(url.pathname) ? await caches.match(url.pathname, { cacheName: ASSETS_CACHE }) : undefined;
    if (page) return page;
    return refusal('You are offline', ['This page needs the internet. Try again when you are back online.']);
  }
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin || LIVE.test(url.pathname)) return;

  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
    return;
  }
  // Pages: from the network; without one, a kept board page or a plain refusal. Page data
  // (__data.json) and everything else go to the network as if there were no worker.
  if (request.mode === 'navigate') event.respondWith(navigate(request));
});
