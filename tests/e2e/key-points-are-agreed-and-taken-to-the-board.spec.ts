// Key points, a consent round and the briefing, as people use them: write two key points and link
// where they come from with the keyboard alone, agree them, edit one and see the change; answer a
// consent round on a phone; mark a representative; download the PDF and read its text. axe on
// every new screen and state, at 360 px and on a desktop.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { test, expect, expectNoAccessibilityViolations, tabTo, SCREENS, type Participant } from './fixtures';

// Several people, several screens and axe on each: more than the default 30 s.
test.describe.configure({ timeout: 90_000 });

async function goToAgreeStep(facilitator: Participant): Promise<void> {
  const steps = await facilitator.board.openControls('Steps and timer');
  await steps.getByRole('button', { name: 'Agree', exact: true }).click();
  await facilitator.board.expectStep('Agree', 8);
}

function keyPoints(p: Participant) {
  return p.page.getByRole('region', { name: /^Key points/ });
}

async function addCard(p: Participant, lane: 'Problems' | 'Solutions', text: string): Promise<void> {
  await p.board.addCard(lane);
  await p.page.keyboard.type(text);
  await p.page.keyboard.press('Tab');
}

test('two key points, linked to their cards by keyboard, agreed, then edited: the change shows against the agreed version', async ({
  workshop
}) => {
  const { facilitator, member } = workshop;
  await addCard(member, 'Problems', 'No bus after 6pm');
  await addCard(member, 'Solutions', 'An evening minibus');
  await goToAgreeStep(facilitator);
  // The agree step shows the key points first, above the lists.
  const section = keyPoints(member);
  await expect(section).toBeVisible();
  expect(await section.evaluate((el) => !!(el.compareDocumentPosition(document.getElementById('lane-questions')!) & 4))).toBe(true);

  // The member writes two key points with the keyboard alone.
  const add = section.getByRole('button', { name: 'Add a key point' });
  await tabTo(member.page, add);
  await member.page.keyboard.press('Enter');
  await expect(member.page.getByRole('textbox', { name: 'Key point 1 of 1' })).toBeFocused();
  await member.page.keyboard.type('Buses should run after 6pm');
  await tabTo(member.page, add);
  await member.page.keyboard.press('Enter');
  await expect(member.page.getByRole('textbox', { name: 'Key point 2 of 2' })).toBeFocused();
  await member.page.keyboard.type('An evening minibus, run with people who use it');

  // Link the first to its card: the picker, by keyboard.
  await tabTo(member.page, section.getByRole('button', { name: /^Link cards and themes for Key point 1 of 2$/ }));
  await member.page.keyboard.press('Enter');
  const picker = member.page.getByRole('dialog', { name: 'Where does this point come from?' });
  await expect(picker).toBeVisible();
  await expectNoAccessibilityViolations(member.page, 'the source picker');
  await tabTo(member.page, picker.getByRole('checkbox', { name: 'No bus after 6pm' }));
  await member.page.keyboard.press('Space');
  await expect(picker.getByRole('checkbox', { name: 'No bus after 6pm' })).toBeChecked();
  await tabTo(member.page, picker.getByRole('button', { name: 'Save' }));
  await member.page.keyboard.press('Enter');
  await expect(picker).toBeHidden();
  await expect(section.getByText('Comes from: “No bus after 6pm”')).toBeVisible();
  // Its support: counted by the server, never named.
  await expect(section.getByText('From 1 person.')).toBeVisible();

  // The second, with the options menu, then moved up by the menu.
  await section.getByRole('button', { name: 'Options for Key point 2 of 2' }).click();
  await member.page.getByRole('menuitem', { name: 'Link cards and themes…' }).click();
  await picker.getByRole('checkbox', { name: 'An evening minibus' }).check();
  await picker.getByRole('button', { name: 'Save' }).click();
  await expect(section.getByText('Comes from: “An evening minibus”')).toBeVisible();

  // The facilitator sees both live, and marks them agreed.
  const fac = keyPoints(facilitator);
  await expect(fac.getByRole('textbox', { name: 'Key point 2 of 2' })).toHaveValue('An evening minibus, run with people who use it');
  await fac.getByRole('button', { name: 'Mark these key points agreed' }).click();
  await expect(fac.getByText(/^Agreed \(version 1, \d+ \w{3} \d\d:\d\d\)$/)).toBeVisible();
  await expect(section.getByText(/^Agreed \(version 1, /)).toBeVisible();
  await expect(section.getByText('No changes since it was agreed.')).toBeVisible();
  await expectNoAccessibilityViolations(member.page, 'the board with agreed key points');

  // Later, the member changes the second point: it shows as changed since version 1.
  const second = section.getByRole('textbox', { name: 'Key point 2 of 2' });
  await second.click();
  await member.page.keyboard.press('End');
  await member.page.keyboard.type(' every evening');
  await expect(fac.getByText(/Changed since version 1: 1 changed/)).toBeVisible();
  await expect(
    fac.getByText(
      'Changed: An evening minibus, run with people who use it every evening (was: An evening minibus, run with people who use it)'
    )
  ).toBeVisible();
  await expect(fac.getByText('Changed since it was agreed')).toBeVisible();
  // Version 1 stays readable.
  await fac.getByText('Show version 1').click();
  await expect(fac.locator('details.version ol li').nth(1)).toContainText('An evening minibus, run with people who use it');
  await expectNoAccessibilityViolations(facilitator.page, 'the board with changes since the agreed version');

  // Moving a point with the menu keeps the focus on it; delete is undone.
  await section.getByRole('button', { name: 'Options for Key point 2 of 2' }).click();
  await member.page.getByRole('menuitem', { name: 'Move up' }).click();
  await expect(member.page.getByRole('textbox', { name: 'Key point 1 of 2' })).toHaveValue(/every evening$/);
  await expect(member.page.getByRole('textbox', { name: 'Key point 1 of 2' })).toBeFocused();
  await section.getByRole('button', { name: 'Options for Key point 2 of 2' }).click();
  await member.page.getByRole('menuitem', { name: 'Delete' }).click();
  await expect(section.getByRole('textbox')).toHaveCount(1);
  await member.board.undoButton().click();
  await expect(section.getByRole('textbox')).toHaveCount(2);

  // The menu by keyboard (it loads on first use): Enter opens it on its first choice, Escape
  // closes it and the focus is back on the point's button.
  const options = section.getByRole('button', { name: 'Options for Key point 1 of 2' });
  await tabTo(member.page, options);
  await member.page.keyboard.press('Enter');
  await expect(member.page.getByRole('menu', { name: 'Options for Key point 1 of 2' })).toBeVisible();
  await expect(member.page.getByRole('menuitem', { name: 'Move down' })).toBeFocused();
  await expect(options).toHaveAttribute('aria-expanded', 'true');
  await member.page.keyboard.press('Escape');
  await expect(member.page.getByRole('menu')).toBeHidden();
  await expect(options).toBeFocused();
  await expect(options).toHaveAttribute('aria-expanded', 'false');
});

for (const [screen, use] of Object.entries(SCREENS)) {
  test(`a consent round answered ${screen}: only turnout while open, then the answers by group`, async ({ workshop, browser }) => {
    const { facilitator } = workshop;
    // The member answers on the screen of this test.
    const phone = await browser.newContext(use);
    try {
      const created = workshop;
      await phone.request.post('/api/join', { data: { token: new URL(created.links.member).pathname.slice(3), name: 'Priya' } });
      const page = await phone.newPage();
      await page.goto(`/w/${created.id}`);
      const others = [await workshop.join('member', 'Sol'), workshop.member];

      await goToAgreeStep(facilitator);
      const fac = keyPoints(facilitator);
      await fac.getByRole('button', { name: 'Add a key point' }).click();
      await facilitator.page.keyboard.type('Buses should run after 6pm');
      await fac.getByRole('button', { name: 'Add a key point' }).click();
      await facilitator.page.keyboard.type('Peer coaches at the drop-in');
      await fac.getByRole('button', { name: 'Ask everyone: does this say what we think?' }).click();

      const round = page.getByRole('region', { name: /^Consent round: Does this say what we think\?/ });
      await expect(round).toBeVisible();
      await expectNoAccessibilityViolations(page, `the consent round ${screen}`);
      const first = round.getByRole('group', { name: /1\. Buses should run after 6pm/ });
      await first.getByRole('radio', { name: 'I can live with it' }).check();
      await round
        .getByRole('group', { name: /2\. Peer coaches/ })
        .getByRole('radio', { name: 'I agree' })
        .check();
      for (const p of others) {
        const r = p.page.getByRole('region', { name: /^Consent round/ });
        await r
          .getByRole('group', { name: /1\. Buses/ })
          .getByRole('radio', { name: 'I agree' })
          .check();
        await r
          .getByRole('group', { name: /2\. Peer/ })
          .getByRole('radio', { name: 'I object' })
          .check();
      }
      // While open: turnout only, nowhere a total.
      await expect(fac.getByText('3 of 3 members have answered')).toBeVisible();
      await expect(page.getByText('Consent round results')).toHaveCount(0);

      await fac.getByRole('button', { name: 'Close the consent round' }).click();
      const results = page.getByRole('region', { name: 'Consent round results' });
      await expect(results).toBeVisible();
      const table = results.getByRole('table');
      await expect(table.getByRole('row', { name: /Members/ }).first()).toContainText('2');
      await expect(table).toContainText('Buses should run after 6pm');
      await expectNoAccessibilityViolations(page, `the consent round's results ${screen}`);
    } finally {
      await phone.close();
    }
  });
}

test('a representative downloads the PDF, whose text is the briefing; the print view passes axe at 360 px and desktop', async ({
  workshop,
  browser
}) => {
  const { facilitator, member } = workshop;
  await addCard(member, 'Solutions', 'An evening minibus');
  await goToAgreeStep(facilitator);
  const fac = keyPoints(facilitator);
  await fac.getByRole('button', { name: 'Add a key point' }).click();
  await facilitator.page.keyboard.type('Buses should run after 6pm, *every* day');
  await fac.getByRole('button', { name: 'Mark these key points agreed' }).click();
  await expect(fac.getByText(/^Agreed \(version 1,/)).toBeVisible();

  // Members do not see the downloads until the facilitator marks them as a representative.
  await expect(member.page.getByRole('region', { name: 'The briefing' })).toHaveCount(0);
  const people = await facilitator.board.openControls(/^People/);
  await people.getByRole('checkbox', { name: 'Can download the briefing (Marcus)' }).check();
  await expect(people.getByText('Can download the briefing').first()).toBeVisible();
  await expectNoAccessibilityViolations(facilitator.page, 'the People panel with a representative');
  const downloads = member.page.getByRole('region', { name: 'The briefing' });
  await expect(downloads).toBeVisible();
  await expectNoAccessibilityViolations(member.page, 'the board with the briefing downloads');

  const saved = member.page.waitForEvent('download');
  await downloads.getByRole('button', { name: 'Download PDF' }).click();
  const download = await saved;
  await expect(downloads.getByRole('status')).toContainText('The PDF is ready');
  expect(download.suggestedFilename()).toMatch(/-briefing\.pdf$/);
  const file = await download.path();
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(/\s+/g, ' ');
  expect(text).toContain('Buses should run after 6pm, *every* day');
  expect(text).toContain('Agreed (version 1');
  expect(text).toContain('How do we make probation work for people?');
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  expect(info).toMatch(/^Tagged:\s+yes$/m);
  expect(fs.statSync(file).size).toBeGreaterThan(1000);

  // The print view, standard and easy read, on a phone and a desktop.
  for (const [screen, use] of Object.entries(SCREENS)) {
    const context = await browser.newContext(use);
    try {
      await context.addCookies(await member.context.cookies());
      const page = await context.newPage();
      await page.goto(`/w/${workshop.id}/briefing`);
      await expect(page.getByRole('heading', { level: 1, name: workshop.title })).toBeVisible();
      await expect(page.getByText('Buses should run after 6pm, *every* day')).toBeVisible();
      await expectNoAccessibilityViolations(page, `the print view ${screen}`);
      await page.getByRole('link', { name: 'Show the easy read version' }).click();
      await expect(page.getByRole('heading', { name: 'What do we want to say?' })).toBeVisible();
      await expectNoAccessibilityViolations(page, `the easy read print view ${screen}`);
    } finally {
      await context.close();
    }
  }
});
