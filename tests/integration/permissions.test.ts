// The permission matrix (issue 15, item 3): every socket.io command from the command table and
// every HTTP endpoint under src/routes, sent as each of seven identities, with exactly who is let
// in. Derived, not copied: the commands come from COMMAND_TYPES and the expected answer from
// `allows(COMMANDS[type].who, role)`; the endpoints come from reading src/routes at test time.
// A command without an example below, or an endpoint without a row, fails this file.
//
// The identities, all naming workshop A's ids:
//   facilitator, member, decisionMaker, observer  live participants of A
//   removed        a facilitator of A who has been removed. For commands: removed in the store
//                  while their socket is still open (a command in flight when the removal lands),
//                  since a removed person's sockets are closed and cannot reconnect (asserted too).
//                  For HTTP and /sync: removed with participant.remove, presenting their token.
//   otherWorkshop  the facilitator of workshop B (the strongest outsider: the role check passes)
//   present        A's present link (issue 12, item 3): for commands, a present screen's socket
//                  (auth.present); for HTTP and /sync, its token as Bearer or A's present cookie.
//                  It reads A's present view and nothing more.
//   none           no session at all
//
// What a command gets (see expected() below):
//   live roles     allowed by the table: ok (each example's `before` sets up what the rule needs,
//                  so an allowed sender is answered ok, not merely "not forbidden");
//                  not allowed: forbidden.
//   removed        forbidden ("You are no longer in this workshop.").
//   otherWorkshop  connected to B (a handshake into A with B's token is refused, not_signed_in).
//                  Naming A's board: invalid_payload "That board is not part of this workshop."
//                  (the board check, from the table's `board`). Naming A's people: invalid_payload
//                  "That person is not in this workshop." (the handler). Naming A's vote:
//                  invalid_payload "There is no such vote in this workshop." (the handler: answered
//                  as for an unknown vote); A's glossary word likewise ("There is no such word in
//                  this workshop's glossary."). Naming nothing of A's: it acts on B only (ok, or
//                  B's own not_allowed_now).
//   present        every command refused: forbidden, "This is a present screen…".
//   none           cannot connect: connect_error not_signed_in.
// And every answer other than ok leaves A exactly as it was (store, state, board, invites).
import { pageData } from '../helpers/browser';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { io as ioClient } from 'socket.io-client';
import { DEFAULT_PHASES } from '../../src/lib/domain/facilitation';
import { ROLES, type Role } from '../../src/lib/domain/roles';
import { COMMAND_TYPES, COMMANDS, allows, boardOf, takenAfterEnd, type Command, type CommandType } from '../../src/lib/protocol/commands';
import type { CommandResult } from '../../src/lib/protocol/session';
import { PRESENT_REFUSAL } from '../../server/session/index';
import { freePort, spawnServer, type ServerProcess } from '../helpers/process-server';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { cardsOf, getCard, writeCard } from '../../src/lib/board/schema';
import { Board } from '../../src/lib/board/board';
import {
  api,
  connectBoard,
  connectSession,
  createWorkshop,
  join,
  presentClient,
  presentConnected,
  presentTokenOf,
  tokenOf,
  type PresentClient,
  until,
  type CreatedWorkshop,
  type SessionClient
} from '../helpers/clients';

const IDENTITIES = ['facilitator', 'member', 'decisionMaker', 'observer', 'removed', 'otherWorkshop', 'present', 'none'] as const;
type Identity = (typeof IDENTITIES)[number];
const isLive = (who: Identity): who is Role => (ROLES as readonly string[]).includes(who);

/** A running server to send to: in this process (commands, /sync), or as its own process (HTTP). */
interface Target {
  url: string;
  wsUrl: string;
}

interface Person {
  id: string;
  name: string;
  token: string;
}

/** Workshop A with one live person per role and the things commands name; workshop B with its facilitator. */
interface World {
  target: Target;
  a: CreatedWorkshop;
  boardId: string;
  people: Record<Role, Person>;
  sockets: Record<Role, SessionClient>;
  /** A second facilitator of A ("Kit") who sets up what a command needs, on a socket of its own. */
  setup: SessionClient;
  /** The second facilitator's session token (for a board connection of theirs). */
  setupToken: string;
  /** People the participant commands name: one to change the role of, one to remove. */
  targets: { setRole: Person; remove: Person };
  /** Cards on A's board and hidden from it (only on the in-process server, which can write them). */
  cards: { onBoard: string; hidden: string };
  /** Removed from A by its facilitator (participant.remove); their token is kept. */
  removed: Person;
  /** The vote the vote commands name, and the card it is about (set up by their `before`). */
  vote: { id: string; item: string };
  /**
   * Removed cards card.restoreRemoved names, one for each role that may send it (set up by its
   * `before`): the member's and the decision maker's own cards, and for the facilitator a card
   * another member wrote. Each was deleted by the second facilitator.
   */
  removedCards: Partial<Record<Role, string>>;
  /** The consent round the consent commands name, and a key point in it (set up by their `before`). */
  consent: { id: string; point: string };
  /** A word in A's glossary (added by the second facilitator), for the HTTP rows and glossary.put. */
  term: string;
  /**
   * Words glossary.remove takes out, one for each role that may send it (set up by its `before`),
   * so each allowed sender has one of its own to take out.
   */
  terms: Partial<Record<Role, string>>;
  b: CreatedWorkshop;
  other: Person;
  otherSocket: SessionClient;
  /** A's present link's token, and a present screen opened with it. */
  presentToken: string;
  presentSocket: PresentClient;
  /** A recommendation of A (made by its facilitator), that the outcomes endpoints name. */
  recommendation: string;
  /**
   * Roll-up (set up by the rollup rows' `before`): A in a regional forum that a local forum joined,
   * the points that local forum shared, the cards brought onto A's board and a merged one.
   */
  rollup: { points: string[]; cards: string[]; merged: string };
  /** A forum made for the matrix, and its facilitator link's token (no identity of A presents it). */
  forum: { id: string; token: string };
}

let server: TestServer;
const closers: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const close of closers.splice(0)) close();
  await server?.close();
});

let nameCount = 0;
/** Distinct names ("Visitor 1", "Visitor 2"...): the name rules refuse look-alikes of someone present. */
const nextName = (prefix: string) => `${prefix} ${++nameCount}`;

async function person(target: Target, link: string, name: string): Promise<Person> {
  const joined = await join(target.url, link, name);
  return { id: joined.participant.id, name, token: joined.sessionToken };
}

async function session(target: Target, workshopId: string, p: Person): Promise<SessionClient> {
  const socket = await connectSession(target.url, workshopId, p.token);
  closers.push(() => socket.disconnect());
  return socket;
}

/** A command's answer; a rate-limited one (not a permission answer) is sent again after a pause. */
async function send(socket: SessionClient, command: Command): Promise<CommandResult> {
  for (let attempt = 0; ; attempt++) {
    const result = await Promise.race([
      socket.run(command),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer to ${command.type}`)), 5000))
    ]);
    if (result.ok || result.error.code !== 'rate_limited' || attempt >= 20) return result;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function expectOk(socket: SessionClient, command: Command): Promise<void> {
  expect(await send(socket, command), command.type).toEqual({ ok: true });
}

/** Adds a word to the glossary of the sender's workshop; resolves with its id. */
async function addTerm(socket: SessionClient, word: string): Promise<string> {
  const result = await send(socket, { type: 'glossary.put', term: word, explanation: `What ${word} means, in plain words.` });
  if (!result.ok || !('termId' in result)) throw new Error(`could not add a word: ${JSON.stringify(result)}`);
  return result.termId;
}

async function world(target: Target = server): Promise<World> {
  const a = await createWorkshop(target.url, 'Workshop A');
  const boardId = a.boards[0].id;
  const [facilitator, member, decisionMaker, observer, kit, sol, rex, rue] = await Promise.all([
    person(target, a.links.facilitator, 'Fay'),
    person(target, a.links.member, 'Mo'),
    person(target, a.links.decisionMaker, 'Dana'),
    person(target, a.links.observer, 'Oli'),
    person(target, a.links.facilitator, 'Kit'),
    person(target, a.links.member, 'Sol'),
    person(target, a.links.member, 'Rex'),
    person(target, a.links.facilitator, 'Rue')
  ]);
  const people = { facilitator, member, decisionMaker, observer };
  const [sf, sm, sd, so, setup] = await Promise.all(
    [facilitator, member, decisionMaker, observer, kit].map((p) => session(target, a.id, p))
  );
  const sockets = { facilitator: sf, member: sm, decisionMaker: sd, observer: so };
  await expectOk(setup, { type: 'participant.remove', participantId: rue.id });

  const cards = { onBoard: '', hidden: '' };
  if (target === server) {
    const peer = server.running.realtime.session.boards;
    cards.onBoard = await peer.edit(boardId, (board) => board.add({ lane: 'questions', text: 'A card on the board' }));
    cards.hidden = await peer.edit(boardId, (board) => board.add({ lane: 'problems', text: 'A card to hide' }));
    await expectOk(setup, { type: 'card.hide', boardId, cardId: cards.hidden, reason: 'Hidden for the matrix' });
  }

  const term = await addTerm(setup, 'Matrix word');

  const b = await createWorkshop(target.url, 'Workshop B');
  const other = await person(target, b.links.facilitator, 'Bea');
  const otherSocket = await session(target, b.id, other);
  const presentToken = presentTokenOf(a.links.present);
  const presentSocket = presentClient(target.url, a.id, { token: presentToken });
  closers.push(() => presentSocket.close());
  await presentConnected(presentSocket);
  const made = await api(
    target.url,
    `/api/workshops/${a.id}/recommendations`,
    { text: 'Pay peer support workers', addressedTo: 'Head of Probation' },
    { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${facilitator.token}` } }
  );
  if (made.status !== 201) throw new Error(`could not make a recommendation: ${JSON.stringify(made.body)}`);
  // A forum (issue 13): its endpoints take its forum link, which none of A's identities holds.
  const forumMade = await api(target.url, '/api/forums', { name: 'Matrix forum', level: 'regional' });
  if (forumMade.status !== 201) throw new Error(`could not make a forum: ${JSON.stringify(forumMade.body)}`);
  const forumLinkMade = forumMade.body.links.facilitator as string;
  return {
    forum: { id: forumMade.body.id as string, token: forumLinkMade.slice(forumLinkMade.lastIndexOf('/') + 1) },
    target,
    a,
    boardId,
    people,
    sockets,
    setup,
    setupToken: kit.token,
    targets: { setRole: sol, remove: rex },
    cards,
    removed: rue,
    vote: { id: 'no-vote-yet', item: 'no-card-yet' },
    removedCards: {},
    consent: { id: 'no-round-yet', point: 'no-point-yet' },
    term,
    terms: {},
    b,
    other,
    otherSocket,
    presentToken,
    presentSocket,
    recommendation: made.body.recommendation.id as string,
    rollup: { points: ['no-point-yet'], cards: ['no-card-yet', 'no-card-either'], merged: 'no-card-yet' }
  };
}

