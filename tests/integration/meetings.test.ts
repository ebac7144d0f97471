// Preparing for a board meeting against a real server, a real SQLite file, real HTTP, board
// connections and socket.io: two local forums agree a point and share it with their region; the
// region's facilitator names a meeting, whose points keep where they came from; the region's
// people comment (with a name or without), its representative agrees the words and records what
// the board said; the pack (PDF, Markdown, easy read) says all of it; and nobody outside the
// forum sees the meeting or its pack.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Board } from '../../src/lib/board/board';
import { api, connectBoard, connectSession, join, until, type BoardClient } from '../helpers/clients';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';

let server: TestServer;
const open: BoardClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const c of open) c.destroy();
  await server?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const send = (method: string, p: string, body: unknown, token?: string) =>
  api(server.url, p, body, { method, headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) } });
const post = (p: string, body: unknown, token?: string) => send('POST', p, body, token);
const get = (p: string, token?: string) => api(server.url, p, undefined, { headers: token ? bearer(token) : {} });
const tokenOfLink = (link: string) => link.slice(link.lastIndexOf('/') + 1);

interface Forum {
  id: string;
  token: string;
}
async function forum(name: string, level: string): Promise<Forum> {
  const res = await post('/api/forums', { name, level });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, token: tokenOfLink(res.body.links.facilitator) };
}
interface Workshop {
  id: string;
  boardId: string;
  facilitator: string;
  member: string;
  links: Record<string, string>;
}
async function workshopIn(f: Forum, title: string): Promise<Workshop> {
  const res = await post(`/api/forums/${f.id}/workshops`, { title, question: 'How can probation letters be easier?' }, f.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const [fac, mem] = await Promise.all([
    join(server.url, res.body.links.facilitator, 'Fay'),
    join(server.url, res.body.links.member, 'Mo')
  ]);
  return {
    id: res.body.id,
    boardId: res.body.boards[0].id,
    facilitator: fac.sessionToken,
    member: mem.sessionToken,
    links: res.body.links
  };
}
async function agreeAndShare(f: Forum, w: Workshop, text: string, cards: string[]) {
  const writer = connectBoard(server.wsUrl, w.boardId, w.member);
  const lead = connectBoard(server.wsUrl, w.boardId, w.facilitator);
  open.push(writer, lead);
  await Promise.all([writer.synced, lead.synced]);
  const ids = cards.map((c) => new Board(writer.doc).add({ lane: 'problems', text: c }));
  await until(lead.doc, () => ids.every((id) => new Board(lead.doc).has(id)));
  new Board(lead.doc).addKeyPoint(text, ids);
  await until(writer.doc, () => new Board(writer.doc).keyPoints().length === 1);
  const socket = await connectSession(server.url, w.id, w.facilitator);
  expect(await socket.run({ type: 'keypoints.agree', boardId: w.boardId })).toEqual({ ok: true, number: 1 });
  socket.disconnect();
  const own = (await get(`/api/forums/${f.id}`, f.token)).body.workshops.flatMap((x: { points: unknown[] }) => x.points)[0];
  const shared = await post(
    `/api/forums/${f.id}/shared`,
    { workshopId: own.workshopId, boardId: own.boardId, pointId: own.pointId },
    f.token
  );
  expect(shared.status, JSON.stringify(shared.body)).toBe(201);
}
async function joinAsChild(child: Forum, parent: Forum) {
  const link = await post(`/api/forums/${parent.id}/child-links`, {}, parent.token);
  expect((await post(`/api/forums/${child.id}/parent`, { link: link.body.link }, child.token)).status).toBe(200);
}

describe('a forum prepares for a board meeting', () => {
  let region: Forum;
  let outsider: Forum;
  let regional: Workshop;
  let leedsWorkshop: Workshop;
  let rep: string;
  let observer: string;
  let meetingId: string;

  beforeAll(async () => {
    region = await forum('Yorkshire regional forum', 'regional');
    const leeds = await forum('Leeds lived experience forum', 'local');
    const york = await forum('York recovery forum', 'local');
    outsider = await forum('Kent forum', 'local');
    await joinAsChild(leeds, region);
    await joinAsChild(york, region);
    leedsWorkshop = await workshopIn(leeds, 'Leeds letters');
    const yorkWorkshop = await workshopIn(york, 'York letters');
    await agreeAndShare(leeds, leedsWorkshop, 'Letters in plain words', [
      'Letters are too hard to read',
      'I missed a meeting because of a letter'
    ]);
    await agreeAndShare(york, yorkWorkshop, 'Say what happens if you miss an appointment', ['Nobody told me']);
    regional = await workshopIn(region, 'Yorkshire letters');
    const [r, o] = await Promise.all([join(server.url, regional.links.member, 'Rae'), join(server.url, regional.links.observer, 'Oli')]);
    rep = r.sessionToken;
    observer = o.sessionToken;
    const fac = await connectSession(server.url, regional.id, regional.facilitator);
    expect(await fac.run({ type: 'participant.setRepresentative', participantId: r.participant.id, representative: true })).toMatchObject({
      ok: true
    });
    fac.disconnect();
  });

  it("[L-MEETING-1] only the forum's facilitator names a meeting, with who meets and a real day; its points keep where they came from", async () => {
    const body = { body: 'NHS England Health and Justice board', date: '2027-03-14' };
    expect((await post(`/api/forums/${region.id}/meetings`, body)).status).toBe(401);
    expect((await post(`/api/forums/${region.id}/meetings`, body, outsider.token)).status).toBe(403);
    expect((await post(`/api/forums/${region.id}/meetings`, body, regional.facilitator)).status).toBe(401);
    expect((await post(`/api/forums/${region.id}/meetings`, { ...body, date: '2027-02-30' }, region.token)).body.error).toMatchObject({
      code: 'invalid_input',
      field: 'date'
    });
    expect((await post(`/api/forums/${region.id}/meetings`, { ...body, body: ' ' }, region.token)).body.error).toMatchObject({
      field: 'body'
    });
    expect((await post(`/api/forums/${outsider.id}/meetings`, body, outsider.token)).status).toBe(409);
    const made = await post(`/api/forums/${region.id}/meetings`, body, region.token);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    meetingId = made.body.meeting.id;
    expect(made.body.page).toBe(`/meetings/${meetingId}`);
    const view = await get(`/api/meetings/${meetingId}`, region.token);
    expect(view.status).toBe(200);
    const texts = view.body.points.map((p: { text: string }) => p.text);
    expect(texts).toEqual(expect.arrayContaining(['Letters in plain words', 'Say what happens if you miss an appointment']));
    const letters = view.body.points.find((p: { text: string }) => p.text === 'Letters in plain words');
    expect(letters.provenance).toMatchObject({
      breadth: 1,
      cards: 2,
      groups: [{ forum: 'Leeds lived experience forum', level: 'local', workshopTitle: 'Leeds letters', cards: 2 }]
    });
    expect(view.body).toMatchObject({ mayPrepare: true, mayComment: true, meeting: { forumName: 'Yorkshire regional forum' } });
  });

  it("[L-MEETING-2] the forum's people see it; people of other workshops, other forums and nobody do not, and neither do they get the pack", async () => {
    expect((await get(`/api/meetings/${meetingId}`, regional.member)).body).toMatchObject({ mayPrepare: false, mayComment: true });
    expect((await get(`/api/meetings/${meetingId}`, observer)).body).toMatchObject({ mayPrepare: false, mayComment: false });
    // A Leeds member is in a child forum's workshop, not the region's: the meeting is the region's.
    for (const token of [leedsWorkshop.member, outsider.token, undefined]) {
      const refused = await get(`/api/meetings/${meetingId}`, token);
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('not_signed_in');
      for (const f of ['pack.pdf', 'pack.md', 'pack.html']) expect((await get(`/api/meetings/${meetingId}/${f}`, token)).status).toBe(401);
    }
    expect((await get('/api/meetings/nosuchmeeting00000000000', region.token)).status).toBe(404);
  });

  it('[L-MEETING-3] members comment with their name or without; observers cannot; a comment names a real point', async () => {
    const point = (await get(`/api/meetings/${meetingId}`, rep)).body.points.find(
      (p: { text: string }) => p.text === 'Letters in plain words'
    );
    const comments = `/api/meetings/${meetingId}/comments`;
    expect((await post(comments, { pointId: point.id, text: 'Add a phone number to ring' }, regional.member)).status).toBe(201);
    expect(
      (await post(comments, { pointId: point.id, text: 'My officer never explained it', anonymous: true }, regional.member)).status
    ).toBe(201);
    expect((await post(comments, { pointId: point.id, text: 'Looking' }, observer)).status).toBe(403);
    expect((await post(comments, { pointId: 'p99', text: 'x' }, regional.member)).body.error).toMatchObject({ field: 'pointId' });
    expect((await post(comments, { pointId: point.id, text: '  ' }, regional.member)).body.error).toMatchObject({ field: 'text' });
    const after = (await get(`/api/meetings/${meetingId}`, rep)).body.points.find((p: { id: string }) => p.id === point.id);
    expect(after.comments.map((c: { name: string | null; text: string }) => [c.name, c.text])).toEqual([
      ['Mo', 'Add a phone number to ring'],
      [null, 'My officer never explained it']
    ]);
  });

  it("[L-MEETING-4] representatives and the forum's facilitators agree the words and record what the board said; members cannot", async () => {
    const view = (await get(`/api/meetings/${meetingId}`, rep)).body;
    const letters = view.points.find((p: { text: string }) => p.text === 'Letters in plain words');
    const at = `/api/meetings/${meetingId}/points/${letters.id}`;
    const refused = await send('PUT', at, { agreed: 'x' }, regional.member);
    expect(refused).toEqual({
      status: 403,
      body: {
        error: {
          code: 'forbidden',
          message: "Only the forum's representatives and facilitators can agree the version to take, or record what the board said."
        }
      }
    });
    expect((await send('PUT', at, { agreed: 'Write every probation letter in plain words, with a number to ring' }, rep)).status).toBe(200);
    expect((await send('PUT', at, { boardSaid: 'Agreed: a plain words template for all regions from June' }, region.token)).status).toBe(
      200
    );
    expect((await send('PUT', at, { agreed: 'x'.repeat(1001) }, rep)).body.error).toMatchObject({ field: 'agreed' });
    const now = (await get(`/api/meetings/${meetingId}`, regional.member)).body.points.find((p: { id: string }) => p.id === letters.id);
    expect(now).toMatchObject({
      text: 'Letters in plain words',
      agreed: 'Write every probation letter in plain words, with a number to ring',
      boardSaid: 'Agreed: a plain words template for all regions from June'
    });
  });

  it('[L-MEETING-5] the pack says the agreed words, where each point came from, what members said and what the board said, in every format', async () => {
    const pdf = await fetch(`${server.url}/api/meetings/${meetingId}/pack.pdf`, { headers: bearer(rep) });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const file = path.join(tempDataDir('roundtable-pack-'), 'pack.pdf');
    fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString().replace(/\s+/g, ' ');
    for (const words of [
      'NHS England Health and Justice board',
      'Write every probation letter in plain words, with a number to ring',
      'Leeds lived experience forum (local), Leeds letters',
      'York recovery forum',
      'Mo said: Add a phone number to ring',
      'A member said (without a name): My officer never explained it',
      'The board said: Agreed: a plain words template for all regions from June'
    ])
      expect(text).toContain(words);
    const md = await get(`/api/meetings/${meetingId}/pack.md`, regional.member);
    expect(md.status).toBe(200);
    expect(String(md.body)).toContain('Write every probation letter in plain words');
    const easy = await fetch(`${server.url}/api/meetings/${meetingId}/pack.html?version=easy`, { headers: bearer(observer) });
    const html = await easy.text();
    expect(html).toContain('What will we say?');
    expect(html).toContain('What did the board say?');
    expect(html).not.toContain('Mo said');
    expect((await get(`/api/meetings/${meetingId}/pack.md?version=hard`, rep)).status).toBe(400);
  });
});
