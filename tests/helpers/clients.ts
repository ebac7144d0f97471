// Real clients for integration tests: the HTTP API through fetch, and standard y-websocket
// providers in Node (with `ws` as the WebSocket) on /sync/<boardId>.
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as decoding from 'lib0/decoding';
import { MESSAGE_SAVING } from '../../src/lib/protocol/errors';
import { generateNKeysBetween } from 'fractional-indexing';
import type { Lane } from '../../src/lib/board/schema';
import { io as ioClient, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  Command,
  CommandResult,
  PresentView,
  PublicState,
  ServerToClientEvents
} from '../../src/lib/protocol/session';

// y-websocket adds a process 'exit' listener for each provider (and removes it on destroy); tests
// hold more than Node's default ten boards open at once, and a green run printed
// MaxListenersExceededWarning (issue 11, item 7). A leak past this limit still warns.
process.setMaxListeners(Math.max(process.getMaxListeners(), 100));

export interface CreatedWorkshop {
  id: string;
  code: string;
  boards: { id: string; title: string }[];
  links: Record<'facilitator' | 'member' | 'decisionMaker' | 'observer' | 'present', string>;
}

export async function api(base: string, path: string, body?: unknown, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    ...init
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep text
  }
  return { status: res.status, body: parsed };
}

export async function createWorkshop(base: string, title = 'Test workshop', question = 'How can we help?'): Promise<CreatedWorkshop> {
  const res = await api(base, '/api/workshops', { title, question });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as CreatedWorkshop;
}

export function tokenOf(link: string): string {
  return link.split('/j/')[1];
}

/** The token of a present link (`/p/<token>`). */
export function presentTokenOf(link: string): string {
  return link.split('/p/')[1];
}

