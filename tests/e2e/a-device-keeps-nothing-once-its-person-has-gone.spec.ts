// Issue 15, item 1: what a device keeps. Library computers, prison education rooms and borrowed
// phones are used by the next person too. A device keeps a workshop's board page (for a reload
// without a signal) only while its person is signed in, never the invite page, an invite link or
// the join page, and it clears everything it kept when the person leaves, is removed, asks to be
// forgotten, or the workshop ends or is deleted. After each, an offline visit shows no invite
// link and no board words. The device's contents are read through the page's own APIs (`caches`,
// `indexedDB.databases()`, `localStorage`, `document.cookie`).
import type { BrowserContext, Page } from '@playwright/test';
import {
  test,
  expect,
  expectNoAccessibilityViolations,
  joinWithLink,
  tabTo,
  tokenOf,
  BoardPage,
  LIVE_BADGE,
  type Participant,
  type Workshop
} from './fixtures';

interface DeviceContents {
  /** Page entries of every cache (the app's own files left out), by cache name. */
  caches: Record<string, string[]>;
  databases: string[];
  storage: string[];
  /** Cookies a page can see (the session cookie is httpOnly, so never listed here). */
  cookies: string[];
}

async function deviceContents(page: Page): Promise<DeviceContents> {
  return page.evaluate(async () => {
    const found: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const requests = await (await caches.open(name)).keys();
      found[name] = requests
        .map((r) => new URL(r.url))
        .map((u) => u.pathname + u.search)
        .filter((p) => !p.startsWith('/_app/') && !/\.[a-z0-9]+$/i.test(p))
        .sort();
    }
    return {
      caches: found,
      databases: (await indexedDB.databases()).map((d) => d.name ?? '').sort(),
      storage: Object.keys(localStorage).sort(),
      cookies: document.cookie
        .split(';')
        .map((c) => c.trim().split('=')[0])
        .filter(Boolean)
        .sort()
    };
  });
}

const allCached = (c: DeviceContents) => Object.values(c.caches).flat();

/** Waits until the board page is kept for offline use (the service worker is ready, the page asked). */
async function expectKept(page: Page, workshop: Workshop): Promise<DeviceContents> {
  await expect
    .poll(async () => (await deviceContents(page)).caches['roundtable-pages'] ?? [], { message: 'the board page kept for offline use' })
    .toEqual([`/w/${workshop.id}`]);
  const contents = await deviceContents(page);
  expect(contents.databases).toContain(`roundtable-board-${workshop.boards[0].id}`);
  expect(contents.storage).toContain(`roundtable.kept.${workshop.id}`);
  expect(contents.cookies).toContain(`rt_here_${workshop.id}`);
  return contents;
}

/**
 * Nothing of the workshop is left: no kept page, no copy of a board, no drafts, no cookies; but for
 * a person removed, the server's marker that refuses this device a new join (httpOnly, no name, no
 * secret; issue 11, item 2), when `removed`.
 */
async function expectNothingKept(page: Page, context: BrowserContext, workshop: Workshop, removed = false): Promise<void> {
  const boardId = workshop.boards[0].id;
  await expect
    .poll(
      async () => {
        const c = await deviceContents(page);
        return {
          pages: allCached(c).filter((p) => p.includes(workshop.id) || p.startsWith('/j/') || p.startsWith('/join')),
          databases: c.databases.filter((d) => d.includes(boardId)),
          storage: c.storage.filter((k) => k.includes(workshop.id) || k.includes(boardId)),
          cookies: c.cookies.filter((k) => k.includes(workshop.id))
        };
      },
      { message: 'what this device keeps of the workshop' }
    )
    .toEqual({ pages: [], databases: [], storage: [], cookies: [] });
  const cookies = (await context.cookies()).filter((c) => c.name.includes(workshop.id));
  expect(cookies.map((c) => [c.name, c.value, c.httpOnly])).toEqual(removed ? [[`rt_removed_${workshop.id}`, 'removed', true]] : []);
}

