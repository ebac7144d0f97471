// What SvelteKit's server code may ask of the running server: a few narrow verbs, not the sync
// host or the store. The Node entry (server/index.ts) or the Vite plugin hands the one instance
// over with provideApp() before the first request; the SvelteKit build and the Node entry are
// bundled separately, so it travels through a process-wide registry rather than an import.
import type { Lane } from '$lib/board/schema';
import type { Role } from '$lib/domain/roles';
import type { Archive } from '$lib/protocol/archive';
import type { Limits } from '../../../server/config';
import type { BoardRecord, WorkshopRecord } from '../../../server/persistence/types';
import type { Briefing } from '$lib/domain/briefing';
import type { BriefingDocument } from '$lib/domain/briefing-document';
import type { Support } from '$lib/domain/support';
import type { QuestionInfo } from '$lib/domain/question';
import type { PhaseKind } from '$lib/domain/facilitation';
import type { Command, CommandResult } from '$lib/protocol/session';
import type { CreatedWorkshop, DeviceFacts, JoinTarget, Joined, SessionInfo } from '../../../server/workshops';
import type { PresentCredentials, PresentViewer } from '../../../server/present';
import type { PresentView } from '$lib/protocol/session';
import type { OutcomeService } from '../../../server/outcomes';
import type { InvolvementService, MyTimeRecord } from '../../../server/involvement';
import type { ForumService } from '../../../server/forums';
import type { MeetingService } from '../../../server/meetings';

export type { CreatedWorkshop, DeviceFacts, SessionInfo, PresentCredentials, PresentViewer, MyTimeRecord };

export interface AppLogger {
  error(details: object, message: string): void;
  debug(details: object, message: string): void;
}

