// Issue 11, defects 2 and 6. A member who answered the check-in was shown "Thank you. Your answer
// is in." for the check-out they had not answered; moods were emoji only (one showed as an empty
// box); closed rounds left their results at the top of every member's screen. Now the thank-you
// belongs to the round it was given in, each mood has its word beside it, and a closed round's
// answers fold away into one line that anyone can open again.
import { test, expect, expectNoAccessibilityViolations, SCREENS } from './fixtures';

const MOODS = ['Very good', 'Good', 'So-so', 'Not good', 'Tired'];

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

    test('each mood has its word, and a closed round’s answers fold away for everyone', async ({ workshop }) => {
      const { facilitator, member } = workshop;
      const rounds = await facilitator.board.openControls('Check-in and check-out');
      await rounds.getByRole('button', { name: 'Open a check-in' }).click();
      const checkin = member.page.getByRole('region', { name: 'Check-in' });
      // Every mood's word is on the screen, beside its face, and names its radio button.
      for (const mood of MOODS) {
        await expect(checkin.getByRole('radio', { name: mood, exact: true })).toBeVisible();
        const label = checkin.locator('label').filter({ has: member.page.getByRole('radio', { name: mood, exact: true }) });
        await expect(label).toBeVisible();
        await expect(label).toHaveText(new RegExp(`${mood}$`));
      }
      await expectNoAccessibilityViolations(member.page, 'a check-in with its moods in words');
      await checkin.getByRole('radio', { name: 'Good', exact: true }).check();
      await checkin.getByRole('button', { name: 'Send' }).click();
      const answers = (page: typeof member.page) => page.getByRole('region', { name: 'Check-in' }).getByRole('listitem');
      await expect(answers(facilitator.page)).toHaveText([/Good\s+— Marcus/]);

      await rounds.getByRole('button', { name: 'Close the check-in' }).click();
      // Closed: one line at the top instead of the whole list, on every screen.
      for (const page of [member.page, facilitator.page]) {
        const closed = page.getByRole('region', { name: 'Check-in' });
        await expect(closed).toContainText('This check-in is closed.');
        await expect(answers(page)).toBeHidden();
        const box = await closed.boundingBox();
        expect(box?.height ?? Infinity, 'a closed round takes little room').toBeLessThan(200);
      }
      await expectNoAccessibilityViolations(member.page, 'a closed check-in, folded');
      // Anyone can open the answers again.
      const closed = member.page.getByRole('region', { name: 'Check-in' });
      await closed.getByText('Answers (1)').click();
      await expect(answers(member.page)).toHaveText([/Good\s+— Marcus/]);
      await expectNoAccessibilityViolations(member.page, 'a closed check-in, opened again');
    });
  });
}