/** What a workshop holds, as one string: a refused command must leave it exactly as it was. */
async function fingerprint(w: World): Promise<string> {
  const { store, session: ctx } = server.running.realtime;
  const id = w.a.id;
  const [
    workshop,
    people,
    invites,
    state,
    hidden,
    removed,
    drafts,
    board,
    openVotes,
    results,
    agreed,
    openRounds,
    consentResults,
    glossary
  ] = await Promise.all([
    store.workshops.get(id),
    store.people.list(id),
    store.people.invites(id),
    store.facilitation.get(id),
    store.moderation.list(id),
    store.removed.list(id),
    store.drafts.ofBoard(w.boardId),
    ctx.boards.read(w.boardId, (b) => b.toJSON()),
    store.votes.openIn(id),
    store.votes.results(id),
    store.keyPoints.versions(id),
    store.consent.openIn(id),
    store.consent.results(id),
    store.glossary.list(id)
  ]);
  const notices = await Promise.all(people.map((p) => store.notices.of(p.id)));
  // Every vote's ballots, person by person.
  const ballots: Record<string, Record<string, number>> = {};
  for (const v of openVotes) for (const p of people) ballots[`${v.id}/${p.id}`] = await store.votes.ballot(v.id, p.id);
  // And every open consent round's answers, person by person.
  const answers: Record<string, Record<string, string>> = {};
  for (const r of openRounds) for (const p of people) answers[`${r.id}/${p.id}`] = await store.consent.answers(r.id, p.id);
  const keyPoints = await ctx.boards.read(w.boardId, (b) => b.keyPointFacts());
  return JSON.stringify({
    workshop,
    people,
    invites,
    state,
    hidden,
    removed,
    notices,
    drafts,
    board,
    openVotes,
    results,
    ballots,
    keyPoints,
    agreed,
    openRounds,
    consentResults,
    answers,
    glossary
  });
}

/** Tries a socket.io handshake that should fail; resolves with the connect_error's data.code. */
function refusedHandshake(workshopId: string, token: string | undefined): Promise<string> {
  const socket = ioClient(server.url, {
    path: '/socket.io',
    auth: { workshopId, token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer to the handshake')), 5000);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.close();
      resolve('connected');
    });
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => {
      clearTimeout(timer);
      socket.close();
      resolve(err.data?.code ?? err.message);
    });
  });
}

/**
 * A board meeting of a forum that workshop A is not part of (issue 13, item 5): a regional forum
 * whose one workshop agreed a key point, and the meeting its facilitator named. Every identity of
 * A is refused its view, pack and forms (the meeting's own people are tested in meetings.test.ts).
 */
let matrixMeeting = 'no-meeting-yet';
async function meetingOutsideA(target: Target): Promise<string> {
  const bearer = (t: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${t}` });
  const forum = await api(target.url, '/api/forums', { name: 'Meeting forum', level: 'regional' });
  const token = (forum.body.links.facilitator as string).split('/').pop()!;
  const w = await api(
    target.url,
    `/api/forums/${forum.body.id}/workshops`,
    { title: 'T', question: 'Q?' },
    { method: 'POST', headers: bearer(token) }
  );
  const fac = await join(target.url, w.body.links.facilitator, 'Fran');
  const board = connectBoard(target.url.replace('http', 'ws'), w.body.boards[0].id, fac.sessionToken);
  await board.synced;
  const card = new Board(board.doc).add({ lane: 'problems', text: 'Letters are too hard' });
  new Board(board.doc).addKeyPoint('Letters in plain words', [card]);
  const socket = await connectSession(target.url, w.body.id, fac.sessionToken);
  for (let i = 0; i < 50; i++) {
    const r = await socket.run({ type: 'keypoints.agree', boardId: w.body.boards[0].id });
    if (r.ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  socket.disconnect();
  board.destroy();
  const made = await api(
    target.url,
    `/api/forums/${forum.body.id}/meetings`,
    { body: 'NHS England Health and Justice board', date: '2027-03-14' },
    { method: 'POST', headers: bearer(token) }
  );
  if (made.status !== 201) throw new Error(`could not make a meeting: ${JSON.stringify(made.body)}`);
  return made.body.meeting.id as string;
}

// ---------------------------------------------------------------------------------------------
// socket.io commands

interface Example<K extends CommandType> {
  /**
   * A valid command of this type, naming workshop A's real ids; `who` is the sender, for a command
   * whose rule depends on whose thing it names (each may put back only their own removed card).
   */
  command: (w: World, who?: Identity) => Extract<Command, { type: K }>;
  /** What A needs first so that an allowed sender is answered ok (run by the second facilitator). */
  before?: (w: World) => Promise<void>;
  /** The command names one of A's people (its board, if any, is read from the command table). */
  namesPerson?: true;
  /** The command names one of A's votes. */
  namesVote?: true;
  /** The command names one of A's consent rounds. */
  namesConsent?: true;
  /** The command names a word in A's glossary. */
  namesTerm?: true;
  /** Done once it changes what later rows see (ends, deletes, forgets): a new world per identity. */
  fresh?: true;
}

let rollupCount = 0;

/**
 * A in a regional forum that a local forum joined, and two points the local forum shared (written
 * to the store directly: the forum endpoints have their own tests), for rollup.bring.
 */
async function sharedPointsFor(w: World): Promise<void> {
  const store = server.running.realtime.store;
  const n = ++rollupCount;
  const region = `perm-region-${n}`;
  const local = `perm-local-${n}`;
  if (!(await store.forums.forumOf(w.a.id))) {
    await store.forums.create({ id: region, name: 'Region', level: 'regional', parentId: null, createdAt: 1 }, []);
    await store.forums.addWorkshop({ forumId: region, workshopId: w.a.id, addedAt: 1 });
  }
  const forumId = (await store.forums.forumOf(w.a.id))!;
  await store.forums.create({ id: local, name: 'Local', level: 'local', parentId: forumId, createdAt: 2 }, []);
  const point = (id: string) => ({
    id,
    forumId: local,
    workshopId: 'elsewhere',
    workshopTitle: 'A local workshop',
    boardId: 'elsewhere-board',
    pointId: id,
    version: 1,
    text: `Shared point ${id}`,
    agreedAt: 3,
    backing: { cards: 2, people: 2, withoutName: 0, earlier: 0, votes: null },
    origins: [],
    sharedAt: 4,
    withdrawnAt: null
  });
  await store.forums.share(point(`perm-point-${n}-a`));
  await store.forums.share(point(`perm-point-${n}-b`));
  w.rollup.points = [`perm-point-${n}-a`, `perm-point-${n}-b`];
}

/** Two rolled-up cards on A's board, for rollup.merge. */
async function rolledUpCardsFor(w: World): Promise<void> {
  await sharedPointsFor(w);
  const result = await send(w.setup, { type: 'rollup.bring', boardId: w.boardId, lane: 'problems', pointIds: w.rollup.points });
  if (!result.ok || !('cardIds' in result)) throw new Error(`could not bring points in: ${JSON.stringify(result)}`);
  w.rollup.cards = result.cardIds;
}

/** A merged card on A's board, for rollup.unmerge. */
async function mergedCardFor(w: World): Promise<void> {
  await rolledUpCardsFor(w);
  const result = await send(w.setup, { type: 'rollup.merge', boardId: w.boardId, cardIds: w.rollup.cards });
  if (!result.ok || !('cardId' in result)) throw new Error(`could not merge: ${JSON.stringify(result)}`);
  w.rollup.merged = result.cardId;
}

/** Not silent writing, the board open, cards without names allowed: what card.addAnonymous needs. */
async function openForCards(w: World): Promise<void> {
  await expectOk(w.setup, { type: 'phase.go', index: 0 });
  await expectOk(w.setup, { type: 'board.lock', boardId: w.boardId, locked: false });
  await expectOk(w.setup, { type: 'settings.update', anonymousCards: 'optional' });
}

/** No vote open on A's board, and a fresh card on it (the earlier rows hide and restore cards). */
async function freshCard(w: World): Promise<string> {
  for (const v of await server.running.realtime.store.votes.openIn(w.a.id)) await expectOk(w.setup, { type: 'vote.close', voteId: v.id });
  await expectOk(w.setup, { type: 'board.lock', boardId: w.boardId, locked: false });
  return server.running.realtime.session.boards.edit(w.boardId, (board) => board.add({ lane: 'solutions', text: 'A card to vote on' }));
}

/** A vote open on A's board, about a fresh card, named by the vote commands' examples. */
async function openVoteFor(w: World): Promise<void> {
  const item = await freshCard(w);
  const result = await send(w.setup, { type: 'vote.open', boardId: w.boardId, on: { kind: 'cards', lanes: ['solutions'] } });
  if (!result.ok || !('voteId' in result)) throw new Error(`could not open a vote: ${JSON.stringify(result)}`);
  w.vote = { id: result.voteId, item };
}

/**
 * Removed cards for card.restoreRemoved: each of Mo (member) and Dana (decision maker) writes a
 * card on their own board connection, as does Sol (a member) for the facilitator to put back;
 * the second facilitator deletes all three on theirs, so each lands in Removed cards.
 */
async function removedCardsFor(w: World): Promise<void> {
  const writers: [Role, Person][] = [
    ['member', w.people.member],
    ['decisionMaker', w.people.decisionMaker],
    ['facilitator', w.targets.setRole]
  ];
  await expectOk(w.setup, { type: 'board.lock', boardId: w.boardId, locked: false });
  const kit = connectBoard(server.wsUrl, w.boardId, w.setupToken);
  const clients = writers.map(([, p]) => connectBoard(server.wsUrl, w.boardId, p.token));
  try {
    await Promise.all([kit, ...clients].map((c) => c.synced));
    for (const [i, [role]] of writers.entries()) {
      const id = writeCard(clients[i].doc, { lane: 'questions', text: `Written by the ${role}'s person` });
      await until(kit.doc, () => !!getCard(kit.doc, id));
      w.removedCards[role] = id;
    }
    kit.doc.transact(() => {
      for (const id of Object.values(w.removedCards)) cardsOf(kit.doc).delete(id);
    });
    const store = server.running.realtime.store;
    for (let tries = 0; (await store.removed.list(w.a.id)).length < writers.length; tries++) {
      if (tries > 250) throw new Error('the removed cards did not land');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    for (const c of [kit, ...clients]) c.destroy();
  }
}

