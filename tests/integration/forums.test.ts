// Forums against the production server in its own process, a real SQLite file, real HTTP, real
// board connections and socket.io: two local workshops agree key points and their forums share
// them up; a regional workshop rolls them up, merges two alike points, and the merged card keeps
// both sources and their counts through a restart; a withdrawn point shows as withdrawn and cannot
// be brought in again; unmerging gives each source back; forum links reach their own forum only;
// loops, levels that do not go up, merges across unrelated forums and bad input are refused with
// clear JSON errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Board } from '../../src/lib/board/board';
import { FORUM_TEXT } from '../../src/lib/domain/forums';
import { api, connectBoard, connectSession, join, until, type BoardClient } from '../helpers/clients';
import { freePort, spawnServer, type ServerProcess } from '../helpers/process-server';
import { tempDataDir } from '../helpers/server';

let server: ServerProcess;
let dataDir: string;
let port: number;
const open: BoardClient[] = [];

beforeAll(async () => {
  dataDir = tempDataDir('roundtable-forums-');
  port = await freePort();
  server = await spawnServer(dataDir, port);
});
afterAll(async () => {
  for (const c of open) c.destroy();
  server?.child.kill('SIGTERM');
  await server?.exited;
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const post = (path: string, body: unknown, token?: string) =>
  api(server.url, path, body, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) } });
const get = (path: string, token?: string) => api(server.url, path, undefined, { headers: token ? bearer(token) : {} });
const tokenOfLink = (link: string) => link.slice(link.lastIndexOf('/') + 1);

interface Forum {
  id: string;
  token: string;
  name: string;
}

async function forum(name: string, level: string): Promise<Forum> {
  const res = await post('/api/forums', { name, level });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.links.facilitator).toMatch(/\/forum\/[A-Za-z0-9_-]{40,}$/);
  return { id: res.body.id, token: tokenOfLink(res.body.links.facilitator), name };
}

async function joinAsChild(child: Forum, parent: Forum) {
  const link = await post(`/api/forums/${parent.id}/child-links`, {}, parent.token);
  expect(link.status).toBe(201);
  return post(`/api/forums/${child.id}/parent`, { link: link.body.link }, child.token);
}

interface Workshop {
  id: string;
  boardId: string;
  facilitator: string;
  member: string;
}

async function workshopIn(f: Forum, title: string): Promise<Workshop> {
  const res = await post(`/api/forums/${f.id}/workshops`, { title, question: 'How can probation letters be easier?' }, f.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.forum).toBe(f.id);
  const [fac, mem] = await Promise.all([
    join(server.url, res.body.links.facilitator, 'Fay'),
    join(server.url, res.body.links.member, 'Mo')
  ]);
  return { id: res.body.id, boardId: res.body.boards[0].id, facilitator: fac.sessionToken, member: mem.sessionToken };
}

/** Members write cards, the facilitator links key points to them and agrees them: what a local group does. */
async function agree(w: Workshop, points: { text: string; cards: string[] }[]): Promise<void> {
  const writer = connectBoard(server.wsUrl, w.boardId, w.member);
  const lead = connectBoard(server.wsUrl, w.boardId, w.facilitator);
  open.push(writer, lead);
  await Promise.all([writer.synced, lead.synced]);
  const ids = points.map((p) => p.cards.map((text) => new Board(writer.doc).add({ lane: 'problems', text })));
  await until(lead.doc, () => ids.flat().every((id) => new Board(lead.doc).has(id)));
  const pointIds = points.map((p, i) => new Board(lead.doc).addKeyPoint(p.text, ids[i]));
  await until(writer.doc, () => new Board(writer.doc).keyPoints().length === points.length && pointIds.length > 0);
  const socket = await connectSession(server.url, w.id, w.facilitator);
  expect(await socket.run({ type: 'keypoints.agree', boardId: w.boardId })).toEqual({ ok: true, number: 1 });
  socket.disconnect();
}

