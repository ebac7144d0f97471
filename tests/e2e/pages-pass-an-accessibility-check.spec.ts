// axe, WCAG 2.2 A and AA, on every page people see.
import { test, expect, SCREENS, createWorkshop, expectNoAccessibilityViolations, joinWithLink } from './fixtures';

test.describe('axe finds no WCAG 2.2 A or AA violation', () => {
  test('on the landing page', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Join a workshop' })).toBeVisible();
    await expectNoAccessibilityViolations(page, 'the landing page');
  });

  test('on the landing page showing errors', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Create workshop' }).click();
    await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
    await expectNoAccessibilityViolations(page, 'the landing page with errors');
  });

  test('on the join-with-a-code page, empty and with an error', async ({ page }) => {
    await page.goto('/join');
    await expect(page.getByRole('heading', { name: 'Join with a code' })).toBeVisible();
    await expectNoAccessibilityViolations(page, '/join');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
    await expectNoAccessibilityViolations(page, '/join with an error');
  });

  test('on the invite link page, empty and with an error', async ({ page, request }) => {
    const workshop = await createWorkshop(request);
    await page.goto(workshop.links.member);
    await expect(page.getByLabel('What name should we show?')).toBeVisible();
    await expectNoAccessibilityViolations(page, 'the invite link page');
    await page.getByRole('button', { name: 'Join the workshop' }).click();
    await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
    await expectNoAccessibilityViolations(page, 'the invite link page with an error');
  });

  test('on a broken invite link page', async ({ page }) => {
    await page.goto('/j/this-link-does-not-exist');
    await expect(page.getByRole('heading', { name: 'This invite link is not working' })).toBeVisible();
    await expectNoAccessibilityViolations(page, 'a broken invite link page');
  });

  test('on the invite page', async ({ page, context, request }) => {
    const workshop = await createWorkshop(request);
    await joinWithLink(context, workshop.links.facilitator, 'Fatima');
    await page.goto(`/w/${workshop.id}/invite?new=1`);
    await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
    await expectNoAccessibilityViolations(page, 'the invite page');
  });

  test('on the present view, at 1280x720 and 1920x1080, and on a broken present link page', async ({ page, request }) => {
    const workshop = await createWorkshop(request);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(workshop.links.present);
    await expect(page.locator('[data-connection]')).toHaveText('Live');
    await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
    await expectNoAccessibilityViolations(page, 'the present view at 1280x720');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await expectNoAccessibilityViolations(page, 'the present view at 1920x1080');
    await page.goto('/p/this-link-does-not-exist-at-all');
    await expect(page.getByRole('heading', { name: 'This present link does not work' })).toBeVisible();
    await expectNoAccessibilityViolations(page, 'a broken present link page');
  });

  test('on the board with a few cards and two people', async ({ workshop }) => {
    const { facilitator, member } = workshop;
    const first = await facilitator.board.addCard('Questions');
    await facilitator.page.keyboard.type('Who decides?');
    await facilitator.board.addCard('Questions');
    await facilitator.page.keyboard.type('When?');
    await member.board.addCard('Problems');
    await member.page.keyboard.type('Letters are hard to read');
    await member.board.addCard('Solutions');
    await member.page.keyboard.type('Plain words');
    await facilitator.board.expectLane('Solutions', ['Plain words']);
    await member.board.expectLane('Questions', ['Who decides?', 'When?']);
    // Someone else typing in a card is shown on it.
    await member.board.text(first).focus();
    await expect(facilitator.page.getByText('Marcus is typing here')).toBeVisible();
    await expectNoAccessibilityViolations(facilitator.page, 'the board (facilitator)');
    await expectNoAccessibilityViolations(member.page, 'the board (member)');
  });

  // More states of it (errors, a glossary, a word open) in a-decision-maker-prepares-the-question-with-a-glossary.spec.ts.
  for (const [screen, use] of Object.entries(SCREENS)) {
    test(`on the preparation page, ${screen}`, async ({ browser, request }) => {
      const workshop = await createWorkshop(request, { question: 'How can the CSTR team help?' });
      const context = await browser.newContext(use);
      await joinWithLink(context, workshop.links.decisionMaker, 'Dana');
      const page = await context.newPage();
      await page.goto(`/w/${workshop.id}/prepare`);
      await expect(page.locator('#prepare-plain')).toContainText('1 short form to explain');
      await expectNoAccessibilityViolations(page, `the preparation page ${screen}`);
      await context.close();
    });
  }
  test('on “What happened to our ideas” as its facilitator, with nothing yet, and its empty summary', async ({
    page,
    context,
    request
  }) => {
    const workshop = await createWorkshop(request);
    await joinWithLink(context, workshop.links.facilitator, 'Fatima');
    await page.goto(`/w/${workshop.id}/outcomes`);
    await expect(page.getByRole('heading', { name: 'Add a recommendation' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Start the next workshop of this group' })).toBeVisible();
    await expect(page.getByText('This workshop is kept while it is open.')).toBeVisible();
    await expectNoAccessibilityViolations(page, 'the outcomes page of a new workshop (facilitator)');
    await page.getByRole('button', { name: 'Start the next workshop' }).click();
    await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
    await expectNoAccessibilityViolations(page, 'the outcomes page with errors in the next workshop form');
    await page.goto(`/w/${workshop.id}/outcomes/summary`);
    await expect(page.getByText('No recommendations have been made yet.')).toBeVisible();
    await expectNoAccessibilityViolations(page, 'the empty outcomes summary');
  });

  test('on the privacy page', async ({ page }) => {
    await page.goto('/privacy');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoAccessibilityViolations(page, '/privacy');
  });

  test('on a page that does not exist', async ({ page }) => {
    await page.goto('/no-such-page');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expectNoAccessibilityViolations(page, 'the not-found page');
  });
});
