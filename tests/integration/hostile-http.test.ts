// Hostile and broken clients on the HTTP API (/api/*).
// Every case checks three things: the offending connection is refused with a named close code or
// a JSON error, the server stays up (/healthz answers 200), and honest people on the same board
// keep syncing (a card added after the attack still reaches another honest client). Each test's
// title starts with the ids of the rules of docs/LIMITS.md it proves.
import http from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/server';
import { api, tokenOf } from '../helpers/clients';
import { boardWithHonestPair, cleanups, expectHealthy, expectStillSyncing, serverFor, type Board } from '../helpers/hostile';

afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

describe('HTTP API', () => {
  const s = serverFor({ LIMIT_CODE_GUESSES: '3' });
  let server: TestServer;
  let board: Board;

  beforeAll(() => void (server = s.current));

  /** The refusal is JSON `{error: {code, message}}` with the status expected, and no stack trace. */
  async function expectError(res: Response, status: number, code: string, field?: string): Promise<void> {
    const text = await res.text();
    expect({ status: res.status, text }).toMatchObject({ status });
    expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+|\.js:\d+|Error:/);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = JSON.parse(text);
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
    expect(body.error.message.length).toBeGreaterThan(0);
    if (field) expect(body.error.field).toBe(field);
  }

  const post = (path: string, body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(server.url + path, { method: 'POST', headers, body });

  /** A POST through node:http, which sends exactly the headers given (Origin included). */
  function rawPost(path: string, body: string, headers: Record<string, string>): Promise<Response> {
    return new Promise((resolve, reject) => {
      const req = http.request(server.url + path, { method: 'POST', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers: res.headers as Record<string, string> }))
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async function afterwards(): Promise<void> {
    await expectHealthy(server);
    await expectStillSyncing(board);
  }

  it('[L-HTTP-3] refuses malformed JSON with 400 invalid_json', async () => {
    board = await boardWithHonestPair(server);
    await expectError(await post('/api/workshops', '{"title": "Unclosed'), 400, 'invalid_json');
    await expectError(await post('/api/join', '\u0000\u0001\u0002'), 400, 'invalid_json');
    await afterwards();
  });

  it('[L-HTTP-1] refuses a body that is not JSON by content type with 415', async () => {
    board = await boardWithHonestPair(server);
    await expectError(await post('/api/workshops', '<workshop/>', { 'content-type': 'application/xml' }), 415, 'invalid_json');
    // text/plain from the page's own origin (fetch() will not set Origin, so node:http does).
    await expectError(
      await rawPost('/api/join', '{"code":"ABC234","name":"A"}', { 'content-type': 'text/plain', origin: server.url }),
      415,
      'invalid_json'
    );
    await expectError(await rawPost('/api/join', '{}', {}), 415, 'invalid_json');
    await afterwards();
  });

  it('[L-HTTP-2] refuses a body over 16 KiB with 413 payload_too_large, however it is sent', async () => {
    board = await boardWithHonestPair(server);
    const big = JSON.stringify({ title: 'T', question: 'Q', padding: 'x'.repeat(20 * 1024) });
    await expectError(await post('/api/workshops', big), 413, 'payload_too_large');
    // Multi-byte characters: under 16 Ki characters but over 16 KiB.
    await expectError(await post('/api/workshops', JSON.stringify({ title: 'T', question: 'é'.repeat(9000) })), 413, 'payload_too_large');
    // Bigger than the adapter's own body limit (512 KiB).
    const huge = JSON.stringify({ title: 'T', question: 'Q', padding: 'x'.repeat(1024 * 1024) });
    await expectError(await post('/api/workshops', huge), 413, 'payload_too_large');
    // Streamed without a Content-Length.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      }
    });
    const res = await fetch(server.url + '/api/workshops', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half'
    } as RequestInit);
    await expectError(res, 413, 'payload_too_large');
    await afterwards();
  });

  it('[L-HTTP-4] refuses JSON that is not an object with 400 invalid_input', async () => {
    board = await boardWithHonestPair(server);
    for (const body of ['[1,2,3]', '"a string"', 'null', '42', 'true']) {
      await expectError(await post('/api/workshops', body), 400, 'invalid_input');
      await expectError(await post('/api/join', body), 400, 'invalid_input');
    }
    await afterwards();
  });

  it('[L-HTTP-5] refuses missing and wrongly typed fields with 400 invalid_input naming the field', async () => {
    board = await boardWithHonestPair(server);
    await expectError(await post('/api/workshops', '{}'), 400, 'invalid_input', 'title');
    await expectError(await post('/api/workshops', JSON.stringify({ title: 'Fine' })), 400, 'invalid_input', 'question');
    await expectError(await post('/api/workshops', JSON.stringify({ title: { $gt: '' }, question: 'Q' })), 400, 'invalid_input', 'title');
    await expectError(await post('/api/join', '{}'), 400, 'invalid_input');
    await expectError(
      await post('/api/join', JSON.stringify({ token: tokenOf(board.workshop.links.member) })),
      400,
      'invalid_input',
      'name'
    );
    await expectError(await post('/api/join', JSON.stringify({ code: 12345, name: 'A' })), 400, 'invalid_input');
    await afterwards();
  });

  it('[L-HTTP-6] refuses an oversized title or name with 400 invalid_input naming the field', async () => {
    board = await boardWithHonestPair(server);
    await expectError(
      await post('/api/workshops', JSON.stringify({ title: 't'.repeat(121), question: 'Q' })),
      400,
      'invalid_input',
      'title'
    );
    await expectError(
      await post('/api/workshops', JSON.stringify({ title: 'T', question: 'q'.repeat(501) })),
      400,
      'invalid_input',
      'question'
    );
    await expectError(
      await post('/api/join', JSON.stringify({ token: tokenOf(board.workshop.links.member), name: 'n'.repeat(41) })),
      400,
      'invalid_input',
      'name'
    );
    await afterwards();
  });

  it('[L-HTTP-10, L-HTTP-11] refuses unknown and revoked invite tokens and unknown session tokens', async () => {
    board = await boardWithHonestPair(server);
    await expectError(await post('/api/join', JSON.stringify({ token: 'x'.repeat(43), name: 'A' })), 404, 'unknown_invite');
    await expectError(await post('/api/join', JSON.stringify({ token: '../../etc/passwd', name: 'A' })), 404, 'unknown_invite');
    const invite = tokenOf(board.workshop.links.observer);
    await server.running.realtime.store.people.revokeInvite(invite, Date.now());
    await expectError(await post('/api/join', JSON.stringify({ token: invite, name: 'A' })), 410, 'revoked_invite');
    await expectError(
      await fetch(`${server.url}/api/session?workshop=${board.workshop.id}`, { headers: { authorization: `Bearer ${'y'.repeat(43)}` } }),
      401,
      'not_signed_in'
    );
    await afterwards();
  });

  it('[L-PRESENT-1, L-PRESENT-6] refuses forged present links and present tokens used as anything else', async () => {
    board = await boardWithHonestPair(server);
    const id = board.workshop.id;
    const token = board.workshop.links.present.split('/p/')[1];
    // A forged or mangled present link: a plain page, and no cookie.
    for (const forged of ['x'.repeat(43), '..%2F..%2Fetc%2Fpasswd', token.slice(1), `${token}x`]) {
      const res = await fetch(`${server.url}/p/${forged}`, { redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('This present link does not work');
      expect(res.headers.getSetCookie().some((c) => c.startsWith('rt_present_'))).toBe(false);
    }
    // The present view's reading, with a forged token or cookie, or another workshop's id.
    await expectError(
      await fetch(`${server.url}/api/workshops/${id}/present`, { headers: { authorization: `Bearer ${'z'.repeat(43)}` } }),
      401,
      'not_signed_in'
    );
    await expectError(
      await fetch(`${server.url}/api/workshops/${id}/present`, { headers: { cookie: `rt_present_${id}=${'z'.repeat(43)}` } }),
      401,
      'not_signed_in'
    );
    await expectError(
      await fetch(`${server.url}/api/workshops/..%2F..%2Fetc/present`, { headers: { authorization: `Bearer ${token}` } }),
      401,
      'not_signed_in'
    );
    // The real token, where it is not a session: joining, the session, the briefing, the archive.
    await expectError(await post('/api/join', JSON.stringify({ token, name: 'Screen' })), 404, 'unknown_invite');
    for (const path of [`/api/session?workshop=${id}`, `/api/workshops/${id}/briefing.json`, `/api/workshops/${id}/keypoints`]) {
      await expectError(await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } }), 401, 'not_signed_in');
      await expectError(await fetch(server.url + path, { headers: { cookie: `rt_present_${id}=${token}` } }), 401, 'not_signed_in');
    }
    await afterwards();
  });

  it('[L-HTTP-13] answers wrong join codes with 404 until the address is rate-limited with 429', async () => {
    board = await boardWithHonestPair(server);
    const guess = (code: string) => post('/api/join', JSON.stringify({ code, name: 'Guesser' }));
    const wrong = board.workshop.code === 'ZZZ222' ? 'ZZZ223' : 'ZZZ222';
    // The right code works while the address has guesses left (only wrong guesses count)...
    expect((await api(server.url, '/api/join', { code: board.workshop.code, name: 'On time' })).status).toBe(200);
    for (let i = 0; i < 3; i++) await expectError(await guess(wrong), 404, 'unknown_code', 'code');
    await expectError(await guess(wrong), 429, 'rate_limited');
    // ...but once they are used up, no code is looked up at all: a right guess must not be
    // distinguishable from a wrong one.
    await expectError(await guess(board.workshop.code), 429, 'rate_limited');
    // Malformed codes are refused as such; invite links still work from the same address.
    await expectError(await guess('!!'), 400, 'invalid_input', 'code');
    const byLink = await api(server.url, '/api/join', { token: tokenOf(board.workshop.links.member), name: 'Latecomer' });
    expect(byLink.status).toBe(200);
    await afterwards();
  });

  it('[L-ARCHIVE-1, L-ARCHIVE-2] an import past the board document limit, malformed, or not JSON is refused; the server and boards carry on', async () => {
    board = await boardWithHonestPair(server);
    await expectError(await post('/api/workshops/import', '{"format": "roundtable-archive", "boards": ['), 400, 'invalid_json');
    await expectError(await post('/api/workshops/import', '<archive/>', { 'content-type': 'application/xml' }), 415, 'invalid_json');
    for (const body of ['[]', 'null', '"roundtable-archive"'])
      await expectError(await post('/api/workshops/import', body), 400, 'invalid_input');
    // Declared too large, then streamed too large without a Content-Length.
    await expectError(await post('/api/workshops/import', 'x'.repeat(20 * 1024 * 1024 + 1)), 413, 'payload_too_large', 'archive');
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 81; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(256 * 1024)));
        controller.close();
      }
    });
    const res = await fetch(server.url + '/api/workshops/import', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half'
    } as RequestInit);
    await expectError(res, 413, 'payload_too_large', 'archive');
    // Deeply nested JSON is refused as an archive, never a crash.
    await expectError(
      await post(
        '/api/workshops/import',
        '{"format":"roundtable-archive","version":1,"boards":' + '['.repeat(5000) + ']'.repeat(5000) + '}'
      ),
      422,
      'invalid_archive'
    );
    await afterwards();
  });

  it('[L-ARCHIVE-3, L-ARCHIVE-4] archives with the wrong shape are refused with 422 naming the field', async () => {
    board = await boardWithHonestPair(server);
    await expectError(await post('/api/workshops/import', '{}'), 422, 'invalid_archive', 'format');
    await expectError(
      await post('/api/workshops/import', JSON.stringify({ format: 'roundtable-archive', version: '1' })),
      422,
      'invalid_archive',
      'version'
    );
    await expectError(
      await post('/api/workshops/import', JSON.stringify({ format: 'roundtable-archive', version: 1 })),
      422,
      'invalid_archive',
      'exportedAt'
    );
    await expectError(
      await post(
        '/api/workshops/import',
        JSON.stringify({ format: 'roundtable-archive', version: 1, __proto__: { boards: [] }, constructor: 1 })
      ),
      422,
      'invalid_archive'
    );
    await afterwards();
  });

  it('[L-OUT-1, L-OUT-2, L-OUT-3, L-OUT-6, L-OUT-7] recommendations: broken, oversized, forged and misdirected bodies are refused in JSON; nothing is written', async () => {
    board = await boardWithHonestPair(server);
    const w = board.workshop;
    const dm = (await api(server.url, '/api/join', { token: tokenOf(w.links.decisionMaker), name: 'Dee' })).body.sessionToken as string;
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${dm}` };
    const made = await post(`/api/workshops/${w.id}/recommendations`, JSON.stringify({ text: 'Fine', addressedTo: 'HMPPS' }), auth);
    expect(made.status).toBe(201);
    const rec = (await made.json()).recommendation.id as string;
    const updates = `/api/workshops/${w.id}/recommendations/${rec}/updates`;
    await expectError(await post(updates, '{"status": "piloting", "expl', auth), 400, 'invalid_json');
    await expectError(await post(updates, '<update/>', { ...auth, 'content-type': 'application/xml' }), 415, 'invalid_json');
    for (const body of ['[]', 'null', '"piloting"']) await expectError(await post(updates, body, auth), 400, 'invalid_input');
    await expectError(
      await post(updates, JSON.stringify({ status: 'piloting', explanation: 'x'.repeat(20 * 1024) }), auth),
      413,
      'payload_too_large'
    );
    await expectError(
      await post(updates, JSON.stringify({ status: { $ne: null }, explanation: 'x' }), auth),
      400,
      'invalid_input',
      'status'
    );
    await expectError(
      await post(updates, JSON.stringify({ status: 'piloting', explanation: ['x'] }), auth),
      400,
      'invalid_input',
      'explanation'
    );
    await expectError(await post(updates, JSON.stringify({ kind: '__proto__', explanation: 'x' }), auth), 400, 'invalid_input', 'kind');
    await expectError(
      await post(updates, JSON.stringify({ status: 'heard', explanation: 'x', corrects: { seq: 1 } }), auth),
      400,
      'invalid_input',
      'corrects'
    );
    await expectError(
      await post(updates, JSON.stringify({ kind: 'link', to: '../../etc', explanation: 'x' }), auth),
      400,
      'invalid_input',
      'to'
    );
    // Ids that are not this workshop's, or not ids at all.
    for (const id of ['nope', '..%2F..%2Fetc', 'x'.repeat(300)]) {
      await expectError(
        await post(`/api/workshops/${w.id}/recommendations/${id}/updates`, JSON.stringify({ status: 'heard', explanation: 'x' }), auth),
        404,
        'not_found'
      );
    }
    // A session of this workshop naming another workshop's id in the path: sign in there first.
    await expectError(
      await post(`/api/workshops/not-this-one/recommendations`, JSON.stringify({ text: 'x', addressedTo: 'y' }), auth),
      401,
      'not_signed_in'
    );
    await expectError(
      await post(
        `/api/workshops/${w.id}/recommendations`,
        JSON.stringify({ text: 'x', addressedTo: 'y', from: { kind: 'card', boardId: board.boardId, cardId: 'c', extra: 1 } }),
        auth
      ),
      400,
      'invalid_input',
      'from'
    );
    await expectError(
      await post(`/api/workshops/${w.id}/recommendations`, JSON.stringify({ text: 'x', addressedTo: 'a'.repeat(121) }), auth),
      400,
      'invalid_input',
      'addressedTo'
    );
    // A member (Mallory) may not, however it is dressed up.
    const mallory = { 'content-type': 'application/json', authorization: `Bearer ${board.mallory.sessionToken}` };
    await expectError(
      await post(
        updates,
        JSON.stringify({ status: 'embedded', explanation: 'I say so', by: 'decisionMaker', role: 'facilitator' }),
        mallory
      ),
      403,
      'forbidden'
    );
    await expectError(
      await post('/api/workshops', JSON.stringify({ title: 'T', question: 'Q', after: w.id }), mallory),
      403,
      'forbidden',
      'after'
    );
    await expectError(
      await post('/api/workshops', JSON.stringify({ title: 'T', question: 'Q', after: { id: w.id } })),
      400,
      'invalid_input',
      'after'
    );
    const read = await (
      await fetch(`${server.url}/api/workshops/${w.id}/outcomes.json`, { headers: { authorization: `Bearer ${dm}` } })
    ).json();
    expect(read.recommendations).toHaveLength(1);
    expect(read.recommendations[0].timeline).toEqual([]);
    await expectError(
      await fetch(`${server.url}/api/workshops/${w.id}/outcomes.pdf?version=hard`, { headers: { authorization: `Bearer ${dm}` } }),
      400,
      'invalid_input',
      'version'
    );
    await afterwards();
  });

  it('[L-ARCHIVE-10] an export for a workshop the caller is not in, or with a forged token, says only "sign in"', async () => {
    board = await boardWithHonestPair(server);
    const path = `/api/workshops/${board.workshop.id}/briefing.json`;
    await expectError(await fetch(server.url + path, { headers: { authorization: `Bearer ${'z'.repeat(43)}` } }), 401, 'not_signed_in');
    await expectError(
      await fetch(server.url + path, { headers: { cookie: `rt_session_${board.workshop.id}=${'z'.repeat(43)}` } }),
      401,
      'not_signed_in'
    );
    await expectError(await fetch(`${server.url}/api/workshops/..%2F..%2Fetc/briefing.json`), 401, 'not_signed_in');
    await afterwards();
  });
});
