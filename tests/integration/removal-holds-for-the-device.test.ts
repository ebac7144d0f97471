// Issue 11, item 2: a removed person opened the same member link (or typed the code), picked a new
// name and was back at once. Now the device is refused a new join in that workshop, whatever link,
// code or name it uses: by the session it still presents, or by the marker cookie the server sets
// once it learns of the removal (rt_removed_<id>), which outlasts leaving and clearing the device.
// And the facilitator can renew the member link, the removed person's role link and the code in
// the same step (participant.remove with renewInvites), so other devices are kept out too.
//
// Real HTTP against the production server run as its own process (pages render there; see
// tests/integration/names.test.ts), real socket.io for the facilitator's commands.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GONE_TEXT } from '../../src/lib/protocol/errors';
import { removedCookieName } from '../../src/lib/protocol/device';
import { freePort, spawnServer, type ServerProcess } from '../helpers/process-server';
import { tempDataDir } from '../helpers/server';
import { CookieBrowser, inHtml } from '../helpers/browser';
import { connectSession, createWorkshop, join, tokenOf, type SessionClient } from '../helpers/clients';
import type { FacilitatorView } from '../../src/lib/protocol/session';

let proc: ServerProcess;
let dataDir: string;
const open: SessionClient[] = [];

beforeAll(async () => {
  dataDir = tempDataDir();
  proc = await spawnServer(dataDir, await freePort());
});

