// Issue 11, defect 4 on the facilitator's controls (and what members hear):
// - refusing to demote the last facilitator left their role menu showing "Member";
import { test, expect, expectNoAccessibilityViolations, SCREENS } from './fixtures';
for (const [screen, device] of Object.entries(SCREENS)) {
  test.describe(screen, () => {
    test.use(device);

    test('refusing to make the only facilitator a member leaves their role showing Facilitator', async ({ workshop }) => {
      const { facilitator } = workshop;
      const people = await facilitator.board.openControls(/^People/);
      const mine = people.getByRole('combobox', { name: 'Role for Fatima' });
      await expect(mine).toHaveValue('facilitator');
      await mine.selectOption('member');
      await expect(people.getByRole('status').or(facilitator.board.controls().getByRole('status')).first()).toHaveText(
        'You are the only facilitator. Make someone else a facilitator first.'
      );
      await expect(mine).toHaveValue('facilitator');
      await expect(mine.locator('option:checked')).toHaveText('Facilitator');
      await expectNoAccessibilityViolations(facilitator.page, 'the role refused for the only facilitator');
    });
  });
}
