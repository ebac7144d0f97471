// Invite links carry their token in the path (/j/<token>) and pages hold a session token in a
// cookie: neither may ever reach a log line. The production server runs as its own process at
// LOG_LEVEL=debug while people join by link and by code, open boards (token in the query and by
// cookie), send socket.io commands, open the invite page, leave, and send things that fail; then
// no token, cookie value or join code appears anywhere in what it wrote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { io as ioClient } from 'socket.io-client';
import { addCard } from '../../src/lib/board/schema';
import { tempDataDir } from '../helpers/server';
import { freePort, spawnServer, type ServerProcess } from '../helpers/process-server';
import {
  api,
  connectBoard,
  connectSession,
  createWorkshop,
  join,
  presentClient,
  presentConnected,
  presentTokenOf,
  tokenOf,
  type CreatedWorkshop
} from '../helpers/clients';

/** Posts a form as a browser on the same site would, without following the redirect. */
function postForm(base: string, path: string, fields: Record<string, string>, cookie = '') {
  return fetch(base + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: base, ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields).toString()
  });
}

/** The session cookie a response set, as `name=value` for the next request. */
function sessionCookie(res: Response, workshopId: string): { header: string; token: string } {
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`rt_session_${workshopId}=`)) ?? '';
  const token = decodeURIComponent(set.split(';')[0].split('=')[1] ?? '');
  return { header: `rt_session_${workshopId}=${token}; rt_here_${workshopId}=here`, token };
}

function openRaw(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('message', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
  });
}

