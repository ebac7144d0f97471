// Playwright fixtures in the words of the domain: a workshop, its facilitator and a member, each in
// their own browser (context), looking at the same board. Plus `expectNoAccessibilityViolations`,
// which runs axe for WCAG 2.2 A and AA and prints what it found in plain lines.
import { test as base, expect, type APIRequestContext, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { DEFAULT_PHASES } from '../../src/lib/domain/facilitation';

export { expect };

export type LaneName = 'Questions' | 'Problems' | 'Solutions';

const ADD_LABEL: Record<LaneName, string> = {
  Questions: 'Add a question',
  Problems: 'Add a problem',
  Solutions: 'Add a solution'
};

/** A workshop as POST /api/workshops returns it. */
export interface CreatedWorkshop {
  id: string;
  title: string;
  question: string;
  code: string;
  boards: { id: string; title: string }[];
  links: { facilitator: string; member: string; decisionMaker: string; observer: string; present: string };
}

/** The two screens issue 11 is checked on: a small phone, and a desktop with the board's side column. */
export const SCREENS = {
  'on a 360 px phone': { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  'on a desktop': { viewport: { width: 1280, height: 800 } }
} as const;

/** What the connection badge says while connected, for each way of being on the board. */
export const LIVE_BADGE = {
  editing: 'Live: changes are saved',
  watching: 'Live: you are watching',
  ended: 'Workshop ended: you can read the board'
} as const;

/** Someone in the workshop: their own browser context, a page and the board on it. */
export interface Participant {
  name: string;
  context: BrowserContext;
  page: Page;
  board: BoardPage;
}

/** The invite links a workshop has, by role (as in `links` of POST /api/workshops). */
export type InviteRole = Exclude<keyof CreatedWorkshop['links'], 'present'>;

export interface Workshop extends CreatedWorkshop {
  facilitator: Participant;
  member: Participant;
  /** Someone else joins with the `role` link, in their own context, and opens the board. */
  join(role: InviteRole, name: string): Promise<Participant>;
}

let counter = 0;
/** A title that is unique in this run, so failures point at one workshop. */
export function uniqueTitle(prefix = 'Probation forum'): string {
  counter += 1;
  return `${prefix} ${Date.now().toString(36)}-${counter}`;
}

/** The part of an invite link after /j/. */
export function tokenOf(link: string): string {
  return new URL(link).pathname.replace(/^\/j\//, '');
}

/** Creates a workshop through the API (fast setup for tests about something else). */
export async function createWorkshop(
  request: APIRequestContext,
  input: { title?: string; question?: string } = {}
): Promise<CreatedWorkshop> {
  const response = await request.post('/api/workshops', {
    data: { title: input.title ?? uniqueTitle(), question: input.question ?? 'How do we make probation work for people?' }
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as CreatedWorkshop;
}

/** Joins with an invite link through the API; the session cookie lands in `context`. */
export async function joinWithLink(context: BrowserContext, link: string, name: string): Promise<void> {
  const response = await context.request.post('/api/join', { data: { token: tokenOf(link), name } });
  expect(response.ok(), await response.text()).toBe(true);
}

/**
 * Someone joins with `link` in `context` (made by the caller: a screen size, a process) and opens
 * the board; `badge` is what its connection badge says once live.
 */
export async function enterBoard(
  context: BrowserContext,
  workshopId: string,
  link: string,
  name: string,
  badge?: string
): Promise<Participant> {
  await joinWithLink(context, link, name);
  const page = await context.newPage();
  const board = new BoardPage(page);
  await board.open(workshopId, badge);
  return { name, context, page, board };
}

/** Writes a new card in `lane` (typed, then Tab away from it); resolves to its id. */
export async function writeInLane(p: Participant, lane: LaneName, text: string): Promise<string> {
  const id = await p.board.addCard(lane);
  await p.page.keyboard.type(text);
  await p.page.keyboard.press('Tab');
  return id;
}

/** The board page: its lanes, cards, presence list and connection badge. */
export class BoardPage {
  constructor(readonly page: Page) {}

  async open(workshopId: string, badge: string = LIVE_BADGE.editing): Promise<void> {
    await this.page.goto(`/w/${workshopId}`);
    await this.expectLive(badge);
  }

  connection(): Locator {
    return this.page.locator('[data-connection]');
  }

  async expectLive(badge: string = LIVE_BADGE.editing): Promise<void> {
    await expect(this.connection()).toHaveAttribute('data-connection', 'live');
    await expect(this.connection()).toHaveText(badge);
    await expect(this.lane('Questions')).toBeVisible();
  }

  lane(name: LaneName): Locator {
    return this.page.getByRole('region', { name: new RegExp(`^${name}\\b`) });
  }

  /** On a phone, the tab of a list ("Problems (2)"): only the chosen list is on screen. */
  laneTab(name: LaneName): Locator {
    return this.page.getByRole('tab', { name: new RegExp(`^${name} \\(\\d+\\)$`) });
  }

  addButton(name: LaneName): Locator {
    return this.lane(name).getByRole('button', { name: ADD_LABEL[name] });
  }

  cards(lane: LaneName): Locator {
    return this.lane(lane).locator('li.card');
  }

  card(id: string): Locator {
    return this.page.locator(`li.card[data-card-id="${id}"]`);
  }

  text(id: string): Locator {
    return this.page.locator(`#card-${id}`);
  }

  /** A card's options button: one menu with everything that can be done to the card. */
  cardMenuButton(id: string): Locator {
    return this.card(id).getByRole('button', { name: /^Options for / });
  }

  /** Opens a card's menu and returns it. */
  async openCardMenu(id: string): Promise<Locator> {
    await this.cardMenuButton(id).click();
    const menu = this.page.getByRole('menu');
    await expect(menu).toBeVisible();
    return menu;
  }

  /** Chooses an action from a card's menu ("Move up", "Move to Solutions", "Delete"...). */
  async cardAction(id: string, action: string): Promise<void> {
    const menu = await this.openCardMenu(id);
    await menu.getByRole('menuitem', { name: action, exact: true }).click();
    await expect(menu).toBeHidden();
  }

  /** The page's dialog (hiding a card, naming a theme), once open. */
  dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  /** Clicks "Add a …" in a lane (its tab first, on a phone) and returns the new card's id (its textarea gets the focus). */
  async addCard(lane: LaneName, options: { tap?: boolean } = {}): Promise<string> {
    // On a phone the lists are tabs: the lane's tab first, as a person would.
    const tab = this.laneTab(lane);
    if ((await tab.count()) > 0 && (await tab.getAttribute('aria-selected')) !== 'true') {
      if (options.tap) await tab.tap();
      else await tab.click();
    }
    const button = this.addButton(lane);
    if (options.tap) await button.tap();
    else await button.click();
    return this.focusedCardId();
  }

  /** The id of the card whose textarea has the focus. */
  async focusedCardId(): Promise<string> {
    const focused = this.page.locator('li.card textarea:focus');
    await expect(focused).toHaveCount(1);
    const id = await focused.evaluate((el) => el.closest('li.card')?.getAttribute('data-card-id') ?? '');
    expect(id).not.toBe('');
    return id;
  }

  /** The texts of a lane's cards, top to bottom. */
  async expectLane(lane: LaneName, texts: string[]): Promise<void> {
    const textareas = this.cards(lane).locator('textarea');
    await expect
      .poll(() => textareas.evaluateAll((els) => els.map((el) => (el as HTMLTextAreaElement).value)), {
        message: `cards in ${lane}`
      })
      .toEqual(texts);
  }

  presence(): Locator {
    return this.page.getByRole('region', { name: 'Who is here' });
  }

  undoButton(): Locator {
    return this.page.getByRole('button', { name: 'Undo', exact: true });
  }

  /** The step bar: "Step N of M", the step's title (h2), its help and the clock. */
  phaseBar(): Locator {
    return this.page.locator('section[aria-labelledby="phase-title"]');
  }

  /** The ticking clock ("m:ss") in the step bar. */
  clock(): Locator {
    return this.phaseBar().locator('.clock');
  }

  async expectStep(title: string, n: number, of = DEFAULT_PHASES.length): Promise<void> {
    await expect(this.phaseBar().getByRole('heading', { level: 2 })).toHaveText(title);
    await expect(this.phaseBar()).toContainText(`Step ${n} of ${of}`);
  }

  /** Raise or lower a hand, who is speaking, and the queue. */
  speaking(): Locator {
    return this.page.getByRole('region', { name: 'Speaking' });
  }

  /** The names waiting to speak, in order. */
  queue(): Locator {
    return this.speaking().getByRole('list').getByRole('listitem');
  }

  /** A private card written during silent writing: "Your private problem 1" and so on. */
  draft(lane: LaneName, n: number): Locator {
    return this.lane(lane).getByRole('textbox', { name: `Your private ${lane.toLowerCase().replace(/s$/, '')} ${n}`, exact: true });
  }

  /** The facilitator's panel: beside the board on a wide screen, a sheet (a dialog) on a narrow one. */
  controls(): Locator {
    return this.page
      .getByRole('region', { name: 'Facilitator controls' })
      .or(this.page.getByRole('dialog', { name: 'Facilitator controls' }));
  }

  /** The button that opens the facilitator's sheet on a narrow screen. */
  controlsButton(): Locator {
    return this.page.getByRole('button', { name: 'Facilitator controls', exact: true });
  }

  /** The facilitator's panel, with its sheet opened first where there is one. */
  async showControls(): Promise<Locator> {
    const sheet = this.page.getByRole('dialog', { name: 'Facilitator controls' });
    if (!(await sheet.isVisible()) && (await this.controlsButton().isVisible())) await this.controlsButton().click();
    await expect(this.controls()).toBeVisible();
    return this.controls();
  }

  /** One of the facilitator's sections ("Steps and timer", "Board", "Speaking queue (2)"...), opened. */
  async openControls(summary: string | RegExp): Promise<Locator> {
    await this.showControls();
    const section = this.controls()
      .locator('details')
      .filter({ has: this.page.locator('summary', { hasText: summary }) });
    await expect(section).toHaveCount(1);
    if (!(await section.evaluate((el) => (el as HTMLDetailsElement).open))) await section.locator('summary').click();
    await expect(section).toHaveJSProperty('open', true);
    return section;
  }

  /** The id of the card in `lane` whose words are exactly `text` (waits for it to be there). */
  async cardIdWith(lane: LaneName, text: string): Promise<string> {
    const find = () =>
      this.cards(lane).evaluateAll(
        (els, t) => els.find((el) => el.querySelector('textarea')?.value === t)?.getAttribute('data-card-id') ?? '',
        text
      );
    await expect.poll(find, { message: `a card reading "${text}" in ${lane}` }).not.toBe('');
    return find();
  }
}

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails if it never does. */
export async function tabTo(page: Page, target: Locator, options: { backwards?: boolean; max?: number } = {}): Promise<void> {
  const key = options.backwards ? 'Shift+Tab' : 'Tab';
  for (let i = 0; i < (options.max ?? 80); i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(key);
  }
  await expect(target, `reached with ${key}`).toBeFocused({ timeout: 1 });
}

/**
 * With the focus on a menu button: opens the menu with Enter and walks it with the arrow keys to
 * `item`, then chooses it with Enter, as a keyboard user would.
 */
export async function chooseWithKeys(page: Page, item: string): Promise<void> {
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu');
  await expect(menu).toBeVisible();
  const target = menu.getByRole('menuitem', { name: item, exact: true });
  for (let i = 0; i < 20; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) break;
    await page.keyboard.press('ArrowDown');
  }
  await expect(target).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu).toBeHidden();
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe on the page as it is now and fails with a readable list if it finds any violation. */
/** Waits until the service worker has kept a copy of the board page, so it can load offline. */
export async function expectPageKeptForOffline({ page }: { page: Page }): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          await navigator.serviceWorker.ready;
          return !!(await (await caches.open('roundtable-pages')).match(location.pathname));
        }),
      { message: 'the board page kept for offline use' }
    )
    .toBe(true);
}

