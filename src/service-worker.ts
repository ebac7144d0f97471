/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Offline support: the app's files are cached at install, and pages (the board above all) are
// served from the network when there is one and from the last copy when there is not. With the
// board in IndexedDB, a reload while offline shows the board and accepts edits. Live traffic
// (/api, /sync, /socket.io) is never cached. Browsers allow service workers on https and
// localhost only; on plain http over a LAN the app works as before, without offline reloads.
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const ASSETS_CACHE = `roundtable-assets-${version}`;
const PAGES_CACHE = 'roundtable-pages';
const ASSETS = [...build, ...files];
const LIVE = /^\/(api|sync|socket\.io|healthz)(\/|$)|\/export\.csv$/;

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(ASSETS_CACHE)
      .then((cache) => cache.addAll(ASSETS))
      .then(() => sw.skipWaiting())
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('roundtable-assets-') && k !== ASSETS_CACHE).map((k) => caches.delete(k))))
      .then(() => sw.clients.claim())
  );
});

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin || LIVE.test(url.pathname)) return;

  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
    return;
  }

  // Pages and their data: network first, keep a copy of each good answer for offline use.
  event.respondWith(
    (async () => {
      const cache = await caches.open(PAGES_CACHE);
      try {
        const response = await fetch(request);
        if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
        return response;
      } catch (err) {
        const hit = await cache.match(request, { ignoreSearch: url.pathname.startsWith('/w/') });
        if (hit) return hit;
        throw err;
      }
    })()
  );
});
