// The page scenario: a member opens a board of N cards in Chromium (Debian's, never a downloaded
// one). Measures first contentful paint, when every card is on screen, and when the page is
// interactive (cards on screen with their words, then the main thread free for the next task after
// a frame), and the JavaScript the member's browser fetched, gzipped.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { cardSpecs, seedBoard } from './board.js';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run'
];

/** Runs inside the page before any of its own scripts. */
function observeBoard(n) {
  const b = (window.__bench = { cards: null, interactive: null, longTasks: 0, longTaskMs: 0, wsOpen: null, boardData: null });
  // When the board's socket opened and when its first large message (the board) arrived.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      if (!String(args[0]).includes('/sync/')) return;
      this.addEventListener('open', () => (b.wsOpen ??= performance.now()));
      this.addEventListener('message', (e) => {
        const size = e.data?.byteLength ?? e.data?.size ?? 0;
        if (size > 1024) b.boardData ??= performance.now();
      });
    }
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        b.longTasks++;
        b.longTaskMs += e.duration;
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // long tasks not supported
  }
  const check = () => {
    if (b.cards !== null) return;
    const cards = document.querySelectorAll('[data-card-id]');
    if (cards.length < n) return;
    const first = cards[0].querySelector('textarea');
    if (n > 0 && first && !first.value) return;
    b.cards = performance.now();
    obs.disconnect();
    setTimeout(() => requestAnimationFrame(() => setTimeout(() => (b.interactive = performance.now()))));
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['value'] });
  // Textarea values are properties, not attributes: poll as well, cheaply.
  const poll = setInterval(() => (b.cards === null ? check() : clearInterval(poll)), 10);
}

export async function gzipSize(buf) {
  return zlib.gzipSync(buf, { level: 9 }).length;
}

/** All client JavaScript in the build (what any page could ever load), gzipped. */
export function buildJsGzip(root = 'build/client') {
  let raw = 0;
  let gz = 0;
  let files = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) {
        const buf = fs.readFileSync(p);
        raw += buf.length;
        gz += zlib.gzipSync(buf, { level: 9 }).length;
        files++;
      }
    }
  };
  if (fs.existsSync(root)) walk(root);
  return { files, rawKB: raw / 1024, gzipKB: gz / 1024 };
}

/**
 * `api` = { createWorkshop(), join(link, name) } against the running server.
 */
export async function runPage({ httpBase, wsBase, api, cards, cardChars, runs, chromiumPath, log, buildDir }) {
  const { chromium } = await import('@playwright/test');
  const w = await api.createWorkshop();
  const boardId = w.boards[0].id;
  const fac = await api.join(w.links.facilitator, 'Facilitator');
  const seed = await seedBoard({ wsBase, boardId, token: fac.sessionToken, specs: cardSpecs(cards, cardChars) });
  seed.close();
  const member = await api.join(w.links.member, 'Member');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ARGS });
  const results = [];
  let js = null;
  try {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addCookies([{ name: `rt_session_${w.id}`, value: member.sessionToken, url: httpBase }]);
      const page = await context.newPage();
      const scripts = new Map();
      page.on('response', (r) => {
        const type = r.request().resourceType();
        const ct = r.headers()['content-type'] ?? '';
        if (type === 'script' || /javascript/.test(ct) || /\.m?js(\?|$)/.test(r.url())) scripts.set(r.url(), r);
      });
      await page.addInitScript(observeBoard, cards);
      await page.goto(`${httpBase}/w/${w.id}`, { waitUntil: 'load' });
      await page.waitForFunction(() => window.__bench && window.__bench.interactive !== null, null, { timeout: 30_000, polling: 50 });
      const m = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        return {
          fcpMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
          domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : null,
          loadMs: nav ? nav.loadEventEnd : null,
          wsOpenMs: window.__bench.wsOpen,
          boardDataMs: window.__bench.boardData,
          cardsMs: window.__bench.cards,
          interactiveMs: window.__bench.interactive,
          longTasks: window.__bench.longTasks,
          longTaskMs: window.__bench.longTaskMs,
          cardsOnPage: document.querySelectorAll('[data-card-id]').length
        };
      });
      results.push(m);
      if (!js) {
        let raw = 0;
        let gz = 0;
        const files = [];
        for (const [url, r] of scripts) {
          const body = await r.body().catch(() => null);
          if (!body) continue;
          const g = await gzipSize(body);
          raw += body.length;
          gz += g;
          files.push({ url: url.replace(httpBase, ''), rawKB: body.length / 1024, gzipKB: g / 1024 });
        }
        js = { files: files.length, rawKB: raw / 1024, gzipKB: gz / 1024, list: files };
      }
      log?.(`page run ${run + 1}: fcp ${fmt(m.fcpMs)} ms, cards ${fmt(m.cardsMs)} ms, interactive ${fmt(m.interactiveMs)} ms`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const median = (key) => {
    const v = results
      .map((r) => r[key])
      .filter((x) => typeof x === 'number')
      .sort((a, b) => a - b);
    return v.length ? v[Math.floor((v.length - 1) / 2)] : null;
  };
  return {
    cards,
    runs: results,
    fcpMs: median('fcpMs'),
    wsOpenMs: median('wsOpenMs'),
    boardDataMs: median('boardDataMs'),
    cardsMs: median('cardsMs'),
    interactiveMs: median('interactiveMs'),
    longTaskMs: median('longTaskMs'),
    js,
    buildJs: buildJsGzip(buildDir)
  };
}

function fmt(x) {
  return typeof x === 'number' ? x.toFixed(0) : '-';
}
