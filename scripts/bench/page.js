// The page scenario: a member opens a board of N cards in Chromium (Debian's, never a downloaded
// one). Measures first contentful paint, when the first cards are on screen and when every card
// is, each then with the main thread free for the next task after a frame (long lists are drawn in
// steps, the first screen at once: the page answers from the first, and the longest task after it
// says how well), and the JavaScript the member's browser fetched, gzipped. Then a second board of N
// cards in T themes, opened in its lists, switched to "By theme" there, and opened by theme (its
// workshop on a step of the kind "group", which shows the board by theme as it starts). Then a
// third board of N cards in a workshop with a glossary of G words, every card using one or two,
// so every card shows its words as buttons (one compiled matcher for the whole board).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { cardSpecs, seedBoard } from './board.js';
import { randomHex, sessionSocket, themeName } from './lib.js';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run'
];

/** Where the cards are in each arrangement. */
const IN_LISTS = '.lanes [data-card-id]';
/** The first screen: this many cards on screen with their words (more than a phone shows). */
const FIRST_SCREEN = 12;
const BY_THEME = '#themes [data-card-id]';

/** Runs inside the page before any of its own scripts. */
function observeBoard({ n, first, selector }) {
  const b = (window.__bench = {
    cards: null,
    interactive: null,
    first: null,
    firstInteractive: null,
    longTasks: 0,
    longTaskMs: 0,
    longestAfterFirst: 0,
    lastLongTaskEnd: 0,
    wsOpen: null,
    boardData: null
  });
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
        // Time to interactive as Lighthouse defines it: when the last long task ended, before a
        // quiet window (here: until every card is drawn and the page is free again).
        b.lastLongTaskEnd = Math.max(b.lastLongTaskEnd, e.startTime + e.duration);
        // The longest task after the page first answered (while the rest of the board is drawn).
        if (b.firstInteractive !== null && e.startTime >= b.firstInteractive)
          b.longestAfterFirst = Math.max(b.longestAfterFirst, e.duration);
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // long tasks not supported
  }
  // Calls done(cardsAt, interactiveAt) once `count` cards matching `sel` are on screen with their
  // words and the main thread has then been free for the next task after a frame.
  window.__benchWatch = (sel, done, count = n) => {
    let seen = false;
    const check = () => {
      if (seen) return;
      const cards = document.querySelectorAll(sel);
      if (cards.length < count) return;
      const first = cards[0].querySelector('textarea');
      if (count > 0 && first && !first.value) return;
      seen = true;
      const at = performance.now();
      obs.disconnect();
      setTimeout(() => requestAnimationFrame(() => setTimeout(() => done(at, performance.now()))));
    };
    const obs = new MutationObserver(check);
    obs.observe(document, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['value'] });
    // Textarea values are properties, not attributes: poll as well, cheaply.
    const poll = setInterval(() => (seen ? clearInterval(poll) : check()), 10);
    check();
  };
  window.__benchWatch(selector, (cards, interactive) => {
    b.cards = cards;
    b.interactive = interactive;
  });
  // The first screen: long lists are drawn in steps (src/lib/client/steps.svelte.ts), the first
  // cards at once; the page answers from then on, between the steps.
  window.__benchWatch(
    selector,
    (cards, interactive) => {
      b.first = cards;
      b.firstInteractive = interactive;
    },
    Math.min(n, first)
  );
}

/** In the page: press "By theme" and time it until every card is shown by theme and the page is free. */
function switchToThemes(selector) {
  return new Promise((resolve) => {
    const b = window.__bench;
    const button = [...document.querySelectorAll('[aria-label="Show the cards"] button')].find((x) => x.textContent.startsWith('By theme'));
    const longBefore = b.longTaskMs;
    const t0 = performance.now();
    window.__benchWatch(selector, (cards, interactive) =>
      resolve({ cardsMs: cards - t0, interactiveMs: interactive - t0, longTaskMs: b.longTaskMs - longBefore })
    );
    button.click();
  });
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

/** The scripts a page fetched, gzipped. */
async function scriptSizes(scripts, httpBase) {
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
  return { files: files.length, rawKB: raw / 1024, gzipKB: gz / 1024, list: files };
}

/**
 * Opens the board page of `workshopId` as `member` in a fresh context and measures it until `n`
 * cards matching `selector` are on screen and the page is free; `then(page)` may measure more.
 */
async function openBoard(browser, { httpBase, workshopId, member, n, selector, then, trace }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addCookies([{ name: `rt_session_${workshopId}`, value: member.sessionToken, url: httpBase }]);
    const page = await context.newPage();
    const scripts = new Map();
    page.on('response', (r) => {
      const type = r.request().resourceType();
      const ct = r.headers()['content-type'] ?? '';
      if (type === 'script' || /javascript/.test(ct) || /\.m?js(\?|$)/.test(r.url())) scripts.set(r.url(), r);
    });
    await page.addInitScript(observeBoard, { n, first: FIRST_SCREEN, selector });
    if (trace) await browser.startTracing(page, { path: trace, screenshots: false });
    await page.goto(`${httpBase}/w/${workshopId}`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__bench && window.__bench.interactive !== null, null, { timeout: 30_000, polling: 50 });
    const m = await page.evaluate((sel) => {
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        fcpMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
        domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : null,
        loadMs: nav ? nav.loadEventEnd : null,
        wsOpenMs: window.__bench.wsOpen,
        boardDataMs: window.__bench.boardData,
        cardsMs: window.__bench.cards,
        interactiveMs: window.__bench.interactive,
        firstMs: window.__bench.first,
        firstInteractiveMs: window.__bench.firstInteractive,
        longestAfterFirstMs: window.__bench.longestAfterFirst,
        lastLongTaskEndMs: window.__bench.lastLongTaskEnd,
        longTasks: window.__bench.longTasks,
        longTaskMs: window.__bench.longTaskMs,
        cardsOnPage: document.querySelectorAll(sel).length
      };
    }, selector);
    if (then) m.then = await then(page);
    m.js = await scriptSizes(scripts, httpBase);
    return m;
  } finally {
    // (Also after a failed run, or the next run's startTracing would find one still recording.)
    if (trace) await browser.stopTracing().catch(() => undefined);
    await context.close();
  }
}

