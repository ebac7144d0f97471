// socket.io at /socket.io: session control's transport. Authenticates in middleware (the same
// credentials and the same authentication as the HTTP side and the sync upgrade), joins the
// workshop's rooms, hands every `command` to the Dispatcher and implements the Notifier over
// socket.io rooms. Refusals go to the sender only.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
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
import { nodeRequest, sessionToken } from '../../src/lib/server/credentials';
import type { Limits } from '../config';
import type { SessionInfo } from '../workshops';
import type { ParticipantRecord } from '../persistence/types';
import { TokenBucket } from '../rate';
import type { Dispatcher } from './dispatch';
import type { Notifier } from './ports';
import type { FacilitationStates } from './states';
import type { FacilitatorViews } from './facilitator-view';

export interface SocketData {
  session: SessionInfo;
  bucket: TokenBucket;
}

export type SessionServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type SessionSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const workshopRoom = (id: string) => `workshop:${id}`;
const facilitatorRoom = (id: string) => `facilitators:${id}`;
const participantRoom = (id: string) => `participant:${id}`;

export interface SessionServerDeps {
  authenticate(token: string | null): Promise<SessionInfo | null>;
  /** Whether the participant is still in their workshop (not removed). */
  stillIn(participantId: string): Promise<boolean>;
  dispatcher: Dispatcher;
  states: FacilitationStates;
  views: FacilitatorViews;
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
  originAllowed: (req: import('node:http').IncomingMessage) => boolean;
  limits: Limits;
  logger: Logger;
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
    allowRequest: (req, callback) => {
      const ok = deps.originAllowed(req);
      callback(ok ? null : 'Connections from other websites are not allowed.', ok);
    }
  });
  const online = new Map<string, Map<string, number>>(); // workshop -> participant -> sockets

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
        if (!s) continue;
        s.data.session = { ...s.data.session, participant };
        if (participant.role === 'facilitator') void s.join(facilitatorRoom(participant.workshopId));
        else void s.leave(facilitatorRoom(participant.workshopId));
      }
    },
    removed: (participantId, message) => {
      io.to(participantRoom(participantId)).emit('removed', { message });
      // After this tick, so a command's acknowledgement (e.g. "me.forget") still reaches its sender.
      setImmediate(() => io.in(participantRoom(participantId)).disconnectSockets(true));
    },
    workshopGone: (workshopId, message) => {
      io.to(workshopRoom(workshopId)).emit('removed', { message });
      setImmediate(() => io.in(workshopRoom(workshopId)).disconnectSockets(true));
      online.delete(workshopId);
    },
    online: (workshopId) => new Set(online.get(workshopId)?.keys() ?? []),
    hasFacilitators: (workshopId) => (io.sockets.adapter.rooms.get(facilitatorRoom(workshopId))?.size ?? 0) > 0
  };

  io.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const workshopId = typeof auth.workshopId === 'string' ? auth.workshopId : '';
    const refuse = () => {
      const err = new Error('not_signed_in') as Error & { data?: unknown };
      err.data = { code: 'not_signed_in', message: 'Join the workshop first: your session is missing or has ended.' };
      next(err);
    };
    deps.authenticate(sessionToken(nodeRequest(socket.request), workshopId || null, auth.token)).then(
      (session) => {
        if (!session || (workshopId && session.workshop.id !== workshopId)) return refuse();
        socket.data.session = session;
        socket.data.bucket = new TokenBucket(deps.limits.commandBurst, deps.limits.commandsPerSecond);
        next();
      },
      (err: unknown) => {
        deps.logger.error({ err }, 'socket.io authentication failed');
        refuse();
      }
    );
  });

  io.on('connection', (socket: SessionSocket) => {
    const { participant, workshop } = socket.data.session;
    socket.on('error', (err) => deps.logger.debug({ err: err.message }, 'socket.io error'));
    void socket.join([workshopRoom(workshop.id), participantRoom(participant.id)]);
    if (participant.role === 'facilitator') void socket.join(facilitatorRoom(workshop.id));
    const counts = online.get(workshop.id) ?? new Map<string, number>();
    counts.set(participant.id, (counts.get(participant.id) ?? 0) + 1);
    online.set(workshop.id, counts);
    deps.views.schedule(workshop.id);

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
      void deps.dispatcher.handle(socket.data.session.participant.id, command).then(async (result) => {
        answer(result);
        if (!result.ok && result.error.code === 'forbidden' && !(await deps.stillIn(socket.data.session.participant.id))) {
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
      const c = online.get(workshop.id);
      if (!c) return;
      const n = (c.get(participant.id) ?? 1) - 1;
      if (n <= 0) c.delete(participant.id);
      else c.set(participant.id, n);
      if (c.size === 0) online.delete(workshop.id);
      deps.views.schedule(workshop.id);
    });
  });

  return { io, notifier };
}
