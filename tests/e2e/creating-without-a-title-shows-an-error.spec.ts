import { test, expect } from './fixtures';

test('creating a workshop with an empty title shows an error summary that links to the title field', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('The question for the group').fill('How do we make the bus fair?');
  await page.getByRole('button', { name: 'Create workshop' }).click();

  await expect(page).toHaveTitle(/^Error: /);
  const summary = page.getByRole('alert');
  await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(summary).toBeFocused();
  const link = summary.getByRole('link');
  await expect(link).toHaveCount(1);
  await expect(link).toHaveAttribute('href', '#title');
  const message = (await link.innerText()).trim();
  expect(message.length).toBeGreaterThan(0);

  const title = page.getByRole('textbox', { name: 'Workshop title' });
  await expect(title).toHaveAttribute('aria-invalid', 'true');
  await expect(title).toHaveAccessibleDescription(new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // What was typed is kept.
  await expect(page.getByLabel('The question for the group')).toHaveValue('How do we make the bus fair?');

  // Following the link puts the person in the field.
  await link.click();
  await expect(title).toBeFocused();
});