/** A new key point on A's board (so there is something to agree that was not agreed before), and no round open on it. */
async function freshKeyPoint(w: World): Promise<string> {
  for (const r of await server.running.realtime.store.consent.openIn(w.a.id))
    await expectOk(w.setup, { type: 'consent.close', consentId: r.id });
  return server.running.realtime.session.boards.edit(w.boardId, (board) => board.addKeyPoint(`A key point ${++pointCount}`));
}
let pointCount = 0;

let termCount = 0;
/** A word in A's glossary for each role that may take one out. */
async function termsFor(w: World): Promise<void> {
  for (const role of ['facilitator', 'decisionMaker'] as const) w.terms[role] = await addTerm(w.setup, `Word to take out ${++termCount}`);
}

/** A consent round open on A's board, named by the consent commands' examples. */
async function openConsentFor(w: World): Promise<void> {
  const point = await freshKeyPoint(w);
  const result = await send(w.setup, { type: 'consent.open', boardId: w.boardId });
  if (!result.ok || !('consentId' in result)) throw new Error(`could not open a consent round: ${JSON.stringify(result)}`);
  w.consent = { id: result.consentId, point };
}

const EXAMPLES = {
  'phase.go': { command: () => ({ type: 'phase.go', index: 1 }) },
  'phases.set': { command: () => ({ type: 'phases.set', phases: DEFAULT_PHASES.map((p) => ({ ...p })) }) },
  'timer.start': { command: () => ({ type: 'timer.start', minutes: 3 }) },
  'timer.pause': { command: () => ({ type: 'timer.pause' }) },
  'timer.addMinute': { command: () => ({ type: 'timer.addMinute' }) },
  'timer.reset': { command: () => ({ type: 'timer.reset', minutes: 5 }) },
  'board.lock': { command: (w) => ({ type: 'board.lock', boardId: w.boardId, locked: true }) },
  'settings.update': { command: () => ({ type: 'settings.update', anonymousCards: 'optional' }) },
  'hand.raise': {
    command: () => ({ type: 'hand.raise' }),
    // Nobody is speaking (a speaker cannot raise a hand).
    before: (w) => expectOk(w.setup, { type: 'queue.clear' })
  },
  'hand.lower': { command: () => ({ type: 'hand.lower' }) },
  'turn.pass': { command: () => ({ type: 'turn.pass' }) },
  'queue.next': { command: () => ({ type: 'queue.next' }) },
  'queue.clear': { command: () => ({ type: 'queue.clear' }) },
  'spotlight.set': { command: (w) => ({ type: 'spotlight.set', target: { kind: 'lane', boardId: w.boardId, lane: 'questions' } }) },
  'round.open': { command: () => ({ type: 'round.open', kind: 'checkin', prompt: 'How are you arriving?' }) },
  'round.answer': {
    command: () => ({ type: 'round.answer', answerId: 'answer-1', text: 'Fine, thanks', emoji: null, anonymous: false }),
    before: (w) => expectOk(w.setup, { type: 'round.open', kind: 'checkin', prompt: 'How are you arriving?' })
  },
  'round.close': { command: () => ({ type: 'round.close' }) },
  'participant.setRole': {
    command: (w) => ({ type: 'participant.setRole', participantId: w.targets.setRole.id, role: 'member' }),
    namesPerson: true
  },
  // With the links and code renewed in the same step (issue 11, item 2): refused senders renew nothing.
  'participant.remove': {
    command: (w) => ({ type: 'participant.remove', participantId: w.targets.remove.id, renewInvites: true }),
    namesPerson: true
  },
  // The observer link: nobody joins through it after this.
  'invite.renew': { command: () => ({ type: 'invite.renew', role: 'observer' }) },
  'card.hide': { command: (w) => ({ type: 'card.hide', boardId: w.boardId, cardId: w.cards.onBoard, reason: 'Off topic' }) },
  'card.restore': { command: (w) => ({ type: 'card.restore', boardId: w.boardId, cardId: w.cards.hidden }) },
  'card.addAnonymous': {
    command: (w) => ({ type: 'card.addAnonymous', boardId: w.boardId, lane: 'questions', text: 'Without my name', postId: 'post-1' }),
    before: openForCards
  },
  'card.restoreRemoved': {
    command: (w, who) => ({
      type: 'card.restoreRemoved',
      boardId: w.boardId,
      cardId: (who && isLive(who) ? w.removedCards[who] : undefined) ?? w.removedCards.facilitator ?? 'nothing-removed-yet'
    }),
    before: removedCardsFor
  },
  'notice.dismiss': {
    command: (w) => ({ type: 'notice.dismiss', boardId: w.boardId, cardId: w.cards.hidden || 'no-card', kind: 'hidden' })
  },
  'draft.save': {
    command: (w) => ({ type: 'draft.save', boardId: w.boardId, draftId: 'draft-1', lane: 'problems', text: 'A draft', anonymous: false }),
    // Silent writing: the server holds the draft and answers at once.
    before: (w) => expectOk(w.setup, { type: 'phase.go', index: DEFAULT_PHASES.findIndex((p) => p.kind === 'silent') })
  },
  'draft.delete': { command: () => ({ type: 'draft.delete', draftId: 'draft-1' }) },
  'drafts.reveal': { command: (w) => ({ type: 'drafts.reveal', boardId: w.boardId }) },
  'facilitator.refresh': { command: () => ({ type: 'facilitator.refresh' }) },
  'workshop.end': { command: () => ({ type: 'workshop.end' }), fresh: true },
  'workshop.delete': { command: () => ({ type: 'workshop.delete' }), fresh: true },
  'me.forget': { command: () => ({ type: 'me.forget' }), fresh: true },
  'me.away': { command: () => ({ type: 'me.away' }) },
  'me.back': { command: () => ({ type: 'me.back' }) },
  'vote.open': {
    command: (w) => ({ type: 'vote.open', boardId: w.boardId, on: { kind: 'cards' }, votesPerPerson: 3 }),
    before: async (w) => void (await freshCard(w))
  },
  'vote.cast': { command: (w) => ({ type: 'vote.cast', voteId: w.vote.id, itemId: w.vote.item }), before: openVoteFor, namesVote: true },
  'vote.retract': {
    command: (w) => ({ type: 'vote.retract', voteId: w.vote.id, itemId: w.vote.item }),
    // Everyone who may vote has a vote on the card to take back.
    before: async (w) => {
      await openVoteFor(w);
      for (const role of ['facilitator', 'member', 'decisionMaker'] as const) {
        await expectOk(w.sockets[role], { type: 'vote.cast', voteId: w.vote.id, itemId: w.vote.item });
      }
    },
    namesVote: true
  },
  'vote.close': { command: (w) => ({ type: 'vote.close', voteId: w.vote.id }), before: openVoteFor, namesVote: true },
  'keypoints.agree': {
    command: (w) => ({ type: 'keypoints.agree', boardId: w.boardId }),
    before: async (w) => void (await freshKeyPoint(w))
  },
  'consent.open': { command: (w) => ({ type: 'consent.open', boardId: w.boardId }), before: async (w) => void (await freshKeyPoint(w)) },
  'consent.answer': {
    command: (w) => ({ type: 'consent.answer', consentId: w.consent.id, pointId: w.consent.point, answer: 'live' }),
    before: openConsentFor,
    namesConsent: true
  },
  'consent.close': { command: (w) => ({ type: 'consent.close', consentId: w.consent.id }), before: openConsentFor, namesConsent: true },
  'participant.setRepresentative': {
    command: (w) => ({ type: 'participant.setRepresentative', participantId: w.targets.setRole.id, representative: true }),
    namesPerson: true
  },
  // A closed vote's results on the present screen (a vote still open is refused).
  'present.show': {
    command: (w) => ({ type: 'present.show', target: { kind: 'vote', voteId: w.vote.id } }),
    before: async (w) => {
      await openVoteFor(w);
      await expectOk(w.setup, { type: 'vote.close', voteId: w.vote.id });
    },
    namesVote: true
  },
  'question.set': {
    command: () => ({ type: 'question.set', question: 'How can we help?', context: 'We want to hear from you before we decide.' })
  },
  // A change to A's word (so each allowed sender is answered ok, however many times it is sent).
  'glossary.put': {
    command: (w) => ({ type: 'glossary.put', termId: w.term, term: 'CSTR', explanation: 'Community Sentence Treatment Requirement' }),
    namesTerm: true
  },
  'glossary.remove': {
    command: (w, who) => ({
      type: 'glossary.remove',
      termId: (who && isLive(who) ? w.terms[who] : undefined) ?? w.terms.facilitator ?? 'no-word-yet'
    }),
    before: termsFor,
    namesTerm: true
  },
  'rollup.bring': {
    command: (w) => ({ type: 'rollup.bring', boardId: w.boardId, lane: 'problems', pointIds: w.rollup.points }),
    before: async (w) => {
      await expectOk(w.setup, { type: 'board.lock', boardId: w.boardId, locked: false });
      await sharedPointsFor(w);
    }
  },
  'rollup.merge': {
    command: (w) => ({ type: 'rollup.merge', boardId: w.boardId, cardIds: w.rollup.cards }),
    before: rolledUpCardsFor
  },
  'rollup.unmerge': { command: (w) => ({ type: 'rollup.unmerge', boardId: w.boardId, cardId: w.rollup.merged }), before: mergedCardFor }
} satisfies { [K in CommandType]: Example<K> };

