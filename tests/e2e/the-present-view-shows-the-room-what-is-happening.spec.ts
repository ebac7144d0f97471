// Issue 12, item 3: the present view on a projector. A screen opened with the present link shows
// the question, the QR code, the code and the timer, readable at 1280x720 and 1920x1080 without
// scrolling, and follows the facilitator live: the step, a spotlighted card, a closed vote's
// results. It says when it is reconnecting, when its link has been replaced and when the workshop
// has ended. axe finds nothing at either size, nor at 360 px.
import type { Browser, Page } from '@playwright/test';
import { test, expect, BoardPage, createWorkshop, expectNoAccessibilityViolations, joinWithLink } from './fixtures';

const PROJECTOR = { width: 1280, height: 720 };
const LARGE = { width: 1920, height: 1080 };

/** A projector's browser: its own context, with the present link opened in it. */
async function projector(browser: Browser, link: string): Promise<Page> {
  const context = await browser.newContext({ viewport: PROJECTOR });
  const page = await context.newPage();
  await page.goto(link);
  await expect(page.locator('[data-connection]')).toHaveAttribute('data-connection', 'live');
  return page;
}

/** Nothing reaches past the bottom or the right of the screen: no scrolling, and nothing cut off. */
async function expectNoScrolling(page: Page, what: string): Promise<void> {
  const sizes = await page.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    width: document.documentElement.scrollWidth,
    innerHeight: window.innerHeight,
    innerWidth: window.innerWidth
  }));
  expect(sizes.height, `${what}: the page's height`).toBeLessThanOrEqual(sizes.innerHeight);
  expect(sizes.width, `${what}: the page's width`).toBeLessThanOrEqual(sizes.innerWidth);
  // And nothing inside spills out of its part of the screen.
  const spilled = await page.evaluate(() =>
    [...document.querySelectorAll('main *')]
      .filter((el) => el.getBoundingClientRect().bottom > window.innerHeight + 1)
      .map((el) => el.tagName.toLowerCase() + (el.className ? `.${String(el.className).split(' ')[0]}` : ''))
  );
  expect(spilled, `${what}: nothing below the bottom of the screen`).toEqual([]);
}

/** Closes the facilitator's sheet (a modal on a laptop-sized screen), so the board behind can be used. */
async function closeSheet(page: Page): Promise<void> {
  const sheet = page.getByRole('dialog', { name: 'Facilitator controls' });
  if (await sheet.isVisible()) {
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();
  }
}

/** The question's type size in CSS pixels, read off the screen. */
const questionPixels = (page: Page) => page.locator('h1').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

