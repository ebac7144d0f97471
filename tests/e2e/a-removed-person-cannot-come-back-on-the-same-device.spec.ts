// Issue 11, item 2, in the browser. A removed person opening the same member link or typing the
// code is told this device cannot join, instead of being back at once with a new name; the
// facilitator's confirmation says what happens and offers new links and a new code in the same
// step.
import { test, expect, expectNoAccessibilityViolations, type Participant } from './fixtures';
import type { Page } from '@playwright/test';

/** Answers the browser's confirm() dialogs in order (accept or dismiss) and records what they said. */
function answerDialogs(page: Page, answers: boolean[]): string[] {
  const said: string[] = [];
  const next = (dialog: import('@playwright/test').Dialog) => {
    said.push(dialog.message());
    const answer = answers.shift();
    if (!answers.length) page.off('dialog', next);
    void (answer ? dialog.accept() : dialog.dismiss());
  };
  page.on('dialog', next);
  return said;
}

async function removeFromPeople(facilitator: Participant, name: string, answers: boolean[]): Promise<string[]> {
  const people = await facilitator.board.openControls(/^People/);
  const said = answerDialogs(facilitator.page, answers);
  await people.getByRole('button', { name: `Remove ${name}` }).click();
  await expect(facilitator.board.controls().getByRole('status').first()).toHaveText(`${name} has been removed.`);
  return said;
}

test('a removed member cannot come back on the same device with the same link, the code or a new name', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  const said = await removeFromPeople(facilitator, 'Marcus', [true, false]);
  expect(said).toEqual([
    'Remove Marcus from the workshop? They are disconnected at once and cannot join again from the same browser.',
    'Also turn off the member link and the code, and make new ones? Do this if Marcus might join again from another device. Anyone who has not joined yet will need the new link or code.'
  ]);
  await expect(member.page.getByRole('alert')).toContainText('The facilitator has removed you from this workshop.');

  // The same member link, as the issue found: the page says why, and offers no form.
  await member.page.goto(workshop.links.member);
  await expect(member.page.getByRole('heading', { level: 1 })).toHaveText('This device cannot join this workshop');
  await expect(member.page.getByText(/removed the person using this device/)).toBeVisible();
  await expect(member.page.getByLabel('What name should we show?')).toHaveCount(0);
  await expect(member.page).toHaveTitle('You cannot join – Roundtable');
  await expectNoAccessibilityViolations(member.page, 'the invite link page of a removed person');

  // The typed code leads to the same answer.
  await member.page.goto('/');
  await member.page.getByLabel('Workshop code').fill(workshop.code.toLowerCase());
  await member.page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(member.page.getByRole('heading', { level: 1 })).toHaveText('This device cannot join this workshop');

  // So does the board.
  await member.page.goto(`/w/${workshop.id}`);
  await expect(member.page.getByRole('heading', { level: 1 })).toHaveText('This device cannot join this workshop');
  await expectNoAccessibilityViolations(member.page, 'the board page of a removed person');

  // Others still join with the link: it was not renewed.
  const priya = await workshop.join('member', 'Priya');
  await expect(priya.board.presence()).toContainText('Priya (you)');
});

test('removing someone can renew the links and the code in the same step, and says so', async ({ workshop, page }) => {
  const { facilitator } = workshop;
  await facilitator.page.goto(`/w/${workshop.id}/invite`);
  const oldCode = await facilitator.page.locator('.join-code').innerText();
  await facilitator.board.open(workshop.id);

  const dana = await workshop.join('decisionMaker', 'Dana');
  await expect(facilitator.board.presence()).toContainText('Dana');
  const people = await facilitator.board.openControls(/^People/);
  const said = answerDialogs(facilitator.page, [true, true]);
  await people.getByRole('button', { name: 'Remove Dana' }).click();
  await expect(facilitator.board.controls().getByRole('status').first()).toHaveText(
    'Dana has been removed. The links and the code have changed: share the new ones from Invite people.'
  );
  expect(said[1]).toBe(
    'Also turn off the decision maker link, the member link and the code, and make new ones? Do this if Dana might join again from another device. Anyone who has not joined yet will need the new link or code.'
  );
  await expect(dana.page.getByRole('alert')).toContainText('The facilitator has removed you from this workshop.');

  await facilitator.page.goto(`/w/${workshop.id}/invite`);
  await expect(facilitator.page.locator('.join-code')).not.toHaveText(oldCode);
  // The old links are turned off for every device.
  for (const link of [workshop.links.member, workshop.links.decisionMaker]) {
    await page.goto(link);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This invite link is not working');
    await expect(page.getByText('turned off')).toBeVisible();
  }
});
