import { test, expect, BoardPage, createWorkshop } from './fixtures';

test('a member can type the code on the landing page in lower case with a space and reach the board', async ({ page, request }) => {
  const workshop = await createWorkshop(request);
  const typed = `${workshop.code.slice(0, 3)} ${workshop.code.slice(3)}`.toLowerCase();

  await page.goto('/');
  await page.getByLabel('Workshop code').fill(typed);
  await page.getByRole('button', { name: 'Join', exact: true }).click();

  await expect(page).toHaveURL(/\/j\/[^/]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(workshop.title);
  await expect(page.getByText('You will join as:')).toContainText('Member');
  await page.getByLabel('What name should we show?').fill('Priya');
  await page.getByRole('button', { name: 'Join the workshop' }).click();

  await expect(page).toHaveURL(`/w/${workshop.id}`);
  const board = new BoardPage(page);
  await board.expectLive();
  await expect(board.presence()).toContainText('Priya (you)');
});

test('a wrong code shows “There is a problem” with a message, and the page title starts with “Error:”', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Workshop code').fill('ZZZ 999');
  await page.getByRole('button', { name: 'Join', exact: true }).click();

  const summary = page.getByRole('alert');
  await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  const message = summary.getByRole('link');
  await expect(message).toHaveCount(1);
  await expect(message).toHaveText(/\w+/);
  await expect(message).toHaveAttribute('href', '#code');
  await expect(summary).toBeFocused();
  await expect(page).toHaveTitle(/^Error: /);
  // The field keeps what was typed and says what is wrong.
  const field = page.getByRole('textbox', { name: 'Workshop code' });
  await expect(field).toHaveValue('ZZZ 999');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(new RegExp((await message.innerText()).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});
