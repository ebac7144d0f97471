import { test, expect } from './fixtures';

test('someone typing in the middle of a card keeps their place while others edit other cards', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  const mine = await member.board.addCard('Problems');
  await member.page.keyboard.type('abcdef');
  const theirs = await facilitator.board.addCard('Questions');
  await facilitator.page.keyboard.type('x');
  await expect(member.page.locator(`#card-${theirs}`)).toHaveValue('x');

  // The member puts the caret after "abc"...
  const field = member.page.locator(`#card-${mine}`);
  await field.focus();
  await field.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(3, 3));
  // ...someone else types in another card...
  await facilitator.page.keyboard.type('yz');
  await expect(member.page.locator(`#card-${theirs}`)).toHaveValue('xyz');
  // ...and the member's next letters still go where their caret was.
  await member.page.keyboard.type('XY');
  await expect(field).toHaveValue('abcXYdef');
  await expect(facilitator.page.locator(`#card-${mine}`)).toHaveValue('abcXYdef');
});