const exampleOf = (type: CommandType): Example<CommandType> => (EXAMPLES as Record<CommandType, Example<CommandType>>)[type];

// The answers, as labels, so one failing row shows the whole row.
const OK = 'ok';
const FORBIDDEN_ROLE = 'forbidden (role)';
const FORBIDDEN_GONE = 'forbidden (no longer in this workshop)';
const NOT_THIS_BOARD = 'invalid_payload (board not part of this workshop)';
const NOT_THIS_PERSON = 'invalid_payload (person not in this workshop)';
const NOT_THIS_VOTE = 'invalid_payload (vote not in this workshop)';
const NOT_THIS_ROUND = 'invalid_payload (consent round not in this workshop)';
const NOT_THIS_TERM = "invalid_payload (word not in this workshop's glossary)";
const OWN_WORKSHOP = 'acts on its own workshop only';
const PRESENT_SCREEN = 'forbidden (a present screen)';
const CANNOT_CONNECT = 'connect_error not_signed_in';

/**
 * The expected answer, from the command table. Another workshop's facilitator passes the role
 * check; what keeps A safe is that a command can only act on the sender's own workshop: one that
 * names A's board is refused by the board check (invalid_payload), one that names A's people by
 * its handler (invalid_payload), and one that names nothing of A's acts on B (ok, or B's own
 * domain refusal) and leaves A exactly as it was.
 */
function expected(type: CommandType, who: Identity, command: Command): string {
  switch (who) {
    case 'none':
      return CANNOT_CONNECT;
    case 'present':
      return PRESENT_SCREEN;
    case 'removed':
      return FORBIDDEN_GONE;
    case 'otherWorkshop':
      if (!allows(COMMANDS[type].who, 'facilitator')) return FORBIDDEN_ROLE;
      if (boardOf(command) !== null) return NOT_THIS_BOARD;
      if (exampleOf(type).namesPerson) return NOT_THIS_PERSON;
      if (exampleOf(type).namesVote) return NOT_THIS_VOTE;
      if (exampleOf(type).namesConsent) return NOT_THIS_ROUND;
      if (exampleOf(type).namesTerm) return NOT_THIS_TERM;
      return OWN_WORKSHOP;
    case 'facilitator':
    case 'member':
    case 'decisionMaker':
    case 'observer':
      return allows(COMMANDS[type].who, who) ? OK : FORBIDDEN_ROLE;
    default: {
      const never: never = who;
      return never;
    }
  }
}

function label(result: CommandResult): string {
  if (result.ok) return OK;
  const { code, message } = result.error;
  if (code === 'forbidden' && message === PRESENT_REFUSAL) return PRESENT_SCREEN;
  if (code === 'forbidden') return /no longer in this workshop/i.test(message) ? FORBIDDEN_GONE : FORBIDDEN_ROLE;
  if (code === 'invalid_payload' && /board is not part of this workshop/i.test(message)) return NOT_THIS_BOARD;
  if (code === 'invalid_payload' && /person is not in this workshop/i.test(message)) return NOT_THIS_PERSON;
  if (code === 'invalid_payload' && /no such vote in this workshop/i.test(message)) return NOT_THIS_VOTE;
  if (code === 'invalid_payload' && /no such consent round in this workshop/i.test(message)) return NOT_THIS_ROUND;
  if (code === 'invalid_payload' && /no such word in this workshop's glossary/i.test(message)) return NOT_THIS_TERM;
  return `${code}: ${message}`;
}

let goneCount = 0;

/** A facilitator of A, removed in the store while their socket is open. */
async function removedMidway(w: World): Promise<SessionClient> {
  const gone = await person(server, w.a.links.facilitator, `Gone ${++goneCount}`);
  const socket = await session(server, w.a.id, gone);
  await server.running.realtime.store.people.remove(gone.id, Date.now());
  return socket;
}

/**
 * Sends one command as one identity: the label of the answer, and (when `watch`) whether A stayed
 * exactly as it was.
 */
async function attempt(w: World, type: CommandType, who: Identity, watch: boolean): Promise<{ answer: string; unchanged: boolean }> {
  const command = exampleOf(type).command(w, who);
  if (who === 'none') {
    const code = await refusedHandshake(w.a.id, undefined);
    return { answer: code === 'not_signed_in' ? CANNOT_CONNECT : `handshake: ${code}`, unchanged: true };
  }
  const socket =
    who === 'removed' ? await removedMidway(w) : who === 'otherWorkshop' ? w.otherSocket : who === 'present' ? null : w.sockets[who];
  const before = watch ? await fingerprint(w) : '';
  const result = socket ? await send(socket, command) : await w.presentSocket.run(command);
  const unchanged = watch ? (await fingerprint(w)) === before : true;
  let answer = label(result);
  if (
    who === 'otherWorkshop' &&
    (result.ok || result.error.code === 'not_allowed_now') &&
    boardOf(command) === null &&
    !exampleOf(type).namesPerson &&
    !exampleOf(type).namesVote &&
    !exampleOf(type).namesConsent &&
    !exampleOf(type).namesTerm
  ) {
    answer = OWN_WORKSHOP;
  }
  return { answer, unchanged };
}

describe('the permission matrix: socket.io commands', () => {
  let shared: World;
  beforeAll(async () => {
    shared = await world();
  });

  it('has an example for every command in the table, and none other', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual([...COMMAND_TYPES].sort());
    for (const type of COMMAND_TYPES) expect(exampleOf(type).command(shared).type).toBe(type);
  });

  it('[L-IO-2] refuses a handshake without a live session of this workshop (removed, another workshop, none)', async () => {
    expect(await refusedHandshake(shared.a.id, shared.removed.token)).toBe('not_signed_in');
    expect(await refusedHandshake(shared.a.id, shared.other.token)).toBe('not_signed_in');
    expect(await refusedHandshake(shared.a.id, undefined)).toBe('not_signed_in');
    // A present link is no session: only a present screen's handshake takes it.
    expect(await refusedHandshake(shared.a.id, shared.presentToken)).toBe('not_signed_in');
  });

  it.each(COMMAND_TYPES)('%s: exactly the senders the command table allows', async (type) => {
    const example = exampleOf(type);
    const want: Record<string, string> = {};
    const got: Record<string, string> = {};
    const changedA: Identity[] = [];
    // The refused senders go first: each must leave A exactly as it was (checked), so each of them,
    // and then the allowed ones, meets A as set up (the person to remove is still there...).
    const allowed = (who: Identity) => expected(type, who, example.command(shared)) === OK;
    const order = [...IDENTITIES.filter((who) => !allowed(who)), ...IDENTITIES.filter(allowed)];
    let prepared: World | null = null;
    for (const who of order) {
      const w = example.fresh && who !== 'none' ? await world() : shared;
      if (prepared !== w) await example.before?.(w);
      prepared = w;
      want[who] = expected(type, who, example.command(w));
      // Every refused command, and every command that acts on another workshop, leaves A as it was.
      const { answer, unchanged } = await attempt(w, type, who, want[who] !== OK);
      got[who] = answer;
      if (!unchanged) changedA.push(who);
    }
    expect(got).toEqual(want);
    expect(changedA, 'these senders changed workshop A although they were refused').toEqual([]);
  });
});

describe('the permission matrix: after the end', () => {
  // Once a workshop has ended, a command is taken only if its row in the command table says
  // `afterEnd`; every other one is refused with the same plain words, whoever sends it. Sent by
  // the facilitator (allowed every command by role), so the end is the only reason to refuse.
  const ENDED = /^This workshop has ended\./;
  // What ends a sender's place (forget, delete) goes last, each from a socket that is not needed
  // after it: the member forgets, then the second facilitator deletes.
  const LAST: CommandType[] = ['me.forget', 'workshop.delete'];
  const order = [...COMMAND_TYPES.filter((t) => !LAST.includes(t)), ...LAST];
  const sender = (w: World, type: CommandType) =>
    type === 'me.forget' ? w.sockets.member : type === 'workshop.delete' ? w.setup : w.sockets.facilitator;

  it('takes exactly the commands the table marks afterEnd, and refuses the rest in plain words', async () => {
    const w = await world();
    await expectOk(w.setup, { type: 'workshop.end' });
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const type of order) {
      if (type === 'me.forget') {
        // The refusals changed nothing: the board is still locked and the step is still the first.
        const state = JSON.parse((await server.running.realtime.store.facilitation.get(w.a.id))?.json ?? '{}') as {
          lockedBoards: string[];
          phaseIndex: number;
        };
        expect(state.lockedBoards).toEqual([w.boardId]);
        expect(state.phaseIndex).toBe(0);
      }
      const result = await send(sender(w, type), exampleOf(type).command(w));
      const refusedForTheEnd = !result.ok && result.error.code === 'not_allowed_now' && ENDED.test(result.error.message);
      got[type] = refusedForTheEnd ? 'refused: ended' : 'taken';
      want[type] = takenAfterEnd(type) ? 'taken' : 'refused: ended';
    }
    expect(got).toEqual(want);
  });
});

// ---------------------------------------------------------------------------------------------
// HTTP endpoints

