// The shape of every socket.io command, as zod schemas: the first of the three checks (schema,
// then role and board from the command table in commands.ts, then the domain rule). `Command` is
// inferred from these schemas, so a command's type, its validation and its table row cannot drift.
// Server-side only at run time (the page imports types from here, never the schemas).
import { z } from 'zod';
import { LANES } from '../board/schema';
import { PHASE_KINDS, type PureCommand } from '../domain/facilitation';
import { ROLES } from '../domain/roles';
import { LIMITS } from '../domain/text';
import { VOTE_RULES } from '../domain/votes';
import { CONSENT_ANSWERS } from '../domain/consent';
import { FORUM_RULES } from '../domain/forums';
import { LINK_KINDS } from './links';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** Text a rule checks for length itself, in plain words: the schema only keeps a payload bounded. */
const BOUND = 10_000;
const lane = z.enum(LANES);
const role = z.enum(ROLES);
const minutes = z.number().positive().max(240).optional();
/** A vote's item: a card id, or `theme:<themeId>`. */
const itemId = z.string().regex(/^(theme:)?[A-Za-z0-9_-]{1,64}$/);
const voteCount = z.number().int().min(VOTE_RULES.votesPerPerson.min).max(VOTE_RULES.votesPerPerson.max);
const themeIds = z.array(id).min(1).max(VOTE_RULES.maxItems);
// Vote commands are strict: a key they do not have (a `participantId`, say) is refused, not
// ignored, since a vote is always the sender's own.
const voteSubject = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cards'), lanes: z.array(lane).min(1).max(LANES.length).optional(), themes: themeIds.optional() }),
  z.strictObject({ kind: z.literal('themes'), themes: themeIds.optional() })
]);

