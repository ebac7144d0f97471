// A load generator process, forked by scripts/bench.js. It holds some of a scenario's simulated
// participants and reports what they saw. Three kinds of participant:
//   real:  a standard y-websocket client (WebsocketProvider + Y.Doc) that types stamped edits into
//          a card and measures other people's edits as they arrive;
//   watch: a raw `ws` socket that speaks just enough of the protocol to be a passive page: answers
//          sync step 1, publishes presence, renews it every 15-18 s and re-sends presence updates
//          it receives (as y-websocket pages do), and measures the edits it receives;
//   write: a raw socket that behaves like a watcher and also types: it keeps a Y.Doc with only
//          its own card (it creates it), sends its stamped edits as standard sync updates, and
//          measures others' edits by scanning, without applying them (many-workshops: 1,000
//          writers in full Y.Docs would use the generators' whole share of the machine);
//   join:  a watcher that joins at a set moment (join rush) and reports how long until the full
//          board arrived.
// Messages from the parent: setup -> ready, run -> done, realJoin -> realJoined, close.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  EMPTY_STEP1,
  EMPTY_STEP2,
  Histogram,
  MSG_AWARENESS,
  MSG_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  awarenessMessage,
  forwardAwareness,
  makeStamp,
  nowUs,
  syncMessage,
  SYNC_UPDATE,
  readAwareness,
  scanStamps,
  sleep
} from './lib.js';
import { connectProvider, whenSynced } from './board.js';

let cfg = null;
/** cfg.pairSenders as a set (see stats.pairs). */
let pairSenders = null;
const clients = [];
let phase = 'setup'; // setup | ready | running | closing
let win = null; // { start, end } in µs
const stats = {
  hist: new Histogram(),
  /** The same latencies split by who received them: y-websocket clients, or raw watchers. */
  histByKind: { real: new Histogram(), write: new Histogram(), watch: new Histogram() },
  /** With several server processes (cfg.senderProc): latencies of pairs on one process, and across. */
  histSame: new Histogram(),
  histCross: new Histogram(),
  /**
   * Arrivals of the edits of cfg.pairSenders (people on a split board's home process: each edit
   * reaches people on the sender's process and someone on another), flat as sender, seq, arrival
   * µs, 1 if across: the coordinator pairs each edit's arrival across with its arrivals on the
   * sender's process, so what crossing adds is read per edit rather than from two distributions.
   */
  pairs: [],
  delivered: 0,
  deliveredInWindow: 0,
  sent: 0,
  sentByBoard: {},
  failed: 0,
  dropped: 0,
  reconnects: 0,
  closeCodes: {},
  joins: [],
  errors: [],
  /** Messages received from the server, by kind, during the window. */
  messages: { sync: 0, awareness: 0, bytes: 0, echoes: 0 }
};
// How late this process's timers run: if the generator itself is overloaded, its latency figures
// include its own queueing, and the report says so.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

function countMessage(buf) {
  if (phase !== 'running') return;
  if (buf[0] === MSG_SYNC) stats.messages.sync++;
  else if (buf[0] === MSG_AWARENESS) stats.messages.awareness++;
  stats.messages.bytes += buf.length;
}

function send(msg) {
  if (process.connected) process.send(msg);
}

function noteClose(code) {
  stats.closeCodes[code] = (stats.closeCodes[code] ?? 0) + 1;
}

/** Counts other people's stamps in a sync message that arrived at `arrival` µs. */
function receive(c, buf, arrival) {
  scanStamps(buf, (sender, seq, sentUs) => {
    if (sender === c.sender) return;
    const last = c.lastSeq.get(sender) ?? 0;
    if (seq <= last) return;
    c.lastSeq.set(sender, seq);
    if (!win || sentUs < win.start || sentUs > win.end) return;
    stats.hist.add(arrival - sentUs);
    stats.histByKind[c.kind === 'real' ? 'real' : c.kind === 'write' ? 'write' : 'watch'].add(arrival - sentUs);
    if (cfg.senderProc) {
      const across = cfg.senderProc[sender] !== c.proc;
      (across ? stats.histCross : stats.histSame).add(arrival - sentUs);
      if (pairSenders?.has(sender)) stats.pairs.push(sender, seq, arrival, across ? 1 : 0);
    }
    stats.delivered++;
    if (arrival <= win.end) stats.deliveredInWindow++;
  });
}

