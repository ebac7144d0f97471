// The question as prepared before the session and the workshop's glossary, on a real server with
// real socket.io clients and a real SQLite file: who may change them, what every open page is
// told, the server's plain words check, hostile input, the JSON API, the archive, and a restart.
// Each title starts with the ids of the rules of docs/LIMITS.md it proves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTheQuestion } from '../../src/lib/domain/question-check';
import type { QuestionInfo } from '../../src/lib/domain/question';
import type { Command } from '../../src/lib/protocol/session';
import { api, connectSession, createWorkshop, join, type CreatedWorkshop, type SessionClient } from '../helpers/clients';
import { startTestServer, type TestServer } from '../helpers/server';
import { databaseFiles } from '../helpers/db-pages';

let server: TestServer;
const sockets: SessionClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.close();
});

interface Person {
  id: string;
  token: string;
  socket: SessionClient;
}

interface Room {
  w: CreatedWorkshop;
  facilitator: Person;
  decisionMaker: Person;
  member: Person;
  observer: Person;
}

async function person(w: CreatedWorkshop, link: string, name: string): Promise<Person> {
  const joined = await join(server.url, link, name);
  const socket = await connectSession(server.url, w.id, joined.sessionToken);
  sockets.push(socket);
  return { id: joined.participant.id, token: joined.sessionToken, socket };
}

let rooms = 0;
async function room(question = 'How can we make CSTR referrals work better?'): Promise<Room> {
  const w = await createWorkshop(server.url, `Prepared ${++rooms}`, question);
  const [facilitator, decisionMaker, member, observer] = await Promise.all([
    person(w, w.links.facilitator, 'Fay'),
    person(w, w.links.decisionMaker, 'Dana'),
    person(w, w.links.member, 'Mo'),
    person(w, w.links.observer, 'Oli')
  ]);
  return { w, facilitator, decisionMaker, member, observer };
}

/** The next `question` event this socket hears. */
function nextQuestion(socket: SessionClient, ms = 5000): Promise<QuestionInfo> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no question event')), ms);
    socket.once('question', (info) => {
      clearTimeout(timer);
      resolve(info);
    });
  });
}

const stored = (w: CreatedWorkshop) => server.running.realtime.app.question(w.id);

async function run(socket: SessionClient, command: Command | Record<string, unknown>) {
  return socket.run(command as Command);
}

