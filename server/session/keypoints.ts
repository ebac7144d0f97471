// Key points, server-side: agreeing them (keypoints.agree freezes the board's key points as they
// are, with their sources and support, as the board's next numbered version), the consent round
// on them (consent.open / answer / close: answers held per person only while the round is open,
// totals by role group once it closes, with the votes' small-group rule), and representatives
// (members who may download the briefing). While a round is open nobody sees any total: `state` carries
// its points and the turnout at turnout moments (turnout.ts), each person's own answers go to
// their sockets alone (`consentMine`). See "Key points" in docs/API.md.
import { randomBytes } from 'node:crypto';
import { KEY_POINT_RULES, sameAsAgreed, withoutHiddenWords } from '../../src/lib/domain/agreed';
import { hiddenByBoard } from './hidden';
import { CONSENT_RULES, presentConsent, summariseConsent, type ConsentResults } from '../../src/lib/domain/consent';
import { votingRoles, VOTING_ROLES, type VotingRole } from '../../src/lib/domain/votes';
import type { Command } from '../../src/lib/protocol/commands';
import type { AgreedVersion, CommandFailure, CommandResult, MyConsent } from '../../src/lib/protocol/session';
import type { ConsentRecord, ParticipantRecord } from '../persistence/types';
import { authorLookup, closedVotes, freezePoints, readBoardFacts, supportFacts } from '../briefing/facts';
import { done, fail, type SessionContext } from './context';

type Of<K extends Command['type']> = Extract<Command, { type: K }>;

