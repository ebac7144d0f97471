// Browser only: the socket.io session for one workshop, as runes. Holds the public state
// (phases, timer, queue...), this person's role, the facilitator's view, their own votes in open
// votes and each board's latest vote results, the notices about this person's cards, agreed key
// points and consent rounds, the question with its glossary, and a clock offset so the timer shows
// server time on any device.
import { io, type Socket } from 'socket.io-client';
import type {
  AgreedVersion,
  CardNotice,
  ClientToServerEvents,
  ConsentAnswer,
  ConsentResults,
  Command,
  CommandResult,
  FacilitatorView,
  MyBallot,
  ParticipantInfo,
  PublicState,
  QuestionInfo,
  ServerToClientEvents,
  VoteResults
} from '$lib/protocol/session';

type SessionSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class SessionConnection {
  private socket: SessionSocket;
  #state = $state<PublicState | null>(null);
  #me = $state<ParticipantInfo | null>(null);
  #facilitator = $state<FacilitatorView | null>(null);
  /** My own votes, by vote id (only ever mine: the server sends nobody else's). */
  #ballots = $state<Record<string, MyBallot>>({});
  /** Each board's latest closed vote, by board id. */
  #results = $state<Record<string, VoteResults>>({});
  #notices = $state<CardNotice[]>([]);
  #connected = $state(false);
  #stopped = $state<string | null>(null);
  #offset = $state(0);
  /** Every agreed version of key points in the workshop (agreedKeyPoints), by board and number. */
  #agreed = $state<AgreedVersion[]>([]);
  /** Each board's latest consent results (consentResults). */
  #consentResults = $state<Record<string, ConsentResults>>({});
  /** This person's own answers in open consent rounds (consentMine), by round. */
  #myConsent = $state<Record<string, Record<string, ConsentAnswer>>>({});
  /** The question, its background and the glossary, as the server last said (on connect and after each change). */
  #question = $state<QuestionInfo | null>(null);
  #now = $state(Date.now());
  private ticker: ReturnType<typeof setInterval>;
  private draftListeners = new Set<(info: { held: string[]; revealed: string[] }) => void>();
  private connectListeners = new Set<() => void>();
  private ballotListeners = new Set<(ballot: MyBallot) => void>();

  constructor(workshopId: string, me: ParticipantInfo) {
    this.#me = me;
    this.socket = io({
      path: '/socket.io',
      auth: { workshopId },
      transports: ['websocket', 'polling'],
      // If a venue's proxy blocks WebSockets, fall back to long-polling.
      tryAllTransports: true,
      // Back off with jitter so a room of phones does not reconnect in lock step.
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5
    });
    this.socket.on('connect', () => {
      // No need to forget ballots here: on connect the server sends one for every open vote (empty
      // ones too), each replacing what we had, and a closed vote's is never read again.
      this.#connected = true;
      for (const l of this.connectListeners) l();
    });
    this.socket.on('disconnect', () => (this.#connected = false));
    this.socket.on('connect_error', (err: Error & { data?: { code?: string; message?: string } }) => {
      if (err.data?.code === 'not_signed_in') this.stop(err.data.message ?? 'You are not signed in to this workshop.');
    });
    this.socket.on('welcome', (w) => {
      this.#me = w.participant;
      this.#offset = w.serverTime - Date.now();
    });
    this.socket.on('state', (s) => {
      this.#offset = s.serverTime - Date.now();
      this.#state = s;
    });
    this.socket.on('facilitator', (v) => (this.#facilitator = v));
    this.socket.on('role', (p) => {
      this.#me = p;
      if (p.role !== 'facilitator') this.#facilitator = null;
    });
    this.socket.on('notices', ({ notices }) => (this.#notices = notices));
    this.socket.on('removed', ({ message }) => this.stop(message));
    this.socket.on('ballot', (ballot) => {
      this.#ballots = { ...this.#ballots, [ballot.voteId]: ballot };
      for (const l of this.ballotListeners) l(ballot);
    });
    this.socket.on('voteResults', (results) => {
      // A board keeps its latest results: a late copy of an older vote's (on connect) does not replace it.
      const had = this.#results[results.boardId];
      if (had && had.voteId !== results.voteId && had.closedAt > results.closedAt) return;
      this.#results = { ...this.#results, [results.boardId]: results };
      if (this.#ballots[results.voteId]) {
        const { [results.voteId]: _closed, ...rest } = this.#ballots;
        this.#ballots = rest;
      }
    });
    this.socket.on('agreedKeyPoints', (v) => {
      const others = this.#agreed.filter((a) => a.boardId !== v.boardId || a.number !== v.number);
      this.#agreed = [...others, v].sort((a, b) => (a.boardId < b.boardId ? -1 : a.boardId > b.boardId ? 1 : a.number - b.number));
    });
    this.socket.on('consentResults', (r) => {
      const before = this.#consentResults[r.boardId];
      if (!before || before.closedAt <= r.closedAt) this.#consentResults = { ...this.#consentResults, [r.boardId]: r };
    });
    this.socket.on('consentMine', (m) => (this.#myConsent = { ...this.#myConsent, [m.consentId]: m.answers }));
    this.socket.on('question', (q) => (this.#question = q));
    this.socket.on('drafts', (info) => {
      for (const l of this.draftListeners) l(info);
    });
    this.ticker = setInterval(() => (this.#now = Date.now()), 250);
    addEventListener('offline', this.onOffline);
    addEventListener('online', this.onOnline);
  }

  /**
   * The browser says the signal is gone: a socket that outlived the drop would look connected
   * until its pings time out (tens of seconds), and what is sent meanwhile would wait for an
   * answer that cannot come. So its transport is closed at once (socket.io keeps trying to
   * reconnect, with its backoff, in case no "online" event comes); things kept on the device wait.
   */
  private onOffline = () => {
    if (this.#stopped) return;
    this.socket.io.engine?.close();
    this.#connected = false;
  };

  /** Back online: connect at once rather than after the reconnection backoff. */
  private onOnline = () => {
    if (this.#stopped || this.socket.connected) return;
    this.socket.disconnect();
    this.socket.connect();
  };

  get state() {
    return this.#state;
  }
  get me() {
    return this.#me;
  }
  get facilitator() {
    return this.#facilitator;
  }
  /** My votes in an open vote, as the server last said (null before my first vote). */
  ballot(voteId: string): MyBallot | null {
    return this.#ballots[voteId] ?? null;
  }
  /** The latest closed vote's results on a board, if any. */
  results(boardId: string): VoteResults | null {
    return this.#results[boardId] ?? null;
  }
  /** What this person is told about their cards (removed by someone, hidden), until they dismiss it. */
  get notices() {
    return this.#notices;
  }
  get connected() {
    return this.#connected;
  }
  get agreed() {
    return this.#agreed;
  }
  get consentResults() {
    return this.#consentResults;
  }
  get myConsent() {
    return this.#myConsent;
  }
  get stopped() {
    return this.#stopped;
  }
  /** The question as the server last said, or null before it has (the page's own copy stands until then). */
  get question() {
    return this.#question;
  }
  /** The server's clock now, updated four times a second. */
  get serverNow() {
    return this.#now + this.#offset;
  }

  run(command: Command): Promise<CommandResult> {
    if (!this.#connected) {
      return Promise.resolve({ ok: false, error: { code: 'server_error', message: 'Not connected. Try again when you are back online.' } });
    }
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve({ ok: false, error: { code: 'server_error', message: 'The server did not answer. Try again.' } }),
        10_000
      );
      this.socket.emit('command', command, (result: CommandResult) => {
        clearTimeout(timer);
        resolve(result);
      });
    });
  }

  onDrafts(listener: (info: { held: string[]; revealed: string[] }) => void): () => void {
    this.draftListeners.add(listener);
    return () => this.draftListeners.delete(listener);
  }

  /** Each `ballot` the server sends (after each of my votes is saved, and on connect). */
  onBallot(listener: (ballot: MyBallot) => void): () => void {
    this.ballotListeners.add(listener);
    return () => this.ballotListeners.delete(listener);
  }

  onConnect(listener: () => void): () => void {
    this.connectListeners.add(listener);
    if (this.#connected) listener();
    return () => this.connectListeners.delete(listener);
  }

  private stop(message: string) {
    this.#stopped = message;
    this.socket.disconnect();
  }

  destroy() {
    clearInterval(this.ticker);
    removeEventListener('offline', this.onOffline);
    removeEventListener('online', this.onOnline);
    this.socket.disconnect();
  }
}
