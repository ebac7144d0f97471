// Defects in how a client's address is found behind a trusted reverse proxy (TRUST_PROXY=1). The
// rule expected after the fix, everywhere (code guesses, workshop creation, failed upgrades on
// /sync): the client's address is the LAST entry of X-Forwarded-For, the one the proxy appended
// itself. Entries before it were sent by the client and can say anything.
//
// Every server in this file runs with TRUST_PROXY=1 (set in process.env for the whole file, as the
// code reads it from there, and given to startTestServer too), so a fix that configures the
// SvelteKit handler once, when it is first imported, is covered as well.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../helpers/server';
import type { CreatedWorkshop } from '../helpers/clients';

const savedTrustProxy = process.env.TRUST_PROXY;
process.env.TRUST_PROXY = '1';
afterAll(() => {
  if (savedTrustProxy === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = savedTrustProxy;
});

/** One server per describe, never two at once (the SvelteKit handler finds its services through a process-wide registry). */
function serverFor(env: Record<string, string>): { readonly current: TestServer } {
  const ref = { current: null as unknown as TestServer };
  beforeAll(async () => {
    ref.current = await startTestServer({ env: { TRUST_PROXY: '1', ...env } });
  });
  afterAll(async () => {
    await ref.current?.close();
  });
  return ref;
}

/** A POST as the proxy forwards it: X-Forwarded-For as given. */
async function post(server: TestServer, path: string, body: unknown, forwardedFor: string): Promise<{ status: number; body: any }> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify(body)
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

async function createFrom(server: TestServer, forwardedFor: string): Promise<{ status: number; body: any }> {
  return post(server, '/api/workshops', { title: 'Behind the proxy', question: 'Who is asking?' }, forwardedFor);
}

/** What a client might put in front of the proxy's own entry. */
const forged = (i: number) => `198.51.100.${(i % 250) + 1}`;

/** Tries a WebSocket upgrade and reports the HTTP status (101 when it opened). */
function upgrade(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('error', () => resolve(0));
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
  });
}

describe('behind a trusted proxy: wrong join codes', () => {
  const s = serverFor({ LIMIT_CODE_GUESSES: '3' });

  it('rate-limits wrong codes per client address (the last X-Forwarded-For entry), not for everyone behind the proxy', async () => {
    const server = s.current;
    const created = await createFrom(server, '203.0.113.50');
    expect(created.status).toBe(201);
    const workshop = created.body as CreatedWorkshop;
    const wrong = workshop.code === 'ZZZ222' ? 'ZZZ223' : 'ZZZ222';

    // One client, whatever it writes before the proxy's entry, uses up its own guesses...
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await post(server, '/api/join', { code: wrong, name: 'Guesser' }, `${forged(i)}, 203.0.113.1`)).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
    expect((await post(server, '/api/join', { code: workshop.code, name: 'Guesser' }, `${forged(9)}, 203.0.113.1`)).status).toBe(429);

    // ...and someone else behind the same proxy still gets honest answers.
    const other = await post(server, '/api/join', { code: wrong, name: 'Typo' }, '203.0.113.2');
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('unknown_code');
    const right = await post(server, '/api/join', { code: workshop.code, name: 'On time' }, '203.0.113.2');
    expect(right.status).toBe(200);
    expect(right.body.workshopId).toBe(workshop.id);
  });
});

describe('behind a trusted proxy: workshop creation', () => {
  const s = serverFor({ LIMIT_CREATE_PER_HOUR: '2' });

  it('limits workshop creation per client address (the last X-Forwarded-For entry), not for everyone behind the proxy', async () => {
    const server = s.current;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await createFrom(server, `${forged(i)}, 203.0.113.1`)).status);
    expect(statuses).toEqual([201, 201, 429]);
    const other = await createFrom(server, '203.0.113.2');
    expect(other.status).toBe(201);
  });
});

describe('behind a trusted proxy: failed upgrades on /sync', () => {
  const s = serverFor({});

  it('counts failed upgrades against the last X-Forwarded-For entry, whatever the client puts first, and still lets others in', async () => {
    const server = s.current;
    const created = await createFrom(server, '203.0.113.50');
    expect(created.status).toBe(201);
    const workshop = created.body as CreatedWorkshop;
    const boardId = workshop.boards[0].id;
    const joined = await post(server, '/api/join', { token: workshop.links.member.split('/j/')[1], name: 'Member' }, '203.0.113.10');
    expect(joined.status).toBe(200);

    // No session: refused with 401, each time claiming to come from somewhere new. The limit is
    // 30 failed upgrades a minute per address (server/sync/host.ts).
    const statuses: number[] = [];
    for (let i = 0; i < 40 && statuses.at(-1) !== 429; i++) {
      statuses.push(await upgrade(`${server.wsUrl}/sync/${boardId}`, { 'x-forwarded-for': `${forged(i)}, 203.0.113.9` }));
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);

    // Someone else behind the proxy, with a session, still gets in.
    const token = encodeURIComponent(joined.body.sessionToken);
    expect(await upgrade(`${server.wsUrl}/sync/${boardId}?token=${token}`, { 'x-forwarded-for': `${forged(99)}, 203.0.113.10` })).toBe(101);
  });
});