/** Every entry point under src/routes, as "METHOD /path", read from the files themselves. */
function discoverRoutes(): string[] {
  const root = path.resolve('src/routes');
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        continue;
      }
      const rel = path.relative(root, dir).split(path.sep).filter(Boolean);
      const route = '/' + rel.filter((s) => !/^\(.*\)$/.test(s)).join('/');
      const text = fs.readFileSync(full, 'utf8');
      if (/^\+server\.[jt]s$/.test(entry.name)) {
        for (const m of text.matchAll(/export\s+(?:const|(?:async\s+)?function)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|fallback)\b/g)) {
          found.add(`${m[1]} ${route}`);
        }
      } else if (/^\+page\.svelte$/.test(entry.name)) {
        found.add(`GET ${route}`);
      } else if (/^\+page(\.server)?\.[jt]s$/.test(entry.name)) {
        if (/export\s+(?:const|(?:async\s+)?function)\s+load\b/.test(text)) found.add(`GET ${route}`);
        const actions = text.indexOf('export const actions');
        if (actions >= 0) {
          const block = text.slice(actions, text.indexOf('\n};', actions));
          for (const m of block.matchAll(/^ {2}([A-Za-z_$][\w$]*)\s*:/gm))
            found.add(m[1] === 'default' ? `POST ${route}` : `POST ${route}?/${m[1]}`);
        }
      } else if (/^\+layout(\.server)?\.[jt]s$/.test(entry.name)) {
        // A layout's load runs for every page below it: it needs a row of its own.
        found.add(`LAYOUT ${route}`);
      }
    }
  };
  walk(root);
  return [...found].sort();
}

type Transport = 'bearer' | 'cookie';

