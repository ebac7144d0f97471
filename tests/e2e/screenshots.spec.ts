// Pictures of the board as people see it, at 360 px on a phone and on a desktop, for docs/ and the
// README. `npm run screenshots` writes them to docs/screenshots/ (SCREENSHOTS_DIR); in the test run
// they go to the test's output folder, so the script is exercised on every run and fails when a
// screen it shows is broken. The board is filled by a real Yjs client (cards, themes), and people
// join through the real API; only what is shown is checked here, the rest has its own tests.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, BoardPage, createWorkshop, joinWithLink } from './fixtures';
import { connectBoard, join } from '../helpers/clients';
import { Board } from '../../src/lib/board/board';
import type { Lane } from '../../src/lib/board/schema';

const OUT = process.env.SCREENSHOTS_DIR;

const CARDS: { lane: Lane; text: string; theme?: 'transport' | 'letters' | 'welcome' }[] = [
  { lane: 'questions', text: 'Who decides where the probation office moves to?' },
  { lane: 'questions', text: 'Can appointments be at a time that works around a job?' },
  { lane: 'problems', text: 'The last bus back from the office leaves at 5:40', theme: 'transport' },
  { lane: 'problems', text: 'Letters about appointments arrive after the appointment', theme: 'letters' },
  { lane: 'problems', text: 'Bus fares cost more than I can spare on a Monday', theme: 'transport' },
  { lane: 'problems', text: 'Nobody says hello at reception; you wait standing up', theme: 'welcome' },
  { lane: 'problems', text: 'Letters use words I do not understand', theme: 'letters' },
  { lane: 'solutions', text: 'Text reminders the day before, in plain words', theme: 'letters' },
  { lane: 'solutions', text: 'Travel passes for people who have to come in', theme: 'transport' },
  { lane: 'solutions', text: 'Peer mentors at the front desk on busy days', theme: 'welcome' }
];

async function shoot(page: Page, name: string, testInfo: import('@playwright/test').TestInfo): Promise<void> {
  const file = OUT ? path.resolve(OUT, `${name}.png`) : testInfo.outputPath(`${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, animations: 'disabled' });
  expect(fs.statSync(file).size, `${name}.png was written`).toBeGreaterThan(5_000);
}

test.describe('screenshots of the board', () => {
  let workshop: Awaited<ReturnType<typeof createWorkshop>>;

  test.beforeAll(async ({ request, baseURL }) => {
    workshop = await createWorkshop(request, {
      title: 'Getting to probation appointments',
      question: 'What stops people getting to their appointments, and what would help?'
    });
    const writer = await join(baseURL!, workshop.links.member, 'Priya');
    const client = connectBoard(baseURL!.replace(/^http/, 'ws'), workshop.boards[0].id, writer.sessionToken);
    await client.synced;
    const board = new Board(client.doc);
    const themes = {
      transport: board.addTheme('Getting there'),
      letters: board.addTheme('Letters and reminders'),
      welcome: board.addTheme('A friendly welcome')
    };
    client.doc.transact(() => {
      for (const c of CARDS) {
        const id = board.add({ lane: c.lane, text: c.text });
        if (c.theme) board.setTheme(id, themes[c.theme]);
      }
    });
    // The server has it all once a fresh client sees every card.
    const check = connectBoard(baseURL!.replace(/^http/, 'ws'), workshop.boards[0].id, writer.sessionToken);
    await check.synced;
    await expect.poll(() => check.doc.getMap('cards').size).toBe(CARDS.length);
    check.destroy();
    client.destroy();
  });

  test.describe('on a 360 px phone', () => {
    test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

    test('a member: the Problems list, then a card’s options', async ({ page, context }, testInfo) => {
      await joinWithLink(context, workshop.links.member, 'Marcus');
      const board = new BoardPage(page);
      await board.open(workshop.id);
      await board.laneTab('Problems').tap();
      await expect(board.cards('Problems')).toHaveCount(5);
      await expect(page.getByRole('button', { name: /Raise my hand/ })).toBeVisible();
      await shoot(page, 'phone-board', testInfo);

      const id = await board.cardIdWith('Problems', CARDS[3].text);
      await board.cardMenuButton(id).tap();
      await expect(page.getByRole('menu')).toBeVisible();
      await shoot(page, 'phone-card-menu', testInfo);
    });
  });

  test.describe('on a desktop', () => {
    test.use({ viewport: { width: 1280, height: 800 } });

    test('the facilitator: the lists beside their controls, then the cards by theme', async ({ page, context }, testInfo) => {
      await joinWithLink(context, workshop.links.facilitator, 'Fatima');
      const board = new BoardPage(page);
      await board.open(workshop.id);
      await expect(board.cards('Problems')).toHaveCount(5);
      await expect(board.controls()).toBeVisible();
      await shoot(page, 'desktop-facilitator', testInfo);

      await page.getByRole('button', { name: /^By theme/ }).click();
      await expect(page.getByRole('region', { name: /^Getting there/ })).toBeVisible();
      await shoot(page, 'desktop-themes', testInfo);
    });
  });
});
