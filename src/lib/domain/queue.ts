// The hand-raise queue. Fair order: people called least often first, then who raised first.
// A workshop option lets decision makers speak after members.
import type { Role } from './roles';

export interface RaisedHand {
  participantId: string;
  raisedAt: number;
}

export interface QueueContext {
  calledCounts: Record<string, number>;
  roles: Record<string, Role>;
  decisionMakersAfterMembers: boolean;
}

export function orderQueue(hands: readonly RaisedHand[], ctx: QueueContext): RaisedHand[] {
  const group = (id: string) => (ctx.decisionMakersAfterMembers && ctx.roles[id] === 'decisionMaker' ? 1 : 0);
  return [...hands].sort(
    (a, b) =>
      group(a.participantId) - group(b.participantId) ||
      (ctx.calledCounts[a.participantId] ?? 0) - (ctx.calledCounts[b.participantId] ?? 0) ||
      a.raisedAt - b.raisedAt ||
      (a.participantId < b.participantId ? -1 : 1)
  );
}
