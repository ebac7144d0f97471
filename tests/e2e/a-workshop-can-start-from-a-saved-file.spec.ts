// "Start from a saved workshop": a facilitator picks an archive file on the start page (by the
// keyboard alone), sees it being sent, lands on the new workshop and its board (with the key
// points' agreed version it came with, readable behind "Show version 1"), and downloads it again
// with "Download everything"; a wrong file is explained in an error summary. axe on each new
// state, on a 360 px phone and a desktop.
import { test, expect, BoardPage, SCREENS, createWorkshop, expectNoAccessibilityViolations, joinWithLink } from './fixtures';

const HTML = '<img src=x onerror="document.title=\'hacked\'"> letters are hard to read';

function archive(cards = 4, words = 'Ring people before writing to them') {
  const lanes = ['questions', 'problems', 'solutions'] as const;
  return {
    format: 'roundtable-archive',
    version: 1,
    exportedAt: 1_767_000_000_000,
    workshop: {
      title: 'Probation forum, March',
      question: 'How do we make letters clear?',
      createdAt: 1_766_000_000_000,
      endedAt: 1_766_100_000_000
    },
    participants: { facilitator: 1, member: 9, decisionMaker: 3, observer: 0 },
    facilitation: {
      steps: [
        { kind: 'welcome', title: 'Welcome back' },
        { kind: 'discuss', title: 'What has changed?' }
      ],
      settings: { anonymousCards: 'optional', decisionMakersAfterMembers: true }
    },
    boards: [
      {
        id: 'b1',
        title: 'Main board',
        cards: [
          { id: 'c1', lane: 'questions', text: 'Who reads the letters first?', createdAt: 1, anonymous: false, theme: null },
          { id: 'c2', lane: 'problems', text: HTML, createdAt: 2, anonymous: true, theme: 't1' },
          { id: 'c3', lane: 'problems', text: '=HYPERLINK("http://evil.example","Click")', createdAt: 3, anonymous: false, theme: 't1' },
          ...Array.from({ length: cards }, (_, i) => ({
            id: `s${i + 1}`,
            lane: lanes[2],
            text: `${i + 1}. ${words}`,
            createdAt: 10 + i,
            anonymous: false,
            theme: null
          }))
        ],
        themes: [{ id: 't1', name: 'Letters', collapsed: false, createdAt: 1 }],
        keyPoints: [{ id: 'k1', text: 'Write in plain words', sources: ['c2', 'theme:t1'], createdAt: 4 }],
        votes: [],
        // Agreed after a consent round: the words, sources and support as they were then.
        agreed: [
          {
            number: 1,
            agreedAt: 1_766_050_000_000,
            consent: 'r1',
            points: [
              {
                id: 'k1',
                text: 'Write in plain words',
                sources: [
                  { id: 'c2', kind: 'card', text: HTML, lane: 'problems' },
                  { id: 'theme:t1', kind: 'theme', text: 'Letters', lane: null, cards: 2 }
                ],
                support: { cards: 2, people: 1, withoutName: 1, missing: 0, votes: [] }
              }
            ]
          }
        ],
        consent: [
          {
            id: 'r1',
            openedAt: 1_766_040_000_000,
            closedAt: 1_766_045_000_000,
            points: [{ id: 'k1', text: 'Write in plain words' }],
            groups: [
              { role: 'member', eligible: 9, voters: 5, shown: 'own' },
              { role: 'decisionMaker', eligible: 3, voters: 3, shown: 'own' },
              { role: 'facilitator', eligible: 1, voters: 0, shown: 'own' }
            ],
            tallies: [
              { unit: 'member', point: 'k1', answer: 'agree', people: 4 },
              { unit: 'member', point: 'k1', answer: 'live', people: 1 },
              { unit: 'decisionMaker', point: 'k1', answer: 'agree', people: 2 },
              { unit: 'decisionMaker', point: 'k1', answer: 'object', people: 1 },
              { unit: 'all', point: 'k1', answer: 'agree', people: 6 },
              { unit: 'all', point: 'k1', answer: 'live', people: 1 },
              { unit: 'all', point: 'k1', answer: 'object', people: 1 }
            ]
          }
        ]
      }
    ]
  };
}