export interface App {
  logger: AppLogger;
  limits: Pick<Limits, 'httpBodyBytes' | 'maxDocBytes'>;
  trustProxy: boolean;
  /** PUBLIC_URL, when set. */
  publicUrl: string | null;
  /**
   * With `after`, the next workshop of that one's group: `sessionIn` gives this request's session
   * in a workshop, and only a facilitator of `after` may (401 without a session there, 403 otherwise).
   */
  createWorkshop(
    input: { title: unknown; question: unknown; context?: unknown; after?: unknown },
    address: string,
    sessionIn?: (workshopId: string) => Promise<SessionInfo | null>
  ): Promise<CreatedWorkshop>;
  /** Refused (403 forbidden) for a device whose person was removed from the workshop. */
  /**
   * Refused (403 forbidden) for a device whose person was removed from the workshop. With
   * `recordTime` ("Record my time"), their attendance is kept for an involvement record: a
   * missing name or choice is refused (400, `field` recordName or thanks) before anyone joins.
   */
  join(
    target: JoinTarget,
    name: unknown,
    address: string,
    device?: DeviceFacts,
    recordTime?: { name: unknown; choice: unknown } | null
  ): Promise<Joined & { workshop: WorkshopRecord }>;
  /** Whether the person using this device was removed from the workshop (sets the marker when it learns so). */
  removedHere(workshopId: string, device: DeviceFacts): Promise<boolean>;
  /** When the workshop was deleted, or null. */
  deletedAt(workshopId: string): Promise<number | null>;
  resolveInvite(target: JoinTarget, address: string): Promise<{ invite: { role: Role; token: string }; workshop: WorkshopRecord }>;
  /** Ends one session (a device leaving); the participant and their cards stay. */
  endSession(token: string | null | undefined): Promise<void>;
  /** The live participant and workshop a session token belongs to. */
  authenticate(token: string | null): Promise<SessionInfo | null>;
  boards(workshopId: string): Promise<BoardRecord[]>;
  /** A board's cards by lane, as plain facts (exports). */
  cards(boardId: string): Promise<Record<Lane, { text: string; anonymous: boolean }[]>>;
  /** The workshop's invite tokens that still work, by role. */
  invites(workshopId: string): Promise<Partial<Record<Role, string>>>;
  /** The origin invite links and QR codes use, for a page reached at `origin`. */
  linkBase(origin: string): string;
  /** The whole workshop as an archive (src/lib/protocol/archive.ts), as it is now. */
  exportArchive(workshopId: string): Promise<Archive>;
  /** A new workshop from an archive (parsed JSON, checked here), like createWorkshop; refused with nothing stored. */
  importArchive(archive: unknown, address: string): Promise<CreatedWorkshop>;
  /** Deletes the workshop and everything in it; resolves once it is gone from the database files. */
  deleteWorkshop(workshopId: string): Promise<void>;
  /** The workshop's briefing as it is now (the typed model every format is made from). */
  briefing(workshopId: string): Promise<Briefing | null>;
  /** A briefing document as a tagged PDF (made on a worker thread). */
  briefingPdf(document: BriefingDocument): Promise<Uint8Array>;
  /** Each board's key points' support now: counts only, never a name. */
  keyPointSupport(workshopId: string): Promise<{ boardId: string; support: Record<string, Support> }[]>;
  /** The workshop's present link token (one is made for a workshop that has none). */
  presentToken(workshopId: string): Promise<string>;
  /** The workshop a present link opens (/p/<token>); refused (404 unknown_invite, 410 revoked_invite) when it does not. */
  openPresentLink(token: string): Promise<WorkshopRecord>;
  /** Who may see a workshop's present view: its present link, or a facilitator's session; refused with 401 or 403. */
  presentViewer(workshopId: string, credentials: PresentCredentials): Promise<PresentViewer>;
  /** What the present screen shows now; null when the workshop is gone. */
  presentView(workshopId: string): Promise<PresentView | null>;
  /**
   * A command from a participant, as if sent on their socket: the same checks (schema, role,
   * rule, the workshop's turn, the end) and the same answer. The preparation page's forms and
   * the question's API endpoint use it, so there is one rule for each change.
   */
  command(participantId: string, command: Command): Promise<CommandResult>;
  /** The workshop's question, its background, glossary and plain words check, as stored (null when it is gone). */
  question(workshopId: string): Promise<QuestionInfo | null>;
  /** The kind of step the workshop is at now: the board page opens by theme at a "group" step. */
  stepKind(workshopId: string): Promise<PhaseKind>;
  /**
   * "You said, we did": recommendations and their timelines (report, create, change), each
   * person's last look, what to make one from, "Since last time", and when the workshop will be
   * deleted. Who may is checked inside (server/outcomes.ts); the summary's PDF is briefingPdf.
   */
  outcomes: Pick<OutcomeService, 'report' | 'create' | 'change' | 'look' | 'sources' | 'linkable' | 'sinceLastTime' | 'retention'>;
  /** Involvement records: a person's own (refused with 404 not_recorded when they did not ask), clearing it, the export's rows. */
  involvement: Pick<InvolvementService, 'mine' | 'clear' | 'rows' | 'forumRows'>;
  /**
   * Forums: making one, who its facilitators are (its link), its workshops, joining a parent,
   * sharing points up and withdrawing them, what a forum sees, and a workshop's rolled-up cards
   * with where they came from (server/forums.ts). Who may is checked inside, from the forum link.
   */
  forums: Pick<
    ForumService,
    | 'create'
    | 'open'
    | 'facilitator'
    | 'childLink'
    | 'joinParent'
    | 'addWorkshop'
    | 'adopt'
    | 'share'
    | 'withdraw'
    | 'overview'
    | 'sharedView'
    | 'rollupScope'
    | 'rollupOptions'
    | 'rollupCards'
    | 'renewLink'
    | 'revokeChildLink'
  >;
  /** Board meetings a forum prepares for: making one, who may see it, its view, comments, agreed words (server/meetings.ts). */
  meetings: Pick<MeetingService, 'create' | 'list' | 'viewer' | 'view' | 'comment' | 'setPoint'>;
}

const KEY = Symbol.for('roundtable.app');

export function provideApp(app: App | null): void {
  (globalThis as Record<symbol, unknown>)[KEY] = app;
}

export function useApp(): App {
  const app = (globalThis as Record<symbol, unknown>)[KEY] as App | null | undefined;
  if (!app) throw new Error('Roundtable is not running: start the app with `npm start` or `npm run dev`.');
  return app;
}
