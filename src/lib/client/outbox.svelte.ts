// Cards posted without a name, kept on this device until the server has taken them: a card posted
// with no signal, or whose answer never came, waits here (safe across a reload: localStorage) and
// is sent again after every socket.io reconnect. Each post has its own id (`postId`), so a post
// sent twice, because its answer was lost, still makes one card. See "What a device keeps" in
// docs/ARCHITECTURE.md.
import { newId, type Lane } from '$lib/board/schema';
import { outboxKey } from '$lib/protocol/device';
import type { SessionConnection } from './session.svelte';

export interface WaitingPost {
  postId: string;
  boardId: string;
  lane: Lane;
  text: string;
  /** Why the server refused it (a rule, not the signal), until the person tries again or deletes it. */
  refused: string | null;
}

/** What became of a post: on the board, kept here to send later, or refused (it stays here, marked). */
export type PostOutcome = { kind: 'posted' } | { kind: 'waiting' } | { kind: 'refused'; message: string };

export class Outbox {
  #posts = $state<WaitingPost[]>([]);
  #sending = $state<string[]>([]);
  private key: string;
  private keep = true;
  private unsubscribe: () => void;
  private posted = new Set<(post: WaitingPost) => void>();

  constructor(
    workshopId: string,
    private session: SessionConnection
  ) {
    this.key = outboxKey(workshopId);
    try {
      const raw = localStorage.getItem(this.key);
      const list = raw ? (JSON.parse(raw) as unknown) : [];
      this.#posts = Array.isArray(list)
        ? (list as WaitingPost[]).filter((p) => typeof p?.postId === 'string' && typeof p.text === 'string')
        : [];
    } catch {
      this.#posts = [];
    }
    // Back online (or connected at last after a reload): send what waits, in the order written.
    this.unsubscribe = session.onConnect(() => {
      for (const p of this.#posts) if (p.refused === null) void this.send(p.postId);
    });
  }

  /** Every post not yet on the board, oldest first. */
  get waiting(): WaitingPost[] {
    return this.#posts;
  }

  /** Whether a post is on its way now (sent, its answer not back yet). */
  isSending(postId: string): boolean {
    return this.#sending.includes(postId);
  }

  /** Called with each post once the server has put it on the board. */
  onPosted(listener: (post: WaitingPost) => void): () => void {
    this.posted.add(listener);
    return () => this.posted.delete(listener);
  }

  /** Keeps a new post on this device, then sends it if there is a signal. */
  post(boardId: string, lane: Lane, text: string): Promise<PostOutcome> {
    const post: WaitingPost = { postId: newId(), boardId, lane, text, refused: null };
    this.#posts = [...this.#posts, post];
    this.persist();
    return this.send(post.postId);
  }

  /** Sends a refused post again (the facilitator may have changed the setting). */
  retry(postId: string): Promise<PostOutcome> {
    this.#posts = this.#posts.map((p) => (p.postId === postId ? { ...p, refused: null } : p));
    this.persist();
    return this.send(postId);
  }

  discard(postId: string): void {
    this.#posts = this.#posts.filter((p) => p.postId !== postId);
    this.persist();
  }

  private async send(postId: string): Promise<PostOutcome> {
    const post = this.#posts.find((p) => p.postId === postId);
    if (!post) return { kind: 'posted' };
    if (!this.session.connected) return { kind: 'waiting' };
    if (this.#sending.includes(postId)) return { kind: 'waiting' };
    this.#sending = [...this.#sending, postId];
    try {
      const result = await this.session.run({
        type: 'card.addAnonymous',
        boardId: post.boardId,
        lane: post.lane,
        text: post.text,
        postId: post.postId
      });
      if (result.ok) {
        this.discard(postId);
        for (const l of this.posted) l(post);
        return { kind: 'posted' };
      }
      // No signal, no answer in time, a busy or failing server: it waits for the next connect.
      if (result.error.code === 'server_error' || result.error.code === 'rate_limited') return { kind: 'waiting' };
      this.#posts = this.#posts.map((p) => (p.postId === postId ? { ...p, refused: result.error.message } : p));
      this.persist();
      return { kind: 'refused', message: result.error.message };
    } finally {
      this.#sending = this.#sending.filter((id) => id !== postId);
    }
  }

  private persist(): void {
    if (!this.keep) return;
    try {
      if (this.#posts.length) localStorage.setItem(this.key, JSON.stringify(this.#posts));
      else localStorage.removeItem(this.key);
    } catch {
      // storage full or blocked: the post still waits in this page
    }
  }

  /** Forget every post on this device (leaving, removed, ended), and keep none from now on. */
  clear(): void {
    this.keep = false;
    this.#posts = [];
    try {
      localStorage.removeItem(this.key);
    } catch {
      // storage blocked
    }
  }

  destroy(): void {
    this.unsubscribe();
  }
}