/** Without a signal, the board page and the invite page show no board words and no invite link. */
async function expectOfflineVisitShowsNothing(who: Participant, workshop: Workshop, words: string[]): Promise<void> {
  const { page, context } = who;
  await context.setOffline(true);
  try {
    await page.goto(`/w/${workshop.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This board is not kept on this device');
    await expectNoAccessibilityViolations(page, 'the board page offline, once nothing is kept');
    await expectShowsNone(page, workshop, words);
    await page.goto(`/w/${workshop.id}/invite`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('You are offline');
    await expectNoAccessibilityViolations(page, 'the invite page offline');
    await expectShowsNone(page, workshop, words);
  } finally {
    await context.setOffline(false);
  }
}

async function expectShowsNone(page: Page, workshop: Workshop, words: string[]): Promise<void> {
  const html = await page.content();
  for (const link of Object.values(workshop.links)) expect(html).not.toContain(tokenOf(link));
  expect(html).not.toContain(workshop.code);
  for (const text of [workshop.question, workshop.title, ...words]) await expect(page.getByText(text)).toHaveCount(0);
}

async function writeCard({ board, page }: Participant, text: string): Promise<void> {
  await board.addCard('Questions');
  await page.keyboard.type(text);
}

test('the invite page, invite links and the join page are never kept, and say so in their headers', async ({ workshop }) => {
  const { facilitator } = workshop;
  const { page, context } = facilitator;
  // The facilitator visits everything that holds a link or leads to one, including the data the
  // board page preloads on hover.
  await page.getByRole('link', { name: 'Invite people' }).hover();
  await page.goto(`/w/${workshop.id}/invite`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Invite people to ${workshop.title}`);
  await page.goto(`/j/${tokenOf(workshop.links.observer)}`);
  await page.goto(`/join?code=${workshop.code}`);
  await facilitator.board.open(workshop.id);
  const before = await expectKept(page, workshop);
  for (const path of allCached(before)) expect(path).not.toMatch(/\/invite|\/j\/|\/join/);
  expect(before.caches['roundtable-pages']).toEqual([`/w/${workshop.id}`]);

  // Never stored by anything on the way (no-store), and never a Referer to another site.
  for (const path of [
    `/j/${tokenOf(workshop.links.facilitator)}`,
    `/j/${tokenOf(workshop.links.facilitator)}/__data.json`,
    `/w/${workshop.id}/invite`,
    `/w/${workshop.id}/invite/__data.json`,
    '/join',
    `/w/${workshop.id}`
  ]) {
    const response = await context.request.get(path, { maxRedirects: 0 });
    expect(response.headers()['cache-control'], path).toBe('no-store');
    expect(response.headers()['referrer-policy'], path).toBe('same-origin');
  }

  // Cookies cleared on a shared computer: the next person, offline, sees neither the link nor the
  // question, and the kept page and the board's copy are gone.
  await context.clearCookies();
  await expectOfflineVisitShowsNothing(facilitator, workshop, []);
  // The worker deleted the kept page and the board's copy; the next page online clears the rest.
  await page.goto('/');
  await expectNothingKept(page, context, workshop);
});

