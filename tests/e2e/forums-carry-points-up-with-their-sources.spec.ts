// Issue 13, parts 1-4, in Chromium: two local forums agree key points in their workshops and share
// them with a regional forum (set up as scripts would, through the API and real board
// connections); the regional facilitator brings them onto the regional board, merges two alike
// ones and opens "Where this came from", by keyboard alone; the forum's page shows what it says,
// ranked, with the tree of where a point came from. axe finds nothing on any new page or state, at
// 360 px and on a desktop.
import type { BrowserContext, Page } from '@playwright/test';
import { Board } from '../../src/lib/board/board';
import { connectBoard, connectSession, join, until } from '../helpers/clients';
import { test, expect, expectNoAccessibilityViolations, joinWithLink, tabTo, SCREENS } from './fixtures';

const BASE = `http://127.0.0.1:${process.env.PLAYWRIGHT_PORT ?? 4173}`;
const WS = BASE.replace('http', 'ws');

interface Forum {
  id: string;
  token: string;
}

async function call(path: string, body: unknown, token?: string): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(BASE + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function forum(name: string, level: string): Promise<Forum> {
  const res = await call('/api/forums', { name, level });
  expect(res.status).toBe(201);
  const link = res.body.links.facilitator as string;
  return { id: res.body.id, token: link.slice(link.lastIndexOf('/') + 1) };
}

async function joinParent(child: Forum, parent: Forum) {
  const link = await call(`/api/forums/${parent.id}/child-links`, {}, parent.token);
  expect((await call(`/api/forums/${child.id}/parent`, { link: link.body.link }, child.token)).status).toBe(200);
}

async function workshopIn(f: Forum, title: string) {
  const res = await call(`/api/forums/${f.id}/workshops`, { title, question: 'How can probation letters be easier to read?' }, f.token);
  expect(res.status).toBe(201);
  return res.body as { id: string; boards: { id: string }[]; links: Record<string, string> };
}

/** A local group: a member writes the cards, the facilitator links a key point to them, agrees it, and the forum shares it up. */
async function localPoint(f: Forum, title: string, point: string, cards: string[]) {
  const w = await workshopIn(f, title);
  const boardId = w.boards[0].id;
  const [fac, mem] = await Promise.all([join(BASE, w.links.facilitator, 'Fay'), join(BASE, w.links.member, 'Mo')]);
  const writer = connectBoard(WS, boardId, mem.sessionToken);
  const lead = connectBoard(WS, boardId, fac.sessionToken);
  await Promise.all([writer.synced, lead.synced]);
  const ids = cards.map((text) => new Board(writer.doc).add({ lane: 'problems', text }));
  await until(lead.doc, () => ids.every((id) => new Board(lead.doc).has(id)));
  new Board(lead.doc).addKeyPoint(point, ids);
  await until(writer.doc, () => new Board(writer.doc).keyPoints().length === 1);
  const socket = await connectSession(BASE, w.id, fac.sessionToken);
  expect((await socket.run({ type: 'keypoints.agree', boardId })).ok).toBe(true);
  socket.disconnect();
  writer.destroy();
  lead.destroy();
  const own = (await call(`/api/forums/${f.id}`, undefined, f.token)).body.workshops.find((x: { id: string }) => x.id === w.id).points[0];
  expect(
    (await call(`/api/forums/${f.id}/shared`, { workshopId: own.workshopId, boardId: own.boardId, pointId: own.pointId }, f.token)).status
  ).toBe(201);
}

let region: Forum;
let regional: { id: string; links: Record<string, string> };

test.beforeAll(async () => {
  region = await forum('Yorkshire regional forum', 'regional');
  const leeds = await forum('Leeds lived experience forum', 'local');
  const york = await forum('York recovery forum', 'local');
  await joinParent(leeds, region);
  await joinParent(york, region);
  await localPoint(leeds, 'Leeds, March', 'Letters are too hard to read', ['Long words in every letter', 'I could not read my letter']);
  await localPoint(york, 'York, April', 'Probation letters use jargon', ['What is a CSTR?']);
  await localPoint(leeds, 'Leeds, April', 'Appointments clash with work', ['My shift starts at 9']);
  regional = await workshopIn(region, 'Yorkshire, May');
});

let facilitators = 0;

async function facilitatorOn(context: BrowserContext): Promise<Page> {
  await joinWithLink(context, regional.links.facilitator, `Rita ${++facilitators}`);
  const page = await context.newPage();
  await page.goto(`/w/${regional.id}/rollup`);
  await expect(page.getByRole('heading', { level: 1, name: 'Points from other forums' })).toBeVisible();
  return page;
}

test.describe('on a desktop', () => {
  test.use(SCREENS['on a desktop']);

  test('a regional facilitator brings in points from two local forums, merges two and opens where they came from, by keyboard alone', async ({
    browser
  }) => {
    test.slow();
    const context = await browser.newContext();
    const page = await facilitatorOn(context);
    await expectNoAccessibilityViolations(page, 'the roll-up page before anything is brought in');

    // Bring all three in: tick each with Space, then the button with Enter.
    for (const text of ['Letters are too hard to read', 'Probation letters use jargon', 'Appointments clash with work']) {
      const box = page.getByRole('checkbox', { name: new RegExp(`^${text}`) });
      await tabTo(page, box);
      await page.keyboard.press('Space');
      await expect(box).toBeChecked();
    }
    await tabTo(page, page.getByRole('button', { name: 'Bring onto the board' }));
    await page.keyboard.press('Enter');
    await expect(page.locator('p.notice[role="status"]')).toHaveText('The points are on the board, in Problems.');
    await expect(page.locator('#on-the-board li.panel')).toHaveCount(3);

    // Nothing ticked: the page says what to do.
    await tabTo(page, page.getByRole('button', { name: 'Merge the ticked cards' }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert')).toContainText('Choose at least two cards to merge.');
    await expectNoAccessibilityViolations(page, 'the roll-up page with an error');

    // Merge the two letter points.
    for (const text of ['Letters are too hard to read', 'Probation letters use jargon']) {
      const box = page.getByRole('checkbox', { name: text, exact: true });
      await tabTo(page, box);
      await page.keyboard.press('Space');
    }
    await tabTo(page, page.getByRole('button', { name: 'Merge the ticked cards' }));
    await page.keyboard.press('Enter');
    await expect(page.locator('p.notice[role="status"]')).toHaveText(
      'The cards are merged into one. It keeps every source and all their support.'
    );
    const merged = page.locator('#on-the-board li.panel', { hasText: 'Merged from 2 points' });
    await expect(merged).toContainText('Raised by 2 groups');

    // Where this came from: both forums, their workshops, and counts, never a card's words.
    const summary = merged.locator('summary', { hasText: 'Where this came from' });
    await tabTo(page, summary);
    await page.keyboard.press('Enter');
    const sources = merged.locator('.source');
    await expect(sources).toHaveCount(2);
    // Each source with its forum, level, workshop and counts (in the order the cards were ticked).
    for (const [forumName, workshopTitle] of [
      ['Leeds lived experience forum', 'Leeds, March'],
      ['York recovery forum', 'York, April']
    ]) {
      const source = sources.filter({ hasText: `${forumName} (Local)` });
      await expect(source).toContainText(workshopTitle);
      await expect(source).toContainText('1 person');
    }
    await expect(merged).toContainText('No vote on it yet.');
    await expect(merged).not.toContainText('Long words in every letter');
    await expectNoAccessibilityViolations(page, 'the roll-up page with a merged card and where it came from open');

    // The board shows the merged card with its link to where it came from.
    await page.goto(`/w/${regional.id}`);
    const link = page.getByRole('link', { name: /^Where this came from/ }).first();
    await expect(link).toBeVisible();
    await expectNoAccessibilityViolations(page, 'the board with rolled-up cards');

    // Undo the merge by keyboard, then merge again for the forum's page.
    await page.goto(`/w/${regional.id}/rollup`);
    await tabTo(page, page.getByRole('button', { name: /^Undo the merge/ }));
    await page.keyboard.press('Enter');
    await expect(page.locator('p.notice[role="status"]')).toHaveText('The merge is undone: each source is a card of its own again.');
    await expect(page.locator('#on-the-board li.panel')).toHaveCount(3);
    await context.close();
  });

  test("the regional forum's page says what it says, ranked, with the tree of where each point came from", async ({ browser }) => {
    // The regional workshop merges the two letter points and agrees a key point on the merged card.
    const kit = await join(BASE, regional.links.facilitator, `Kit ${++facilitators}`);
    const rolled = (await call(`/api/workshops/${regional.id}/rollups`, undefined, kit.sessionToken)).body.cards as {
      cardId: string;
      boardId: string;
      text: string;
    }[];
    const letters = rolled.filter((c) => c.text === 'Letters are too hard to read' || c.text === 'Probation letters use jargon');
    const socket = await connectSession(BASE, regional.id, kit.sessionToken);
    const merged = await socket.run({ type: 'rollup.merge', boardId: letters[0].boardId, cardIds: letters.map((c) => c.cardId) });
    expect(merged.ok).toBe(true);
    const board = connectBoard(WS, letters[0].boardId, kit.sessionToken);
    await board.synced;
    const cardId = (merged as { cardId: string }).cardId;
    await until(board.doc, () => new Board(board.doc).has(cardId));
    new Board(board.doc).addKeyPoint('Write to people in plain words', [cardId]);
    const check = connectBoard(WS, letters[0].boardId, kit.sessionToken);
    await until(check.doc, () => new Board(check.doc).keyPoints().length === 1);
    expect((await socket.run({ type: 'keypoints.agree', boardId: letters[0].boardId })).ok).toBe(true);
    socket.disconnect();
    board.destroy();
    check.destroy();

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`/forum/${region.token}`);
    await expect(page).toHaveURL(`/f/${region.id}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Yorkshire regional forum' })).toBeVisible();
    // The three shared points and the regional one, which two groups raised: first.
    await expect(page.locator('.points > li')).toHaveCount(4);
    const first = page.locator('.points > li').first();
    await expect(first).toContainText('Write to people in plain words');
    await expect(first).toContainText('Raised by 2 groups');
    await expectNoAccessibilityViolations(page, "a regional forum's page");
    await tabTo(page, first.locator('summary'));
    await page.keyboard.press('Enter');
    await expect(first.getByRole('heading', { name: 'The groups that agreed it' })).toBeVisible();
    // The tree from the local groups up: drawn, and as a list.
    await expect(first.locator('.picture .row')).toHaveCount(2);
    await expect(first.locator('.picture .row').nth(1).locator('.box')).toHaveCount(2);
    await expect(first.locator('.forum-tree .visually-hidden ul ul li')).toHaveCount(2);
    await expect(first.locator('.forum-tree .visually-hidden')).toContainText('Leeds lived experience forum (Local forum), Leeds, March');
    await expectNoAccessibilityViolations(page, "a regional forum's page with where a point came from open");
    // The forum's time records, with the forum's own cookie (no token in the address).
    const records = page.getByRole('link', { name: 'Download the time records of these workshops (CSV)' });
    await tabTo(page, records);
    const csv = await context.request.get((await records.getAttribute('href'))!);
    expect(csv.status()).toBe(200);
    expect((await csv.text()).split('\r\n')[0]).toBe(
      '"Workshop","Name for the record","Role","Thanks","Joined (UTC)","Left (UTC)","Minutes active"'
    );
    await context.close();
  });
});

test.describe('on a 360 px phone', () => {
  test.use(SCREENS['on a 360 px phone']);

  test('the roll-up page, the board with rolled-up cards and the forum page pass axe, with where a point came from open', async ({
    browser
  }) => {
    test.slow();
    const context = await browser.newContext({ ...SCREENS['on a 360 px phone'] });
    const page = await facilitatorOn(context);
    // Run on its own (or after a failure), the board has nothing brought in yet: bring it in.
    if ((await page.locator('#on-the-board details').count()) === 0) {
      for (const box of await page.getByRole('checkbox').all()) await box.check();
      await page.getByRole('button', { name: 'Bring onto the board' }).click();
      await expect(page.locator('#on-the-board details')).toHaveCount(3);
    }
    await expectNoAccessibilityViolations(page, 'the roll-up page on a phone');
    const details = page.locator('#on-the-board details').first();
    await details.locator('summary').click();
    await expectNoAccessibilityViolations(page, 'the roll-up page on a phone with where a card came from open');
    // Nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.goto(`/forum/${region.token}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Yorkshire regional forum' })).toBeVisible();
    await page.locator('.points > li summary').first().click();
    await expectNoAccessibilityViolations(page, "a forum's page on a phone with the tree open");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // The pages reached without a link that works say so plainly.
    await page.goto(`/forum/${'x'.repeat(43)}`);
    await expect(page.getByRole('heading', { level: 1, name: 'This forum link does not work' })).toBeVisible();
    await expectNoAccessibilityViolations(page, 'a forum link that does not work');
    await page.goto(`/forum/join/${'j'.repeat(43)}`);
    await expect(page.getByRole('heading', { level: 1, name: "This is a forum's join link" })).toBeVisible();
    await expectNoAccessibilityViolations(page, 'a join link opened in a browser');
    const stranger = await browser.newContext({ ...SCREENS['on a 360 px phone'] });
    const other = await stranger.newPage();
    await other.goto(`/f/${region.id}`);
    await expect(other.getByRole('heading', { level: 1, name: 'Open your forum link first' })).toBeVisible();
    await expectNoAccessibilityViolations(other, "a forum's page without its link");
    await stranger.close();
    await context.close();
  });
});

for (const screen of ['on a desktop', 'on a 360 px phone'] as const) {
  test.describe(screen, () => {
    test.use(SCREENS[screen]);
    test("a forum's facilitator turns off a join link and replaces the forum link, by keyboard alone", async ({ browser }) => {
      const spare = await forum(`Humber regional forum (${screen})`, 'regional');
      const context = await browser.newContext({ ...SCREENS[screen] });
      const page = await context.newPage();
      await page.goto(`/forum/${spare.token}`);
      await expect(page).toHaveURL(`/f/${spare.id}`);
      const make = page.getByRole('button', { name: 'Make a join link' });
      await tabTo(page, make, { max: 150 });
      await page.keyboard.press('Enter');
      await expect(page.getByText('A new join link is ready below.')).toBeVisible();
      const joinLink = (await call(`/api/forums/${spare.id}`, undefined, spare.token)).body.childLinks[0] as string;
      const off = page.getByRole('button', { name: 'Turn off join link 1' });
      await tabTo(page, off, { max: 150 });
      await expectNoAccessibilityViolations(page, "a forum's page with a join link to turn off");
      await page.keyboard.press('Enter');
      await expect(page.getByText('That join link no longer works. Forums that joined with it stay in this one.')).toBeVisible();
      await expect(off).toHaveCount(0);
      const late = await forum(`Late local (${screen})`, 'local');
      expect((await call(`/api/forums/${late.id}/parent`, { link: joinLink }, late.token)).status).toBe(410);

      const renew = page.getByRole('button', { name: 'Make a new forum link' });
      await tabTo(page, renew, { backwards: true, max: 150 });
      await page.keyboard.press('Enter');
      await expect(page.getByText('This forum has a new link, shown below.')).toBeVisible();
      // This browser goes on with the new link; the old one works nowhere.
      await expect(page.getByRole('heading', { level: 1, name: `Humber regional forum (${screen})` })).toBeVisible();
      await expectNoAccessibilityViolations(page, "a forum's page with a new forum link");
      expect((await call(`/api/forums/${spare.id}`, undefined, spare.token)).status).toBe(401);
      const stranger = await browser.newContext({ ...SCREENS[screen] });
      const old = await stranger.newPage();
      await old.goto(`/forum/${spare.token}`);
      await expect(old.getByText('This forum link has been turned off.')).toBeVisible();
      await expectNoAccessibilityViolations(old, 'a forum link that was replaced');
      await stranger.close();
      await context.close();
    });
  });
}
