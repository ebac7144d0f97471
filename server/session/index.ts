// socket.io at /socket.io: session control. Authenticates in middleware (the same function as the
// HTTP hook and the sync upgrade), joins the workshop's rooms, and routes every `command` through
// Facilitation (schema, then role, then rule). Refusals go to the sender only.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Logger } from 'pino';
import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type CommandResult,
  type ServerToClientEvents
} from '../../src/lib/protocol/session';
import type { SessionInfo, WorkshopService } from '../workshops';
import { sessionCookieName } from '../workshops';
import { originAllowed, readCookie } from '../origins';
import { TokenBucket } from '../sync/rate';
import type { Facilitation } from './facilitation';

export interface SocketData {
  session: SessionInfo;
  bucket: TokenBucket;
}

export type SessionServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type SessionSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const workshopRoom = (id: string) => `workshop:${id}`;
const facilitatorRoom = (id: string) => `facilitators:${id}`;
const participantRoom = (id: string) => `participant:${id}`;

export function createSessionServer(
  http: HttpServer,
  deps: { workshops: WorkshopService; facilitation: Facilitation; logger: Logger; publicUrl: string | null; extraOrigins: string[] }
): SessionServer {
  const io: SessionServer = new Server(http, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    allowRequest: (req, callback) => {
      const ok = originAllowed(req, deps.publicUrl, deps.extraOrigins);
      callback(ok ? null : 'Connections from other websites are not allowed.', ok);
    }
  });
  const { facilitation } = deps;
  const online = new Map<string, Map<string, number>>(); // workshop -> participant -> sockets

  facilitation.attach({
    state: (workshopId, state) => io.to(workshopRoom(workshopId)).emit('state', state),
    facilitator: (workshopId, view) => io.to(facilitatorRoom(workshopId)).emit('facilitator', view),
    drafts: (participantId, info) => io.to(participantRoom(participantId)).emit('drafts', info),
    role: (participant) => {
      const room = participantRoom(participant.id);
      io.to(room).emit('role', { id: participant.id, name: participant.name, role: participant.role });
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
  });

  io.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const workshopId = typeof auth.workshopId === 'string' ? auth.workshopId : '';
    const token =
      typeof auth.token === 'string' ? auth.token : workshopId ? readCookie(socket.request, sessionCookieName(workshopId)) : null;
    const session = deps.workshops.authenticate(token);
    if (!session || (workshopId && session.workshop.id !== workshopId)) {
      const err = new Error('not_signed_in') as Error & { data?: unknown };
      err.data = { code: 'not_signed_in', message: 'Join the workshop first: your session is missing or has ended.' };
      return next(err);
    }
    socket.data.session = session;
    socket.data.bucket = new TokenBucket(40, 20);
    next();
  });

  io.on('connection', (socket: SessionSocket) => {
    const { participant, workshop } = socket.data.session;
    socket.on('error', (err) => deps.logger.debug({ err: err.message }, 'socket.io error'));
    void socket.join([workshopRoom(workshop.id), participantRoom(participant.id)]);
    if (participant.role === 'facilitator') void socket.join(facilitatorRoom(workshop.id));
    const counts = online.get(workshop.id) ?? new Map<string, number>();
    counts.set(participant.id, (counts.get(participant.id) ?? 0) + 1);
    online.set(workshop.id, counts);
    facilitation.presenceChanged(workshop.id);

    socket.emit('welcome', {
      protocolVersion: PROTOCOL_VERSION,
      participant: { id: participant.id, name: participant.name, role: participant.role },
      workshop: { id: workshop.id, title: workshop.title, question: workshop.question },
      serverTime: Date.now()
    });
    socket.emit('state', facilitation.publicState(workshop.id));
    if (participant.role === 'facilitator') socket.emit('facilitator', facilitation.facilitatorView(workshop.id));

    socket.on('command', (command, ack) => {
      let result: CommandResult;
      if (!socket.data.bucket.take()) {
        result = { ok: false, error: { code: 'rate_limited', message: 'Too many actions at once. Wait a moment and try again.' } };
      } else {
        result = facilitation.handle(socket.data.session.participant.id, command);
        if (!result.ok && result.error.code === 'forbidden' && !deps.workshops.authenticateParticipant(socket.data.session.participant.id)) {
          socket.emit('removed', { message: 'You are no longer in this workshop.' });
          socket.disconnect(true);
        }
      }
      if (typeof ack === 'function') ack(result);
      else if (!result.ok) socket.emit('refused', result.error);
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
      facilitation.presenceChanged(workshop.id);
    });
  });

  return io;
}