interface Request {
  method: string;
  path: string;
  json?: unknown;
  form?: Record<string, string>;
  /** A multipart form (a file upload), each file as its name and contents. */
  multipart?: Record<string, string | { file: string; contents: string }>;
  /** A page: asked for as a browser would (Accept: text/html). */
  page?: boolean;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

interface HttpRow {
  request: (w: World) => Request;
  expect: Record<Identity, number>;
  /** What the status alone does not show (whose session the answer is for, where a form leads). */
  check?: (answer: Answer, who: Identity, w: World, transport: Transport) => void | Promise<void>;
  /** Identities whose allowed call changes what later calls see: each gets a world of its own. */
  fresh?: Identity[];
}

const everyone = (status: number): Record<Identity, number> =>
  Object.fromEntries(IDENTITIES.map((who) => [who, status])) as Record<Identity, number>;

/** The session token an identity presents for workshop A. */
function tokenFor(w: World, who: Identity): string | null {
  if (isLive(who)) return w.people[who].token;
  if (who === 'removed') return w.removed.token;
  if (who === 'otherWorkshop') return w.other.token;
  if (who === 'present') return w.presentToken;
  return null;
}

/**
 * Credentials as a script (Bearer) or a browser (the workshop's cookie) sends them. Another
 * workshop's participant sends their own cookie and their token under A's cookie name too.
 */
function credentials(w: World, who: Identity, transport: Transport): Record<string, string> {
  const token = tokenFor(w, who);
  if (!token) return {};
  if (transport === 'bearer') return { authorization: `Bearer ${token}` };
  // What /p/<token> sets in a browser.
  if (who === 'present') return { cookie: `rt_present_${w.a.id}=${token}` };
  const cookies = [`rt_session_${w.a.id}=${token}`];
  if (who === 'otherWorkshop') cookies.push(`rt_session_${w.b.id}=${token}`);
  return { cookie: cookies.join('; ') };
}

async function call(w: World, request: Request, who: Identity, transport: Transport): Promise<Answer> {
  const headers: Record<string, string> = { ...credentials(w, who, transport) };
  let body: string | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  }
  if (request.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    // A form post from the page itself (SvelteKit refuses form posts from other origins).
    headers.origin = w.target.url;
    body = new URLSearchParams(request.form).toString();
  }
  let multipart: FormData | undefined;
  if (request.multipart) {
    multipart = new FormData();
    for (const [name, value] of Object.entries(request.multipart)) {
      if (typeof value === 'string') multipart.set(name, value);
      else multipart.set(name, new Blob([value.contents], { type: 'application/json' }), value.file);
    }
    headers.origin = w.target.url;
  }
  if (request.page || request.form || request.multipart) headers.accept = 'text/html';
  const res = await fetch(w.target.url + request.path, { method: request.method, headers, body: multipart ?? body, redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const live = (statusLive: number, statusRest: number): Record<Identity, number> =>
  Object.fromEntries(IDENTITIES.map((who) => [who, isLive(who) ? statusLive : statusRest])) as Record<Identity, number>;

const facilitatorOnly = (ok: number, otherRoles: number, rest: number): Record<Identity, number> =>
  Object.fromEntries(IDENTITIES.map((who) => [who, who === 'facilitator' ? ok : isLive(who) ? otherRoles : rest])) as Record<
    Identity,
    number
  >;

/** Facilitators and decision makers (and representatives, not in this matrix) may have the briefing. */
const briefingTakers = (ok: number, otherRoles: number, rest: number): Record<Identity, number> =>
  Object.fromEntries(
    IDENTITIES.map((who) => [who, who === 'facilitator' || who === 'decisionMaker' ? ok : isLive(who) ? otherRoles : rest])
  ) as Record<Identity, number>;

/** Decision makers and facilitators may prepare the question and its glossary. */
const preparers = (ok: number, otherRoles: number, rest: number): Record<Identity, number> =>
  Object.fromEntries(
    IDENTITIES.map((who) => [who, who === 'facilitator' || who === 'decisionMaker' ? ok : isLive(who) ? otherRoles : rest])
  ) as Record<Identity, number>;

/** The smallest archive a workshop can be made from (src/lib/protocol/archive.ts). */
const SMALL_ARCHIVE = {
  format: 'roundtable-archive',
  version: 1,
  exportedAt: 1,
  workshop: { title: 'Made from a file', question: 'Why?', createdAt: 1, endedAt: null },
  participants: { facilitator: 1, member: 0, decisionMaker: 0, observer: 0 },
  facilitation: { steps: [{ kind: 'welcome', title: 'Welcome' }], settings: { anonymousCards: 'off', decisionMakersAfterMembers: false } },
  boards: [{ id: 'b1', title: 'Main board', cards: [], themes: [], keyPoints: [], votes: [] }]
};

/** Facilitators and decision makers make and answer recommendations; members and observers are refused; the rest are not signed in. */
const answerers = (ok: number, otherRoles: number, rest: number): Record<Identity, number> =>
  Object.fromEntries(
    IDENTITIES.map((who) => [who, who === 'facilitator' || who === 'decisionMaker' ? ok : isLive(who) ? otherRoles : rest])
  ) as Record<Identity, number>;

/** A refusal's JSON error code: 403 forbidden, 401 not_signed_in. */
const refusalCode = (answer: Answer) => {
  if (answer.status >= 400) expect(JSON.parse(answer.text).error.code).toBe(answer.status === 403 ? 'forbidden' : 'not_signed_in');
};

const HTTP: Record<string, HttpRow> = {
  // "You said, we did" (issue 12, item 5): anyone who took part reads; facilitators and decision makers change.
  'GET /api/workshops/[id]/outcomes.json': {
    request: (w) => ({ method: 'GET', path: `/api/workshops/${w.a.id}/outcomes.json` }),
    expect: live(200, 401),
    check: (answer) => {
      if (answer.status === 200) expect(JSON.parse(answer.text).recommendations[0]).toMatchObject({ text: 'Pay peer support workers' });
      else refusalCode(answer);
    }
  },
  ...Object.fromEntries(
    (
      [
        ['html', 'text/html'],
        ['pdf', 'application/pdf'],
        ['md', 'text/markdown'],
        ['csv', 'text/csv']
      ] as const
    ).map(([format, type]): [string, HttpRow] => [
      `GET /api/workshops/[id]/outcomes.${format}`,
      {
        request: (w) => ({ method: 'GET', path: `/api/workshops/${w.a.id}/outcomes.${format}` }),
        expect: live(200, 401),
        check: (answer) => {
          if (answer.status === 200) expect(answer.headers.get('content-type')).toContain(type);
          else refusalCode(answer);
        }
      }
    ])
  ),
  'POST /api/workshops/[id]/recommendations': {
    request: (w) => ({
      method: 'POST',
      path: `/api/workshops/${w.a.id}/recommendations`,
      json: { text: 'Open the library on Sundays', addressedTo: 'Governor' }
    }),
    expect: answerers(201, 403, 401),
    check: (answer) => {
      if (answer.status === 201) expect(JSON.parse(answer.text).recommendation).toMatchObject({ text: 'Open the library on Sundays' });
      else refusalCode(answer);
    }
  },
  'POST /api/workshops/[id]/recommendations/[recommendationId]/updates': {
    request: (w) => ({
      method: 'POST',
      path: `/api/workshops/${w.a.id}/recommendations/${w.recommendation}/updates`,
      json: { status: 'piloting', explanation: 'Two prisons from May' }
    }),
    expect: answerers(201, 403, 401),
    check: (answer) => {
      if (answer.status === 201)
        expect(JSON.parse(answer.text).entry).toMatchObject({ status: 'piloting', explanation: 'Two prisons from May' });
      else refusalCode(answer);
    }
  },
  // Involvement records (issue 13, item 6): nobody in the matrix ticked "Record my time", so
  // live people have no record (404 not_recorded); the export is the facilitator's alone.
  'GET /api/workshops/[id]/involvement.csv': {
    request: (w) => ({ method: 'GET', path: `/api/workshops/${w.a.id}/involvement.csv` }),
    expect: facilitatorOnly(200, 403, 401),
    check: (answer) => {
      if (answer.status === 200) expect(answer.text.trim().split('\r\n')).toEqual([expect.stringContaining('"Name for the record"')]);
      else refusalCode(answer);
    }
  },
  'GET /api/workshops/[id]/time-record': {
    request: (w) => ({ method: 'GET', path: `/api/workshops/${w.a.id}/time-record` }),
    expect: live(404, 401),
    check: (answer) => expect(JSON.parse(answer.text).error.code).toBe(answer.status === 404 ? 'not_recorded' : 'not_signed_in')
  },
  'DELETE /api/workshops/[id]/time-record': {
    request: (w) => ({ method: 'DELETE', path: `/api/workshops/${w.a.id}/time-record` }),
    expect: live(404, 401),
    check: (answer) => expect(JSON.parse(answer.text).error.code).toBe(answer.status === 404 ? 'not_recorded' : 'not_signed_in')
  },
  'GET /w/[workshopId]/time': {
    request: (w) => ({ method: 'GET', path: `/w/${w.a.id}/time`, page: true }),
    expect: everyone(200),
    check: (answer, who) => {
      if (isLive(who)) expect(answer.text).toContain('You did not tick');
      else expect(answer.text).not.toContain('You did not tick');
    }
  },
  'POST /w/[workshopId]/time?/clear': {
    // Clears only the sender's own record (none here); always back to the page.
    request: (w) => ({ method: 'POST', path: `/w/${w.a.id}/time?/clear`, form: {} }),
    expect: everyone(303),
    check: (answer, _who, w) => expect(answer.headers.get('location')).toBe(`/w/${w.a.id}/time?cleared`)
  },
  'GET /w/[workshopId]/outcomes': {
    // 200 for everyone: without a session the page explains how to join. Who it shows is in its data.
    request: (w) => ({ method: 'GET', path: `/w/${w.a.id}/outcomes`, page: true }),
    expect: everyone(200),
    check: async (answer, who, w, transport) => {
      if (isLive(who)) expect(answer.text).toContain('Pay peer support workers');
      else expect(answer.text).not.toContain('Pay peer support workers');
      const res = await fetch(`${w.target.url}/w/${w.a.id}/outcomes/__data.json`, { headers: credentials(w, who, transport) });
      const data = pageData(await res.text());
      if (isLive(who))
        expect(data).toMatchObject({ signedIn: true, workshopId: w.a.id, canAnswer: who === 'facilitator' || who === 'decisionMaker' });
      else expect(data).toEqual({ signedIn: false, workshopId: w.a.id, gone: who === 'removed' ? 'removed' : null });
    }
  },
  'POST /w/[workshopId]/outcomes?/create': {
    request: (w) => ({
      method: 'POST',
      path: `/w/${w.a.id}/outcomes?/create`,
      form: { 'new-text': 'Peer mentors at the gate', 'new-addressedTo': 'Head of Probation', 'new-from': '' }
    }),
    expect: answerers(303, 403, 401),
    check: (answer, _who, w) => {
      if (answer.status === 303)
        expect(answer.headers.get('location')).toMatch(new RegExp(`^/w/${w.a.id}/outcomes\\?saved=\\d+#recommendation-\\d+$`));
    }
  },
  'POST /w/[workshopId]/outcomes?/update': {
    request: (w) => ({
      method: 'POST',
      path: `/w/${w.a.id}/outcomes?/update`,
      form: {
        recommendation: w.recommendation,
        kind: 'status',
        [`r-${w.recommendation}-status`]: 'heard',
        [`r-${w.recommendation}-explanation`]: 'We read it at the board'
      }
    }),
    expect: answerers(303, 403, 401),
    check: (answer, _who, w) => {
      if (answer.status === 303) expect(answer.headers.get('location')).toBe(`/w/${w.a.id}/outcomes?saved=1#recommendation-1`);
    }
  },
  'POST /w/[workshopId]/outcomes?/next': {
    request: (w) => ({
      method: 'POST',
      path: `/w/${w.a.id}/outcomes?/next`,
      form: { 'next-title': 'The next one', 'next-question': 'What happened?' }
    }),
    expect: facilitatorOnly(303, 403, 401),
    check: (answer) => {
      if (answer.status === 303) expect(answer.headers.get('location')).toMatch(/^\/w\/[A-Za-z0-9_-]+\/invite\?new=1$/);
    }
  },
  'GET /w/[workshopId]/outcomes/summary': {
    request: (w) => ({ method: 'GET', path: `/w/${w.a.id}/outcomes/summary`, page: true }),
    expect: live(200, 404),
    check: (answer, who) => {
      if (isLive(who)) expect(answer.text).toContain('What happened to our ideas: outcomes summary');
      else expect(answer.text).not.toContain('Pay peer support workers');
    }
  },
  'GET /': { request: () => ({ method: 'GET', path: '/', page: true }), expect: everyone(200) },
  'POST /?/create': {
    request: () => ({ method: 'POST', path: '/?/create', form: { title: 'Made from the landing page', question: 'Why?', name: '' } }),
    expect: everyone(303),
    check: (answer) => expect(answer.headers.get('location')).toMatch(/^\/w\/[A-Za-z0-9_-]+\/invite\?new=1$/)
  },
  'POST /?/import': {
    request: () => ({
      method: 'POST',
      path: '/?/import',
      multipart: { archive: { file: 'saved.json', contents: JSON.stringify(SMALL_ARCHIVE) }, 'import-name': '' }
    }),
    expect: everyone(303),
    check: (answer) => {
      expect(answer.headers.get('location')).toMatch(/^\/w\/[A-Za-z0-9_-]+\/invite\?new=1$/);
      // The importer is the new workshop's facilitator, signed in by the same answer.
      expect(answer.headers.get('set-cookie')).toMatch(/rt_session_[0-9a-f]+=/);
    }
  },
  'POST /api/workshops/import': {
    request: () => ({ method: 'POST', path: '/api/workshops/import', json: SMALL_ARCHIVE }),
    expect: everyone(201),
    check: (answer) =>
      expect(JSON.parse(answer.text)).toMatchObject({ title: 'Made from a file', links: { facilitator: expect.any(String) } })
  },
  'GET /api/workshops/[id]/briefing.json': {
    request: (w) => ({ method: 'GET', path: `/api/workshops/${w.a.id}/briefing.json` }),
    expect: briefingTakers(200, 403, 401),
    check: (answer, who) => {
      if (answer.status === 200) expect(JSON.parse(answer.text)).toMatchObject({ format: 'roundtable-archive', version: 1 });
      else expect(JSON.parse(answer.text).error.code).toBe(answer.status === 403 ? 'forbidden' : 'not_signed_in');
      void who;
    }
  },
  ...Object.fromEntries(
    (
      [
        ['html', 'text/html'],
        ['pdf', 'application/pdf'],
        ['md', 'text/markdown'],
        ['csv', 'text/csv']
      ] as const
    ).map(([format, type]): [string, HttpRow] => [
      `GET /api/workshops/[id]/briefing.${format}`,
      {
        request: (w) => ({ method: 'GET', path: `/api/workshops/${w.a.id}/briefing.${format}` }),
        // Representatives too (a member the facilitator marks): tests/integration/briefing.test.ts.
        expect: briefingTakers(200, 403, 401),
        check: (answer) => {
          if (answer.status === 200) expect(answer.headers.get('content-type')).toContain(type);
          else expect(JSON.parse(answer.text).error.code).toBe(answer.status === 403 ? 'forbidden' : 'not_signed_in');
        }
      }
    ])
  ),
  'GET /api/workshops/[id]/keypoints': {
    request: (w) => ({ method: 'GET', path: `/api/workshops/${w.a.id}/keypoints` }),
    expect: live(200, 401),
    check: (answer) => {
      if (answer.status === 200) expect(JSON.parse(answer.text)).toMatchObject({ boards: expect.any(Array) });
      else expect(JSON.parse(answer.text).error.code).toBe('not_signed_in');
    }
  },
  'GET /w/[workshopId]/briefing': {
    request: (w) => ({ method: 'GET', path: `/w/${w.a.id}/briefing`, page: true }),
    expect: briefingTakers(200, 403, 404),
    check: (answer, who, w) => {
      // The print view shows the workshop's question (createWorkshop's default); no refusal does.
      if (answer.status === 200) expect(answer.text).toContain('How can we help?');
      else expect(answer.text).not.toContain('How can we help?');
      void who;
      void w;
    }
  },
  // Forums (issue 13): a forum's own endpoints and page take its forum link (Bearer or its cookie),
  // which no identity of a workshop holds: every one of them is refused, whatever its role.
  'POST /api/forums': {
    request: () => ({ method: 'POST', path: '/api/forums', json: { name: 'Made by a script', level: 'local' } }),
    expect: everyone(201)
  },
  ...Object.fromEntries(
    (
      [
        ['GET', '/api/forums/[id]', '', undefined],
        ['POST', '/api/forums/[id]/workshops', '/workshops', { title: 'T', question: 'Q?' }],
        ['POST', '/api/forums/[id]/child-links', '/child-links', {}],
        ['POST', '/api/forums/[id]/parent', '/parent', { link: 'x' }],
        ['POST', '/api/forums/[id]/shared', '/shared', { workshopId: 'a', boardId: 'b', pointId: 'c' }],
        ['POST', '/api/forums/[id]/shared/[pointId]/withdraw', '/shared/nope/withdraw', {}],
        ['GET', '/api/forums/[id]/children/shared', '/children/shared', undefined],
        ['GET', '/api/forums/[id]/involvement.csv', '/involvement.csv', undefined],
        ['POST', '/api/forums/[id]/link', '/link', {}],
        ['POST', '/api/forums/[id]/child-links/revoke', '/child-links/revoke', { link: 'x' }]
      ] as const
    ).map(([method, route, tail, json]): [string, HttpRow] => [
      `${method} ${route}`,
      {
        request: (w) => ({ method, path: `/api/forums/${w.forum.id}${tail}`, ...(json === undefined ? {} : { json }) }),
        expect: everyone(401),
        check: refusalCode
      }
    ])
  ),
  // Board meetings (issue 13, item 5): a meeting of a forum A is not part of.
  'POST /api/forums/[id]/meetings': {
    request: (w) => ({ method: 'POST', path: `/api/forums/${w.forum.id}/meetings`, json: { body: 'Board', date: '2027-03-14' } }),
    expect: everyone(401),
    check: refusalCode
  },
  ...Object.fromEntries(
    (
      [
        ['GET', '/api/meetings/[meetingId]', '', undefined],
        ['POST', '/api/meetings/[meetingId]/comments', '/comments', { pointId: 'p1', text: 'A comment' }],
        ['PUT', '/api/meetings/[meetingId]/points/[pointId]', '/points/p1', { agreed: 'Words' }],
        ['GET', '/api/meetings/[meetingId]/pack.html', '/pack.html', undefined],
        ['GET', '/api/meetings/[meetingId]/pack.pdf', '/pack.pdf', undefined],
        ['GET', '/api/meetings/[meetingId]/pack.md', '/pack.md', undefined]
      ] as const
    ).map(([method, route, tail, json]): [string, HttpRow] => [
      `${method} ${route}`,
      {
        request: () => ({ method, path: `/api/meetings/${matrixMeeting}${tail}`, ...(json === undefined ? {} : { json }) }),
        expect: everyone(401),
        check: refusalCode
      }
    ])
  ),
  'GET /meetings/[meetingId]': {
    request: () => ({ method: 'GET', path: `/meetings/${matrixMeeting}`, page: true }),
    expect: everyone(200),
    check: (answer) => {
      expect(answer.text).toContain('You cannot see this meeting');
      expect(answer.text).not.toContain('Letters in plain words');
    }
  },
  'POST /meetings/[meetingId]?/comment': {
    request: () => ({ method: 'POST', path: `/meetings/${matrixMeeting}?/comment`, form: { pointId: 'p1', 'p1-text': 'A comment' } }),
    expect: everyone(401)
  },
  'POST /meetings/[meetingId]?/prepare': {
    request: () => ({ method: 'POST', path: `/meetings/${matrixMeeting}?/prepare`, form: { pointId: 'p1', 'p1-agreed': 'Words' } }),
    expect: everyone(401)
  },
  // A workshop's facilitator adds it to a forum with the forum's link.
  'POST /api/forums/workshops': {
    request: (w) => ({ method: 'POST', path: '/api/forums/workshops', json: { workshopId: w.a.id, link: `/forum/${w.forum.token}` } }),
    expect: facilitatorOnly(200, 403, 401),
    fresh: ['facilitator'],
    check: (answer, _who, w) => {
      if (answer.status === 200)
        expect(JSON.parse(answer.text)).toEqual({ forum: { id: w.forum.id, name: 'Matrix forum', level: 'regional' } });
      else refusalCode(answer);
    }
  },
  'GET /api/workshops/[id]/rollups': {
    request: (w) => ({ method: 'GET', path: `/api/workshops/${w.a.id}/rollups` }),
    expect: live(200, 401),
    check: (answer, who) => {
      if (answer.status !== 200) return refusalCode(answer);
      const body = JSON.parse(answer.text);
      expect(body.cards).toEqual([]);
      // What could be brought in is the facilitator's only.
      if (who === 'facilitator') expect(body.options).toMatchObject({ children: [] });
      else expect(body.options).toBeNull();
    }
  },
  'GET /forum/[token]': {
    // Anyone with the link gets the forum's cookie, and is sent to the forum's page.
    request: (w) => ({ method: 'GET', path: `/forum/${w.forum.token}`, page: true }),
    expect: everyone(303),
    check: (answer, _who, w) => {
      expect(answer.headers.get('location')).toBe(`/f/${w.forum.id}`);
      expect(answer.headers.getSetCookie().some((c) => c.startsWith(`rt_forum_${w.forum.id}=${w.forum.token}`))).toBe(true);
    }
  },
  'GET /forum/join/[token]': {
    // A join link opened in a browser only says how to use it: nothing is looked up or joined.
    request: () => ({ method: 'GET', path: `/forum/join/${'j'.repeat(43)}`, page: true }),
    expect: everyone(200),
    check: (answer) => expect(answer.text).toContain('Opening it here does nothing.')
  },
  'GET /f/[forumId]': {
    // 200 for everyone: without the forum link the page says to open it, and shows nothing of the forum.
    request: (w) => ({ method: 'GET', path: `/f/${w.forum.id}`, page: true }),
    expect: everyone(200),
    check: (answer) => {
      expect(answer.text).toContain('Open your forum link first');
      expect(answer.text).not.toContain('Matrix forum');
    }
  },
  ...Object.fromEntries(
    (['share', 'withdraw', 'childLink', 'revokeJoin', 'join', 'workshop', 'meeting', 'renewLink'] as const).map(
      (action): [string, HttpRow] => [
        `POST /f/[forumId]?/${action}`,
        {
          request: (w) => ({
            method: 'POST',
            path: `/f/${w.forum.id}?/${action}`,
            form: { point: 'a:b:c', shared: 'x', 'join-link': 'x', link: 'x' }
          }),
          expect: everyone(401)
        }
      ]
    )
  ),
  'GET /w/[workshopId]/rollup': {
    request: (w) => ({ method: 'GET', path: `/w/${w.a.id}/rollup`, page: true }),
    expect: everyone(200),
    check: (answer, who) => {
      if (isLive(who)) expect(answer.text).toContain('Points from other forums');
      else expect(answer.text).not.toContain('On the board');
    }
  },
  // A in no forum: the facilitator is past who-may and hears the rule's refusal; the rest are refused first.
  'POST /w/[workshopId]/rollup?/bring': {
    request: (w) => ({ method: 'POST', path: `/w/${w.a.id}/rollup?/bring`, form: { point: 'no-such-point' } }),
    expect: facilitatorOnly(409, 403, 401),
    check: (answer, who) => {
      if (who === 'facilitator') expect(answer.text).toContain('not part of a forum');
    }
  },
  'POST /w/[workshopId]/rollup?/merge': {
    request: (w) => ({ method: 'POST', path: `/w/${w.a.id}/rollup?/merge`, form: { card: 'one-card' } }),
    expect: facilitatorOnly(400, 403, 401)
  },
  'POST /w/[workshopId]/rollup?/unmerge': {
    request: (w) => ({ method: 'POST', path: `/w/${w.a.id}/rollup?/unmerge`, form: { card: 'nope' } }),
    expect: facilitatorOnly(409, 403, 401)
  },
  'POST /w/[workshopId]/rollup?/forum': {
    request: (w) => ({ method: 'POST', path: `/w/${w.a.id}/rollup?/forum`, form: { 'forum-link': 'nonsense' } }),
    expect: facilitatorOnly(400, 403, 401)
  },
  'POST /api/workshops': {
    request: () => ({ method: 'POST', path: '/api/workshops', json: { title: 'Made by a script', question: 'Why?' } }),
    expect: everyone(201)
  },
  // With `after` (issue 12, item 5): only a facilitator of that workshop may start the next one of its group.
  'POST /api/workshops (after)': {
    request: (w) => ({ method: 'POST', path: '/api/workshops', json: { title: 'The next one', question: 'Why?', after: w.a.id } }),
    expect: facilitatorOnly(201, 403, 401),
    check: (answer, _who, w) => {
      if (answer.status === 201) expect(JSON.parse(answer.text)).toMatchObject({ after: w.a.id });
      else refusalCode(answer);
    }
  },
  'POST /api/join': {
    // A device that presents a removed person's session is refused a new join there (issue 11, item 2).
    request: (w) => ({ method: 'POST', path: '/api/join', json: { token: tokenOf(w.a.links.member), name: nextName('Visitor') } }),
    expect: { ...everyone(200), removed: 403 },
    check: (answer, who, w) => {
      if (who === 'removed') {
        expect(JSON.parse(answer.text).error.code).toBe('forbidden');
        expect(answer.headers.getSetCookie().some((c) => c.startsWith(`rt_removed_${w.a.id}=removed`))).toBe(true);
      } else expect(JSON.parse(answer.text)).toMatchObject({ workshopId: w.a.id, participant: { role: 'member' } });
    }
  },
  'GET /api/session': {
    request: (w) => ({ method: 'GET', path: `/api/session?workshop=${w.a.id}` }),
    expect: live(200, 401),
    check: (answer, who, w) => {
      if (isLive(who))
        expect(JSON.parse(answer.text)).toMatchObject({ participant: { id: w.people[who].id, role: who }, workshop: { id: w.a.id } });
      else expect(JSON.parse(answer.text).error.code).toBe('not_signed_in');
    }
  },
  'DELETE /api/workshops/[id]': {
    request: (w) => ({ method: 'DELETE', path: `/api/workshops/${w.a.id}` }),
    expect: facilitatorOnly(204, 403, 401),
    fresh: ['facilitator'],
    check: async (answer, who, w) => {
      // Deleted by its facilitator, and by nobody else.
      const after = await api(w.target.url, `/api/session?workshop=${w.a.id}`, undefined, {
        headers: { authorization: `Bearer ${w.people.facilitator.token}` }
      });
      // 410 Gone once deleted: only the workshop's id is kept, so the API can say so.
      expect(after.status).toBe(who === 'facilitator' ? 410 : 200);
      if (answer.status === 403) expect(JSON.parse(answer.text).error.code).toBe('forbidden');
      if (answer.status === 401) expect(JSON.parse(answer.text).error.code).toBe('not_signed_in');
    }
  },
  'GET /j/[token]': {
    request: (w) => ({ method: 'GET', path: `/j/${tokenOf(w.a.links.member)}`, page: true }),
    expect: everyone(200),
    // 200 for everyone: a removed person's device is told it cannot join, instead of the form.
    check: (answer, who) =>
      expect(answer.text).toContain(who === 'removed' ? 'This device cannot join this workshop' : 'What name should we show?')
  },
  'POST /j/[token]': {
    request: (w) => ({ method: 'POST', path: `/j/${tokenOf(w.a.links.member)}`, form: { name: nextName('Visitor') } }),
    expect: { ...everyone(303), removed: 403 },
    check: (answer, who, w) => {
      if (who === 'removed') expect(answer.text).toContain('This device cannot join this workshop');
      else expect(answer.headers.get('location')).toBe(`/w/${w.a.id}`);
    }
  },
  'GET /join': { request: () => ({ method: 'GET', path: '/join', page: true }), expect: everyone(200) },
  'POST /join': {
    request: (w) => ({ method: 'POST', path: '/join', form: { code: w.a.code } }),
    expect: everyone(303),
    check: (answer, _who, w) => expect(answer.headers.get('location')).toBe(`/j/${tokenOf(w.a.links.member)}`)
  },
  'GET /privacy': { request: () => ({ method: 'GET', path: '/privacy', page: true }), expect: everyone(200) },
  'GET /left': { request: () => ({ method: 'GET', path: '/left', page: true }), expect: everyone(200) },
  'POST /api/session/leave': {
    // Always 200 (a page calls it to be sure); it ends only a live session of this workshop.
    request: (w) => ({ method: 'POST', path: '/api/session/leave', json: { workshop: w.a.id } }),
    expect: everyone(200),
    fresh: ['facilitator', 'member', 'decisionMaker', 'observer'],
    check: async (answer, who, w) => {
      expect(JSON.parse(answer.text)).toEqual({ ended: isLive(who) });
      if (!isLive(who)) return;
      // That device's session has ended; the person is still in the workshop.
      const after = await api(w.target.url, `/api/session?workshop=${w.a.id}`, undefined, {
        headers: { authorization: `Bearer ${w.people[who].token}` }
      });
      expect(after.status).toBe(401);
    }
  },
  'GET /w/[workshopId]': {
    // 200 for everyone: without a session the page explains how to join. Who it shows is in its data.
    request: (w) => ({ method: 'GET', path: `/w/${w.a.id}`, page: true }),
    expect: everyone(200),
    check: async (_answer, who, w, transport) => {
      const res = await fetch(`${w.target.url}/w/${w.a.id}/__data.json`, { headers: credentials(w, who, transport) });
      const data = pageData(await res.text());
      if (isLive(who)) expect(data).toMatchObject({ signedIn: true, workshop: { id: w.a.id }, me: { id: w.people[who].id, role: who } });
      else expect(data).toEqual({ signedIn: false, workshopId: w.a.id, gone: who === 'removed' ? 'removed' : null });
    }
  },
  'GET /api/workshops/[id]/question': {
    request: (w) => ({ method: 'GET', path: `/api/workshops/${w.a.id}/question` }),
    expect: live(200, 401),
    check: (answer) => {
      if (answer.status === 200)
        expect(JSON.parse(answer.text)).toMatchObject({ question: expect.any(String), glossary: expect.any(Array) });
      else expect(JSON.parse(answer.text).error.code).toBe('not_signed_in');
    }
  },
  'PUT /api/workshops/[id]/question': {
    request: (w) => ({ method: 'PUT', path: `/api/workshops/${w.a.id}/question`, json: { question: 'How can we help?', context: '' } }),
    expect: preparers(200, 403, 401),
    check: (answer) => {
      const body = JSON.parse(answer.text);
      if (answer.status === 200) expect(body).toMatchObject({ question: 'How can we help?', check: { words: 4 } });
      else expect(body.error.code).toBe(answer.status === 403 ? 'forbidden' : 'not_signed_in');
    }
  },
  'GET /w/[workshopId]/prepare': {
    request: (w) => ({ method: 'GET', path: `/w/${w.a.id}/prepare`, page: true }),
    expect: preparers(200, 403, 404),
    check: (answer) => {
      if (answer.status === 200) expect(answer.text).toContain('Prepare the question');
      else if (answer.status === 403) expect(answer.text).toContain('Only decision makers and the facilitator can prepare the question');
    }
  },
  'POST /w/[workshopId]/prepare?/save': {
    request: (w) => ({ method: 'POST', path: `/w/${w.a.id}/prepare?/save`, form: { question: 'How can we help?', context: '' } }),
    expect: preparers(200, 403, 404)
  },
  'POST /w/[workshopId]/prepare?/term': {
    // A change to the word the world has: the same answer however often it is sent.
    request: (w) => ({
      method: 'POST',
      path: `/w/${w.a.id}/prepare?/term`,
      form: { termId: w.term, term: 'Matrix word', explanation: 'A word the matrix changes.' }
    }),
    expect: preparers(200, 403, 404)
  },
  'POST /w/[workshopId]/prepare?/removeTerm': {
    request: (w) => ({ method: 'POST', path: `/w/${w.a.id}/prepare?/removeTerm`, form: { termId: w.term, term: 'Matrix word' } }),
    expect: preparers(200, 403, 404),
    fresh: ['facilitator', 'decisionMaker'],
    check: async (answer, who, w) => {
      // Taken out by a decision maker or the facilitator, and by nobody else.
      const left = (await api(w.target.url, `/api/workshops/${w.a.id}/question`, undefined, {
        headers: { authorization: `Bearer ${w.people.facilitator.token}` }
      })) as { body: { glossary: { id: string }[] } };
      expect(left.body.glossary.some((e) => e.id === w.term)).toBe(answer.status !== 200);
      void who;
    }
  },
  'GET /w/[workshopId]/export.csv': {
    request: (w) => ({ method: 'GET', path: `/w/${w.a.id}/export.csv` }),
    expect: facilitatorOnly(200, 403, 404),
    check: (answer, who) => {
      if (who === 'facilitator') expect(answer.headers.get('content-type')).toContain('text/csv');
    }
  },
  'GET /p/[token]': {
    // Anyone with the link gets its workshop's present cookie, and is sent to the present view.
    request: (w) => ({ method: 'GET', path: `/p/${w.presentToken}`, page: true }),
    expect: everyone(303),
    check: (answer, _who, w) => {
      expect(answer.headers.get('location')).toBe(`/w/${w.a.id}/present`);
      expect(answer.headers.getSetCookie().some((c) => c.startsWith(`rt_present_${w.a.id}=${w.presentToken}`))).toBe(true);
    }
  },
  'GET /w/[workshopId]/present': {
    request: (w) => ({ method: 'GET', path: `/w/${w.a.id}/present`, page: true }),
    expect: { ...facilitatorOnly(200, 403, 404), present: 200 },
    check: (answer, _who, w) => {
      // The present view shows the question and the code; no refusal does.
      const shown = answer.status === 200;
      expect(answer.text.includes('How can we help?')).toBe(shown);
      expect(answer.text.includes(`${w.a.code.slice(0, 3)} ${w.a.code.slice(3)}`)).toBe(shown);
    }
  },
  'GET /api/workshops/[id]/present': {
    request: (w) => ({ method: 'GET', path: `/api/workshops/${w.a.id}/present` }),
    expect: { ...facilitatorOnly(200, 403, 401), present: 200 },
    check: (answer) => {
      const body = JSON.parse(answer.text);
      if (answer.status === 200) expect(body).toMatchObject({ workshop: { question: 'How can we help?' }, ended: false });
      else expect(body.error.code).toBe(answer.status === 403 ? 'forbidden' : 'not_signed_in');
    }
  },
  'GET /w/[workshopId]/invite': {
    request: (w) => ({ method: 'GET', path: `/w/${w.a.id}/invite`, page: true }),
    expect: facilitatorOnly(200, 403, 404),
    check: (answer, who, w) => {
      // The facilitator's page shows the member link; no refusal does.
      if (who === 'facilitator') expect(answer.text).toContain(tokenOf(w.a.links.member));
      else expect(answer.text).not.toContain(tokenOf(w.a.links.member));
    }
  }
};

// The HTTP rows go to the server run as its own process (node dist/server.js): inside vitest, the
// in-process server's page chunks (named *.svelte.js) are compiled again by Vite's Svelte plugin
// and every page with a form answers 500 (see tests/integration/names.test.ts).
describe('the permission matrix: HTTP endpoints', () => {
  let proc: ServerProcess;
  let dataDir: string;
  let shared: World;
  beforeAll(async () => {
    dataDir = tempDataDir();
    proc = await spawnServer(dataDir, await freePort());
    shared = await world(proc);
    matrixMeeting = await meetingOutsideA(proc);
  });
  afterAll(async () => {
    if (!proc) return;
    proc.child.kill('SIGTERM');
    await proc.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('has a row for every endpoint under src/routes, and none other', () => {
    // Rows with a note in brackets are a second use of an endpoint that already has its own row.
    expect([...new Set(Object.keys(HTTP).map((k) => k.replace(/ \(.*\)$/, '')))].sort()).toEqual(discoverRoutes());
  });

  it.each(Object.keys(HTTP))('%s: exactly the callers allowed', async (route) => {
    const row = HTTP[route];
    for (const transport of ['bearer', 'cookie'] as const) {
      const got: Record<string, number> = {};
      for (const who of IDENTITIES) {
        const w = row.fresh?.includes(who) ? await world(proc) : shared;
        const answer = await call(w, row.request(w), who, transport);
        got[who] = answer.status;
        if (answer.status === row.expect[who]) await row.check?.(answer, who, w, transport);
      }
      expect({ transport, ...got }).toEqual({ transport, ...row.expect });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// /sync/<boardId>

/** Tries a WebSocket upgrade; the HTTP status (101 when it opened). */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('error', () => resolve(0));
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
  });
}

describe('the permission matrix: /sync upgrades', () => {
  it('[L-SYNC-3, L-SYNC-4] opens a board for its live participants only', async () => {
    const w = await world();
    const want: Record<Identity, number> = {
      facilitator: 101,
      member: 101,
      decisionMaker: 101,
      observer: 101,
      removed: 401,
      otherWorkshop: 403,
      present: 401,
      none: 401
    };
    for (const transport of ['token', 'cookie'] as const) {
      const got: Record<string, number> = {};
      for (const who of IDENTITIES) {
        const token = tokenFor(w, who);
        const query = transport === 'token' && token ? `?token=${encodeURIComponent(token)}` : '';
        const headers = transport === 'cookie' ? credentials(w, who, 'cookie') : {};
        got[who] = await upgradeStatus(`${server.wsUrl}/sync/${w.boardId}${query}`, headers);
      }
      expect({ transport, ...got }).toEqual({ transport, ...want });
    }
  });
});