test('“Leave and clear this device”, by keyboard, removes what it says and nothing from the board', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  const { page, context } = member;
  await writeCard(member, 'Who reads our letters?');
  await facilitator.board.controls().getByRole('button', { name: 'Silent writing', exact: true }).click();
  await member.board.expectStep('Silent writing', 3);
  await member.board.lane('Problems').getByRole('button', { name: 'Add a problem (private for now)' }).click();
  await page.keyboard.type('Nobody explains the rules');
  await page.evaluate(() => localStorage.setItem('roundtable.name', 'Marcus'));
  const before = await expectKept(page, workshop);
  expect(before.storage).toEqual(expect.arrayContaining([`roundtable.drafts.${workshop.id}`, 'roundtable.name']));
  const session = (await context.cookies()).find((c) => c.name === `rt_session_${workshop.id}`)?.value ?? '';
  expect(session).not.toBe('');

  // The choice, by keyboard: Leave opens it and moves the focus to it; "Stay" puts the focus back.
  const leave = page.getByRole('button', { name: 'Leave', exact: true });
  await tabTo(page, leave);
  await page.keyboard.press('Enter');
  await expect(leave).toHaveAttribute('aria-expanded', 'true');
  const panel = page.getByRole('region', { name: 'Leave this workshop' });
  await expect(panel.getByRole('heading', { name: 'Leave this workshop' })).toBeFocused();
  await expect(panel).toContainText("this board's copy");
  await expect(panel).toContainText('your private cards not yet shown');
  await expect(panel).toContainText('the saved page');
  await expect(panel).toContainText('Your cards on the board stay');
  await expect(panel.getByRole('link', { name: 'Leave for now' })).toHaveAttribute('href', `/left?for-now=${workshop.id}`);
  await expectNoAccessibilityViolations(page, 'the board with the leave choice open');
  await tabTo(page, panel.getByRole('button', { name: 'Stay on the board' }));
  await page.keyboard.press('Enter');
  await expect(panel).toHaveCount(0);
  await expect(leave).toBeFocused();

  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Leave and clear this device' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/left$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You have left, and this device is cleared');
  await expectNoAccessibilityViolations(page, 'the page after leaving');

  await expectNothingKept(page, context, workshop);
  expect((await deviceContents(page)).storage).not.toContain('roundtable.name');
  // The session is over on the server too, and the card stays on the board.
  const check = await context.request.get(`/api/session?workshop=${workshop.id}`, { headers: { authorization: `Bearer ${session}` } });
  expect(check.status()).toBe(401);
  await facilitator.board.expectLane('Questions', ['Who reads our letters?']);

  await expectOfflineVisitShowsNothing(member, workshop, ['Who reads our letters?', 'Nobody explains the rules']);
  // Back online, the board asks the next person to join; nothing of Marcus is there.
  await page.goto(`/w/${workshop.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Join this workshop first');
  await expectNoAccessibilityViolations(page, 'the board page after leaving');
});

test('leaving without a signal clears the device at once and ends the session when the signal is back', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  const { page, context } = member;
  await writeCard(member, 'Can I bring someone with me?');
  await facilitator.board.expectLane('Questions', ['Can I bring someone with me?']);
  await expectKept(page, workshop);
  const session = (await context.cookies()).find((c) => c.name === `rt_session_${workshop.id}`)?.value ?? '';

  await context.setOffline(true);
  await expect(member.board.connection()).toHaveAttribute('data-connection', 'offline');
  await page.getByRole('button', { name: 'Leave', exact: true }).click();
  await page.getByRole('button', { name: 'Leave and clear this device' }).click();
  await expect(page).toHaveURL(/\/left$/);
  await expect(page.getByRole('status').filter({ hasText: 'This device is offline.' })).toBeVisible();
  await expectNoAccessibilityViolations(page, 'the page after leaving offline');
  const offline = await deviceContents(page);
  expect(allCached(offline).filter((p) => p.includes(workshop.id))).toEqual([]);
  expect(offline.databases).not.toContain(`roundtable-board-${workshop.boards[0].id}`);
  // Offline, the board is not shown again.
  await page.goto(`/w/${workshop.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This board is not kept on this device');
  await page.goBack();

  await context.setOffline(false);
  await expect(page.getByRole('status').filter({ hasText: 'This device is offline.' })).toHaveCount(0);
  await expectNothingKept(page, context, workshop);
  const check = await context.request.get(`/api/session?workshop=${workshop.id}`, { headers: { authorization: `Bearer ${session}` } });
  expect(check.status()).toBe(401);
});