/** Key point ids the commands can name (what the schema's `id` takes). */
const NAMEABLE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A version as the agreedKeyPoints event carries it: the wire's fields only, and without the words
 * of a card a facilitator has hidden since (the briefing's rule: withoutHiddenWords).
 */
const publicVersion = (version: AgreedVersion, hidden: Map<string, Set<string>>): AgreedVersion => {
  const { boardId, number, agreedAt, points, consentId } = withoutHiddenWords(version, hidden.get(version.boardId) ?? new Set());
  return { boardId, number, agreedAt, points, consentId };
};

/**
 * A card was hidden or put back: everyone gets again each agreed version of its board that names
 * it, with its words left out or back (pages keep versions by board and number, so these replace
 * the ones they hold).
 */
export async function resendAgreedNaming(ctx: SessionContext, workshopId: string, boardId: string, cardId: string): Promise<void> {
  const naming = (await ctx.store.keyPoints.versions(workshopId)).filter(
    (v) => v.boardId === boardId && v.points.some((p) => p.sources.some((s) => s.kind === 'card' && s.id === cardId && s.text !== null))
  );
  if (!naming.length) return;
  const hidden = await hiddenByBoard(ctx, workshopId);
  for (const v of naming) ctx.notifier()?.agreedKeyPoints(workshopId, publicVersion(v, hidden));
}

/**
 * "Remove my name and my cards": their words go from the agreed versions of a board's key points
 * (the versions keep the rest), and everyone's open page is sent each version that named them
 * again, so nobody keeps seeing them until a reload (pages replace versions by board and number).
 */
export async function forgetAgreedWords(
  ctx: SessionContext,
  workshopId: string,
  boardId: string,
  cardIds: readonly string[]
): Promise<void> {
  const gone = new Set(cardIds);
  const naming = (await ctx.store.keyPoints.versions(workshopId))
    .filter(
      (v) => v.boardId === boardId && v.points.some((p) => p.sources.some((s) => s.kind === 'card' && gone.has(s.id) && s.text !== null))
    )
    .map((v) => v.number);
  await ctx.store.keyPoints.forgetSources(boardId, cardIds);
  if (!naming.length) return;
  const hidden = await hiddenByBoard(ctx, workshopId);
  for (const v of await ctx.store.keyPoints.versions(workshopId)) {
    if (v.boardId === boardId && naming.includes(v.number)) ctx.notifier()?.agreedKeyPoints(workshopId, publicVersion(v, hidden));
  }
}

export async function agreeKeyPoints(
  ctx: SessionContext,
  actor: ParticipantRecord,
  boardId: string
): Promise<CommandResult<'keypoints.agree'>> {
  const workshopId = actor.workshopId;
  if ((await ctx.store.consent.openIn(workshopId)).some((r) => r.boardId === boardId)) {
    return fail('not_allowed_now', 'A consent round is open on these key points. Close it before marking them agreed.');
  }
  const board = await readBoardFacts(ctx.boards, boardId);
  if (!board.keyPoints.length) return fail('not_allowed_now', 'Write at least one key point before marking them agreed.');
  // A board can hold more (one made from an archive, which takes up to 500): say what to do.
  if (board.keyPoints.length > KEY_POINT_RULES.maxPoints) {
    return fail(
      'not_allowed_now',
      `This board has ${board.keyPoints.length} key points. Agree at most ${KEY_POINT_RULES.maxPoints} at once: merge or delete some first.`
    );
  }
  // A point can link more than a version keeps (through the document, or from an archive, which
  // takes up to 500): never agree part of what it says it comes from.
  const crowded = board.keyPoints.findIndex((p) => p.sources.length > KEY_POINT_RULES.maxSources);
  if (crowded >= 0) {
    return fail(
      'not_allowed_now',
      `Key point ${crowded + 1} comes from ${board.keyPoints[crowded].sources.length} cards and themes. An agreed version keeps at most ${KEY_POINT_RULES.maxSources}: group its cards into a theme and link the theme, or unlink some, then mark them agreed.`
    );
  }
  const versions = (await ctx.store.keyPoints.versions(workshopId)).filter((v) => v.boardId === boardId);
  const last = versions[versions.length - 1];
  if (last && sameAsAgreed(last, board.keyPoints)) {
    return fail('not_allowed_now', `Nothing has changed since version ${last.number} was agreed.`);
  }
  const facts = supportFacts(
    board,
    await authorLookup(ctx.store, workshopId),
    (await closedVotes(ctx.store, workshopId)).get(boardId) ?? []
  );
  const rounds = (await ctx.store.consent.results(workshopId)).filter((r) => r.boardId === boardId);
  const version = await ctx.store.keyPoints.agree(workshopId, {
    boardId,
    agreedAt: Date.now(),
    points: freezePoints(board, facts),
    consentId: rounds.length ? rounds[rounds.length - 1].id : null
  });
  ctx.notifier()?.agreedKeyPoints(workshopId, publicVersion(version, await hiddenByBoard(ctx, workshopId)));
  return { ok: true, number: version.number };
}

/** The round a command names, if it is this workshop's and open; another workshop's is answered as unknown. */
async function roundOf(ctx: SessionContext, actor: ParticipantRecord, consentId: string): Promise<ConsentRecord | CommandFailure> {
  const round = await ctx.store.consent.get(consentId);
  if (!round || round.workshopId !== actor.workshopId) return fail('invalid_payload', 'There is no such consent round in this workshop.');
  if (round.closedAt !== null) return fail('not_allowed_now', 'This consent round has closed.');
  return round;
}

export async function openConsent(ctx: SessionContext, actor: ParticipantRecord, boardId: string): Promise<CommandResult<'consent.open'>> {
  const workshopId = actor.workshopId;
  if ((await ctx.store.consent.openIn(workshopId)).some((r) => r.boardId === boardId)) {
    return fail('not_allowed_now', 'A consent round is already open on this board. Close it before starting another.');
  }
  const points = (await readBoardFacts(ctx.boards, boardId)).keyPoints.filter((p) => NAMEABLE.test(p.id));
  if (!points.length) return fail('not_allowed_now', 'Write at least one key point before asking everyone about them.');
  if (points.length > CONSENT_RULES.maxPoints) {
    return fail(
      'not_allowed_now',
      `This board has ${points.length} key points. A consent round can ask about at most ${CONSENT_RULES.maxPoints} at once: merge or delete some first.`
    );
  }
  const round: ConsentRecord = {
    id: randomBytes(12).toString('hex'),
    workshopId,
    boardId,
    points: points.map((p) => ({ id: p.id, text: p.text.slice(0, CONSENT_RULES.textChars) })),
    openedAt: Date.now(),
    closedAt: null
  };
  await ctx.store.consent.open(round);
  ctx.turnout.openedConsent(round);
  await ctx.states.publish(workshopId);
  return { ok: true, consentId: round.id };
}

/** consent.answer: one person's answer on one point (or none), for the sender only. */
export async function answerConsent(ctx: SessionContext, actor: ParticipantRecord, c: Of<'consent.answer'>): Promise<CommandResult> {
  const round = await roundOf(ctx, actor, c.consentId);
  if ('error' in round) return round;
  if (!round.points.some((p) => p.id === c.pointId)) return fail('invalid_payload', 'That key point is not in this consent round.');
  const before = await ctx.store.consent.answers(round.id, actor.id);
  if (!(await ctx.store.consent.setAnswer(round.id, actor.id, c.pointId, c.answer)))
    return fail('not_allowed_now', 'This consent round has closed.');
  const after = await ctx.store.consent.answers(round.id, actor.id);
  const mine: MyConsent = { consentId: round.id, answers: after };
  ctx.notifier()?.consentMine(actor.id, mine);
  // Turnout counts people with at least one answer: only a first answer, or the last taken back, changes it.
  if ((Object.keys(before).length === 0) !== (Object.keys(after).length === 0)) ctx.turnout.changed(actor.workshopId);
  return done;
}

export async function closeConsent(ctx: SessionContext, actor: ParticipantRecord, consentId: string): Promise<CommandResult> {
  const round = await roundOf(ctx, actor, consentId);
  if ('error' in round) return round;
  await finish(ctx, round);
  return done;
}

/** The workshop ended: its open rounds close, so no answer outlives it. */
export async function closeOpenConsent(ctx: SessionContext, workshopId: string): Promise<void> {
  for (const round of await ctx.store.consent.openIn(workshopId)) await finish(ctx, round);
}

/**
 * Closes a round: totals by the role each person has now (observers and people who have left are
 * not counted), kept with the answers' deletion in one transaction; then the write-ahead log is
 * emptied, and everyone gets the results.
 */
async function finish(ctx: SessionContext, round: ConsentRecord): Promise<void> {
  const people = await ctx.store.people.list(round.workshopId);
  const roles = votingRoles(people);
  const eligible = Object.fromEntries(VOTING_ROLES.map((r) => [r, 0])) as Record<VotingRole, number>;
  for (const role of Object.values(roles)) eligible[role]++;
  const closed = await ctx.store.consent.close(round.id, Date.now(), (entries) => summariseConsent(entries, roles, eligible, round.points));
  ctx.turnout.closedConsent(round.id);
  if (!closed) return;
  try {
    await ctx.store.checkpoint();
  } catch (err) {
    ctx.logger.error({ err }, 'could not empty the write-ahead log after a consent round closed; the next checkpoint will');
  }
  await ctx.states.publish(round.workshopId, people);
  ctx.notifier()?.consentResults(round.workshopId, presentConsent(closed));
}

export async function setRepresentative(
  ctx: SessionContext,
  actor: ParticipantRecord,
  participantId: string,
  representative: boolean
): Promise<CommandResult> {
  const target = await ctx.store.people.get(participantId);
  if (!target || target.workshopId !== actor.workshopId || target.removedAt !== null) {
    return fail('invalid_payload', 'That person is not in this workshop.');
  }
  // Representatives are members who speak for the group: facilitators and decision makers may
  // have the briefing already, and an observer would first be made a member. Taking the mark off
  // is always allowed.
  if (representative && target.role !== 'member') {
    return fail(
      'not_allowed_now',
      'Only members can be marked as representatives. Facilitators and decision makers can download the briefing already.'
    );
  }
  await ctx.store.people.setRepresentative(target.id, representative);
  // Their own page learns it at once (it offers the briefing's downloads), and so does the roster.
  ctx.notifier()?.role({ ...target, representative });
  ctx.views.schedule(actor.workshopId, 0);
  return done;
}

/** What a socket gets on connect: its person's answers in open rounds, each board's latest results, every agreed version. */
export async function keyPointsOnConnect(
  ctx: Pick<SessionContext, 'store'>,
  participant: ParticipantRecord
): Promise<{ mine: MyConsent[]; results: ConsentResults[]; agreed: AgreedVersion[] }> {
  const mine: MyConsent[] = [];
  if (participant.role !== 'observer') {
    for (const round of await ctx.store.consent.openIn(participant.workshopId)) {
      mine.push({ consentId: round.id, answers: await ctx.store.consent.answers(round.id, participant.id) });
    }
  }
  const latest = new Map<string, ConsentResults>();
  for (const r of await ctx.store.consent.results(participant.workshopId)) latest.set(r.boardId, presentConsent(r));
  const hidden = await hiddenByBoard(ctx, participant.workshopId);
  const agreed = (await ctx.store.keyPoints.versions(participant.workshopId)).map((v) => publicVersion(v, hidden));
  return { mine, results: [...latest.values()], agreed };
}
