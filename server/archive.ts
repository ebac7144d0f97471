// The workshop archive on the server: a whole workshop read into one (GET
// /api/workshops/<id>/briefing.json), and a new workshop made from one (POST
// /api/workshops/import). The format and its checks are src/lib/protocol/archive.ts; a board's
// conversion both ways is src/lib/board/archive.ts. STORE_NOUNS says, for every noun of the store,
// what of it an archive carries and why the rest stays behind.
import * as Y from 'yjs';
import { archiveToBoard, boardToArchive, type VoteFacts } from '../src/lib/board/archive';
import { initialState } from '../src/lib/domain/facilitation';
import { ROLES, type Role } from '../src/lib/domain/roles';
import { sortGlossary } from '../src/lib/domain/glossary';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, checkArchive, type Archive } from '../src/lib/protocol/archive';
import { AppError } from '../src/lib/protocol/errors';
import type { Limits } from './config';
import type { AgreedVersionRecord, ClosedConsentRecord, ClosedVoteRecord, Store, WorkshopContents } from './persistence/types';
import type { BoardPeer } from './session/ports';
import type { FacilitationStates } from './session/states';
import type { CreatedWorkshop, WorkshopService } from './workshops';

/** The nouns of the store (its parts that hold data, not its verbs such as ping or close). */
export type StoreNoun = { [K in keyof Store]: Store[K] extends (...args: never[]) => unknown ? never : K }[keyof Store];

/**
 * Every noun of the store, and what of it an archive carries (`in`: its section) or why it stays
 * behind. A noun added to the store fails to compile here, and fails tests/unit/archive.test.ts,
 * until someone decides.
 */
export const STORE_NOUNS: Record<StoreNoun, { in: string | null; why: string }> = {
  boards: {
    in: 'boards[].cards, .themes, .keyPoints',
    why: "Each board's document: cards, themes and key points. Not the record of who wrote a card, which is only for the facilitator's count of who has had a say (authors)."
  },
  workshops: {
    in: 'workshop, boards[].title',
    why: 'The title, the question and its background, when it was made and ended, and the boards. Not the plain words check, which is made again.'
  },
  people: {
    in: 'participants',
    why: 'How many people took part, by role, and nothing else: no names, sessions or invite links.'
  },
  drafts: { in: null, why: "Private cards not yet shown: they are their writer's until the reveal." },
  moderation: {
    in: null,
    why: 'Cards the facilitator hid have left every screen; the archive holds what the board shows (a key point or agreed version that names one names it as gone, without its words).'
  },
  removed: {
    in: null,
    why: 'Cards someone deleted, kept for a while so they can be put back: they are off the board, and the archive holds what the board shows.'
  },
  notices: { in: null, why: 'What a person is told about their own cards: it is theirs, and it names nobody the archive could carry.' },
  votes: {
    in: 'boards[].votes',
    why: 'Closed votes with the totals kept when they closed. Open votes and ballots never: nobody may see a total before the close, and who voted for what is never kept.'
  },
  keyPoints: {
    in: 'boards[].agreed',
    why: "Each board's agreed versions of its key points, numbered as they were: each point's words, its sources with their words then, and its support (counts, never names). A source card a facilitator has hidden since keeps no words, as in the briefing."
  },
  consent: {
    in: 'boards[].consent',
    why: "Closed consent rounds with the totals by role group kept when they closed. Open rounds and anyone's answers never: answers are kept only while a round is open, and nobody may see a total before it closes."
  },
  glossary: {
    in: 'glossary',
    why: "The workshop's glossary: each word and its plain explanation, in alphabetical order. The question's plain words check is made again from them on import."
  },
  outcomes: {
    in: null,
    why: "Not carried yet. Recommendations and their timelines are an accountability record still being written after the workshop, for the people who were there, and a new workshop made from an archive starts afresh; they are exported from the outcomes summary (outcomes.json, .pdf, .md, .csv). Carrying them would also need the archive's own ids of the cards and key points they come from, which are made per board. Looks say when a person last looked, which is theirs."
  },
  facilitation: {
    in: 'facilitation',
    why: "The steps and settings. Not the rest of the session that day: the step reached, the timer, locks, hands, the spotlight, what is on the present screen, or check-in answers (which carry people's names)."
  },
  present: {
    in: null,
    why: "The present link is a capability for one workshop's screen on the day, like the invite links: an archive carries no token, and a workshop made from it gets a present link of its own."
  },
  involvement: {
    in: null,
    why: "Never. An involvement record is a person's own: the name they gave for a payment (often their real name), their choice and when they were here. It is kept apart from what they wrote so nobody can join the two; an archive is a workshop's content, passed around and imported elsewhere, and carrying real names beside it would undo that. The facilitator exports the records on their own (involvement.csv), and each person sees and clears their own."
  },
  forums: {
    in: null,
    why: "A workshop's place in a forum, the points its forum shared and the sources of its rolled-up cards belong to the forums, not to the workshop: a workshop made from an archive starts in no forum (its facilitator adds it to one with the forum's link), and a rolled-up card comes with it as a card with its words, without the record of where it came from."
  },
  meetings: {
    in: null,
    why: "A board meeting belongs to a forum, not to one workshop: its points come from many workshops and forums, and its comments from their members. A workshop's archive has no place for it; the meeting's pack is exported on its own (pack.pdf, .md, .html)."
  }
};

