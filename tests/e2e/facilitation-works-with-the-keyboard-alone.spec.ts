// Issue 3: the facilitator's main actions and a member's, with Tab, Shift+Tab, Enter, Space, arrow
// keys and typing only: no clicks. Each step checks what the other person sees.
import { test, expect, tabTo } from './fixtures';

test('a facilitator and a member can run the facilitation with the keyboard alone', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  const f = facilitator.page;
  const m = member.page;
  const controls = facilitator.board.controls();
  const summary = (text: string) => controls.locator('summary', { hasText: text });

  // The facilitator goes to the next step, twice, to silent writing.
  const next = controls.getByRole('button', { name: 'Next step' });
  await tabTo(f, next);
  await f.keyboard.press('Enter');
  await member.board.expectStep('The question', 2);
  await expect(next).toBeFocused();
  await f.keyboard.press('Space');
  await member.board.expectStep('Silent writing', 3);
  await facilitator.board.expectStep('Silent writing', 3);

  // The member adds a private draft and types in it.
  await tabTo(m, member.board.lane('Problems').getByRole('button', { name: 'Add a problem (private for now)' }));
  await m.keyboard.press('Enter');
  await expect(member.board.draft('Problems', 1)).toBeFocused();
  await m.keyboard.type('The office is far away');
  await expect(member.board.draft('Problems', 1)).toHaveValue('The office is far away');
  await expect(member.board.lane('Problems').getByText('Kept safe')).toBeVisible();
  await expect(facilitator.board.cards('Problems')).toHaveCount(0);

  // The member raises a hand.
  await tabTo(m, member.board.speaking().getByRole('button', { name: 'Raise my hand' }));
  await m.keyboard.press('Enter');
  await expect(member.board.speaking()).toContainText('You are number 1 in the queue.');
  await expect(member.board.speaking().getByRole('button', { name: 'Lower my hand' })).toBeFocused();
  await expect(facilitator.board.queue()).toHaveText(['Marcus']);

  // The facilitator sets three minutes and starts the timer.
  await tabTo(f, controls.getByRole('spinbutton', { name: 'Minutes' }));
  await f.keyboard.press('ControlOrMeta+a');
  await f.keyboard.type('3');
  await tabTo(f, controls.getByRole('button', { name: 'Start timer' }));
  await f.keyboard.press('Enter');
  await expect(member.board.clock()).toHaveText(/^(3:00|2:5\d)$/);
  await expect(controls.getByRole('button', { name: 'Pause timer' })).toBeFocused();

  // The facilitator locks the board: the member can no longer change it.
  await tabTo(f, summary('Board'));
  await f.keyboard.press('Enter');
  await tabTo(f, controls.getByRole('button', { name: 'Lock the board' }));
  await f.keyboard.press('Enter');
  await expect(m.getByText('The board is locked. Only the facilitator can change it now.')).toBeVisible();
  await expect(controls.getByRole('button', { name: 'Unlock the board' })).toBeFocused();

  // The facilitator opens the speaking queue and calls the next person.
  await tabTo(f, summary('Speaking queue (1)'));
  await f.keyboard.press('Enter');
  await tabTo(f, controls.getByRole('button', { name: 'Call the next person' }));
  await f.keyboard.press('Enter');
  await expect(member.board.speaking()).toContainText('You are speaking now');
  await expect(facilitator.board.speaking()).toContainText('Marcus is speaking');

  // The facilitator opens a check-in with their own question.
  await tabTo(f, summary('Check-in and check-out'));
  await f.keyboard.press('Enter');
  await tabTo(f, controls.getByRole('textbox', { name: 'Question to ask' }));
  await f.keyboard.press('ControlOrMeta+a');
  await f.keyboard.type('One word for today?');
  await tabTo(f, controls.getByRole('button', { name: 'Open a check-in' }));
  await f.keyboard.press('Enter');
  const round = m.getByRole('region', { name: 'Check-in' });
  await expect(round).toContainText('One word for today?');
  await expect(controls.getByRole('button', { name: 'Close the check-in' })).toBeFocused();

  // The member answers: a face chosen with the arrow keys, a word, without their name.
  await tabTo(m, round.getByRole('radio').first());
  await m.keyboard.press('Space');
  await m.keyboard.press('ArrowRight');
  await expect(round.getByRole('radio', { name: 'Good', exact: true })).toBeChecked();
  await tabTo(m, round.getByRole('textbox', { name: 'Your answer (optional)' }));
  await m.keyboard.type('Hopeful');
  await tabTo(m, round.getByRole('checkbox', { name: 'Do not show my name' }));
  await m.keyboard.press('Space');
  await expect(round.getByRole('checkbox', { name: 'Do not show my name' })).toBeChecked();
  await tabTo(m, round.getByRole('button', { name: 'Send' }));
  await m.keyboard.press('Enter');
  await expect(round.getByRole('status')).toHaveText('Thank you. Your answer is in.');
  await expect(round.getByRole('status')).toBeFocused();
  const answer = f.getByRole('region', { name: 'Check-in' }).getByRole('listitem');
  await expect(answer).toHaveText(/Good\s+Hopeful\s+— Someone/);
  await expect(answer).not.toContainText('Marcus');
});
