// Issue 11, defect 1: after "End the workshop", members still saw "Live: changes are saved" and
// the steps, and the check-out form still took answers after a reload. Now everyone is told
// plainly that the workshop has ended, and sees the board read-only, before and after a reload.
import { test, expect, expectNoAccessibilityViolations, LIVE_BADGE, SCREENS, type Participant } from './fixtures';

async function expectEndedAndReadOnly({ board, page }: Participant, cardId: string): Promise<void> {
  await expect(board.connection()).toHaveText(LIVE_BADGE.ended);
  await expect(board.phaseBar().getByRole('heading', { level: 2 })).toHaveText('This workshop has ended');
  await expect(board.phaseBar()).not.toContainText(/Step \d/);
  await expect(board.clock()).toHaveCount(0);
  // The check-out is closed: no form, nothing to send.
  await expect(page.getByRole('button', { name: 'Send' })).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: 'Your answer (optional)' })).toHaveCount(0);
  // Nothing to raise a hand for, and nothing on the board can be changed.
  await expect(page.getByRole('button', { name: /Raise my hand/ })).toHaveCount(0);
  for (const lane of ['Questions', 'Problems', 'Solutions'] as const) await expect(board.addButton(lane)).toHaveCount(0);
  await expect(board.text(cardId)).toHaveAttribute('readonly', '');
  await expect(board.undoButton()).toHaveCount(0);
}

for (const [screen, device] of Object.entries(SCREENS)) {
  test.describe(screen, () => {
    test.use(device);

    test('after “End the workshop” members are told it has ended and see it read-only, also after a reload', async ({ workshop }) => {
      const { facilitator, member } = workshop;
      const cardId = await member.board.addCard('Questions');
      await member.page.keyboard.type('Who reads the report?');
      await facilitator.board.expectLane('Questions', ['Who reads the report?']);

      const rounds = await facilitator.board.openControls('Check-in and check-out');
      await rounds.getByRole('button', { name: 'Open a check-out' }).click();
      await expect(member.page.getByRole('region', { name: 'Check-out' }).getByRole('button', { name: 'Send' })).toBeVisible();
      const steps = await facilitator.board.openControls('Steps and timer');
      await steps.getByRole('button', { name: 'Start timer' }).click();
      await expect(member.board.clock()).toBeVisible();

      const end = await facilitator.board.openControls('End or delete the workshop');
      facilitator.page.once('dialog', (dialog) => void dialog.accept());
      await end.getByRole('button', { name: 'End the workshop' }).click();

      await expectEndedAndReadOnly(member, cardId);
      await expectNoAccessibilityViolations(member.page, 'the board of an ended workshop (member)');
      // The facilitator is told too, and is offered only what still makes sense.
      await expect(facilitator.board.connection()).toHaveText(LIVE_BADGE.ended);
      const controls = await facilitator.board.showControls();
      await expect(controls).toContainText('This workshop has ended');
      await expect(controls.getByRole('button', { name: 'Next step' })).toHaveCount(0);
      await expect(controls.getByRole('button', { name: /Lock the board|Unlock the board/ })).toHaveCount(0);
      await expect(controls.getByRole('button', { name: /Open a check/ })).toHaveCount(0);
      await expect(controls.getByRole('button', { name: 'Delete the workshop now' })).toBeAttached();
      await expectNoAccessibilityViolations(facilitator.page, 'the board of an ended workshop (facilitator)');

      await member.page.reload();
      await member.board.expectLive(LIVE_BADGE.ended);
      await expectEndedAndReadOnly(member, cardId);
      await member.board.expectLane('Questions', ['Who reads the report?']);
      await expectNoAccessibilityViolations(member.page, 'the board of an ended workshop after a reload');
    });
  });
}
