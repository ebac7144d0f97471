// Issue 12, items 1 and 2, as people do them: a decision maker prepares the question before the
// session, fixes a flagged short form with a glossary entry and previews the question on a phone
// while a member's open board takes the new words; what is typed survives a failed save; a member
// opens a glossary word from a card by keyboard alone; axe on every new page state at 360 px and
// on a desktop.
import { test, expect, SCREENS, createWorkshop, expectNoAccessibilityViolations, joinWithLink, tabTo, type Participant } from './fixtures';
import type { Page } from '@playwright/test';

const QUESTION = 'How can we make CSTR meetings less frightening for people on probation?';
const EXPLANATION = 'Community Sentence Treatment Requirement: a court order to get help with drugs, alcohol or mental health.';

/** The preparation page's plain words summary and its advice. */
const plainCheck = (page: Page) => ({ summary: page.locator('#prepare-plain'), advice: page.locator('.plain-check-advice li') });

test('a decision maker drafts the question, explains a flagged short form in the glossary and previews it on a phone', async ({
  workshop,
  browser
}) => {
  // The decision maker joins with their own link and opens the board, as they would.
  const context = await browser.newContext();
  await joinWithLink(context, workshop.links.decisionMaker, 'Dana');
  const page = await context.newPage();
  await page.goto(`/w/${workshop.id}`);
  await page.getByRole('link', { name: 'Prepare the question' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Prepare the question');

  const question = page.getByRole('textbox', { name: 'The question for the group' });
  await question.fill(QUESTION);
  await page.getByRole('textbox', { name: 'Background (optional)' }).fill('We want to hear from you first.\n\nNothing is decided yet.');
  const { summary, advice } = plainCheck(page);
  await expect(summary).toContainText('1 short form to explain.');
  await expect(advice.filter({ hasText: '“CSTR”' })).toHaveCount(1);

  // One step from the flagged short form to the glossary: the word is filled in, the focus is on
  // its explanation.
  await advice.getByRole('link', { name: 'Explain “CSTR” in the glossary' }).click();
  await expect(page.getByRole('textbox', { name: 'Word or short form' })).toHaveValue('CSTR');
  const explanation = page.getByRole('textbox', { name: 'What it means, in plain words' });
  await expect(explanation).toBeFocused();
  await page.keyboard.type(EXPLANATION);
  await page.getByRole('button', { name: 'Add to the glossary' }).click();
  await expect(page.locator('.prepare [role="status"][aria-live="polite"]')).toHaveText('“CSTR” is in the glossary now.');
  await expect(page.locator('.glossary-entry dt')).toHaveText(['CSTR']);
  // Explained now: the check no longer flags it, and the form is empty for the next word.
  await expect(summary).not.toContainText('short form');
  await expect(advice.filter({ hasText: '“CSTR”' })).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: 'Word or short form' })).toHaveValue('');

  // The preview is the board's own question heading, 360 px wide, and its word opens.
  const phone = page.getByRole('group', { name: 'Preview on a phone' });
  expect((await phone.boundingBox())?.width).toBe(360);
  await expect(phone.getByRole('heading', { level: 3 })).toHaveText(QUESTION);
  await phone.getByRole('button', { name: 'CSTR' }).click();
  await expect(page.locator('#glossary-tip')).toHaveText(`CSTR: ${EXPLANATION}`);
  await page.keyboard.press('Escape');
  await expect(page.locator('#glossary-tip')).toHaveText('');

  // Saved: the member's open board shows the new question at once, with its word as a button.
  await page.getByRole('button', { name: 'Save the question' }).click();
  await expect(page.locator('.prepare [role="status"][aria-live="polite"]')).toHaveText(
    'Saved. Everyone on the board sees the new question now.'
  );
  const memberHeading = workshop.member.page.getByRole('heading', { level: 1 });
  await expect(memberHeading).toHaveText(QUESTION);
  await expect(memberHeading.getByRole('button', { name: 'CSTR' })).toBeVisible();
  await workshop.member.page.getByText('More about this question').click();
  await expect(workshop.member.page.getByText('Nothing is decided yet.')).toBeVisible();

  // The server's score, as the facilitator sees it, is the page's own: the same reading age.
  const age = /Reading age (about \d+|6 or under)/.exec((await summary.textContent()) ?? '')?.[0];
  expect(age).toBeTruthy();
  await expect(page.locator('#saved-check')).toContainText(`${age}.`);
  // In the facilitator's controls, live from the board, and on the invite page.
  const section = await workshop.facilitator.board.openControls('The question');
  await expect(section).toContainText(`${age}.`);
  await expect(section.getByRole('link', { name: 'Prepare the question and its glossary' })).toBeVisible();
  await workshop.facilitator.page.goto(`/w/${workshop.id}/invite`);
  await expect(workshop.facilitator.page.getByRole('region', { name: 'The question' })).toContainText(`${age}.`);
  await expect(workshop.facilitator.page.getByRole('region', { name: 'The question' })).toContainText(
    '1 word is explained in the glossary.'
  );
  await context.close();
});

