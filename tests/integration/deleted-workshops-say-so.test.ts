// Issue 11, item 6: after a workshop was deleted, its board said "This device has not joined", its
// old invite link said it was copied wrong, and the facilitator's invite page was a bare "page not
// found". A deleted workshop now leaves its id and the time (nothing else), so every page and the
// API that knows the workshop says it was deleted; an invite link's token is deleted with it, so a
// link that no longer works says both things it may be.
//
// Real HTTP against the production server run as its own process (pages render there).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GONE_TEXT } from '../../src/lib/protocol/errors';
import { freePort, spawnServer, type ServerProcess } from '../helpers/process-server';
import { tempDataDir } from '../helpers/server';
import { CookieBrowser, inHtml } from '../helpers/browser';
import { createWorkshop, tokenOf } from '../helpers/clients';

let proc: ServerProcess;
let dataDir: string;

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

describe('a deleted workshop', () => {
  it('is called deleted by its board, its invite page and the API; its old link says it may have been deleted', async () => {
    const w = await createWorkshop(proc.url);
    const facilitator = new CookieBrowser(proc.url);
    const member = new CookieBrowser(proc.url);
    expect((await facilitator.send('/api/join', { json: { token: tokenOf(w.links.facilitator), name: 'Fay' } })).status).toBe(200);
    expect((await member.send('/api/join', { json: { token: tokenOf(w.links.member), name: 'Mo' } })).status).toBe(200);

    expect((await facilitator.send(`/api/workshops/${w.id}`, { method: 'DELETE' })).status).toBe(204);

    // The board, for someone who was in it, and for a device that never was (the id alone is kept).
    for (const [who, browser] of [
      ['the member', member],
      ['the facilitator', facilitator],
      ['a stranger', new CookieBrowser(proc.url)]
    ] as const) {
      expect(await browser.boardData(w.id), who).toEqual({ signedIn: false, workshopId: w.id, gone: 'deleted' });
      const page = await browser.send(`/w/${w.id}`, { page: true });
      expect(page.text, who).toContain('<h1>This workshop has been deleted</h1>');
      expect(page.text, who).not.toContain('This device has not joined');
      expect(page.text, who).toMatch(/<title>Workshop deleted – Roundtable<\/title>/);
    }

    // The facilitator's invite page: 410 Gone, saying so.
    const invite = await facilitator.send(`/w/${w.id}/invite`, { page: true });
    expect(invite.status).toBe(410);
    expect(invite.text).toContain('<h1>This workshop has been deleted</h1>');
    expect(invite.text).toContain(inHtml(GONE_TEXT.deletedDetails));

    // The old link: no token left to know it by, so it says both things it may be.
    const link = await new CookieBrowser(proc.url).send(`/j/${tokenOf(w.links.member)}`, { page: true });
    expect(link.text).toContain('<h1>This invite link is not working</h1>');
    expect(link.text).toContain(inHtml(GONE_TEXT.linkNotWorking));
    expect(GONE_TEXT.linkNotWorking).toMatch(/may have been deleted/);
    expect(link.text).not.toMatch(/Check you copied all of it/);
    const joined = await new CookieBrowser(proc.url).send('/api/join', { json: { token: tokenOf(w.links.member), name: 'Late' } });
    expect(joined.status).toBe(404);
    expect(joined.json).toEqual({ error: { code: 'unknown_invite', message: GONE_TEXT.linkNotWorking } });

    // The API says 410 Gone to scripts and pages that ask.
    const session = await member.send(`/api/session?workshop=${w.id}`);
    expect(session.status).toBe(410);
    expect(session.json).toEqual({ error: { code: 'not_found', message: GONE_TEXT.workshopDeleted } });
    const again = await facilitator.send(`/api/workshops/${w.id}`, { method: 'DELETE' });
    expect(again.status).toBe(410);
  });

  it('keeps nothing of a workshop but its id and when it went, and a workshop never made is not "deleted"', async () => {
    const w = await createWorkshop(proc.url, 'A title that must not stay', 'A question that must not stay?');
    const facilitator = new CookieBrowser(proc.url);
    await facilitator.send('/api/join', { json: { token: tokenOf(w.links.facilitator), name: 'Fay' } });
    await facilitator.send(`/api/workshops/${w.id}`, { method: 'DELETE' });
    const files = fs.readdirSync(dataDir).map((f) => fs.readFileSync(`${dataDir}/${f}`));
    for (const secret of ['A title that must not stay', 'A question that must not stay?', tokenOf(w.links.member)]) {
      expect(
        files.some((bytes) => bytes.includes(secret)),
        secret
      ).toBe(false);
    }
    const never = new CookieBrowser(proc.url);
    expect(await never.boardData('0123456789abcdef01234567')).toEqual({
      signedIn: false,
      workshopId: '0123456789abcdef01234567',
      gone: null
    });
  });
});
