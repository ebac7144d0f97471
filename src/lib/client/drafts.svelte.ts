// Silent-writing drafts: kept on this device (safe across a reload or a lost signal) and sent to
// the server, which holds them apart from the board until the facilitator reveals them all.
import type { Lane } from '$lib/board/schema';
import { newId } from '$lib/board/schema';
import type { SessionConnection } from './session.svelte';
import { draftsKey } from '$lib/protocol/device';

export interface Draft {
  id: string;
  boardId: string;
  lane: Lane;
  text: string;
  anonymous: boolean;
  /** True once the server has confirmed it holds the latest text. */
  saved: boolean;
}

export class DraftStore {
  #drafts = $state<Draft[]>([]);
  private key: string;
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private unsubscribe: (() => void)[] = [];
  private keep = true;

  constructor(
    workshopId: string,
    private session: SessionConnection
  ) {
    this.key = draftsKey(workshopId);
    try {
      const raw = localStorage.getItem(this.key);
      if (raw) this.#drafts = (JSON.parse(raw) as Draft[]).map((d) => ({ ...d, saved: false }));
    } catch {
      this.#drafts = [];
    }
    this.unsubscribe.push(
      // Drafts the server has put on the board leave this device.
      session.onDrafts(({ revealed }) => {
        if (!revealed.length) return;
        this.#drafts = this.#drafts.filter((d) => !revealed.includes(d.id));
        this.persist();
      }),
      // After a reconnect, send everything again: the server keeps the latest text of each draft.
      session.onConnect(() => {
        for (const d of this.#drafts) void this.send(d.id);
      })
    );
  }

  get all(): Draft[] {
    return this.#drafts;
  }

  inLane(lane: Lane): Draft[] {
    return this.#drafts.filter((d) => d.lane === lane);
  }

  add(boardId: string, lane: Lane, anonymous: boolean): string {
    const draft: Draft = { id: newId(), boardId, lane, text: '', anonymous, saved: false };
    this.#drafts = [...this.#drafts, draft];
    this.persist();
    return draft.id;
  }

  update(id: string, text: string): void {
    this.#drafts = this.#drafts.map((d) => (d.id === id ? { ...d, text, saved: false } : d));
    this.persist();
    clearTimeout(this.timers.get(id));
    this.timers.set(
      id,
      setTimeout(() => void this.send(id), 400)
    );
  }

  remove(id: string): void {
    this.#drafts = this.#drafts.filter((d) => d.id !== id);
    this.persist();
    void this.session.run({ type: 'draft.delete', draftId: id });
  }

  private async send(id: string) {
    const d = this.#drafts.find((x) => x.id === id);
    if (!d) return;
    const result = await this.session.run({
      type: 'draft.save',
      boardId: d.boardId,
      draftId: d.id,
      lane: d.lane,
      text: d.text,
      anonymous: d.anonymous
    });
    if (result.ok) this.#drafts = this.#drafts.map((x) => (x.id === id && x.text === d.text ? { ...x, saved: true } : x));
  }

  private persist() {
    if (!this.keep) return;
    try {
      localStorage.setItem(this.key, JSON.stringify(this.#drafts));
    } catch {
      // storage full or blocked: the server still holds what it received
    }
  }

  /** Forget every draft on this device (leaving, removed, deleted), and keep none from now on. */
  clear() {
    this.keep = false;
    this.#drafts = [];
    try {
      localStorage.removeItem(this.key);
    } catch {
      // storage blocked
    }
  }

  destroy() {
    for (const u of this.unsubscribe) u();
    for (const t of this.timers.values()) clearTimeout(t);
  }
}