const file = (content: unknown, name = 'probation-forum-archive.json') => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(typeof content === 'string' ? content : JSON.stringify(content, null, 2))
});

async function tabTo(page: import('@playwright/test').Page, target: import('@playwright/test').Locator, most = 60): Promise<void> {
  for (let i = 0; i < most; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target, 'reached with Tab').toBeFocused({ timeout: 1 });
}

for (const [screen, use] of Object.entries(SCREENS)) {
  test.describe(screen, () => {
    test.use(use);

    test('a facilitator starts a workshop from a saved file with the keyboard alone and sees its board', async ({ page }) => {
      await page.goto('/');
      await expect(page.getByRole('heading', { name: 'Start from a saved workshop' })).toBeVisible();
      await expectNoAccessibilityViolations(page, `the start page with the file form, ${screen}`);

      const input = page.getByLabel('Archive file');
      await tabTo(page, input);
      const chooser = page.waitForEvent('filechooser');
      await page.keyboard.press('Space');
      await (await chooser).setFiles(file(archive()));
      await tabTo(page, page.getByLabel('Your name as its facilitator (optional)'));
      await page.keyboard.type('Fatima');
      await tabTo(page, page.getByRole('button', { name: 'Start from this file' }));
      await page.keyboard.press('Enter');

      await expect(page).toHaveURL(/\/w\/[^/]+\/invite\?new=1$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Invite people to Probation forum, March');
      await tabTo(page, page.getByRole('link', { name: 'Go to the board' }));
      await page.keyboard.press('Enter');
      const board = new BoardPage(page);
      await board.expectLive();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('How do we make letters clear?');
      await expect(board.presence()).toContainText('Fatima (you)');
      if (screen === 'on a desktop') {
        await board.expectLane('Problems', [HTML, '=HYPERLINK("http://evil.example","Click")']);
        await board.expectLane('Solutions', [
          '1. Ring people before writing to them',
          '2. Ring people before writing to them',
          '3. Ring people before writing to them',
          '4. Ring people before writing to them'
        ]);
      } else {
        await board.laneTab('Problems').click();
        await board.expectLane('Problems', [HTML, '=HYPERLINK("http://evil.example","Click")']);
      }
      // Words, never markup: no image was made from the card, nothing ran.
      await expect(page.locator('main img[src="x"]')).toHaveCount(0);
      expect(await page.title()).not.toBe('hacked');
      // The steps came with it.
      await board.expectStep('Welcome back', 1, 2);
      // So did the agreed version: it stands, nothing has changed since, and it reads by keyboard.
      const keyPoints = page.getByRole('region', { name: /^Key points/ });
      await expect(keyPoints.getByText(/^Agreed \(version 1, \d+ \w{3} \d\d:\d\d\)$/)).toBeVisible();
      await expect(keyPoints.getByText('No changes since it was agreed.')).toBeVisible();
      const version = keyPoints.locator('details.version');
      const summary = version.locator('summary');
      await expect(summary).toContainText('Show version 1');
      // Past the lists and their cards (a board of seven cards has many controls before it).
      await tabTo(page, summary, 200);
      await page.keyboard.press('Enter');
      await expect(version).toHaveAttribute('open', '');
      await expect(version.getByRole('listitem')).toHaveText(['Write in plain words From 1 person and 1 card without a name.']);
      await expect(page.getByRole('link', { name: 'Download everything (JSON archive)' })).toBeVisible();
      await expectNoAccessibilityViolations(page, `the board of a workshop started from a file, its agreed version open, ${screen}`);
    });

    test('a wrong file is explained in an error summary that leads to the file field', async ({ page }) => {
      await page.goto('/');
      await page.getByLabel('Archive file').setInputFiles(file({ title: 'A spreadsheet', rows: [] }, 'cards.json'));
      await page.getByRole('button', { name: 'Start from this file' }).click();
      const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'There is a problem' }) });
      await expect(summary).toBeVisible();
      await expect(summary).toBeFocused();
      const link = summary.getByRole('link');
      await expect(link).toHaveText(/^This file is not a Roundtable archive\./);
      await expect(link).toHaveAttribute('href', '#archive');
      await expect(page.getByLabel('Archive file')).toHaveAttribute('aria-invalid', 'true');
      await expect(page).toHaveTitle(/^Error: /);
      await expectNoAccessibilityViolations(page, `the start page with a wrong file, ${screen}`);

      // A file of a newer Roundtable says so; the server's own checks answer the same way.
      await page.getByLabel('Archive file').setInputFiles(file({ ...archive(), version: 2 }));
      await page.getByRole('button', { name: 'Start from this file' }).click();
      await expect(summary.getByRole('link')).toHaveText(/^This archive was made by a newer Roundtable \(archive version 2\)/);
      // One the page cannot tell: a card in a theme the file does not have.
      const broken = archive();
      broken.boards[0].cards[0].theme = 't9';
      await page.getByLabel('Archive file').setInputFiles(file(broken));
      await page.getByRole('button', { name: 'Start from this file' }).click();
      await expect(summary.getByRole('link')).toHaveText(
        "Card c1 on board “Main board” is in theme t9, which is not in the archive. Every card's theme must be one of that board's themes."
      );
      await link.click();
      await expect(page.getByLabel('Archive file')).toBeFocused();
    });
  });
}

