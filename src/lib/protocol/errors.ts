// The error contract shared by the API, the sync socket and the pages. Every refusal has a
// stable code (for scripts) and a plain-words message (for people).

export type ApiErrorCode =
  | 'invalid_json'
  | 'invalid_input'
  | 'invalid_archive'
  | 'not_found'
  | 'not_recorded'
  | 'unknown_invite'
  | 'revoked_invite'
  | 'unknown_code'
  | 'not_signed_in'
  | 'forbidden'
  | 'not_allowed_now'
  | 'rate_limited'
  | 'payload_too_large'
  | 'server_error';

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; field?: string };
}

/**
 * What pages and the API say when a workshop is out of reach for good, in one place so both say the
 * same. A deleted workshop leaves only its id (see WorkshopStore.deletedAt), so a page that knows
 * the workshop can say it was deleted; an invite link's token is deleted with it, so a link that
 * does not work says both things it may be.
 */
export const GONE_TEXT = {
  workshopDeleted: 'This workshop has been deleted, with everything in it.',
  deletedDetails: 'Its boards, its cards and its list of people are gone, and its links and code no longer work.',
  deletedByFacilitator: 'The facilitator has deleted this workshop and everything in it.',
  deviceRemoved:
    'The facilitator removed the person using this device from this workshop, so this device cannot join it again. If you think this is a mistake, speak to the facilitator.',
  linkNotWorking:
    'This invite link does not work. The workshop may have been deleted, or the link was not copied in full. Ask the facilitator for a new link.'
} as const;

const BRAND = Symbol.for('roundtable.AppError');

/**
 * A refusal the API turns into `{ error }` with `status`, and a page turns into a message.
 * Test with `AppError.is(err)`, not instanceof: the Node entry and the SvelteKit build each
 * bundle their own copy of this class.
 */
export class AppError extends Error {
  readonly [BRAND] = true;

  static is(err: unknown): err is AppError {
    return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
  }

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly status: number,
    readonly field?: string
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

/**
 * WebSocket close codes for /sync (4000-4999 is the application range). They follow the
 * y-websocket convention, so any standard client does the right thing: 4400-4499 means "do not
 * reconnect, it cannot succeed"; anything else means "reconnect" (1009 too, for a standard
 * client; our page does not retry it). The page explains each code in plain words (CLOSE_TEXT).
 */
export const CLOSE = {
  /** WebSocket's own code for a message over the size limit (RFC 6455). */
  messageTooBig: 1009,
  malformed: 4400,
  notSignedIn: 4401,
  forbidden: 4403,
  unknownBoard: 4404,
  tooLarge: 4413,
  tooFast: 4529,
  removed: 4410,
  tooSlow: 4508,
  idle: 4000,
  serverError: 4500,
  shuttingDown: 4503
} as const;

export type CloseName = keyof typeof CLOSE;

/**
 * A message of our own on the board socket (beside y-protocols' 0-3): whether the server holds
 * edits to this board that it cannot store yet (the database is away), as one varuint after the
 * type, 1 held or 0 stored again. Nothing held is relayed to anyone; the page keeps its own copy.
 * A standard y-websocket client logs "Unable to compute message" for it and carries on.
 */
export const MESSAGE_SAVING = 100;

export const CLOSE_TEXT: Record<CloseName, { message: string; retry: boolean }> = {
  messageTooBig: {
    message:
      'Your device tried to send more than the server takes at once. Your changes are kept on this device. Reload the page; ask the facilitator if it keeps happening.',
    retry: false
  },
  malformed: { message: 'Your device sent something the server could not read. Reload the page.', retry: false },
  notSignedIn: { message: 'You are not signed in to this workshop. Use your invite link again.', retry: false },
  forbidden: { message: 'Your role cannot make changes to this board.', retry: false },
  // Sent only to the connections of a board whose workshop is being deleted.
  unknownBoard: { message: 'This board has been deleted.', retry: false },
  tooLarge: {
    message:
      'Your changes are too big for this board, so they were not shared. They are kept on this device. Ask the facilitator for help.',
    retry: false
  },
  tooFast: { message: 'Too many changes at once. Wait a moment; we will reconnect.', retry: true },
  removed: { message: 'You have been removed from this workshop.', retry: false },
  tooSlow: { message: 'Your connection is too slow to keep up. We will reconnect.', retry: true },
  idle: { message: 'The connection went quiet. We will reconnect.', retry: true },
  serverError: { message: 'Something went wrong on the server. We will try again.', retry: true },
  shuttingDown: { message: 'The server is restarting. We will reconnect in a moment.', retry: true }
};

export function closeName(code: number): CloseName | null {
  for (const [name, value] of Object.entries(CLOSE)) if (value === code) return name as CloseName;
  return null;
}
