// The present view (issue 12, item 3) on the real server: the present link opens one workshop's
// present view and reads what that screen shows, and nothing more (no command, no board, no
// briefing, no export, no other workshop); the screen updates live and names nobody; it counts as
// nobody; and renewing the link stops the screens opened with the old one. The rules have ids in
// docs/LIMITS.md ("The present view").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { COMMAND_TYPES } from '../../src/lib/protocol/commands';
import { qrDataUrl } from '../../src/lib/server/qr';
import { PRESENT_TEXT } from '../../server/present';
import { PRESENT_REFUSAL } from '../../server/session/index';
import type { PresentView } from '../../src/lib/protocol/session';
import {
  api,
  connectSession,
  createWorkshop,
  join,
  presentClient,
  presentConnected,
  presentTokenOf,
  type PresentClient
} from '../helpers/clients';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { freePort, spawnServer, type ServerProcess } from '../helpers/process-server';
import { workshopWith } from '../helpers/workshop';

describe('the present view', () => {
  let server: TestServer;
  const open: { close(): void }[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const c of open.splice(0)) c.close();
    await server?.close();
  });

  async function screen(workshopId: string, credentials: { token?: string; cookie?: string }): Promise<PresentClient> {
    const socket = presentClient(server.url, workshopId, credentials);
    open.push({ close: () => socket.close() });
    return presentConnected(socket);
  }

  /** A handshake that must be refused: its connect_error's code and message. */
  async function refusedScreen(workshopId: string, credentials: { token?: string; cookie?: string }) {
    const socket = presentClient(server.url, workshopId, credentials);
    open.push({ close: () => socket.close() });
    try {
      await presentConnected(socket);
      return { code: 'connected', message: '' };
    } catch (err) {
      const data = (err as { data?: { code: string; message: string } }).data;
      return { code: data?.code ?? 'no code', message: data?.message ?? '' };
    }
  }

  /** Cards written by the server's own peer. */
  const cards = (boardId: string, lane: 'questions' | 'problems' | 'solutions', texts: string[]) =>
    server.running.realtime.session.boards.edit(boardId, (b) => texts.map((text) => b.add({ lane, text })));

  it('[L-PRESENT-1] a new workshop answers links.present; the link sets a present cookie for its workshop and moves to its present view', async () => {
    const w = await createWorkshop(server.url, 'Probation forum', 'How do we design a service for people who do not use services?');
    expect(w.links.present).toMatch(new RegExp(`^${server.url}/p/[A-Za-z0-9_-]{43}$`));
    const token = presentTokenOf(w.links.present);
    expect(Object.values(w.links).filter((l) => l.endsWith(token))).toHaveLength(1);

    const res = await fetch(w.links.present, { redirect: 'manual' });
    expect(res.status).toBe(303);
    // The token leaves the address bar before the room sees the screen.
    expect(res.headers.get('location')).toBe(`/w/${w.id}/present`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`rt_present_${w.id}=`));
    expect(cookie).toBeDefined();
    expect(cookie).toContain(`rt_present_${w.id}=${token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    // A cookie for the browser's session only: gone when a venue's computer closes its browser.
    expect(cookie).not.toMatch(/Max-Age|Expires/i);

    // The same reading for scripts, with the token as Bearer.
    const json = await api(server.url, `/api/workshops/${w.id}/present`, undefined, { headers: { authorization: `Bearer ${token}` } });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ workshop: { title: 'Probation forum' }, ended: false, cards: 0 });
  });

  it('[L-PRESENT-2] shows the question, the code and the member link as a QR code, the step and the timer, who is here and the cards, and names nobody', async () => {
    const { w, boardId, facilitator, people } = await workshopWith(server, open, [
      { role: 'member', name: 'Marcus Quill' },
      { role: 'decisionMaker', name: 'Dana Vexley' }
    ]);
    await cards(boardId, 'questions', ['Who decides?', 'When does it open?']);
    const present = await screen(w.id, { token: presentTokenOf(w.links.present) });
    const view = await present.viewWhere((v) => v.cards === 2);
    expect(view).toMatchObject({
      workshop: { question: 'How can we help?' },
      join: { code: `${w.code.slice(0, 3)} ${w.code.slice(3)}`, address: `${server.url}/join`, qr: await qrDataUrl(w.links.member) },
      step: { number: 1, of: 8, title: 'Welcome' },
      timer: { kind: 'idle' },
      // Fay, Marcus and Dana: the screen itself is nobody.
      here: 3,
      cards: 2,
      spotlight: null,
      results: null,
      ended: false
    });

    // Everyone acts, in ways that name people elsewhere: a hand, a check-in with a name, the queue.
    expect(await facilitator.run({ type: 'round.open', kind: 'checkin', prompt: 'How are you?' })).toEqual({ ok: true });
    expect(await people[0].session.run({ type: 'round.answer', answerId: 'a1', text: 'Fine', emoji: null, anonymous: false })).toEqual({
      ok: true
    });
    expect(await people[1].session.run({ type: 'hand.raise' })).toEqual({ ok: true });
    expect(await facilitator.run({ type: 'timer.start', minutes: 3 })).toEqual({ ok: true });
    await present.viewWhere((v) => v.timer.kind === 'running');
    // What the screen heard: only present views, and no name or participant id in any of them.
    expect(new Set(present.heard.map((h) => h.event))).toEqual(new Set(['present']));
    const heard = JSON.stringify(present.heard);
    for (const secret of ['Marcus', 'Quill', 'Dana', 'Vexley', 'Fay', people[0].id, people[1].id, 'Fine']) {
      expect(heard).not.toContain(secret);
    }
  });

  it('[L-PRESENT-3] updates live when the facilitator moves step, starts the timer, spotlights a card (and it is edited) or a list, and when cards come', async () => {
    const { w, boardId, facilitator } = await workshopWith(server, open, [{ role: 'member', name: 'Mo' }]);
    const present = await screen(w.id, { token: presentTokenOf(w.links.present) });
    await present.viewWhere((v) => v.step.number === 1);

    expect(await facilitator.run({ type: 'phase.go', index: 4 })).toEqual({ ok: true });
    expect((await present.viewWhere((v) => v.step.number === 5)).step).toEqual({
      number: 5,
      of: 8,
      title: 'Discuss',
      help: 'Talk about the cards. Raise your hand to speak.'
    });

    expect(await facilitator.run({ type: 'timer.start', minutes: 2 })).toEqual({ ok: true });
    const running = await present.viewWhere((v) => v.timer.kind === 'running');
    expect(running.timer.kind === 'running' && running.timer.endsAt - running.serverTime).toBeGreaterThan(110_000);

    const [card] = await cards(boardId, 'solutions', ['An evening minibus']);
    await present.viewWhere((v) => v.cards === 1);
    expect(await facilitator.run({ type: 'spotlight.set', target: { kind: 'card', boardId, cardId: card } })).toEqual({ ok: true });
    expect((await present.viewWhere((v) => v.spotlight !== null)).spotlight).toEqual({
      kind: 'card',
      lane: 'solutions',
      text: 'An evening minibus'
    });
    // The card is edited on the board: the screen shows its words as they are.
    await server.running.realtime.session.boards.edit(boardId, (b) => b.card(card)?.text.insert(20, ' on Fridays'));
    await present.viewWhere((v) => v.spotlight?.kind === 'card' && v.spotlight.text === 'An evening minibus on Fridays');

    expect(await facilitator.run({ type: 'spotlight.set', target: { kind: 'lane', boardId, lane: 'solutions' } })).toEqual({ ok: true });
    expect((await present.viewWhere((v) => v.spotlight?.kind === 'lane')).spotlight).toEqual({ kind: 'lane', lane: 'solutions', cards: 1 });
    // A new step clears the spotlight, on the screen as on the board.
    expect(await facilitator.run({ type: 'phase.go', index: 5 })).toEqual({ ok: true });
    await present.viewWhere((v) => v.spotlight === null && v.step.number === 6);

    // A new member link (and so a new QR code) reaches the screen too.
    const before = present.latest()!.join!.qr;
    expect(await facilitator.run({ type: 'invite.renew', role: 'member' })).toEqual({ ok: true });
    await present.viewWhere((v) => v.join !== null && v.join.qr !== before);
  });

  it("[L-PRESENT-4] shows a closed vote's results when the facilitator chooses, as everyone sees them: a group of fewer than 3 never on its own", async () => {
    const { w, boardId, facilitator, people } = await workshopWith(server, open, [
      { role: 'member', name: 'Ann' },
      { role: 'member', name: 'Ben' },
      { role: 'member', name: 'Cal' },
      { role: 'decisionMaker', name: 'Dee' }
    ]);
    const [bus, forms] = await cards(boardId, 'solutions', ['Evening minibus', 'Forms in plain words']);
    const present = await screen(w.id, { token: presentTokenOf(w.links.present) });
    const opened = await facilitator.run({ type: 'vote.open', boardId, on: { kind: 'cards', lanes: ['solutions'] } });
    if (!opened.ok) throw new Error(opened.error.message);
    // While it is open, nothing of it may be shown.
    expect(await facilitator.run({ type: 'present.show', target: { kind: 'vote', voteId: opened.voteId } })).toEqual({
      ok: false,
      error: { code: 'not_allowed_now', message: expect.stringMatching(/^This vote is still open/) }
    });
    for (const p of people.slice(0, 3))
      expect(await p.session.run({ type: 'vote.cast', voteId: opened.voteId, itemId: bus })).toEqual({ ok: true });
    expect(await people[3].session.run({ type: 'vote.cast', voteId: opened.voteId, itemId: forms })).toEqual({ ok: true });
    expect(await facilitator.run({ type: 'vote.close', voteId: opened.voteId })).toEqual({ ok: true });
    expect(present.latest()?.results).toBeNull();

    expect(await facilitator.run({ type: 'present.show', target: { kind: 'vote', voteId: opened.voteId } })).toEqual({ ok: true });
    const shown = (await present.viewWhere((v) => v.results !== null)).results!;
    expect(shown.voteId).toBe(opened.voteId);
    expect(shown.voters).toBe(4);
    expect(shown.groups.find((g) => g.role === 'decisionMaker')).toMatchObject({ voters: 1, shown: 'fewer-than-3' });
    // The lone decision maker's vote is in no cell of its own, and members are not shown apart
    // either (so it cannot be worked out as the total minus the members).
    for (const row of shown.rows) expect(row.byGroup.decisionMaker).toBeNull();
    expect(shown.rows.map((r) => r.total)).toEqual([3, 1]);
    // The same results as everyone's, to the byte.
    const everyone = facilitator.heard.filter((h) => h.event === 'voteResults').map((h) => h.args[0]);
    expect(everyone.at(-1)).toEqual(shown);
    expect((await facilitator.stateWhere((s) => s.onScreen !== null)).onScreen).toEqual({ kind: 'vote', voteId: opened.voteId });

    // A spotlight chosen after takes its place; showing the results again brings them back; null stops.
    expect(await facilitator.run({ type: 'spotlight.set', target: { kind: 'card', boardId, cardId: bus } })).toEqual({ ok: true });
    await present.viewWhere((v) => v.results === null && v.spotlight?.kind === 'card');
    expect(await facilitator.run({ type: 'present.show', target: { kind: 'vote', voteId: opened.voteId } })).toEqual({ ok: true });
    await present.viewWhere((v) => v.results !== null);
    expect(await facilitator.run({ type: 'present.show', target: null })).toEqual({ ok: true });
    await present.viewWhere((v) => v.results === null);

    // Another workshop's vote is an unknown vote, and shows nothing.
    const other = await workshopWith(server, open, []);
    expect(await other.facilitator.run({ type: 'present.show', target: { kind: 'vote', voteId: opened.voteId } })).toEqual({
      ok: false,
      error: { code: 'invalid_payload', message: 'There is no such vote in this workshop.' }
    });
  });

  it('[L-PRESENT-5] a present screen sends nothing: every command and event is refused, to it alone, and the workshop is unchanged', async () => {
    const { w, boardId, facilitator } = await workshopWith(server, open, [{ role: 'member', name: 'Mo' }]);
    const present = await screen(w.id, { token: presentTokenOf(w.links.present) });
    await present.viewWhere(() => true);
    const before = JSON.stringify(await server.running.realtime.store.facilitation.get(w.id));
    const heardBefore = facilitator.heard.length;
    const refusal = { ok: false, error: { code: 'forbidden', message: PRESENT_REFUSAL } };
    // A screen is held to the commands' rate limit too: a rate-limited answer is sent again after a pause.
    const send = async (command: Record<string, unknown>) => {
      for (;;) {
        const result = await present.run(command);
        if (result.ok || result.error.code !== 'rate_limited') return result;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    for (const type of COMMAND_TYPES) {
      // Well formed or not: a screen's command is refused before anything reads it.
      expect(await send({ type }), type).toEqual(refusal);
    }
    expect(await send({ type: 'phase.go', index: 3 })).toEqual(refusal);
    expect(await send({ type: 'spotlight.set', target: { kind: 'lane', boardId, lane: 'questions' } })).toEqual(refusal);
    expect(await send({ type: 'workshop.delete' })).toEqual(refusal);
    const refused = new Promise<{ code: string }>((resolve) => present.once('refused', resolve));
    (present as unknown as { emit(event: string): void }).emit('launchMissiles');
    expect(await refused).toMatchObject({ code: 'unknown_command' });
    expect(JSON.stringify(await server.running.realtime.store.facilitation.get(w.id))).toBe(before);
    expect((await api(server.url, `/api/session?workshop=${w.id}`)).status).toBe(401);
    // Nobody else heard anything of it.
    expect(facilitator.heard.slice(heardBefore).filter((h) => h.event === 'refused' || h.event === 'state')).toEqual([]);
  });

  it('[L-PRESENT-6] the present link opens no board, no briefing, no export, no session, and nothing of another workshop', async () => {
    const a = await createWorkshop(server.url, 'Workshop A');
    const b = await createWorkshop(server.url, 'Workshop B');
    const token = presentTokenOf(a.links.present);
    const bearer = { authorization: `Bearer ${token}` };
    const cookie = { cookie: `rt_present_${a.id}=${token}; rt_session_${a.id}=${token}` };
    for (const headers of [bearer, cookie]) {
      for (const format of ['json', 'html', 'pdf', 'md', 'csv']) {
        const res = await fetch(`${server.url}/api/workshops/${a.id}/briefing.${format}`, { headers });
        expect(res.status, `briefing.${format}`).toBe(401);
      }
      expect((await fetch(`${server.url}/api/workshops/${a.id}/keypoints`, { headers })).status).toBe(401);
      expect((await fetch(`${server.url}/api/session?workshop=${a.id}`, { headers })).status).toBe(401);
      expect((await fetch(`${server.url}/w/${a.id}/export.csv`, { headers })).status).toBe(404);
      expect((await fetch(`${server.url}/api/workshops/${a.id}`, { method: 'DELETE', headers })).status).toBe(401);
      // Another workshop's present view.
      expect((await fetch(`${server.url}/api/workshops/${b.id}/present`, { headers })).status).toBe(401);
    }
    // Not a join either: a present token is no invite.
    expect((await api(server.url, '/api/join', { token, name: 'Sneaky' })).status).toBe(404);
    // No board, by token or by cookie.
    for (const [query, headers] of [
      [`?token=${token}`, {}],
      ['', { cookie: `rt_present_${a.id}=${token}` }]
    ] as const) {
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.wsUrl}/sync/${a.boards[0].id}${query}`, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => resolve(0));
      });
      expect(status).toBe(401);
    }
    // No participant session, and no present screen of another workshop.
    await expect(connectSession(server.url, a.id, token)).rejects.toMatchObject({ data: { code: 'not_signed_in' } });
    expect(await refusedScreen(b.id, { token })).toMatchObject({ code: 'not_signed_in' });
    expect(await refusedScreen(b.id, { cookie: `rt_present_${b.id}=${token}` })).toMatchObject({ code: 'not_signed_in' });
    // And an invite link is no present link.
    const invite = a.links.member.split('/j/')[1];
    expect(await refusedScreen(a.id, { token: invite })).toMatchObject({ code: 'not_signed_in' });
    expect((await fetch(`${server.url}/p/${invite}`, { redirect: 'manual' })).status).toBe(200);
  });

  it('[L-PRESENT-7] a present screen is nobody: not in presence, the roster, turnout or the counts', async () => {
    const { w, boardId, fac, facilitator } = await workshopWith(server, open, [{ role: 'member', name: 'Mo' }]);
    const present = await screen(w.id, { token: presentTokenOf(w.links.present) });
    // A facilitator's own present view, opened with their session, is nobody more either.
    const own = await screen(w.id, { token: fac.sessionToken });
    await present.viewWhere(() => true);
    await own.viewWhere(() => true);
    expect(present.latest()?.here).toBe(2);
    expect(server.running.realtime.session.notifier()?.online(w.id)).toEqual(new Set([fac.participant.id, expect.any(String)]));
    expect(await facilitator.run({ type: 'facilitator.refresh' })).toEqual({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const view = facilitator.heard.filter((h) => h.event === 'facilitator').at(-1)?.args[0] as { roster: unknown[] };
    expect(view.roster).toHaveLength(2);
    await cards(boardId, 'solutions', ['One']);
    const opened = await facilitator.run({ type: 'vote.open', boardId, on: { kind: 'cards' } });
    if (!opened.ok) throw new Error(opened.error.message);
    const state = await facilitator.stateWhere((s) => s.votes.length === 1);
    expect(state.votes[0].turnout.map((t) => [t.role, t.eligible])).toEqual([
      ['member', 1],
      ['decisionMaker', 0],
      ['facilitator', 1]
    ]);
    expect((await server.running.realtime.store.people.list(w.id)).map((p) => p.name).sort()).toEqual(['Fay', 'Mo']);
  });

  it('[L-PRESENT-8] renewing the present link stops the screens opened with the old one, which no longer works; a facilitator keeps their own', async () => {
    const { w, fac, facilitator } = await workshopWith(server, open, []);
    const old = presentTokenOf(w.links.present);
    const present = await screen(w.id, { token: old });
    const own = await screen(w.id, { token: fac.sessionToken });
    await present.viewWhere(() => true);
    const told = new Promise<{ message: string }>((resolve) => present.once('removed', resolve));
    const closed = new Promise<void>((resolve) => present.once('disconnect', () => resolve()));
    expect(await facilitator.run({ type: 'invite.renew', role: 'present' })).toEqual({ ok: true });
    expect((await told).message).toBe(PRESENT_TEXT.replaced);
    await closed;
    expect(own.connected).toBe(true);

    // The old link: a plain page, no cookie, no screen, no reading.
    const page = await fetch(`${server.url}/p/${old}`, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('This present link has been replaced');
    expect(page.headers.getSetCookie().some((c) => c.startsWith('rt_present_'))).toBe(false);
    expect(await refusedScreen(w.id, { token: old })).toEqual({ code: 'not_signed_in', message: PRESENT_TEXT.replaced });
    // The new one is in the facilitators' view and on the invite page's data, and works.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const links = (facilitator.heard.filter((h) => h.event === 'facilitator').at(-1)?.args[0] as { links: Record<string, string> }).links;
    expect(links.present).toMatch(/\/p\/[A-Za-z0-9_-]{43}$/);
    expect(links.present).not.toContain(old);
    await (await screen(w.id, { token: presentTokenOf(links.present) })).viewWhere(() => true);
  });

  it('[L-PRESENT-9] only facilitators open it with a session; one who stops being a facilitator, or is removed, loses it', async () => {
    const { w, facilitator, people } = await workshopWith(server, open, [
      { role: 'member', name: 'Mo' },
      { role: 'observer', name: 'Oli' }
    ]);
    for (const p of people) {
      expect(await refusedScreen(w.id, { token: p.token })).toEqual({ code: 'not_signed_in', message: PRESENT_TEXT.notFacilitator });
      const res = await fetch(`${server.url}/api/workshops/${w.id}/present`, { headers: { authorization: `Bearer ${p.token}` } });
      expect(res.status).toBe(403);
      expect((await res.json()).error).toEqual({ code: 'forbidden', message: PRESENT_TEXT.notFacilitator });
    }
    const kit = await join(server.url, w.links.facilitator, 'Kit');
    const kitsScreen = await screen(w.id, { token: kit.sessionToken });
    const told = new Promise<{ message: string }>((resolve) => kitsScreen.once('removed', resolve));
    expect(await facilitator.run({ type: 'participant.setRole', participantId: kit.participant.id, role: 'member' })).toEqual({ ok: true });
    expect((await told).message).toBe(PRESENT_TEXT.notFacilitator);

    const rue = await join(server.url, w.links.facilitator, 'Rue');
    const ruesScreen = await screen(w.id, { token: rue.sessionToken });
    const gone = new Promise<void>((resolve) => ruesScreen.once('disconnect', () => resolve()));
    expect(await facilitator.run({ type: 'participant.remove', participantId: rue.participant.id })).toEqual({ ok: true });
    await gone;
    expect(await refusedScreen(w.id, { token: rue.sessionToken })).toMatchObject({ code: 'not_signed_in' });
  });

  it('[L-PRESENT-10] says when the workshop has ended (no way to join shown), and stops when it is deleted', async () => {
    const { w, facilitator } = await workshopWith(server, open, [{ role: 'member', name: 'Mo' }]);
    const present = await screen(w.id, { token: presentTokenOf(w.links.present) });
    await present.viewWhere((v) => v.join !== null);
    expect(await facilitator.run({ type: 'workshop.end' })).toEqual({ ok: true });
    const ended: PresentView = await present.viewWhere((v) => v.ended);
    expect(ended.join).toBeNull();
    expect(ended.timer.kind).toBe('idle');
    expect(await facilitator.run({ type: 'present.show', target: null })).toMatchObject({ ok: false, error: { code: 'not_allowed_now' } });

    const told = new Promise<{ message: string }>((resolve) => present.once('removed', resolve));
    expect(await facilitator.run({ type: 'workshop.delete' })).toEqual({ ok: true });
    expect((await told).message).toBe('The facilitator has deleted this workshop and everything in it.');
    const res = await fetch(w.links.present, { redirect: 'manual' });
    expect(await res.text()).toContain('This present link does not work');
    expect(await server.running.realtime.store.present.byToken(presentTokenOf(w.links.present))).toBeNull();
  });

  it('[L-PRESENT-11] a present link keeps working after a restart, and a workshop from before present links gets one', async () => {
    const w = await createWorkshop(server.url, 'Kept');
    await server.restart();
    const present = await screen(w.id, { token: presentTokenOf(w.links.present) });
    expect((await present.viewWhere(() => true)).workshop.title).toBe('Kept');
    // A workshop made before migration 11 has no present link: the first ask for one makes it, once.
    const store = server.running.realtime.store;
    const app = server.running.realtime.app;
    const older = await createWorkshop(server.url, 'Older');
    await store.present.replace({ token: 'x'.repeat(43), workshopId: older.id, createdAt: 1, revokedAt: null });
    // (turn that off too, so the workshop has no working link, as one from before)
    await store.present.replace({ token: 'y'.repeat(43), workshopId: older.id, createdAt: 2, revokedAt: 2 });
    expect(await store.present.current(older.id)).toBeNull();
    const made = await app.presentToken(older.id);
    expect(made).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await app.presentToken(older.id)).toBe(made);
  });
});

