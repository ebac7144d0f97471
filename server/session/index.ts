// socket.io at /socket.io: session control's transport. Authenticates in middleware (the same
// credentials and the same authentication as the HTTP side and the sync upgrade), joins the
// workshop's rooms, hands every `command` to the Dispatcher and implements the Notifier over
// socket.io rooms. Refusals go to the sender only. A present screen (`auth.present`) is a socket
// of its own kind: it joins only its workshop's present rooms, hears only `present`, counts as
// nobody, and has every command refused.
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { Logger } from 'pino';
import {
  PROTOCOL_VERSION,
  type CardNotice,
  type AgreedVersion,
  type ClientToServerEvents,
  type CommandResult,
  type ConsentResults,
  type MyBallot,
  type MyConsent,
  type QuestionInfo,
  type ServerToClientEvents,
  type VoteResults
} from '../../src/lib/protocol/session';
import { nodeRequest, presentCookieName, readCookie, sessionToken } from '../../src/lib/server/credentials';
import { AppError } from '../../src/lib/protocol/errors';
import type { Limits } from '../config';
import type { SessionInfo } from '../workshops';
import type { ParticipantRecord } from '../persistence/types';
import { TokenBucket } from '../rate';
import type { Dispatcher } from './dispatch';
import type { Notifier } from './ports';
import type { FacilitationStates } from './states';
import type { FacilitatorViews } from './facilitator-view';
import type { PresentViews } from './present-view';
import { PRESENT_TEXT, type PresentCredentials, type PresentViewer } from '../present';
import type { OnlineHere, SharedOnline } from '../shared/online';

/** A participant's socket, or a present screen's (which is nobody, and may send nothing). */
export type SocketData =
  | { kind: 'participant'; session: SessionInfo; bucket: TokenBucket }
  | { kind: 'present'; viewer: PresentViewer; credentials: PresentCredentials; bucket: TokenBucket };

export type SessionServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type SessionSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const workshopRoom = (id: string) => `workshop:${id}`;
const facilitatorRoom = (id: string) => `facilitators:${id}`;
const participantRoom = (id: string) => `participant:${id}`;
/** Every present screen of a workshop; those opened with its present link; those a facilitator opened with their session. */
const presentRoom = (id: string) => `present:${id}`;
const presentLinkRoom = (id: string) => `present-link:${id}`;
const presentOfRoom = (participantId: string) => `present-of:${participantId}`;

/** What a present screen is told when it sends anything: it shows, and changes nothing. */
export const PRESENT_REFUSAL = 'This is a present screen: it shows the workshop and cannot change anything.';

export interface SessionServerDeps {
  authenticate(token: string | null): Promise<SessionInfo | null>;
  /** Whether the participant is still in their workshop (not removed). */
  stillIn(participantId: string): Promise<boolean>;
  dispatcher: Dispatcher;
  states: FacilitationStates;
  views: FacilitatorViews;
  present: PresentViews;
  /** Who may see a workshop's present view (a present link, or a facilitator): refuses with an AppError. */
  presentViewer(workshopId: string, credentials: PresentCredentials): Promise<PresentViewer>;
  /** A new socket's notices about its person's cards (removed by someone, hidden). */
  noticesOnConnect: (participant: ParticipantRecord) => Promise<CardNotice[]>;
  /** A new socket's own votes in open votes, and each board's latest vote results. */
  votesOnConnect: (participant: ParticipantRecord) => Promise<{ ballots: MyBallot[]; results: VoteResults[] }>;
  /** A new socket's own answers in open consent rounds, each board's latest consent results, every agreed version. */
  keyPointsOnConnect: (
    participant: ParticipantRecord
  ) => Promise<{ mine: MyConsent[]; results: ConsentResults[]; agreed: AgreedVersion[] }>;
  /** The workshop's question, background and glossary as they are now (null once it is gone). */
  questionOnConnect: (workshopId: string) => Promise<QuestionInfo | null>;
  /** A participant's session socket connected or disconnected (involvement records' attendance). */
  attendance: { connected(participantId: string): void; disconnected(participantId: string): void };
  originAllowed: (req: import('node:http').IncomingMessage) => boolean;
  limits: Limits;
  logger: Logger;
  /** socket.io's adapter across processes (the Redis streams adapter with REDIS_URL). */
  adapter?: ServerOptions['adapter'];
  /** Who is here on the other processes (REDIS_URL), given this process's part. */
  shareOnline?: (local: () => Map<string, OnlineHere>) => SharedOnline;
}

