// Creating workshops and joining them: the rules behind POST /api/workshops, POST /api/join and
// the landing and join pages. Also authenticates session tokens for every entry point
// (HTTP hook, WebSocket upgrade, socket.io handshake) through one function. `address` is the
// client's address by the one rule of src/lib/server/credentials.ts (clientAddress).
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { memoryLimiters, type LimiterFactory } from './shared/limiters';
import { AppError, GONE_TEXT } from '../src/lib/protocol/errors';
import { checkContext, checkQuestion, checkTitle } from '../src/lib/domain/text';
import { checkExplanation, checkTerm } from '../src/lib/domain/glossary';
import { checkTheQuestion } from '../src/lib/domain/question-check';
import { checkDisplayName } from '../src/lib/domain/names';
import { CODE_MESSAGES, readCode } from '../src/lib/domain/join-code';
import type { Role } from '../src/lib/domain/roles';
import type { Limits } from './config';
import type {
  BoardRecord,
  GlossaryRecord,
  InviteRecord,
  ParticipantRecord,
  Store,
  WorkshopContents,
  WorkshopRecord
} from './persistence/types';
import { KeyedQueue } from './keyed-queue';
import { hashToken, looksLikeToken, newRecordId, newToken, unusedJoinCode } from './tokens';

export interface CreatedWorkshop {
  workshop: WorkshopRecord;
  boards: BoardRecord[];
  invites: Record<Role, string>;
  /** The present link's token (/p/<token>: the present view, and nothing else). */
  present: string;
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

/**
 * What a request tells about its device in one workshop, for the removal rule: a person removed
 * from a workshop cannot come back from the same device with a new name. The device is known by
 * the session it presents (cookie or Bearer token), or by the marker cookie the server sets once it
 * learns of the removal (rt_removed_<id>, src/lib/protocol/device.ts).
 */
export interface DeviceFacts {
  /** The device carries the removal marker for this workshop. */
  markedRemoved(workshopId: string): boolean;
  /** The session token it presents for this workshop, if any. */
  sessionToken(workshopId: string): string | null;
  /** Remember on the device that its person was removed (sets the marker). */
  markRemoved(workshopId: string): void;
}

export class WorkshopService {
  private joining = new KeyedQueue();
  private createLimiter: RateLimiterAbstract;
  private codeLimiter: RateLimiterAbstract;

  constructor(
    private store: Store,
    limits: Limits,
    /** Where the limits are counted: memory, or Redis to share them across processes. */
    limiters: LimiterFactory = memoryLimiters
  ) {
    this.createLimiter = limiters('create', limits.createPerHour, 3600);
    this.codeLimiter = limiters('code', limits.codeGuessesPer10Min, 600);
  }

