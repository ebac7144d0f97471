// Honest limits as people type (issue 11, item 5): titles, questions and names show the GOV.UK
// character count instead of cutting text. Pasted text over the limit stays in the field, the
// count says how much too long it is, and sending it gets the server's error, in the error
// summary and at the field. Everything by keyboard alone.
import type { Page } from '@playwright/test';
import { test, expect, createWorkshop, expectNoAccessibilityViolations, SCREENS, tabTo } from './fixtures';

/** Words, not one long run of letters: what someone copies from a document. */
function wordsOf(length: number): string {
  const words = 'We want letters in plain words and someone to call when the bus does not come. ';
  return words.repeat(Math.ceil(length / words.length)).slice(0, length - 1) + '.';
}

/** Puts `text` on the clipboard and pastes it into the focused field with Ctrl+V, as a person would. */
async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((t: string) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('ControlOrMeta+V');
}

for (const [screen, options] of Object.entries(SCREENS)) {
  test.describe(screen, () => {
    test.use({ ...options, permissions: ['clipboard-read', 'clipboard-write'] });

    test('a question pasted over the limit is kept whole, counted, refused when sent, and accepted once shortened', async ({ page }) => {
      await page.goto('/');
      const title = page.getByRole('textbox', { name: 'Workshop title' });
      const question = page.getByRole('textbox', { name: 'The question for the group' });
      await tabTo(page, title);
      await page.keyboard.type('Bus forum');

      // 620 characters into a question of at most 500: all of them stay.
      await tabTo(page, question);
      const pasted = wordsOf(620);
      await paste(page, pasted);
      await expect(question).toHaveValue(pasted);
      const count = page.locator('#question-count');
      await expect(count).toHaveText('You have 120 characters too many');
      await expect(count).toBeVisible();
      // In the error style, with its field; said aloud once the typing stops (not on every key).
      await expect(count).toHaveClass(/\bover\b/);
      await expect(question).toHaveClass(/\bover-limit\b/);
      await expect(page.locator('#question-count ~ [aria-live="polite"]')).toHaveText('You have 120 characters too many');
      await expect(question).toHaveAccessibleDescription(/^You can enter up to 500 characters\b/);
      await expectNoAccessibilityViolations(page, 'the start page with a question over the limit');

      const create = page.getByRole('button', { name: 'Create workshop' });
      await tabTo(page, create);
      await page.keyboard.press('Enter');

      // The server's message, in the summary (focused, linked to the field) and at the field.
      const summary = page.getByRole('alert');
      await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
      await expect(summary).toBeFocused();
      await expect(page).toHaveTitle(/^Error: /);
      const link = summary.getByRole('link', { name: 'The question must be 500 characters or fewer' });
      await expect(link).toHaveAttribute('href', '#question');
      await expect(summary.getByRole('link')).toHaveCount(1);
      await expect(question).toHaveAttribute('aria-invalid', 'true');
      await expect(question).toHaveAccessibleDescription(/Error: The question must be 500 characters or fewer/);
      // Nothing was thrown away, and the count still says how much to take out.
      await expect(question).toHaveValue(pasted);
      await expect(count).toHaveText('You have 120 characters too many');
      await expectNoAccessibilityViolations(page, 'the start page refusing a question over the limit');

      // The summary's link takes the focus to the field; cut the end off there.
      await tabTo(page, link);
      await page.keyboard.press('Enter');
      await expect(question).toBeFocused();
      await page.keyboard.press('ControlOrMeta+End');
      for (let i = 0; i < 120; i++) await page.keyboard.press('Backspace');
      await expect(question).toHaveValue(pasted.slice(0, 500));
      await expect(count).toHaveText('You have 0 characters remaining');
      await expect(count).not.toHaveClass(/\bover\b/);
      await expect(question).not.toHaveClass(/\bover-limit\b/);

      await tabTo(page, create);
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(/\/w\/[^/]+\/invite\?new=1$/);
    });

    test('a name pasted over the limit on an invite link is kept, counted, refused when sent, and joins once shortened', async ({
      page,
      request
    }) => {
      const workshop = await createWorkshop(request);
      await page.goto(workshop.links.member);
      const name = page.getByRole('textbox', { name: 'What name should we show?' });
      await tabTo(page, name);
      const pasted = 'Priya from the Tuesday group, Leeds North';
      expect(pasted.length).toBe(41);
      await paste(page, `${pasted} and friends`);
      await expect(name).toHaveValue(`${pasted} and friends`);
      const count = page.locator('#name-count');
      await expect(count).toHaveText('You have 13 characters too many');
      await expect(count).toHaveClass(/\bover\b/);
      await expect(name).toHaveClass(/\bover-limit\b/);

      // Enter in the field sends the form.
      await page.keyboard.press('Enter');
      const summary = page.getByRole('alert');
      await expect(summary).toBeFocused();
      const link = summary.getByRole('link', { name: 'Your name must be 40 characters or fewer' });
      await expect(link).toHaveAttribute('href', '#name');
      await expect(name).toHaveValue(`${pasted} and friends`);
      await expect(name).toHaveAttribute('aria-invalid', 'true');
      await expect(name).toHaveAccessibleDescription(/Error: Your name must be 40 characters or fewer/);
      await expect(count).toHaveText('You have 13 characters too many');
      await expectNoAccessibilityViolations(page, 'an invite link refusing a name over the limit');

      await tabTo(page, link);
      await page.keyboard.press('Enter');
      await expect(name).toBeFocused();
      await page.keyboard.press('End');
      for (let i = 0; i < ' and friends'.length + 1; i++) await page.keyboard.press('Backspace');
      await expect(count).toHaveText('You have 0 characters remaining');
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(`/w/${workshop.id}`);
      await expect(page.getByRole('region', { name: 'Who is here' })).toContainText(`${pasted.slice(0, 40)} (you)`);
    });
  });
}