test('nothing typed on the preparation page is lost when a save cannot reach the server', async ({ browser, request }) => {
  const created = await createWorkshop(request);
  const context = await browser.newContext();
  await joinWithLink(context, created.links.decisionMaker, 'Dana');
  const page = await context.newPage();
  await page.goto(`/w/${created.id}/prepare`);
  await page.getByRole('textbox', { name: 'The question for the group' }).fill('How do we keep people safe after prison?');
  await page.getByRole('textbox', { name: 'Word or short form' }).fill('MAPPA');
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Save the question' }).click();
  await expect(page.getByText('Not saved: no connection to the server. What you typed is kept on this device.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'The question for the group' })).toHaveValue('How do we keep people safe after prison?');
  await context.setOffline(false);
  // Even a reload (the tab closed, the phone restarted) brings it back, and says it is not saved.
  await page.reload();
  await expect(page.getByText('You have changes on this device that are not saved yet.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'The question for the group' })).toHaveValue('How do we keep people safe after prison?');
  await expect(page.getByRole('textbox', { name: 'Word or short form' })).toHaveValue('MAPPA');
  await page.getByRole('button', { name: 'Save the question' }).click();
  await expect(page.getByText('Saved. Everyone on the board sees the new question now.')).toBeAttached();
  await page.reload();
  await expect(page.getByText('You have changes on this device that are not saved yet.')).toBeHidden();
  await expect(page.getByRole('textbox', { name: 'The question for the group' })).toHaveValue('How do we keep people safe after prison?');
  await context.close();
});

/** The facilitator explains a word on the preparation page (as a decision maker would). */
async function explainWord(who: Participant, workshopId: string, word: string, meaning: string): Promise<void> {
  const page = await who.context.newPage();
  await page.goto(`/w/${workshopId}/prepare`);
  await page.getByRole('textbox', { name: 'Word or short form' }).fill(word);
  await page.getByRole('textbox', { name: 'What it means, in plain words' }).fill(meaning);
  await page.getByRole('button', { name: 'Add to the glossary' }).click();
  await expect(page.locator('.glossary-entry dt').filter({ hasText: word })).toHaveCount(1);
  await page.close();
}

test('a member opens a glossary word from a card with the keyboard alone', async ({ workshop }) => {
  const { member, facilitator } = workshop;
  const id = await member.board.addCard('Problems');
  await member.page.keyboard.type('My CSTR meetings clash with work, and the CSTR letters are hard to read');
  await explainWord(facilitator, workshop.id, 'CSTR', EXPLANATION);

  // The member's board hears of the new word: one button under the card (not in the box being typed in).
  const card = member.board.card(id);
  const word = card.getByRole('button', { name: 'CSTR' });
  await expect(word).toHaveCount(1);
  await expect(card.locator('textarea')).toHaveValue(/CSTR/);
  await tabTo(member.page, word);
  await member.page.keyboard.press('Enter');
  const tip = member.page.locator('#glossary-tip');
  await expect(tip).toHaveAttribute('role', 'status');
  await expect(tip).toHaveText(`CSTR: ${EXPLANATION}`);
  await expect(word).toHaveAttribute('aria-expanded', 'true');
  await expect(word).toBeFocused();
  await expectNoAccessibilityViolations(member.page, 'the board with a glossary word open');
  // Escape closes it, and the focus stays on the word.
  await member.page.keyboard.press('Escape');
  await expect(tip).toHaveText('');
  await expect(word).toHaveAttribute('aria-expanded', 'false');
  await expect(word).toBeFocused();
  // Space opens it again; the focus moving on closes it.
  await member.page.keyboard.press('Space');
  await expect(tip).toHaveText(`CSTR: ${EXPLANATION}`);
  await member.page.keyboard.press('Tab');
  await expect(tip).toHaveText('');
  // Members cannot prepare the question: no link, and the page says so.
  await expect(member.page.getByRole('link', { name: 'Prepare the question' })).toHaveCount(0);
  await member.page.goto(`/w/${workshop.id}/prepare`);
  await expect(member.page.getByRole('heading', { level: 1 })).toHaveText('You cannot see this page');
  await expect(member.page.getByText('Only decision makers and the facilitator can prepare the question.')).toBeVisible();
});

for (const [screen, use] of Object.entries(SCREENS)) {
  test.describe(screen, () => {
    test.use(use);

    test('axe finds nothing on the preparation page: empty, with errors, with a glossary and a word open', async ({ browser, request }) => {
      const created = await createWorkshop(request, { question: 'Going forward, how can stakeholders shape the CSTR pathway?' });
      const context = await browser.newContext(use);
      await joinWithLink(context, created.links.decisionMaker, 'Dana');
      const page = await context.newPage();
      await page.goto(`/w/${created.id}/prepare`);
      await expect(plainCheck(page).summary).toContainText('Reading age');
      await expectNoAccessibilityViolations(page, `the preparation page ${screen}`);
      // Nothing on the page is wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(use.viewport.width);

      // Errors: an empty question and an empty glossary entry, in the error summary.
      await page.getByRole('textbox', { name: 'The question for the group' }).fill('');
      await page.getByRole('button', { name: 'Save the question' }).click();
      await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Enter the question the group will work on' })).toBeVisible();
      await expectNoAccessibilityViolations(page, `the preparation page with an error ${screen}`);

      await page.getByRole('textbox', { name: 'The question for the group' }).fill('How can we shape the CSTR pathway?');
      await page.getByRole('button', { name: 'Save the question' }).click();
      await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeHidden();
      await page.getByRole('textbox', { name: 'Word or short form' }).fill('CSTR');
      await page.getByRole('textbox', { name: 'What it means, in plain words' }).fill(EXPLANATION);
      await page.getByRole('button', { name: 'Add to the glossary' }).click();
      await expect(page.locator('.glossary-entry dt')).toHaveText(['CSTR']);
      await page.getByRole('group', { name: 'Preview on a phone' }).getByRole('button', { name: 'CSTR' }).click();
      await expect(page.locator('#glossary-tip')).toContainText('Community Sentence');
      await expectNoAccessibilityViolations(page, `the preparation page with a glossary and a word open ${screen}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(use.viewport.width);
      await context.close();
    });
  });
}
