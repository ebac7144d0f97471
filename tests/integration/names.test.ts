// Names that impersonate (issue 15, item 4; issue 11, item 4), through the real server and real
// HTTP: POST /api/join refuses a name that matches someone present (exactly, or as a look-alike),
// with a kind suggestion, and the facilitator's role word, with 400 invalid_input on the field
// "name"; it accepts ordinary names and the facilitator's own "Facilitator" (what the landing page
// sends when the creator leaves the name empty).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAME_MESSAGES } from '../../src/lib/domain/names';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { freePort, spawnServer, type ServerProcess } from '../helpers/process-server';
import { api, connectSession, createWorkshop, join, tokenOf, type CreatedWorkshop } from '../helpers/clients';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

const joinAs = (link: string, name: string) => api(server.url, '/api/join', { token: tokenOf(link), name });

function expectRefused(res: { status: number; body: any }, message: string): void {
  expect(res.status).toBe(400);
  expect(res.body).toEqual({ error: { code: 'invalid_input', message, field: 'name' } });
}

describe('POST /api/join and names that impersonate', () => {
  let w: CreatedWorkshop;
  let facilitator: Awaited<ReturnType<typeof join>>;

  beforeAll(async () => {
    w = await createWorkshop(server.url);
    facilitator = await join(server.url, w.links.facilitator, 'Facilitator');
    await join(server.url, w.links.member, 'Sam');
  });

  it('lets the facilitator be called "Facilitator"', () => {
    expect(facilitator.participant).toMatchObject({ name: 'Facilitator', role: 'facilitator' });
  });

  it('refuses a look-alike of someone present, suggesting a name', async () => {
    for (const name of ['S\u0430m' /* Cyrillic а */, 'SAM', 'Sarn']) {
      expectRefused(await joinAs(w.links.member, name), NAME_MESSAGES.taken('Sam', [`${name} B`, `${name} 2`]));
    }
    // By a typed code too, and for every role.
    expectRefused(
      await api(server.url, '/api/join', { code: w.code, name: 'S\u0430m' }),
      NAME_MESSAGES.taken('Sam', ['S\u0430m B', 'S\u0430m 2'])
    );
    expectRefused(await joinAs(w.links.observer, 'Sám'), NAME_MESSAGES.taken('Sam', ['Sám B', 'Sám 2']));
  });

  it('refuses exactly the same name as someone present, with a kind suggestion (issue 11, item 4)', async () => {
    expectRefused(await joinAs(w.links.member, 'Sam'), 'Someone here is already called Sam. You could be Sam B or Sam 2');
    expect((await joinAs(w.links.member, 'Sam B')).status).toBe(200);
    expectRefused(await joinAs(w.links.decisionMaker, 'Sam'), NAME_MESSAGES.taken('Sam', ['Sam C', 'Sam 2']));
    // Not even a second facilitator takes the first one's name.
    expectRefused(await joinAs(w.links.facilitator, 'Facilitator'), NAME_MESSAGES.taken('Facilitator', ['Facilitator B', 'Facilitator 2']));
  });

  it('gives a name back once its person has left on their device: coming back as "Marcus" after "Leave" works', async () => {
    const marcus = await join(server.url, w.links.member, 'Marcus');
    expectRefused(await joinAs(w.links.member, 'Marcus'), NAME_MESSAGES.taken('Marcus', ['Marcus B', 'Marcus 2']));
    const left = await api(
      server.url,
      '/api/session/leave',
      { workshop: w.id },
      { headers: { 'content-type': 'application/json', authorization: `Bearer ${marcus.sessionToken}` } }
    );
    expect(left).toEqual({ status: 200, body: { ended: true } });
    const back = await joinAs(w.links.member, 'Marcus');
    expect(back.status).toBe(200);
    expect(back.body.participant).toMatchObject({ name: 'Marcus', role: 'member' });
  });

  it('refuses "Fran (facilitator)" and other role labels in a name to anyone whose role it is not', async () => {
    for (const role of ['member', 'decisionMaker', 'observer'] as const) {
      expectRefused(await joinAs(w.links[role], 'Fran (facilitator)'), NAME_MESSAGES.keptWord('facilitator', 'Facilitator'));
    }
    expectRefused(await joinAs(w.links.member, 'Fran (observer)'), NAME_MESSAGES.roleInName);
  });

  it('refuses the role word and its look-alikes to anyone but a facilitator', async () => {
    const kept = 'That name is kept for the facilitator. Choose another name';
    for (const name of ['Facilitator', 'FACILITATOR', 'Fac\u200Bilitator', 'F\u0430cilit\u0430tor', 'Ｆａｃｉｌｉｔａｔｏｒ', 'Host']) {
      expectRefused(await joinAs(w.links.member, name), kept);
    }
    expectRefused(await joinAs(w.links.decisionMaker, 'Facilitator'), kept);
    // A second facilitator may use the role's words.
    expect((await joinAs(w.links.facilitator, 'Facilitator Two')).status).toBe(200);
  });

  it('accepts a normal name, and stores names normalised', async () => {
    const priya = await joinAs(w.links.member, 'Priya');
    expect(priya.status).toBe(200);
    expect(priya.body.participant).toMatchObject({ name: 'Priya', role: 'member' });

    // The override is removed, so the name is stored as it really reads.
    const rlo = await joinAs(w.links.member, '\u202Erotatilicaf');
    expect(rlo.status).toBe(200);
    expect(rlo.body.participant.name).toBe('rotatilicaf');

    for (const name of ['محمد', '李雷', 'Zoë 👋']) {
      const res = await joinAs(w.links.member, name);
      expect(res.status, name).toBe(200);
      expect(res.body.participant.name).toBe(name);
    }
  });

  it('compares with the people still in the workshop only', async () => {
    const other = await createWorkshop(server.url);
    const fac = await join(server.url, other.links.facilitator, 'Fay');
    const lou = await join(server.url, other.links.member, 'Lou');
    expectRefused(await joinAs(other.links.member, 'L0u'), NAME_MESSAGES.taken('Lou', ['L0u B', 'L0u 2']));

    const session = await connectSession(server.url, other.id, fac.sessionToken);
    try {
      expect(await session.run({ type: 'participant.remove', participantId: lou.participant.id })).toEqual({ ok: true });
    } finally {
      session.disconnect();
    }
    const res = await joinAs(other.links.member, 'L0u');
    expect(res.status).toBe(200);
    expect(res.body.participant.name).toBe('L0u');
  });
});

