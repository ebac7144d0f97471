// Create -> join -> add -> type -> move -> delete -> undo, with Tab, Shift+Tab, Enter, Space, arrow
// keys and typing only: no clicks, no taps. (Navigating to the invite link stands for opening it.)
import type { Locator, Page } from '@playwright/test';
import { test, expect, BoardPage, chooseWithKeys, uniqueTitle } from './fixtures';

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails if it never does. */
async function tabTo(page: Page, target: Locator, options: { backwards?: boolean; max?: number } = {}): Promise<void> {
  const key = options.backwards ? 'Shift+Tab' : 'Tab';
  for (let i = 0; i < (options.max ?? 60); i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(key);
  }
  await expect(target, `reached with ${key}`).toBeFocused({ timeout: 1 });
}

test('a facilitator and a member can do the whole flow with the keyboard alone', async ({ page, browser }) => {
  const title = uniqueTitle('Bus forum');

  // The facilitator creates the workshop.
  await page.goto('/');
  await tabTo(page, page.getByLabel('Workshop title'));
  await page.keyboard.type(title);
  await tabTo(page, page.getByLabel('The question for the group'));
  await page.keyboard.type('How do we make buses work for everyone?');
  await tabTo(page, page.getByLabel('Your name (optional)'));
  await page.keyboard.type('Fatima');
  await tabTo(page, page.getByRole('button', { name: 'Create workshop' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Invite people to ${title}`);
  const memberLink = await page.getByRole('textbox', { name: 'Members (lived experience)' }).inputValue();
  await tabTo(page, page.getByRole('link', { name: 'Go to the board' }));
  await page.keyboard.press('Enter');
  const facilitator = new BoardPage(page);
  await facilitator.expectLive();

  // The member opens the invite link and joins.
  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await memberPage.goto(memberLink);
  await tabTo(memberPage, memberPage.getByLabel('What name should we show?'));
  await memberPage.keyboard.type('Marcus');
  await memberPage.keyboard.press('Enter');
  const member = new BoardPage(memberPage);
  await member.expectLive();
  await expect(member.presence()).toContainText('2 people here:');

  // Add two cards (Enter, then Space) and type into them.
  await tabTo(memberPage, member.addButton('Questions'));
  await memberPage.keyboard.press('Enter');
  const fares = await member.focusedCardId();
  await memberPage.keyboard.type('Fares are too high');
  await tabTo(memberPage, member.addButton('Questions'));
  await memberPage.keyboard.press('Space');
  await member.focusedCardId();
  await memberPage.keyboard.type('No buses at night');
  await member.expectLane('Questions', ['Fares are too high', 'No buses at night']);
  await facilitator.expectLane('Questions', ['Fares are too high', 'No buses at night']);

  // Move the first card down, with Shift+Tab back to its options button and the arrow keys.
  await tabTo(memberPage, member.cardMenuButton(fares), { backwards: true });
  await chooseWithKeys(memberPage, 'Move down');
  await member.expectLane('Questions', ['No buses at night', 'Fares are too high']);
  await expect(member.text(fares)).toBeFocused();

  // Move it to Problems from the same menu.
  await tabTo(memberPage, member.cardMenuButton(fares));
  await chooseWithKeys(memberPage, 'Move to Problems');
  await member.expectLane('Problems', ['Fares are too high']);
  await member.expectLane('Questions', ['No buses at night']);
  await facilitator.expectLane('Problems', ['Fares are too high']);
  await expect(member.text(fares)).toBeFocused();

  // Delete it: the focus stays in the lane, so Shift+Tab leads back to Undo.
  await tabTo(memberPage, member.cardMenuButton(fares));
  await chooseWithKeys(memberPage, 'Delete');
  await member.expectLane('Problems', []);
  await facilitator.expectLane('Problems', []);
  await expect(member.lane('Problems').locator(':focus')).toHaveCount(1);
  await tabTo(memberPage, member.undoButton(), { backwards: true });
  await memberPage.keyboard.press('Enter');
  await member.expectLane('Problems', ['Fares are too high']);
  await facilitator.expectLane('Problems', ['Fares are too high']);
  await member.expectLane('Questions', ['No buses at night']);

  await memberContext.close();
});
