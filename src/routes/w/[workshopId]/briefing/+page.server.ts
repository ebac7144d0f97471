// The briefing's print view in the app: the same document as the downloads, with print styles,
// for facilitators, decision makers and the group's representatives.
import { error } from '@sveltejs/kit';
import { briefingDocument } from '$lib/domain/briefing-document';
import { BRIEFING_FORBIDDEN, mayHaveBriefing, versionOf } from '$lib/server/briefing/respond';

export const load = async ({ params, locals, url, setHeaders }) => {
  setHeaders({ 'cache-control': 'no-store' });
  const session = await locals.who.session(params.workshopId);
  if (!session) error(404, 'We could not find that page.');
  if (!mayHaveBriefing(session)) error(403, BRIEFING_FORBIDDEN);
  const version = versionOf(url) ?? 'standard';
  const model = await locals.app.briefing(session.workshop.id);
  if (!model) error(404, 'We could not find that page.');
  return { workshopId: session.workshop.id, version, doc: briefingDocument(model, version) };
};
