// Issue 3: a facilitator runs a short session with two members and a decision maker, each in their
// own browser context: silent writing and reveal, the timer, the hand-raise queue, a spotlight,
// hiding and restoring a card, a check-in. axe checks the facilitator's and a member's screens
// along the way.
import type { Page } from '@playwright/test';
import { test, expect, expectNoAccessibilityViolations, type Participant } from './fixtures';

/** Every textarea value on the page: cards and private drafts. */
function wordsOnPage(page: Page): Promise<string[]> {
  return page.locator('textarea').evaluateAll((els) => els.map((el) => (el as HTMLTextAreaElement).value));
}

/** The banner everyone but the facilitator sees while a card is in the spotlight. */
function banner({ page }: Participant) {
  return page.locator('p').filter({ hasText: 'The facilitator is showing everyone a card.' });
}

async function expectClockRunning({ board }: Participant): Promise<void> {
  const clock = board.clock();
  const inTheMinute = /^(1:00|0:[0-5]\d)$/;
  await expect(clock).toHaveText(inTheMinute);
  const before = (await clock.textContent()) ?? '';
  await expect(clock, 'the clock ticks').not.toHaveText(before);
  await expect(clock).toHaveText(inTheMinute);
  await expect(board.phaseBar()).toContainText('Time left:');
}

