// Issue 11, defects 4, 5 and 7 on the facilitator's controls (and what members hear):
// - refusing to demote the last facilitator left their role menu showing "Member";
// - "Names on cards" read "Cards are shared as people write them", was cut off in its menu, and no
//   choice shows names on cards: each choice now says what it does, in full, with a visible hint;
// - screen-reader status text ("Time is up", "showing the Questions list") stayed after a reset or
//   a stop, and "Pause timer" showed at 0:00.
// And, from "Phone layout": on a narrow screen the controls are a sheet, not the end of a long page.
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

    test('“Time is up” and “showing everyone a list” leave the screen reader’s status once over, and no Pause at 0:00', async ({
      workshop
    }) => {
      const { facilitator, member } = workshop;
      const statusWith = (text: string) => member.page.getByRole('status').filter({ hasText: text });

      // A three-second timer runs out.
      const steps = await facilitator.board.openControls('Steps and timer');
      await steps.getByRole('spinbutton', { name: 'Minutes' }).fill('0.05');
      await steps.getByRole('button', { name: 'Start timer' }).click();
      await expect(member.board.clock()).toHaveText('0:00', { timeout: 8000 });
      await expect(statusWith('Time is up')).toHaveCount(1);
      await expect(steps.getByRole('button', { name: 'Pause timer' })).toHaveCount(0);
      await expect(steps.getByRole('button', { name: 'Start timer' })).toBeVisible();
      await expectNoAccessibilityViolations(facilitator.page, 'the controls once time is up');
      await steps.getByRole('button', { name: 'Reset timer' }).click();
      await expect(member.board.clock()).toHaveCount(0);
      await expect(statusWith('Time is up')).toHaveCount(0);

      // The facilitator shows everyone the Questions list, then stops.
      const board = await facilitator.board.openControls('Board');
      await board.getByRole('button', { name: 'Questions', exact: true }).click();
      await expect(statusWith('showing everyone the Questions list')).toHaveCount(1);
      await board.getByRole('button', { name: 'Stop showing everyone' }).click();
      await expect(member.page.getByText('The facilitator is showing everyone the Questions list.')).toHaveCount(0);
      await expect(statusWith('showing everyone the Questions list')).toHaveCount(0);
      await expectNoAccessibilityViolations(member.page, 'the board after the spotlight stopped');
    });
  });
}

test('observers are not promised that their changes are saved, and are offered to remove their name', async ({ workshop }) => {
  const observer = await workshop.join('observer', 'Olu');
  await expect(observer.board.connection()).not.toContainText('changes are saved');
  await expect(observer.page.getByRole('button', { name: 'Remove my name and my cards' })).toHaveCount(0);
  const data = observer.page.getByRole('region', { name: 'Your data' });
  await expect(data).toContainText('You can take your name off this workshop at any time.');
  await expectNoAccessibilityViolations(observer.page, 'the board of an observer');
  observer.page.once('dialog', (dialog) => {
    expect(dialog.message()).toBe('Remove your name from this workshop, and leave? This cannot be undone.');
    void dialog.accept();
  });
  await data.getByRole('button', { name: 'Remove my name from this workshop' }).click();
  await expect(observer.page.getByRole('alert')).toContainText('Your name has been removed.');
  await expect(observer.page.getByRole('alert')).not.toContainText('Your name and your cards');
});

test.describe('on a 360 px phone, the facilitator controls are a sheet', () => {
  test.use(SCREENS['on a 360 px phone']);

  test('opened from a button always in reach, focus kept inside, closed with Escape or Close, focus back on the button', async ({
    workshop
  }) => {
    const { facilitator } = workshop;
    const { page, board } = facilitator;
    const opener = board.controlsButton();
    const sheet = page.getByRole('dialog', { name: 'Facilitator controls' });
    await expect(opener).toBeInViewport();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect(opener).toBeInViewport();
    await expect(sheet).toBeHidden();
    await expect(page.getByRole('region', { name: 'Facilitator controls' })).toHaveCount(0);

    await opener.click();
    await expect(sheet).toBeVisible();
    await expect(sheet).toBeInViewport();
    await expect(sheet.getByRole('button', { name: 'Close', exact: true })).toBeVisible();
    await expectNoAccessibilityViolations(page, 'the facilitator sheet, open');
    // Tab and Shift+Tab go round inside the sheet.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      expect(await sheet.evaluate((el) => el.contains(document.activeElement)), `Tab ${i + 1} stays in the sheet`).toBe(true);
    }
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await sheet.evaluate((el) => el.contains(document.activeElement)), `Shift+Tab ${i + 1} stays in the sheet`).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();
    await expect(opener).toBeFocused();

    await page.keyboard.press('Enter');
    await expect(sheet).toBeVisible();
    const sections = await board.openControls('Steps and timer');
    await sections.getByRole('button', { name: 'Next step' }).click();
    await board.expectStep('The question', 2);
    await sheet.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(sheet).toBeHidden();
    await expect(opener).toBeFocused();
  });
});

test.describe('on a desktop, the facilitator controls stay in their column', () => {
  test.use(SCREENS['on a desktop']);

  test('beside the board, with no sheet button', async ({ workshop }) => {
    const { facilitator } = workshop;
    const panel = facilitator.page.getByRole('region', { name: 'Facilitator controls' });
    await expect(panel).toBeVisible();
    await expect(facilitator.board.controlsButton()).toHaveCount(0);
    const lanes = await facilitator.board.lane('Questions').boundingBox();
    const column = await panel.boundingBox();
    expect(column && lanes && column.x > lanes.x + lanes.width, 'the panel is to the right of the lanes').toBe(true);
  });
});