// The page itself goes to the server run as its own process (node dist/server.js): inside vitest,
// the in-process server's page chunks that import rune classes (*.svelte.js) are compiled again by
// Vite's Svelte plugin and answer 500 (see tests/integration/permissions.test.ts).
describe('the present page', () => {
  let proc: ServerProcess;
  beforeAll(async () => {
    proc = await spawnServer(tempDataDir(), await freePort());
  });
  afterAll(async () => {
    proc?.child.kill('SIGTERM');
    await proc?.exited;
  });

  it('[L-PRESENT-1, L-PRESENT-8] shows the question and the code to a screen with the present cookie; a cookie whose link was replaced is deleted', async () => {
    const w = await createWorkshop(proc.url, 'Probation forum', 'How do we design a service for people who do not use services?');
    const token = presentTokenOf(w.links.present);
    const page = await fetch(`${proc.url}/w/${w.id}/present`, { headers: { cookie: `rt_present_${w.id}=${token}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('How do we design a service for people who do not use services?');
    expect(html).toContain(`${w.code.slice(0, 3)} ${w.code.slice(3)}`);
    expect(html).toContain('data:image/svg+xml;base64,');

    const fac = await join(proc.url, w.links.facilitator, 'Fay');
    const session = await connectSession(proc.url, w.id, fac.sessionToken);
    expect(await session.run({ type: 'invite.renew', role: 'present' })).toEqual({ ok: true });
    session.disconnect();
    const stale = await fetch(`${proc.url}/w/${w.id}/present`, { headers: { cookie: `rt_present_${w.id}=${token}` } });
    expect(stale.status).toBe(404);
    expect(await stale.text()).toContain('This present link has been replaced by a new one.');
    expect(stale.headers.getSetCookie().some((c) => c.startsWith(`rt_present_${w.id}=;`))).toBe(true);
    // A facilitator opens it with their own session.
    const own = await fetch(`${proc.url}/w/${w.id}/present`, { headers: { cookie: `rt_session_${w.id}=${fac.sessionToken}` } });
    expect(own.status).toBe(200);
  });
});
