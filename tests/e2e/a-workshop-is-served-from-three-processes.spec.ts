// Issue 14, "done when", in browsers: one workshop served from three server processes sharing it
// through Redis, with Postgres as the store (tests/e2e/cluster.ts starts them behind a small proxy).
// People on different processes co-edit, vote and follow the facilitator live; one process is
// killed, its person is sent on to another, and nobody loses anything. While Postgres is down, a
// page whose edits wait says so, and nothing of them reaches anyone until they are stored.
import type { Browser } from '@playwright/test';
import { startCluster, type Cluster } from './cluster';
import { createWorkshop, enterBoard, expect, expectNoAccessibilityViolations, test, writeInLane, type Participant } from './fixtures';

test.describe.configure({ timeout: 120_000 });

let cluster: Cluster;
test.beforeAll(async () => {
  test.setTimeout(90_000);
  cluster = await startCluster(3);
});
test.afterAll(async () => {
  await cluster?.stop();
});

/** Someone on process `n`: their own context, sent there by the proxy. */
async function enter(browser: Browser, n: number, workshopId: string, link: string, name: string): Promise<Participant> {
  const context = await browser.newContext({ baseURL: cluster.url });
  await context.addCookies([cluster.cookieFor(n)]);
  return enterBoard(context, workshopId, link, name);
}

/** Which processes took the board sockets (y-websocket's /sync/<boardId>) opened so far. */
function syncProcesses(boardId: string): number[] {
  return cluster.upgrades.filter((u) => u.path.startsWith(`/sync/${boardId}`)).map((u) => u.process);
}

test('people on three processes co-edit, vote and follow the facilitator, and lose nothing when one process is killed', async ({
  browser
}) => {
  const setup = await browser.newContext({ baseURL: cluster.url });
  const workshop = await createWorkshop(setup.request, { question: 'How do we make letters clear?' });
  await setup.close();
  const boardId = workshop.boards[0].id;
  const fatima = await enter(browser, 0, workshop.id, workshop.links.facilitator, 'Fatima');
  const dana = await enter(browser, 0, workshop.id, workshop.links.decisionMaker, 'Dana');
  const marcus = await enter(browser, 1, workshop.id, workshop.links.member, 'Marcus');
  const priya = await enter(browser, 2, workshop.id, workshop.links.member, 'Priya');
  const everyone = [fatima, dana, marcus, priya];
  try {
    // Four pages on one board, over three processes.
    expect(new Set(syncProcesses(boardId))).toEqual(new Set([0, 1, 2]));
    for (const p of everyone) await expect(p.board.presence()).toContainText('4 people here:');

    // Cards written on each process reach every page, and one card is edited from two processes.
    const longWords = await writeInLane(marcus, 'Problems', 'Letters use long words');
    const plain = await writeInLane(priya, 'Solutions', 'Letters in plain words');
    const ring = await writeInLane(dana, 'Solutions', 'Ring people first');
    for (const p of everyone) {
      await p.board.expectLane('Problems', ['Letters use long words']);
      await p.board.expectLane('Solutions', ['Letters in plain words', 'Ring people first']);
    }
    await priya.board.text(longWords).press('End');
    await priya.page.keyboard.type(' and jargon');
    for (const p of everyone) await expect(p.board.text(longWords)).toHaveValue('Letters use long words and jargon');

    // The facilitator moves to the vote: every page follows, whichever process holds it.
    const steps = await fatima.board.openControls('Steps and timer');
    await steps.getByRole('button', { name: 'Vote', exact: true }).click();
    for (const p of everyone) await p.board.expectStep('Vote', 7);
    const section = fatima.board
      .controls()
      .locator('details')
      .filter({ has: fatima.page.locator('summary', { hasText: /^Vote/ }) });
    const form = section.getByRole('form', { name: 'Start a vote on this board' });
    await form.getByLabel('Cards', { exact: true }).check();
    await form.getByLabel('All the cards on the board').check();
    await form.getByRole('button', { name: 'Start the vote' }).click();
    for (const [p, id] of [
      [marcus, plain],
      [priya, plain],
      [dana, ring]
    ] as const) {
      const mine = p.page.getByRole('region', { name: 'Your votes' });
      await expect(mine).toBeVisible();
      const before = await mine.innerText();
      await p.board
        .card(id)
        .getByRole('button', { name: /^Vote for / })
        .click();
      await expect(mine).not.toHaveText(before);
    }
    await section.getByRole('button', { name: 'Close the vote and show results' }).click();
    for (const p of everyone) await expect(p.page.getByRole('region', { name: 'Results of the vote' })).toContainText('3 people voted.');

    // Marcus's process dies while he writes. His page is sent on to another process and carries
    // on: the card he wrote meanwhile reaches everyone, and nothing anyone had is gone.
    const socketsBefore = syncProcesses(boardId).length;
    await cluster.kill(1);
    const late = await writeInLane(marcus, 'Problems', 'Letters arrive too late');
    await expect.poll(() => syncProcesses(boardId).length, { message: "Marcus's page connects again" }).toBeGreaterThan(socketsBefore);
    await marcus.board.expectLive();
    for (const p of everyone) {
      await expect(p.board.text(late)).toHaveValue('Letters arrive too late');
      await p.board.expectLane('Problems', ['Letters use long words and jargon', 'Letters arrive too late']);
      await p.board.expectLane('Solutions', ['Letters in plain words', 'Ring people first']);
      await expect(p.page.getByRole('region', { name: 'Results of the vote' })).toContainText('3 people voted.');
    }
    // What the store holds is the same: a fresh page on another process reads it all back.
    await priya.page.reload();
    await priya.board.expectLive();
    await priya.board.expectLane('Problems', ['Letters use long words and jargon', 'Letters arrive too late']);
    await priya.board.expectLane('Solutions', ['Letters in plain words', 'Ring people first']);
    await expect(priya.board.presence()).toContainText('4 people here:');
  } finally {
    for (const p of everyone) await p.context.close();
  }
});

test('while the database is down, a page says its changes are not saved yet, and they reach everyone once it is back', async ({
  browser
}) => {
  const setup = await browser.newContext({ baseURL: cluster.url });
  const workshop = await createWorkshop(setup.request);
  await setup.close();
  // Processes 0 and 2: the test above may have killed process 1.
  const fatima = await enter(browser, 0, workshop.id, workshop.links.facilitator, 'Fatima');
  const nadia = await enter(browser, 2, workshop.id, workshop.links.member, 'Nadia');
  try {
    const before = await writeInLane(nadia, 'Problems', 'Nobody rings back');
    await expect(fatima.board.text(before)).toHaveValue('Nobody rings back');

    cluster.postgres.crash();
    const during = await writeInLane(nadia, 'Problems', 'The office moved');
    await expect(nadia.board.connection()).toHaveAttribute('data-connection', 'held');
    await expect(nadia.board.connection()).toHaveText(/^Not saved yet: .*kept on this device/);
    await expectNoAccessibilityViolations(nadia.page, 'the board while its changes are not saved yet');
    // Not stored, so not relayed: the facilitator on the other process does not have it.
    await expect(fatima.board.cards('Problems')).toHaveCount(1);

    cluster.postgres.start();
    await expect(fatima.board.text(during)).toHaveValue('The office moved', { timeout: 20_000 });
    await nadia.board.expectLive();
    await fatima.board.expectLive();
    for (const p of [fatima, nadia]) await p.board.expectLane('Problems', ['Nobody rings back', 'The office moved']);
  } finally {
    for (const p of [fatima, nadia]) await p.context.close();
  }
});
