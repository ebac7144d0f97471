// Issue 10's "done when", as people would do it: a facilitator on a laptop, two members and a
// decision maker on 360 px phones run a workshop from cards to an agreed, exported briefing. They
// write cards, the Group step shows the board by theme and the facilitator puts cards in a theme,
// everyone votes on phones at the Vote step, the results show by role group, a member writes the
// key point at the Agree step, the facilitator marks it agreed, and the PDF and the easy-read
// Markdown say what the group concluded. axe on the phones at each new state.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Browser } from '@playwright/test';
import {
  createWorkshop,
  enterBoard,
  expect,
  expectNoAccessibilityViolations,
  SCREENS,
  test,
  writeInLane,
  type Participant
} from './fixtures';

test.describe.configure({ timeout: 180_000 });

async function enter(browser: Browser, workshopId: string, link: string, name: string, screen: keyof typeof SCREENS): Promise<Participant> {
  return enterBoard(await browser.newContext(SCREENS[screen]), workshopId, link, name);
}

async function goToStep(facilitator: Participant, title: string, n: number): Promise<void> {
  const steps = await facilitator.board.openControls('Steps and timer');
  await steps.getByRole('button', { name: title, exact: true }).click();
  await facilitator.board.expectStep(title, n);
}

const voteOn = (p: Participant, id: string) => p.board.card(id).getByRole('button', { name: /^Vote for / });

