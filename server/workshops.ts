// Creating workshops and joining them: the rules behind POST /api/workshops, POST /api/join and
// the landing and join pages. Also authenticates session tokens for every entry point
// (HTTP hook, WebSocket upgrade, socket.io handshake) through one function. `address` is the
// client's address by the one rule of src/lib/server/credentials.ts (clientAddress).
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { AppError } from '../src/lib/protocol/errors';
import { checkQuestion, checkTitle } from '../src/lib/domain/text';
import { checkDisplayName } from '../src/lib/domain/names';
import { isWellFormedCode, normaliseCode } from '../src/lib/domain/join-code';
import type { Role } from '../src/lib/domain/roles';
import type { Limits } from './config';
import type { BoardRecord, InviteRecord, ParticipantRecord, Store, WorkshopContents, WorkshopRecord } from './persistence/types';
import { KeyedQueue } from './keyed-queue';
import { hashToken, looksLikeToken, newJoinCode, newRecordId, newToken } from './tokens';

export interface CreatedWorkshop {
  workshop: WorkshopRecord;
  boards: BoardRecord[];
  invites: Record<Role, string>;
}

export interface Joined {
  participant: ParticipantRecord;
  sessionToken: string;
}

export interface SessionInfo {
  participant: ParticipantRecord;
  workshop: WorkshopRecord;
}

export type JoinTarget = { token: string } | { code: string };

export class WorkshopService {
  private joining = new KeyedQueue();
  private createLimiter: RateLimiterMemory;
  private codeLimiter: RateLimiterMemory;

  constructor(
    private store: Store,
    limits: Limits
  ) {
    this.createLimiter = new RateLimiterMemory({ points: limits.createPerHour, duration: 3600 });
    this.codeLimiter = new RateLimiterMemory({ points: limits.codeGuessesPer10Min, duration: 600 });
  }

  /**
   * A new workshop with one board, or, made from an archive (`from`), with its boards and what
   * they start with, stored in the same transaction.
   */
  async create(
    input: { title: unknown; question: unknown },
    address: string,
    from?: { boards: string[]; contents: (workshop: WorkshopRecord, boards: BoardRecord[]) => WorkshopContents }
  ): Promise<CreatedWorkshop> {
    const title = checkTitle(input.title);
    if (!title.ok) throw new AppError('invalid_input', title.message, 400, 'title');
    const question = checkQuestion(input.question);
    if (!question.ok) throw new AppError('invalid_input', question.message, 400, 'question');
    await this.consume(this.createLimiter, address, 'You have made a lot of workshops in the last hour. Try again later.');

    const now = Date.now();
    const workshop: WorkshopRecord = {
      id: newRecordId(),
      title: title.value,
      question: question.value,
      code: await this.freshCode(),
      createdAt: now
    };
    const boards: BoardRecord[] = (from?.boards ?? ['Main board']).map((boardTitle, position) => ({
      id: newRecordId(),
      workshopId: workshop.id,
      title: boardTitle,
      position
    }));
    const roles: Role[] = ['facilitator', 'member', 'decisionMaker', 'observer'];
    const invites: InviteRecord[] = roles.map((role) => ({
      token: newToken(),
      workshopId: workshop.id,
      role,
      createdAt: now,
      revokedAt: null
    }));
    await this.store.workshops.create({ workshop, boards, invites, ...(from ? { contents: from.contents(workshop, boards) } : {}) });
    return {
      workshop,
      boards,
      invites: Object.fromEntries(invites.map((i) => [i.role, i.token])) as Record<Role, string>
    };
  }