test('a person the facilitator removes keeps nothing of the workshop on their device', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  await writeCard(member, 'Appointments clash with work');
  await expectKept(member.page, workshop);

  const people = await facilitator.board.openControls(/^People/);
  facilitator.page.once('dialog', (dialog) => void dialog.accept());
  await people.getByRole('button', { name: 'Remove Marcus' }).click();
  await expect(member.page.getByRole('alert')).toContainText('The facilitator has removed you from this workshop.');
  await expect(member.page.getByRole('alert')).toContainText('This device no longer keeps anything of it');
  await expectNoAccessibilityViolations(member.page, 'the board of someone removed');
  await expectNothingKept(member.page, member.context, workshop, true);
  await expectOfflineVisitShowsNothing(member, workshop, ['Appointments clash with work']);
});

test('“Remove my name and my cards” leaves nothing on the device either, not even the name', async ({ workshop }) => {
  const { member } = workshop;
  await writeCard(member, 'Evening appointments');
  await member.page.evaluate(() => localStorage.setItem('roundtable.name', 'Marcus'));
  await expectKept(member.page, workshop);

  member.page.once('dialog', (dialog) => void dialog.accept());
  await member.page.getByRole('button', { name: 'Remove my name and my cards' }).click();
  await expect(member.page.getByRole('alert')).toContainText('Your name and your cards have been removed.');
  await expectNoAccessibilityViolations(member.page, 'the board after removing my name');
  await expectNothingKept(member.page, member.context, workshop);
  expect((await deviceContents(member.page)).storage).not.toContain('roundtable.name');
  await expectOfflineVisitShowsNothing(member, workshop, ['Evening appointments']);
});

test('when the workshop is deleted, no device in it keeps anything', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  await writeCard(member, 'Who checks the checkers?');
  await expectKept(member.page, workshop);
  await expectKept(facilitator.page, workshop);

  const end = await facilitator.board.openControls('End or delete the workshop');
  facilitator.page.once('dialog', (dialog) => void dialog.accept());
  await end.getByRole('button', { name: 'Delete the workshop now' }).click();
  for (const who of [member, facilitator]) {
    await expect(who.page.getByRole('alert')).toContainText('The facilitator has deleted this workshop and everything in it.');
    await expectNothingKept(who.page, who.context, workshop);
  }
  await expectNoAccessibilityViolations(member.page, 'the board of a deleted workshop');
  for (const who of [member, facilitator]) await expectOfflineVisitShowsNothing(who, workshop, ['Who checks the checkers?']);
});

test('when the workshop ends, the board stays readable online and devices stop keeping it', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  await writeCard(member, 'More evening sessions');
  await facilitator.board.expectLane('Questions', ['More evening sessions']);
  await expectKept(member.page, workshop);

  const end = await facilitator.board.openControls('End or delete the workshop');
  facilitator.page.once('dialog', (dialog) => void dialog.accept());
  await end.getByRole('button', { name: 'End the workshop' }).click();
  await expect(member.page.getByText('This workshop has ended.')).toBeVisible();
  const kept = async (page: Page) => {
    const c = await deviceContents(page);
    return [...allCached(c).filter((p) => p.includes(workshop.id)), ...c.databases.filter((d) => d.includes(workshop.boards[0].id))];
  };
  await expect.poll(() => kept(member.page), { message: 'what the device keeps after the end' }).toEqual([]);
  await expect.poll(() => kept(facilitator.page), { message: 'what the device keeps after the end' }).toEqual([]);
  await member.board.expectLane('Questions', ['More evening sessions']);
  await expectNoAccessibilityViolations(member.page, 'the board of an ended workshop');

  // A reload online shows the board from the server and still keeps nothing.
  await member.page.reload();
  await member.board.expectLive(LIVE_BADGE.ended);
  await member.board.expectLane('Questions', ['More evening sessions']);
  await expect(member.page.getByText('This workshop has ended.')).toBeVisible();
  await member.page.waitForTimeout(500);
  expect(await kept(member.page)).toEqual([]);
  await expectOfflineVisitShowsNothing(member, workshop, ['More evening sessions']);
});

