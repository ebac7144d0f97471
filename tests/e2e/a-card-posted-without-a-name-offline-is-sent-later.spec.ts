// Issue 11, defect: with "people can choose to post without their name" on, a card posted offline
// from the "Post card" box failed ("The card did not post") while the banner promised to send it
// later, and a reload without a signal lost it. Now it is kept on the device, shown as "Waiting to
// send (1 card)" (across a reload too), and sent once the signal is back: it reaches the board
// once, even if an answer was lost. On a 360 px phone and a desktop, with axe on the new state.
import { test, expect, expectNoAccessibilityViolations, expectPageKeptForOffline, SCREENS } from './fixtures';

for (const [screen, device] of Object.entries(SCREENS)) {
  test.describe(screen, () => {
    test.use(device);

    test('a card posted without a name offline waits on the device, survives a reload, and reaches the board once', async ({
      workshop
    }) => {
      test.setTimeout(60_000);
      const { facilitator, member: marcus } = workshop;
      const nadia = await workshop.join('member', 'Nadia');
      const board = await facilitator.board.openControls('Board');
      await board.getByRole('radio', { name: 'People choose, card by card' }).check();
      await expect(board.getByRole('radio', { name: 'People choose, card by card' })).toBeChecked();
      // Marcus's page has the setting before he goes offline: the session's state reaches a page in
      // order, so once it shows the next step it has the setting sent before it (without this, a
      // slow page could go offline still posting cards with names, and no box would open).
      const steps = await facilitator.board.openControls('Steps and timer');
      await steps.getByRole('button', { name: 'The question', exact: true }).click();
      await marcus.board.expectStep('The question', 2);
      await expectPageKeptForOffline(marcus);

      await marcus.context.setOffline(true);
      await expect(marcus.board.connection()).toHaveAttribute('data-connection', 'offline');
      await marcus.board.addButton('Questions').click();
      await marcus.page.getByRole('textbox', { name: 'Add a question' }).fill('Who reads the forms?');
      await expect(marcus.page.getByRole('checkbox', { name: 'Post without my name' })).toBeChecked();
      await marcus.page.getByRole('button', { name: 'Post card' }).click();

      const waiting = marcus.page.getByRole('region', { name: 'Waiting to send (1 card)' });
      await expect(waiting).toContainText('‘Who reads the forms?’');
      await expect(waiting).toContainText('They are sent when you are back online, even if you reload the page.');
      await expect(marcus.page.getByText('The card did not post')).toHaveCount(0);
      await expectNoAccessibilityViolations(marcus.page, 'the board with a card waiting to send');

      // A reload without a signal (the service worker serves the page) keeps it.
      await marcus.page.reload();
      await expect(marcus.board.connection()).toHaveAttribute('data-connection', 'offline');
      await expect(marcus.page.getByRole('region', { name: 'Waiting to send (1 card)' })).toContainText('‘Who reads the forms?’');
      await nadia.board.expectLane('Questions', []);

      // Back online: it is sent, once, and reaches everyone's board without a name.
      await marcus.context.setOffline(false);
      await nadia.board.expectLane('Questions', ['Who reads the forms?']);
      await expect(marcus.page.getByRole('region', { name: /^(Waiting to send|Sending)/ })).toHaveCount(0);
      await marcus.board.expectLane('Questions', ['Who reads the forms?']);
      // Still once, a moment later, on every screen.
      await nadia.page.waitForTimeout(2500);
      for (const p of [nadia, marcus, facilitator]) await p.board.expectLane('Questions', ['Who reads the forms?']);
      const id = await nadia.board.cardIdWith('Questions', 'Who reads the forms?');
      // Posted without a name: read-only for members.
      await expect(nadia.board.text(id)).toHaveAttribute('readonly', '');
    });
  });
}