export interface SessionTransport {
  io: SessionServer;
  notifier: Notifier;
}

export function createSessionServer(http: HttpServer, deps: SessionServerDeps): SessionTransport {
  const io: SessionServer = new Server(http, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: deps.limits.socketPayloadBytes,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
    allowRequest: (req, callback) => {
      const ok = deps.originAllowed(req);
      callback(ok ? null : 'Connections from other websites are not allowed.', ok);
    }
  });
  const online = new Map<string, Map<string, number>>(); // workshop -> participant -> sockets
  const localRoomSize = (room: string) => io.sockets.adapter.rooms.get(room)?.size ?? 0;
  /** This process's part of a workshop: who is here, facilitators and present screens. */
  const here = (workshopId: string): OnlineHere => ({
    participants: [...(online.get(workshopId)?.keys() ?? [])],
    facilitators: localRoomSize(facilitatorRoom(workshopId)),
    screens: localRoomSize(presentRoom(workshopId))
  });
  const shared =
    deps.shareOnline?.(() => {
      const all = new Map<string, OnlineHere>();
      for (const room of io.sockets.adapter.rooms.keys()) {
        const m = /^(?:workshop|present):(.+)$/.exec(room);
        if (m && !all.has(m[1])) all.set(m[1], here(m[1]));
      }
      return all;
    }) ?? null;
  /** Tells the other processes this one's part of a workshop (after this tick: rooms are left by then). */
  const onlineChanged = (workshopId: string) => {
    if (shared) setImmediate(() => shared.changed(workshopId, here(workshopId)));
  };
  /** Tells a room's sockets why they are closing, then closes them (after this tick, as for `removed`). */
  const closeRoom = (room: string, message: string) => {
    if (!io.sockets.adapter.rooms.get(room)?.size) return;
    io.to(room).emit('removed', { message });
    setImmediate(() => io.in(room).disconnectSockets(true));
  };

  const notifier: Notifier = {
    state: (workshopId, state) => void io.to(workshopRoom(workshopId)).emit('state', state),
    facilitator: (workshopId, view) => void io.to(facilitatorRoom(workshopId)).emit('facilitator', view),
    drafts: (participantId, info) => void io.to(participantRoom(participantId)).emit('drafts', info),
    ballot: (participantId, ballot) => void io.to(participantRoom(participantId)).emit('ballot', ballot),
    notices: (participantId, notices) => void io.to(participantRoom(participantId)).emit('notices', { notices }),
    voteResults: (workshopId, results) => void io.to(workshopRoom(workshopId)).emit('voteResults', results),
    consentMine: (participantId, mine) => void io.to(participantRoom(participantId)).emit('consentMine', mine),
    consentResults: (workshopId, results) => void io.to(workshopRoom(workshopId)).emit('consentResults', results),
    agreedKeyPoints: (workshopId, version) => void io.to(workshopRoom(workshopId)).emit('agreedKeyPoints', version),
    question: (workshopId, info) => void io.to(workshopRoom(workshopId)).emit('question', info),
    role: (participant) => {
      const room = participantRoom(participant.id);
      io.to(room).emit('role', {
        id: participant.id,
        name: participant.name,
        role: participant.role,
        representative: participant.representative ?? false
      });
      for (const socket of io.sockets.adapter.rooms.get(room) ?? []) {
        const s = io.sockets.sockets.get(socket);
        if (s?.data.kind !== 'participant') continue;
        s.data.session = { ...s.data.session, participant };
      }
      // Through the adapter, so their sockets on other processes join or leave too.
      if (participant.role === 'facilitator') io.in(room).socketsJoin(facilitatorRoom(participant.workshopId));
      else io.in(room).socketsLeave(facilitatorRoom(participant.workshopId));
      onlineChanged(participant.workshopId);
      // A present screen opened with the facilitator's session goes with the role.
      if (participant.role !== 'facilitator') closeRoom(presentOfRoom(participant.id), PRESENT_TEXT.notFacilitator);
    },
    removed: (participantId, message) => {
      io.to(participantRoom(participantId)).emit('removed', { message });
      // After this tick, so a command's acknowledgement (e.g. "me.forget") still reaches its sender.
      setImmediate(() => io.in(participantRoom(participantId)).disconnectSockets(true));
      closeRoom(presentOfRoom(participantId), message);
    },
    workshopGone: (workshopId, message) => {
      io.to(workshopRoom(workshopId)).emit('removed', { message });
      setImmediate(() => io.in(workshopRoom(workshopId)).disconnectSockets(true));
      closeRoom(presentRoom(workshopId), message);
      online.delete(workshopId);
    },
    online: (workshopId) => {
      const ids = new Set(online.get(workshopId)?.keys() ?? []);
      for (const other of shared?.elsewhere(workshopId) ?? []) for (const id of other.participants) ids.add(id);
      return ids;
    },
    present: (workshopId, view) => void io.to(presentRoom(workshopId)).emit('present', view),
    presentScreens: (workshopId) =>
      localRoomSize(presentRoom(workshopId)) + (shared?.elsewhere(workshopId).reduce((n, o) => n + o.screens, 0) ?? 0),
    presentLinkReplaced: (workshopId, message) => closeRoom(presentLinkRoom(workshopId), message),
    hasFacilitators: (workshopId) =>
      localRoomSize(facilitatorRoom(workshopId)) > 0 || (shared?.elsewhere(workshopId).some((o) => o.facilitators > 0) ?? false)
  };

  io.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const workshopId = typeof auth.workshopId === 'string' ? auth.workshopId : '';
    const refuse = (message = 'Join the workshop first: your session is missing or has ended.') => {
      const err = new Error('not_signed_in') as Error & { data?: unknown };
      err.data = { code: 'not_signed_in', message };
      next(err);
    };
    const bucket = () => new TokenBucket(deps.limits.commandBurst, deps.limits.commandsPerSecond);
    const request = nodeRequest(socket.request);
    if (auth.present === true) {
      // A present screen: the present link (given, or its cookie), or a facilitator's session.
      if (!workshopId) return refuse();
      const credentials: PresentCredentials = {
        token: typeof auth.token === 'string' ? auth.token : null,
        cookie: readCookie(request.header('cookie'), presentCookieName(workshopId)),
        session: sessionToken(request, workshopId)
      };
      deps.presentViewer(workshopId, credentials).then(
        (viewer) => {
          socket.data = { kind: 'present', viewer, credentials, bucket: bucket() };
          next();
        },
        (err: unknown) => {
          if (!AppError.is(err)) deps.logger.error({ err }, 'socket.io authentication of a present screen failed');
          refuse(AppError.is(err) ? err.message : undefined);
        }
      );
      return;
    }
    deps.authenticate(sessionToken(request, workshopId || null, auth.token)).then(
      (session) => {
        if (!session || (workshopId && session.workshop.id !== workshopId)) return refuse();
        socket.data = { kind: 'participant', session, bucket: bucket() };
        next();
      },
      (err: unknown) => {
        deps.logger.error({ err }, 'socket.io authentication failed');
        refuse();
      }
    );
  });

  io.on('connection', (socket: SessionSocket) => {
    socket.on('error', (err) => deps.logger.debug({ err: err.message }, 'socket.io error'));
    if (socket.data.kind === 'present') return presentScreen(socket, socket.data.viewer);
    const { participant, workshop } = socket.data.session;
    void socket.join([workshopRoom(workshop.id), participantRoom(participant.id)]);
    if (participant.role === 'facilitator') void socket.join(facilitatorRoom(workshop.id));
    const counts = online.get(workshop.id) ?? new Map<string, number>();
    counts.set(participant.id, (counts.get(participant.id) ?? 0) + 1);
    online.set(workshop.id, counts);
    onlineChanged(workshop.id);
    deps.attendance.connected(participant.id);
    deps.views.schedule(workshop.id);
    deps.present.schedule(workshop.id);

    socket.emit('welcome', {
      protocolVersion: PROTOCOL_VERSION,
      participant: {
        id: participant.id,
        name: participant.name,
        role: participant.role,
        representative: participant.representative ?? false
      },
      workshop: { id: workshop.id, title: workshop.title, question: workshop.question },
      serverTime: Date.now()
    });
    deps.states.publicState(workshop.id).then(
      (state) => socket.emit('state', state),
      (err: unknown) => deps.logger.error({ err }, 'could not send the state to a new connection')
    );
    deps.noticesOnConnect(participant).then(
      (notices) => socket.emit('notices', { notices }),
      (err: unknown) => deps.logger.error({ err }, 'could not send the notices to a new connection')
    );
    deps.votesOnConnect(participant).then(
      ({ ballots, results }) => {
        for (const b of ballots) socket.emit('ballot', b);
        for (const r of results) socket.emit('voteResults', r);
      },
      (err: unknown) => deps.logger.error({ err }, 'could not send the votes to a new connection')
    );
    deps.keyPointsOnConnect(participant).then(
      ({ mine, results, agreed }) => {
        for (const m of mine) socket.emit('consentMine', m);
        for (const r of results) socket.emit('consentResults', r);
        for (const v of agreed) socket.emit('agreedKeyPoints', v);
      },
      (err: unknown) => deps.logger.error({ err }, 'could not send the key points to a new connection')
    );
    deps.questionOnConnect(workshop.id).then(
      (info) => info && socket.emit('question', info),
      (err: unknown) => deps.logger.error({ err }, 'could not send the question to a new connection')
    );
    if (participant.role === 'facilitator') {
      deps.views.build(workshop.id).then(
        (view) => socket.emit('facilitator', view),
        (err: unknown) => deps.logger.error({ err }, 'could not send the facilitator view to a new connection')
      );
    }

    socket.on('command', (command, ack) => {
      const answer = (result: CommandResult) => {
        if (typeof ack === 'function') ack(result);
        else if (!result.ok) socket.emit('refused', result.error);
      };
      if (!socket.data.bucket.take()) {
        return answer({ ok: false, error: { code: 'rate_limited', message: 'Too many actions at once. Wait a moment and try again.' } });
      }
      void deps.dispatcher.handle(participant.id, command).then(async (result) => {
        answer(result);
        if (!result.ok && result.error.code === 'forbidden' && !(await deps.stillIn(participant.id))) {
          socket.emit('removed', { message: 'You are no longer in this workshop.' });
          socket.disconnect(true);
        }
      });
    });

    // Anything else is refused to this client only.
    socket.onAny((event: string) => {
      if (event === 'command') return;
      socket.emit('refused', { code: 'unknown_command', message: `The server does not know "${String(event).slice(0, 40)}".` });
    });

    socket.on('disconnect', () => {
      deps.attendance.disconnected(participant.id);
      const c = online.get(workshop.id);
      if (!c) return;
      const n = (c.get(participant.id) ?? 1) - 1;
      if (n <= 0) c.delete(participant.id);
      else c.set(participant.id, n);
      if (c.size === 0) online.delete(workshop.id);
      onlineChanged(workshop.id);
      deps.views.schedule(workshop.id);
      deps.present.schedule(workshop.id);
    });
  });

  /**
   * A present screen: in its workshop's present rooms only (never the workshop's, a participant's
   * or the facilitators'), so it hears `present` and nothing else; not counted as anyone here; and
   * whatever it sends is refused, to it alone.
   */
  function presentScreen(socket: SessionSocket, viewer: PresentViewer): void {
    const workshopId = viewer.workshop.id;
    void socket.join([presentRoom(workshopId), viewer.via === 'link' ? presentLinkRoom(workshopId) : presentOfRoom(viewer.participantId)]);
    // Checked again once it is in its rooms: a renewal of the link (or its facilitator losing the
    // role) after the handshake's check but before this join closed the rooms without this screen
    // in them, and it stayed on with the old link.
    if (socket.data.kind === 'present') {
      deps.presentViewer(workshopId, socket.data.credentials).then(
        () => undefined,
        (err: unknown) => {
          if (!socket.connected) return;
          socket.emit('removed', { message: AppError.is(err) ? err.message : PRESENT_TEXT.replaced });
          setImmediate(() => socket.disconnect(true));
        }
      );
    }
    onlineChanged(workshopId);
    socket.on('disconnect', () => onlineChanged(workshopId));
    deps.present.build(workshopId).then(
      (view) => view && socket.emit('present', view),
      (err: unknown) => deps.logger.error({ err }, 'could not send the present view to a new screen')
    );
    const refusal = { code: 'forbidden' as const, message: PRESENT_REFUSAL };
    socket.on('command', (_command, ack) => {
      // Rate limited too, so a screen cannot keep the server busy answering refusals.
      const error = socket.data.bucket.take()
        ? refusal
        : { code: 'rate_limited' as const, message: 'Too many actions at once. Wait a moment and try again.' };
      if (typeof ack === 'function') ack({ ok: false, error });
      else socket.emit('refused', error);
    });
    socket.onAny((event: string) => {
      if (event === 'command') return;
      socket.emit('refused', { code: 'unknown_command', message: `The server does not know "${String(event).slice(0, 40)}".` });
    });
  }

  return { io, notifier };
}
