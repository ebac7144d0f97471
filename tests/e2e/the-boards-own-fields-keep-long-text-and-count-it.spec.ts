// Honest limits on the board too (issue 11, item 5): a check-in's question, an answer, a step's
// name and why a card is hidden had a maxlength (or a count said aloud at every key). Now each
// keeps pasted text whole, shows the GOV.UK count, and says what to shorten when it is sent.
import type { Page } from '@playwright/test';
import { test, expect, expectNoAccessibilityViolations, SCREENS, tabTo } from './fixtures';

const words = (length: number) => 'Tell us one thing that went well and one thing to change next time. '.repeat(10).slice(0, length);

/** Selects what is in the focused field and pastes `text` over it with the keyboard. */
async function pasteOver(page: Page, text: string): Promise<void> {
  await page.evaluate((t: string) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
}

async function backspace(page: Page, times: number): Promise<void> {
  await page.keyboard.press('ControlOrMeta+End');
  for (let i = 0; i < times; i++) await page.keyboard.press('Backspace');
}

for (const [screen, options] of Object.entries(SCREENS)) {
  test.describe(screen, () => {
    test.use(options);

    test('a check-in question and an answer over the limit are kept, counted, and refused with a reason until shortened', async ({
      workshop
    }) => {
      const { facilitator, member } = workshop;
      for (const c of [facilitator.context, member.context]) await c.grantPermissions(['clipboard-read', 'clipboard-write']);
      const f = facilitator.page;
      const rounds = await facilitator.board.openControls('Check-in and check-out');
      const prompt = rounds.getByRole('textbox', { name: 'Question to ask' });
      await tabTo(f, prompt);
      const long = words(260);
      await pasteOver(f, long);
      await expect(prompt).toHaveValue(long);
      await expect(f.locator('#round-prompt-count')).toHaveText('You have 60 characters too many');
      await expect(prompt).toHaveClass(/\bover-limit\b/);

      const open = rounds.getByRole('button', { name: 'Open a check-in' });
      await tabTo(f, open);
      await f.keyboard.press('Enter');
      await expect(rounds).toContainText('Error: The question must be 200 characters or fewer');
      await expect(prompt).toBeFocused();
      await expect(prompt).toHaveAttribute('aria-invalid', 'true');
      await expect(prompt).toHaveAccessibleDescription(/You can enter up to 200 characters.*The question must be 200 characters or fewer/);
      await expect(prompt).toHaveValue(long);
      await expectNoAccessibilityViolations(f, 'the facilitator refused a check-in question over the limit');

      await backspace(f, 60);
      await expect(f.locator('#round-prompt-count')).toHaveText('You have 0 characters remaining');
      await tabTo(f, open);
      await f.keyboard.press('Enter');
      const round = member.page.getByRole('region', { name: 'Check-in' });
      await expect(round).toContainText(long.slice(0, 200).trim());

      const m = member.page;
      const answer = round.getByRole('textbox', { name: 'Your answer (optional)' });
      await tabTo(m, answer);
      const said = words(230);
      await pasteOver(m, said);
      await expect(answer).toHaveValue(said);
      await expect(m.locator('#round-text-count')).toHaveText('You have 30 characters too many');
      await tabTo(m, round.getByRole('button', { name: 'Send' }));
      await m.keyboard.press('Enter');
      await expect(round).toContainText('Error: Your answer must be 200 characters or fewer');
      await expect(answer).toBeFocused();
      await expect(answer).toHaveValue(said);
      await expectNoAccessibilityViolations(m, 'a check-in answer over the limit, refused');
      await backspace(m, 30);
      await tabTo(m, round.getByRole('button', { name: 'Send' }));
      await m.keyboard.press('Enter');
      await expect(round.getByRole('status')).toHaveText('Thank you. Your answer is in.');
    });
  });
}

test.describe('on a desktop', () => {
  test.use(SCREENS['on a desktop']);

  test('a step name over the limit is kept, counted, and refused until shortened', async ({ workshop }) => {
    const { facilitator } = workshop;
    await facilitator.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const f = facilitator.page;
    const steps = await facilitator.board.openControls('Steps and timer');
    await tabTo(f, steps.locator('summary', { hasText: 'Change the steps' }));
    await f.keyboard.press('Enter');
    const first = steps.getByRole('textbox', { name: 'Name of step 1' });
    await tabTo(f, first);
    const name = words(70);
    await pasteOver(f, name);
    await expect(first).toHaveValue(name);
    await expect(f.locator('#phase-title-0-count')).toHaveText('You have 10 characters too many');
    await expect(first).toHaveAccessibleDescription('You have 10 characters too many');
    const save = steps.getByRole('button', { name: 'Save steps' });
    await tabTo(f, save);
    await f.keyboard.press('Enter');
    await expect(steps).toContainText('Error: The name of step 1 must be 60 characters or fewer');
    await expect(first).toBeFocused();
    await expect(first).toHaveAttribute('aria-invalid', 'true');
    await expectNoAccessibilityViolations(f, 'the step editor refusing a name over the limit');
    await backspace(f, 10);
    await tabTo(f, save);
    await f.keyboard.press('Enter');
    await expect(steps).toContainText('Steps saved.');
    await expect(steps.getByRole('button', { name: name.slice(0, 60).trim() })).toBeVisible();

    // A step added here counts as it is typed too.
    const names = steps.getByRole('textbox', { name: /^Name of step \d+$/ });
    const before = await names.count();
    await tabTo(f, steps.getByRole('button', { name: 'Add a step' }), { backwards: true });
    await f.keyboard.press('Enter');
    await expect(names).toHaveCount(before + 1);
    await tabTo(f, steps.getByRole('textbox', { name: `Name of step ${before + 1}` }), { backwards: true });
    await pasteOver(f, name);
    await expect(f.locator(`#phase-title-${before}-count`)).toHaveText('You have 10 characters too many');
  });

  test('a reason for hiding a card over the limit is kept, counted, and refused until shortened', async ({ workshop }) => {
    const { facilitator, member } = workshop;
    await facilitator.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const f = facilitator.page;
    await member.board.addCard('Questions');
    await member.page.keyboard.type('Call me on 0777 000');
    const id = await facilitator.board.cardIdWith('Questions', 'Call me on 0777 000');
    await facilitator.board.cardAction(id, 'Hide…');
    const ask = facilitator.board.dialog();
    const reason = ask.getByRole('textbox', { name: 'Why are you hiding it?' });
    await expect(reason).toBeFocused();
    const why = words(230);
    await pasteOver(f, why);
    await expect(reason).toHaveValue(why);
    await expect(reason).toHaveAccessibleDescription(/^You can enter up to 200 characters\b/);
    await expect(f.locator('#text-dialog-field-count')).toHaveText('You have 30 characters too many');
    await f.keyboard.press('Enter');
    await expect(ask).toContainText('Error: Use 200 characters or fewer');
    await expect(reason).toHaveValue(why);
    await expectNoAccessibilityViolations(f, 'the hide dialog refusing a reason over the limit');
    await backspace(f, 30);
    await f.keyboard.press('Enter');
    await expect(ask).toBeHidden();
    await expect(member.page.locator('p', { hasText: `Reason: ‘${why.slice(0, 200).trim()}’` })).toBeVisible();
  });

  test('a card near its limit shows its count to everyone, but only its writer hears it, once they pause', async ({ workshop }) => {
    const { facilitator, member } = workshop;
    await member.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const m = member.page;
    const id = await member.board.addCard('Questions');
    const text = words(69).repeat(24).slice(0, 1600);
    await pasteOver(m, text);
    const heard = (page: Page) => page.locator('[aria-live="polite"]', { hasText: 'You have 400 characters remaining' });
    // The writer, in the card: said once, after the pause.
    await expect(m.locator(`#card-${id}-count`)).toHaveText('You have 400 characters remaining');
    await expect(heard(m)).toHaveCount(1);
    // Someone else sees the count under the card, and their screen reader is not interrupted by it.
    await expect(facilitator.page.locator(`#card-${id}-count`)).toHaveText('You have 400 characters remaining');
    await expect(facilitator.board.text(id)).toHaveAccessibleDescription('You have 400 characters remaining');
    await expect(heard(facilitator.page)).toHaveCount(0);
    await expectNoAccessibilityViolations(facilitator.page, 'the board with a card near its limit');
  });
});