  /** Finds the invite a link token or typed code stands for, or explains why not. */
  async resolve(target: JoinTarget, address: string): Promise<{ invite: InviteRecord; workshop: WorkshopRecord }> {
    if ('token' in target) {
      const invite = looksLikeToken(target.token) ? await this.store.people.invite(target.token) : null;
      if (!invite)
        throw new AppError(
          'unknown_invite',
          'This invite link is not right. Check you copied all of it, or ask the facilitator for a new one.',
          404
        );
      if (invite.revokedAt !== null)
        throw new AppError('revoked_invite', 'This invite link has been turned off. Ask the facilitator for a new one.', 410);
      const workshop = await this.store.workshops.get(invite.workshopId);
      if (!workshop) throw new AppError('unknown_invite', 'This workshop has ended or been deleted.', 404);
      return { invite, workshop };
    }
    const code = typeof target.code === 'string' ? normaliseCode(target.code) : '';
    if (!isWellFormedCode(code)) {
      throw new AppError('invalid_input', 'Enter the 6-character code from the screen, like ABC 234', 400, 'code');
    }
    // Only wrong guesses count, so a room full of people behind one Wi-Fi can all join. Once an
    // address has used up its wrong guesses, no code is looked up for it at all: otherwise a
    // guesser could go on telling right codes (200) from wrong ones (429).
    const guesses = await this.codeLimiter.get(address);
    if (guesses && guesses.remainingPoints <= 0) {
      throw new AppError('rate_limited', 'Too many wrong codes. Wait 10 minutes, or ask for the invite link.', 429);
    }
    const workshop = await this.store.workshops.byCode(code);
    const invite = workshop
      ? (await this.store.people.invites(workshop.id)).find((i) => i.role === 'member' && i.revokedAt === null)
      : undefined;
    if (!workshop || !invite) {
      await this.consume(this.codeLimiter, address, 'Too many wrong codes. Wait 10 minutes, or ask for the invite link.');
      throw new AppError('unknown_code', 'No workshop has that code. Check the code on the screen and try again.', 404, 'code');
    }
    return { invite, workshop };
  }

  async join(target: JoinTarget, rawName: unknown, address: string): Promise<Joined & { workshop: WorkshopRecord }> {
    const { invite, workshop } = await this.resolve(target, address);
    // Joins to one workshop take turns, so two look-alikes joining at once cannot both pass.
    return this.joining.run(workshop.id, () => this.add(invite, workshop, rawName));
  }

  private async add(invite: InviteRecord, workshop: WorkshopRecord, rawName: unknown): Promise<Joined & { workshop: WorkshopRecord }> {
    const others = (await this.store.people.list(workshop.id)).filter((p) => p.removedAt === null).map((p) => p.name);
    const name = checkDisplayName(rawName, { role: invite.role, others });
    if (!name.ok) throw new AppError('invalid_input', name.message, 400, 'name');
    const participant: ParticipantRecord = {
      id: newRecordId(),
      workshopId: workshop.id,
      name: name.value,
      role: invite.role,
      createdAt: Date.now(),
      removedAt: null
    };
    const sessionToken = newToken();
    await this.store.people.add(participant, hashToken(sessionToken));
    return { participant, sessionToken, workshop };
  }

  /** The one authentication function behind every entry point (pages, API, /sync, socket.io). */
  async authenticate(sessionToken: string | null | undefined): Promise<SessionInfo | null> {
    if (!looksLikeToken(sessionToken)) return null;
    const participant = await this.store.people.bySession(hashToken(sessionToken));
    if (!participant) return null;
    const workshop = await this.store.workshops.get(participant.workshopId);
    return workshop ? { participant, workshop } : null;
  }

  /** Ends one session (a device leaving the workshop): the participant and their cards stay. */
  async endSession(sessionToken: string | null | undefined): Promise<void> {
    if (looksLikeToken(sessionToken)) await this.store.people.revokeSession(hashToken(sessionToken), Date.now());
  }

  /** Whether the participant is still in their workshop (not removed). */
  async stillIn(participantId: string): Promise<boolean> {
    const p = await this.store.people.get(participantId);
    return !!p && p.removedAt === null;
  }

  private async freshCode(): Promise<string> {
    for (let i = 0; i < 20; i++) {
      const code = newJoinCode();
      if (!(await this.store.workshops.codeInUse(code))) return code;
    }
    throw new AppError('server_error', 'Could not make a join code. Try again.', 500);
  }

  private async consume(limiter: RateLimiterMemory, key: string, message: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch {
      throw new AppError('rate_limited', message, 429);
    }
  }
}

export { sessionCookieName } from '../src/lib/server/credentials';
