// Issue 12, item 4: reading aids for everyone, remembered per device. Chosen from the header of
// any page by keyboard, applied at once and before the first paint of the next page, kept after a
// reload, on other pages and in other tabs, gone with "Leave and clear this device". With the
// largest text and wider spacing the pages hold on a 360 px phone (no sideways scroll, no text
// clipped or on top of other text, 44 px targets), and pass axe with larger text and high contrast.
// Read aloud says plainly when the device has no voice (headless Chromium has none); with a
// scripted stand-in for the browser's speech engine, it reads sentence by sentence and shows each.
import {
  test,
  expect,
  BoardPage,
  createWorkshop,
  expectNoAccessibilityViolations,
  joinWithLink,
  tabTo,
  SCREENS,
  type CreatedWorkshop
} from './fixtures';
import type { BrowserContext, Page } from '@playwright/test';
import { READING_AIDS_KEY } from '../../src/lib/protocol/device';

const LARGEST_WITH_SPACE = JSON.stringify({ text: 'largest', contrast: false, lessMotion: false, spacing: true });
const LARGER_HIGH_CONTRAST = JSON.stringify({ text: 'larger', contrast: true, lessMotion: false, spacing: false });
const LARGEST_EVERYTHING = JSON.stringify({ text: 'largest', contrast: true, lessMotion: false, spacing: true });
const NO_VOICE = /Read aloud cannot work on this device: it has no voice for English\./;

/** This device has chosen `aids` (as the panel stores them) before any page of the test opens. */
async function chosen(context: BrowserContext, aids: string): Promise<void> {
  await context.addInitScript(([key, value]) => localStorage.setItem(key, value), [READING_AIDS_KEY, aids] as const);
}

const htmlAttributes = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      ['data-text-size', 'data-contrast', 'data-motion', 'data-spacing'].map((n) => [n, document.documentElement.getAttribute(n)])
    )
  );

/**
 * What is wrong with the page's layout as it is now, in plain lines: wider than the screen, text
 * cut off by its box, text drawn over other text, or a control smaller than 44 by 44 px. Text in
 * fixed or sticky bars is left out of the overlap check (the page scrolls under them by design),
 * and so are links inside a sentence (WCAG 2.5.8's inline exception).
 */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${[...el.classList].join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const wider = document.documentElement.scrollWidth - window.innerWidth;
    if (wider > 0) problems.push(`the page is ${wider} px wider than the screen`);
    const shown = (el: Element) => el.checkVisibility() && !el.closest('.visually-hidden, .skip-link, .skip-links');
    const pinned = (el: Element | null): boolean => {
      for (let e = el; e; e = e.parentElement) if (['fixed', 'sticky'].includes(getComputedStyle(e).position)) return true;
      return false;
    };

    // Text boxes, line by line.
    const lines: { rect: DOMRect; node: Node; el: Element }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || !node.nodeValue?.trim() || !shown(el) || pinned(el)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) if (rect.width > 1 && rect.height > 1) lines.push({ rect, node, el });
    }
    for (let i = 0; i < lines.length; i++) {
      for (let j = i + 1; j < lines.length; j++) {
        const a = lines[i].rect;
        const b = lines[j].rect;
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        // Line boxes of neighbouring lines may touch by a pixel or two; words on top of words overlap by far more.
        if (lines[i].node !== lines[j].node && x > 4 && y > 6)
          problems.push(`text overlaps: ${name(lines[i].el)} and ${name(lines[j].el)}`);
      }
    }

    // Boxes that cut off what is in them (fields scroll their own words, so they are left out).
    for (const el of document.body.querySelectorAll('*')) {
      if (!shown(el) || el.matches('textarea, input, select, img, svg, svg *')) continue;
      const style = getComputedStyle(el);
      const clipsX = ['hidden', 'clip'].includes(style.overflowX);
      const clipsY = ['hidden', 'clip'].includes(style.overflowY);
      if ((clipsX && el.scrollWidth > el.clientWidth + 1) || (clipsY && el.scrollHeight > el.clientHeight + 1))
        problems.push(`text cut off in ${name(el)}`);
    }

    // A field too narrow for its words (a card's words one to a line): under five letters' widths.
    for (const field of document.body.querySelectorAll('textarea, input[type="text"]')) {
      if (!shown(field)) continue;
      const width = field.getBoundingClientRect().width;
      const size = parseFloat(getComputedStyle(field).fontSize);
      if (width < 5 * size) problems.push(`field too narrow for its words: ${name(field)} (${Math.round(width)} px for ${size} px text)`);
    }

    // Targets of 44 by 44 px.
    const targets = document.body.querySelectorAll(
      'button, a.button, [role="tab"], [role="menuitem"], input:not([type="checkbox"]):not([type="radio"]), textarea, select, summary'
    );
    for (const el of targets) {
      if (!shown(el) || pinned(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width < 43.5 || r.height < 43.5)
        problems.push(`target smaller than 44 px: ${name(el)} (${Math.round(r.width)} x ${Math.round(r.height)})`);
    }
    for (const box of document.body.querySelectorAll('input[type="checkbox"], input[type="radio"]')) {
      // A checkbox's target is its label (the whole row).
      const label = box.closest('label');
      if (!shown(box) || !label) continue;
      const r = label.getBoundingClientRect();
      if (r.height < 43.5) problems.push(`target smaller than 44 px: ${name(label)} (${Math.round(r.width)} x ${Math.round(r.height)})`);
    }
    return problems;
  });
}

