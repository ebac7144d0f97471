// Presence (awareness) states are rewritten by the server: only known keys survive, and who you
// are (name, role) comes from your session, never from what the client claims.
import type { Role } from '../../src/lib/domain/roles';

export interface PresenceIdentity {
  participantId: string;
  name: string;
  role: Role;
}

/** The presence a page may publish, as rewritten by the server. */
export interface PresenceState {
  user: { name: string; role: Role; color: string };
  /** The card this person is typing in, if any. */
  editing: string | null;
}

const PALETTE = ['#0b5394', '#7a3b00', '#005a30', '#6a1b9a', '#8a1538', '#00585e', '#4a4a00', '#b3261e'];

/** A stable colour per participant, dark enough for text on white (WCAG AA). */
export function colourFor(participantId: string): string {
  let h = 0;
  for (const ch of participantId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

export function sanitisePresence(raw: unknown, who: PresenceIdentity): PresenceState | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const editing = (raw as Record<string, unknown>).editing;
  return {
    user: { name: who.name, role: who.role, color: colourFor(who.participantId) },
    editing: typeof editing === 'string' && /^[0-9a-zA-Z_-]{1,64}$/.test(editing) ? editing : null
  };
}
