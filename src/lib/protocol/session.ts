// The socket.io contract for session control, typed on both ends so a renamed event fails to
// compile. Bump PROTOCOL_VERSION when a change would break an older page or script.
import type { Role } from '../domain/roles';

export const PROTOCOL_VERSION = 1;

export interface ParticipantInfo {
  id: string;
  name: string;
  role: Role;
}

export interface Welcome {
  protocolVersion: number;
  participant: ParticipantInfo;
  workshop: { id: string; title: string; question: string };
  /** Server clock, so timers can be shown in step whatever the device's clock says. */
  serverTime: number;
}

export interface CommandError {
  code: 'invalid_payload' | 'forbidden' | 'not_allowed_now' | 'rate_limited' | 'unknown_command' | 'server_error';
  message: string;
}

export interface ServerToClientEvents {
  welcome: (welcome: Welcome) => void;
  /** A refusal of something this client asked for; only this client receives it. */
  refused: (error: CommandError) => void;
}

// Commands arrive with issue 3 (facilitation); each takes a payload and an acknowledgement.
export type ClientToServerEvents = Record<string, never>;

/** What the client sends in the socket.io handshake's `auth`. */
export interface HandshakeAuth {
  workshopId: string;
  /** A session token for scripts; pages rely on the httpOnly cookie instead. */
  token?: string;
}