async function expectLayoutHolds(page: Page, what: string): Promise<void> {
  await expect.poll(() => layoutProblems(page), { message: `the layout of ${what} (${page.url()})` }).toEqual([]);
}

test.describe('the reading aids', () => {
  test('are chosen from the header by keyboard, work at once, and are kept after a reload, on other pages and in other tabs', async ({
    page,
    context
  }) => {
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Join a workshop' })).toBeVisible();
    expect(await htmlAttributes(page)).toEqual({
      'data-text-size': null,
      'data-contrast': null,
      'data-motion': null,
      'data-spacing': null
    });

    const button = page.getByRole('button', { name: 'Reading aids', exact: true });
    await tabTo(page, button);
    await expect(button).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: 'Reading aids' });
    await expect(panel).toBeVisible();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    await expect(panel.getByRole('heading', { name: 'Reading aids' })).toBeFocused();
    await expect(panel).toContainText('Now: Standard: no reading aids on');
    await expectNoAccessibilityViolations(page, 'the Reading aids panel');

    // Text size: the radio buttons, with the arrow keys.
    await tabTo(page, panel.getByRole('radio', { name: 'Standard', exact: true }));
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(panel.getByRole('radio', { name: 'Larger', exact: true })).toBeChecked();
    await tabTo(page, panel.getByRole('checkbox', { name: 'High contrast' }));
    await page.keyboard.press('Space');
    await tabTo(page, panel.getByRole('checkbox', { name: 'More space' }));
    await page.keyboard.press('Space');
    await expect(panel).toContainText('Now: Text size Larger, high contrast, more space');
    expect(await htmlAttributes(page)).toEqual({
      'data-text-size': 'larger',
      'data-contrast': 'high',
      'data-motion': null,
      'data-spacing': 'wide'
    });
    // Applied: the words are half as large again (18 px on the standard page), black on white.
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('27px');
    expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(0, 0, 0)');
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('main p')!).letterSpacing)).toBe('3.24px'); // 0.12 × 27 px
    await expectNoAccessibilityViolations(page, 'the Reading aids panel, with larger text, high contrast and more space');

    // Escape closes the panel and the focus goes back to its button.
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(button).toBeFocused();
    await expect(button).toHaveAttribute('aria-expanded', 'false');

    // Kept after a reload, and there before the first frame is drawn (no flash of the standard page).
    await page.addInitScript(() => {
      requestAnimationFrame(() => {
        (window as unknown as { firstFrame: unknown }).firstFrame = {
          size: document.documentElement.getAttribute('data-text-size'),
          fontSize: getComputedStyle(document.documentElement).fontSize
        };
      });
    });
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Join a workshop' })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { firstFrame: unknown }).firstFrame)).toEqual({
      size: 'larger',
      fontSize: '27px'
    });

    // On another page too, and the panel there shows the choices.
    await page.goto('/join');
    expect(await htmlAttributes(page)).toEqual({
      'data-text-size': 'larger',
      'data-contrast': 'high',
      'data-motion': null,
      'data-spacing': 'wide'
    });
    expect(await page.evaluate(() => (window as unknown as { firstFrame: unknown }).firstFrame)).toEqual({
      size: 'larger',
      fontSize: '27px'
    });
    await page.getByRole('button', { name: 'Reading aids', exact: true }).click();
    await expect(panel.getByRole('radio', { name: 'Larger', exact: true })).toBeChecked();
    await expect(panel.getByRole('checkbox', { name: 'High contrast' })).toBeChecked();
    await expect(panel.getByRole('checkbox', { name: 'More space' })).toBeChecked();
    await expect(panel.getByRole('checkbox', { name: 'Less movement' })).not.toBeChecked();

    // Another tab of this device follows a change at once.
    const other = await context.newPage();
    await other.goto('/privacy');
    expect((await htmlAttributes(other))['data-text-size']).toBe('larger');
    await panel.getByRole('radio', { name: 'Largest', exact: true }).check();
    await expect.poll(async () => (await htmlAttributes(other))['data-text-size']).toBe('largest');

    // Back to standard: nothing on <html>, and nothing kept on the device.
    await panel.getByRole('button', { name: 'Back to standard' }).click();
    expect(await htmlAttributes(page)).toEqual({
      'data-text-size': null,
      'data-contrast': null,
      'data-motion': null,
      'data-spacing': null
    });
    expect(await page.evaluate((key) => localStorage.getItem(key), READING_AIDS_KEY)).toBeNull();
    await expect.poll(async () => (await htmlAttributes(other))['data-text-size']).toBeNull();
    await expect(panel.getByRole('button', { name: 'Back to standard' })).toBeDisabled();
    expect(cspErrors).toEqual([]);
  });

  test('less movement is chosen, or follows the device when it asks for it', async ({ page }) => {
    await page.goto('/');
    const duration = () => page.evaluate(() => getComputedStyle(document.querySelector('main')!).transitionDuration);
    expect(await duration()).toBe('0s');
    await page.getByRole('button', { name: 'Reading aids', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Reading aids' });
    await panel.getByRole('checkbox', { name: 'Less movement' }).check();
    expect((await htmlAttributes(page))['data-motion']).toBe('less');
    expect(await duration()).toBe('1e-05s');
    await panel.getByRole('checkbox', { name: 'Less movement' }).uncheck();
    expect(await duration()).toBe('0s');

    // The device asks for less movement (prefers-reduced-motion): on without a choice, and said so.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await duration()).toBe('1e-05s');
    await expect(panel).toContainText('Less movement is on: your device asks for it');
    await expect(panel.getByRole('checkbox', { name: 'Less movement' })).toHaveCount(0);
    await expectNoAccessibilityViolations(page, 'the Reading aids panel when the device asks for less movement');
  });

  test.describe('on a 360 px phone with the largest text and more space', () => {
    test.use(SCREENS['on a 360 px phone']);

    let workshop: CreatedWorkshop;
    test.beforeEach(async ({ request, context }) => {
      workshop = await createWorkshop(request, {
        question: 'How do we make probation work for people who have been through it? What should change first, and who decides?'
      });
      await chosen(context, LARGEST_WITH_SPACE);
    });

    test('the start, join, invite link and invite pages hold: no sideways scroll, nothing cut off or on top, 44 px targets', async ({
      page,
      context
    }) => {
      for (const [what, path] of [
        ['the start page', '/'],
        ['the join page', '/join'],
        ['the invite link page', new URL(workshop.links.member).pathname]
      ]) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
        expect((await htmlAttributes(page))['data-text-size']).toBe('largest');
        await expectLayoutHolds(page, what);
      }
      // With errors showing, and with the Reading aids panel open.
      await page.getByRole('button', { name: 'Join the workshop' }).click();
      await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
      await expectLayoutHolds(page, 'the invite link page with an error');
      await page.getByRole('button', { name: 'Reading aids', exact: true }).click();
      await expect(page.getByRole('region', { name: 'Reading aids' })).toBeVisible();
      await expectLayoutHolds(page, 'the Reading aids panel');

      await joinWithLink(context, workshop.links.facilitator, 'Fatima');
      await page.goto(`/w/${workshop.id}/invite?new=1`);
      await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
      await expectLayoutHolds(page, 'the invite page');
    });

    test('the board with cards holds, for a member and for the facilitator', async ({ browser, context, page }) => {
      await joinWithLink(context, workshop.links.member, 'Marcus');
      const board = new BoardPage(page);
      await board.open(workshop.id);
      const first = await board.addCard('Problems', { tap: true });
      await page.keyboard.type('Appointment letters arrive after the appointment, so people miss them and get a warning.');
      await board.addCard('Problems', { tap: true });
      await page.keyboard.type('Nobody explains the licence conditions in plain words');
      await page.locator('main').click({ position: { x: 5, y: 5 } });
      await expectLayoutHolds(page, "the member's board");
      await board.cardMenuButton(first).tap();
      await expect(page.getByRole('menu')).toBeVisible();
      await expectLayoutHolds(page, "a card's options menu");

      const fatima = await browser.newContext(SCREENS['on a 360 px phone']);
      try {
        await chosen(fatima, LARGEST_WITH_SPACE);
        await joinWithLink(fatima, workshop.links.facilitator, 'Fatima');
        const facilitator = new BoardPage(await fatima.newPage());
        await facilitator.open(workshop.id);
        await facilitator.laneTab('Problems').tap();
        await expect(facilitator.cards('Problems')).toHaveCount(2);
        await expectLayoutHolds(facilitator.page, "the facilitator's board");
        await facilitator.showControls();
        await expectLayoutHolds(facilitator.page, "the facilitator's controls");
      } finally {
        await fatima.close();
      }
    });
  });

  test.describe('pass axe with larger text and high contrast', () => {
    for (const [screen, aids] of [
      ['on a 360 px phone', LARGEST_EVERYTHING],
      ['on a desktop', LARGER_HIGH_CONTRAST]
    ] as const) {
      test(`${screen}: the start, join, invite link, invite and board pages`, async ({ browser, request }) => {
        // Five pages and a board, each checked by axe: more than one page's worth of time.
        test.setTimeout(60_000);
        const workshop = await createWorkshop(request);
        const context = await browser.newContext(SCREENS[screen]);
        try {
          await chosen(context, aids);
          const page = await context.newPage();
          for (const [what, path] of [
            ['the start page', '/'],
            ['the join page', '/join'],
            ['the invite link page', new URL(workshop.links.member).pathname]
          ]) {
            await page.goto(path);
            await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
            expect((await htmlAttributes(page))['data-contrast']).toBe('high');
            await expectNoAccessibilityViolations(page, what);
          }
          await joinWithLink(context, workshop.links.facilitator, 'Fatima');
          await page.goto(`/w/${workshop.id}/invite?new=1`);
          await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
          await expectNoAccessibilityViolations(page, 'the invite page');

          const board = new BoardPage(page);
          await board.open(workshop.id);
          await board.addCard('Questions');
          await page.keyboard.type('Who decides? When do we hear back?');
          await board.addCard('Solutions');
          await page.keyboard.type('Letters in plain words');
          await expectNoAccessibilityViolations(page, 'the board with cards');
          await page.getByRole('button', { name: 'Reading aids', exact: true }).click();
          await expect(page.getByRole('region', { name: 'Reading aids' })).toBeVisible();
          await expectNoAccessibilityViolations(page, 'the board with the Reading aids panel open');
        } finally {
          await context.close();
        }
      });
    }
  });

  test('with the largest text a desktop shows the board as a zoomed browser would: lists as tabs, controls as a sheet', async ({
    workshop
  }) => {
    const { facilitator } = workshop;
    await expect(facilitator.board.laneTab('Questions')).toHaveCount(0);
    await expect(facilitator.board.controls()).toBeVisible();
    await facilitator.page.getByRole('button', { name: 'Reading aids', exact: true }).click();
    await facilitator.page.getByRole('radio', { name: 'Largest', exact: true }).check();
    await expect(facilitator.board.laneTab('Questions')).toBeVisible();
    await expect(facilitator.board.controlsButton()).toBeVisible();
    await expectLayoutHolds(facilitator.page, 'the board on a desktop with the largest text');
  });
});