export const commandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('phase.go'), index: z.number().int().min(0).max(50) }),
  z.object({
    type: z.literal('phases.set'),
    phases: z
      .array(z.object({ kind: z.enum(PHASE_KINDS), title: z.string().trim().min(1).max(LIMITS.phaseTitle) }))
      .min(1)
      .max(20)
  }),
  z.object({ type: z.literal('timer.start'), minutes }),
  z.object({ type: z.literal('timer.pause') }),
  z.object({ type: z.literal('timer.addMinute') }),
  z.object({ type: z.literal('timer.reset'), minutes }),
  z.object({ type: z.literal('board.lock'), boardId: id, locked: z.boolean() }),
  z.object({
    type: z.literal('settings.update'),
    anonymousCards: z.enum(['off', 'optional', 'always']).optional(),
    decisionMakersAfterMembers: z.boolean().optional()
  }),
  z.object({ type: z.literal('hand.raise') }),
  z.object({ type: z.literal('hand.lower') }),
  z.object({ type: z.literal('turn.pass') }),
  z.object({ type: z.literal('queue.next') }),
  z.object({ type: z.literal('queue.clear') }),
  z.object({
    type: z.literal('spotlight.set'),
    target: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('card'), boardId: id, cardId: id }),
        z.object({ kind: z.literal('lane'), boardId: id, lane })
      ])
      .nullable()
  }),
  z.object({
    type: z.literal('round.open'),
    kind: z.enum(['checkin', 'checkout']),
    prompt: z.string().trim().min(1).max(LIMITS.roundPrompt)
  }),
  z.object({
    type: z.literal('round.answer'),
    answerId: id,
    text: z.string().max(LIMITS.roundAnswer),
    emoji: z.string().max(16).nullable(),
    anonymous: z.boolean()
  }),
  z.object({ type: z.literal('round.close') }),
  z.object({ type: z.literal('participant.setRole'), participantId: id, role }),
  /**
   * Facilitator: remove someone. `renewInvites`: in the same step, turn off the member link, the link
   * of the removed person's role and the join code, and make new ones (the removed device is refused
   * either way; this keeps other devices of theirs out too).
   */
  z.object({ type: z.literal('participant.remove'), participantId: id, renewInvites: z.boolean().optional() }),
  /** Facilitator: turn off a role's invite links, or the present link (`present`), and make a new one. */
  z.object({ type: z.literal('invite.renew'), role: z.enum(LINK_KINDS) }),
  z.object({ type: z.literal('card.hide'), boardId: id, cardId: id, reason: z.string().trim().min(1).max(LIMITS.hideReason) }),
  z.object({ type: z.literal('card.restore'), boardId: id, cardId: id }),
  z.object({
    type: z.literal('card.addAnonymous'),
    boardId: id,
    lane,
    text: z.string().trim().min(1).max(LIMITS.cardText),
    /** The page's id for this post: sent again after a lost answer, it puts no second card. */
    postId: id.optional()
  }),
  /** The card's writer or a facilitator: put a removed card back on the board. */
  z.object({ type: z.literal('card.restoreRemoved'), boardId: id, cardId: id }),
  /** Anyone: dismiss a notice about one of my cards (removed by someone, or hidden). */
  z.object({ type: z.literal('notice.dismiss'), boardId: id, cardId: id, kind: z.enum(['removed', 'hidden']) }),
  z.object({
    type: z.literal('draft.save'),
    boardId: id,
    draftId: id,
    lane,
    text: z.string().max(LIMITS.cardText),
    anonymous: z.boolean()
  }),
  z.object({ type: z.literal('draft.delete'), draftId: id }),
  z.object({ type: z.literal('drafts.reveal'), boardId: id }),
  z.object({ type: z.literal('facilitator.refresh') }),
  /** Facilitator: end the workshop (boards become read-only; deleted after the retention period). */
  z.object({ type: z.literal('workshop.end') }),
  /** Facilitator: delete the workshop and everything in it, now. */
  z.object({ type: z.literal('workshop.delete') }),
  /** Anyone: remove my name and the cards I wrote (with my name), and leave. */
  z.object({ type: z.literal('me.forget') }),
  /** Anyone: I am stepping away (a break, or leaving the board): lower my hand, end my turn uncounted. */
  z.object({ type: z.literal('me.away') }),
  /** Anyone: I am back from a break (an involvement record counts my time again). */
  z.object({ type: z.literal('me.back') }),
  /** Facilitator: open a dot vote on a board's cards or themes; answered with the vote's id. */
  z.strictObject({
    type: z.literal('vote.open'),
    boardId: id,
    on: voteSubject,
    votesPerPerson: voteCount.optional(),
    maxPerItem: voteCount.optional()
  }),
  /** Not observers: put one of my votes on an item. */
  z.strictObject({ type: z.literal('vote.cast'), voteId: id, itemId }),
  /** Not observers: take one of my votes off an item. */
  z.strictObject({ type: z.literal('vote.retract'), voteId: id, itemId }),
  /** Facilitator: close a vote; the results go to everyone and the ballots are deleted. */
  z.strictObject({ type: z.literal('vote.close'), voteId: id }),
  /** Facilitator: freeze the board's key points as they are now, with their sources and support (the next version). */
  z.strictObject({ type: z.literal('keypoints.agree'), boardId: id }),
  /** Facilitator: ask everyone about the board's key points as they are now; answered with the round's id. */
  z.strictObject({ type: z.literal('consent.open'), boardId: id }),
  /** Not observers: my answer on one point of an open consent round (null takes it back). Always my own. */
  z.strictObject({ type: z.literal('consent.answer'), consentId: id, pointId: id, answer: z.enum(CONSENT_ANSWERS).nullable() }),
  /** Facilitator: close a consent round; the totals go to everyone and the answers are deleted. */
  z.strictObject({ type: z.literal('consent.close'), consentId: id }),
  /** Facilitator: show a closed vote's results on the present screen (/w/<id>/present), or stop (null). */
  z.strictObject({ type: z.literal('present.show'), target: z.strictObject({ kind: z.literal('vote'), voteId: id }).nullable() }),
  /** Facilitator: mark someone as a representative of the group (may download the briefing), or not. */
  z.strictObject({ type: z.literal('participant.setRepresentative'), participantId: id, representative: z.boolean() }),
  /**
   * Decision makers and facilitators: the question and its background, as prepared before the
   * session. The lengths here only bound the payload; the rule (question.ts) says what is too long
   * in plain words, as the start page does.
   */
  z.strictObject({ type: z.literal('question.set'), question: z.string().max(BOUND), context: z.string().max(BOUND) }),
  /** Decision makers and facilitators: add a word to the glossary, or (with `termId`) change one. Answered with its id. */
  z.strictObject({
    type: z.literal('glossary.put'),
    termId: id.optional(),
    term: z.string().max(BOUND),
    explanation: z.string().max(BOUND)
  }),
  /** Decision makers and facilitators: take a word out of the glossary. */
  z.strictObject({ type: z.literal('glossary.remove'), termId: id }),
  /**
   * Facilitator of a workshop in a forum with child forums: bring points they shared onto a board
   * as cards (in `lane`), each referring to its provenance; answered with the new cards' ids.
   */
  z.strictObject({ type: z.literal('rollup.bring'), boardId: id, lane, pointIds: z.array(id).min(1).max(FORUM_RULES.perRollup) }),
  /** Facilitator: merge rolled-up cards into one that refers to all their sources; answered with its id. */
  z.strictObject({ type: z.literal('rollup.merge'), boardId: id, cardIds: z.array(id).min(2).max(FORUM_RULES.perMerge) }),
  /** Facilitator: undo a merge, one card per source again; answered with their ids. */
  z.strictObject({ type: z.literal('rollup.unmerge'), boardId: id, cardId: id })
]);

/** Every command a client may send, inferred from the schemas above. */
export type Command = z.infer<typeof commandSchema>;
export type CommandType = Command['type'];

/** The commands the pure facilitation rules decide (src/lib/domain/facilitation.ts apply()). */
export type PureCommandType = PureCommand['type'];

// The schemas' pure commands are exactly what the domain's apply() takes: this fails to compile
// if either side gains a field or a case the other lacks.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const pureCommandsMatch: Same<Extract<Command, { type: PureCommandType }>, PureCommand> = true;
void pureCommandsMatch;

export type ParsedCommand = { ok: true; command: Command } | { ok: false; message: string; unknown: boolean };

export function parseCommand(raw: unknown): ParsedCommand {
  const result = commandSchema.safeParse(raw);
  if (result.success) return { ok: true, command: result.data };
  const type = raw && typeof raw === 'object' ? (raw as { type?: unknown }).type : undefined;
  const known = commandSchema.options.some((o) => o.shape.type.value === type);
  const issue = result.error.issues[0];
  return {
    ok: false,
    unknown: !known,
    message: known
      ? `That command is not in the right shape (${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}).`
      : `The server does not know the command "${String(type).slice(0, 40)}".`
  };
}
