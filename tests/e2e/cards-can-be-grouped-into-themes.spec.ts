// Themes: a facilitator and a member group cards by the card's theme button (the main way: one
// tap, or the keyboard alone) and by dragging onto a theme (the shortcut); themes sync live,
// rename, merge and delete keep every card; "Suggest groups" proposes cards that share a word.
import type { Locator, Page } from '@playwright/test';
import { test, expect, expectNoAccessibilityViolations, tabTo } from './fixtures';

async function drag(page: Page, handle: Locator, target: Locator) {
  // The mouse works on the screen as it is: the grip goes to the middle of it first (on a 720 px
  // high screen the board by theme starts near the fold, below the header and the question).
  await handle.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const from = (await handle.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 5, from.y + from.height / 2 + 5, { steps: 3 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 15 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2 + 2, { steps: 2 });
  await page.mouse.up();
}

test('cards are grouped into themes by their theme button with the keyboard, and by dragging, for everyone', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  const board = facilitator.board;
  const page = facilitator.page;
  const texts = ['The bus stops at 6pm', 'No bus on Sundays', 'Letters arrive late', 'Nobody answers the phone'];
  const ids: string[] = [];
  for (const [i, text] of texts.entries()) {
    ids.push(await board.addCard(i < 2 ? 'Problems' : 'Questions'));
    await page.keyboard.type(text);
  }

  // By theme: make a theme, in the page's own dialog.
  await page.getByRole('button', { name: /^By theme/ }).click();
  const themes = page.getByRole('region', { name: /^Themes/ });
  await themes.getByRole('button', { name: 'New theme' }).click();
  const ask = board.dialog();
  await expect(ask.getByRole('heading', { name: 'New theme' })).toBeVisible();
  await expectNoAccessibilityViolations(page, 'the dialog naming a new theme');
  await ask.getByLabel('Name of the theme').fill('Getting there');
  await ask.getByRole('button', { name: 'Make the theme' }).click();
  await expect(ask).toBeHidden();
  const gettingThere = page.getByRole('region', { name: /^Getting there/ });
  await expect(gettingThere).toContainText('(0 cards)');

  // The keyboard alone: Tab to the card's theme button, Enter, arrows, Enter.
  const themeButton = (id: string) => board.card(id).getByRole('button', { name: /Move .* to a theme$/ });
  await tabTo(page, themeButton(ids[0]));
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu');
  await expect(menu).toBeVisible();
  await expectNoAccessibilityViolations(page, "a card's theme menu, open");
  const option = menu.getByRole('menuitemradio', { name: 'Getting there' });
  for (let i = 0; i < 10 && !(await option.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(gettingThere).toContainText('(1 card)');
  await expect(board.card(ids[0])).toContainText('Theme: Getting there');

  // Dragging a card onto the theme.
  await drag(page, board.card(ids[1]).getByRole('button', { name: /^Drag / }), gettingThere.locator('ol.cards'));
  await expect(gettingThere).toContainText('(2 cards)');
  // The member sees the theme live, on their card, in its list.
  await expect(member.board.card(ids[1])).toContainText('Theme: Getting there');
  await expect(member.board.cards('Problems')).toHaveCount(2); // cards keep their lists

  // Rename and delete: the cards stay.
  await gettingThere.getByRole('button', { name: 'Options for the theme Getting there' }).click();
  await page.getByRole('menuitem', { name: 'Rename…' }).click();
  await ask.getByLabel('New name').fill('Transport');
  await ask.getByRole('button', { name: 'Rename' }).click();
  const transport = page.getByRole('region', { name: /^Transport/ });
  await expect(transport).toContainText('(2 cards)');
  await expect(member.board.card(ids[0])).toContainText('Theme: Transport');
  await expectNoAccessibilityViolations(page, 'the board shown by theme');
  await transport.getByRole('button', { name: 'Options for the theme Transport' }).click();
  await page.getByRole('menuitem', { name: /^Delete the theme/ }).click();
  await expect(transport).toHaveCount(0);
  await expect(page.getByRole('region', { name: /^Not in a theme/ })).toContainText('(4 cards)');
  await board.undoButton().click(); // undo brings the theme back with its cards
  await expect(page.getByRole('region', { name: /^Transport/ })).toContainText('(2 cards)');
});

test("a theme's own options work with the keyboard alone: fold, merge through the sub-menu, take its cards out", async ({ workshop }) => {
  const { facilitator, member } = workshop;
  const board = facilitator.board;
  const page = facilitator.page;
  const ids: string[] = [];
  for (const text of ['The bus stops at 6pm', 'No bus on Sundays', 'Letters arrive late']) {
    ids.push(await board.addCard('Problems'));
    await page.keyboard.type(text);
  }
  await page.getByRole('button', { name: /^By theme/ }).click();
  const themes = page.getByRole('region', { name: /^Themes/ });
  const ask = board.dialog();
  for (const name of ['Buses', 'Post']) {
    await themes.getByRole('button', { name: 'New theme' }).click();
    await ask.getByLabel('Name of the theme').fill(name);
    await ask.getByRole('button', { name: 'Make the theme' }).click();
    await expect(ask).toBeHidden();
  }
  const buses = page.getByRole('region', { name: /^Buses/ });
  const post = page.getByRole('region', { name: /^Post/ });
  // Cards into the themes through each card's theme button (the menu, by keyboard: tested above).
  for (const [i, theme] of [
    [0, 'Buses'],
    [1, 'Buses'],
    [2, 'Post']
  ] as const) {
    await board
      .card(ids[i])
      .getByRole('button', { name: /Move .* to a theme$/ })
      .click();
    await page.getByRole('menuitemradio', { name: theme }).click();
  }
  await expect(buses).toContainText('(2 cards)');
  await expect(post).toContainText('(1 card)');

  // The theme's options open in the page's one menu, beside its button, from the keyboard.
  const options = (theme: Locator, name: string) => theme.getByRole('button', { name: `Options for the theme ${name}` });
  const menu = page.getByRole('menu', { name: 'Options for the theme Buses' });
  const choose = async (item: Locator) => {
    for (let i = 0; i < 10 && !(await item.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
  };
  await tabTo(page, options(buses, 'Buses'));
  await page.keyboard.press('Enter');
  await expect(menu).toBeVisible();
  await expect(options(buses, 'Buses')).toHaveAttribute('aria-expanded', 'true');
  await expectNoAccessibilityViolations(page, "a theme's options, open");
  await choose(menu.getByRole('menuitem', { name: 'Fold its cards away' }));
  await expect(menu).toBeHidden();
  await expect(buses).toContainText('Folded away. 2 cards inside.');
  await expect(options(buses, 'Buses')).toBeFocused(); // the focus goes back to the button
  await expect(options(buses, 'Buses')).toHaveAttribute('aria-expanded', 'false');

  await page.keyboard.press('Enter');
  await choose(menu.getByRole('menuitem', { name: 'Show its cards' }));
  await expect(buses.getByRole('list')).toBeVisible();

  // Merge through the sub-menu: ArrowRight opens it, the other themes are in it.
  await page.keyboard.press('Enter');
  await choose(menu.getByRole('menuitem', { name: /^Merge into/ }));
  const into = page.getByRole('menuitem', { name: 'Post' });
  await expect(into).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'Buses' })).toHaveCount(0); // not into itself
  for (let i = 0; i < 5 && !(await into.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(buses).toHaveCount(0);
  await expect(post).toContainText('(3 cards)');
  await expect(member.board.card(ids[0])).toContainText('Theme: Post'); // live, for everyone

  // Take its cards out: the theme stays, empty; the cards stay on the board, in no theme.
  await options(post, 'Post').focus();
  await page.keyboard.press('Enter');
  await choose(page.getByRole('menu', { name: 'Options for the theme Post' }).getByRole('menuitem', { name: 'Take all its cards out' }));
  await expect(post).toContainText('(0 cards)');
  await expect(page.getByRole('region', { name: /^Not in a theme/ })).toContainText('(3 cards)');
  await expect(options(post, 'Post')).toBeFocused();
});

test('the facilitator gets suggested groups of cards that share a word, and makes one a theme', async ({ workshop }) => {
  const { facilitator } = workshop;
  const board = facilitator.board;
  const page = facilitator.page;
  for (const text of ['Buses stop at 6pm', 'No bus on Sundays', 'Letters arrive late', 'Appointment letters get lost']) {
    await board.addCard('Problems');
    await page.keyboard.type(text);
  }
  await page.getByRole('button', { name: /^By theme/ }).click();
  await page.getByRole('button', { name: 'Suggest groups' }).click();
  const suggestions = page.getByRole('region', { name: 'Suggested groups' });
  await expect(suggestions).toContainText('2 suggested groups');
  await expectNoAccessibilityViolations(page, 'suggested groups');
  await suggestions.getByRole('listitem').filter({ hasText: 'Bus' }).getByRole('button', { name: 'Make this theme' }).click();
  await expect(page.getByRole('region', { name: /^Bus/ })).toContainText('(2 cards)');
  await expect(suggestions.getByRole('listitem')).toHaveCount(1);
});

test('the default steps have a Group step, which shows everyone the board by theme', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  await expect(member.page.getByRole('button', { name: /^By theme/ })).toHaveAttribute('aria-pressed', 'false');
  const steps = await facilitator.board.openControls('Steps and timer');
  await steps.getByRole('button', { name: 'Group into themes', exact: true }).click();
  await member.board.expectStep('Group into themes', 6);
  await expect(member.page.getByRole('button', { name: /^By theme/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(member.page.getByRole('region', { name: /^Themes/ })).toBeVisible();
  // People may switch back to the lists.
  await member.page.getByRole('button', { name: 'In their lists' }).click();
  await expect(member.page.getByRole('button', { name: /^By theme/ })).toHaveAttribute('aria-pressed', 'false');
  await expectNoAccessibilityViolations(member.page, 'the board at the Group step');
});
