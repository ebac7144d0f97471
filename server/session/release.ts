// When cards that must not be tied to a person reach the board: cards posted without a name, and
// drafts that arrive after the reveal (written offline during silent writing). Published the
// moment they arrive, such a card would appear a second after its writer's presence comes back,
// and anyone watching presence could tell who wrote it. So they wait for the board's next release
// moment, at least half a window after arriving, on a clock the same for every board (moments are
// multiples of the window on the server's clock, independent of anyone's arrival), and go on the
// board together, in random order, with one timestamp: the release moment. See "What the wire
// tells" in docs/API.md for exactly what an observer can and cannot infer.
import { randomInt } from 'node:crypto';
import type { Lane } from '../../src/lib/board/schema';
import type { BoardPeer } from './ports';

export interface ReleasedCard {
  lane: Lane;
  text: string;
  anonymous: boolean;
  /** A fixed id (revealed drafts: a retry must not duplicate); random when left out. */
  id?: string;
  /** Recorded for the facilitator's balance, for cards with a name only. */
  author?: string;
  /**
   * Put on the board only if no card with its id is there (a card posted without a name, sent
   * again after its answer was lost): the same post never makes a second card.
   */
  once?: true;
}

interface Batch {
  at: number;
  cards: ReleasedCard[];
  done: Promise<void>;
  /** Starts the write (at the release moment, or at once on shutdown). */
  start: () => void;
  timer?: NodeJS.Timeout;
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export class Release {
  private batches = new Map<string, Batch>();

  constructor(
    private boards: BoardPeer,
    /** LIMIT_RELEASE_WINDOW_MS; 0 writes at once (still shuffled and timestamped together). */
    private windowMs: number,
    private now: () => number = Date.now
  ) {}

  /** The release moment for something arriving now: a window multiple, at least half a window away. */
  momentFor(arrival: number): number {
    if (this.windowMs <= 0) return arrival;
    return Math.ceil((arrival + this.windowMs / 2) / this.windowMs) * this.windowMs;
  }

  /** Queues cards for the board's next release; resolves once they are on the board (durable). */
  enqueue(boardId: string, cards: ReleasedCard[]): Promise<void> {
    if (!cards.length) return Promise.resolve();
    const at = this.momentFor(this.now());
    const key = `${boardId}@${at}`;
    let batch = this.batches.get(key);
    if (!batch) {
      let start!: () => void;
      const ready = new Promise<void>((resolve) => (start = resolve));
      const created: Batch = {
        at,
        cards: [],
        done: ready.then(() => this.write(boardId, created)),
        start: () => {
          clearTimeout(created.timer);
          this.batches.delete(key);
          start();
        }
      };
      created.timer = setTimeout(created.start, Math.max(0, at - this.now()));
      batch = created;
      this.batches.set(key, created);
    }
    batch.cards.push(...cards);
    return batch.done;
  }

  /** Writes cards now, together: drafts.reveal, which is itself the release of everything held. */
  writeNow(boardId: string, cards: ReleasedCard[]): Promise<void> {
    if (!cards.length) return Promise.resolve();
    return this.write(boardId, { at: this.now(), cards, done: Promise.resolve(), start: () => undefined });
  }

  private async write(boardId: string, batch: Batch): Promise<void> {
    const createdAt = batch.at;
    await this.boards.edit(boardId, (board) => {
      for (const c of shuffle(batch.cards)) {
        if (c.once && c.id !== undefined && board.has(c.id)) continue;
        board.add({ lane: c.lane, text: c.text, anonymous: c.anonymous, id: c.id, author: c.author, createdAt });
      }
    });
  }

  /** Shutting down: what waits goes on the board now rather than never. */
  async close(): Promise<void> {
    const waiting = [...this.batches.values()];
    for (const b of waiting) b.start();
    await Promise.allSettled(waiting.map((b) => b.done));
  }
}
