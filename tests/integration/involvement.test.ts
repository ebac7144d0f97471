// Involvement records against a real server, a real SQLite file and real sockets: time is kept only
// for people who ticked "Record my time", from their session sockets' connected time (a break or
// leaving closes an interval, a reconnect within the grace does not split it); the export is the
// facilitator's only, names nobody by their display name and is guarded against formulas; a person
// reads and clears their own record, and clearing takes it off the disk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSession, createWorkshop, tokenOf, type CreatedWorkshop } from '../helpers/clients';
import { startTestServer, type TestServer } from '../helpers/server';
import { databaseFiles } from '../helpers/db-pages';

const GRACE_MS = 400;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { LIMIT_ATTENDANCE_GRACE_MS: String(GRACE_MS), LIMIT_ATTENDANCE_HEARTBEAT_MS: '200' } });
});
afterAll(async () => {
  await server?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const get = (path: string, token?: string) => api(server.url, path, undefined, { headers: token ? bearer(token) : {} });
const del = (path: string, token: string) => api(server.url, path, undefined, { method: 'DELETE', headers: bearer(token) });

async function joinAs(link: string, name: string, recordTime?: Record<string, unknown>) {
  const res = await api(server.url, '/api/join', { token: tokenOf(link), name, ...(recordTime ? { recordTime } : {}) });
  return res;
}

interface Interval {
  start: number;
  end: number | null;
}
async function recordOf(w: CreatedWorkshop, token: string) {
  const res = await get(`/api/workshops/${w.id}/time-record`, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.record as { name: string; choice: string; intervals: Interval[]; attendance: { activeMs: number; minutes: number } };
}

async function csvOf(w: CreatedWorkshop, token: string, query = '') {
  const res = await fetch(`${server.url}/api/workshops/${w.id}/involvement.csv${query}`, { headers: bearer(token) });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** Connects a session socket and resolves with the moments around the server's taking it. */
async function connectTimed(w: CreatedWorkshop, token: string) {
  const before = Date.now();
  const socket = await connectSession(server.url, w.id, token);
  return { socket, before, after: Date.now() };
}

let count = 0;
async function workshop() {
  const w = await createWorkshop(server.url, `Time records ${++count}`);
  const facilitator = (await joinAs(w.links.facilitator, 'Fay')).body.sessionToken;
  return { w, facilitator };
}

describe('who is recorded', () => {
  it('[L-INVOLVE-1] "Record my time" needs a name for the record and a choice; a refusal joins nobody', async () => {
    const { w } = await workshop();
    const noName = await joinAs(w.links.member, 'Sam', { name: '  ', choice: 'payment' });
    expect(noName.status).toBe(400);
    expect(noName.body.error).toEqual({
      code: 'invalid_input',
      field: 'recordName',
      message: 'Enter the name for your time record. It can be the name your payment goes to'
    });
    const badChoice = await joinAs(w.links.member, 'Sam', { name: 'Sam Jones', choice: 'cash' });
    expect(badChoice.status).toBe(400);
    expect(badChoice.body.error).toMatchObject({ field: 'thanks', message: 'Choose how you would like to be thanked for your time' });
    const notAnObject = await joinAs(w.links.member, 'Sam', 'yes' as unknown as Record<string, unknown>);
    expect(notAnObject.status).toBe(400);
    // Nobody joined as Sam: the name is still free (a half-joined Sam would hold it).
    const joined = await joinAs(w.links.member, 'Sam', { name: 'Samuel Jones', choice: 'voucher' });
    expect(joined.status).toBe(200);
    expect(joined.body.recordingTime).toBe(true);
    expect(await recordOf(w, joined.body.sessionToken)).toMatchObject({ name: 'Samuel Jones', choice: 'voucher', intervals: [] });
  });

  it('[L-INVOLVE-2] someone who did not tick it has no record, gets none by connecting, and is never in the export', async () => {
    const { w, facilitator } = await workshop();
    const plain = await joinAs(w.links.member, 'Nadia');
    expect(plain.body.recordingTime).toBe(false);
    const asked = (await joinAs(w.links.decisionMaker, 'Dr Lee', { name: 'Priya Lee', choice: 'none' })).body.sessionToken;
    const a = await connectSession(server.url, w.id, plain.body.sessionToken);
    const b = await connectSession(server.url, w.id, asked);
    await sleep(150);
    a.disconnect();
    b.disconnect();
    await sleep(GRACE_MS + 200);
    const mine = await get(`/api/workshops/${w.id}/time-record`, plain.body.sessionToken);
    expect(mine).toEqual({
      status: 404,
      body: {
        error: {
          code: 'not_recorded',
          message: 'Your time is not being recorded in this workshop. You did not tick "Record my time" when you joined.'
        }
      }
    });
    const csv = await csvOf(w, facilitator);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"Priya Lee","Decision maker","No payment, just a record"');
    // Display names never: the export cannot be matched to what anyone wrote.
    for (const name of ['Nadia', 'Dr Lee', 'Fay']) expect(csv.text).not.toContain(name);
  });
});

describe('attendance from connected time', () => {
  it('[L-INVOLVE-3] joined, left and time active match when the socket connected and disconnected', async () => {
    const { w, facilitator } = await workshop();
    const token = (await joinAs(w.links.member, 'Mo', { name: 'Mohammed Ali', choice: 'payment' })).body.sessionToken;
    const c = await connectTimed(w, token);
    await sleep(1200);
    const leftFrom = Date.now();
    c.socket.disconnect();
    await sleep(GRACE_MS + 300);
    const r = await recordOf(w, token);
    expect(r.intervals).toHaveLength(1);
    const [i] = r.intervals;
    expect(i.start).toBeGreaterThanOrEqual(c.before);
    expect(i.start).toBeLessThanOrEqual(c.after);
    // Closed at the disconnect, not at the end of the grace.
    expect(i.end).toBeGreaterThanOrEqual(leftFrom);
    expect(i.end!).toBeLessThan(leftFrom + GRACE_MS / 2);
    expect(r.attendance.activeMs).toBe(i.end! - i.start);
    expect(r.attendance.activeMs).toBeGreaterThanOrEqual(1200 - (c.after - c.before));
    const row = (await csvOf(w, facilitator)).text.trim().split('\r\n')[1];
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    expect(row).toBe(`"Mohammed Ali","Member","Payment","${iso(i.start)}","${iso(i.end!)}","${Math.round(r.attendance.activeMs / 60000)}"`);
  });

  it('[L-INVOLVE-4] a reconnect within the grace does not split the time; one after it does, and the gap is not counted', async () => {
    const { w } = await workshop();
    const token = (await joinAs(w.links.member, 'Jo', { name: 'Jo Bloggs', choice: 'voucher' })).body.sessionToken;
    const first = await connectSession(server.url, w.id, token);
    await sleep(200);
    first.disconnect();
    await sleep(GRACE_MS / 4);
    const second = await connectSession(server.url, w.id, token);
    await sleep(200);
    expect((await recordOf(w, token)).intervals).toEqual([{ start: expect.any(Number), end: null }]);
    const gapFrom = Date.now();
    second.disconnect();
    await sleep(GRACE_MS + 300);
    const gapTo = Date.now();
    const third = await connectSession(server.url, w.id, token);
    await sleep(200);
    third.disconnect();
    await sleep(GRACE_MS + 300);
    const r = await recordOf(w, token);
    expect(r.intervals).toHaveLength(2);
    const [a, b] = r.intervals;
    // Closed at the disconnect, not at the end of the grace (the same bound as [L-INVOLVE-3]'s).
    expect(a.end!).toBeLessThan(gapFrom + GRACE_MS / 2);
    expect(b.start).toBeGreaterThanOrEqual(gapTo);
    expect(r.attendance.activeMs).toBe(a.end! - a.start + (b.end! - b.start));
  });

  it('[L-INVOLVE-5] a second device counts once; a break (me.away) stops the time with the socket still open, and me.back starts it again', async () => {
    const { w } = await workshop();
    const token = (await joinAs(w.links.member, 'Kim', { name: 'Kim Evans', choice: 'payment' })).body.sessionToken;
    const phone = await connectSession(server.url, w.id, token);
    const laptop = await connectSession(server.url, w.id, token);
    await sleep(200);
    laptop.disconnect();
    await sleep(GRACE_MS + 200);
    expect((await recordOf(w, token)).intervals).toEqual([{ start: expect.any(Number), end: null }]);
    const breakFrom = Date.now();
    expect(await phone.run({ type: 'me.away' })).toEqual({ ok: true });
    let r = await recordOf(w, token);
    expect(r.intervals).toHaveLength(1);
    expect(r.intervals[0].end).toBeGreaterThanOrEqual(breakFrom);
    await sleep(300);
    const backFrom = Date.now();
    expect(await phone.run({ type: 'me.back' })).toEqual({ ok: true });
    await sleep(100);
    r = await recordOf(w, token);
    expect(r.intervals).toHaveLength(2);
    expect(r.intervals[1]).toEqual({ start: expect.any(Number), end: null });
    expect(r.intervals[1].start).toBeGreaterThanOrEqual(backFrom);
    phone.disconnect();
  });

  it('[L-INVOLVE-5] leaving (POST /api/session/leave) closes the time at once, and a restart keeps every interval', async () => {
    const { w } = await workshop();
    const token = (await joinAs(w.links.member, 'Lou', { name: 'Louise Hart', choice: 'none' })).body.sessionToken;
    const keep = (await joinAs(w.links.observer, 'Obi', { name: 'Obi Green', choice: 'voucher' })).body.sessionToken;
    const s = await connectSession(server.url, w.id, token);
    const o = await connectSession(server.url, w.id, keep);
    await sleep(200);
    const leftFrom = Date.now();
    const left = await api(
      server.url,
      '/api/session/leave',
      { workshop: w.id },
      { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) } }
    );
    expect(left).toEqual({ status: 200, body: { ended: true } });
    s.disconnect();
    // Read from the store: the one who left has no session to ask with now.
    const louise = async () => (await server.running.realtime.store.involvement.list(w.id)).find((r) => r.name === 'Louise Hart')!;
    const [i] = (await louise()).intervals;
    expect(i.end).toBeGreaterThanOrEqual(leftFrom);
    expect(i.end!).toBeLessThan(leftFrom + GRACE_MS);
    await server.restart();
    // Obi was still connected at the restart: closed when the server stopped, not left open.
    const after = await server.running.realtime.store.involvement.list(w.id);
    expect(after.map((r) => [r.name, r.intervals.length, r.intervals.every((x) => x.end !== null)])).toEqual([
      ['Louise Hart', 1, true],
      ['Obi Green', 1, true]
    ]);
    o.disconnect();
  });
});

describe('the export and who may have it', () => {
  it('[L-INVOLVE-6] only the facilitator downloads the CSV; everyone else is refused in JSON', async () => {
    const { w, facilitator } = await workshop();
    const member = (await joinAs(w.links.member, 'Mo')).body.sessionToken;
    const dm = (await joinAs(w.links.decisionMaker, 'Dana', { name: 'Dana Smith', choice: 'none' })).body.sessionToken;
    const observer = (await joinAs(w.links.observer, 'Oli')).body.sessionToken;
    for (const token of [member, dm, observer]) {
      expect(await get(`/api/workshops/${w.id}/involvement.csv`, token)).toEqual({
        status: 403,
        body: { error: { code: 'forbidden', message: "Only the facilitator can download the workshop's time records." } }
      });
    }
    expect((await get(`/api/workshops/${w.id}/involvement.csv`)).status).toBe(401);
    // A facilitator of another workshop is nobody here.
    const other = await workshop();
    expect((await get(`/api/workshops/${w.id}/involvement.csv`, other.facilitator)).status).toBe(401);
    const ok = await csvOf(w, facilitator);
    expect(ok.status).toBe(200);
    expect(ok.type).toBe('text/csv; charset=utf-8');
    expect(ok.text.split('\r\n')[0]).toBe('"Name for the record","Role","Thanks","Joined (UTC)","Left (UTC)","Minutes active"');
  });

  it('[L-INVOLVE-7] names that a spreadsheet would run as formulas are written as text; a period outside the time gives no minutes', async () => {
    const { w, facilitator } = await workshop();
    const token = (await joinAs(w.links.member, 'Al', { name: '=HYPERLINK("http://x","pay")', choice: 'payment' })).body.sessionToken;
    const s = await connectSession(server.url, w.id, token);
    await sleep(100);
    s.disconnect();
    await sleep(GRACE_MS + 200);
    const csv = await csvOf(w, facilitator);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://x"",""pay"")"`);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const later = (await csvOf(w, facilitator, `?from=${tomorrow}`)).text.trim().split('\r\n')[1];
    expect(later.endsWith('"","","0"')).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    // Within the period, the row carries its times (outside it, as above, it has none).
    const within = (await csvOf(w, facilitator, `?from=${today}&to=${today}`)).text.trim().split('\r\n')[1];
    expect(within).toMatch(new RegExp(`"Payment","${today} \\d\\d:\\d\\d","${today} \\d\\d:\\d\\d","0"$`));
    const bad = await get(`/api/workshops/${w.id}/involvement.csv?from=2027-02-30`, facilitator);
    expect(bad).toEqual({
      status: 400,
      body: { error: { code: 'invalid_input', field: 'from', message: 'Enter the date as year-month-day, for example 2027-03-14' } }
    });
  });
});

describe("a forum's export", () => {
  const post = (path: string, body: unknown, token?: string) =>
    api(server.url, path, body, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) } });
  async function forum(name: string, level: string) {
    const res = await post('/api/forums', { name, level });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const link = res.body.links.facilitator as string;
    return { id: res.body.id as string, token: link.slice(link.lastIndexOf('/') + 1) };
  }
  async function workshopIn(f: { id: string; token: string }, title: string) {
    const res = await post(`/api/forums/${f.id}/workshops`, { title, question: 'What helps?' }, f.token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const w = res.body as CreatedWorkshop;
    const facilitator = (await joinAs(w.links.facilitator, 'Fay')).body.sessionToken as string;
    return { w, facilitator };
  }
  /** Someone joins (asking for a record or not), is there a moment, and leaves. */
  async function attend(w: CreatedWorkshop, name: string, recordTime?: Record<string, unknown>) {
    const token = (await joinAs(w.links.member, name, recordTime)).body.sessionToken as string;
    const s = await connectSession(server.url, w.id, token);
    await sleep(100);
    s.disconnect();
  }
  const csvOfForum = async (id: string, token?: string, query = '') => {
    const res = await fetch(`${server.url}/api/forums/${id}/involvement.csv${query}`, { headers: token ? bearer(token) : {} });
    return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), text: await res.text() };
  };

  it("[L-INVOLVE-9] a forum's facilitators download every opted-in person of the forum's own workshops, with a workshop column; nobody else does", async () => {
    const region = await forum('Time region', 'regional');
    const local = await forum('Time local', 'local');
    const link = await post(`/api/forums/${region.id}/child-links`, {}, region.token);
    expect((await post(`/api/forums/${local.id}/parent`, { link: link.body.link }, local.token)).status).toBe(200);
    const a = await workshopIn(region, 'Region, March');
    const b = await workshopIn(region, '=SUM(A1:A9)');
    const c = await workshopIn(local, 'Local, April');
    await attend(a.w, 'Al', { name: 'Alan Jones', choice: 'payment' });
    await attend(a.w, 'Bo');
    await attend(b.w, 'Cy', { name: 'Cyril Smith', choice: 'voucher' });
    await attend(c.w, 'Di', { name: 'Diane Brown', choice: 'payment' });
    await sleep(GRACE_MS + 200);

    const csv = await csvOfForum(region.id, region.token);
    expect(csv.status).toBe(200);
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect(csv.cache).toBe('no-store');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('"Workshop","Name for the record","Role","Thanks","Joined (UTC)","Left (UTC)","Minutes active"');
    expect(lines.slice(1).map((l) => l.split('","').slice(0, 4).join('|'))).toEqual([
      '"Region, March|Alan Jones|Member|Payment',
      `"'=SUM(A1:A9)|Cyril Smith|Member|Voucher`
    ]);
    // Not who did not ask, not a child forum's people (their forum's own), never a display name.
    for (const word of ['Bo', 'Diane', 'Al"', 'Cy"']) expect(csv.text).not.toContain(word);
    expect((await csvOfForum(local.id, local.token)).text).toContain('"Local, April","Diane Brown"');
    // A period outside their time: the rows stay, with no minutes.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(
      (await csvOfForum(region.id, region.token, `?from=${tomorrow}`)).text
        .trim()
        .split('\r\n')
        .slice(1)
        .every((l) => l.endsWith('"","","0"'))
    ).toBe(true);
    expect(await get(`/api/forums/${region.id}/involvement.csv?to=2027-13-01`, region.token)).toEqual({
      status: 400,
      body: { error: { code: 'invalid_input', field: 'to', message: 'Enter the date as year-month-day, for example 2027-03-14' } }
    });

    // Refused, in JSON: nobody, nonsense, another forum's link (the child's too), a workshop's facilitator.
    for (const [token, status] of [
      [undefined, 401],
      ['x'.repeat(43), 401],
      [local.token, 403],
      [a.facilitator, 401]
    ] as const) {
      const refused = await get(`/api/forums/${region.id}/involvement.csv`, token);
      expect(refused.status, String(token)).toBe(status);
      expect(refused.body.error.code).toBe(status === 401 ? 'not_signed_in' : 'forbidden');
    }
  });
});

