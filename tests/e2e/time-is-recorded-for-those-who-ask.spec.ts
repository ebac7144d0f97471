// Issue 13, item 6 (involvement records), in Chromium: someone joins on a phone with "Record my
// time" ticked (by keyboard: the questions under it appear once ticked, and the problems are
// named in an error summary), finds "Your time record" from the board, sees their record and
// clears it; the facilitator downloads the time records as a CSV that holds the name given for
// the record and not the display name. axe finds nothing at 360 px or on a desktop.
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, expectNoAccessibilityViolations, tabTo, BoardPage, SCREENS } from './fixtures';

/** Joins with the invite link on `page`, by keyboard alone, ticking "Record my time". */
async function joinRecordingTime(page: Page, link: string, what: string): Promise<void> {
  await page.goto(link);
  const box = page.getByRole('checkbox', { name: 'Record my time' });
  await expect(box).not.toBeChecked();
  // Unticked, the questions under it are not there to fill in.
  await expect(page.getByLabel('Name for your time record')).toBeHidden();
  await tabTo(page, page.getByLabel('What name should we show?'));
  await page.keyboard.type('Rosa');
  await tabTo(page, box);
  await page.keyboard.press('Space');
  await expect(box).toBeChecked();
  await expect(page.getByLabel('Name for your time record')).toBeVisible();
  await expectNoAccessibilityViolations(page, `the join page with "Record my time" ticked ${what}`);

  // Sent without the name and the choice: both are named, at the top and beside each field.
  await tabTo(page, page.getByRole('button', { name: 'Join the workshop' }));
  await page.keyboard.press('Enter');
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toBeFocused();
  await expect(
    summary.getByRole('link', { name: 'Enter the name for your time record. It can be the name your payment goes to' })
  ).toBeVisible();
  await expect(summary.getByRole('link', { name: 'Choose how you would like to be thanked for your time' })).toBeVisible();
  await expect(page).toHaveTitle(/^Error: /);
  await expectNoAccessibilityViolations(page, `the join page's errors ${what}`);

  await summary.getByRole('link', { name: /Enter the name for your time record/ }).press('Enter');
  await expect(page.getByLabel('Name for your time record')).toBeFocused();
  await page.keyboard.type('Rosa Martínez');
  // A group of radio buttons is one Tab stop; the arrow keys choose within it.
  await tabTo(page, page.getByRole('radio', { name: 'Payment', exact: true }));
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'Voucher' })).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Join the workshop' }));
  await page.keyboard.press('Enter');
  await new BoardPage(page).expectLive();
}

for (const [screen, use] of Object.entries(SCREENS)) {
  test.describe(screen, () => {
    test.use(use);

    test('someone who asks has their time recorded, sees it and clears it; the facilitator downloads the records', async ({
      workshop,
      browser
    }) => {
      test.slow();
      const context = await browser.newContext(use);
      const page = await context.newPage();
      await joinRecordingTime(page, workshop.links.member, screen);

      // From the board: "Your time record", by keyboard.
      const link = page.getByRole('link', { name: 'Your time record' });
      await tabTo(page, link, { max: 200 });
      await page.keyboard.press('Enter');
      await expect(page.getByRole('heading', { level: 1, name: 'Your time record' })).toBeVisible();
      await expect(page.getByText('Rosa Martínez')).toBeVisible();
      await expect(page.getByText('Voucher', { exact: true })).toBeVisible();
      // The page's own socket has closed, but a page load is within the grace: still here.
      await expect(page.getByText('You are here now')).toBeVisible();
      await expect(page.getByRole('heading', { name: 'When you were here' })).toBeVisible();
      await expectNoAccessibilityViolations(page, `"Your time record" ${screen}`);

      // The facilitator's CSV: the name for the record, not the display name "Rosa".
      const fac = workshop.facilitator;
      const board = await fac.board.openControls('Board');
      const download = fac.page.waitForEvent('download');
      await board.getByRole('link', { name: 'Download the time records (CSV)' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/[ -]time[ -]records\.csv$/);
      const csv = fs.readFileSync(await file.path(), 'utf8');
      const lines = csv.trim().split('\r\n');
      expect(lines[0]).toBe('"Name for the record","Role","Thanks","Joined (UTC)","Left (UTC)","Minutes active"');
      expect(lines.slice(1)).toEqual([expect.stringMatching(/^"Rosa Martínez","Member","Voucher","\d{4}-\d\d-\d\d \d\d:\d\d",/)]);
      // Marcus and Fatima did not tick it: not in it.
      expect(csv).not.toMatch(/Marcus|Fatima/);

      // Clearing it, by keyboard: gone from the page and from the export.
      const clear = page.getByRole('button', { name: 'Clear my time record' });
      await tabTo(page, clear);
      await page.keyboard.press('Enter');
      await expect(page.getByRole('status').filter({ hasText: 'Your time record has been cleared.' })).toBeVisible();
      await expect(page.getByText('Rosa Martínez')).toHaveCount(0);
      await expectNoAccessibilityViolations(page, `"Your time record" once cleared ${screen}`);
      const after = await fac.page.request.get(`/api/workshops/${workshop.id}/involvement.csv`);
      expect((await after.text()).trim().split('\r\n')).toHaveLength(1);
      // The board no longer offers the page.
      await page.getByRole('link', { name: 'Back to the board' }).click();
      await new BoardPage(page).expectLive();
      await expect(page.getByRole('link', { name: 'Your time record' })).toHaveCount(0);
      await context.close();
    });
  });
}
