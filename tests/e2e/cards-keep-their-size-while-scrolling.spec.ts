// Issue 11 defect: "On a phone, cards show blank while scrolling, then grow by 100 px and more."
// Cards were skipped by the browser until near the screen (content-visibility) with a guessed
// height, so every card of two lines or more grew as it came into view and the list jumped under
// the person's thumb. Here 36 cards of one to five lines are put on the board by a real Yjs client;
// each card's height when the page has just loaded must be its height once it has been on screen.
import { test, expect, BoardPage, createWorkshop, joinWithLink } from './fixtures';
import { join, seedCards } from '../helpers/clients';

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
  await seedCards(
    baseURL!,
    boardId,
    writer.sessionToken,
    Array.from({ length: 36 }, (_, i) => ({
      id: `seed${i}`,
      lane: 'problems' as const,
      text: `${i + 1}: ${WORDS.repeat(1 + (i % 5)).slice(0, 40 + (i % 5) * 70)}`
    }))
  );

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