test('cookies cleared on a shared computer: offline, the kept board is refused and deleted by the service worker', async ({ workshop }) => {
  const { member } = workshop;
  await writeCard(member, 'Who reads our letters?');
  await expectKept(member.page, workshop);
  await member.context.clearCookies();
  await expectOfflineVisitShowsNothing(member, workshop, ['Who reads our letters?']);
  // The worker deleted the page and the board's copy; the next page online clears the rest.
  const c = await deviceContents(member.page);
  expect(allCached(c).filter((p) => p.includes(workshop.id))).toEqual([]);
  await expect.poll(async () => (await deviceContents(member.page)).databases.filter((d) => d.includes(workshop.boards[0].id))).toEqual([]);
  await member.page.goto('/');
  await expectNothingKept(member.page, member.context, workshop);
});

test('where the service worker cannot read cookies, a kept board page checks them itself before showing anything', async ({
  browser,
  workshop
}) => {
  // No service worker here: the page is served from a copy by the test, as a worker without
  // `cookieStore` would serve it.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    await joinWithLink(context, workshop.links.member, 'Nadia');
    const page = await context.newPage();
    const board = new BoardPage(page);
    await board.open(workshop.id);
    await board.addCard('Questions');
    await page.keyboard.type('Kept in this browser');
    await expect.poll(async () => (await deviceContents(page)).databases).toContain(`roundtable-board-${workshop.boards[0].id}`);
    const copy = await context.request.get(`/w/${workshop.id}`);
    const html = await copy.text();
    expect(html).toContain(workshop.question);
    const headers = copy.headers();

    await context.clearCookies();
    await page.route(`**/w/${workshop.id}`, (route) => route.fulfill({ status: 200, headers, body: html }));
    await page.goto(`/w/${workshop.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Join this workshop first');
    await expect(page.getByText(workshop.question)).toHaveCount(0);
    await expect(page.getByText('Kept in this browser')).toHaveCount(0);
    await expectNoAccessibilityViolations(page, 'a kept board page opened after the cookies were cleared');
    await expect
      .poll(async () => {
        const c = await deviceContents(page);
        return [...c.databases.filter((d) => d.includes(workshop.boards[0].id)), ...c.storage.filter((k) => k.includes(workshop.id))];
      })
      .toEqual([]);
  } finally {
    await context.close();
  }
});

test('an invite link never reaches another site in a Referer header', async ({ browser, workshop }) => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const referers: Record<string, string | undefined> = {};
    await page.route('http://elsewhere.test/**', async (route) => {
      referers.elsewhere = (await route.request().headerValue('referer')) ?? undefined;
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Elsewhere</title><p>Elsewhere</p>' });
    });
    await page.route('**/privacy', async (route) => {
      referers.here = (await route.request().headerValue('referer')) ?? undefined;
      await route.continue();
    });
    const token = tokenOf(workshop.links.facilitator);
    /** Follows a link from the invite page as a person would (a full page load). */
    const follow = async (href: string) => {
      await page.goto(`/j/${token}`);
      await page.evaluate((to) => {
        const a = document.createElement('a');
        a.href = to;
        a.textContent = 'Follow this link';
        a.setAttribute('data-sveltekit-reload', '');
        // Outside the app's root, so hydration finishing late cannot take it away again.
        document.body.append(a);
      }, href);
      await page.getByRole('link', { name: 'Follow this link' }).click();
    };
    // Within the site the Referer is sent (it reaches only this server, which logs no URLs).
    await follow('/privacy');
    await expect(page).toHaveURL(/\/privacy$/);
    expect(referers.here).toContain(`/j/${token}`);
    await expectNoAccessibilityViolations(page, 'the privacy page (what a device keeps)');
    // To another site, nothing.
    await follow('http://elsewhere.test/page');
    await expect(page).toHaveURL('http://elsewhere.test/page');
    expect(referers.elsewhere).toBeUndefined();
  } finally {
    await context.close();
  }
});
