// Shared pieces of the benchmark: a clock every process agrees on, latency stamps carried inside
// edits, a mergeable latency histogram, and the y-websocket wire messages the raw sockets speak.
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { io as ioClient } from 'socket.io-client';

/**
 * Microseconds on CLOCK_MONOTONIC. Every process on the machine reads the same clock, so a time
 * stamped in one process can be subtracted in another (unlike Date.now(), which can step).
 */
export const nowUs = () => Number(process.hrtime.bigint() / 1000n);

// ---------------------------------------------------------------------------------------------
// Latency stamps. Each edit inserts `~<sender>.<seq>.<sentUs>~` (base 36, ASCII) into a card's
// Y.Text. Yjs keeps inserted strings verbatim (UTF-8) in updates, also after the server merges
// updates, so a receiver finds the stamps by scanning the raw message bytes: no Y.Doc needed.

export function makeStamp(sender, seq, us) {
  return `~${sender.toString(36)}.${seq.toString(36)}.${us.toString(36)}~`;
}

const TILDE = 0x7e;
const DOT = 0x2e;

/** Calls onStamp(sender, seq, sentUs) for every well-formed stamp in `buf`. */
export function scanStamps(buf, onStamp) {
  let i = buf.indexOf(TILDE);
  const n = buf.length;
  while (i !== -1 && i < n - 1) {
    let part = 0;
    let v0 = 0;
    let v1 = 0;
    let v = 0;
    let j = i + 1;
    let ok = false;
    for (; j < n && j - i < 40; j++) {
      const c = buf[j];
      if (c === TILDE) {
        ok = part === 2 && j > i + 5;
        break;
      }
      if (c === DOT) {
        if (part === 0) v0 = v;
        else if (part === 1) v1 = v;
        else break;
        part++;
        v = 0;
        continue;
      }
      let d;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 122) d = c - 87;
      else break;
      v = v * 36 + d;
    }
    if (ok) {
      onStamp(v0, v1, v);
      i = buf.indexOf(TILDE, j + 1);
    } else {
      // Not a stamp: the closing "~" we stopped at may open the next one.
      i = j < n && buf[j] === TILDE ? j : buf.indexOf(TILDE, j + 1);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Latency histogram: log buckets 1% wide, so percentiles are within 1% and histograms from many
// processes merge by adding counts. Values are microseconds.

const LOG_BASE = Math.log(1.01);

export class Histogram {
  constructor() {
    this.buckets = new Map();
    this.count = 0;
    this.sum = 0;
    this.max = 0;
    this.min = Infinity;
  }
  add(us) {
    if (us < 1) us = 1;
    const b = Math.ceil(Math.log(us) / LOG_BASE);
    this.buckets.set(b, (this.buckets.get(b) ?? 0) + 1);
    this.count++;
    this.sum += us;
    if (us > this.max) this.max = us;
    if (us < this.min) this.min = us;
  }
  merge(other) {
    const o = other instanceof Histogram ? other.toJSON() : other;
    for (const [b, c] of o.buckets) this.buckets.set(b, (this.buckets.get(b) ?? 0) + c);
    this.count += o.count;
    this.sum += o.sum;
    this.max = Math.max(this.max, o.max);
    if (o.count) this.min = Math.min(this.min, o.min);
    return this;
  }
  /** Value at quantile q (0..1), in microseconds; the bucket's upper edge, capped at the max seen. */
  quantile(q) {
    if (!this.count) return null;
    const rank = Math.max(1, Math.ceil(q * this.count));
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const k of keys) {
      seen += this.buckets.get(k);
      if (seen >= rank) return Math.min(this.max, Math.exp(k * LOG_BASE));
    }
    return this.max;
  }
  toJSON() {
    return { buckets: [...this.buckets.entries()], count: this.count, sum: this.sum, max: this.max, min: this.count ? this.min : 0 };
  }
  /** Milliseconds, rounded for reports. */
  summary() {
    const ms = (us) => (us === null ? null : Math.round(us / 10) / 100);
    return {
      count: this.count,
      p50: ms(this.quantile(0.5)),
      p95: ms(this.quantile(0.95)),
      p99: ms(this.quantile(0.99)),
      max: ms(this.count ? this.max : null),
      mean: this.count ? ms(this.sum / this.count) : null
    };
  }
}

// ---------------------------------------------------------------------------------------------
// y-websocket wire format (y-protocols sync + awareness).

export const MSG_SYNC = 0;
export const MSG_AWARENESS = 1;
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/** Sync step 1 from a client with an empty document (state vector: zero clients). */
export const EMPTY_STEP1 = syncMessage(SYNC_STEP1, new Uint8Array([0]));
/** Sync step 2 with nothing in it: what an empty client answers the server's step 1 with. */
export const EMPTY_STEP2 = syncMessage(SYNC_STEP2, new Uint8Array([0, 0]));

export function syncMessage(kind, payload) {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MSG_SYNC);
  encoding.writeVarUint(e, kind);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** An awareness message for entries {clientId, clock, json}. */
export function awarenessMessage(entries) {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const x of entries) {
    encoding.writeVarUint(inner, x.clientId);
    encoding.writeVarUint(inner, x.clock);
    encoding.writeVarString(inner, x.json);
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MSG_AWARENESS);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

/**
 * Reads an awareness message without parsing the JSON states: [{clientId, clock, isNull, start,
 * end}], where start..end are the bytes of the entry (for forwarding it unchanged).
 */
export function readAwareness(buf) {
  const d = decoding.createDecoder(buf);
  decoding.readVarUint(d); // message type
  decoding.readVarUint(d); // payload length
  const n = decoding.readVarUint(d);
  const entries = [];
  for (let i = 0; i < n; i++) {
    const start = d.pos;
    const clientId = decoding.readVarUint(d);
    const clock = decoding.readVarUint(d);
    const len = decoding.readVarUint(d);
    const isNull = len === 4 && buf[d.pos] === 0x6e; // "null"
    d.pos += len;
    if (d.pos > buf.length) throw new Error('awareness message overruns');
    entries.push({ clientId, clock, isNull, start, end: d.pos });
  }
  return entries;
}

/** An awareness message made of entries cut from another message. */
export function forwardAwareness(buf, entries) {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const x of entries) encoding.writeUint8Array(inner, buf.subarray(x.start, x.end));
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MSG_AWARENESS);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

