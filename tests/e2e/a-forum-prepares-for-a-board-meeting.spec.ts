// Issue 13, item 5 (preparing for a board meeting), in Chromium: a forum's workshop agrees a key
// point and the forum's facilitator names a meeting (set up through the API and real sockets); a
// member on a 360 px phone comments on the point without their name, by keyboard alone, after a
// refusal shown in an error summary; the workshop's facilitator (a representative of the forum) on
// a desktop agrees the words to take, and the pack says them. axe finds nothing on either screen.
import * as Y from 'yjs';
import { Board } from '../../src/lib/board/board';
import { connectBoard, connectSession, until } from '../helpers/clients';
import { test, expect, expectNoAccessibilityViolations, joinWithLink, tabTo, SCREENS } from './fixtures';

interface Setup {
  meetingId: string;
  workshopId: string;
  links: Record<string, string>;
}

async function prepare(baseURL: string, request: import('@playwright/test').APIRequestContext): Promise<Setup> {
  const forum = await (await request.post('/api/forums', { data: { name: 'Yorkshire regional forum', level: 'regional' } })).json();
  const token = String(forum.links.facilitator).split('/').pop()!;
  const headers = { authorization: `Bearer ${token}` };
  const w = await (
    await request.post(`/api/forums/${forum.id}/workshops`, { headers, data: { title: 'Letters', question: 'How?' } })
  ).json();
  const fac = await (
    await request.post('/api/join', { data: { token: String(w.links.facilitator).split('/').pop(), name: 'Fay' } })
  ).json();
  const board = connectBoard(baseURL.replace('http', 'ws'), w.boards[0].id, fac.sessionToken, new Y.Doc());
  await board.synced;
  const card = new Board(board.doc).add({ lane: 'problems', text: 'Letters are too hard to read' });
  new Board(board.doc).addKeyPoint('Letters in plain words', [card]);
  const socket = await connectSession(baseURL, w.id, fac.sessionToken);
  await expect.poll(async () => (await socket.run({ type: 'keypoints.agree', boardId: w.boards[0].id })).ok).toBe(true);
  socket.disconnect();
  await until(board.doc, () => true);
  board.destroy();
  const made = await request.post(`/api/forums/${forum.id}/meetings`, {
    headers,
    data: { body: 'NHS England Health and Justice board', date: '2027-03-14' }
  });
  expect(made.status(), await made.text()).toBe(201);
  return { meetingId: (await made.json()).meeting.id, workshopId: w.id, links: w.links };
}

test.describe('on a 360 px phone', () => {
  test.use(SCREENS['on a 360 px phone']);

  test('a member comments on a point without their name, by keyboard', async ({ browser, request, baseURL }) => {
    test.slow();
    const s = await prepare(baseURL!, request);
    const context = await browser.newContext(SCREENS['on a 360 px phone']);
    await joinWithLink(context, s.links.member, 'Mo');
    const page = await context.newPage();
    // From the board: its forum's meetings are linked there.
    await page.goto(`/w/${s.workshopId}`);
    await page.getByRole('link', { name: 'Preparing for the NHS England Health and Justice board, 14 March 2027' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Preparing for the NHS England Health and Justice board' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 3, name: 'Letters in plain words' })).toBeVisible();
    // Members comment; only representatives and facilitators agree the words.
    await expect(page.getByText('Agree the words, or record what the board said')).toHaveCount(0);
    await expectNoAccessibilityViolations(page, 'the meeting page on a phone');

    const button = page.getByRole('button', { name: 'Add my comment' });
    await tabTo(page, button);
    await page.keyboard.press('Enter');
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await expect(summary).toBeFocused();
    await expect(page).toHaveTitle(/^Error: /);
    await expectNoAccessibilityViolations(page, "the meeting page's error on a phone");

    await summary.getByRole('link', { name: 'Write your comment on this point' }).press('Enter');
    await expect(page.getByLabel('Your comment on this point')).toBeFocused();
    await page.keyboard.type('Put a phone number on every letter');
    await tabTo(page, page.getByRole('checkbox', { name: 'Post without my name' }));
    await page.keyboard.press('Space');
    await tabTo(page, page.getByRole('button', { name: 'Add my comment' }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'Your comment is saved.' })).toBeVisible();
    await expect(page.getByText('Without a name: Put a phone number on every letter')).toBeVisible();
    await expect(page.getByText('Mo:')).toHaveCount(0);
    await expectNoAccessibilityViolations(page, 'the meeting page with a comment on a phone');
    await context.close();
  });
});

test.describe('on a desktop', () => {
  test.use(SCREENS['on a desktop']);

  test("the workshop's facilitator agrees the words, and the pack says them", async ({ browser, request, baseURL }) => {
    test.slow();
    const s = await prepare(baseURL!, request);
    const context = await browser.newContext(SCREENS['on a desktop']);
    await joinWithLink(context, s.links.facilitator, 'Fran');
    const page = await context.newPage();
    await page.goto(`/meetings/${s.meetingId}`);
    const open = page.getByText('Agree the words, or record what the board said');
    await tabTo(page, page.locator('summary', { hasText: 'Agree the words' }));
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('The words to take to the meeting')).toBeVisible();
    await expectNoAccessibilityViolations(page, 'the meeting page for a representative on a desktop');
    await tabTo(page, page.getByLabel('The words to take to the meeting'));
    await page.keyboard.type('Write every probation letter in plain words');
    await tabTo(page, page.getByRole('button', { name: 'Save this point' }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 3, name: 'Write every probation letter in plain words' })).toBeVisible();
    await expect(open).toBeVisible();
    const md = await page.request.get(`/api/meetings/${s.meetingId}/pack.md`);
    expect(md.status()).toBe(200);
    expect(await md.text()).toContain('Write every probation letter in plain words');
    await page.getByRole('link', { name: 'Easy read' }).click();
    await expect(page.getByRole('heading', { name: 'What will we say?' })).toBeVisible();
    await context.close();
  });
});