describe('a person and their own record', () => {
  it('[L-INVOLVE-8] clearing deletes the record from the store and the disk, and no more time is kept', async () => {
    const { w, facilitator } = await workshop();
    const token = (await joinAs(w.links.member, 'Ray', { name: 'Raymond Quixotic', choice: 'payment' })).body.sessionToken;
    const s = await connectSession(server.url, w.id, token);
    await sleep(150);
    expect((await recordOf(w, token)).intervals).toHaveLength(1);
    expect(await del(`/api/workshops/${w.id}/time-record`, token)).toEqual({ status: 200, body: { cleared: true } });
    expect((await get(`/api/workshops/${w.id}/time-record`, token)).status).toBe(404);
    expect((await del(`/api/workshops/${w.id}/time-record`, token)).status).toBe(404);
    s.disconnect();
    const again = await connectSession(server.url, w.id, token);
    await sleep(150);
    again.disconnect();
    await sleep(GRACE_MS + 200);
    expect((await get(`/api/workshops/${w.id}/time-record`, token)).status).toBe(404);
    expect((await csvOf(w, facilitator)).text).not.toContain('Raymond Quixotic');
    await server.running.realtime.store.checkpoint();
    for (const f of databaseFiles(server.dataDir)) expect(f.bytes.includes(Buffer.from('Raymond Quixotic')), f.name).toBe(false);
  });

  it('[L-INVOLVE-8] a person reads only their own record, with their session', async () => {
    const { w } = await workshop();
    const a = (await joinAs(w.links.member, 'Ann', { name: 'Ann Other', choice: 'voucher' })).body.sessionToken;
    const b = (await joinAs(w.links.member, 'Ben', { name: 'Ben Other', choice: 'payment' })).body.sessionToken;
    expect((await recordOf(w, a)).name).toBe('Ann Other');
    expect((await recordOf(w, b)).name).toBe('Ben Other');
    expect((await get(`/api/workshops/${w.id}/time-record`)).status).toBe(401);
  });
});