test('[L-PRESENT-2, L-PRESENT-3, L-PRESENT-4] the present view shows the question, how to join and the timer, and follows the facilitator live', async ({
  workshop,
  browser
}) => {
  test.setTimeout(90_000);
  const { facilitator, member } = workshop;
  const screen = await projector(browser, workshop.links.present);
  // The token is gone from the address bar the room can read.
  expect(new URL(screen.url()).pathname).toBe(`/w/${workshop.id}/present`);
  await expect(screen.getByRole('heading', { level: 1 })).toHaveText(workshop.question);
  const qr = screen.getByRole('img', { name: 'QR code that opens the invite link for members' });
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const box = await qr.boundingBox();
  expect(box?.width ?? 0, 'a QR code large enough to scan from a seat').toBeGreaterThanOrEqual(220);
  await expect(screen.getByText(`${workshop.code.slice(0, 3)} ${workshop.code.slice(3)}`, { exact: true })).toBeVisible();
  await expect(screen.getByText('Step 1 of 8:')).toBeVisible();
  await expect(screen.locator('footer')).toContainText('2 people here');
  await expect(screen.locator('footer')).toContainText('No cards yet on the board');
  expect(await questionPixels(screen), 'the question reads from the back of the room').toBeGreaterThanOrEqual(40);
  await expectNoScrolling(screen, 'the question at 1280x720');
  await expectNoAccessibilityViolations(screen, 'the present view at 1280x720');
  // No controls: nothing on it can be pressed or typed into.
  await expect(screen.locator('button, input, select, textarea, a[href]')).toHaveCount(0);

  // The facilitator moves on and starts the timer.
  const steps = await facilitator.board.openControls('Steps and timer');
  await steps.getByRole('button', { name: 'Next step' }).click();
  await expect(screen.getByText('Step 2 of 8:')).toBeVisible();
  await expect(screen.locator('.step strong')).toHaveText('The question');
  await steps.getByLabel('Minutes').fill('3');
  await steps.getByRole('button', { name: 'Start timer' }).click();
  const timer = screen.getByRole('timer');
  await expect(timer).toHaveText(/^[23]:\d\d$/);
  await closeSheet(facilitator.page);

  // Cards come, and one is spotlighted: the screen shows it, then its edits.
  const card = await member.board.addCard('Solutions');
  await member.page.keyboard.type('An evening minibus');
  await expect(screen.locator('footer')).toContainText('1 card on the board');
  await facilitator.board.expectLane('Solutions', ['An evening minibus']);
  await facilitator.board.cardAction(card, 'Show everyone');
  const spotlight = screen.getByRole('region', { name: 'The facilitator is showing everyone a card' });
  await expect(spotlight).toContainText('An evening minibus');
  await expect(spotlight).toContainText('In Solutions');
  await member.board.text(card).press('End');
  await member.page.keyboard.type(' on Fridays');
  await expect(spotlight).toContainText('An evening minibus on Fridays');
  await expectNoScrolling(screen, 'a spotlighted card at 1280x720');
  await screen.setViewportSize(LARGE);
  await expectNoScrolling(screen, 'a spotlighted card at 1920x1080');
  await expectNoAccessibilityViolations(screen, 'the present view with a card, at 1920x1080');

  // A vote on the board, closed, and its results on the screen once the facilitator shows them.
  const priya = await workshop.join('member', 'Priya');
  const vote = await facilitator.board.openControls(/^Vote/);
  const form = vote.getByRole('form', { name: 'Start a vote on this board' });
  await form.getByLabel('Cards', { exact: true }).check();
  await form.getByLabel('All the cards on the board').check();
  await form.getByRole('button', { name: 'Start the vote' }).click();
  await expect(vote.getByRole('button', { name: 'Close the vote and show results' })).toBeVisible();
  await closeSheet(facilitator.page);
  // While it is open the screen shows no result.
  await expect(screen.getByRole('region', { name: 'Results of the vote' })).toHaveCount(0);
  for (const p of [facilitator, member, priya]) {
    const button = p.board.card(card).getByRole('button', { name: /^Vote for / });
    await button.click();
    await expect(p.board.card(card)).toContainText('1 of your votes');
  }
  const again = await facilitator.board.openControls(/^Vote/);
  await again.getByRole('button', { name: 'Close the vote and show results' }).click();
  await closeSheet(facilitator.page);
  await expect(facilitator.page.getByRole('region', { name: 'Results of the vote' })).toBeVisible();
  await expect(screen.getByRole('region', { name: 'Results of the vote' })).toHaveCount(0);
  const present = await facilitator.board.openControls(/^Present screen/);
  await present.getByRole('button', { name: 'Show the vote results on the present screen' }).click();
  await expect(present.getByRole('button', { name: 'Stop showing the results' })).toBeVisible();
  await expectNoAccessibilityViolations(facilitator.page, "the facilitator's Present screen controls");
  const results = screen.getByRole('region', { name: 'Results of the vote' });
  await expect(results).toContainText('3 people voted.');
  await expect(results).toContainText('An evening minibus on Fridays');
  // A facilitator alone is fewer than 3: counted with the members, never on their own.
  await expect(results).toContainText('Members and facilitators');
  await expect(results.getByText(/^Facilitators$/)).toHaveCount(0);
  await expectNoScrolling(screen, 'vote results at 1920x1080');
  await expectNoAccessibilityViolations(screen, 'the present view with vote results, at 1920x1080');
  await screen.setViewportSize(PROJECTOR);
  await expectNoScrolling(screen, 'vote results at 1280x720');
  await expectNoAccessibilityViolations(screen, 'the present view with vote results, at 1280x720');
  await present.getByRole('button', { name: 'Stop showing the results' }).click();
  await expect(results).toHaveCount(0);
  await screen.context().close();
});

