// The facilitator's invite screen, made for a projector: code, QR code and links.
import { error } from '@sveltejs/kit';
import { formatCode } from '$lib/domain/join-code';
import { GONE_TEXT } from '$lib/protocol/errors';
import type { Role } from '$lib/domain/roles';
import { inviteLink, presentLink, qrDataUrl } from '$lib/server/links';
import { retentionWords } from '$lib/domain/retention';

export const load = async ({ params, locals, url, setHeaders }) => {
  setHeaders({ 'cache-control': 'no-store' });
  const { app, who } = locals;
  const session = await who.session(params.workshopId);
  if (!session) {
    if ((await app.deletedAt(params.workshopId)) !== null) error(410, GONE_TEXT.deletedDetails);
    error(404, 'We could not find that page.');
  }
  if (session.participant.role !== 'facilitator') error(403, 'Only the facilitator can see the invite links.');
  const base = app.linkBase(url.origin);
  const invites = await app.invites(params.workshopId);
  const link = (role: Role) => {
    const token = invites[role];
    return token ? inviteLink(base, token) : null;
  };
  const memberLink = link('member');
  const question = await app.question(params.workshopId);
  return {
    isNew: url.searchParams.has('new'),
    sameWifi: !app.publicUrl && base !== url.origin,
    workshop: { id: session.workshop.id, title: session.workshop.title, question: session.workshop.question },
    // The server's plain words check of the question as saved: the score the decision maker sees.
    check: question?.check ?? null,
    glossaryCount: question?.glossary.length ?? 0,
    code: formatCode(session.workshop.code),
    joinAddress: `${base}/join`,
    links: { member: memberLink, decisionMaker: link('decisionMaker'), observer: link('observer'), facilitator: link('facilitator') },
    // For the screen at the front of the room: shows the question and how to join, and names nobody.
    present: presentLink(base, await app.presentToken(params.workshopId)),
    qr: memberLink ? await qrDataUrl(memberLink) : null,
    // When retention deletes it, and why (counted from its last activity, not its end).
    retention: retentionWords(await app.outcomes.retention(session.workshop.id))
  };
};