afterAll(async () => {
  for (const s of open) s.disconnect();
  if (!proc) return;
  proc.child.kill('SIGTERM');
  await proc.exited;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A workshop, its facilitator's socket, and a browser that has joined it as `name` with `role`. */
async function withSomeone(role: 'member' | 'decisionMaker', name: string) {
  const w = await createWorkshop(proc.url);
  const fac = await join(proc.url, w.links.facilitator, 'Fay');
  const facilitator = await connectSession(proc.url, w.id, fac.sessionToken);
  open.push(facilitator);
  const browser = new CookieBrowser(proc.url);
  const joined = await browser.send('/api/join', { json: { token: tokenOf(w.links[role]), name } });
  expect(joined.status).toBe(200);
  return { w, facilitator, browser, id: joined.json.participant.id as string, facToken: fac.sessionToken };
}

const joinAs = (browser: CookieBrowser, target: { token: string } | { code: string }, name: string) =>
  browser.send('/api/join', { json: { ...target, name } });

describe('a removed person, on the same device', () => {
  it('cannot join again with the same member link, the code or a new name; others still can', async () => {
    const { w, facilitator, browser, id } = await withSomeone('member', 'Sam');
    expect(await facilitator.run({ type: 'participant.remove', participantId: id })).toEqual({ ok: true });

    // The same link, a new name (what the issue saw let them straight back in).
    const again = await joinAs(browser, { token: tokenOf(w.links.member) }, 'Samuel');
    expect(again.status).toBe(403);
    expect(again.json).toEqual({ error: { code: 'forbidden', message: GONE_TEXT.deviceRemoved } });
    // The server now remembers it on the device, for when the session cookie is gone too.
    expect(browser.cookies.get(removedCookieName(w.id))).toBe('removed');

    // The typed code, and another role's link.
    expect((await joinAs(browser, { code: w.code.toLowerCase() }, 'Sammy')).status).toBe(403);
    expect((await joinAs(browser, { token: tokenOf(w.links.observer) }, 'Just watching')).status).toBe(403);

    // The pages say so, in plain words, instead of offering the form.
    const page = await browser.send(`/j/${tokenOf(w.links.member)}`, { page: true });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>This device cannot join this workshop</h1>');
    expect(page.text).toContain(inHtml(GONE_TEXT.deviceRemoved));
    expect(page.text).not.toContain('What name should we show?');
    const posted = await browser.send(`/j/${tokenOf(w.links.member)}`, { form: { name: 'Sam again' } });
    expect(posted.status).toBe(403);
    expect(posted.text).toContain('This device cannot join this workshop');
    expect((await browser.send('/join', { form: { code: w.code } })).headers.get('location')).toBe(`/j/${tokenOf(w.links.member)}`);
    expect(await browser.boardData(w.id)).toEqual({ signedIn: false, workshopId: w.id, gone: 'removed' });

    // Leaving and clearing the device (what the page does once told) keeps the removal.
    expect((await browser.send('/api/session/leave', { json: { workshop: w.id } })).json).toEqual({ ended: false });
    expect([...browser.cookies.keys()]).toEqual([removedCookieName(w.id)]);
    expect((await joinAs(browser, { token: tokenOf(w.links.member) }, 'Samantha')).status).toBe(403);

    // Without renewInvites the links and the code still work for everyone else.
    const other = new CookieBrowser(proc.url);
    expect((await joinAs(other, { token: tokenOf(w.links.member) }, 'Priya')).status).toBe(200);
    expect((await joinAs(new CookieBrowser(proc.url), { code: w.code }, 'Lee')).status).toBe(200);
  });

  it('is refused in that workshop only, and someone who only left may come back', async () => {
    const { w, facilitator, browser, id } = await withSomeone('member', 'Sam');
    const elsewhere = await createWorkshop(proc.url, 'Another workshop');
    expect(await facilitator.run({ type: 'participant.remove', participantId: id })).toEqual({ ok: true });
    expect((await joinAs(browser, { token: tokenOf(w.links.member) }, 'Samuel')).status).toBe(403);
    expect((await joinAs(browser, { token: tokenOf(elsewhere.links.member) }, 'Sam')).status).toBe(200);

    const leaver = new CookieBrowser(proc.url);
    expect((await joinAs(leaver, { token: tokenOf(w.links.member) }, 'Lou')).status).toBe(200);
    expect((await leaver.send('/api/session/leave', { json: { workshop: w.id } })).json).toEqual({ ended: true });
    expect((await joinAs(leaver, { token: tokenOf(w.links.member) }, 'Lou B')).status).toBe(200);
  });
});

describe('removing someone with renewInvites', () => {
  /** The facilitators' view as it is after `change` (the links they are offered). */
  async function viewAfter(facilitator: SessionClient, change: () => Promise<unknown>): Promise<FacilitatorView> {
    const next = new Promise<FacilitatorView>((resolve) => facilitator.once('facilitator', resolve));
    await change();
    return next;
  }

  it('turns off the member link, their role link and the code, and offers new ones in the same step', async () => {
    const { w, facilitator, id, facToken } = await withSomeone('decisionMaker', 'Dana');
    const view = await viewAfter(facilitator, async () =>
      expect(await facilitator.run({ type: 'participant.remove', participantId: id, renewInvites: true })).toEqual({ ok: true })
    );
    const fresh = () => new CookieBrowser(proc.url);

    // What they knew no longer works, for any device.
    expect((await joinAs(fresh(), { token: tokenOf(w.links.member) }, 'Mo')).status).toBe(410);
    expect((await joinAs(fresh(), { token: tokenOf(w.links.decisionMaker) }, 'Dee')).status).toBe(410);
    expect((await joinAs(fresh(), { code: w.code }, 'Kay')).json.error.code).toBe('unknown_code');
    // The observer link was not theirs: it still works.
    expect((await joinAs(fresh(), { token: tokenOf(w.links.observer) }, 'Oli')).status).toBe(200);

    // The facilitator is offered the new links and, on the invite page, the new code.
    expect(view.links.member).toBeDefined();
    expect(view.links.member).not.toBe(w.links.member);
    expect(view.links.decisionMaker).not.toBe(w.links.decisionMaker);
    expect((await joinAs(fresh(), { token: tokenOf(view.links.member!) }, 'Mo')).status).toBe(200);
    expect((await joinAs(fresh(), { token: tokenOf(view.links.decisionMaker!) }, 'Dee')).status).toBe(200);
    const invite = await fetch(`${proc.url}/w/${w.id}/invite`, { headers: { authorization: `Bearer ${facToken}`, accept: 'text/html' } });
    const code = (await invite.text()).match(/class="join-code"[^>]*>([A-Z0-9 ]+)</)?.[1].replace(' ', '');
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    expect(code).not.toBe(w.code);
    expect((await joinAs(fresh(), { code: code! }, 'Kay')).status).toBe(200);
  });

  it('is refused like any command from anyone but a facilitator, and leaves the links alone when it fails', async () => {
    const { w, browser, id } = await withSomeone('member', 'Sam');
    const mo = await join(proc.url, w.links.member, 'Mo');
    const member = await connectSession(proc.url, w.id, mo.sessionToken);
    open.push(member);
    expect(await member.run({ type: 'participant.remove', participantId: id, renewInvites: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' }
    });
    expect((await joinAs(new CookieBrowser(proc.url), { code: w.code }, 'Kay')).status).toBe(200);
    expect((await joinAs(browser, { token: tokenOf(w.links.member) }, 'Sam B')).status).toBe(200);
  });
});
