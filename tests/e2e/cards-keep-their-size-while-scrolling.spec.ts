// Issue 11 defect: "On a phone, cards show blank while scrolling, then grow by 100 px and more."
// Cards were skipped by the browser until near the screen (content-visibility) with a guessed
// height, so every card of two lines or more grew as it came into view and the list jumped under
// the person's thumb. Here 36 cards of one to five lines are put on the board by a real Yjs client;
// each card's height when the page has just loaded must be its height once it has been on screen.
import * as Y from 'yjs';
import { generateNKeysBetween } from 'fractional-indexing';
import { test, expect, BoardPage, createWorkshop, joinWithLink } from './fixtures';
import { connectBoard, join } from '../helpers/clients';

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

const WORDS = 'the bus to the job centre stops at six so people who work late cannot get there or back home';

test('on a 360 px phone, cards are their real height before they come into view, so the list never jumps', async ({
  page,
  context,
  request,
  baseURL
}) => {
  const workshop = await createWorkshop(request);
  const boardId = workshop.boards[0].id;
  const writer = await join(baseURL!, workshop.links.member, 'Seeder');
  const client = connectBoard(baseURL!.replace(/^http/, 'ws'), boardId, writer.sessionToken);
  await client.synced;
  const keys = generateNKeysBetween(null, null, 36);
  client.doc.transact(() => {
    const cards = client.doc.getMap<Y.Map<unknown>>('cards');
    keys.forEach((order, i) => {
      const card = new Y.Map<unknown>();
      const text = new Y.Text();
      text.insert(0, `${i + 1}: ${WORDS.repeat(1 + (i % 5)).slice(0, 40 + (i % 5) * 70)}`);
      card.set('lane', 'problems');
      card.set('order', order);
      card.set('text', text);
      card.set('createdAt', Date.now());
      cards.set(`seed${i}`, card);
    });
  });
  // Wait until the server has it all (a fresh client sees the 36 cards).
  const check = connectBoard(baseURL!.replace(/^http/, 'ws'), boardId, writer.sessionToken);
  await check.synced;
  await expect.poll(() => check.doc.getMap('cards').size).toBe(36);
  check.destroy();
  client.destroy();

  await joinWithLink(context, workshop.links.member, 'Marcus');
  const board = new BoardPage(page);
  await board.open(workshop.id);
  await board.laneTab('Problems').tap();
  await expect(board.cards('Problems')).toHaveCount(36);

  const heights = () => board.cards('Problems').evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().height)));
  const before = await heights();
  // Scroll the whole list through the screen, a screen at a time, as a thumb would.
  const total = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y <= total; y += 600) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  const after = await heights();
  const grew = after.map((h, i) => ({ card: i + 1, before: before[i], after: h })).filter((c) => Math.abs(c.after - c.before) > 1);
  expect(grew, 'cards whose height changed once they came into view').toEqual([]);
});
