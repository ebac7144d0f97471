// Issue 11, item 6, in the browser. A deleted workshop is called deleted (its board, even after a
// reload, and the facilitator's invite page), the old link says it may have been deleted, and the
// facilitator who deleted it sees no live controls ("Invite people", the steps and timer).
import { test, expect, expectNoAccessibilityViolations } from './fixtures';

test('a deleted workshop is called deleted, and its facilitator sees no live controls', async ({ workshop, page }) => {
  const { facilitator, member } = workshop;
  const end = await facilitator.board.openControls('End or delete the workshop');
  facilitator.page.once('dialog', (dialog) => void dialog.accept());
  await end.getByRole('button', { name: 'Delete the workshop now' }).click();

  for (const who of [facilitator, member]) {
    await expect(who.page.getByRole('alert')).toContainText('The facilitator has deleted this workshop and everything in it.');
    // Nothing to act on any more: no invite button, no steps or timer.
    await expect(who.page.getByRole('link', { name: 'Invite people' })).toHaveCount(0);
    await expect(who.board.phaseBar()).toHaveCount(0);
    await expect(who.board.controls()).toHaveCount(0);
  }
  await expectNoAccessibilityViolations(facilitator.page, "the deleting facilitator's page");

  // Back later, the board says what happened rather than "this device has not joined".
  for (const who of [facilitator, member]) {
    await who.page.reload();
    await expect(who.page.getByRole('heading', { level: 1 })).toHaveText('This workshop has been deleted');
    await expect(who.page.getByText('This device has not joined')).toHaveCount(0);
    await expect(who.page).toHaveTitle('Workshop deleted – Roundtable');
  }
  await expectNoAccessibilityViolations(member.page, 'the board of a deleted workshop, reloaded');

  // The facilitator's invite page, and the old link for someone who never joined.
  await facilitator.page.goto(`/w/${workshop.id}/invite`);
  await expect(facilitator.page.getByRole('heading', { level: 1 })).toHaveText('This workshop has been deleted');
  await expectNoAccessibilityViolations(facilitator.page, 'the invite page of a deleted workshop');
  await page.goto(workshop.links.member);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This invite link is not working');
  await expect(page.getByText('The workshop may have been deleted, or the link was not copied in full.')).toBeVisible();
  await expectNoAccessibilityViolations(page, 'the old invite link of a deleted workshop');
});
