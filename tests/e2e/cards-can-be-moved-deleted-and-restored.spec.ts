import { test, expect, expectNoAccessibilityViolations } from './fixtures';

test('a card moves down and up, moves to another lane chosen in its menu, and Undo brings back a deleted card', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  const board = facilitator.board;
  const ids: string[] = [];
  for (const text of ['One', 'Two', 'Three']) {
    ids.push(await board.addCard('Questions'));
    await facilitator.page.keyboard.type(text);
  }
  await board.expectLane('Questions', ['One', 'Two', 'Three']);
  const [one] = ids;

  await board.cardAction(one, 'Move down');
  await board.expectLane('Questions', ['Two', 'One', 'Three']);
  await expect(board.text(one)).toBeFocused();
  await member.board.expectLane('Questions', ['Two', 'One', 'Three']);

  await board.cardAction(one, 'Move down');
  await board.expectLane('Questions', ['Two', 'Three', 'One']);
  let menu = await board.openCardMenu(one);
  await expect(menu.getByRole('menuitem', { name: 'Move down', exact: true })).toBeDisabled();
  await facilitator.page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(board.cardMenuButton(one)).toBeFocused(); // the menu gives the focus back

  await board.cardAction(one, 'Move up');
  await board.cardAction(one, 'Move up');
  await board.expectLane('Questions', ['One', 'Two', 'Three']);
  menu = await board.openCardMenu(one);
  await expect(menu.getByRole('menuitem', { name: 'Move up', exact: true })).toBeDisabled();
  await facilitator.page.keyboard.press('Escape');

  await board.cardAction(one, 'Move to Solutions');
  await board.expectLane('Questions', ['Two', 'Three']);
  await board.expectLane('Solutions', ['One']);
  await expect(board.text(one)).toBeFocused();
  await member.board.expectLane('Solutions', ['One']);

  await board.cardAction(one, 'Delete');
  await board.expectLane('Solutions', []);
  // The focus does not get lost: with no card left, it goes to the lane's add button.
  await expect(board.addButton('Solutions')).toBeFocused();
  await member.board.expectLane('Solutions', []);
  await expect(board.lane('Solutions')).toContainText('No cards yet.');

  await board.undoButton().click();
  await board.expectLane('Solutions', ['One']);
  await member.board.expectLane('Solutions', ['One']);
  await board.expectLane('Questions', ['Two', 'Three']);
});

test('deleting a card puts the focus on the next card, or the one before it', async ({ workshop }) => {
  const { facilitator } = workshop;
  const board = facilitator.board;
  const ids: string[] = [];
  for (const text of ['A', 'B', 'C']) {
    ids.push(await board.addCard('Problems'));
    await facilitator.page.keyboard.type(text);
  }
  await board.cardAction(ids[1], 'Delete');
  await board.expectLane('Problems', ['A', 'C']);
  await expect(board.text(ids[2])).toBeFocused();
  await board.cardAction(ids[2], 'Delete');
  await board.expectLane('Problems', ['A']);
  await expect(board.text(ids[0])).toBeFocused();
});

for (const [screen, viewport] of [
  ['on a 360 px phone', { width: 360, height: 740 }],
  ['on a desktop', { width: 1280, height: 800 }]
] as const) {
  test.describe(screen, () => {
    test.use({ viewport });

    test("a card's options open from the keyboard on the first choice, pass axe open, and close back to their button", async ({
      workshop
    }) => {
      const { member } = workshop;
      const board = member.board;
      const id = await board.addCard('Problems');
      await member.page.keyboard.type('The bus stops at six');
      // One menu for the whole page, and none until someone opens it: cards carry a plain button.
      await expect(member.page.getByRole('menu')).toHaveCount(0);
      const button = board.cardMenuButton(id);
      await expect(button).toHaveAttribute('aria-haspopup', 'menu');
      await expect(button).toHaveAttribute('aria-expanded', 'false');

      await button.focus();
      await member.page.keyboard.press('ArrowDown');
      const menu = member.page.getByRole('menu');
      await expect(menu).toBeVisible();
      await expect(button).toHaveAttribute('aria-expanded', 'true');
      // "Move up" is not possible for the only card, so the first choice that is takes the focus.
      await expect(menu.getByRole('menuitem', { name: 'Move to Questions', exact: true })).toBeFocused();
      await expectNoAccessibilityViolations(member.page, "a card's options, open");
      await member.page.keyboard.press('Escape');
      await expect(menu).toBeHidden();
      await expect(button).toBeFocused();
      await expect(button).toHaveAttribute('aria-expanded', 'false');

      // Enter opens it too; while it is open, a tap anywhere outside it (the button too) closes it.
      await member.page.keyboard.press('Enter');
      await expect(menu).toBeVisible();
      await member.page.keyboard.press('Escape');
      await button.click();
      await expect(menu).toBeVisible();
      const box = (await button.boundingBox())!;
      await member.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await expect(menu).toBeHidden();
      await expect(button).toHaveAttribute('aria-expanded', 'false');
      await expect(button).toBeFocused();
    });
  });
}