test('a facilitator on a laptop and three people on phones go from cards to an agreed, exported briefing', async ({ browser, request }) => {
  const workshop = await createWorkshop(request, { title: 'Probation forum, March', question: 'How do we make letters clear?' });
  const fatima = await enter(browser, workshop.id, workshop.links.facilitator, 'Fatima', 'on a desktop');
  const marcus = await enter(browser, workshop.id, workshop.links.member, 'Marcus', 'on a 360 px phone');
  const priya = await enter(browser, workshop.id, workshop.links.member, 'Priya', 'on a 360 px phone');
  const dana = await enter(browser, workshop.id, workshop.links.decisionMaker, 'Dana', 'on a 360 px phone');
  const phones = [marcus, priya, dana];
  try {
    // Cards, from the phones.
    const longWords = await writeInLane(marcus, 'Problems', 'Letters use long words');
    const late = await writeInLane(priya, 'Problems', 'Letters arrive after the appointment');
    const ring = await writeInLane(dana, 'Solutions', 'Ring people before writing to them');
    const plain = await writeInLane(marcus, 'Solutions', 'Letters in plain words');
    await expect(fatima.board.cards('Problems')).toHaveCount(2);
    await expect(fatima.board.cards('Solutions')).toHaveCount(2);

    // Group: everyone sees the board by theme; the facilitator makes a theme and puts both problems in it.
    await goToStep(fatima, 'Group into themes', 6);
    for (const p of phones) await expect(p.page.getByRole('region', { name: /^Themes/ })).toBeVisible();
    const themes = fatima.page.getByRole('region', { name: /^Themes/ });
    await themes.getByRole('button', { name: 'New theme' }).click();
    const ask = fatima.board.dialog();
    await ask.getByLabel('Name of the theme').fill('Letters');
    await ask.getByRole('button', { name: 'Make the theme' }).click();
    for (const id of [longWords, late]) {
      await fatima.board
        .card(id)
        .getByRole('button', { name: /Move .* to a theme$/ })
        .click();
      await fatima.page.getByRole('menu').getByRole('menuitemradio', { name: 'Letters' }).click();
    }
    await expect(marcus.page.getByRole('region', { name: /^Letters/ })).toContainText('(2 cards)');
    await expectNoAccessibilityViolations(marcus.page, 'the board by theme on a phone, at the Group step');

    // Vote: on the solutions, 3 votes each, the same for the decision maker.
    await goToStep(fatima, 'Vote', 7);
    const section = fatima.board
      .controls()
      .locator('details')
      .filter({ has: fatima.page.locator('summary', { hasText: /^Vote/ }) });
    const form = section.getByRole('form', { name: 'Start a vote on this board' });
    await form.getByLabel('Cards', { exact: true }).check();
    await form.getByLabel('All the cards on the board').check();
    await form.getByRole('button', { name: 'Start the vote' }).click();
    await expect(section.getByRole('button', { name: 'Close the vote and show results' })).toBeVisible();
    const ballots: [Participant, string[]][] = [
      [marcus, [plain, plain, ring]],
      [priya, [plain, ring, plain]],
      [dana, [ring, ring, plain]]
    ];
    for (const [p, items] of ballots) {
      await p.page.getByRole('button', { name: 'In their lists' }).tap();
      await p.board.laneTab('Solutions').tap();
      for (const id of items) {
        const before = await p.page.getByRole('region', { name: 'Your votes' }).innerText();
        await voteOn(p, id).tap();
        await expect(p.page.getByRole('region', { name: 'Your votes' })).not.toHaveText(before);
      }
      await expect(p.page.getByRole('region', { name: 'Your votes' })).toContainText('You have no votes left');
    }
    await expectNoAccessibilityViolations(dana.page, 'an open vote on a phone, all votes used');
    await section.getByRole('button', { name: 'Close the vote and show results' }).click();
    for (const p of [...phones, fatima]) {
      const results = p.page.getByRole('region', { name: 'Results of the vote' });
      await expect(results).toContainText('3 people voted.');
      // Two members and one decision maker: too few to show either group on its own, so nobody's
      // choices can be read off the results; they are counted together.
      await expect(results).toContainText('Members: fewer than 3 people voted, so their votes are not shown on their own.');
    }
    const results = marcus.page.getByRole('region', { name: 'Results of the vote' });
    const table = results.getByRole('table', { name: /^Votes on each card by group/ });
    await expect(table.getByRole('columnheader')).toHaveText(['Card', 'Members and decision makers', 'All votes']);
    // Plain words: 2 + 2 from the members and 1 from the decision maker; ringing: 1 + 1 + 2.
    await expect(table.locator('tbody tr').first()).toHaveText(/^Letters in plain words\s*5 \(56%\)\s*5$/);
    await expect(table.locator('tbody tr').nth(1)).toHaveText(/^Ring people before writing to them\s*4 \(44%\)\s*4$/);
    await expectNoAccessibilityViolations(marcus.page, 'the results of the vote on a phone');

    // Agree: Marcus writes the key point from his phone, linked to the winning card; Fatima marks it agreed.
    await goToStep(fatima, 'Agree', 8);
    const points = marcus.page.getByRole('region', { name: /^Key points/ });
    await points.getByRole('button', { name: 'Add a key point' }).tap();
    await expect(marcus.page.getByRole('textbox', { name: 'Key point 1 of 1' })).toBeFocused();
    await marcus.page.keyboard.type('Write every letter in plain words, and ring first');
    await points.getByRole('button', { name: /^Link cards and themes for Key point 1 of 1$/ }).tap();
    const picker = marcus.page.getByRole('dialog', { name: 'Where does this point come from?' });
    await picker.getByRole('checkbox', { name: 'Letters in plain words' }).check();
    await picker.getByRole('button', { name: 'Save' }).tap();
    await expect(points.getByText('Comes from: “Letters in plain words”')).toBeVisible();
    const facPoints = fatima.page.getByRole('region', { name: /^Key points/ });
    await expect(facPoints.getByRole('textbox', { name: 'Key point 1 of 1' })).toHaveValue(
      'Write every letter in plain words, and ring first'
    );
    await facPoints.getByRole('button', { name: 'Mark these key points agreed' }).click();
    await expect(points.getByText(/^Agreed \(version 1, /)).toBeVisible();
    await expectNoAccessibilityViolations(marcus.page, 'agreed key points on a phone');

    // The briefing, as the facilitator takes it to the board meeting: the PDF, then the easy read.
    const downloads = fatima.page.getByRole('region', { name: 'The briefing' });
    const pdf = fatima.page.waitForEvent('download');
    await downloads.getByRole('button', { name: 'Download PDF' }).click();
    const file = await (await pdf).path();
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(/\s+/g, ' ');
    for (const said of [
      'How do we make letters clear?',
      'Write every letter in plain words, and ring first',
      'Agreed (version 1',
      'Letters in plain words',
      'Letters'
    ])
      expect(text, 'the PDF').toContain(said);
    expect(text).not.toContain('Marcus');
    expect(fs.statSync(file).size).toBeGreaterThan(1000);
    await downloads.getByRole('radio', { name: /^Easy read/ }).check();
    const md = fatima.page.waitForEvent('download');
    await downloads.getByRole('button', { name: 'Download Markdown' }).click();
    const easy = fs.readFileSync(await (await md).path(), 'utf8');
    expect(easy).toContain('Who took part?');
    expect(easy).toContain('Write every letter in plain words, and ring first');
    expect(easy).not.toContain('Priya');
  } finally {
    for (const p of [fatima, ...phones]) await p.context.close();
  }
});