const median = (runs, key) => {
  const v = runs
    .map((r) => key.split('.').reduce((o, k) => o?.[k], r))
    .filter((x) => typeof x === 'number')
    .sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)] : null;
};
const medians = (runs) => ({
  fcpMs: median(runs, 'fcpMs'),
  wsOpenMs: median(runs, 'wsOpenMs'),
  boardDataMs: median(runs, 'boardDataMs'),
  cardsMs: median(runs, 'cardsMs'),
  interactiveMs: median(runs, 'interactiveMs'),
  firstMs: median(runs, 'firstMs'),
  firstInteractiveMs: median(runs, 'firstInteractiveMs'),
  firstInteractiveMaxMs: Math.max(...runs.map((r) => r.firstInteractiveMs ?? 0)),
  longestAfterFirstMs: Math.max(...runs.map((r) => r.longestAfterFirstMs ?? 0)),
  lastLongTaskEndMs: median(runs, 'lastLongTaskEndMs'),
  interactiveMaxMs: Math.max(...runs.map((r) => r.interactiveMs)),
  longTaskMs: median(runs, 'longTaskMs')
});

/**
 * `api` = { createWorkshop(), join(link, name) } against the running server. `themes` > 0 adds the
 * themed board (every card in one of `themes` themes). `beforeClose()` is called before Chromium
 * closes.
 */
