// A forum link as people paste it: the whole link (https://…/forum/<token>, …/forum/join/<token>)
// or the token alone. Anything else is left as it is, for the service to refuse.
export function tokenOf(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim().replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
