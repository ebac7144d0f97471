// socket.io at /socket.io: session control. Authenticates in middleware (same function as the
// HTTP hook and the sync upgrade), then joins the workshop's room and says welcome.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import { PROTOCOL_VERSION, type ClientToServerEvents, type ServerToClientEvents } from '../../src/lib/protocol/session';
import type { SessionInfo, WorkshopService } from '../workshops';
import { sessionCookieName } from '../workshops';
import { originAllowed, readCookie } from '../origins';

export interface SocketData {
  session: SessionInfo;
}

export type SessionServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export function createSessionServer(
  http: HttpServer,
  deps: { workshops: WorkshopService; logger: Logger; publicUrl: string | null; extraOrigins: string[] }
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

  io.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const workshopId = typeof auth.workshopId === 'string' ? auth.workshopId : '';
    const token =
      typeof auth.token === 'string'
        ? auth.token
        : workshopId
          ? readCookie(socket.request, sessionCookieName(workshopId))
          : null;
    const session = deps.workshops.authenticate(token);
    if (!session || (workshopId && session.workshop.id !== workshopId)) {
      const err = new Error('not_signed_in') as Error & { data?: unknown };
      err.data = { code: 'not_signed_in', message: 'Join the workshop first: your session is missing or has ended.' };
      return next(err);
    }
    socket.data.session = session;
    next();
  });

  io.on('connection', (socket) => {
    const { participant, workshop } = socket.data.session;
    socket.on('error', (err) => deps.logger.debug({ err: err.message }, 'socket.io error'));
    void socket.join(`workshop:${workshop.id}`);
    socket.emit('welcome', {
      protocolVersion: PROTOCOL_VERSION,
      participant: { id: participant.id, name: participant.name, role: participant.role },
      workshop: { id: workshop.id, title: workshop.title, question: workshop.question },
      serverTime: Date.now()
    });
    // Anything we do not know is refused to this client only.
    socket.onAny((event: string) => {
      socket.emit('refused', { code: 'unknown_command', message: `The server does not know "${String(event).slice(0, 40)}".` });
    });
  });

  return io;
}
