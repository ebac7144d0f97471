// Issue 12, item 5 ("You said, we did"), in Chromium: after the workshop ended, a decision maker
// adds a recommendation and moves it to "Piloting" by keyboard alone, and a member who was there
// finds it from the ended board, on "What happened to our ideas", with the change marked as new
// since their last look. axe finds nothing at 360 px or on a desktop, errors shown too.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import {
  test,
  expect,
  createWorkshop,
  expectNoAccessibilityViolations,
  joinWithLink,
  tabTo,
  LIVE_BADGE,
  SCREENS,
  type CreatedWorkshop
} from './fixtures';

/** Someone who joins with a link in a browser of their own and goes straight to the outcomes page. */
async function openOutcomes(
  browser: Browser,
  link: string,
  name: string,
  workshopId: string
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  await joinWithLink(context, link, name);
  const page = await context.newPage();
  await page.goto(`/w/${workshopId}/outcomes`);
  await expect(page.getByRole('heading', { level: 1, name: 'What happened to our ideas' })).toBeVisible();
  return { context, page };
}

test.describe('on a desktop', () => {
  test.use(SCREENS['on a desktop']);

  test('a decision maker moves a recommendation to “Piloting” after the end, and a member sees it marked as new', async ({
    workshop,
    browser
  }) => {
    // Three people, five axe runs and a dozen page loads: a long journey on a shared machine.
    test.slow();
    const { facilitator, member } = workshop;
    const end = await facilitator.board.openControls('End or delete the workshop');
    facilitator.page.once('dialog', (dialog) => void dialog.accept());
    await end.getByRole('button', { name: 'End the workshop' }).click();
    await expect(member.board.connection()).toHaveText(LIVE_BADGE.ended);

    // The member finds the page from the ended board: a first look, nothing to read yet.
    await member.page.reload();
    await member.board.expectLive(LIVE_BADGE.ended);
    await member.page.getByRole('link', { name: 'See what happened to our ideas' }).click();
    await expect(member.page.getByRole('heading', { level: 1, name: 'What happened to our ideas' })).toBeVisible();
    await expect(member.page.getByText('This is your first look at this page.')).toBeVisible();
    await expect(member.page.getByText('No recommendations yet.')).toBeVisible();
    await expect(member.page.getByRole('button', { name: 'Add the recommendation' })).toHaveCount(0);

    // Weeks later, as far as the page can tell: the decision maker adds one, by keyboard alone.
    const dm = await openOutcomes(browser, workshop.links.decisionMaker, 'Dana', workshop.id);
    const { page } = dm;
    await tabTo(page, page.getByLabel('The recommendation', { exact: true }));
    await page.keyboard.type('Pay people with lived experience to support others on probation');
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Who it is for')).toBeFocused();
    await page.keyboard.type('Head of Probation, North East');
    await tabTo(page, page.getByRole('button', { name: 'Add the recommendation' }));
    await page.keyboard.press('Enter');
    const rec = page.getByRole('article', { name: /^Recommendation 1/ });
    await expect(rec.getByRole('status')).toContainText('Saved.');
    await expect(rec.getByRole('status')).toBeFocused();
    await expect(rec).toContainText('Waiting for an answer');

    // Its update: the explanation is required. Sent without one, the page says so.
    const summary = rec.locator('summary', { hasText: 'Give an update on recommendation 1' });
    await tabTo(page, summary);
    await page.keyboard.press('Enter');
    const heard = rec.getByRole('radio', { name: /^Heard/ });
    await tabTo(page, heard);
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(rec.getByRole('radio', { name: /^Piloting/ })).toBeChecked();
    await tabTo(page, rec.getByRole('button', { name: 'Save the update' }));
    await page.keyboard.press('Enter');
    const problem = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await expect(problem).toBeFocused();
    await expect(problem).toContainText('Explain the change in plain words');
    await expectNoAccessibilityViolations(page, 'the outcomes page with an error (decision maker)');
    // The link in the error summary goes to the field; the choice made is still there.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(rec.getByLabel('Explain it in plain words')).toBeFocused();
    await expect(rec.getByRole('radio', { name: /^Piloting/ })).toBeChecked();
    await page.keyboard.type('We are trying it in two probation offices for six months, from May.');
    await tabTo(page, rec.getByRole('button', { name: 'Save the update' }));
    await page.keyboard.press('Enter');
    await expect(rec.getByRole('status')).toContainText('Saved.');
    await expect(rec.getByRole('strong').filter({ hasText: /^Piloting$/ })).toBeVisible();
    await expectNoAccessibilityViolations(page, 'the outcomes page (decision maker)');

    // The member comes back: what changed since their last look is marked, in words.
    await member.page.reload();
    const since = member.page.getByRole('region', { name: 'Since your last look' });
    await expect(since).toContainText('1 recommendation has changed');
    await since.getByRole('link', { name: 'Recommendation 1 (new): now piloting' }).click();
    const theirs = member.page.getByRole('article', { name: /^Recommendation 1/ });
    await expect(theirs.getByRole('heading', { level: 3 })).toContainText('New since your last look');
    const entry = theirs.getByRole('listitem').filter({ hasText: 'Piloting' });
    await expect(entry).toContainText('New');
    await expect(entry).toContainText('We are trying it in two probation offices for six months, from May.');
    await expect(entry).toContainText('By a decision maker.');
    await expect(theirs.getByRole('definition').first()).toHaveText('Head of Probation, North East');
    await expect(member.page.getByText('Give an update on recommendation 1')).toHaveCount(0);
    await expectNoAccessibilityViolations(member.page, 'the outcomes page with a change marked (member)');
    // A reload soon after still shows it as new.
    await member.page.reload();
    await expect(
      member.page
        .getByRole('article', { name: /^Recommendation 1/ })
        .getByRole('listitem')
        .filter({ hasText: 'Piloting' })
    ).toContainText('New');

    // The outcomes summary, to print: the same words.
    await member.page.getByRole('link', { name: 'Outcomes summary to print' }).click();
    await expect(member.page.getByRole('heading', { level: 2, name: 'Recommendation 1' })).toBeVisible();
    await expect(member.page.getByRole('main')).toContainText('Piloting');
    await expectNoAccessibilityViolations(member.page, 'the outcomes summary');
    await dm.context.close();
  });
});

