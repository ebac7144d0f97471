// Present links: the capability behind /p/<token>, which opens one workshop's present view
// (/w/<id>/present) and nothing else. This file decides who may see a present view, for every
// entry point alike (the page, GET /api/workshops/<id>/present, the socket.io handshake): a
// working present link, given as a token or in the workshop's present cookie, or a facilitator's
// session. A present link is never a session: the one authentication function of the rest of the
// server (WorkshopService.authenticate) never finds it, so it opens no board, sends no command and
// downloads nothing.
import { AppError } from '../src/lib/protocol/errors';
import type { PresentLinkRecord, Store, WorkshopRecord } from './persistence/types';
import { looksLikeToken, newToken } from './tokens';
import type { WorkshopService } from './workshops';

/** What a present link that does not work says, wherever it is used. */
export const PRESENT_TEXT = {
  unknown:
    'This present link does not work. The workshop may have been deleted, or the link was not copied in full. Open the present view again from Invite people.',
  replaced: 'This present link has been replaced by a new one. Open the new one from Invite people.',
  signIn: 'Open the present view with its present link (on Invite people), or sign in to this workshop as its facilitator.',
  notFacilitator: 'Only the facilitator, or a screen opened with the present link, can show the present view.'
} as const;

/** Who is looking at a present view: a screen with the present link, or a facilitator of that workshop. */
export type PresentViewer =
  { via: 'link'; workshop: WorkshopRecord; token: string } | { via: 'facilitator'; workshop: WorkshopRecord; participantId: string };

/** What a request presents for one workshop's present view (any of them may be missing). */
export interface PresentCredentials {
  /** A token given explicitly (Bearer, socket.io's `auth.token`): a present token, or a facilitator's session token. */
  token?: string | null;
  /** The workshop's present cookie (rt_present_<id>). */
  cookie?: string | null;
  /** The session token the request presents for the workshop (its session cookie, or Bearer). */
  session?: string | null;
}

export class PresentLinks {
  constructor(
    private store: Store,
    private workshops: Pick<WorkshopService, 'authenticate'>
  ) {}

  /**
   * The workshop's present link token: the one that works, or a new one for a workshop that has
   * none (made before present links existed).
   */
  async token(workshopId: string): Promise<string> {
    return (await this.store.present.ensure(this.fresh(workshopId))).token;
  }

  /** Turns the workshop's present link off and makes a new one; resolves with the new token. */
  async renew(workshopId: string): Promise<string> {
    const link = this.fresh(workshopId);
    await this.store.present.replace(link);
    return link.token;
  }

  /** The workshop a present link opens (/p/<token>), or why it does not. */
  async open(token: string): Promise<WorkshopRecord> {
    const link = looksLikeToken(token) ? await this.store.present.byToken(token) : null;
    const workshop = link && (await this.store.workshops.get(link.workshopId));
    if (!link || !workshop) throw new AppError('unknown_invite', PRESENT_TEXT.unknown, 404);
    if (link.revokedAt !== null) throw new AppError('revoked_invite', PRESENT_TEXT.replaced, 410);
    return workshop;
  }

  /**
   * Who may see this workshop's present view, from what a request presents: a working present
   * link of this workshop (given, or in its cookie), else a facilitator's session of this
   * workshop. Refused with 401 (nothing that works here) or 403 (a session of someone else in the
   * workshop).
   */
  async viewer(workshopId: string, credentials: PresentCredentials): Promise<PresentViewer> {
    let replaced = false;
    for (const token of [credentials.token, credentials.cookie]) {
      const link = looksLikeToken(token) ? await this.store.present.byToken(token) : null;
      if (!link || link.workshopId !== workshopId) continue;
      const workshop = link.revokedAt === null ? await this.store.workshops.get(workshopId) : null;
      if (workshop) return { via: 'link', workshop, token: link.token };
      replaced ||= link.revokedAt !== null;
    }
    let member = false;
    for (const token of [credentials.token, credentials.session]) {
      const session = await this.workshops.authenticate(token);
      if (!session || session.workshop.id !== workshopId) continue;
      if (session.participant.role === 'facilitator') {
        return { via: 'facilitator', workshop: session.workshop, participantId: session.participant.id };
      }
      member = true;
    }
    if (member) throw new AppError('forbidden', PRESENT_TEXT.notFacilitator, 403);
    throw new AppError('not_signed_in', replaced ? PRESENT_TEXT.replaced : PRESENT_TEXT.signIn, 401);
  }

  private fresh(workshopId: string): PresentLinkRecord {
    return { token: newToken(), workshopId, createdAt: Date.now(), revokedAt: null };
  }
}