  /**
   * A new workshop with one board, or, made from an archive (`from`), with its boards and what
   * they start with, stored in the same transaction. With `after` (POST /api/workshops), it is
   * the next workshop of that one's group, opening with its "Since last time": only one of its
   * facilitators may start it, which `sessionIn` (this request's session in a workshop) tells.
   */
  async create(
    input: { title: unknown; question: unknown; context?: unknown; after?: unknown },
    address: string,
    from?: {
      boards: string[];
      /** The glossary it starts with (checked already, as an archive's is). */
      glossary?: { term: string; explanation: string }[];
      contents: (workshop: WorkshopRecord, boards: BoardRecord[]) => WorkshopContents;
    },
    sessionIn?: (workshopId: string) => Promise<SessionInfo | null>
  ): Promise<CreatedWorkshop> {
    const title = checkTitle(input.title);
    if (!title.ok) throw new AppError('invalid_input', title.message, 400, 'title');
    const question = checkQuestion(input.question);
    if (!question.ok) throw new AppError('invalid_input', question.message, 400, 'question');
    const context = checkContext(input.context);
    if (!context.ok) throw new AppError('invalid_input', context.message, 400, 'context');
    const follows = await this.follows(input.after, sessionIn);
    await this.consume(this.createLimiter, address, 'You have made a lot of workshops in the last hour. Try again later.');

    const now = Date.now();
    const id = newRecordId();
    const glossary: GlossaryRecord[] = (from?.glossary ?? []).map((e) => {
      const term = checkTerm(e.term);
      const explanation = checkExplanation(e.explanation);
      if (!term.ok) throw new AppError('invalid_input', term.message, 400, 'glossary');
      if (!explanation.ok) throw new AppError('invalid_input', explanation.message, 400, 'glossary');
      return { id: newRecordId(), workshopId: id, term: term.value, explanation: explanation.value, createdAt: now, updatedAt: now };
    });
    const workshop: WorkshopRecord = {
      id,
      title: title.value,
      question: question.value,
      context: context.value,
      code: await this.freshCode(),
      createdAt: now,
      // The score the facilitator and decision makers see from the start (a glossary counts).
      questionCheck: checkTheQuestion(
        question.value,
        context.value,
        glossary.map((e) => e.term),
        now
      ),
      after: follows?.id ?? null,
      group: follows ? (follows.group ?? follows.id) : null
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
    await this.store.workshops.create({
      workshop,
      boards,
      invites,
      ...(from ? { contents: { ...from.contents(workshop, boards), glossary } } : {})
    });
    // Its own transaction: should it fail, the first request for the link makes one (PresentLinks.token).
    const present = await this.store.present.ensure({ token: newToken(), workshopId: workshop.id, createdAt: now, revokedAt: null });
    return {
      workshop,
      boards,
      invites: Object.fromEntries(invites.map((i) => [i.role, i.token])) as Record<Role, string>,
      present: present.token
    };
  }

  /**
   * The workshop a new one follows (`after`), once the request is known to come from one of its
   * facilitators: the same refusal for a workshop that does not exist as for one the caller is
   * not in, so ids cannot be probed.
   */
  private async follows(after: unknown, sessionIn?: (workshopId: string) => Promise<SessionInfo | null>): Promise<WorkshopRecord | null> {
    if (after === undefined || after === null || after === '') return null;
    if (typeof after !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(after)) {
      throw new AppError('invalid_input', 'after must be the id of the workshop this one follows.', 400, 'after');
    }
    const session = sessionIn ? await sessionIn(after) : null;
    if (!session || session.workshop.id !== after) {
      throw new AppError(
        'not_signed_in',
        'Sign in to the earlier workshop as its facilitator first: only its facilitators can start the next one.',
        401,
        'after'
      );
    }
    if (session.participant.role !== 'facilitator') {
      throw new AppError('forbidden', 'Only a facilitator of the earlier workshop can start the next workshop of its group.', 403, 'after');
    }
    return session.workshop;
  }

  /** Finds the invite a link token or typed code stands for, or explains why not. */
  async resolve(target: JoinTarget, address: string): Promise<{ invite: InviteRecord; workshop: WorkshopRecord }> {
    if ('token' in target) {
      const invite = looksLikeToken(target.token) ? await this.store.people.invite(target.token) : null;
      // A deleted workshop's links are deleted with it, so this may be either.
      if (!invite) throw new AppError('unknown_invite', GONE_TEXT.linkNotWorking, 404);
      if (invite.revokedAt !== null)
        throw new AppError('revoked_invite', 'This invite link has been turned off. Ask the facilitator for a new one.', 410);
      const workshop = await this.store.workshops.get(invite.workshopId);
      if (!workshop) throw new AppError('unknown_invite', GONE_TEXT.workshopDeleted, 404);
      return { invite, workshop };
    }
    const typed = readCode(target.code);
    if (!typed.ok) throw new AppError('invalid_input', typed.message, 400, 'code');
    const code = typed.code;
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
      throw new AppError('unknown_code', CODE_MESSAGES.unknown, 404, 'code');
    }
    return { invite, workshop };
  }

  async join(target: JoinTarget, rawName: unknown, address: string, device?: DeviceFacts): Promise<Joined & { workshop: WorkshopRecord }> {
    const { invite, workshop } = await this.resolve(target, address);
    // Whatever link or code it uses, and whatever name it gives.
    if (await this.removedHere(workshop.id, device)) throw new AppError('forbidden', GONE_TEXT.deviceRemoved, 403);
    // Joins to one workshop take turns, so two look-alikes joining at once cannot both pass.
    return this.joining.run(workshop.id, () => this.add(invite, workshop, rawName));
  }

  private async add(invite: InviteRecord, workshop: WorkshopRecord, rawName: unknown): Promise<Joined & { workshop: WorkshopRecord }> {
    // Names are checked against the people here: someone who left on every device (or was
    // removed) no longer holds their name, so coming back as "Marcus" after leaving just works.
    const here = new Set(await this.store.people.withLiveSession(workshop.id));
    const others = (await this.store.people.list(workshop.id)).filter((p) => here.has(p.id)).map((p) => p.name);
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

  /**
   * Whether the person using this device was removed from the workshop: it carries the marker, or
   * presents a session of someone removed (then the marker is set, so it holds once that session
   * cookie is gone too).
   */
  async removedHere(workshopId: string, device: DeviceFacts | undefined): Promise<boolean> {
    if (!device) return false;
    if (device.markedRemoved(workshopId)) return true;
    const token = device.sessionToken(workshopId);
    if (!looksLikeToken(token)) return false;
    const owner = await this.store.people.sessionOwner(hashToken(token));
    if (!owner || owner.workshopId !== workshopId || owner.removedAt === null) return false;
    device.markRemoved(workshopId);
    return true;
  }

  /** When the workshop was deleted, or null (a page can then say so: only its id is kept). */
  deletedAt(workshopId: string): Promise<number | null> {
    return this.store.workshops.deletedAt(workshopId);
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
    try {
      return await unusedJoinCode((code) => this.store.workshops.codeInUse(code));
    } catch {
      throw new AppError('server_error', 'Could not make a join code. Try again.', 500);
    }
  }

  private async consume(limiter: RateLimiterAbstract, key: string, message: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch {
      throw new AppError('rate_limited', message, 429);
    }
  }
}

export { sessionCookieName } from '../src/lib/server/credentials';
