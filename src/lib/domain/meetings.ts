// Preparing for a board meeting, pure: the checks of what people send, who may do what, and the
// agreed version as the briefing's document blocks (standard and easy read), so every renderer
// the briefing has (print view, PDF, Markdown) draws it without a line of its own.
import type { Block, BriefingDocument, BriefingVersionKind } from './briefing-document';
import { longDate } from './briefing-document';

export const MEETING_RULES = { bodyChars: 120, commentChars: 1000, wordsChars: 1000, points: 30 } as const;

export const MEETING_TEXT = {
  bodyMissing: 'Say who meets, for example "NHS England Health and Justice board"',
  bodyTooLong: `Keep who meets to ${MEETING_RULES.bodyChars} characters`,
  dateMissing: 'Enter the date of the meeting as year-month-day, for example 2027-03-14',
  commentMissing: 'Write your comment on this point',
  commentTooLong: `Keep your comment to ${MEETING_RULES.commentChars} characters`,
  wordsTooLong: `Keep it to ${MEETING_RULES.wordsChars} characters`,
  noPoints: 'This forum has no agreed key points to raise yet. Agree some in its workshops, or bring them in from its groups, first.',
  notSignedIn:
    "Open this meeting from your workshop's board or your forum link: only the forum's facilitators and the people of its workshops can see it.",
  cannotSee: 'There is no such meeting, or you cannot see it.',
  observers: 'Observers watch only: you cannot comment.',
  notPreparer: "Only the forum's representatives and facilitators can agree the version to take, or record what the board said.",
  noPoint: 'There is no such point in this meeting.'
} as const;

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const fold = (v: unknown) =>
  typeof v === 'string'
    ? v
        // Control characters are what this removes.
        // eslint-disable-next-line no-control-regex
        .replace(/[\u0000-\u0009\u000B-\u001F\u007F]/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .trim()
    : '';

export function checkBody(v: unknown): Checked<string> {
  const s = fold(v);
  if (!s) return { ok: false, message: MEETING_TEXT.bodyMissing };
  if ([...s].length > MEETING_RULES.bodyChars) return { ok: false, message: MEETING_TEXT.bodyTooLong };
  return { ok: true, value: s };
}

/** A real day, YYYY-MM-DD. */
export function checkDate(v: unknown): Checked<string> {
  const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.trim()) : null;
  if (!m) return { ok: false, message: MEETING_TEXT.dateMissing };
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.getUTCDate() !== Number(m[3]) || d.getUTCMonth() !== Number(m[2]) - 1) return { ok: false, message: MEETING_TEXT.dateMissing };
  return { ok: true, value: m[0] };
}

export function checkComment(v: unknown): Checked<string> {
  const s = fold(v);
  if (!s) return { ok: false, message: MEETING_TEXT.commentMissing };
  if ([...s].length > MEETING_RULES.commentChars) return { ok: false, message: MEETING_TEXT.commentTooLong };
  return { ok: true, value: s };
}

/** Agreed words or what the board said: empty clears it. */
export function checkWords(v: unknown): Checked<string | null> {
  const s = fold(v);
  if ([...s].length > MEETING_RULES.wordsChars) return { ok: false, message: MEETING_TEXT.wordsTooLong };
  return { ok: true, value: s || null };
}

/** Where a point came from: the groups where it was first agreed, and how many stood behind it. */
export interface MeetingProvenance {
  breadth: number;
  people: number;
  cards: number;
  groups: { forum: string; level: string; workshopTitle: string; agreedAt: number; people: number; cards: number }[];
}

export interface MeetingPointView {
  id: string;
  text: string;
  agreed: string | null;
  boardSaid: string | null;
  provenance: MeetingProvenance;
  comments: { name: string | null; text: string; createdAt: number }[];
}

export interface MeetingView {
  meeting: { id: string; forumId: string; forumName: string; body: string; date: string };
  points: MeetingPointView[];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "1 group: Leeds forum, Peer support (3 March 2027), 4 people." */
export function provenanceWords(p: MeetingProvenance, timeZone?: string): string[] {
  return p.groups.map(
    (g) =>
      `${g.forum} (${g.level}), ${g.workshopTitle}, ${longDate(g.agreedAt, timeZone)}: ${plural(g.people, 'person', 'people')}, ${plural(g.cards, 'card', 'cards')}`
  );
}

/** The day of a meeting in words: "14 March 2027". */
export const meetingDay = (date: string, timeZone = 'UTC') => longDate(Date.parse(`${date}T12:00:00Z`), timeZone);

/**
 * The agreed version to take to the meeting, as the briefing's blocks: each point in the words
 * agreed (or its own), where it came from, what members said, and, once recorded, what the board
 * said ("You said, we did"). Easy read: questions as headings, one idea a line, no tables.
 */
export function meetingDocument(v: MeetingView, version: BriefingVersionKind = 'standard', timeZone?: string): BriefingDocument {
  const blocks: Block[] = [];
  const day = meetingDay(v.meeting.date, timeZone);
  const easy = version === 'easy';
  blocks.push({
    kind: 'paragraph',
    text: easy
      ? `This is what ${v.meeting.forumName} will say at the ${v.meeting.body} on ${day}.`
      : `The points ${v.meeting.forumName} will raise at the ${v.meeting.body} on ${day}, as its members agreed them, with where each came from.`
  });
  blocks.push({ kind: 'heading', level: 2, text: easy ? 'What will we say?' : 'Points to raise' });
  blocks.push({
    kind: 'list',
    ordered: true,
    items: v.points.map((p) => ({
      text: p.agreed ?? p.text,
      details: [
        ...(easy
          ? [
              `${plural(p.provenance.breadth, 'group', 'groups')} said this. ${plural(p.provenance.people, 'person', 'people')} stood behind it.`
            ]
          : [
              `Raised by ${plural(p.provenance.breadth, 'group', 'groups')}; ${plural(p.provenance.people, 'person', 'people')} and ${plural(p.provenance.cards, 'card', 'cards')} behind it.`,
              ...provenanceWords(p.provenance, timeZone).map((w) => `From: ${w}`)
            ]),
        ...(p.agreed && p.agreed !== p.text && !easy ? [`The group's own words: ${p.text}`] : []),
        ...p.comments.map((c) => `${easy ? 'Someone said' : c.name ? `${c.name} said` : 'A member said (without a name)'}: ${c.text}`)
      ]
    }))
  });
  const answered = v.points.filter((p) => p.boardSaid);
  if (answered.length) {
    blocks.push({ kind: 'heading', level: 2, text: easy ? 'What did the board say?' : 'You said, the board said' });
    blocks.push({
      kind: 'list',
      ordered: false,
      items: answered.map((p) => ({ text: `You said: ${p.agreed ?? p.text}`, details: [`The board said: ${p.boardSaid}`] }))
    });
  }
  return {
    version,
    lang: 'en',
    title: `${v.meeting.forumName}: ${v.meeting.body}, ${day}`,
    subtitle: easy ? 'What we will say (easy read)' : 'Preparation pack',
    blocks
  };
}
