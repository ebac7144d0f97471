// The shape of the links people share.
import { ROLES } from '../domain/roles';

/** An invite link: the page that asks for a name, carrying the invite's token. */
export function inviteLink(base: string, token: string): string {
  return `${base}/j/${token}`;
}

/**
 * The present link: opens the present view (/w/<id>/present) on a projector or shared screen. It
 * lets its holder see what that screen shows and nothing else (see "The present view" in
 * docs/API.md). The page behind it sets a cookie and moves to /w/<id>/present, so the token is not
 * left in the address bar that the whole room can read.
 */
export function presentLink(base: string, token: string): string {
  return `${base}/p/${token}`;
}

/**
 * A forum's facilitator link: the page behind it sets a cookie and moves to the forum's page
 * (/f/<forumId>), so the token leaves the address bar. Whoever holds it acts as the forum's
 * facilitator (docs/API.md, "Forums").
 */
export function forumLink(base: string, token: string): string {
  return `${base}/forum/${token}`;
}

/** A forum's join-as-child link: another forum's facilitator pastes it to join this forum as its child. */
export function forumJoinLink(base: string, token: string): string {
  return `${base}/forum/join/${token}`;
}

/** The links a facilitator can turn off and make anew (invite.renew): one per role, and the present link. */
export const LINK_KINDS = [...ROLES, 'present'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];
