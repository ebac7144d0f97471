// Dragging is a shortcut for the card menu's moves: with a mouse (and a finger), by the card's
// grip, within a list and to another list; everyone sees the result.
import type { Locator, Page } from '@playwright/test';
import { test } from './fixtures';

/** Drags `handle` to the middle of `target` with the mouse, in small steps as a hand would. */
async function drag(page: Page, handle: Locator, target: Locator, where: 'top' | 'bottom' = 'bottom') {
  // The mouse works on the screen as it is: the grip goes to the middle of it first (on a 720 px
  // high screen the lists start near the fold, below the header and the question).
  await handle.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const from = (await handle.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 5, from.y + from.height / 2 + 5, { steps: 3 });
  const y = where === 'top' ? to.y + 4 : to.y + to.height - 4;
  await page.mouse.move(to.x + to.width / 2, y, { steps: 15 });
  await page.mouse.move(to.x + to.width / 2, y + 1, { steps: 2 });
  await page.mouse.up();
}

test('a card dragged by its grip moves within its list and to another list, for everyone', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  const board = facilitator.board;
  const ids: string[] = [];
  for (const text of ['One', 'Two']) {
    ids.push(await board.addCard('Questions'));
    await facilitator.page.keyboard.type(text);
  }
  await board.expectLane('Questions', ['One', 'Two']);
  const grip = (id: string) => board.card(id).getByRole('button', { name: /^Drag / });

  await drag(facilitator.page, grip(ids[0]), board.card(ids[1]), 'bottom');
  await board.expectLane('Questions', ['Two', 'One']);
  await member.board.expectLane('Questions', ['Two', 'One']);

  await drag(facilitator.page, grip(ids[0]), board.lane('Solutions').locator('ol.cards'));
  await board.expectLane('Questions', ['Two']);
  await board.expectLane('Solutions', ['One']);
  await member.board.expectLane('Solutions', ['One']);
});
