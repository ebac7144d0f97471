// Who is here, across processes: the facilitator view's "online" marks, the present screen's
// "here" count, and whether a workshop has a facilitator or a present screen to build a view for
// at all (session/facilitator-view.ts and present-view.ts skip the work when nobody would see it).
// Each process tells the others its own part of each workshop whenever it changes (the Bus), and
// answers a newcomer's "hello" with all of it; a process whose heartbeat stopped is forgotten.
import type { Bus } from './bus';
import type { SharedRedis } from './redis';
import { HEARTBEAT_EVERY_MS } from './redis';

export interface OnlineHere {
  participants: string[];
  facilitators: number;
  screens: number;
}

export class SharedOnline {
  /** workshop -> process -> what that process has of it. */
  private others = new Map<string, Map<string, OnlineHere>>();
  private timer: NodeJS.Timeout;

  constructor(
    private redis: SharedRedis,
    private bus: Bus,
    /** This process's part of every workshop it has anyone in. */
    private local: () => Map<string, OnlineHere>
  ) {
    bus.on((event) => {
      if (event.kind === 'online') this.set(event.workshopId, event.from, event.here);
      else if (event.kind === 'hello') this.tellAll();
    });
    // A newcomer (or one back after Redis was away) asks; everyone answers with all they have.
    bus.onSubscribed(() => bus.publish({ kind: 'hello' }));
    this.timer = setInterval(() => void this.forgetGone(), HEARTBEAT_EVERY_MS * 2);
    this.timer.unref();
  }

  /** This process's part of a workshop changed. */
  changed(workshopId: string, here: OnlineHere): void {
    this.bus.publish({ kind: 'online', workshopId, from: this.redis.processId, here });
  }

  private tellAll(): void {
    for (const [workshopId, here] of this.local()) this.changed(workshopId, here);
  }

  private set(workshopId: string, from: string, here: OnlineHere): void {
    let byProcess = this.others.get(workshopId);
    if (!byProcess) this.others.set(workshopId, (byProcess = new Map<string, OnlineHere>()));
    if (here.participants.length || here.facilitators || here.screens) byProcess.set(from, here);
    else byProcess.delete(from);
    if (!byProcess.size) this.others.delete(workshopId);
  }

  /** What the other processes have of a workshop. */
  elsewhere(workshopId: string): OnlineHere[] {
    return [...(this.others.get(workshopId)?.values() ?? [])];
  }

  private async forgetGone(): Promise<void> {
    const seen = new Set<string>();
    for (const byProcess of this.others.values()) for (const p of byProcess.keys()) seen.add(p);
    if (!seen.size || this.redis.client.status !== 'ready') return;
    const alive = await this.redis.alive(seen).catch(() => null);
    if (!alive) return;
    for (const [workshopId, byProcess] of this.others) {
      for (const p of byProcess.keys()) if (!alive.has(p)) byProcess.delete(p);
      if (!byProcess.size) this.others.delete(workshopId);
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}
