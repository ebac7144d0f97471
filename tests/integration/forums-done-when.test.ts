// Issue 13's "Done when", end to end against the production server in its own process, a real
// SQLite file, real HTTP, board connections and socket.io, as a new user would: two local forums,
// each with a workshop where a similar point is written, voted on and agreed; a regional forum
// both join; a national forum the region joins. The locals share their point, a regional workshop
// rolls both up, merges them, agrees a key point on the merged card and the region shares it; the
// national forum's collective view ranks it with breadth 2, its lineage reaching both local
// groups; a board meeting named at the national forum has it in its pack (Markdown and PDF) with
// both local sources. Then what the board said reaches the local workshops' "you said, we did".
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Board } from '../../src/lib/board/board';
import { longDate } from '../../src/lib/domain/briefing-document';
import { api, connectBoard, connectSession, join, until, type BoardClient } from '../helpers/clients';
import { freePort, spawnServer, type ServerProcess } from '../helpers/process-server';
import { tempDataDir } from '../helpers/server';

let server: ServerProcess;
let dataDir: string;
const open: BoardClient[] = [];

beforeAll(async () => {
  dataDir = tempDataDir('roundtable-done-when-');
  server = await spawnServer(dataDir, await freePort());
});
afterAll(async () => {
  for (const c of open) c.destroy();
  server?.child.kill('SIGTERM');
  await server?.exited;
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
  name: string;
}
async function forum(name: string, level: string): Promise<Forum> {
  const res = await post('/api/forums', { name, level });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, token: tokenOfLink(res.body.links.facilitator), name };
}
async function joinAsChild(child: Forum, parent: Forum) {
  const link = await post(`/api/forums/${parent.id}/child-links`, {}, parent.token);
  expect(link.status).toBe(201);
  const joined = await post(`/api/forums/${child.id}/parent`, { link: link.body.link }, child.token);
  expect(joined.status, JSON.stringify(joined.body)).toBe(200);
}
interface Workshop {
  id: string;
  title: string;
  boardId: string;
  facilitator: string;
  member: string;
}
async function workshopIn(f: Forum, title: string): Promise<Workshop> {
  const res = await post(`/api/forums/${f.id}/workshops`, { title, question: 'How can probation letters be easier?' }, f.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const [fac, mem] = await Promise.all([
    join(server.url, res.body.links.facilitator, 'Fay'),
    join(server.url, res.body.links.member, 'Mo')
  ]);
  return { id: res.body.id, title, boardId: res.body.boards[0].id, facilitator: fac.sessionToken, member: mem.sessionToken };
}

/** A local group's session: members write cards, vote on them, and the facilitator agrees a key point on them. */
async function writeVoteAgree(w: Workshop, point: string, cards: string[]): Promise<string> {
  const writer = connectBoard(server.wsUrl, w.boardId, w.member);
  const lead = connectBoard(server.wsUrl, w.boardId, w.facilitator);
  open.push(writer, lead);
  await Promise.all([writer.synced, lead.synced]);
  const ids = cards.map((text) => new Board(writer.doc).add({ lane: 'problems', text }));
  await until(lead.doc, () => ids.every((id) => new Board(lead.doc).has(id)));
  const fac = await connectSession(server.url, w.id, w.facilitator);
  const member = await connectSession(server.url, w.id, w.member);
  const opened = await fac.run({ type: 'vote.open', boardId: w.boardId, on: { kind: 'cards' } });
  if (!opened.ok) throw new Error(`vote.open refused: ${opened.error.message}`);
  expect(await member.run({ type: 'vote.cast', voteId: opened.voteId, itemId: ids[0] })).toEqual({ ok: true });
  expect(await fac.run({ type: 'vote.close', voteId: opened.voteId })).toEqual({ ok: true });
  const pointId = new Board(lead.doc).addKeyPoint(point, ids);
  await until(writer.doc, () => new Board(writer.doc).keyPoints().length === 1);
  expect(await fac.run({ type: 'keypoints.agree', boardId: w.boardId })).toEqual({ ok: true, number: 1 });
  fac.disconnect();
  member.disconnect();
  return pointId;
}

async function share(f: Forum, text: string): Promise<string> {
  const own = (await get(`/api/forums/${f.id}`, f.token)).body.workshops.flatMap((w: { points: { text: string }[] }) => w.points) as {
    text: string;
    workshopId: string;
    boardId: string;
    pointId: string;
  }[];
  const p = own.find((x) => x.text === text)!;
  const res = await post(`/api/forums/${f.id}/shared`, { workshopId: p.workshopId, boardId: p.boardId, pointId: p.pointId }, f.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.point.id;
}

describe("issue 13's done when: a point raised in two local groups reaches the national preparation pack with both sources", () => {
  let leeds: Forum;
  let york: Forum;
  let region: Forum;
  let nation: Forum;
  let leedsW: Workshop;
  let yorkW: Workshop;
  const local: Record<string, { pointId: string }> = {};
  let meetingId = '';
  let agreedAt: Record<string, number> = {};

  it('[L-FORUM-13] two local groups, a region and a national forum: the merged point ranks first nationally, with breadth 2 and both local groups in its lineage', async () => {
    leeds = await forum('Leeds lived experience forum', 'local');
    york = await forum('York recovery forum', 'local');
    region = await forum('Yorkshire regional forum', 'regional');
    nation = await forum('England expert citizens group', 'national');
    await joinAsChild(leeds, region);
    await joinAsChild(york, region);
    await joinAsChild(region, nation);

    leedsW = await workshopIn(leeds, 'Leeds, March');
    yorkW = await workshopIn(york, 'York, April');
    local.leeds = {
      pointId: await writeVoteAgree(leedsW, 'Letters are too hard to read', ['Long words in every letter', 'I could not read my letter'])
    };
    local.york = {
      pointId: await writeVoteAgree(yorkW, 'Probation letters use jargon', ['What is a CSTR?', 'Too many short forms', 'Nobody explains'])
    };
    const leedsShared = await share(leeds, 'Letters are too hard to read');
    const yorkShared = await share(york, 'Probation letters use jargon');

    // The regional workshop rolls both up, merges them and agrees a key point on the merged card.
    const regional = await workshopIn(region, 'Yorkshire, May');
    const socket = await connectSession(server.url, regional.id, regional.facilitator);
    const brought = await socket.run({
      type: 'rollup.bring',
      boardId: regional.boardId,
      lane: 'problems',
      pointIds: [leedsShared, yorkShared]
    });
    expect(brought.ok, JSON.stringify(brought)).toBe(true);
    const merged = await socket.run({
      type: 'rollup.merge',
      boardId: regional.boardId,
      cardIds: (brought as { cardIds: string[] }).cardIds
    });
    expect(merged.ok, JSON.stringify(merged)).toBe(true);
    const cardId = (merged as { cardId: string }).cardId;
    const lead = connectBoard(server.wsUrl, regional.boardId, regional.facilitator);
    const watcher = connectBoard(server.wsUrl, regional.boardId, regional.member);
    open.push(lead, watcher);
    await lead.synced;
    await until(lead.doc, () => new Board(lead.doc).has(cardId));
    new Board(lead.doc).addKeyPoint('Write to people in plain words', [cardId]);
    await until(watcher.doc, () => new Board(watcher.doc).keyPoints().length === 1);
    expect(await socket.run({ type: 'keypoints.agree', boardId: regional.boardId })).toEqual({ ok: true, number: 1 });
    socket.disconnect();
    await share(region, 'Write to people in plain words');

    const national = await get(`/api/forums/${nation.id}`, nation.token);
    expect(national.status).toBe(200);
    const view = national.body.view as {
      text: string;
      breadth: number;
      total: { people: number; cards: number };
      groups: { forum: { name: string }; workshopTitle: string; agreedAt: number }[];
      lineage: { forum: { name: string; level: string }; from: { forum: { name: string; level: string }; workshopTitle: string }[] };
    }[];
    expect(view[0].text).toBe('Write to people in plain words');
    expect(view[0].breadth).toBe(2);
    expect(view[0].total).toMatchObject({ people: 2, cards: 5 });
    expect(view[0].lineage.forum).toMatchObject({ name: 'Yorkshire regional forum', level: 'regional' });
    expect(view[0].lineage.from.map((n) => [n.forum.name, n.forum.level, n.workshopTitle])).toEqual([
      ['Leeds lived experience forum', 'local', 'Leeds, March'],
      ['York recovery forum', 'local', 'York, April']
    ]);
    agreedAt = Object.fromEntries(view[0].groups.map((g) => [g.workshopTitle, g.agreedAt]));
    expect(Object.keys(agreedAt)).toEqual(['Leeds, March', 'York, April']);
  });

  it('[L-MEETING-6] a board meeting named at the national forum has the point in its pack, Markdown and PDF, with both local sources', async () => {
    const made = await post(
      `/api/forums/${nation.id}/meetings`,
      { body: 'NHS England Health and Justice board', date: '2027-03-14' },
      nation.token
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    meetingId = made.body.meeting.id;
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const sources = [
      `Leeds lived experience forum (local), Leeds, March, ${longDate(agreedAt['Leeds, March'], zone)}: 1 person, 2 cards`,
      `York recovery forum (local), York, April, ${longDate(agreedAt['York, April'], zone)}: 1 person, 3 cards`
    ];
    const md = await get(`/api/meetings/${meetingId}/pack.md`, nation.token);
    expect(md.status).toBe(200);
    const markdown = String(md.body).replace(/\s+/g, ' ');
    expect(markdown).toContain('Write to people in plain words');
    for (const s of sources) expect(markdown).toContain(s);

    const pdf = await fetch(`${server.url}/api/meetings/${meetingId}/pack.pdf`, { headers: bearer(nation.token) });
    expect(pdf.status).toBe(200);
    const file = path.join(tempDataDir('roundtable-done-when-pack-'), 'pack.pdf');
    fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString().replace(/\s+/g, ' ');
    expect(text).toContain('Write to people in plain words');
    for (const s of sources) expect(text).toContain(s);
    // Counts and names of groups only: no card, no person.
    for (const word of ['Long words in every letter', 'What is a CSTR?', 'Fay', 'Mo ']) expect(text).not.toContain(word);
  });

  it("[L-MEETING-7] what the board said goes to 'you said, we did' of every recommendation made from a key point behind it, new to the local member since their last look", async () => {
    const recommend = async (w: Workshop, body: Record<string, unknown>) => {
      const res = await post(`/api/workshops/${w.id}/recommendations`, { addressedTo: 'NHS England', ...body }, w.facilitator);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.recommendation.id as string;
    };
    const fromLeeds = await recommend(leedsW, {
      text: '',
      from: { kind: 'keyPoint', boardId: leedsW.boardId, pointId: local.leeds.pointId }
    });
    const afresh = await recommend(leedsW, { text: 'Pay peer support workers' });
    const fromYork = await recommend(yorkW, { text: '', from: { kind: 'keyPoint', boardId: yorkW.boardId, pointId: local.york.pointId } });
    expect(
      (
        await post(
          `/api/workshops/${yorkW.id}/recommendations/${fromYork}/updates`,
          { status: 'piloting', explanation: 'Two offices try it' },
          yorkW.facilitator
        )
      ).status
    ).toBe(201);

    // The Leeds member looks at "What happened to our ideas" before the meeting.
    const page = async () => {
      const res = await fetch(`${server.url}/w/${leedsW.id}/outcomes`, { headers: { cookie: `rt_session_${leedsW.id}=${leedsW.member}` } });
      expect(res.status).toBe(200);
      return (await res.text()).replace(/<!--[^>]*-->/g, '').replace(/\s+/g, ' ');
    };
    expect(await page()).toContain('This is your first look at this page.');

    const point = (await get(`/api/meetings/${meetingId}`, nation.token)).body.points.find(
      (p: { text: string }) => p.text === 'Write to people in plain words'
    );
    // The ids behind the point stay on the server.
    expect(point.provenance.sources).toBeUndefined();
    const said = 'Agreed: a plain words template for every region from June';
    const at = `/api/meetings/${meetingId}/points/${point.id}`;
    expect((await send('PUT', at, { boardSaid: said }, nation.token)).status).toBe(200);
    // Saving the same words again adds nothing.
    expect((await send('PUT', at, { boardSaid: said }, nation.token)).status).toBe(200);

    type Entry = { status: string; by: string; explanation: string };
    const timeline = async (w: Workshop, id: string) =>
      ((await get(`/api/workshops/${w.id}/outcomes.json`, w.member)).body.recommendations as { id: string; timeline: Entry[] }[]).find(
        (r) => r.id === id
      )!.timeline;
    const words = `NHS England Health and Justice board said at its meeting on 14 March 2027: ${said}`;
    expect((await timeline(leedsW, fromLeeds)).map((e) => [e.status, e.by, e.explanation])).toEqual([['heard', 'decisionMaker', words]]);
    expect(await timeline(leedsW, afresh)).toEqual([]);
    // York's keeps its status, with the board's words as the explanation.
    expect((await timeline(yorkW, fromYork)).map((e) => [e.status, e.explanation])).toEqual([
      ['piloting', 'Two offices try it'],
      ['piloting', words]
    ]);

    const again = await page();
    expect(again).toContain('Since your last look');
    expect(again).toContain('Recommendation 1: now heard');
    expect(again).not.toContain('Recommendation 2: now');
  });
});
