// This person's part in the open vote on a board, as runes: which items are in it, their own
// votes (as the server last said, plus any on their way), how many they have left, and each
// refusal kept beside the item it was about. A vote shows at once when the rules say it will be
// taken; the server's next `ballot` (or its refusal) puts the page right, so what it shows is
// never the page's guess for long. Nothing here knows, or could show, anyone else's votes.
import { cast, retract, type Ballot } from '$lib/domain/votes';
import { mineWords, movingWords, remainingWords } from '$lib/domain/vote-words';
import type { Role } from '$lib/domain/roles';
import type { Command, CommandResult, MyBallot, PublicVote, VoteResults } from '$lib/protocol/session';
import type { SessionConnection } from './session.svelte';

/** What the booth needs of the board page. */
export interface BoothHost {
  readonly session: SessionConnection | null;
  readonly boardId: string;
  readonly role: Role;
  readonly ended: boolean;
  /** Sends a command; a refusal is announced by the page. */
  run(command: Command): Promise<CommandResult>;
  /** Says something in the page's polite live region. */
  say(text: string): void;
}

interface InFlight {
  n: number;
  voteId: string;
  itemId: string;
  /** What it will change if taken: +1, -1, or 0 when the rules say it will be refused. */
  delta: number;
  /** The server's ballot covering it has arrived (its answer follows): no longer counted on top. */
  settled: boolean;
}

export class VoteBooth {
  #inFlight = $state<InFlight[]>([]);
  /** Refusals by item, with the vote they were about. */
  #errors = $state<Record<string, { voteId: string; message: string }>>({});
  /** A refusal that came after its vote closed (a tap as the facilitator closed it): said above the results. */
  #late = $state<{ voteId: string; message: string } | null>(null);
  private sent = 0;
  private stopListening: (() => void) | undefined;

  constructor(private host: BoothHost) {}

  /** Listens to the session's ballots (once the page has one). */
  attach(session: SessionConnection): void {
    this.stopListening?.();
    // The server answers one person's votes in order, each ballot just before its answer: the
    // oldest vote still on its way is the one a ballot covers.
    this.stopListening = session.onBallot((b: MyBallot) => {
      const first = this.#inFlight.find((p) => p.voteId === b.voteId && !p.settled && p.delta !== 0);
      if (first) first.settled = true;
    });
  }

  destroy(): void {
    this.stopListening?.();
  }

  /** The vote open on this board now, if any. */
  get vote(): PublicVote | null {
    return this.host.session?.state?.votes.find((v) => v.boardId === this.host.boardId) ?? null;
  }

  /** Everyone but observers votes (and nobody once the workshop has ended). */
  get canVote(): boolean {
    return !!this.vote && this.host.role !== 'observer' && !this.host.ended;
  }

  #items = $derived(new Set(this.vote?.items ?? []));

  inVote(itemId: string): boolean {
    return this.#items.has(itemId);
  }

  /** The latest results on this board; none while a new vote is open on it (nothing of a vote shows beside another). */
  get results(): VoteResults | null {
    return this.vote ? null : (this.host.session?.results(this.host.boardId) ?? null);
  }

  private get ballot(): MyBallot | null {
    const v = this.vote;
    return v ? (this.host.session?.ballot(v.id) ?? null) : null;
  }

  private coming(itemId?: string): number {
    const id = this.vote?.id;
    let n = 0;
    for (const p of this.#inFlight) if (p.voteId === id && !p.settled && (itemId === undefined || p.itemId === itemId)) n += p.delta;
    return n;
  }

  /** My votes on an item, with those on their way. */
  mine(itemId: string): number {
    return Math.max(0, (this.ballot?.mine[itemId] ?? 0) + this.coming(itemId));
  }

  /** My votes left, with those on their way. */
  get remaining(): number {
    const v = this.vote;
    if (!v) return 0;
    return Math.min(v.votesPerPerson, Math.max(0, (this.ballot?.remaining ?? v.votesPerPerson) - this.coming()));
  }

  /** The server's refusal of my last try on this item, if it refused. */
  error(itemId: string): string {
    const e = this.#errors[itemId];
    return e && e.voteId === this.vote?.id ? e.message : '';
  }

  /** The server's refusal of a vote tried just as its vote closed, beside that vote's results. */
  get lateRefusal(): string {
    return this.#late && this.#late.voteId === this.results?.voteId ? this.#late.message : '';
  }

  /** My ballot as the page shows it now, for the rules' own check. */
  private shown(): Ballot {
    const v = this.vote;
    const out: Record<string, number> = {};
    for (const id of v?.items ?? []) {
      const n = this.mine(id);
      if (n > 0) out[id] = n;
    }
    return out;
  }

  cast = (itemId: string, name: string): Promise<void> => this.change('vote.cast', itemId, name);
  retract = (itemId: string, name: string): Promise<void> => this.change('vote.retract', itemId, name);

  private async change(type: 'vote.cast' | 'vote.retract', itemId: string, name: string): Promise<void> {
    const vote = this.vote;
    if (!vote || !this.canVote) return;
    // Shown at once only when the rules say the server will take it; the refusal, when it
    // comes, is the server's own words.
    const allowed = type === 'vote.cast' ? cast(this.shown(), itemId, vote).ok : retract(this.shown(), itemId).ok;
    const n = ++this.sent;
    this.#inFlight.push({ n, voteId: vote.id, itemId, delta: allowed ? (type === 'vote.cast' ? 1 : -1) : 0, settled: false });
    if (this.#errors[itemId]) this.#errors = Object.fromEntries(Object.entries(this.#errors).filter(([id]) => id !== itemId));
    const result = await this.host.run({ type, voteId: vote.id, itemId });
    this.#inFlight = this.#inFlight.filter((p) => p.n !== n);
    if (!result.ok) {
      const refusal = { voteId: vote.id, message: result.error.message };
      this.#errors = { ...this.#errors, [itemId]: refusal };
      this.#late = this.vote?.id === vote.id ? null : refusal;
      return;
    }
    // A vote taken or moved: an earlier refusal elsewhere ("all your votes are used") may no longer hold.
    this.#errors = {};
    const now = mineWords(this.mine(itemId)) || 'none of your votes';
    const left = this.remaining;
    this.host.say(
      `${type === 'vote.cast' ? 'Vote given to' : 'Vote taken back from'} ${name}. It has ${now}. ${remainingWords(left)}.${left === 0 ? ` ${movingWords(vote.votesPerPerson)}` : ''}`
    );
  }
}
