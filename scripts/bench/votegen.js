// A vote's load generator, forked by scripts/bench.js (scenario "vote"). It holds some of the
// voters: each a socket.io session (as a page holds one) that casts its votes at random moments
// of the window, each on an item it may still vote for, and times every acknowledgement. It counts
// what was accepted per item, so the parent can check the vote's totals against it.
// Messages from the parent: setup -> ready, run -> done, close.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { Histogram, nowUs, sleep } from './lib.js';

const voters = [];
/** The vote: { id, items, votesEach, maxPerItem, ackTimeoutMs }, from setup. */
let vote = null;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
let running = false;
const stats = {
  hist: new Histogram(),
  sent: 0,
  accepted: 0,
  refused: {},
  unanswered: 0,
  acceptedByItem: {},
  failed: 0,
  dropped: 0,
  errors: [],
  /** `state` events received during the window (turnout moments), over all voters. */
  states: 0
};

function send(msg) {
  if (process.connected) process.send(msg);
}

function connect(cfg, v) {
  return new Promise((resolve) => {
    const socket = io(cfg.httpBase, {
      path: '/socket.io',
      auth: { workshopId: cfg.workshopId, token: v.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true
    });
    const timer = setTimeout(() => done(new Error('no connection in time')), cfg.connectTimeoutMs);
    function done(err) {
      clearTimeout(timer);
      if (err) {
        stats.failed++;
        if (stats.errors.length < 5) stats.errors.push(String(err.message ?? err));
        socket.close();
        return resolve();
      }
      v.socket = socket;
      v.mine = {};
      voters.push(v);
      resolve();
    }
    socket.once('connect', () => done(null));
    socket.once('connect_error', (err) => done(err));
    socket.on('state', () => {
      if (running) stats.states++;
    });
    socket.on('disconnect', (reason) => {
      if (running && reason !== 'io client disconnect') stats.dropped++;
    });
  });
}

async function setup(m) {
  const started = nowUs();
  const cfg = m.config;
  vote = m.vote;
  for (let i = 0; i < m.voters.length; i += cfg.rampBatch) {
    await Promise.all(m.voters.slice(i, i + cfg.rampBatch).map((v) => connect(cfg, v)));
    await sleep(cfg.rampGapMs);
  }
  send({ type: 'ready', connected: voters.length, failed: stats.failed, errors: stats.errors, connectMs: (nowUs() - started) / 1000 });
}

/** One vote on a random item this voter may still vote for; resolves once answered (or not). */
function cast(v) {
  const open = vote.items.filter((item) => (v.mine[item] ?? 0) < vote.maxPerItem);
  const itemId = open[Math.floor(Math.random() * open.length)];
  v.mine[itemId] = (v.mine[itemId] ?? 0) + 1; // held while in flight, so a second cast picks within the limit
  stats.sent++;
  const t0 = nowUs();
  return new Promise((resolve) => {
    v.socket.timeout(vote.ackTimeoutMs).emit('command', { type: 'vote.cast', voteId: vote.id, itemId }, (err, result) => {
      if (err) {
        stats.unanswered++;
        v.mine[itemId]--;
      } else if (result?.ok) {
        stats.hist.add(nowUs() - t0);
        stats.accepted++;
        stats.acceptedByItem[itemId] = (stats.acceptedByItem[itemId] ?? 0) + 1;
      } else {
        stats.hist.add(nowUs() - t0);
        const code = result?.error?.code ?? 'unknown';
        stats.refused[code] = (stats.refused[code] ?? 0) + 1;
        if (stats.errors.length < 5) stats.errors.push(`refused: ${result?.error?.message}`);
        v.mine[itemId]--;
      }
      resolve();
    });
  });
}

async function run(m) {
  running = true;
  const start = m.startAt;
  const end = start + m.durationMs * 1000;
  const cpu0 = process.cpuUsage();
  loopDelay.reset();
  loopDelay.enable();
  const tasks = [];
  for (const v of voters) {
    const moments = Array.from({ length: vote.votesEach }, () => start + Math.random() * (end - start)).sort((a, b) => a - b);
    tasks.push(
      (async () => {
        const inFlight = [];
        for (const at of moments) {
          const wait = (at - nowUs()) / 1000;
          if (wait > 0) await sleep(wait);
          inFlight.push(cast(v));
        }
        await Promise.all(inFlight);
      })()
    );
  }
  await Promise.all(tasks);
  const left = (end - nowUs()) / 1000;
  if (left > 0) await sleep(left);
  const windowCpu = process.cpuUsage(cpu0);
  await sleep(m.drainMs);
  const cpu = process.cpuUsage(cpu0);
  loopDelay.disable();
  running = false;
  send({
    type: 'done',
    hist: stats.hist.toJSON(),
    sent: stats.sent,
    accepted: stats.accepted,
    refused: stats.refused,
    unanswered: stats.unanswered,
    acceptedByItem: stats.acceptedByItem,
    failed: stats.failed,
    dropped: stats.dropped,
    states: stats.states,
    errors: stats.errors,
    cpuSec: (cpu.user + cpu.system) / 1e6,
    windowCpuSec: (windowCpu.user + windowCpu.system) / 1e6,
    loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 }
  });
}

function close() {
  for (const v of voters) v.socket.close();
  setTimeout(() => process.exit(0), 100);
}

process.on('message', (m) => {
  const handlers = { setup, run, close };
  Promise.resolve(handlers[m.type]?.(m)).catch((err) => send({ type: 'error', message: String(err.stack ?? err) }));
});
process.on('disconnect', () => process.exit(0));