test('[L-PRESENT-10, L-PRESENT-12] a long question gets smaller type and still fits; the screen says when it reconnects, and when the workshop has ended', async ({
  browser,
  request
}) => {
  const long =
    `${'How do we design a probation service with the people who use it, so that letters, appointments and support make sense to them, '.repeat(3)}and not only to us?`.slice(
      0,
      500
    );
  const created = await createWorkshop(request, { question: long });
  const screen = await projector(browser, created.links.present);
  await expect(screen.getByRole('heading', { level: 1 })).toHaveText(long);
  const size = await questionPixels(screen);
  expect(size, 'smaller than a short question').toBeLessThan(40);
  expect(size, 'but still readable across a room').toBeGreaterThanOrEqual(22);
  await expectNoScrolling(screen, 'a 500-character question at 1280x720');
  await screen.setViewportSize(LARGE);
  await expectNoScrolling(screen, 'a 500-character question at 1920x1080');

  // The signal goes and comes back.
  const status = screen.locator('[data-connection]');
  await screen.context().setOffline(true);
  await expect(status).toHaveText('Reconnecting… this screen will catch up');
  await expectNoAccessibilityViolations(screen, 'the present view, reconnecting');
  await screen.context().setOffline(false);
  await expect(status).toHaveText('Live');

  // The facilitator ends the workshop: the screen says so and no longer offers a way to join.
  const context = await browser.newContext();
  await joinWithLink(context, created.links.facilitator, 'Fatima');
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  const board = new BoardPage(page);
  await board.open(created.id);
  const end = await board.openControls('End or delete the workshop');
  await end.getByRole('button', { name: 'End the workshop' }).click();
  await expect(screen.getByRole('heading', { name: 'This workshop has ended' })).toBeVisible();
  await expect(screen.getByRole('img', { name: /QR code/ })).toHaveCount(0);
  await expectNoScrolling(screen, 'an ended workshop at 1920x1080');
  await expectNoAccessibilityViolations(screen, 'the present view once the workshop has ended');
  await context.close();
  await screen.context().close();
});

test('[L-PRESENT-8, L-PRESENT-9] a facilitator opens the present view from the invite page; a new present link stops the screen opened with the old one', async ({
  browser,
  request
}) => {
  const created = await createWorkshop(request);
  const context = await browser.newContext({ viewport: PROJECTOR });
  await joinWithLink(context, created.links.facilitator, 'Fatima');
  const invite = await context.newPage();
  await invite.goto(`/w/${created.id}/invite`);
  const field = invite.getByRole('textbox', { name: 'Present screen' });
  await expect(field).toHaveValue(created.links.present);
  await expect(invite.getByRole('button', { name: 'Copy link for Present screen' })).toBeVisible();
  // The facilitator's own session opens it too.
  const own = await context.newPage();
  await own.goto(`/w/${created.id}/present`);
  await expect(own.getByRole('heading', { level: 1 })).toHaveText(created.question);
  await expect(own.locator('[data-connection]')).toHaveText('Live');

  const screen = await projector(browser, created.links.present);
  const board = new BoardPage(await context.newPage());
  await board.open(created.id);
  const people = await board.openControls(/^People/);
  await people.getByRole('button', { name: 'New present screen link' }).click();
  await expect(screen.getByRole('alert')).toContainText('This present link has been replaced by a new one.');
  await expect(screen.locator('[data-connection]')).toHaveText('Stopped');
  await expectNoAccessibilityViolations(screen, 'a present screen whose link was replaced');
  // The facilitator's own view goes on, and the invite page has the new link.
  await expect(own.locator('[data-connection]')).toHaveText('Live');
  await invite.reload();
  await expect(field).not.toHaveValue(created.links.present);
  await context.close();
  await screen.context().close();
});

test.describe('axe finds no WCAG 2.2 A or AA violation on the present view on a 360 px phone', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  test('with the question and how to join', async ({ page, request }) => {
    const created = await createWorkshop(request);
    await page.goto(created.links.present);
    await expect(page.locator('[data-connection]')).toHaveText('Live');
    await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, 'no sideways scrolling').toBeLessThanOrEqual(360);
    await expectNoAccessibilityViolations(page, 'the present view at 360 px');
  });
});