test('the count shows from 75 % of the limit and is said aloud only once typing pauses', async ({ page }) => {
  // The page's timers on a clock the test moves: "a pause" is then exact, not a guess.
  await page.clock.install({ time: new Date('2025-03-04T10:00:00') });
  await page.goto('/');
  await page.clock.pauseAt(new Date('2025-03-04T10:01:00'));
  const name = page.getByRole('textbox', { name: 'Your name (optional)' });
  const count = page.locator('#name-count');
  const said = page.locator('#name-count ~ [aria-live="polite"]');
  await tabTo(page, name);

  // 29 of 40: under three quarters, nothing to see or hear yet.
  await page.keyboard.type('Marcus from the Thursday gr');
  await page.keyboard.type('ou');
  await expect(count).toBeHidden();
  await page.clock.runFor(2000);
  await expect(said).toHaveText('');

  // The 30th character: the count shows at once, and is said only after a pause.
  await page.keyboard.type('p');
  await expect(count).toBeVisible();
  await expect(count).toHaveText('You have 10 characters remaining');
  await expect(said).toHaveText('');
  await page.clock.runFor(1100);
  await expect(said).toHaveText('You have 10 characters remaining');

  // Typing on: the live region keeps still until the next pause.
  await page.keyboard.type(' A');
  await expect(count).toHaveText('You have 8 characters remaining');
  await page.clock.runFor(500);
  await page.keyboard.type('B');
  await page.clock.runFor(500);
  await expect(said).toHaveText('You have 10 characters remaining');
  await page.clock.runFor(700);
  await expect(said).toHaveText('You have 7 characters remaining');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the limit is written under the field, and the server refuses a longer question, keeping what was typed', async ({ page }) => {
    await page.goto('/');
    const question = page.getByRole('textbox', { name: 'The question for the group' });
    await expect(page.locator('#question-info')).toHaveText('You can enter up to 500 characters');
    await expect(page.locator('#question-info')).toBeVisible();
    await expect(question).toHaveAccessibleDescription(/^You can enter up to 500 characters\b/);
    await page.getByRole('textbox', { name: 'Workshop title' }).fill('Bus forum');
    const long = wordsOf(620);
    await question.fill(long);
    await expect(question).toHaveValue(long);
    await page.getByRole('button', { name: 'Create workshop' }).press('Enter');

    const summary = page.getByRole('alert');
    await expect(summary.getByRole('link', { name: 'The question must be 500 characters or fewer' })).toHaveAttribute('href', '#question');
    await expect(question).toHaveValue(long);
    await expect(question).toHaveAttribute('aria-invalid', 'true');
    await expect(question).toHaveAccessibleDescription(/Error: The question must be 500 characters or fewer/);
    await expect(page.getByRole('textbox', { name: 'Workshop title' })).toHaveValue('Bus forum');
    // (axe needs scripts to run: the same page with scripts is checked above.)
  });
});
