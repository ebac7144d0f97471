// Issue 11, item 4: nothing disappears without a trace. A card someone else deletes goes to
// Removed cards; its writer is told in plain words and puts it back (with the keyboard alone),
// and the facilitator sees it in their panel and can put it back too. Hiding a card tells its
// writer the reason; the facilitator's dialog says when nobody can be told. On a 360 px phone and
// a desktop, with axe on each new state.
import { test, expect, expectNoAccessibilityViolations, tabTo, SCREENS, type Participant } from './fixtures';

/** The writer's messages about their cards. */
function notices({ page }: Participant) {
  return page.getByRole('region', { name: /^About your cards/ });
}

async function writeCard(p: Participant, text: string): Promise<string> {
  const id = await p.board.addCard('Questions');
  await p.page.keyboard.type(text);
  return id;
}

for (const [screen, device] of Object.entries(SCREENS)) {
  test.describe(screen, () => {
    test.use(device);

    test('a card someone else deletes is kept: its writer is told and puts it back with the keyboard alone', async ({ workshop }) => {
      const { facilitator, member: marcus } = workshop;
      const nadia = await workshop.join('member', 'Nadia');
      const id = await writeCard(marcus, 'Buses stop at 6');
      await nadia.board.expectLane('Questions', ['Buses stop at 6']);

      await nadia.board.cardAction(id, 'Delete');
      for (const p of [marcus, nadia, facilitator]) await p.board.expectLane('Questions', []);
      await expect(notices(marcus)).toContainText('Your card ‘Buses stop at 6’ was removed by someone. You can put it back.');
      await expect(notices(nadia)).toHaveCount(0);
      await expectNoAccessibilityViolations(marcus.page, 'the board with a message that a card was removed');

      // The facilitator's panel lists it, saying who removed it only as "someone on the board".
      const removed = await facilitator.board.openControls('Removed cards (1)');
      await expect(removed).toContainText('“Buses stop at 6”');
      await expect(removed).toContainText('Removed by someone on the board');
      await expect(removed).toContainText('Its writer has been told.');
      await expect(removed).not.toContainText('Marcus');
      await expectNoAccessibilityViolations(facilitator.page, 'the facilitator’s Removed cards list');

      // Marcus puts it back with the keyboard alone: the card is back for everyone, with the focus on it.
      const putBack = notices(marcus).getByRole('button', { name: /^Put it back/ });
      await tabTo(marcus.page, putBack);
      await marcus.page.keyboard.press('Enter');
      for (const p of [marcus, nadia, facilitator]) await p.board.expectLane('Questions', ['Buses stop at 6']);
      await expect(marcus.board.text(id)).toBeFocused();
      await expect(notices(marcus)).toHaveCount(0);
      await expect(facilitator.board.controls().locator('summary', { hasText: 'Removed cards (0)' })).toBeVisible();
    });

    test('the facilitator puts a removed card back from their panel with the keyboard alone', async ({ workshop }) => {
      const { facilitator, member: marcus } = workshop;
      const nadia = await workshop.join('member', 'Nadia');
      const id = await writeCard(nadia, 'Evening appointments');
      await marcus.board.expectLane('Questions', ['Evening appointments']);
      await marcus.board.cardAction(id, 'Delete');
      await expect(notices(nadia)).toContainText('‘Evening appointments’ was removed by someone');

      const page = facilitator.page;
      if (await facilitator.board.controlsButton().isVisible()) {
        await tabTo(page, facilitator.board.controlsButton());
        await page.keyboard.press('Enter');
      }
      const summary = facilitator.board.controls().locator('summary', { hasText: 'Removed cards (1)' });
      await tabTo(page, summary);
      await page.keyboard.press('Enter');
      const button = facilitator.board.controls().getByRole('button', { name: 'Put back on the board: ‘Evening appointments’' });
      await tabTo(page, button);
      await page.keyboard.press('Enter');
      await expect(facilitator.board.controls()).toContainText('The card is back on the board.');
      for (const p of [marcus, nadia]) await p.board.expectLane('Questions', ['Evening appointments']);
      await expect(notices(nadia)).toHaveCount(0);
    });

    test('hiding a card tells its writer why, and nobody else; they dismiss it with the keyboard', async ({ workshop }) => {
      const { facilitator, member: marcus } = workshop;
      const nadia = await workshop.join('member', 'Nadia');
      const id = await writeCard(marcus, 'Call me on 0777 000');
      await facilitator.board.expectLane('Questions', ['Call me on 0777 000']);

      await facilitator.board.cardAction(id, 'Hide…');
      const ask = facilitator.board.dialog();
      await expect(ask).toContainText('The person who wrote it is told, with this reason.');
      await ask.getByLabel('Why are you hiding it?').fill('Personal details');
      await ask.getByRole('button', { name: 'Hide the card' }).click();
      await expect(ask).toBeHidden();

      await expect(notices(marcus)).toContainText('The facilitator hid your card ‘Call me on 0777 000’. Reason: ‘Personal details’.');
      await expectNoAccessibilityViolations(marcus.page, 'the board with a message that a card was hidden');
      await expect(notices(nadia)).toHaveCount(0);
      expect(await nadia.page.locator('main').innerText()).not.toContain('Personal details');

      // It stays until Marcus has read it, across a reload.
      await marcus.page.reload();
      await marcus.board.expectLive();
      const ok = notices(marcus).getByRole('button', { name: /^OK, I have read this/ });
      await tabTo(marcus.page, ok);
      await marcus.page.keyboard.press('Enter');
      await expect(notices(marcus)).toHaveCount(0);
      await expect(marcus.page.locator('#main')).toBeFocused();
      await marcus.page.reload();
      await marcus.board.expectLive();
      await expect(notices(marcus)).toHaveCount(0);
    });
  });
}

test('the facilitator is told in the dialog that nobody can be told when a card was posted without a name', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  const board = await facilitator.board.openControls('Board');
  await board.getByRole('radio', { name: 'People choose, card by card' }).check();
  await member.board.addButton('Questions').click();
  await member.page.getByRole('textbox', { name: 'Add a question' }).fill('Nobody listens to us');
  await member.page.getByRole('button', { name: 'Post card' }).click();
  const id = await facilitator.board.cardIdWith('Questions', 'Nobody listens to us');
  await facilitator.board.cardAction(id, 'Hide…');
  const ask = facilitator.board.dialog();
  await expect(ask).toContainText('This card was posted without a name, so nobody can be told it was hidden.');
  await expectNoAccessibilityViolations(facilitator.page, 'the hide dialog for a card posted without a name');
  await ask.getByRole('button', { name: 'Hide the card' }).click();
  await facilitator.board.expectLane('Questions', []);
  await expect(member.page.getByRole('region', { name: /^About your cards/ })).toHaveCount(0);
});
