// Roles in a workshop and what each may do. Pure: shared by the server (which enforces) and the
// page (which only hides what would be refused anyway).

export const ROLES = ['facilitator', 'member', 'decisionMaker', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/** Labels people understand, used everywhere a role is shown. */
export const ROLE_LABEL: Record<Role, string> = {
  facilitator: 'Facilitator',
  member: 'Member',
  decisionMaker: 'Decision maker',
  observer: 'Observer'
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** May this role change the content of a board (cards, their text, their place)? */
export function canEditBoard(role: Role, board: { locked: boolean }): boolean {
  switch (role) {
    case 'facilitator':
      return true;
    case 'member':
    case 'decisionMaker':
      return !board.locked;
    case 'observer':
      return false;
    default: {
      const never: never = role;
      return never;
    }
  }
}

/**
 * A representative of the group: a member a facilitator has marked (participant.setRepresentative).
 * The mark counts for members only; the store takes it off when someone stops being a member.
 */
export function isRepresentative(p: { role: Role; representative?: boolean }): boolean {
  return p.role === 'member' && p.representative === true;
}

/** May download the briefing and the archive: facilitators, decision makers and representatives. */
export function mayDownloadBriefing(p: { role: Role; representative?: boolean }): boolean {
  return p.role === 'facilitator' || p.role === 'decisionMaker' || isRepresentative(p);
}

/**
 * May prepare the question (its words and background) and the workshop's glossary: the people who
 * bring the question (decision makers) and the facilitator. Members and observers read them.
 */
export function mayPrepareQuestion(role: Role): boolean {
  return role === 'facilitator' || role === 'decisionMaker';
}