export async function join(
  base: string,
  link: string,
  name: string
): Promise<{ sessionToken: string; participant: { id: string; name: string; role: string } }> {
  const res = await api(base, '/api/join', { token: tokenOf(link), name });
  if (res.status !== 200) throw new Error(`join failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface BoardClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: Promise<void>;
  /** What the server said of saving this board (MESSAGE_SAVING), in order: true held, false stored again. */
  saving: boolean[];
  destroy(): void;
}

export function connectBoard(wsUrl: string, boardId: string, sessionToken: string, doc = new Y.Doc()): BoardClient {
  const provider = new WebsocketProvider(`${wsUrl}/sync`, boardId, doc, {
    params: { token: sessionToken },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.once('sync', (ok: boolean) => ok && resolve());
  });
  const saving: boolean[] = [];
  provider.messageHandlers[MESSAGE_SAVING] = (_encoder, decoder) => saving.push(decoding.readVarUint(decoder) === 1);
  return {
    doc,
    provider,
    synced,
    saving,
    destroy() {
      provider.destroy();
    }
  };
}

/**
 * Puts cards straight into a new board's document through a real client, in one transaction (as
 * the schema lays them out: lane, order, text, createdAt), and resolves once a fresh client sees
 * them all: the server has them. For boards too long to make through the page.
 */
export async function seedCards(
  baseURL: string,
  boardId: string,
  sessionToken: string,
  cards: { id: string; lane: Lane; text: string }[]
): Promise<void> {
  const ws = baseURL.replace(/^http/, 'ws');
  const writer = connectBoard(ws, boardId, sessionToken);
  await writer.synced;
  const keys = generateNKeysBetween(null, null, cards.length);
  writer.doc.transact(() => {
    const map = writer.doc.getMap<Y.Map<unknown>>('cards');
    cards.forEach((c, i) => {
      const card = new Y.Map<unknown>();
      const text = new Y.Text();
      text.insert(0, c.text);
      card.set('lane', c.lane);
      card.set('order', keys[i]);
      card.set('text', text);
      card.set('createdAt', Date.now());
      map.set(c.id, card);
    });
  });
  const check = connectBoard(ws, boardId, sessionToken);
  try {
    await check.synced;
    const map = check.doc.getMap('cards');
    await until(check.doc, () => cards.every((c) => map.has(c.id)), 10_000);
  } finally {
    check.destroy();
    writer.destroy();
  }
}

/** Resolves when `check()` is true, re-checking on every document update; rejects after `ms`. */
export function until(doc: Y.Doc, check: () => boolean, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const timer = setTimeout(() => {
      doc.off('update', onUpdate);
      reject(new Error('condition not met in time'));
    }, ms);
    const onUpdate = () => {
      if (check()) {
        clearTimeout(timer);
        doc.off('update', onUpdate);
        resolve();
      }
    };
    doc.on('update', onUpdate);
  });
}

export type SessionClient = Socket<ServerToClientEvents, ClientToServerEvents> & {
  /** Sends a command and resolves with the server's acknowledgement (anything, for hostile tests). */
  run: {
    <C extends Command>(command: C): Promise<CommandResult<C['type']>>;
    (command: Record<string, unknown>): Promise<CommandResult>;
  };
  /** The latest public state received. */
  latest(): PublicState | null;
  /** Every event received since the socket was made (those sent on connect too), in order, with when. */
  heard: { event: string; args: unknown[]; at: number }[];
  /** Resolves with the first state (from now on, or the latest) that passes `check`. */
  stateWhere(check: (s: PublicState) => boolean, ms?: number): Promise<PublicState>;
};

/** A socket.io session client, as a Node script would drive a session. */
export function connectSession(base: string, workshopId: string, token: string): Promise<SessionClient> {
  const socket = ioClient(base, {
    path: '/socket.io',
    auth: { workshopId, token },
    transports: ['websocket'],
    reconnection: false
  }) as SessionClient;
  let latest: PublicState | null = null;
  const waiters = new Set<() => void>();
  socket.heard = [];
  socket.onAny((event: string, ...args: unknown[]) => socket.heard.push({ event, args, at: Date.now() }));
  socket.on('state', (s) => {
    latest = s;
    for (const w of [...waiters]) w();
  });
  socket.run = ((command: Command | Record<string, unknown>) =>
    new Promise((resolve) =>
      socket.emit('command', command as Command, (result: CommandResult) => resolve(result))
    )) as SessionClient['run'];
  socket.latest = () => latest;
  socket.stateWhere = (check, ms = 5000) =>
    new Promise((resolve, reject) => {
      const test = () => {
        if (latest && check(latest)) {
          waiters.delete(test);
          clearTimeout(timer);
          resolve(latest);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(test);
        reject(new Error('state condition not met in time'));
      }, ms);
      waiters.add(test);
      test();
    });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  });
}

export type PresentClient = Socket<ServerToClientEvents, ClientToServerEvents> & {
  /** Every event received since the socket was made, in order. */
  heard: { event: string; args: unknown[] }[];
  /** The latest present view received. */
  latest(): PresentView | null;
  /** Resolves with the first view (from now on, or the latest) that passes `check`. */
  viewWhere(check: (v: PresentView) => boolean, ms?: number): Promise<PresentView>;
  /** Sends anything as a command and resolves with the acknowledgement. */
  run(command: Record<string, unknown>): Promise<CommandResult>;
};

/**
 * A present screen's socket (auth.present), as a script would open one: with the present link's
 * token (or a facilitator's session token) as `token`, or with cookies as a browser sends them.
 */
export function presentClient(base: string, workshopId: string, credentials: { token?: string; cookie?: string }): PresentClient {
  const socket = ioClient(base, {
    path: '/socket.io',
    auth: { workshopId, present: true, ...(credentials.token ? { token: credentials.token } : {}) },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(credentials.cookie ? { extraHeaders: { cookie: credentials.cookie } } : {})
  }) as PresentClient;
  let latest: PresentView | null = null;
  const waiters = new Set<() => void>();
  socket.heard = [];
  socket.onAny((event: string, ...args: unknown[]) => socket.heard.push({ event, args }));
  socket.on('present', (v) => {
    latest = v;
    for (const w of [...waiters]) w();
  });
  socket.latest = () => latest;
  socket.run = (command) =>
    new Promise((resolve) => socket.emit('command', command as unknown as Command, (result: CommandResult) => resolve(result)));
  socket.viewWhere = (check, ms = 5000) =>
    new Promise((resolve, reject) => {
      const test = () => {
        if (latest && check(latest)) {
          waiters.delete(test);
          clearTimeout(timer);
          resolve(latest);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(test);
        reject(new Error(`present view condition not met in time; last: ${JSON.stringify(latest)?.slice(0, 400)}`));
      }, ms);
      waiters.add(test);
      test();
    });
  return socket;
}

/** Resolves once a present client connected, or rejects with the handshake's refusal (its data.code and message). */
export function presentConnected(socket: PresentClient): Promise<PresentClient> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve(socket);
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  });
}
