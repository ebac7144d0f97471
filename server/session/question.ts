// The question as prepared before the session (its words and background) and the workshop's
// glossary: question.set, glossary.put and glossary.remove, from decision makers and facilitators
// (the command table's `preparer`). Each runs in the workshop's turn (the dispatcher's), checks the
// words with the same rules as the start page, stores them with the plain words check the server
// makes of them (the glossary counts as explaining its terms), and tells everyone in the workshop
// with `question`, so open boards show the new words at once.
import { checkExplanation, checkTerm, GLOSSARY_RULES, sortGlossary, termKey, type GlossaryEntry } from '../../src/lib/domain/glossary';
import type { QuestionInfo } from '../../src/lib/domain/question';
import { checkTheQuestion } from '../../src/lib/domain/question-check';
import { checkContext, checkQuestion } from '../../src/lib/domain/text';
import type { Command, CommandResult } from '../../src/lib/protocol/session';
import type { GlossaryRecord, ParticipantRecord, Store } from '../persistence/types';
import { newRecordId } from '../tokens';
import { done, fail, type SessionContext } from './context';

/** The words of the refusals, in one place for the rules in docs/LIMITS.md (L-GLOSS-*, L-PREP-*). */
export const QUESTION_TEXT = {
  noSuchTerm: "There is no such word in this workshop's glossary. It may have been taken out already.",
  full: `The glossary has ${GLOSSARY_RULES.maxTerms} words, as many as it can hold. Take one out before adding another.`,
  already: (term: string) => `“${term}” is in the glossary already. Change its explanation instead.`
} as const;

const entryOf = (r: GlossaryRecord): GlossaryEntry => ({ id: r.id, term: r.term, explanation: r.explanation });

/** What everyone in the workshop is told about its question, or null for a workshop that is gone. */
export async function questionInfo(store: Store, workshopId: string): Promise<QuestionInfo | null> {
  const [workshop, entries] = await Promise.all([store.workshops.get(workshopId), store.glossary.list(workshopId)]);
  if (!workshop) return null;
  return {
    question: workshop.question,
    context: workshop.context ?? '',
    glossary: sortGlossary(entries.map(entryOf)),
    check: workshop.questionCheck ?? null
  };
}

async function tell(ctx: SessionContext, workshopId: string): Promise<void> {
  const info = await questionInfo(ctx.store, workshopId);
  if (info) ctx.notifier()?.question(workshopId, info);
}

export async function setQuestion(
  ctx: SessionContext,
  actor: ParticipantRecord,
  command: Extract<Command, { type: 'question.set' }>
): Promise<CommandResult> {
  const question = checkQuestion(command.question);
  if (!question.ok) return fail('invalid_payload', question.message);
  const context = checkContext(command.context);
  if (!context.ok) return fail('invalid_payload', context.message);
  const terms = (await ctx.store.glossary.list(actor.workshopId)).map((e) => e.term);
  const check = checkTheQuestion(question.value, context.value, terms, Date.now());
  await ctx.store.workshops.setQuestion(actor.workshopId, { question: question.value, context: context.value, check });
  await tell(ctx, actor.workshopId);
  return done;
}

export async function putTerm(
  ctx: SessionContext,
  actor: ParticipantRecord,
  command: Extract<Command, { type: 'glossary.put' }>
): Promise<CommandResult<'glossary.put'>> {
  const term = checkTerm(command.term);
  if (!term.ok) return fail('invalid_payload', term.message);
  const explanation = checkExplanation(command.explanation);
  if (!explanation.ok) return fail('invalid_payload', explanation.message);
  const workshopId = actor.workshopId;
  const [workshop, entries] = await Promise.all([ctx.store.workshops.get(workshopId), ctx.store.glossary.list(workshopId)]);
  if (!workshop) return fail('invalid_payload', QUESTION_TEXT.noSuchTerm);
  const before = command.termId === undefined ? undefined : entries.find((e) => e.id === command.termId);
  if (command.termId !== undefined && !before) return fail('invalid_payload', QUESTION_TEXT.noSuchTerm);
  const key = termKey(term.value);
  const same = entries.find((e) => e.id !== before?.id && termKey(e.term) === key);
  if (same) return fail('not_allowed_now', QUESTION_TEXT.already(same.term));
  if (!before && entries.length >= GLOSSARY_RULES.maxTerms) return fail('not_allowed_now', QUESTION_TEXT.full);
  const now = Date.now();
  const entry: GlossaryRecord = {
    id: before?.id ?? newRecordId(),
    workshopId,
    term: term.value,
    explanation: explanation.value,
    createdAt: before?.createdAt ?? now,
    updatedAt: now
  };
  const terms = [...entries.filter((e) => e.id !== entry.id).map((e) => e.term), entry.term];
  await ctx.store.glossary.put(entry, checkTheQuestion(workshop.question, workshop.context ?? '', terms, now));
  await tell(ctx, workshopId);
  return { ok: true, termId: entry.id };
}

export async function removeTerm(ctx: SessionContext, actor: ParticipantRecord, termId: string): Promise<CommandResult> {
  const workshopId = actor.workshopId;
  const [workshop, entries] = await Promise.all([ctx.store.workshops.get(workshopId), ctx.store.glossary.list(workshopId)]);
  if (!workshop || !entries.some((e) => e.id === termId)) return fail('invalid_payload', QUESTION_TEXT.noSuchTerm);
  const terms = entries.filter((e) => e.id !== termId).map((e) => e.term);
  const removed = await ctx.store.glossary.remove(
    workshopId,
    termId,
    checkTheQuestion(workshop.question, workshop.context ?? '', terms, Date.now())
  );
  if (!removed) return fail('invalid_payload', QUESTION_TEXT.noSuchTerm);
  await tell(ctx, workshopId);
  return done;
}
