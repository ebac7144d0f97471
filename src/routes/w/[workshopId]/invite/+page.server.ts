// The facilitator's invite screen, made for a projector: code, QR code and links.
import { error } from '@sveltejs/kit';
import { formatCode } from '$lib/domain/join-code';
import { shareableOrigin, inviteLink, qrDataUrl, readSession } from '$lib/server/links';

export const load = async ({ params, cookies, locals, url, setHeaders }) => {
  setHeaders({ 'cache-control': 'no-store' });
  const { workshops, store, config } = locals.services;
  const session = workshops.authenticate(readSession(cookies, params.workshopId));
  if (!session || session.workshop.id !== params.workshopId) error(404, 'We could not find that page.');
  if (session.participant.role !== 'facilitator') error(403, 'Only the facilitator can see the invite links.');
  const base = shareableOrigin(config, url.origin);
  const invites = store.listInvites(params.workshopId).filter((i) => i.revokedAt === null);
  const link = (role: string) => {
    const invite = invites.find((i) => i.role === role);
    return invite ? inviteLink(base, invite.token) : null;
  };
  const memberLink = link('member');
  return {
    isNew: url.searchParams.has('new'),
    sameWifi: !config.publicUrl && base !== url.origin,
    workshop: { id: session.workshop.id, title: session.workshop.title, question: session.workshop.question },
    code: formatCode(session.workshop.code),
    joinAddress: `${base}/join`,
    links: { member: memberLink, decisionMaker: link('decisionMaker'), observer: link('observer'), facilitator: link('facilitator') },
    qr: memberLink ? await qrDataUrl(memberLink) : null
  };
};
