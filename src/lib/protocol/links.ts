// The shape of the links people share.

/** An invite link: the page that asks for a name, carrying the invite's token. */
export function inviteLink(base: string, token: string): string {
  return `${base}/j/${token}`;
}