// ------------------------------------------------------------------------------- real clients

function tapClass(c) {
  return class TapWebSocket extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols, { perMessageDeflate: false });
      this.on('message', (data) => {
        const arrival = nowUs();
        const buf = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
        countMessage(buf);
        if (buf[0] === MSG_SYNC && c.measure) receive(c, buf, arrival);
      });
    }
  };
}

async function startReal(c) {
  c.doc = new Y.Doc();
  c.lastSeq = new Map();
  c.seq = 0;
  c.synced = false;
  c.provider = connectProvider(cfg.wsBase, c.boardId, c.token, c.doc, tapClass(c));
  c.provider.awareness.setLocalState({ user: { name: c.name, role: 'member', color: '#1d3557' }, editing: c.cardId ?? null });
  c.provider.on('connection-close', (event) => {
    if (event) noteClose(event.code);
    if (phase === 'closing') return;
    if (c.synced) stats.dropped++;
  });
  c.provider.on('sync', (ok) => {
    if (ok && c.synced) stats.reconnects++;
    if (ok) c.synced = true;
  });
  try {
    await whenSynced(c.provider, cfg.connectTimeoutMs);
    if (c.cardId) {
      const cards = c.doc.getMap('cards');
      const deadline = Date.now() + cfg.connectTimeoutMs;
      while (!cards.get(c.cardId) && Date.now() < deadline) await sleep(20);
      const card = cards.get(c.cardId);
      if (!card) throw new Error(`card ${c.cardId} never arrived`);
      c.text = card.get('text');
    }
    c.ok = true;
  } catch (err) {
    c.ok = false;
    stats.failed++;
    if (stats.errors.length < 5) stats.errors.push(String(err.message ?? err));
  }
}

function editReal(c) {
  const us = nowUs();
  const stamp = makeStamp(c.sender, ++c.seq, us);
  const text = c.text;
  c.doc.transact(() => {
    // Typing and deleting: keeps a card near its real size (cards hold up to 2,000 characters).
    if (text.length > 400) text.delete(0, 100);
    text.insert(text.length, stamp);
  });
  stats.sent++;
  stats.sentByBoard[c.boardId] = (stats.sentByBoard[c.boardId] ?? 0) + 1;
}

// -------------------------------------------------------------------------------- raw sockets

function presenceJson(c) {
  return JSON.stringify({ user: { name: c.name, role: 'member', color: '#1d3557' }, editing: c.kind === 'write' ? c.cardId : null });
}

/** A light writer's own card, in its own small Y.Doc, laid out as src/lib/board/schema.ts says. */
function createOwnCard(c) {
  c.doc = new Y.Doc();
  c.seq = 0;
  c.doc.on('update', (update) => {
    if (c.ws.readyState === WebSocket.OPEN) c.ws.send(syncMessage(SYNC_UPDATE, update));
  });
  c.doc.transact(() => {
    const card = new Y.Map();
    c.text = new Y.Text();
    card.set('lane', 'problems');
    card.set('order', `a${c.sender.toString(36)}`);
    card.set('text', c.text);
    card.set('createdAt', Date.now());
    c.doc.getMap('cards').set(c.cardId, card);
  });
}

function editLight(c) {
  const us = nowUs();
  const stamp = makeStamp(c.sender, ++c.seq, us);
  const text = c.text;
  c.doc.transact(() => {
    if (text.length > 400) text.delete(0, 100);
    text.insert(text.length, stamp);
  });
  stats.sent++;
  stats.sentByBoard[c.boardId] = (stats.sentByBoard[c.boardId] ?? 0) + 1;
}

function sendPresence(c) {
  if (!c.ws || c.ws.readyState !== WebSocket.OPEN) return;
  c.clock++;
  c.ws.send(awarenessMessage([{ clientId: c.clientId, clock: c.clock, json: c.presence }]));
}

function scheduleRenewal(c) {
  // y-protocols checks every 3 s and renews a state older than 15 s.
  c.renewTimer = setTimeout(
    () => {
      if (phase === 'closing') return;
      sendPresence(c);
      scheduleRenewal(c);
    },
    15_000 + Math.random() * 3000
  );
  c.renewTimer.unref();
}