test('the file is sent with its progress shown, and the workshop downloads again as it came', async ({ page, context }) => {
  await page.goto('/');
  const big = archive(700, 'Plain words please. '.repeat(60));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // About 1 MB over a slow connection: several seconds of sending.
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 50, downloadThroughput: -1, uploadThroughput: 250 * 1024 });
  await page.getByLabel('Archive file').setInputFiles(file(big));
  await page.getByRole('button', { name: 'Start from this file' }).click();
  const progress = page.getByRole('progressbar', { name: 'Sending the file' });
  await expect(progress).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start from this file' })).toBeDisabled();
  await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 15_000 }).toBeGreaterThan(0);
  await expectNoAccessibilityViolations(page, 'the start page while a file is sent');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await expect(page).toHaveURL(/\/w\/[^/]+\/invite\?new=1$/, { timeout: 30_000 });

  await page.getByRole('link', { name: 'Go to the board' }).click();
  await new BoardPage(page).expectLive();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download everything (JSON archive)' }).click();
  const saved = await download;
  // The browser takes the title as typed (filename*), as for the briefing's files.
  expect(saved.suggestedFilename()).toBe('Probation forum, March archive.json');
  const again = JSON.parse(await (await saved.createReadStream()).toArray().then((parts) => Buffer.concat(parts).toString('utf8')));
  expect(again.boards[0].cards.map((c: { text: string }) => c.text)).toEqual(
    // Lane by lane, as the board shows them.
    [...big.boards[0].cards]
      .sort((a, b) => ['questions', 'problems', 'solutions'].indexOf(a.lane) - ['questions', 'problems', 'solutions'].indexOf(b.lane))
      .map((c) => c.text)
  );
  expect(again.facilitation).toEqual(big.facilitation);
  expect(again.boards[0].keyPoints).toEqual([{ id: 'k1', text: 'Write in plain words', sources: ['c2', 'theme:t1'], createdAt: 4 }]);
  // The agreed version and the consent round's totals come back as they went.
  expect(again.boards[0].agreed).toEqual(big.boards[0].agreed);
  expect(again.boards[0].consent).toEqual(big.boards[0].consent);
});

test('decision makers may download everything; members see no such link', async ({ browser, request }) => {
  const workshop = await createWorkshop(request);
  for (const [role, name, offered] of [
    ['decisionMaker', 'Deepika', true],
    ['member', 'Marcus', false]
  ] as const) {
    const context = await browser.newContext();
    await joinWithLink(context, workshop.links[role], name);
    const page = await context.newPage();
    await new BoardPage(page).open(workshop.id);
    await expect(page.getByRole('link', { name: 'Download everything (JSON archive)' })).toHaveCount(offered ? 1 : 0);
    const answer = await context.request.get(`/api/workshops/${workshop.id}/briefing.json`);
    expect(answer.status()).toBe(offered ? 200 : 403);
    await context.close();
  }
});
