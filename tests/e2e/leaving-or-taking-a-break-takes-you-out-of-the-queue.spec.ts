// Issue 11, defect 3: after "Leave", the person's raised hand stayed in the queue; a person who
// took a break while speaking still showed as speaking; "Leave for now" dropped them on the start
// page. Now leaving lowers the hand and ends the turn on the server, a break ends a turn without
// counting it, and "Leave for now" says goodbye.
import { test, expect, expectNoAccessibilityViolations, SCREENS, type Participant } from './fixtures';

async function raiseHand({ board }: Participant): Promise<void> {
  // The page's one "Raise my hand" (on a phone it is in the bar at the bottom of the screen).
  await board.page.getByRole('button', { name: 'Raise my hand' }).click();
  await expect(board.speaking()).toContainText('You are number 1 in the queue.');
}

for (const [screen, device] of Object.entries(SCREENS)) {
  test.describe(screen, () => {
    test.use(device);

    test('“Leave for now” lowers the hand and says goodbye, with a way back to the board', async ({ workshop }) => {
      const { facilitator, member } = workshop;
      await raiseHand(member);
      await expect(facilitator.board.queue()).toHaveText(['Marcus']);

      await member.page.getByRole('button', { name: 'Leave', exact: true }).click();
      await member.page.getByRole('region', { name: 'Leave this workshop' }).getByRole('link', { name: 'Leave for now' }).click();
      await expect(member.page.getByRole('heading', { level: 1 })).toHaveText('You have left for now');
      await expect(member.page.getByRole('main')).toContainText('Thank you for taking part.');
      await expect(member.page.getByRole('main')).toContainText('This device still keeps the board');
      await expectNoAccessibilityViolations(member.page, 'the goodbye after “Leave for now”');
      await expect(facilitator.board.speaking()).toContainText('Nobody is waiting to speak.');
      await expect(facilitator.board.queue()).toHaveCount(0);

      await member.page.getByRole('link', { name: 'Go back to the board' }).click();
      await member.board.expectLive();
    });
  });
}

test('a break while speaking ends the turn without counting it, and a break while waiting lowers the hand', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  await raiseHand(member);
  const queue = await facilitator.board.openControls('Speaking queue (1)');
  await queue.getByRole('button', { name: 'Call the next person' }).click();
  await expect(member.board.speaking()).toContainText('You are speaking now');

  await member.page.getByRole('button', { name: 'Take a break' }).click();
  await expect(member.page.getByRole('heading', { name: 'You are taking a break' })).toBeVisible();
  await expect(member.page.getByRole('region', { name: 'You are taking a break' })).toContainText('out of the queue');
  await expectNoAccessibilityViolations(member.page, 'the break, after speaking');
  await expect(facilitator.board.speaking()).not.toContainText('Marcus is speaking');
  // Not counted against Marcus: no turn in "Who has had a say".
  const balance = await facilitator.board.openControls('Who has had a say');
  await expect(
    balance
      .getByRole('row', { name: /^Marcus/ })
      .getByRole('cell')
      .nth(2)
  ).toHaveText('0');

  await member.page.getByRole('button', { name: 'I am back' }).click();
  await raiseHand(member);
  await expect(facilitator.board.queue()).toHaveText(['Marcus']);
  await member.page.getByRole('button', { name: 'Take a break' }).click();
  await expect(facilitator.board.queue()).toHaveCount(0);
});

test('“Leave and clear this device” lowers the hand on the server', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  await raiseHand(member);
  await expect(facilitator.board.queue()).toHaveText(['Marcus']);
  await member.page.getByRole('button', { name: 'Leave', exact: true }).click();
  await member.page.getByRole('button', { name: 'Leave and clear this device' }).click();
  await expect(member.page).toHaveURL(/\/left$/);
  await expect(facilitator.board.queue()).toHaveCount(0);
});