test.describe('read aloud', () => {
  test('says plainly when this device has no voice, from every Read aloud button, by keyboard', async ({ workshop }) => {
    test.setTimeout(60_000); // two people on a board, then four ways to read
    const { member } = workshop;
    const page = member.page;
    await member.board.addCard('Problems');
    await page.keyboard.type('Letters come late. Nobody explains them.');
    const status = page.locator('.read-aloud-bar [role="status"]');

    // The question.
    const question = page.getByRole('button', { name: 'Read aloud the question' });
    await tabTo(page, question, { backwards: true });
    await page.keyboard.press('Enter');
    await expect(status).toHaveText(NO_VOICE, { timeout: 5000 });
    await expectNoAccessibilityViolations(page, 'the board saying there is no voice');
    const close = page.locator('.read-aloud-bar').getByRole('button', { name: 'Close' });
    await tabTo(page, close, { backwards: true });
    await page.keyboard.press('Enter');
    await expect(status).toHaveText('');
    await expect(close).toHaveCount(0);

    // A list of cards, and one card from its options menu (the focus goes back to its button).
    await member.board.lane('Problems').getByRole('button', { name: 'Read aloud the problems' }).click();
    await expect(status).toHaveText(NO_VOICE);
    const id = await member.board.cardIdWith('Problems', 'Letters come late. Nobody explains them.');
    await member.board.cardMenuButton(id).focus();
    await page.keyboard.press('Escape'); // closes the message, as Close does
    await expect(status).toHaveText('');
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    await expect(menu).toBeVisible();
    for (
      let i = 0;
      i < 10 && !(await menu.getByRole('menuitem', { name: 'Read aloud' }).evaluate((el) => el === document.activeElement));
      i++
    )
      await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(menu).toBeHidden();
    await expect(status).toHaveText(NO_VOICE);
    await expect(member.board.cardMenuButton(id)).toBeFocused();

    // The whole page, from the Reading aids panel.
    await page.getByRole('button', { name: 'Reading aids', exact: true }).click();
    await page.getByRole('button', { name: 'Read this page aloud' }).click();
    await expect(status).toHaveText(NO_VOICE);
  });

  test('with a voice, reads sentence by sentence, shows the sentence being read, and stops', async ({ browser, request }) => {
    // A stand-in for the browser's speech engine (headless Chromium has no voices): one English
    // voice; it keeps what it is asked to say, and says each "ended" only when the test does.
    const workshop = await createWorkshop(request, { question: 'Who decides what happens? How do we hear back?' });
    const context = await browser.newContext();
    try {
      await context.addInitScript(() => {
        const spoken: { text: string; onend?: () => void }[] = [];
        let cancelled = 0;
        const voice = { lang: 'en-GB', name: 'Test voice', default: true, localService: true, voiceURI: 'test' };
        Object.defineProperty(window, 'SpeechSynthesisUtterance', {
          configurable: true,
          value: class {
            text: string;
            constructor(text: string) {
              this.text = text;
            }
          }
        });
        Object.defineProperty(window, 'speechSynthesis', {
          configurable: true,
          value: {
            getVoices: () => [voice],
            speak: (u: { text: string }) => spoken.push(u),
            cancel: () => cancelled++,
            addEventListener: () => undefined,
            removeEventListener: () => undefined
          }
        });
        Object.assign(window, {
          speech: { spoken: () => spoken.map((u) => u.text), cancelled: () => cancelled, end: () => spoken.at(-1)?.onend?.() }
        });
      });
      await joinWithLink(context, workshop.links.member, 'Marcus');
      const board = new BoardPage(await context.newPage());
      await board.open(workshop.id);
      const page = board.page;
      const speech = {
        spoken: () => page.evaluate(() => (window as any).speech.spoken() as string[]),
        end: () => page.evaluate(() => (window as any).speech.end()),
        cancelled: () => page.evaluate(() => (window as any).speech.cancelled() as number)
      };
      const bar = page.getByRole('region', { name: 'Read aloud' });
      const button = page.locator('[data-read-aloud-source="question"]');

      await button.click();
      await expect(bar).toContainText('Reading aloud: part 1 of 2');
      await expect(bar.locator('[data-read-aloud-part]')).toHaveText('Who decides what happens?');
      await expect(button).toHaveAccessibleName('Stop reading the question');
      expect(await speech.spoken()).toEqual(['Who decides what happens?']);
      await expectNoAccessibilityViolations(page, 'the board while reading aloud');

      await speech.end();
      await expect(bar).toContainText('Reading aloud: part 2 of 2');
      await expect(bar.locator('[data-read-aloud-part]')).toHaveText('How do we hear back?');
      expect(await speech.spoken()).toEqual(['Who decides what happens?', 'How do we hear back?']);
      await speech.end();
      await expect(bar).toBeHidden();
      await expect(button).toHaveAccessibleName('Read aloud the question');

      // Cards are said with their place; Stop (the same button) stops at once.
      await board.addCard('Problems');
      await page.keyboard.type('Letters come late.');
      await board.addCard('Problems');
      await page.keyboard.type('Nobody explains them.');
      const list = board.lane('Problems').locator('[data-read-aloud-source="lane-problems"]');
      await list.click();
      await expect(bar.locator('[data-read-aloud-part]')).toHaveText('Problem 1 of 2: Letters come late.');
      expect((await speech.spoken()).at(-1)).toBe('Problem 1 of 2. Letters come late.');
      const before = await speech.cancelled();
      await list.focus();
      await expect(list).toHaveAccessibleName('Stop reading the problems');
      await page.keyboard.press('Enter');
      await expect(bar).toBeHidden();
      expect(await speech.cancelled()).toBeGreaterThan(before);
      await speech.end(); // a late "ended" from the engine reads nothing more
      expect((await speech.spoken()).at(-1)).toBe('Problem 1 of 2. Letters come late.');

      // Escape stops it too.
      await list.click();
      await expect(bar).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(bar).toBeHidden();
    } finally {
      await context.close();
    }
  });
});