export async function expectNoAccessibilityViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const found = results.violations.map((v) =>
    [
      `${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}`,
      `  ${v.helpUrl}`,
      ...v.nodes.map((n) => `  - ${n.target.join(' ')}\n    ${(n.failureSummary ?? '').replace(/\n/g, '\n    ')}`)
    ].join('\n')
  );
  expect(found, `axe found WCAG 2.2 A/AA violations on ${what} (${page.url()}):\n\n${found.join('\n\n')}\n`).toEqual([]);
}

type Fixtures = {
  /** A fresh workshop with its facilitator and one member, each on the board in their own context. */
  workshop: Workshop;
};

export const test = base.extend<Fixtures>({
  workshop: async ({ browser, request }, use) => {
    const created = await createWorkshop(request);
    const contexts: BrowserContext[] = [];
    const enter = async (link: string, name: string, badge?: string): Promise<Participant> => {
      const context = await browser.newContext();
      contexts.push(context);
      return enterBoard(context, created.id, link, name, badge);
    };
    const facilitator = await enter(created.links.facilitator, 'Fatima');
    const member = await enter(created.links.member, 'Marcus');
    await use({
      ...created,
      facilitator,
      member,
      join: (role, name) => enter(created.links[role], name, role === 'observer' ? LIVE_BADGE.watching : undefined)
    });
    for (const context of contexts) await context.close();
  }
});
