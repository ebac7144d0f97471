import { test, expect, BoardPage, createWorkshop, joinWithLink } from './fixtures';

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

async function expectNoHorizontalScroll(page: import('@playwright/test').Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

test('on a 360 px wide phone the board has no sideways scroll and a card can be added and typed into', async ({
  page,
  context,
  request
}) => {
  const workshop = await createWorkshop(request, {
    question: 'How do we design a service for people who do not use services, and make it welcoming for everyone?'
  });
  await joinWithLink(context, workshop.links.member, 'Marcus');
  const board = new BoardPage(page);
  await board.open(workshop.id);
  await expectNoHorizontalScroll(page);

  await board.laneTab('Problems').tap(); // on a phone the lists are tabs
  const id = await board.addCard('Problems', { tap: true });
  await page.keyboard.type('Appointment letters arrive after the appointment, so people miss them');
  await expect(board.text(id)).toHaveValue('Appointment letters arrive after the appointment, so people miss them');
  await expect(board.cardMenuButton(id)).toBeVisible();
  await expectNoHorizontalScroll(page);

  // The text is saved: another look at the board shows it.
  await page.reload();
  await board.expectLive();
  await board.laneTab('Problems').tap();
  await expect(board.text(id)).toHaveValue('Appointment letters arrive after the appointment, so people miss them');
  await expectNoHorizontalScroll(page);
});

test('on a 360 px wide phone the landing and invite pages have no sideways scroll', async ({ page, context, request }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Create workshop' })).toBeVisible();
  await expectNoHorizontalScroll(page);

  const workshop = await createWorkshop(request);
  await joinWithLink(context, workshop.links.facilitator, 'Fatima');
  await page.goto(`/w/${workshop.id}/invite`);
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  await expectNoHorizontalScroll(page);
});