export interface ArchiveDeps {
  store: Store;
  states: FacilitationStates;
  boards: BoardPeer;
}

/** The whole workshop as an archive, as it is now. */
export async function exportArchive(deps: ArchiveDeps, workshopId: string, now = Date.now()): Promise<Archive> {
  const { store } = deps;
  const workshop = await store.workshops.get(workshopId);
  if (!workshop) throw new AppError('not_found', 'There is no such workshop.', 404);
  const state = await deps.states.get(workshopId);
  const participants = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
  for (const p of await store.people.list(workshopId)) if (p.removedAt === null) participants[p.role]++;
  const [results, agreed, rounds, hidden, boards, glossary] = await Promise.all([
    store.votes.results(workshopId),
    store.keyPoints.versions(workshopId),
    store.consent.results(workshopId),
    store.moderation.list(workshopId),
    store.workshops.boards(workshopId),
    store.glossary.list(workshopId)
  ]);
  const sections = [];
  for (const [i, board] of boards.entries()) {
    const votes: VoteFacts[] = results.filter((v) => v.boardId === board.id);
    const kept = {
      agreed: agreed.filter((v) => v.boardId === board.id).sort((a, b) => a.number - b.number),
      consent: rounds.filter((r) => r.boardId === board.id),
      hidden: hidden.filter((h) => h.boardId === board.id).map((h) => h.cardId)
    };
    sections.push(await deps.boards.read(board.id, (b) => boardToArchive(b.doc, { id: `b${i + 1}`, title: board.title }, votes, kept)));
  }
  return {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: now,
    workshop: {
      title: workshop.title,
      question: workshop.question,
      // Left out when empty, so the file stays one every version-1 Roundtable reads.
      ...(workshop.context ? { context: workshop.context } : {}),
      createdAt: workshop.createdAt,
      endedAt: workshop.endedAt ?? null
    },
    ...(glossary.length ? { glossary: sortGlossary(glossary).map((e) => ({ term: e.term, explanation: e.explanation })) } : {}),
    participants,
    facilitation: {
      steps: state.phases.map((p) => ({ kind: p.kind, title: p.title })),
      settings: { anonymousCards: state.settings.anonymousCards, decisionMakersAfterMembers: state.settings.decisionMakersAfterMembers }
    },
    boards: sections
  };
}

/**
 * A new workshop from an archive (parsed JSON, not yet trusted): checked, each board built and
 * held to the board document limit, then stored in one transaction with its boards, invites,
 * first board states, steps and settings, closed votes, agreed versions (numbered as in the
 * archive, so the next one agreed follows on) and closed consent rounds (totals only). A refusal
 * stores nothing. Who may import, and how often, is as for creating a workshop (per address,
 * LIMIT_CREATE_PER_HOUR).
 */
export async function importArchive(
  workshops: WorkshopService,
  limits: Pick<Limits, 'maxDocBytes'>,
  raw: unknown,
  address: string
): Promise<CreatedWorkshop> {
  const checked = checkArchive(raw);
  if (!checked.ok) throw new AppError('invalid_archive', checked.message, 422, checked.field);
  const archive = checked.archive;
  const built = archive.boards.map((section, i) => {
    const { doc, votes, agreed, consent } = archiveToBoard(section);
    const snapshot = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    if (snapshot.byteLength > limits.maxDocBytes) {
      throw new AppError(
        'payload_too_large',
        `Board “${section.title}” is larger than a board can be here (${mib(limits.maxDocBytes)}). Nothing was made.`,
        413,
        `boards[${i}]`
      );
    }
    return { title: section.title, snapshot, votes, agreed, consent };
  });
  const facilitation = JSON.stringify({
    ...initialState(),
    phases: archive.facilitation.steps,
    settings: archive.facilitation.settings
  });
  return workshops.create(
    { title: archive.workshop.title, question: archive.workshop.question, context: archive.workshop.context },
    address,
    {
      boards: built.map((b) => b.title),
      glossary: archive.glossary ?? [],
      contents: (workshop, boards): WorkshopContents => ({
        boards: boards.map((b, i) => ({ boardId: b.id, snapshot: built[i].snapshot })),
        facilitation,
        votes: boards.flatMap((b, i) =>
          // Under the ids archiveToBoard gave them (new ones), which the agreed versions' support names.
          built[i].votes.map((v): ClosedVoteRecord => ({ ...v, items: [...v.items], workshopId: workshop.id, boardId: b.id }))
        ),
        agreed: boards.flatMap((b, i) =>
          built[i].agreed.map((v): AgreedVersionRecord => ({ ...v, workshopId: workshop.id, boardId: b.id }))
        ),
        consent: boards.flatMap((b, i) =>
          built[i].consent.map((r): ClosedConsentRecord => ({
            ...r,
            points: [...r.points],
            workshopId: workshop.id,
            boardId: b.id
          }))
        )
      })
    }
  );
}

const mib = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB` : `${Math.round(bytes / 1024)} KiB`;