test('a facilitator runs a short session with two members and a decision maker', async ({ workshop }) => {
  // Four people, seven axe runs and a ticking clock: longer than the usual 30 s budget.
  test.setTimeout(60_000);
  const { facilitator, member: marcus } = workshop;
  const nadia = await workshop.join('member', 'Nadia');
  const priya = await workshop.join('decisionMaker', 'Priya');
  const everyone = [facilitator, marcus, nadia, priya];
  const others = [marcus, nadia, priya];
  await expect(priya.page.getByText('You are Priya')).toContainText('Decision maker');

  // Silent writing: the facilitator picks the step; every screen follows.
  await facilitator.board.controls().getByRole('button', { name: 'Silent writing', exact: true }).click();
  for (const p of everyone) await p.board.expectStep('Silent writing', 3);

  // Each member writes a private card. Nobody else's screen shows it, even once the server holds it.
  await marcus.board.lane('Problems').getByRole('button', { name: 'Add a problem (private for now)' }).click();
  await expect(marcus.board.draft('Problems', 1)).toBeFocused();
  await marcus.page.keyboard.type('Letters arrive too late');
  await nadia.board.lane('Solutions').getByRole('button', { name: 'Add a solution (private for now)' }).click();
  await expect(nadia.board.draft('Solutions', 1)).toBeFocused();
  await nadia.page.keyboard.type('Text reminders');
  await expect(marcus.board.lane('Problems').getByText('Kept safe')).toBeVisible();
  await expect(nadia.board.lane('Solutions').getByText('Kept safe')).toBeVisible();
  await expect(marcus.board.lane('Problems').getByRole('heading', { name: /^Your private cards/ })).toBeVisible();
  for (const p of [facilitator, nadia, priya]) expect(await wordsOnPage(p.page)).not.toContain('Letters arrive too late');
  for (const p of [facilitator, marcus, priya]) expect(await wordsOnPage(p.page)).not.toContain('Text reminders');
  for (const p of [facilitator, priya]) await expect(p.board.cards('Problems')).toHaveCount(0);
  await Promise.all([
    expectNoAccessibilityViolations(facilitator.page, 'the board at the silent-writing step (facilitator)'),
    expectNoAccessibilityViolations(marcus.page, 'the board at the silent-writing step (member with a private card)')
  ]);

  // The facilitator shows everyone's private cards at once: they become ordinary cards everywhere.
  const board = await facilitator.board.openControls('Board');
  await board.getByRole('button', { name: "Show everyone's private cards" }).click();
  for (const p of everyone) {
    await p.board.expectLane('Problems', ['Letters arrive too late']);
    await p.board.expectLane('Solutions', ['Text reminders']);
  }
  await expect(marcus.board.lane('Problems').getByRole('heading', { name: /^Your private cards/ })).toHaveCount(0);
  await expect(marcus.board.draft('Problems', 1)).toHaveCount(0);
  await Promise.all([
    expectNoAccessibilityViolations(facilitator.page, 'the board after the reveal (facilitator)'),
    expectNoAccessibilityViolations(marcus.page, 'the board after the reveal (member)')
  ]);

  // A one-minute timer: every screen shows the same clock, counting down.
  const steps = await facilitator.board.openControls('Steps and timer');
  await steps.getByRole('spinbutton', { name: 'Minutes' }).fill('1');
  await steps.getByRole('button', { name: 'Start timer' }).click();
  await expect(steps.getByRole('button', { name: 'Pause timer' })).toBeVisible();
  await Promise.all(everyone.map(expectClockRunning));

  // A member raises a hand, then the decision maker; everyone sees the queue in that order.
  await marcus.board.speaking().getByRole('button', { name: 'Raise my hand' }).click();
  await expect(marcus.board.speaking()).toContainText('You are number 1 in the queue.');
  await priya.board.speaking().getByRole('button', { name: 'Raise my hand' }).click();
  await expect(priya.board.speaking()).toContainText('You are number 2 in the queue.');
  for (const p of everyone) {
    await expect(p.board.queue()).toHaveText([p === marcus ? 'Marcus (you)' : 'Marcus', p === priya ? 'Priya (you)' : 'Priya']);
  }

  // The facilitator calls the next person: everyone sees Marcus is speaking, and Priya is next.
  const queue = await facilitator.board.openControls('Speaking queue (2)');
  await queue.getByRole('button', { name: 'Call the next person' }).click();
  await expect(marcus.board.speaking()).toContainText('You are speaking now');
  await expect(marcus.board.speaking().getByRole('button', { name: 'I have finished' })).toBeVisible();
  for (const p of [facilitator, nadia, priya]) await expect(p.board.speaking()).toContainText('Marcus is speaking');
  for (const p of everyone) await expect(p.board.queue()).toHaveText([p === priya ? 'Priya (you)' : 'Priya']);

  // The facilitator shows everyone a card: the others get a banner with a way to go to it.
  const letters = await facilitator.board.cardIdWith('Problems', 'Letters arrive too late');
  await facilitator.board.cardAction(letters, 'Show everyone');
  for (const p of others) {
    await expect(banner(p)).toBeVisible();
    await expect(banner(p).getByRole('button', { name: 'Go to it' })).toBeVisible();
    await expect(p.board.card(letters)).toContainText('The facilitator is showing everyone this card');
  }
  await banner(nadia).getByRole('button', { name: 'Go to it' }).click();
  await expect(nadia.board.card(letters)).toBeInViewport();

  // The facilitator hides the card, with a reason asked in the page: it leaves every screen (and
  // the spotlight ends).
  const browserDialogs: string[] = [];
  facilitator.page.on('dialog', (dialog) => {
    browserDialogs.push(dialog.type());
    void dialog.dismiss();
  });
  await facilitator.board.cardAction(letters, 'Hide…');
  const ask = facilitator.board.dialog();
  await expect(ask.getByRole('heading', { name: 'Hide this card' })).toBeVisible();
  await expectNoAccessibilityViolations(facilitator.page, 'the dialog asking why a card is hidden');
  await ask.getByLabel('Why are you hiding it?').fill('Names a person who is not here');
  await ask.getByRole('button', { name: 'Hide the card' }).click();
  await expect(ask).toBeHidden();
  for (const p of everyone) {
    await p.board.expectLane('Problems', []);
    await p.board.expectLane('Solutions', ['Text reminders']);
    await expect(banner(p)).toHaveCount(0);
  }
  expect(browserDialogs, 'the reason is asked in the page, not by the browser').toEqual([]);
  for (const p of others) expect(await wordsOnPage(p.page)).not.toContain('Letters arrive too late');
  // Kept for the facilitator, with the reason, and put back.
  const hidden = await facilitator.board.openControls('Hidden cards (1)');
  await expect(hidden).toContainText('“Letters arrive too late”');
  await expect(hidden).toContainText('Reason: Names a person who is not here');
  await hidden.getByRole('button', { name: 'Put back on the board' }).click();
  for (const p of everyone) await p.board.expectLane('Problems', ['Letters arrive too late']);
  await expect(facilitator.board.controls().locator('summary', { hasText: 'Hidden cards (0)' })).toBeVisible();

  // A check-in round is open on everyone's screen.
  const rounds = await facilitator.board.openControls('Check-in and check-out');
  await rounds.getByRole('button', { name: 'Open a check-in' }).click();
  for (const p of everyone) {
    const panel = p.page.getByRole('region', { name: 'Check-in' });
    await expect(panel).toContainText('How are you feeling today?');
    await expect(panel.getByRole('button', { name: 'Send' })).toBeVisible();
  }
  await Promise.all([
    expectNoAccessibilityViolations(facilitator.page, 'the board with a check-in open (facilitator)'),
    expectNoAccessibilityViolations(marcus.page, 'the board with a check-in open (member)')
  ]);

  // Every section of the facilitator's controls open at once.
  for (const summary of [
    'Steps and timer',
    'Board',
    'Speaking queue',
    'Check-in and check-out',
    'People (4)',
    'Who has had a say',
    'Hidden cards (0)'
  ]) {
    await facilitator.board.openControls(summary);
  }
  const closed = facilitator.board.controls().locator('details:not([open]) > summary');
  for (let i = 0; i < 20 && (await closed.count()) > 0; i++) await closed.first().click();
  await expect(facilitator.board.controls().locator('details:not([open])')).toHaveCount(0);
  await expect(facilitator.board.controls().getByRole('combobox', { name: 'Role for Priya' })).toHaveValue('decisionMaker');
  await expectNoAccessibilityViolations(facilitator.page, "the board with every section of the facilitator's controls open");
});
