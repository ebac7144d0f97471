// Dot voting on the page: a facilitator starts a vote from the Vote step, members and decision
// makers on 360 px phones vote (by tapping, and one by the keyboard alone), move votes, are told
// plainly when the server refuses (budget, most on one card), see their votes left and the
// turnout, and see no total anywhere while the vote is open; the facilitator closes it and
// everyone sees the results by role group, as a chart and as a table, with common ground and
// where views differ. More voters join through socket.io, as a script would, so that members and
// decision makers are each 3 and can be shown on their own.
import type { Browser, Page } from '@playwright/test';
import {
  createWorkshop,
  enterBoard,
  expect,
  expectNoAccessibilityViolations,
  SCREENS,
  tabTo,
  test,
  tokenOf,
  type Participant
} from './fixtures';
import { connectSession, type SessionClient } from '../helpers/clients';

async function enter(browser: Browser, workshopId: string, link: string, name: string, screen: keyof typeof SCREENS): Promise<Participant> {
  return enterBoard(await browser.newContext(SCREENS[screen]), workshopId, link, name);
}

/** A person voting from a script: joins with the link, and connects to socket.io with the session token. */
async function scriptVoter(baseURL: string, workshopId: string, link: string, name: string): Promise<SessionClient> {
  const response = await fetch(`${baseURL}/api/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: tokenOf(link), name })
  });
  expect(response.status).toBe(200);
  const { sessionToken } = (await response.json()) as { sessionToken: string };
  return connectSession(baseURL, workshopId, sessionToken);
}

async function castAll(client: SessionClient, itemIds: string[]): Promise<void> {
  const { votes } = await client.stateWhere((s) => s.votes.length === 1);
  for (const itemId of itemIds) expect(await client.run({ type: 'vote.cast', voteId: votes[0].id, itemId })).toEqual({ ok: true });
}

/** The vote buttons on a card ("Vote for Solution 1 of 4: …", "Take back a vote from …"). */
const voteOn = (p: Participant, id: string) => p.board.card(id).getByRole('button', { name: /^Vote for / });
const takeBackFrom = (p: Participant, id: string) => p.board.card(id).getByRole('button', { name: /^Take back a vote from / });
const votesLeft = (p: Participant) => p.page.getByRole('region', { name: 'Your votes' });

/** Nothing on the page says how many votes anything has: no results, no table, no share, no count above a person's own. */
async function expectNoTotals(page: Page, who: string) {
  const text = await page.evaluate(() => document.body.innerText);
  expect(text, `${who}'s page while the vote is open`).not.toMatch(/Results of the vote|All votes|%|\b([4-9]|\d\d+) votes?\b/);
  await expect(page.getByRole('table')).toHaveCount(0);
}

test('three people on phones vote, move votes, see turnout and no totals, and everyone sees the results by role group', async ({
  browser,
  request,
  baseURL
}) => {
  test.setTimeout(120_000);
  const created = await createWorkshop(request);
  const facilitator = await enter(browser, created.id, created.links.facilitator, 'Fatima', 'on a desktop');
  const marcus = await enter(browser, created.id, created.links.member, 'Marcus', 'on a 360 px phone');
  const rosa = await enter(browser, created.id, created.links.member, 'Rosa', 'on a 360 px phone');
  const dev = await enter(browser, created.id, created.links.decisionMaker, 'Dev', 'on a 360 px phone');
  const scripts = [
    await scriptVoter(baseURL!, created.id, created.links.member, 'Sam'),
    await scriptVoter(baseURL!, created.id, created.links.decisionMaker, 'Ade'),
    await scriptVoter(baseURL!, created.id, created.links.decisionMaker, 'Bea')
  ];
  const [sam, ade, bea] = scripts;
  const phones = [marcus, rosa, dev];
  try {
    const texts = ['A drop-in on Saturdays', 'Letters in plain words', 'Bus passes for appointments', 'A named worker who stays'];
    const [a, b, c, d] = await (async () => {
      const ids: string[] = [];
      for (const text of texts) {
        ids.push(await facilitator.board.addCard('Solutions'));
        await facilitator.page.keyboard.type(text);
      }
      return ids;
    })();
    for (const p of [marcus, dev]) await p.board.laneTab('Solutions').tap();
    // Rosa uses the keyboard alone, from the start: the list tabs move with the arrow keys.
    await tabTo(rosa.page, rosa.board.laneTab('Questions'));
    await rosa.page.keyboard.press('ArrowRight');
    await rosa.page.keyboard.press('ArrowRight');
    await expect(rosa.board.laneTab('Solutions')).toBeFocused();
    for (const p of phones) await p.board.expectLane('Solutions', texts);

    // The facilitator goes to the Vote step: everyone is told it has not started, and the
    // facilitator's vote section opens, ready.
    const steps = await facilitator.board.openControls('Steps and timer');
    await steps.getByRole('button', { name: 'Vote', exact: true }).click();
    await facilitator.board.expectStep('Vote', 7);
    await expect(marcus.page.getByRole('heading', { name: 'The vote has not started yet' })).toBeVisible();
    await expect(marcus.page.getByText('The facilitator will start it soon.')).toBeVisible();
    const controls = facilitator.board.controls();
    await expect(controls.getByText('This step is a vote.')).toBeVisible();
    const section = controls.locator('details').filter({ has: facilitator.page.locator('summary', { hasText: /^Vote/ }) });
    await expect(section).toHaveJSProperty('open', true);
    const form = section.getByRole('form', { name: 'Start a vote on this board' });
    await expect(form).toBeVisible();
    // The board's own "Set up the vote" takes the facilitator there too, focus and all.
    await facilitator.page
      .getByRole('region', { name: 'The vote has not started yet' })
      .getByRole('button', { name: 'Set up the vote' })
      .click();
    await expect(form.getByLabel('Cards', { exact: true })).toBeFocused();
    await expectNoAccessibilityViolations(facilitator.page, "the facilitator's form to start a vote, on a desktop");

    // A vote with nothing in it: the server's refusal, in the form.
    await form.getByLabel('Themes', { exact: true }).check();
    await expect(form).toContainText('No themes match yet.');
    await form.getByRole('button', { name: 'Start the vote' }).click();
    await expect(form.getByText('There are no themes on the board to vote on.')).toBeVisible();
    await expectNoAccessibilityViolations(facilitator.page, 'the start-vote form with a refusal');

    // On all the cards: 3 votes each, at most 2 on one card, said in plain words.
    await form.getByLabel('Cards', { exact: true }).check();
    await form.getByLabel('All the cards on the board').check();
    await expect(form.getByLabel('Votes each person has')).toHaveValue('3');
    await form.getByLabel('Most votes one person can put on one card').selectOption('2');
    await expect(form).toContainText(
      'Everyone has 3 votes. Decision makers and facilitators have the same number as members. You can put up to 2 on one card.'
    );
    await expect(form).toContainText('The vote will be on 4 cards.');
    await form.getByRole('button', { name: 'Start the vote' }).click();
    await expect(section.getByRole('status')).toHaveText(/The vote has started/);
    await expect(section.getByRole('button', { name: 'Close the vote and show results' })).toBeVisible();
    await expect(section.locator('summary')).toHaveText('Vote (open now)');

    // Everyone who may vote sees it, with the buttons on each card and their votes left at the bottom.
    for (const p of phones) {
      await expect(p.page.getByRole('heading', { name: 'Vote: choose the cards that matter most' })).toBeVisible();
      await expect(votesLeft(p)).toContainText('You have 3 votes left');
      await expect(votesLeft(p)).toBeInViewport();
      await expect(voteOn(p, a)).toHaveAccessibleName('Vote for Solution 1 of 4: A drop-in on Saturdays');
    }

    // Marcus taps: two on the drop-in, a third there is refused (most on one card), one on letters.
    await voteOn(marcus, a).tap();
    await expect(marcus.board.card(a)).toContainText('1 of your votes');
    await expect(votesLeft(marcus)).toContainText('You have 2 votes left');
    await voteOn(marcus, a).tap();
    await expect(marcus.board.card(a)).toContainText('2 of your votes');
    await voteOn(marcus, a).tap();
    await expect(marcus.board.card(a)).toContainText('Error: You can put at most 2 votes on one item.');
    await expect(marcus.board.card(a)).toContainText('2 of your votes');
    await voteOn(marcus, b).tap();
    await expect(marcus.board.card(a).locator('.field-error')).toHaveCount(0); // a vote taken clears the old refusal
    await expect(votesLeft(marcus)).toContainText('You have no votes left');
    // Over the budget: refused, next to the card, in the server's words.
    await voteOn(marcus, c).tap();
    const refusal = marcus.board.card(c).locator('.field-error');
    await expect(refusal).toHaveText('Error: You have used all 3 votes. Take one back to move it.');
    await expect(voteOn(marcus, c)).toHaveAccessibleDescription(/You have used all 3 votes/);
    await expectNoAccessibilityViolations(marcus.page, 'an open vote on a phone, with a refusal by a card');
    // Moving a vote: take it back from letters, put it on bus passes.
    await takeBackFrom(marcus, b).tap();
    await expect(votesLeft(marcus)).toContainText('You have 1 vote left');
    await expect(takeBackFrom(marcus, b)).toHaveCount(0);
    await voteOn(marcus, c).tap();
    await expect(refusal).toHaveCount(0);
    await expect(marcus.board.card(c)).toContainText('1 of your votes');
    // Turnout, at the next moment: by group, never a total; in a few words at the bottom, in full in the vote's panel.
    await expect(votesLeft(marcus)).toContainText('Voted so far: 1 of 3 members · 0 of 3 decision makers');
    const panel = marcus.page.getByRole('region', { name: 'Vote: choose the cards that matter most' });
    await expect(panel.getByRole('listitem')).toHaveText([
      '1 of 3 members has voted',
      'None of the 3 decision makers has voted yet',
      'Facilitators: fewer than 3, so not counted here'
    ]);

    // Rosa uses the keyboard alone: Tab to a card's Vote, Enter; move one with "Take back a vote".
    await tabTo(rosa.page, voteOn(rosa, a));
    await rosa.page.keyboard.press('Enter');
    await expect(rosa.board.card(a)).toContainText('1 of your votes');
    await expect(voteOn(rosa, a)).toBeFocused();
    await tabTo(rosa.page, voteOn(rosa, b));
    await rosa.page.keyboard.press('Enter');
    await rosa.page.keyboard.press('Enter');
    await expect(rosa.board.card(b)).toContainText('2 of your votes');
    await rosa.page.keyboard.press('Shift+Tab');
    await expect(takeBackFrom(rosa, b)).toBeFocused();
    await rosa.page.keyboard.press('Enter');
    await expect(rosa.board.card(b)).toContainText('1 of your votes');
    await tabTo(rosa.page, voteOn(rosa, d));
    await rosa.page.keyboard.press('Enter');
    await expect(rosa.board.card(d)).toContainText('1 of your votes');
    await expect(votesLeft(rosa)).toContainText('You have no votes left');
    await expect(rosa.page.getByRole('status').filter({ hasText: /^Vote given to Solution 4 of 4/ })).toHaveText(
      'Vote given to Solution 4 of 4: A named worker who stays. It has 1 of your votes. You have no votes left. To move a vote, take one back first.'
    );

    // Dev, a decision maker, has the same budget.
    await voteOn(dev, c).tap();
    await voteOn(dev, c).tap();
    await voteOn(dev, a).tap();
    await expect(dev.board.card(c)).toContainText('2 of your votes');
    await expect(votesLeft(dev)).toContainText('You have no votes left');

    // Marcus's votes are kept when his page reloads (the server sends them again on connect).
    await marcus.page.reload();
    await marcus.board.expectLive();
    await marcus.board.laneTab('Solutions').tap();
    await expect(marcus.board.card(a)).toContainText('2 of your votes');
    await expect(marcus.board.card(c)).toContainText('1 of your votes');
    await expect(votesLeft(marcus)).toContainText('You have no votes left');

    await castAll(sam, [b, b, c]);
    await castAll(ade, [c, b, d]);
    await castAll(bea, [c, c, a]);
    for (const p of phones) {
      await expect(votesLeft(p)).toContainText('Voted so far: 3 of 3 members · 3 of 3 decision makers');
    }
    await expect(facilitator.page.getByRole('region', { name: 'Your votes' })).toContainText(
      'All 3 members have voted · All 3 decision makers have voted · Facilitators: fewer than 3, so not counted here'
    );
    // Nobody sees a total while it is open: not the voters, not the facilitator.
    await expect(section).toContainText('All 3 members have voted');
    await expectNoAccessibilityViolations(facilitator.page, 'an open vote on a desktop, facilitator');
    for (const p of [...phones, facilitator]) await expectNoTotals(p.page, p.name);

    // A card leaves the board during the vote: its votes still count, and the results say so.
    await facilitator.board.cardAction(d, 'Delete');
    await expect(rosa.board.card(d)).toHaveCount(0);

    await section.getByRole('button', { name: 'Close the vote and show results' }).click();
    await expect(section.getByRole('status')).toHaveText('The vote is closed. Everyone can see the results on the board now.');

    // Everyone: results by role group, as a chart and as a table with the same numbers.
    for (const p of [...phones, facilitator]) {
      const results = p.page.getByRole('region', { name: 'Results of the vote' });
      await expect(results).toBeVisible();
      await expect(votesLeft(p)).toHaveCount(0);
      await expect(results).toContainText('6 people voted.');
      await expect(results.getByRole('listitem').filter({ hasText: /^Members: / })).toHaveText('Members: 3 of 3 voted.');
      await expect(results).toContainText('Decision makers: 3 of 3 voted.');
      await expect(results).toContainText('Facilitators: nobody voted.');
      const table = results.getByRole('table', { name: /^Votes on each card by group/ });
      await expect(table.getByRole('columnheader')).toHaveText(['Card', 'Members', 'Decision makers', 'All votes']);
      const rows = table.locator('tbody tr');
      await expect(rows).toHaveText([
        /^Bus passes for appointments\s*2 \(22%\)\s*5 \(56%\)\s*7$/,
        /^A drop-in on Saturdays\s*3 \(33%\)\s*2 \(22%\)\s*5$/,
        /^Letters in plain words\s*3 \(33%\)\s*1 \(11%\)\s*4$/,
        /^\(no longer on the board\)\s*1 \(11%\)\s*1 \(11%\)\s*2$/
      ]);
      await expect(rows.first().getByRole('rowheader')).toHaveText('Bus passes for appointments');
      // The chart: a bar per group for each card, the same numbers beside them (hidden from screen readers, who have the table).
      const chart = results.locator('ol.chart');
      await expect(chart).toHaveAttribute('aria-hidden', 'true');
      await expect(chart.locator(':scope > li').first()).toContainText('Bus passes for appointments');
      await expect(chart.locator(':scope > li').first().locator('.bar-row')).toHaveText([
        /Members\s*2 \(22%\)/,
        /Decision makers\s*5 \(56%\)/
      ]);
      // Common ground and where views differ, in plain words.
      const common = results.getByRole('list', { name: 'Common ground' }).getByRole('listitem');
      await expect(common.first()).toHaveText(
        /Bus passes for appointments\s*At least 67% of every group voted for it \(members 2 of 3, decision makers 3 of 3\)\./
      );
      await expect(common.nth(1)).toContainText('A drop-in on Saturdays');
      const differ = results.getByRole('list', { name: 'Where views differ' }).getByRole('listitem');
      await expect(differ.first()).toHaveText(
        /Bus passes for appointments\s*Decision makers put it higher: 3rd for members, 1st for decision makers\./
      );
      await expect(differ.nth(1)).toHaveText(
        /Letters in plain words\s*Members put it higher: joint 1st for members, joint 3rd for decision makers\./
      );
      // Results name nobody.
      for (const name of ['Fatima', 'Marcus', 'Rosa', 'Dev', 'Sam', 'Ade', 'Bea']) await expect(results).not.toContainText(name);
    }
    await expectNoAccessibilityViolations(marcus.page, 'the results on a phone');
    await expectNoAccessibilityViolations(facilitator.page, 'the results on a desktop');
    // The results fit a 360 px phone: nothing sideways.
    expect(await marcus.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // A page that connects later gets them too.
    await dev.page.reload();
    await dev.board.expectLive();
    await expect(dev.page.getByRole('region', { name: 'Results of the vote' })).toContainText('6 people voted.');
  } finally {
    for (const s of scripts) s.disconnect();
    for (const p of [facilitator, ...phones]) await p.context.close();
  }
});

test.describe('on a 360 px phone', () => {
  test.use(SCREENS['on a 360 px phone']);

  test('a vote on themes from the sheet, voted by keyboard, and results with fewer than 3 voters show no totals', async ({ workshop }) => {
    const { facilitator, member } = workshop;
    const observer = await workshop.join('observer', 'Olu');
    const page = facilitator.page;
    for (const text of ['The bus stops at 6pm', 'Letters arrive late']) {
      await facilitator.board.addCard('Questions', { tap: true });
      await page.keyboard.type(text);
    }
    await page.getByRole('button', { name: /^By theme/ }).tap();
    for (const name of ['Transport', 'Letters']) {
      await page
        .getByRole('region', { name: /^Themes/ })
        .getByRole('button', { name: 'New theme' })
        .tap();
      await facilitator.board.dialog().getByLabel('Name of the theme').fill(name);
      await facilitator.board.dialog().getByRole('button', { name: 'Make the theme' }).tap();
      await expect(page.getByRole('region', { name: new RegExp(`^${name}`) })).toBeVisible();
    }

    // The Vote step from the sheet: the vote section opens, with the form (checked at 360 px).
    const steps = await facilitator.board.openControls('Steps and timer');
    await steps.getByRole('button', { name: 'Vote', exact: true }).tap();
    const sheet = page.getByRole('dialog', { name: 'Facilitator controls' });
    const form = sheet.getByRole('form', { name: 'Start a vote on this board' });
    await expect(form).toBeVisible();
    await expectNoAccessibilityViolations(page, "the facilitator's form to start a vote, in the sheet on a phone");
    await form.getByLabel('Themes', { exact: true }).check();
    await form.getByLabel('Votes each person has').selectOption('2');
    await expect(form).toContainText('Everyone has 2 votes. Decision makers and facilitators have the same number as members.');
    await expect(form).toContainText('You can put all 2 on one theme, or share them out.');
    await expect(form).toContainText('The vote will be on 2 themes.');
    await form.getByRole('button', { name: 'Start the vote' }).tap();
    await expect(sheet.getByRole('button', { name: 'Close the vote and show results' })).toBeVisible();
    await page.keyboard.press('Escape');

    // The member's board turns to the themes, with a vote button on each theme; the keyboard alone.
    const mpage = member.page;
    const transport = mpage.getByRole('region', { name: /^Transport/ });
    await expect(transport).toBeVisible();
    const voteTransport = transport.getByRole('button', { name: 'Vote for the theme Transport' });
    await tabTo(mpage, voteTransport, { max: 120 });
    await mpage.keyboard.press('Enter');
    await expect(transport).toContainText('1 of your votes');
    await expect(mpage.getByRole('region', { name: 'Your votes' })).toContainText('You have 1 vote left');
    await expect(mpage.getByRole('region', { name: 'Your votes' })).toBeInViewport();
    await expectNoAccessibilityViolations(mpage, 'an open vote on themes, on a phone');
    // An observer sees the vote and its turnout, and no vote buttons.
    const watching = observer.page.getByRole('region', { name: 'Vote: choose the themes that matter most' });
    await expect(watching).toContainText('You are watching. Observers do not vote.');
    await expect(watching.getByRole('listitem')).toHaveText([
      'Members: fewer than 3, so not counted here',
      'Facilitators: fewer than 3, so not counted here'
    ]);
    await expect(observer.page.getByRole('region', { name: /^Transport/ })).toBeVisible();
    await expect(observer.page.getByRole('button', { name: /^Vote for / })).toHaveCount(0);
    await expectNoTotals(mpage, member.name);

    // The facilitator votes too, from the theme's button, then closes: 2 voters, so no totals at all.
    await page.getByRole('button', { name: 'Vote for the theme Letters' }).tap();
    await expect(page.getByRole('region', { name: /^Letters/ })).toContainText('1 of your votes');
    const vote = await facilitator.board.openControls(/^Vote/);
    await vote.getByRole('button', { name: 'Close the vote and show results' }).tap();
    await page.keyboard.press('Escape');
    for (const p of [member, facilitator]) {
      const results = p.page.getByRole('region', { name: 'Results of the vote' });
      await expect(results).toContainText('Fewer than 3 people voted, so no totals are shown. This keeps everyone’s votes private.');
      await expect(results.getByRole('table')).toHaveCount(0);
      await expect(results).not.toContainText('Common ground');
    }
    await expectNoAccessibilityViolations(mpage, 'results with fewer than 3 voters, on a phone');
  });
});
