// Who may open /sync/<boardId>: a pure decision over the request and a few lookups, made before
// anything reaches `ws`. Refusals are HTTP answers with the JSON error body of the API.
import type { ApiErrorCode } from '../../src/lib/protocol/errors';
import { sessionToken, type RequestFacts } from '../../src/lib/server/credentials';
import type { BoardRecord, ParticipantRecord } from '../persistence/types';

export type UpgradeDecision =
  { ok: true; board: BoardRecord; participant: ParticipantRecord } | { ok: false; status: number; code: ApiErrorCode; message: string };

export interface UpgradeRequest {
  /** The request's path and query, e.g. `/sync/<boardId>?token=...`. */
  url: string;
  facts: RequestFacts;
}

export interface UpgradeLookups {
  /** The server is shutting down. */
  closing: boolean;
  originAllowed(facts: RequestFacts): boolean;
  board(boardId: string): Promise<BoardRecord | null>;
  /** The live participant a session token belongs to, with their workshop's id. */
  authenticate(token: string | null): Promise<{ participant: ParticipantRecord } | null>;
  /** Open sync connections this participant holds now, and how many one may hold. */
  openConnections(participantId: string): number | Promise<number>;
  connectionsPerSession: number;
}

const SYNC_PATH = /^\/sync\/([A-Za-z0-9_-]{1,64})\/?$/;

/** Whether a request path belongs to the sync host (anything under /sync; others are not ours). */
export function isSyncPath(url: string): boolean {
  const path = new URL(url, 'http://localhost').pathname;
  return path === '/sync' || path.startsWith('/sync/');
}

const refuse = (status: number, code: ApiErrorCode, message: string): UpgradeDecision => ({ ok: false, status, code, message });

export async function authorizeUpgrade(req: UpgradeRequest, look: UpgradeLookups): Promise<UpgradeDecision> {
  const url = new URL(req.url, 'http://localhost');
  if (look.closing) return refuse(503, 'server_error', 'The server is restarting.');
  if (!look.originAllowed(req.facts)) return refuse(403, 'forbidden', 'Connections from other websites are not allowed.');
  // Any other name under /sync is an unknown board: answered with 404, never left hanging.
  const boardId = SYNC_PATH.exec(url.pathname)?.[1];
  const board = boardId ? await look.board(boardId) : null;
  if (!board) return refuse(404, 'not_found', 'There is no board with that id.');
  const session = await look.authenticate(sessionToken(req.facts, board.workshopId, url.searchParams.get('token')));
  if (!session) return refuse(401, 'not_signed_in', 'Join the workshop first: your session is missing or has ended.');
  if (session.participant.workshopId !== board.workshopId) return refuse(403, 'forbidden', 'Your session is for another workshop.');
  if ((await look.openConnections(session.participant.id)) >= look.connectionsPerSession) {
    return refuse(429, 'rate_limited', 'Too many open connections for one person. Close some tabs.');
  }
  return { ok: true, board, participant: session.participant };
}

/** The HTTP answer for a refused upgrade. */
export function refusalResponse(status: number, body: unknown): string {
  const text = JSON.stringify(body);
  return (
    `HTTP/1.1 ${status} ${status === 429 ? 'Too Many Requests' : 'Refused'}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`
  );
}
