// What every session handler works with, and the shapes of their answers.
import type { Logger } from 'pino';
import type { CommandError, CommandFailure, CommandResult } from '../../src/lib/protocol/session';
import type { Store } from '../persistence/types';
import type { FacilitatorViews } from './facilitator-view';
import type { PresentViews } from './present-view';
import type { AttendancePort, BoardConnections, BoardPeer, Notifier } from './ports';
import type { Release } from './release';
import type { FacilitationStates } from './states';
import type { Turnout } from './turnout';
import type { ForumService } from '../forums';

export interface SessionContext {
  store: Store;
  states: FacilitationStates;
  views: FacilitatorViews;
  /** What present screens show (/w/<id>/present). */
  present: PresentViews;
  boards: BoardPeer;
  connections: BoardConnections;
  release: Release;
  turnout: Turnout;
  notifier: () => Notifier | null;
  /** Involvement records' attendance: breaks and returns. */
  attendance: AttendancePort;
  logger: Logger;
  /** Forums: roll-up onto a board (rollup.bring, merge, unmerge). */
  forums: ForumService;
}

export const fail = (code: CommandError['code'], message: string): CommandFailure => ({ ok: false, error: { code, message } });
export const done: CommandResult = { ok: true };