describe('logs at LOG_LEVEL=debug', () => {
  let server: ServerProcess;
  let w: CreatedWorkshop;
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    server = await spawnServer(tempDataDir('roundtable-logs-'), await freePort(), { LOG_LEVEL: 'debug' });
    w = await createWorkshop(server.url, 'Logs workshop', 'What do the logs keep?');
    for (const [role, link] of Object.entries(w.links))
      secrets.set(role === 'present' ? 'present token' : `${role} invite token`, role === 'present' ? presentTokenOf(link) : tokenOf(link));
    secrets.set('join code', w.code);
  });
  afterAll(async () => {
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('never contain an invite token, a session token or the join code', async () => {
    const { url, wsUrl } = server;
    const boardId = w.boards[0].id;

    // Join by link: the name page, its data, and the form.
    const memberToken = tokenOf(w.links.member);
    expect((await fetch(`${url}/j/${memberToken}`)).status).toBe(200);
    expect((await fetch(`${url}/j/${memberToken}/__data.json`)).status).toBe(200);
    const joined = await postForm(url, `/j/${memberToken}`, { name: 'Sam' });
    expect(joined.status).toBe(303);
    const sam = sessionCookie(joined, w.id);
    secrets.set('session token (form join)', sam.token);

    // Join by code: the page, the form (which redirects to the invite link), the API.
    expect((await fetch(`${url}/join?code=${w.code}`)).status).toBe(200);
    const byCode = await postForm(url, '/join', { code: w.code });
    expect(byCode.status).toBe(303);
    expect(byCode.headers.get('location')).toBe(`/j/${memberToken}`);
    const coded = await api(url, '/api/join', { code: w.code.toLowerCase(), name: 'Cody' });
    expect(coded.status).toBe(200);
    secrets.set('session token (code join)', coded.body.sessionToken);
    const fac = await join(url, w.links.facilitator, 'Fatima');
    secrets.set('session token (facilitator)', fac.sessionToken);
    const dm = await join(url, w.links.decisionMaker, 'Dee');
    secrets.set('session token (decision maker)', dm.sessionToken);

    // Boards: the token in the query (scripts) and the cookie (pages); a malformed message and a
    // refused upgrade, which are logged at debug or refused.
    const board = connectBoard(wsUrl, boardId, coded.body.sessionToken);
    await board.synced;
    addCard(board.doc, 'questions', 'Who reads the logs?');
    const byCookie = await openRaw(`${wsUrl}/sync/${boardId}`, { cookie: sam.header, origin: url });
    byCookie.send(Buffer.from([0, 0, 255, 255, 255, 255, 15]));
    await new Promise((resolve) => byCookie.once('close', resolve));
    await expect(openRaw(`${wsUrl}/sync/${boardId}?token=${sam.token}`, { origin: 'http://elsewhere.test' })).rejects.toThrow(
      /refused 403/
    );
    await expect(openRaw(`${wsUrl}/sync/${boardId}?token=not-a-real-session-token-at-all`, {})).rejects.toThrow(/refused 401/);
    board.destroy();

    // socket.io: by token and by cookie; commands that work, and ones that are refused.
    const facSession = await connectSession(url, w.id, fac.sessionToken);
    expect((await facSession.run({ type: 'phase.go', index: 2 })).ok).toBe(true);
    expect((await facSession.run({ type: 'invite.renew', role: 'observer' })).ok).toBe(true);
    expect((await facSession.run({ type: 'nonsense' })).ok).toBe(false);
    const samSession = ioClient(url, {
      path: '/socket.io',
      auth: { workshopId: w.id },
      extraHeaders: { cookie: sam.header, origin: url },
      transports: ['websocket'],
      reconnection: false
    });
    await new Promise<void>((resolve, reject) => {
      samSession.once('connect', () => resolve());
      samSession.once('connect_error', reject);
    });
    const dmSession = await connectSession(url, w.id, dm.sessionToken);
    expect((await dmSession.run({ type: 'hand.raise' })).ok).toBe(true);
    expect(
      (await dmSession.run({ type: 'draft.save', boardId, draftId: 'd1', lane: 'problems', text: 'private words', anonymous: false })).ok
    ).toBe(true);
    expect((await dmSession.run({ type: 'card.addAnonymous', boardId, lane: 'solutions', text: 'no name' })).ok).toBe(false);
    await expect(connectSession(url, w.id, 'not-a-real-session-token-at-all')).rejects.toThrow();

    // The invite page, with every link on it (the renewed one too), by the facilitator's cookie.
    const facCookie = `rt_session_${w.id}=${fac.sessionToken}; rt_here_${w.id}=here`;
    const invite = await fetch(`${url}/w/${w.id}/invite`, { headers: { cookie: facCookie } });
    const invitePage = await invite.text();
    expect(invite.status).toBe(200);
    expect(invite.headers.get('cache-control')).toBe('no-store');
    expect(invitePage).toContain(memberToken);
    const renewed = /\/j\/([A-Za-z0-9_-]{20,100})/g;
    for (const [, token] of invitePage.matchAll(renewed)) secrets.set(`invite token on the invite page ${token.slice(0, 4)}`, token);
    expect((await fetch(`${url}/w/${w.id}/invite/__data.json`, { headers: { cookie: facCookie } })).status).toBe(200);
    expect((await fetch(`${url}/w/${w.id}`, { headers: { cookie: sam.header } })).status).toBe(200);
    expect((await fetch(`${url}/w/${w.id}/export.csv`, { headers: { cookie: facCookie } })).status).toBe(200);

    // Requests that fail on the invite page: a body a form action refuses (415), one it cannot
    // read (500). Both are logged, by the route's pattern, never its path.
    const asJson = await fetch(`${url}/j/${memberToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: '{}'
    });
    expect(asJson.status).toBe(415);
    const unreadable = await fetch(`${url}/j/${memberToken}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: url },
      body: 'name'
    });
    expect(unreadable.status).toBe(500);
    expect((await fetch(`${url}/j/${memberToken.slice(0, -2)}zz`)).status).toBe(200);

    // The present link: its page (which sets the cookie), the present view by that cookie, its
    // reading by Bearer, a present screen and its refused command, and a present link that does not work.
    const presentToken = presentTokenOf(w.links.present);
    const opened = await fetch(`${url}/p/${presentToken}`, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    const presentCookie = `rt_present_${w.id}=${presentToken}`;
    expect((await fetch(`${url}/w/${w.id}/present`, { headers: { cookie: presentCookie } })).status).toBe(200);
    expect((await fetch(`${url}/w/${w.id}/present/__data.json`, { headers: { cookie: presentCookie } })).status).toBe(200);
    const reading = await api(url, `/api/workshops/${w.id}/present`, undefined, { headers: { authorization: `Bearer ${presentToken}` } });
    expect(reading.status).toBe(200);
    const screen = await presentConnected(presentClient(url, w.id, { cookie: presentCookie }));
    expect((await screen.run({ type: 'phase.go', index: 1 })).ok).toBe(false);
    screen.close();
    expect((await fetch(`${url}/p/${presentToken.slice(0, -2)}zz`)).status).toBe(200);
    expect(
      (await fetch(`${url}/w/${w.id}/present`, { headers: { cookie: `rt_present_${w.id}=${presentToken.slice(0, -2)}zz` } })).status
    ).toBe(404);

    // Leaving: by the page's cookie, and by a script's Bearer token.
    const left = await fetch(`${url}/api/session/leave`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: sam.header, origin: url },
      body: JSON.stringify({ workshop: w.id })
    });
    expect(await left.json()).toEqual({ ended: true });
    expect(left.headers.getSetCookie().some((c) => c.startsWith(`rt_session_${w.id}=;`))).toBe(true);
    const leftByBearer = await fetch(`${url}/api/session/leave`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${coded.body.sessionToken}` },
      body: JSON.stringify({ workshop: w.id })
    });
    expect(await leftByBearer.json()).toEqual({ ended: true });
    expect(
      (await api(url, `/api/session?workshop=${w.id}`, undefined, { headers: { authorization: `Bearer ${coded.body.sessionToken}` } }))
        .status
    ).toBe(401);
    // A leave made offline (the page marked its companion cookie) ends the session on the next request.
    const offlineLeave = await fetch(`${url}/privacy`, {
      headers: { cookie: `rt_session_${w.id}=${dm.sessionToken}; rt_here_${w.id}=left` }
    });
    expect(offlineLeave.status).toBe(200);
    expect(
      (await api(url, `/api/session?workshop=${w.id}`, undefined, { headers: { authorization: `Bearer ${dm.sessionToken}` } })).status
    ).toBe(401);
    expect(
      (await api(url, `/api/session?workshop=${w.id}`, undefined, { headers: { authorization: `Bearer ${fac.sessionToken}` } })).status
    ).toBe(200);

    facSession.disconnect();
    dmSession.disconnect();
    samSession.disconnect();
    server.child.kill('SIGTERM');
    await server.exited;

    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.trim().startsWith('{'));
    const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string; route?: string });
    // The logs are really at debug, and the failures above were logged (by route).
    expect(logged.some((l) => l.level === 20)).toBe(true);
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'request refused', route: '/j/[token]' }));
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'request failed', route: '/j/[token]' }));
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'saving and shutting down' }));
    const output = server.output();
    for (const [what, secret] of secrets) {
      expect(secret.length, what).toBeGreaterThan(5);
      expect(output.includes(secret), `${what} in the server's output`).toBe(false);
      expect(output.includes(encodeURIComponent(secret)), `${what} (encoded) in the server's output`).toBe(false);
    }
  });
});
