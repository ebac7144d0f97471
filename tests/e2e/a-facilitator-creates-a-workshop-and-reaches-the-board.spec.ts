import { test, expect, BoardPage, uniqueTitle } from './fixtures';

test('a facilitator creates a workshop on the landing page, sees the invite page and goes to the board', async ({ page, baseURL }) => {
  const title = uniqueTitle('Housing forum');
  const question = 'How do we help people keep their homes?';

  await page.goto('/');
  await page.getByLabel('Workshop title').fill(title);
  await page.getByLabel('The question for the group').fill(question);
  await page.getByLabel('Your name (optional)').fill('Fatima');
  await page.getByRole('button', { name: 'Create workshop' }).click();

  await expect(page).toHaveURL(/\/w\/[^/]+\/invite\?new=1$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Invite people to ${title}`);
  await expect(page.getByText('Your workshop is ready.')).toBeVisible();
  const code = page.locator('.join-code');
  await expect(code).toBeVisible();
  await expect(code).toHaveText(/^[A-Z2-9]{3} ?[A-Z2-9]{3}$/);
  const qr = page.getByRole('img', { name: /QR code/ });
  await expect(qr).toBeVisible();
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  for (const label of ['Members (lived experience)', 'Decision makers (professionals)', 'Observers (watch only)', /^Co-facilitators/]) {
    await expect(page.getByRole('textbox', { name: label })).toHaveValue(new RegExp(`^${baseURL!.replace(/[.]/g, '\\.')}/j/\\S+$`));
  }

  await page.getByRole('link', { name: 'Go to the board' }).click();
  await expect(page).toHaveURL(/\/w\/[^/]+$/);
  const board = new BoardPage(page);
  await board.expectLive();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(question);
  await expect(board.presence()).toContainText('1 person here:');
  await expect(board.presence()).toContainText('Fatima (you)');
  for (const lane of ['Questions', 'Problems', 'Solutions'] as const) {
    await expect(board.lane(lane).getByRole('heading', { level: 2 })).toHaveText(`${lane} (0)`);
  }
});