describe('who may change the question and its glossary', () => {
  it('[L-PREP-1, L-GLOSS-1] a decision maker and the facilitator may; a member and an observer are refused in plain words, and nothing changes', async () => {
    const r = await room();
    const before = await stored(r.w);
    for (const who of [r.member, r.observer]) {
      for (const command of [
        { type: 'question.set', question: 'Changed by someone who may not', context: '' },
        { type: 'glossary.put', term: 'CSTR', explanation: 'A court order' }
      ] as const) {
        expect(await run(who.socket, command)).toEqual({
          ok: false,
          error: { code: 'forbidden', message: 'Only decision makers and the facilitator can change the question and its glossary.' }
        });
      }
    }
    expect(await stored(r.w)).toEqual(before);

    expect(
      await run(r.decisionMaker.socket, { type: 'question.set', question: 'How do we make CSTR work?', context: 'Why we ask.' })
    ).toEqual({
      ok: true
    });
    const put = await run(r.facilitator.socket, { type: 'glossary.put', term: 'CSTR', explanation: 'A court order to get help' });
    expect(put).toMatchObject({ ok: true, termId: expect.stringMatching(/^[0-9a-f]{24}$/) });
    // A member cannot take it out either.
    const termId = (put as { termId: string }).termId;
    expect(await run(r.member.socket, { type: 'glossary.remove', termId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await stored(r.w))?.glossary.map((e) => e.term)).toEqual(['CSTR']);
  });

  it('[L-PREP-4] after the end, the question and the glossary stay as they were', async () => {
    const r = await room();
    const put = (await run(r.decisionMaker.socket, { type: 'glossary.put', term: 'ICB', explanation: 'Integrated Care Board' })) as {
      termId: string;
    };
    expect(await run(r.facilitator.socket, { type: 'workshop.end' })).toEqual({ ok: true });
    const before = await stored(r.w);
    for (const command of [
      { type: 'question.set', question: 'Too late', context: '' },
      { type: 'glossary.put', term: 'MDT', explanation: 'Multi-disciplinary team' },
      { type: 'glossary.remove', termId: put.termId }
    ] as const) {
      expect(await run(r.decisionMaker.socket, command)).toMatchObject({
        ok: false,
        error: { code: 'not_allowed_now', message: expect.stringMatching(/^This workshop has ended\./) }
      });
    }
    expect(await stored(r.w)).toEqual(before);
  });
});

describe('what everyone is told', () => {
  it('[L-PREP-2] every open page hears the new question, background and glossary at once, with the check the server made', async () => {
    const r = await room();
    const heard = Promise.all([r.member, r.observer, r.facilitator].map((p) => nextQuestion(p.socket)));
    const question = 'How can we make the first CSTR meeting less frightening?';
    const context = 'Our L&D team is planning training.\n\nWe want to hear from you first.';
    expect(await run(r.decisionMaker.socket, { type: 'question.set', question, context })).toEqual({ ok: true });
    for (const info of await heard) {
      expect(info).toMatchObject({ question, context, glossary: [] });
      // The same figures the page's helper gives for the same words.
      const { checkedAt: _at, ...figures } = checkTheQuestion(question, context, [], 0);
      expect(info.check).toMatchObject(figures);
      expect(info.check?.acronyms).toBe(2);
    }

    // A glossary entry for a flagged short form: it is no longer flagged, and everyone hears so.
    const again = nextQuestion(r.member.socket);
    await run(r.decisionMaker.socket, {
      type: 'glossary.put',
      term: 'CSTR',
      explanation: 'Community Sentence Treatment Requirement: a court order to get help instead of prison.'
    });
    const info = await again;
    expect(info.glossary.map((e) => e.term)).toEqual(['CSTR']);
    expect(info.check?.acronyms).toBe(1);
    expect((await stored(r.w))?.check?.acronyms).toBe(1);
  });

  it('[L-GLOSS-6] a new page is told the question and glossary on connect, in alphabetical order', async () => {
    const r = await room();
    for (const term of ['probation', 'ICB', 'care plan']) {
      await run(r.facilitator.socket, { type: 'glossary.put', term, explanation: `About ${term}` });
    }
    const late = await join(server.url, r.w.links.member, 'Late');
    const socket = await connectSession(server.url, r.w.id, late.sessionToken);
    sockets.push(socket);
    await expect
      .poll(() => socket.heard.find((h) => h.event === 'question')?.args[0] as QuestionInfo | undefined)
      .toMatchObject({ glossary: [{ term: 'care plan' }, { term: 'ICB' }, { term: 'probation' }] });
  });

  it('[L-GLOSS-3] changes a word in place (same id), and takes one out', async () => {
    const r = await room();
    const { termId } = (await run(r.facilitator.socket, { type: 'glossary.put', term: 'CSTR', explanation: 'First words' })) as {
      termId: string;
    };
    expect(await run(r.decisionMaker.socket, { type: 'glossary.put', termId, term: 'CSTRs', explanation: 'Better words' })).toEqual({
      ok: true,
      termId
    });
    expect((await stored(r.w))?.glossary).toEqual([{ id: termId, term: 'CSTRs', explanation: 'Better words' }]);
    expect(await run(r.decisionMaker.socket, { type: 'glossary.remove', termId })).toEqual({ ok: true });
    expect((await stored(r.w))?.glossary).toEqual([]);
    expect((await stored(r.w))?.check?.acronyms).toBe(1);
  });
});

describe('hostile and broken input', () => {
  it('[L-PREP-3] refuses an empty or too long question and a too long background, in the start page’s words, changing nothing', async () => {
    const r = await room();
    const before = await stored(r.w);
    const cases: [Record<string, unknown>, string][] = [
      [{ question: '', context: '' }, 'Enter the question the group will work on'],
      [{ question: '   \n  ', context: '' }, 'Enter the question the group will work on'],
      [{ question: 'x'.repeat(501), context: '' }, 'The question must be 500 characters or fewer'],
      [{ question: 'Fine?', context: 'y'.repeat(2001) }, 'The background must be 2000 characters or fewer']
    ];
    for (const [fields, message] of cases) {
      expect(await run(r.decisionMaker.socket, { type: 'question.set', ...fields })).toEqual({
        ok: false,
        error: { code: 'invalid_payload', message }
      });
    }
    expect(await stored(r.w)).toEqual(before);
  });

  it('[L-IO-6, L-PREP-3, L-GLOSS-2] refuses payloads of the wrong shape: missing fields, other types, unknown keys, oversized strings', async () => {
    const r = await room();
    const before = await stored(r.w);
    for (const command of [
      { type: 'question.set', question: 'Only a question' },
      { type: 'question.set', question: 42, context: '' },
      { type: 'question.set', question: 'Q?', context: '', participantId: r.member.id },
      { type: 'question.set', question: 'x'.repeat(10_001), context: '' },
      { type: 'glossary.put', term: ['CSTR'], explanation: 'x' },
      { type: 'glossary.put', term: 'CSTR', explanation: 'x', workshopId: 'another' },
      { type: 'glossary.put', termId: '../../etc', term: 'CSTR', explanation: 'x' },
      { type: 'glossary.put', term: 'CSTR', explanation: 'z'.repeat(10_001) },
      { type: 'glossary.remove' },
      { type: 'glossary.remove', termId: '' }
    ]) {
      const result = await run(r.decisionMaker.socket, command);
      expect(result, JSON.stringify(command).slice(0, 80)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    expect(await stored(r.w)).toEqual(before);
  });

  it('[L-GLOSS-2] refuses an empty, too long or wordless term and an empty or too long explanation', async () => {
    const r = await room();
    const cases: [Record<string, unknown>, string][] = [
      [{ term: '', explanation: 'x' }, 'Enter the word or short form to explain'],
      [{ term: 'x'.repeat(61), explanation: 'x' }, 'The word must be 60 characters or fewer'],
      [{ term: '!!!', explanation: 'x' }, 'The word must have at least one letter or number in it'],
      [{ term: 'CSTR', explanation: '  ' }, 'Explain the word in plain words'],
      [{ term: 'CSTR', explanation: 'e'.repeat(301) }, 'The explanation must be 300 characters or fewer']
    ];
    for (const [fields, message] of cases) {
      expect(await run(r.facilitator.socket, { type: 'glossary.put', ...fields })).toEqual({
        ok: false,
        error: { code: 'invalid_payload', message }
      });
    }
    expect((await stored(r.w))?.glossary).toEqual([]);
  });

  it("[L-GLOSS-4] refuses a word already explained (any case or spacing), an unknown word and another workshop's word", async () => {
    const r = await room();
    const other = await room();
    const { termId } = (await run(r.facilitator.socket, { type: 'glossary.put', term: 'Care plan', explanation: 'A plan' })) as {
      termId: string;
    };
    const theirs = (await run(other.facilitator.socket, { type: 'glossary.put', term: 'ICB', explanation: 'Theirs' })) as {
      termId: string;
    };
    expect(await run(r.decisionMaker.socket, { type: 'glossary.put', term: 'CARE  PLAN', explanation: 'Again' })).toEqual({
      ok: false,
      error: { code: 'not_allowed_now', message: '“Care plan” is in the glossary already. Change its explanation instead.' }
    });
    const unknown = "There is no such word in this workshop's glossary. It may have been taken out already.";
    for (const id of ['a'.repeat(24), theirs.termId]) {
      expect(await run(r.decisionMaker.socket, { type: 'glossary.put', termId: id, term: 'X', explanation: 'Y' })).toEqual({
        ok: false,
        error: { code: 'invalid_payload', message: unknown }
      });
      expect(await run(r.decisionMaker.socket, { type: 'glossary.remove', termId: id })).toEqual({
        ok: false,
        error: { code: 'invalid_payload', message: unknown }
      });
    }
    // Renaming one word to another's term is refused too.
    await run(r.facilitator.socket, { type: 'glossary.put', term: 'ICB', explanation: 'Ours' });
    expect(await run(r.facilitator.socket, { type: 'glossary.put', termId, term: 'icb', explanation: 'A plan' })).toMatchObject({
      ok: false,
      error: { code: 'not_allowed_now' }
    });
    expect((await stored(other.w))?.glossary).toEqual([{ id: theirs.termId, term: 'ICB', explanation: 'Theirs' }]);
  });

  it('[L-GLOSS-5] holds a glossary to 100 words; a change to one of them is still taken', async () => {
    const r = await room();
    let last = '';
    for (let i = 0; i < 100; i++) {
      const result = await run(r.facilitator.socket, { type: 'glossary.put', term: `Word ${i}`, explanation: `Meaning ${i}` });
      if (!result.ok) {
        // Past the command rate limit: wait for it and send again.
        expect(result.error.code).toBe('rate_limited');
        await new Promise((resolve) => setTimeout(resolve, 1100));
        i--;
        continue;
      }
      last = (result as { termId: string }).termId;
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await run(r.facilitator.socket, { type: 'glossary.put', term: 'One more', explanation: 'Too many' })).toEqual({
      ok: false,
      error: {
        code: 'not_allowed_now',
        message: 'The glossary has 100 words, as many as it can hold. Take one out before adding another.'
      }
    });
    expect(await run(r.facilitator.socket, { type: 'glossary.put', termId: last, term: 'Word 99', explanation: 'Changed' })).toMatchObject({
      ok: true
    });
    expect((await stored(r.w))?.glossary).toHaveLength(100);
  });
});

describe('the JSON API', () => {
  const put = (r: Room, who: Person, body: unknown, headers: Record<string, string> = {}) =>
    api(server.url, `/api/workshops/${r.w.id}/question`, typeof body === 'string' ? body : JSON.stringify(body), {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${who.token}`, ...headers }
    });

  it('[L-PREP-5] PUT answers with the question, background, glossary and the new check; GET gives the same to anyone in the workshop', async () => {
    const r = await room();
    const saved = await put(r, r.decisionMaker, { question: '  How can we help?  ', context: 'Because we care.' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ question: 'How can we help?', context: 'Because we care.', glossary: [], check: { words: 7 } });
    const read = await api(server.url, `/api/workshops/${r.w.id}/question`, undefined, {
      headers: { authorization: `Bearer ${r.observer.token}` }
    });
    expect(read).toMatchObject({ status: 200, body: saved.body });
  });

  it('[L-PREP-5, L-HTTP-1, L-HTTP-2, L-HTTP-3, L-HTTP-5] refuses with JSON errors naming the field, and changes nothing', async () => {
    const r = await room();
    const before = await stored(r.w);
    const cases: [unknown, Record<string, string>, number, object][] = [
      [
        { context: 'No question' },
        {},
        400,
        { code: 'invalid_input', field: 'question', message: 'Enter the question the group will work on' }
      ],
      [{ question: 'x'.repeat(501) }, {}, 400, { code: 'invalid_input', field: 'question' }],
      [{ question: 'Fine?', context: 'y'.repeat(2001) }, {}, 400, { code: 'invalid_input', field: 'context' }],
      [{ question: 'Fine?', context: 7 }, {}, 400, { code: 'invalid_input', field: 'context', message: 'The background must be text' }],
      ['{not json', {}, 400, { code: 'invalid_json' }],
      // (text/plain from no site at all is SvelteKit's CSRF refusal, 403, before this endpoint.)
      [{ question: 'Fine?' }, { 'content-type': 'application/xml' }, 415, { code: 'invalid_json' }],
      ['[1,2]', {}, 400, { code: 'invalid_input' }],
      // Past LIMIT_HTTP_BODY_BYTES (16 KiB), whatever it holds.
      [{ question: 'Fine?', context: 'z'.repeat(17 * 1024) }, {}, 413, { code: 'payload_too_large' }]
    ];
    for (const [body, headers, status, error] of cases) {
      const answer = await put(r, r.facilitator, body, headers);
      expect(answer.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      expect(answer.body.error).toMatchObject(error);
    }
    expect((await put(r, r.member, { question: 'Mine now?' })).body.error).toMatchObject({ code: 'forbidden' });
    expect(await stored(r.w)).toEqual(before);
    await run(r.facilitator.socket, { type: 'workshop.end' });
    const ended = await put(r, r.facilitator, { question: 'After the end?' });
    expect(ended.status).toBe(409);
    expect(ended.body.error).toMatchObject({ code: 'not_allowed_now', message: expect.stringMatching(/^This workshop has ended\./) });
  });
});

describe('kept', () => {
  it('[L-PREP-6, L-GLOSS-7] the question, background, glossary and check survive a restart', async () => {
    const r = await room();
    await run(r.decisionMaker.socket, { type: 'question.set', question: 'How do we make CSTR work for you?', context: 'Our L&D plan.' });
    await run(r.decisionMaker.socket, { type: 'glossary.put', term: 'L&D', explanation: 'Learning and development: training for staff.' });
    const before = await stored(r.w);
    expect(before?.check?.acronyms).toBe(1);
    await server.restart();
    expect(await stored(r.w)).toEqual(before);
    const j = await join(server.url, r.w.links.member, 'After restart');
    const socket = await connectSession(server.url, r.w.id, j.sessionToken);
    sockets.push(socket);
    await expect.poll(() => socket.heard.find((h) => h.event === 'question')?.args[0]).toEqual(before);
  });

  it('[L-GLOSS-7] deleting the workshop takes its background and glossary out of the database files', async () => {
    const r = await room();
    const secret = `Background only this workshop had ${Date.now()}`;
    const word = `Explained only here ${Date.now()}`;
    await run(r.decisionMaker.socket, { type: 'question.set', question: 'How can we help?', context: secret });
    await run(r.decisionMaker.socket, { type: 'glossary.put', term: 'CSTR', explanation: word });
    const inFiles = (text: string) => databaseFiles(server.dataDir).some((f) => f.bytes.includes(text));
    expect(inFiles(secret) && inFiles(word)).toBe(true);
    const gone = await api(server.url, `/api/workshops/${r.w.id}`, undefined, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${r.facilitator.token}` }
    });
    expect(gone.status).toBe(204);
    expect(inFiles(secret)).toBe(false);
    expect(inFiles(word)).toBe(false);
  });

  it('[L-GLOSS-8] the archive carries the background and the glossary, and a workshop made from it has them with its check', async () => {
    const r = await room();
    await run(r.decisionMaker.socket, { type: 'question.set', question: 'How do we make CSTR work?', context: 'Why we ask.' });
    await run(r.decisionMaker.socket, { type: 'glossary.put', term: 'CSTR', explanation: 'A court order to get help.' });
    const exported = await api(server.url, `/api/workshops/${r.w.id}/briefing.json`, undefined, {
      headers: { authorization: `Bearer ${r.decisionMaker.token}` }
    });
    expect(exported.status).toBe(200);
    expect(exported.body.workshop).toMatchObject({ question: 'How do we make CSTR work?', context: 'Why we ask.' });
    expect(exported.body.glossary).toEqual([{ term: 'CSTR', explanation: 'A court order to get help.' }]);
    const made = await api(server.url, '/api/workshops/import', exported.body);
    expect(made.status).toBe(201);
    const info = await server.running.realtime.app.question(made.body.id);
    expect(info).toMatchObject({ question: 'How do we make CSTR work?', context: 'Why we ask.', glossary: [{ term: 'CSTR' }] });
    expect(info?.check?.acronyms).toBe(0);
    // A glossary that repeats a word is refused, with nothing made.
    const twice = { ...exported.body, glossary: [...exported.body.glossary, { term: 'cstr', explanation: 'Again' }] };
    const refused = await api(server.url, '/api/workshops/import', twice);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'invalid_archive', field: 'glossary[1].term' });
  });
});