// The pages are checked against the server run as its own process (node dist/server.js): inside
// vitest, the in-process server's page chunks (named *.svelte.js) are picked up by Vite's Svelte
// plugin again and fail to render, whatever the page.
describe('the pages', () => {
  let proc: ServerProcess;
  let dataDir: string;
  const form = (path: string, fields: Record<string, string>) =>
    fetch(proc.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: proc.url, accept: 'text/html' },
      body: new URLSearchParams(fields),
      redirect: 'manual'
    });
  const create = (name: string) => form('/?/create', { title: 'Bus routes', question: 'What would help?', name });

  beforeAll(async () => {
    dataDir = tempDataDir();
    proc = await spawnServer(dataDir, await freePort());
  });

  afterAll(async () => {
    if (!proc) return;
    proc.child.kill('SIGTERM');
    await proc.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('the landing page names the creator "Facilitator" when they leave the name empty, and lets them choose it', async () => {
    for (const name of ['', '\u200B', 'Facilitator', 'Host']) {
      const res = await create(name);
      expect(res.status, JSON.stringify(name)).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/w\/[^/]+\/invite\?new=1$/);
    }
  });

  it('the landing page refuses a name kept for Roundtable itself, with the other fields', async () => {
    const res = await create('Roundtable');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('There is a problem');
    expect(html).toContain('<a href="#name">That name is kept for Roundtable itself. Choose another name</a>');
  });

  it('the join page shows a refusal in its error summary and on the field', async () => {
    const w = await createWorkshop(proc.url);
    await join(proc.url, w.links.member, 'Sam');
    const res = await form(`/j/${tokenOf(w.links.member)}`, { name: 'S\u0430m' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/<title>Error: /);
    expect(html).toContain('There is a problem');
    const message = NAME_MESSAGES.taken('Sam', ['S\u0430m B', 'S\u0430m 2']);
    expect(html).toContain(`<a href="#name">${message}</a>`);
    expect(html).toMatch(new RegExp(`id="name-error"[^>]*>.*${message}`, 's'));
    expect(html).toMatch(/<input[^>]*id="name"[^>]*aria-invalid="true"/);
  });
});