/** Reads a sync message: {kind, payload}. */
export function readSync(buf) {
  const d = decoding.createDecoder(buf);
  decoding.readVarUint(d);
  const kind = decoding.readVarUint(d);
  const payload = decoding.readVarUint8Array(d);
  return { kind, payload };
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

/** A socket.io session for the harness itself (a facilitator, a voter): resolves once connected. */
export function sessionSocket(httpBase, workshopId, token) {
  const socket = ioClient(httpBase, {
    path: '/socket.io',
    auth: { workshopId, token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function randomHex(bytes = 12) {
  let s = '';
  for (let i = 0; i < bytes; i++)
    s += Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0');
  return s;
}

/** Runs `fn` over `items` with at most `limit` in flight; returns results in order. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return out;
}

const WORDS = (
  'people need a place to talk about what matters in their town and the bus stops running too early for ' +
  'shift workers so the clinic is out of reach for many families who live on the edge of the district'
).split(' ');

/** Plausible card text of about `chars` characters. */
export function sentence(chars, seed) {
  let s = '';
  let i = seed * 7;
  while (s.length < chars) s += (s ? ' ' : '') + WORDS[i++ % WORDS.length];
  return s.slice(0, chars);
}

// Card words of realistic lengths, for the briefing: short sentences of a co-production workshop,
// most cards a line or two, some a paragraph, a few long; now and then a name with accents or an
// emoji, as people type them on phones. Deterministic for a seed.
const SUBJECTS = [
  'The last bus',
  'The clinic',
  'Night shift workers',
  'My daughter',
  'People leaving prison',
  'Carers',
  'The council',
  'Staff at the job centre',
  'Young people',
  'The helpline',
  'Letters from the housing office',
  'The waiting room',
  'Our GP surgery',
  'Probation officers',
  'Families on the estate',
  'Zoë at the café',
  'The app',
  'Parents with prams',
  'Wheelchair users',
  'The community centre'
];
const VERBS = [
  'needs to',
  'should',
  'could',
  'never seems to',
  'has to',
  'would be better if it could',
  'cannot',
  'used to',
  'must',
  'might'
];
const DOINGS = [
  'run after ten at night',
  'answer the phone in plain words',
  'tell people what happens next',
  'be open on Saturday mornings',
  'stop sending letters nobody can read',
  'ask us before changing the route',
  'have a quiet room for people who are anxious',
  'offer help in other languages',
  'keep the same worker for each family',
  'let people book by text message',
  'pay for travel to appointments',
  'explain why a decision was made',
  'share what it learnt from this workshop',
  'give people a named contact',
  'listen to people who have been through it',
  'fix the broken lift at the station',
  'make the forms shorter',
  'work with the food bank',
  'check in after the first week',
  'meet people where they already are'
];
const TAILS = [
  'because otherwise people give up',
  'so nobody is left waiting in the cold',
  'which would save everyone time',
  'as we said last month',
  'like they do in Łódź and Malmö',
  'for people who work shifts',
  'before the winter',
  'and it should not cost more',
  'even when the office is busy',
  'so that trust can be rebuilt'
];
const EMOJI = ['🙂', '👍', '🚌', '❤️'];

function rng(seed) {
  let a = (seed * 2654435761) >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Card words for card `seed`: about half under 100 characters, 1 in 7 over 220, 1 in 30 over 420. */
export function cardText(seed) {
  const r = rng(seed + 1);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const u = r();
  const target = u < 0.5 ? 30 + r() * 70 : u < 0.85 ? 100 + r() * 120 : u < 0.97 ? 220 + r() * 200 : 420 + r() * 400;
  let s = '';
  while (s.length < target) {
    const sentence = `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(DOINGS)}${r() < 0.4 ? ` ${pick(TAILS)}` : ''}.`;
    if (s && s.length + sentence.length > target * 1.25) break;
    s += (s ? ' ' : '') + sentence;
  }
  if (r() < 0.01) s += ` ${pick(EMOJI)}`;
  return s;
}

/** A short name for theme `i`, unique for every i. */
export function themeName(i) {
  const words = ['Buses', 'Letters', 'Opening hours', 'Trust', 'Money', 'Waiting', 'Housing', 'Health', 'Work', 'Language'];
  const what = [
    'and shifts',
    'in plain words',
    'at weekends',
    'after prison',
    'for carers',
    'for young people',
    'on the estate',
    'and travel'
  ];
  const n = words.length * what.length;
  return `${words[i % words.length]} ${what[Math.floor(i / words.length) % what.length]}${i >= n ? ` (${Math.floor(i / n) + 1})` : ''}`;
}
