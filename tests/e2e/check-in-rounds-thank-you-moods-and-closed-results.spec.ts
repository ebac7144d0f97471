// Issue 11, defect 2. A member who answered the check-in was shown "Thank you. Your answer is in."
// for the check-out they had not answered, until they reloaded. Now the thank-you belongs to the
// round it was given in.
import { test, expect, expectNoAccessibilityViolations, SCREENS } from './fixtures';

for (const [screen, device] of Object.entries(SCREENS)) {
  test.describe(screen, () => {
    test.use(device);

    test('a member who answered the check-in is asked the check-out, not thanked for it', async ({ workshop }) => {
      const { facilitator, member } = workshop;
      const rounds = await facilitator.board.openControls('Check-in and check-out');
      await rounds.getByRole('button', { name: 'Open a check-in' }).click();
      const checkin = member.page.getByRole('region', { name: 'Check-in' });
      await checkin.getByRole('textbox', { name: 'Your answer (optional)' }).fill('Tired but here');
      await checkin.getByRole('button', { name: 'Send' }).click();
      await expect(checkin.getByRole('status')).toHaveText('Thank you. Your answer is in.');

      await rounds.getByRole('button', { name: 'Close the check-in' }).click();
      await rounds.getByRole('textbox', { name: 'Question to ask' }).fill('One thing you take away?');
      await rounds.getByRole('button', { name: 'Open a check-out' }).click();
      const checkout = member.page.getByRole('region', { name: 'Check-out' });
      await expect(checkout).toContainText('One thing you take away?');
      await expect(checkout.getByRole('button', { name: 'Send' })).toBeVisible();
      await expect(member.page.getByText('Thank you. Your answer is in.')).toHaveCount(0);
      await expectNoAccessibilityViolations(member.page, 'a check-out after answering the check-in');

      await checkout.getByRole('textbox', { name: 'Your answer (optional)' }).fill('Plain words work');
      await checkout.getByRole('button', { name: 'Send' }).click();
      await expect(checkout.getByRole('status')).toHaveText('Thank you. Your answer is in.');
    });
  });
}
