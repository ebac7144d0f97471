// Issue 11, defects 4 and 5 on the facilitator's controls (and what members hear):
// - refusing to demote the last facilitator left their role menu showing "Member";
// - "Names on cards" read "Cards are shared as people write them", was cut off in its menu, and no
//   choice shows names on cards: each choice now says what it does, in full, with a visible hint;
import type { Locator } from '@playwright/test';
import { test, expect, expectNoAccessibilityViolations, SCREENS } from './fixtures';

/** True when every line of the element's text is inside its box and the screen (nothing cut off). */
async function expectNotCutOff(element: Locator): Promise<void> {
  const fits = await element.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return el.scrollWidth <= el.clientWidth + 1 && r.left >= 0 && r.right <= document.documentElement.clientWidth + 1;
  });
  expect(fits, `${await element.textContent()} fits on the screen`).toBe(true);
}

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

    test('posting without a name: each choice says what it does, in full, with a hint', async ({ workshop }) => {
      const { facilitator } = workshop;
      const board = await facilitator.board.openControls('Board');
      const group = board.getByRole('radiogroup', { name: 'Posting without a name' });
      await expect(group).toBeVisible();
      await expect(group).toContainText('Cards never show who wrote them.');
      const choices = {
        off: group.getByRole('radio', { name: /^Off\b/ }),
        optional: group.getByRole('radio', { name: /^People choose\b/ }),
        always: group.getByRole('radio', { name: /^Always\b/ })
      };
      await expect(choices.off).toBeChecked();
      await expect(choices.off).toHaveAccessibleDescription(/“Who has had a say” counts each person’s cards/);
      await expect(choices.optional).toHaveAccessibleDescription(/not even the facilitator knows who wrote it/);
      await expect(choices.always).toHaveAccessibleDescription(/Every card is posted without a name/);
      await expect(group).not.toContainText('Cards are shared as people write them');
      for (const label of await group.locator('label').all()) await expectNotCutOff(label);
      await expectNoAccessibilityViolations(facilitator.page, 'the choice of posting without a name');

      await choices.optional.check();
      await expect(choices.optional).toBeChecked();
      await facilitator.page.reload();
      await facilitator.board.expectLive();
      const again = await facilitator.board.openControls('Board');
      await expect(again.getByRole('radio', { name: /^People choose\b/ })).toBeChecked();
    });
  });
}
