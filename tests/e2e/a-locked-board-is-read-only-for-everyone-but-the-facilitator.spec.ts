// Issue 3: a locked board. Members see a notice and their cards become read-only; the facilitator
// can still add and edit, and unlocking gives the member their cards back.
import { test, expect } from './fixtures';

test('on a locked board a member’s cards are read-only and a notice says so, while the facilitator can still add', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  const notice = member.page.getByText('The board is locked. Only the facilitator can change it now.');
  const mine = await member.board.addCard('Problems');
  await member.page.keyboard.type('Forms are too long');
  await facilitator.board.expectLane('Problems', ['Forms are too long']);
  await expect(notice).toHaveCount(0);

  const controls = await facilitator.board.openControls('Board');
  await controls.getByRole('button', { name: 'Lock the board' }).click();
  await expect(controls.getByRole('button', { name: 'Unlock the board' })).toBeVisible();

  // The member: a notice, read-only cards, no way to add, move or delete.
  await expect(notice).toBeVisible();
  await expect(member.board.text(mine)).not.toBeEditable();
  await expect(member.board.text(mine)).toHaveAttribute('readonly', '');
  for (const lane of ['Questions', 'Problems', 'Solutions'] as const) await expect(member.board.addButton(lane)).toHaveCount(0);
  await expect(member.board.cardMenuButton(mine)).toHaveCount(0); // no menu: nothing to move or delete
  await expect(member.board.undoButton()).toHaveCount(0);
  await member.board.text(mine).focus();
  await member.page.keyboard.type(' and confusing');
  await member.board.expectLane('Problems', ['Forms are too long']);
  // The facilitator sees no notice and can still add and edit.
  await expect(facilitator.page.getByText('The board is locked. Only the facilitator can change it now.')).toHaveCount(0);
  await expect(facilitator.page.getByText('The board is locked for everyone else. You can still change it.')).toBeVisible();
  const added = await facilitator.board.addCard('Solutions');
  await facilitator.page.keyboard.type('One page, plain words');
  await facilitator.board.text(mine).press('ControlOrMeta+End');
  await facilitator.page.keyboard.type(' and confusing');
  await member.board.expectLane('Solutions', ['One page, plain words']);
  await member.board.expectLane('Problems', ['Forms are too long and confusing']);
  await expect(member.board.text(added)).not.toBeEditable();

  // Unlocked: the member can change the board again.
  await controls.getByRole('button', { name: 'Unlock the board' }).click();
  await expect(notice).toHaveCount(0);
  await expect(facilitator.page.getByText('The board is locked for everyone else.')).toHaveCount(0);
  await expect(member.board.text(added)).toBeEditable();
  await member.board.text(added).press('ControlOrMeta+End');
  await member.page.keyboard.type(' please');
  await facilitator.board.expectLane('Solutions', ['One page, plain words please']);
});
