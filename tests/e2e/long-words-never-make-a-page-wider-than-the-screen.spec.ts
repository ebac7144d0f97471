// Issue 11, item 5: a 120-character title without spaces made the invite page 2,700 px wide, and
// the "Contributions per group" table ran past the facilitator panel, hiding the Turns column.
// Every page, with the longest words the limits allow, on a 360 px phone and on a desktop: no page
// is wider than the screen, and the tables scroll inside a labelled region a keyboard can reach.
import {
  test,
  expect,
  BoardPage,
  createWorkshop,
  expectNoAccessibilityViolations,
  joinWithLink,
  tokenOf,
  type CreatedWorkshop
} from './fixtures';
import type { Page } from '@playwright/test';

const SCREENS = [
  { name: 'a 360 px phone', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
  { name: 'a desktop', viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false }
];

// The longest words the limits allow: a title of 120 characters, a question of 500 and names of
// 40, none with a space.
const TITLE = 'Probationforumaboutservicesforpeoplewhodonotuseservices'.repeat(3).slice(0, 120);
const QUESTION = 'Howdowedesignaservicethatpeoplewhodonotuseserviceswouldwanttouse'.repeat(8).slice(0, 500);
const FACILITATOR = 'Fatimaabdullahiwhofacilitatesthisforumok'.slice(0, 40);
const MEMBER = 'Marcuswhohaslivedexperienceofprobation';

/** How much wider than the screen the page is (0 when it fits). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function expectFits(page: Page, what: string): Promise<void> {
  await expect.poll(() => overflow(page), { message: `${what} is wider than the screen (${page.url()})` }).toBeLessThanOrEqual(0);
}

for (const screen of SCREENS) {
  test.describe(`on ${screen.name}`, () => {
    test.use({ viewport: screen.viewport, isMobile: screen.isMobile, hasTouch: screen.hasTouch });

    let workshop: CreatedWorkshop;
    test.beforeEach(async ({ request }) => {
      workshop = await createWorkshop(request, { title: TITLE, question: QUESTION });
    });

    test('the pages before joining fit the screen with the longest title', async ({ page }) => {
      for (const path of ['/', '/join', '/privacy', '/left', `/j/${tokenOf(workshop.links.member)}`]) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await expectFits(page, path);
      }
      // The invite link page with its error, and the join page with a long wrong code.
      await page.goto(workshop.links.member);
      await page.getByRole('button', { name: 'Join the workshop' }).click();
      await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
      await expectFits(page, 'the invite link page with an error');
    });

    test('the invite page fits the screen with a 120-character title without spaces, and passes axe', async ({ page, context }) => {
      await joinWithLink(context, workshop.links.facilitator, FACILITATOR);
      await page.goto(`/w/${workshop.id}/invite?new=1`);
      await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
      await expect(page.getByRole('heading', { level: 1 })).toContainText(TITLE.slice(0, 20));
      await expectFits(page, 'the invite page');
      await expectNoAccessibilityViolations(page, 'the invite page with a long title');
    });

    test("the board and the facilitator's tables fit, and the Turns column can be reached", async ({ page, context, browser }) => {
      await joinWithLink(context, workshop.links.facilitator, FACILITATOR);
      const memberContext = await browser.newContext();
      try {
        await joinWithLink(memberContext, workshop.links.member, MEMBER);
        const memberPage = await memberContext.newPage();
        const memberBoard = new BoardPage(memberPage);
        await memberBoard.open(workshop.id);
        await memberBoard.addCard('Problems');
        await memberPage.keyboard.type('Appointmentlettersarriveaftertheappointment'.repeat(3));
        await expectFits(memberPage, "the member's board");

        const board = new BoardPage(page);
        await board.open(workshop.id);
        await expect(board.presence()).toContainText(MEMBER);
        await expectFits(page, "the facilitator's board");
        const say = await board.openControls('Who has had a say');
        await expectFits(page, "the facilitator's board with 'Who has had a say' open");

        // Each table stays inside the panel: wider than its room, it scrolls in a region of its own,
        // named like the table, that the keyboard can reach.
        for (const name of ['Contributions per person', 'Contributions per group']) {
          const region = say.getByRole('region', { name });
          await expect(region).toBeVisible();
          await expect(region.getByRole('table', { name })).toBeVisible();
          await expect(region).toHaveAttribute('tabindex', '0');
          const panel = await board.controls().boundingBox();
          const box = await region.boundingBox();
          expect(box!.x + box!.width, `${name} ends inside the facilitator panel`).toBeLessThanOrEqual(panel!.x + panel!.width + 1);
          const turns = region.getByRole('columnheader', { name: 'Turns' });
          await region.focus();
          await page.keyboard.press('End');
          await turns.scrollIntoViewIfNeeded();
          await expect(turns).toBeInViewport();
          const t = await turns.boundingBox();
          expect(t!.x + t!.width, `Turns of ${name} is inside its region once scrolled`).toBeLessThanOrEqual(box!.x + box!.width + 1);
        }
        await expectNoAccessibilityViolations(page, "the facilitator's board with 'Who has had a say' open");
      } finally {
        await memberContext.close();
      }
    });
  });
}
