// On a 360 px phone: the lists are tabs with their counts (one list on screen), speaking lives in a
// bar at the bottom within a thumb's reach, and being called to speak is impossible to miss. The
// keyboard gets skip links and a few shortcuts (N, H).
import { test, expect, expectNoAccessibilityViolations, tabTo, type Participant } from './fixtures';

test.describe('on a phone', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

  test('the lists are tabs with counts, and "Your turn to speak" shows in a bar at the bottom', async ({ workshop }) => {
    const { member, facilitator } = workshop;
    const page = member.page;
    const tabs = page.getByRole('tablist', { name: 'Lists' });
    await expect(tabs.getByRole('tab')).toHaveText(['Questions (0)', 'Problems (0)', 'Solutions (0)']);
    await expect(member.board.laneTab('Questions')).toHaveAttribute('aria-selected', 'true');
    await expect(member.board.lane('Problems')).toHaveCount(0); // one list on screen at a time

    await member.board.laneTab('Solutions').tap();
    await expect(member.board.lane('Solutions')).toBeVisible();
    await member.board.addCard('Solutions', { tap: true });
    await page.keyboard.type('A drop-in on Saturdays');
    await expect(member.board.laneTab('Solutions')).toHaveText('Solutions (1)');
    await expect(facilitator.board.laneTab('Solutions')).toHaveText('Solutions (1)');

    // Speaking: the bar at the bottom.
    const bar = page.getByRole('region', { name: 'Speak', exact: true });
    await expect(bar).toBeVisible();
    await expect(bar).toBeInViewport();
    // One button to raise a hand, not two: the Speaking section points to the bar.
    await expect(page.getByRole('button', { name: /Raise my hand/ })).toHaveCount(1);
    await expect(member.board.speaking()).toContainText('Raise or lower your hand with the bar at the bottom of the screen.');
    await expectNoAccessibilityViolations(page, 'the board on a phone, lists as tabs, speaking bar');
    await bar.getByRole('button', { name: 'Raise my hand' }).tap();
    await expect(bar).toContainText('You are number 1 to speak');
    const queue = await facilitator.board.openControls(/^Speaking queue/);
    await queue.getByRole('button', { name: 'Call the next person' }).click();
    await expect(bar).toContainText('Your turn to speak');
    await expect(bar.getByRole('alert')).toHaveText('Your turn to speak.');
    await expectNoAccessibilityViolations(page, 'the speaking bar when it is your turn');
    await bar.getByRole('button', { name: 'I have finished' }).tap();
    await expect(bar).toContainText('Nobody is speaking');
  });
});

test('the keyboard gets skip links to each list and to Speaking, and shortcuts N and H', async ({ workshop }) => {
  const { member } = workshop;
  const page = member.page;
  await page.keyboard.press('Tab'); // the page's own skip link first
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
  // Then, past the site's name, the board's: one to each list and one to Speaking.
  await tabTo(page, page.getByRole('link', { name: 'Skip to Questions' }), { max: 3 });
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to Problems' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#lane-problems$/);

  // N: a new card in the list the focus is in.
  await member.board.lane('Problems').focus();
  await page.keyboard.press('n');
  const id = await member.board.focusedCardId();
  await page.keyboard.type('Letters come too late');
  await member.board.expectLane('Problems', ['Letters come too late']);
  expect(id).not.toBe('');

  // H: raise a hand, and lower it, from anywhere but a text field.
  await member.board.lane('Problems').focus();
  await page.keyboard.press('h');
  await expect(member.board.speaking().getByRole('button', { name: 'Lower my hand' })).toBeVisible();
  await page.keyboard.press('h');
  await expect(member.board.speaking().getByRole('button', { name: 'Raise my hand' })).toBeVisible();
  // Typing an "h" in a card is just a letter.
  await member.board.text(id).focus();
  await page.keyboard.press('End');
  await page.keyboard.type(' here');
  await member.board.expectLane('Problems', ['Letters come too late here']);
  await expect(member.board.speaking().getByRole('button', { name: 'Raise my hand' })).toBeVisible();
});

test('after a break the focus goes back to where the person was', async ({ workshop }) => {
  const { member }: { member: Participant } = workshop;
  const page = member.page;
  const breakButton = page.getByRole('button', { name: 'Take a break' });
  await breakButton.focus();
  await page.keyboard.press('Enter');
  const back = page.getByRole('button', { name: 'I am back' });
  await expect(back).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(breakButton).toBeFocused();
});
