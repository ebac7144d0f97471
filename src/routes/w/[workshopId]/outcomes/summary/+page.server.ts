// The outcomes summary's print view: the same document as its downloads (the briefing's blocks
// and renderer), for anyone who took part.
import { error } from '@sveltejs/kit';
import { outcomesDocument } from '$lib/domain/outcomes-document';
import { versionOf } from '$lib/server/briefing/respond';

export const load = async ({ params, locals, url, setHeaders }) => {
  setHeaders({ 'cache-control': 'no-store' });
  const session = await locals.who.session(params.workshopId);
  if (!session) error(404, 'We could not find that page.');
  const version = versionOf(url) ?? 'standard';
  const report = await locals.app.outcomes.report(session.workshop.id);
  if (!report) error(404, 'We could not find that page.');
  return { workshopId: session.workshop.id, version, doc: outcomesDocument(report, version) };
};