test('Leave and clear this device takes the reading aids off it; Leave for now keeps them', async ({ workshop }) => {
  const { member } = workshop;
  const page = member.page;
  await page.getByRole('button', { name: 'Reading aids', exact: true }).click();
  await page.getByRole('radio', { name: 'Larger', exact: true }).check();
  await page.getByRole('button', { name: 'Close reading aids' }).click();
  await page.getByRole('button', { name: 'Leave', exact: true }).click();
  await expect(page.locator('#leave-panel')).toContainText('your reading aids (text size, contrast, movement and spacing)');
  await page.getByRole('button', { name: 'Leave and clear this device' }).click();
  await page.waitForURL('**/left');
  expect((await htmlAttributes(page))['data-text-size']).toBeNull();
  expect(await page.evaluate((key) => localStorage.getItem(key), READING_AIDS_KEY)).toBeNull();

  const { facilitator } = workshop;
  await facilitator.page.getByRole('button', { name: 'Reading aids', exact: true }).click();
  await facilitator.page.getByRole('radio', { name: 'Larger', exact: true }).check();
  await facilitator.page.getByRole('button', { name: 'Leave', exact: true }).click();
  await facilitator.page.getByRole('link', { name: 'Leave for now' }).click();
  await facilitator.page.waitForURL('**/left?for-now=*');
  expect((await htmlAttributes(facilitator.page))['data-text-size']).toBe('larger');
});