export async function runPage({
  httpBase,
  wsBase,
  api,
  cards,
  cardChars,
  themes = 0,
  glossary = 0,
  runs,
  chromiumPath,
  log,
  buildDir,
  beforeClose
}) {
  const { chromium } = await import('@playwright/test');
  const w = await api.createWorkshop();
  const fac = await api.join(w.links.facilitator, 'Facilitator');
  const seed = await seedBoard({ wsBase, boardId: w.boards[0].id, token: fac.sessionToken, specs: cardSpecs(cards, cardChars) });
  seed.close();
  const member = await api.join(w.links.member, 'Member');

  // The themed board: its own workshop, whose facilitator moves between a "discuss" step (the page
  // opens in its lists) and a "group" step (the page opens by theme).
  let themed = null;
  if (themes > 0) {
    const tw = await api.createWorkshop('Bench themes');
    const tfac = await api.join(tw.links.facilitator, 'Facilitator');
    const list = Array.from({ length: themes }, (_, i) => ({ id: randomHex(12), name: themeName(i) }));
    const specs = cardSpecs(cards, cardChars).map((c, i) => ({ ...c, theme: list[i % themes].id }));
    const tseed = await seedBoard({ wsBase, boardId: tw.boards[0].id, token: tfac.sessionToken, specs, themes: list });
    tseed.close();
    const socket = await sessionSocket(httpBase, tw.id, tfac.sessionToken);
    const step = async (cmd) => {
      const r = await socket.emitWithAck('command', cmd);
      if (!r?.ok) throw new Error(`${cmd.type} refused: ${r?.error?.message}`);
    };
    await step({
      type: 'phases.set',
      phases: [
        { kind: 'discuss', title: 'Discuss' },
        { kind: 'group', title: 'Group the cards' }
      ]
    });
    themed = { workshop: tw, member: await api.join(tw.links.member, 'Member'), step, socket };
  }

  // The glossary board: G words (glossary.put, paced under the command rate limit), and cards
  // that each use one or two of them.
  let worded = null;
  if (glossary > 0) {
    const gw = await api.createWorkshop('Bench glossary');
    const gfac = await api.join(gw.links.facilitator, 'Facilitator');
    const word = (i) => `CSTR${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26)}`;
    const specs = cardSpecs(cards, cardChars).map((c, i) => ({
      ...c,
      text: `${word(i % glossary)} ${c.text} ${word((i * 7) % glossary)}`
    }));
    const gseed = await seedBoard({ wsBase, boardId: gw.boards[0].id, token: gfac.sessionToken, specs });
    gseed.close();
    const socket = await sessionSocket(httpBase, gw.id, gfac.sessionToken);
    for (let i = 0; i < glossary; i++) {
      const r = await socket.emitWithAck('command', {
        type: 'glossary.put',
        term: word(i),
        explanation: `What ${word(i)} means, in plain words.`
      });
      if (r?.ok) continue;
      if (r?.error?.code !== 'rate_limited') throw new Error(`glossary.put refused: ${r?.error?.message}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      i--;
    }
    socket.close();
    worded = { workshop: gw, member: await api.join(gw.links.member, 'Member') };
  }
  const withWords = [];

  const browser = await chromium.launch({ executablePath: chromiumPath, args: ARGS });
  const results = [];
  const inLists = [];
  const byTheme = [];
  try {
    for (let run = 0; run < runs; run++) {
      // BENCH_PAGE_TRACE=<dir> keeps a Chromium trace of each run's board in its lists (trace-<run>.json).
      const trace = process.env.BENCH_PAGE_TRACE ? path.join(process.env.BENCH_PAGE_TRACE, `trace-${run + 1}.json`) : undefined;
      const m = await openBoard(browser, { httpBase, workshopId: w.id, member, n: cards, selector: IN_LISTS, trace });
      results.push(m);
      log?.(`page run ${run + 1}: fcp ${fmt(m.fcpMs)} ms, cards ${fmt(m.cardsMs)} ms, interactive ${fmt(m.interactiveMs)} ms`);
      if (!themed) continue;
      await themed.step({ type: 'phase.go', index: 0 });
      const l = await openBoard(browser, {
        httpBase,
        workshopId: themed.workshop.id,
        member: themed.member,
        n: cards,
        selector: IN_LISTS,
        then: (page) => page.evaluate(switchToThemes, BY_THEME)
      });
      inLists.push(l);
      await themed.step({ type: 'phase.go', index: 1 });
      const t = await openBoard(browser, { httpBase, workshopId: themed.workshop.id, member: themed.member, n: cards, selector: BY_THEME });
      byTheme.push(t);
      log?.(
        `page run ${run + 1}, ${themes} themes: in lists interactive ${fmt(l.interactiveMs)} ms, switched to by theme in ${fmt(l.then.interactiveMs)} ms; opened by theme interactive ${fmt(t.interactiveMs)} ms`
      );
    }
    for (let run = 0; worded && run < runs; run++) {
      const g = await openBoard(browser, {
        httpBase,
        workshopId: worded.workshop.id,
        member: worded.member,
        n: cards,
        selector: IN_LISTS,
        then: (page) => page.evaluate(() => document.querySelectorAll('.lanes [data-card-id] button.term').length)
      });
      withWords.push(g);
      log?.(`page run ${run + 1}, ${glossary}-word glossary: interactive ${fmt(g.interactiveMs)} ms, ${g.then} word buttons`);
    }
  } finally {
    // (Chromium's renderers outlive its zygote at close and are reaped by init: a reading of this
    // process tree's CPU must come before.)
    beforeClose?.();
    await browser.close();
    themed?.socket.close();
  }
  return {
    cards,
    runs: results.map(({ js, ...r }) => r),
    ...medians(results),
    js: results[0].js,
    buildJs: buildJsGzip(buildDir),
    themed: themed
      ? {
          cards,
          themes,
          inLists: { ...medians(inLists), runs: inLists.map(({ js, then, ...r }) => r) },
          switchToThemes: {
            cardsMs: median(inLists, 'then.cardsMs'),
            interactiveMs: median(inLists, 'then.interactiveMs'),
            interactiveMaxMs: Math.max(...inLists.map((r) => r.then.interactiveMs)),
            longTaskMs: median(inLists, 'then.longTaskMs'),
            runs: inLists.map((r) => r.then)
          },
          byTheme: { ...medians(byTheme), runs: byTheme.map(({ js, ...r }) => r) },
          jsByThemeGzipKB: byTheme[0].js.gzipKB
        }
      : null,
    glossary: worded
      ? {
          cards,
          words: glossary,
          ...medians(withWords),
          buttons: withWords[0].then,
          runs: withWords.map(({ js, then, ...r }) => r),
          jsGzipKB: withWords[0].js.gzipKB
        }
      : null
  };
}

function fmt(x) {
  return typeof x === 'number' ? x.toFixed(0) : '-';
}