async function ownPoints(f: Forum) {
  const res = await get(`/api/forums/${f.id}`, f.token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.workshops.flatMap((w: { points: unknown[] }) => w.points) as {
    workshopId: string;
    boardId: string;
    pointId: string;
    text: string;
    backing: { people: number; cards: number };
    shared: { id: string; withdrawnAt: number | null } | null;
  }[];
}

async function share(f: Forum, text: string): Promise<string> {
  const p = (await ownPoints(f)).find((x) => x.text === text)!;
  const res = await post(`/api/forums/${f.id}/shared`, { workshopId: p.workshopId, boardId: p.boardId, pointId: p.pointId }, f.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.point.id;
}

describe('forums carry agreed key points up with their sources', () => {
  let region: Forum;
  let leeds: Forum;
  let york: Forum;
  let regional: Workshop;
  const shared: Record<string, string> = {};

  it('[L-FORUM-1] two local forums join a regional one; their workshops agree key points and share them up', async () => {
    region = await forum('Yorkshire regional forum', 'regional');
    leeds = await forum('Leeds lived experience forum', 'local');
    york = await forum('York recovery forum', 'local');
    expect((await joinAsChild(leeds, region)).body.parent).toEqual({ id: region.id, name: region.name, level: 'regional' });
    expect((await joinAsChild(york, region)).status).toBe(200);

    const a = await workshopIn(leeds, 'Leeds, March');
    const b = await workshopIn(york, 'York, April');
    await agree(a, [
      { text: 'Letters are too hard to read', cards: ['Long words in every letter', 'I could not read my appointment letter'] },
      { text: 'Appointments clash with work', cards: ['My shift starts at 9'] }
    ]);
    await agree(b, [
      { text: 'Probation letters use jargon', cards: ['What is a CSTR?', 'Too many short forms', 'Nobody explains the words'] }
    ]);

    // Nothing goes up without the forum's choice.
    expect((await get(`/api/forums/${region.id}`, region.token)).body.shared).toEqual([]);
    const leedsPoints = await ownPoints(leeds);
    expect(leedsPoints.map((p) => [p.text, p.shared])).toEqual([
      ['Letters are too hard to read', null],
      ['Appointments clash with work', null]
    ]);
    // One member wrote both cards: one person, two cards.
    expect(leedsPoints[0].backing).toMatchObject({ people: 1, cards: 2 });

    shared.letters = await share(leeds, 'Letters are too hard to read');
    shared.appointments = await share(leeds, 'Appointments clash with work');
    shared.jargon = await share(york, 'Probation letters use jargon');
    // Sharing the same point again gives the same share.
    expect(await share(leeds, 'Letters are too hard to read')).toBe(shared.letters);

    const seen = await get(`/api/forums/${region.id}/children/shared`, region.token);
    expect(seen.status).toBe(200);
    expect(
      seen.body.points
        .map((p: { text: string; forum: { name: string }; workshopTitle: string }) => [p.text, p.forum.name, p.workshopTitle])
        .sort()
    ).toEqual([
      ['Appointments clash with work', 'Leeds lived experience forum', 'Leeds, March'],
      ['Letters are too hard to read', 'Leeds lived experience forum', 'Leeds, March'],
      ['Probation letters use jargon', 'York recovery forum', 'York, April']
    ]);
    // Counts only: the provenance names no card and no person.
    const text = JSON.stringify(seen.body);
    for (const word of ['Long words in every letter', 'My shift starts at 9', 'What is a CSTR?', 'Mo', 'Fay'])
      expect(text).not.toContain(word);
  });

  it('[L-FORUM-4] a regional workshop brings the shared points onto its board as cards that refer to their provenance', async () => {
    regional = await workshopIn(region, 'Yorkshire, May');
    const socket = await connectSession(server.url, regional.id, regional.facilitator);
    const options = await get(`/api/workshops/${regional.id}/rollups`, regional.facilitator);
    expect(options.status).toBe(200);
    expect(
      options.body.options.children.map((c: { forum: { name: string }; points: unknown[] }) => [c.forum.name, c.points.length])
    ).toEqual([
      ['Leeds lived experience forum', 2],
      ['York recovery forum', 1]
    ]);
    // A member sees the cards' provenance, not what could be brought in.
    const memberView = await get(`/api/workshops/${regional.id}/rollups`, regional.member);
    expect(memberView.body.options).toBeNull();

    const brought = await socket.run({
      type: 'rollup.bring',
      boardId: regional.boardId,
      lane: 'problems',
      pointIds: [shared.letters, shared.appointments, shared.jargon]
    });
    expect(brought.ok, JSON.stringify(brought)).toBe(true);
    const cardIds = (brought as { cardIds: string[] }).cardIds;
    const watcher = connectBoard(server.wsUrl, regional.boardId, regional.member);
    open.push(watcher);
    await until(watcher.doc, () => cardIds.every((id) => new Board(watcher.doc).has(id)));
    const card = new Board(watcher.doc).card(cardIds[0])!;
    expect(card.text.toString()).toBe('Letters are too hard to read');
    expect(card.provenance).toBe(true);

    // Bringing one in twice is refused.
    const again = await socket.run({ type: 'rollup.bring', boardId: regional.boardId, lane: 'problems', pointIds: [shared.jargon] });
    expect(again).toEqual({
      ok: false,
      error: { code: 'not_allowed_now', message: '"Probation letters use jargon" is on this board already.' }
    });
    socket.disconnect();
  });

  let merged = '';

  it('[L-FORUM-5] merging two alike points keeps both sources and all their counts, through a restart', async () => {
    const socket = await connectSession(server.url, regional.id, regional.facilitator);
    const before = (await get(`/api/workshops/${regional.id}/rollups`, regional.member)).body.cards as {
      cardId: string;
      sources: { id: string; backing: { people: number; cards: number } }[];
    }[];
    const letters = before.find((c) => c.sources[0].id === shared.letters)!;
    const jargon = before.find((c) => c.sources[0].id === shared.jargon)!;
    const result = await socket.run({ type: 'rollup.merge', boardId: regional.boardId, cardIds: [letters.cardId, jargon.cardId] });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    merged = (result as { cardId: string }).cardId;
    socket.disconnect();

    const expectMerged = async () => {
      const cards = (await get(`/api/workshops/${regional.id}/rollups`, regional.member)).body.cards as {
        cardId: string;
        breadth: number;
        total: { people: number; cards: number; sources: number };
        sources: {
          id: string;
          forum: { name: string; level: string };
          workshopTitle: string;
          agreedAt: number;
          backing: { people: number; cards: number };
        }[];
      }[];
      expect(cards).toHaveLength(2);
      const m = cards.find((c) => c.cardId === merged)!;
      expect(m.sources.map((s) => [s.id, s.forum.name, s.forum.level, s.workshopTitle])).toEqual([
        [shared.letters, 'Leeds lived experience forum', 'local', 'Leeds, March'],
        [shared.jargon, 'York recovery forum', 'local', 'York, April']
      ]);
      expect(m.breadth).toBe(2);
      // 1 person behind 2 cards in Leeds, 1 person behind 3 cards in York: exactly.
      expect(m.total).toMatchObject({ sources: 2, people: 2, cards: 5 });
      expect(m.sources.map((s) => s.backing.cards)).toEqual([2, 3]);
      expect(m.sources.every((s) => s.agreedAt > 0)).toBe(true);
    };
    await expectMerged();

    server.child.kill('SIGTERM');
    await server.exited;
    server = await spawnServer(dataDir, port);
    await expectMerged();
    const watcher = connectBoard(server.wsUrl, regional.boardId, regional.member);
    open.push(watcher);
    await watcher.synced;
    expect(new Board(watcher.doc).card(merged)?.provenance).toBe(true);
    expect(new Board(watcher.doc).count('problems')).toBe(2);
  });

  it('[L-FORUM-6] a withdrawn point shows as withdrawn by its forum, never silently gone, and cannot be brought in again', async () => {
    const withdrawn = await post(`/api/forums/${leeds.id}/shared/${shared.appointments}/withdraw`, {}, leeds.token);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.point.withdrawnAt).toEqual(expect.any(Number));
    // York cannot withdraw Leeds's point.
    expect((await post(`/api/forums/${york.id}/shared/${shared.appointments}/withdraw`, {}, york.token)).status).toBe(404);

    const above = (await get(`/api/forums/${region.id}`, region.token)).body;
    const seen = above.shared.find((p: { id: string }) => p.id === shared.appointments);
    expect(seen.withdrawn).toEqual({ at: withdrawn.body.point.withdrawnAt, by: 'Leeds lived experience forum' });
    // Not in the collective view any more.
    expect(above.view.map((p: { text: string }) => p.text)).not.toContain('Appointments clash with work');
    // The card already brought in says so too.
    const cards = (await get(`/api/workshops/${regional.id}/rollups`, regional.member)).body.cards;
    const card = cards.find((c: { sources: { id: string }[] }) => c.sources[0].id === shared.appointments);
    expect(card.sources[0].withdrawn.by).toBe('Leeds lived experience forum');

    const other = await workshopIn(region, 'Yorkshire, June');
    const socket = await connectSession(server.url, other.id, other.facilitator);
    expect(await socket.run({ type: 'rollup.bring', boardId: other.boardId, lane: 'problems', pointIds: [shared.appointments] })).toEqual({
      ok: false,
      error: {
        code: 'not_allowed_now',
        message: '"Appointments clash with work" was withdrawn by Leeds lived experience forum, so it cannot be brought into a new roll-up.'
      }
    });
    socket.disconnect();
  });

  it('[L-FORUM-7] unmerging gives each source back as its own card with its own counts', async () => {
    const socket = await connectSession(server.url, regional.id, regional.facilitator);
    const result = await socket.run({ type: 'rollup.unmerge', boardId: regional.boardId, cardId: merged });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    socket.disconnect();
    const cards = (await get(`/api/workshops/${regional.id}/rollups`, regional.member)).body.cards as {
      cardId: string;
      sources: { id: string }[];
      total: { people: number; cards: number };
    }[];
    expect(cards.map((c) => [c.sources.map((s) => s.id), c.total.cards]).sort()).toEqual(
      [
        [[shared.appointments], 1],
        [[shared.letters], 2],
        [[shared.jargon], 3]
      ].sort()
    );
    expect(cards.find((c) => c.cardId === merged)).toBeUndefined();
  });

  it('[L-FORUM-3] the collective view ranks by breadth: a point agreed from two local groups comes first', async () => {
    // The regional workshop merges the two letter points again and agrees a key point on them.
    const socket = await connectSession(server.url, regional.id, regional.facilitator);
    const cards = (await get(`/api/workshops/${regional.id}/rollups`, regional.member)).body.cards as {
      cardId: string;
      sources: { id: string }[];
    }[];
    const pick = (id: string) => cards.find((c) => c.sources[0].id === id)!.cardId;
    const again = await socket.run({
      type: 'rollup.merge',
      boardId: regional.boardId,
      cardIds: [pick(shared.letters), pick(shared.jargon)]
    });
    expect(again.ok).toBe(true);
    const lead = connectBoard(server.wsUrl, regional.boardId, regional.facilitator);
    open.push(lead);
    await lead.synced;
    const cardId = (again as { cardId: string }).cardId;
    await until(lead.doc, () => new Board(lead.doc).has(cardId));
    new Board(lead.doc).addKeyPoint('Write to people in plain words', [cardId]);
    const watcher = connectBoard(server.wsUrl, regional.boardId, regional.member);
    open.push(watcher);
    await until(watcher.doc, () => new Board(watcher.doc).keyPoints().length === 1);
    expect(await socket.run({ type: 'keypoints.agree', boardId: regional.boardId })).toEqual({ ok: true, number: 1 });
    socket.disconnect();

    const view = (await get(`/api/forums/${region.id}`, region.token)).body.view as {
      text: string;
      breadth: number;
      groups: { forum: { name: string }; workshopTitle: string }[];
      lineage: { forum: { level: string }; from: { forum: { name: string } }[] };
    }[];
    expect(view[0].text).toBe('Write to people in plain words');
    expect(view[0].breadth).toBe(2);
    expect(view[0].groups.map((g) => g.workshopTitle)).toEqual(['Leeds, March', 'York, April']);
    expect(view[0].lineage.forum.level).toBe('regional');
    expect(view[0].lineage.from.map((n) => n.forum.name)).toEqual(['Leeds lived experience forum', 'York recovery forum']);
    expect(view.map((p) => p.text)).toContain('Letters are too hard to read');
  });

  it('[L-FORUM-2] a regional point shared with a national forum keeps the whole tree, local groups first', async () => {
    const nation = await forum('England expert citizens group', 'national');
    expect((await joinAsChild(region, nation)).status).toBe(200);
    const id = await share(region, 'Write to people in plain words');
    const seen = (await get(`/api/forums/${nation.id}`, nation.token)).body.shared.find((p: { id: string }) => p.id === id);
    expect(seen.breadth).toBe(2);
    expect(seen.lineage.from.map((n: { forum: { name: string }; workshopTitle: string }) => [n.forum.name, n.workshopTitle])).toEqual([
      ['Leeds lived experience forum', 'Leeds, March'],
      ['York recovery forum', 'York, April']
    ]);
    expect(seen.total).toMatchObject({ people: 2, cards: 5, sources: 2 });
  });

  it("[L-FORUM-8] a forum's link reaches its own forum only: another forum's is refused, as are none and nonsense", async () => {
    expect((await get(`/api/forums/${leeds.id}`, york.token)).body).toEqual({
      error: { code: 'forbidden', message: FORUM_TEXT.forbidden }
    });
    expect((await get(`/api/forums/${leeds.id}`, york.token)).status).toBe(403);
    expect((await get(`/api/forums/${leeds.id}`)).status).toBe(401);
    expect((await get(`/api/forums/${leeds.id}`, 'x'.repeat(43))).status).toBe(401);
    // A regional facilitator sees what Leeds shared, but cannot act as Leeds.
    expect((await get(`/api/forums/${leeds.id}`, region.token)).status).toBe(403);
    const p = (await ownPoints(york))[0];
    expect(
      (await post(`/api/forums/${york.id}/shared`, { workshopId: p.workshopId, boardId: p.boardId, pointId: p.pointId }, leeds.token))
        .status
    ).toBe(403);
    // Leeds cannot share York's workshop's point as its own.
    const stolen = await post(
      `/api/forums/${leeds.id}/shared`,
      { workshopId: p.workshopId, boardId: p.boardId, pointId: p.pointId },
      leeds.token
    );
    expect(stolen).toEqual({
      status: 403,
      body: { error: { code: 'forbidden', message: 'That workshop is not part of this forum.', field: 'workshopId' } }
    });
    // A workshop session is no forum link, and a forum link is no workshop session.
    expect((await get(`/api/forums/${region.id}`, regional.facilitator)).status).toBe(401);
    expect((await get(`/api/workshops/${regional.id}/rollups`, region.token)).status).toBe(401);
  });

  it('[L-FORUM-9] pulling points from a forum that is not a child, and merging points of unrelated forums, are refused', async () => {
    const elsewhere = await forum('Bristol forum', 'local');
    const w = await workshopIn(elsewhere, 'Bristol, May');
    await agree(w, [{ text: 'Buses do not run early', cards: ['No bus before 8'] }]);
    const otherRegion = await forum('South West regional forum', 'regional');
    expect((await joinAsChild(elsewhere, otherRegion)).status).toBe(200);
    const bristolPoint = await share(elsewhere, 'Buses do not run early');
    const socket = await connectSession(server.url, regional.id, regional.facilitator);
    expect(await socket.run({ type: 'rollup.bring', boardId: regional.boardId, lane: 'problems', pointIds: [bristolPoint] })).toEqual({
      ok: false,
      error: {
        code: 'not_allowed_now',
        message: "One of these points was not shared with this workshop's forum by one of its child forums, so it cannot be brought in."
      }
    });
    // York moves to the South West: its point on the Yorkshire board now comes from an unrelated forum.
    expect((await joinAsChild(york, otherRegion)).status).toBe(200);
    const cards = (await get(`/api/workshops/${regional.id}/rollups`, regional.member)).body.cards as {
      cardId: string;
      sources: { id: string }[];
    }[];
    const single = cards.filter((c) => c.sources.length === 1);
    const merged2 = cards.find((c) => c.sources.length === 2)!;
    const refused = await socket.run({ type: 'rollup.merge', boardId: regional.boardId, cardIds: [single[0].cardId, merged2.cardId] });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'not_allowed_now',
        message: "These points come from forums that are not part of this workshop's forum, so they cannot be merged here."
      }
    });
    // Its provenance is still whole.
    const after = (await get(`/api/workshops/${regional.id}/rollups`, regional.member)).body.cards as { sources: { id: string }[] }[];
    expect(after.flatMap((c) => c.sources.map((s) => s.id)).sort()).toEqual([shared.appointments, shared.jargon, shared.letters].sort());
    socket.disconnect();
  });

  it('[L-FORUM-10] a forum cannot become its own ancestor, and levels must go up', async () => {
    const national = await forum('National forum', 'national');
    const regionalA = await forum('Regional A', 'regional');
    const localA = await forum('Local A', 'local');
    expect((await joinAsChild(regionalA, national)).status).toBe(200);
    expect((await joinAsChild(localA, regionalA)).status).toBe(200);
    const loop = await joinAsChild(national, localA);
    expect(loop).toEqual({ status: 400, body: { error: { code: 'invalid_input', message: FORUM_TEXT.ownAncestor, field: 'link' } } });
    const down = await joinAsChild(regionalA, await forum('Another local', 'local'));
    expect(down).toEqual({ status: 400, body: { error: { code: 'invalid_input', message: FORUM_TEXT.levelMustGoUp, field: 'link' } } });
    const same = await joinAsChild(regionalA, await forum('Regional B', 'regional'));
    expect(same.body.error.message).toBe(FORUM_TEXT.levelMustGoUp);
    // A facilitator link is no join link.
    const wrong = await post(`/api/forums/${localA.id}/parent`, { link: `${server.url}/forum/${national.token}` }, localA.token);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.field).toBe('link');
  });

  it('[L-FORUM-11] bad input is refused with clear JSON errors', async () => {
    expect(await post('/api/forums', { level: 'local' })).toEqual({
      status: 400,
      body: { error: { code: 'invalid_input', message: FORUM_TEXT.nameMissing, field: 'name' } }
    });
    expect(await post('/api/forums', { name: 'A forum', level: 'county' })).toEqual({
      status: 400,
      body: { error: { code: 'invalid_input', message: FORUM_TEXT.levelMissing, field: 'level' } }
    });
    const notJson = await api(server.url, '/api/forums', '<name>x</name>', {
      method: 'POST',
      headers: { 'content-type': 'application/xml' }
    });
    expect(notJson.status).toBe(415);
    expect(notJson.body.error.code).toBe('invalid_json');
    const f = await forum('Lonely forum', 'local');
    const w = await workshopIn(f, 'Lonely, May');
    // Not joined to a parent: nobody to share with.
    expect((await post(`/api/forums/${f.id}/shared`, { workshopId: w.id, boardId: w.boardId, pointId: 'x' }, f.token)).status).toBe(409);
    await joinAsChild(f, region);
    const notAgreed = await post(`/api/forums/${f.id}/shared`, { workshopId: w.id, boardId: w.boardId, pointId: 'not-a-point' }, f.token);
    expect(notAgreed.status).toBe(400);
    expect(notAgreed.body.error.message).toMatch(/Only agreed key points can be shared/);
    const missing = await post(`/api/forums/${f.id}/shared`, { workshopId: w.id, boardId: w.boardId }, f.token);
    expect(missing.body.error).toMatchObject({ code: 'invalid_input', field: 'pointId' });
    // A workshop joins one forum, by its facilitator, with a forum link that works.
    const member = await join(
      server.url,
      (await post(`/api/forums/${f.id}/workshops`, { title: 'T', question: 'Q?' }, f.token)).body.links.member,
      'Mo'
    );
    expect(
      (await post('/api/forums/workshops', { workshopId: w.id, link: `${server.url}/forum/${f.token}` }, member.sessionToken)).status
    ).toBe(401);
    expect((await post('/api/forums/workshops', { workshopId: w.id, link: `${server.url}/forum/${f.token}` }, w.member)).status).toBe(403);
    const twice = await post('/api/forums/workshops', { workshopId: w.id, link: `${server.url}/forum/${f.token}` }, w.facilitator);
    expect(twice).toEqual({
      status: 409,
      body: { error: { code: 'not_allowed_now', message: 'This workshop already belongs to a forum.', field: 'forum' } }
    });
    expect((await post('/api/forums/workshops', { workshopId: w.id, link: 'nonsense' }, w.facilitator)).body.error.field).toBe('forum');
    // Merge and unmerge of cards that were never brought in.
    const socket = await connectSession(server.url, w.id, w.facilitator);
    expect(await socket.run({ type: 'rollup.unmerge', boardId: w.boardId, cardId: 'nope' })).toEqual({
      ok: false,
      error: { code: 'not_allowed_now', message: 'That card was not brought in from other forums.' }
    });
    expect((await socket.run({ type: 'rollup.merge', boardId: w.boardId, cardIds: ['a'] })).ok).toBe(false);
    socket.disconnect();
  });

  it('[L-FORUM-12] a workshop made elsewhere joins a forum with the forum link, by its facilitator', async () => {
    const f = await forum('Hull forum', 'local');
    const made = await api(server.url, '/api/workshops', { title: 'Hull, July', question: 'What helps?' });
    const fac = await join(server.url, made.body.links.facilitator, 'Fay');
    const res = await post('/api/forums/workshops', { workshopId: made.body.id, link: `${server.url}/forum/${f.token}` }, fac.sessionToken);
    expect(res).toEqual({ status: 200, body: { forum: { id: f.id, name: 'Hull forum', level: 'local' } } });
    expect((await get(`/api/forums/${f.id}`, f.token)).body.workshops.map((w: { title: string }) => w.title)).toEqual(['Hull, July']);
  });

  it("[L-FORUM-14] a forum link can be replaced and a join link turned off, by the forum's facilitator only", async () => {
    const f = await forum('Renewing forum', 'local');
    const other = await forum('Other renewing forum', 'local');
    expect((await post(`/api/forums/${f.id}/link`, {})).status).toBe(401);
    expect((await post(`/api/forums/${f.id}/link`, {}, other.token)).status).toBe(403);
    const renewed = await post(`/api/forums/${f.id}/link`, {}, f.token);
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
    const fresh = tokenOfLink(renewed.body.links.facilitator);
    expect(fresh).not.toBe(f.token);
    // The old link is off everywhere; the new one works.
    expect((await get(`/api/forums/${f.id}`, f.token)).status).toBe(401);
    expect((await get(`/api/forums/${f.id}`, fresh)).status).toBe(200);
    const page = await fetch(`${server.url}/forum/${f.token}`, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    expect(await page.text()).toContain('This forum link has been turned off.');

    const p = await forum('Join link region', 'regional');
    const link = (await post(`/api/forums/${p.id}/child-links`, {}, p.token)).body.link as string;
    const early = await forum('Early local', 'local');
    expect((await post(`/api/forums/${early.id}/parent`, { link }, early.token)).status).toBe(200);
    expect((await get(`/api/forums/${p.id}`, p.token)).body.childLinks).toContain(link);
    // Only this forum's facilitator, and only its own join links.
    expect((await post(`/api/forums/${p.id}/child-links/revoke`, { link }, other.token)).status).toBe(403);
    expect(await post(`/api/forums/${p.id}/child-links/revoke`, { link: `${server.url}/forum/${p.token}` }, p.token)).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: "That is not one of this forum's join links.", field: 'link' } }
    });
    expect(await post(`/api/forums/${p.id}/child-links/revoke`, { link }, p.token)).toEqual({ status: 200, body: { revoked: true } });
    expect((await post(`/api/forums/${p.id}/child-links/revoke`, { link }, p.token)).status).toBe(200);
    expect((await get(`/api/forums/${p.id}`, p.token)).body.childLinks).not.toContain(link);
    const late = await post(`/api/forums/${f.id}/parent`, { link }, fresh);
    expect(late).toEqual({
      status: 410,
      body: { error: { code: 'revoked_invite', message: 'That join link has been turned off. Ask for a new one.', field: 'link' } }
    });
    // A forum that joined with it stays joined.
    expect((await get(`/api/forums/${early.id}`, early.token)).body.parent).toMatchObject({ id: p.id });
  });
});