/** Re-sends the entries whose clock moved on, as a y-websocket page's awareness handler does. */
function echoPresence(c, buf) {
  let entries;
  try {
    entries = readAwareness(buf);
  } catch {
    return;
  }
  const changed = [];
  for (const e of entries) {
    if (e.clientId === c.clientId) continue;
    const known = c.clocks.get(e.clientId);
    if (known === undefined && e.isNull) continue;
    if (known !== undefined && e.clock <= known) continue;
    c.clocks.set(e.clientId, e.clock);
    changed.push(e);
  }
  if (!changed.length || c.ws.readyState !== WebSocket.OPEN) return;
  if (phase === 'running') stats.messages.echoes++;
  c.ws.send(changed.length === entries.length ? buf : forwardAwareness(buf, changed));
}

function startRaw(c, t0 = nowUs()) {
  c.lastSeq = new Map();
  c.clocks = new Map();
  c.clock = 0;
  c.clientId = 1 + Math.floor(Math.random() * 0xfffffff0);
  c.presence = presenceJson(c);
  c.synced = false;
  return new Promise((resolve) => {
    const url = `${c.wsBase ?? cfg.wsBase}/sync/${c.boardId}${c.token ? `?token=${encodeURIComponent(c.token)}` : ''}`;
    const ws = new WebSocket(url, { perMessageDeflate: false });
    c.ws = ws;
    const timer = setTimeout(() => {
      if (!c.synced) {
        stats.failed++;
        if (stats.errors.length < 5) stats.errors.push('raw socket did not sync in time');
        c.ok = false;
        resolve();
      }
    }, cfg.connectTimeoutMs);
    ws.on('open', () => {
      ws.send(EMPTY_STEP1);
      sendPresence(c);
      scheduleRenewal(c);
    });
    ws.on('message', (data) => {
      const buf = data;
      countMessage(buf);
      const type = buf[0];
      if (type === MSG_SYNC) {
        const kind = buf[1];
        if (kind === SYNC_STEP1) {
          ws.send(EMPTY_STEP2);
          return;
        }
        const arrival = nowUs();
        if (kind === SYNC_STEP2 && !c.synced) {
          c.synced = true;
          c.ok = true;
          if (c.kind === 'write') createOwnCard(c);
          c.syncUs = arrival - t0;
          c.stateBytes = buf.length;
          clearTimeout(timer);
          resolve();
        }
        if (c.measure) receive(c, buf, arrival);
      } else if (type === MSG_AWARENESS) {
        echoPresence(c, buf);
      }
    });
    ws.on('error', (err) => {
      if (stats.errors.length < 5) stats.errors.push(`socket error: ${err.message}`);
    });
    ws.on('close', (code) => {
      noteClose(code);
      clearTimeout(c.renewTimer);
      if (phase === 'closing') return;
      if (c.synced) stats.dropped++;
      else if (c.ok !== false) {
        c.ok = false;
        stats.failed++;
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

// ---------------------------------------------------------------------------------- join rush

async function joinAt(c, at) {
  const wait = (at - nowUs()) / 1000;
  if (wait > 0) await sleep(wait);
  const t0 = nowUs();
  let httpUs = 0;
  if (c.invite) {
    try {
      const res = await fetch(`${cfg.httpBase}/api/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: c.invite, name: c.name })
      });
      const body = await res.json();
      if (res.status !== 200) throw new Error(`join answered ${res.status}`);
      c.token = body.sessionToken;
    } catch (err) {
      stats.failed++;
      if (stats.errors.length < 5) stats.errors.push(String(err.message ?? err));
      stats.joins.push({ ok: false });
      return;
    }
    httpUs = nowUs() - t0;
  }
  const t1 = nowUs();
  await startRaw(c, t1);
  const full = c.ok && c.stateBytes >= cfg.expectedStateBytes * 0.95;
  stats.joins.push({
    offsetMs: c.offsetMs,
    ok: !!c.ok,
    full,
    httpMs: httpUs / 1000,
    syncMs: c.ok ? c.syncUs / 1000 : null,
    totalMs: c.ok ? (httpUs + c.syncUs) / 1000 : null,
    bytes: c.stateBytes ?? 0
  });
}

// ------------------------------------------------------------------------------------- phases

async function setup(m) {
  cfg = m.config;
  pairSenders = cfg.pairSenders ? new Set(cfg.pairSenders) : null;
  const started = nowUs();
  const batch = cfg.rampBatch ?? 20;
  // Warm this process's HTTP client (the first fetch of a process takes ~100 ms), so that join
  // times measure the server rather than the generator starting up.
  if (m.clients.some((c) => c.kind === 'join'))
    await fetch(`${cfg.httpBase}/healthz`)
      .then((r) => r.arrayBuffer())
      .catch(() => null);
  const pending = [];
  for (let i = 0; i < m.clients.length; i++) {
    const c = { ...m.clients[i] };
    clients.push(c);
    if (c.kind === 'join') continue;
    pending.push(c.kind === 'real' ? startReal(c) : startRaw(c));
    if ((i + 1) % batch === 0) await sleep(cfg.rampGapMs ?? 20);
  }
  await Promise.all(pending);
  phase = 'ready';
  send({
    type: 'ready',
    connected: clients.filter((c) => c.ok).length,
    failed: stats.failed,
    errors: stats.errors,
    connectMs: (nowUs() - started) / 1000
  });
}

async function run(m) {
  phase = 'running';
  win = { start: m.startAt, end: m.startAt + m.durationMs * 1000 };
  const cpu0 = process.cpuUsage();
  loopDelay.reset();
  loopDelay.enable();
  const periodUs = m.periodMs * 1000;
  const tasks = [];
  for (const c of clients) {
    if (((c.kind === 'real' && c.writer) || c.kind === 'write') && c.ok) {
      tasks.push(
        (async () => {
          let next = win.start + Math.random() * periodUs;
          while (next <= win.end) {
            const wait = (next - nowUs()) / 1000;
            if (wait > 0) await sleep(wait);
            if (nowUs() > win.end) break;
            if (c.kind === 'write') {
              if (c.ws.readyState === WebSocket.OPEN) editLight(c);
            } else if (c.provider.wsconnected) editReal(c);
            next += periodUs;
          }
        })()
      );
    } else if (c.kind === 'join') {
      tasks.push(joinAt(c, win.start + c.offsetMs * 1000));
    }
  }
  await Promise.all(tasks);
  const left = (win.end - nowUs()) / 1000;
  if (left > 0) await sleep(left);
  const windowCpu = process.cpuUsage(cpu0);
  await sleep(m.drainMs);
  const cpu = process.cpuUsage(cpu0);
  loopDelay.disable();
  send({
    type: 'done',
    hist: stats.hist.toJSON(),
    histByKind: { real: stats.histByKind.real.toJSON(), write: stats.histByKind.write.toJSON(), watch: stats.histByKind.watch.toJSON() },
    histSame: stats.histSame.toJSON(),
    histCross: stats.histCross.toJSON(),
    pairs: stats.pairs,
    delivered: stats.delivered,
    deliveredInWindow: stats.deliveredInWindow,
    sent: stats.sent,
    sentByBoard: stats.sentByBoard,
    failed: stats.failed,
    dropped: stats.dropped,
    reconnects: stats.reconnects,
    closeCodes: stats.closeCodes,
    joins: stats.joins,
    errors: stats.errors,
    cpuSec: (cpu.user + cpu.system) / 1e6,
    windowCpuSec: (windowCpu.user + windowCpu.system) / 1e6,
    messages: stats.messages,
    loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 }
  });
}

/** One standard y-websocket client joins and applies the whole board: the client-side cost. */
async function realJoin(m) {
  const doc = new Y.Doc();
  const t0 = nowUs();
  const provider = connectProvider(cfg.wsBase, m.boardId, m.token, doc);
  try {
    await whenSynced(provider, 20_000);
    const ms = (nowUs() - t0) / 1000;
    send({ type: 'realJoined', ms, cards: doc.getMap('cards').size });
  } catch (err) {
    send({ type: 'realJoined', ms: null, error: String(err.message ?? err) });
  } finally {
    provider.destroy();
    doc.destroy();
  }
}

function close() {
  phase = 'closing';
  for (const c of clients) {
    clearTimeout(c.renewTimer);
    try {
      if (c.provider) {
        c.provider.destroy();
        c.doc.destroy();
      } else if (c.ws) c.ws.terminate();
    } catch {
      // already gone
    }
  }
  setTimeout(() => process.exit(0), 100);
}

process.on('message', (m) => {
  const handlers = { setup, run, realJoin, close };
  Promise.resolve(handlers[m.type]?.(m)).catch((err) => send({ type: 'error', message: String(err.stack ?? err) }));
});
process.on('disconnect', () => process.exit(0));
