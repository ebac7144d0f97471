// The plain words check under the start page's question: once typing pauses it gives a reading
// age and lists long sentences, words to say more plainly and short forms to explain; it
// describes the field for a screen reader, changes once per pause rather than on every key, and
// stays out of the keyboard's way. axe on each state, on a 360 px phone and a desktop.
import { test, expect, SCREENS, expectNoAccessibilityViolations, uniqueTitle } from './fixtures';

// One sentence of 33 words, with three listed terms ("Going forward", "stakeholders", "pathway")
// and a short form nobody explains ("CSTR").
const HARD =
  'Going forward, how can stakeholders and the CSTR team make the pathway from prison to the community work for people who have been in prison many times and who want to stay out?';
const PLAIN = 'How can we help people stay out of prison?';

for (const [screen, use] of Object.entries(SCREENS)) {
  test.describe(screen, () => {
    test.use(use);

    test('the question is checked for plain words once typing pauses, and read with the field', async ({ page }) => {
      await page.goto('/');
      const question = page.getByRole('textbox', { name: 'The question for the group' });
      const status = page.locator('#question-plain');
      await expect(status).toHaveAttribute('role', 'status');
      await expect(status).toHaveText('');

      // Count how often the summary changes while someone types at an ordinary pace.
      await status.evaluate((el) => {
        const w = window as unknown as { summaryChanges: number };
        w.summaryChanges = 0;
        new MutationObserver(() => (w.summaryChanges += 1)).observe(el, { childList: true, characterData: true, subtree: true });
      });
      await page.getByRole('textbox', { name: 'Workshop title' }).fill(uniqueTitle());
      await question.focus();
      await page.keyboard.type(HARD.slice(0, 60), { delay: 40 });
      await page.keyboard.type(HARD.slice(60));

      await expect(status).toHaveText(
        /^Reading age about \d+\. 1 long sentence\. 3 words you could say more plainly\. 1 short form to explain\.$/
      );
      const changes = await page.evaluate(() => (window as unknown as { summaryChanges: number }).summaryChanges);
      expect(changes, 'the summary changed on nearly every key').toBeLessThanOrEqual(3);

      // The field is described by its limit (the character count, first as GOV.UK orders it), its
      // hint and the check's summary.
      await expect(question).toHaveAccessibleDescription(
        /^You can enter up to 500 characters Use plain words\..* Reading age about \d+\. 1 long sentence\./
      );
      const advice = page.locator('.plain-check-advice li');
      await expect(advice).toHaveText([
        '“Going forward, how can stakeholders and…”: This sentence has 33 words. Try to keep sentences to 25 words or fewer.',
        'Try “from now on” or “in future” instead of “Going forward”.',
        'Try “people involved” or “people affected” instead of “stakeholders”.',
        'Say what “CSTR” stands for the first time you use it, with “CSTR” in brackets after it.',
        'Try “route” or “steps” or “what happens next” instead of “pathway”.'
      ]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await expectNoAccessibilityViolations(page, `the start page with plain words advice, ${screen}`);

      // Written plainly, the advice goes and the check says so.
      await question.fill(PLAIN);
      await expect(status).toHaveText(/^Reading age about \d+\. This reads plainly\.$/);
      await expect(advice).toHaveCount(0);
      await expectNoAccessibilityViolations(page, `the start page with a plain question, ${screen}`);

      // The check is not in the keyboard's way: Tab goes on to the name, Enter creates the workshop.
      await question.focus();
      await page.keyboard.press('Tab');
      await expect(page.getByRole('textbox', { name: 'Your name (optional)' })).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(/\/w\/[^/]+\/invite\?new=1$/);
    });
  });
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a question sent back with an error is kept and comes with its check, made on the server', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('textbox', { name: 'The question for the group' }).fill(HARD);
    await page.getByRole('button', { name: 'Create workshop' }).click();
    await expect(page).toHaveTitle(/^Error: /);
    // What was typed comes back too (it came back empty without JavaScript before).
    await expect(page.getByRole('textbox', { name: 'The question for the group' })).toHaveValue(HARD);
    await expect(page.locator('#question-plain')).toHaveText(
      /^Reading age about \d+\. 1 long sentence\. 3 words you could say more plainly\. 1 short form to explain\.$/
    );
    await expect(page.locator('.plain-check-advice li')).toHaveCount(5);
  });
});