/** A workshop whose decision maker made a recommendation and answered it, and a member who looked between. */
async function answered(
  browser: Browser,
  request: Parameters<typeof createWorkshop>[0]
): Promise<{ w: CreatedWorkshop; member: Page; dm: Page; close: () => Promise<void> }> {
  const w = await createWorkshop(request);
  const member = await openOutcomes(browser, w.links.member, 'Marcus', w.id);
  const dm = await openOutcomes(browser, w.links.decisionMaker, 'Dana', w.id);
  const made = await dm.context.request.post(`/api/workshops/${w.id}/recommendations`, {
    data: { text: 'A peer mentor for everyone leaving prison', addressedTo: 'Head of Probation, North East' }
  });
  expect(made.status()).toBe(201);
  const id = (await made.json()).recommendation.id as string;
  for (const [status, explanation] of [
    ['heard', 'We read it at the board meeting.'],
    ['piloting', 'Two prisons, from May.']
  ]) {
    const res = await dm.context.request.post(`/api/workshops/${w.id}/recommendations/${id}/updates`, { data: { status, explanation } });
    expect(res.status()).toBe(201);
  }
  return {
    w,
    member: member.page,
    dm: dm.page,
    close: async () => {
      await member.context.close();
      await dm.context.close();
    }
  };
}

test.describe('on a 360 px phone', () => {
  test.use(SCREENS['on a 360 px phone']);

  test('the outcomes page, its update forms and its errors pass axe, and nothing is wider than the screen', async ({
    browser,
    request
  }) => {
    const { w, member, dm, close } = await answered(browser, request);
    await member.reload();
    await expect(member.getByRole('region', { name: 'Since your last look' })).toContainText('1 recommendation has changed');
    await expect(member.getByRole('article').getByRole('listitem').filter({ hasText: 'Piloting' })).toContainText('New');
    await expectNoAccessibilityViolations(member, 'the outcomes page at 360 px (member)');
    expect(await member.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await dm.reload();
    await dm.getByText('Give an update on recommendation 1').click();
    await dm.getByRole('button', { name: 'Save the update' }).click();
    await expect(dm.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText('Choose what is happening now');
    await dm.getByText('Link it, or say who it is for now').click();
    await expectNoAccessibilityViolations(dm, 'the outcomes page at 360 px with an error (decision maker)');
    expect(await dm.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await dm.goto(`/w/${w.id}/outcomes/summary?version=easy`);
    await expect(dm.getByRole('heading', { name: 'What did we ask for?' })).toBeVisible();
    await expectNoAccessibilityViolations(dm, 'the easy read outcomes summary at 360 px');
    await close();
  });
});
