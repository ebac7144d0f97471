// Issue 10 (a 500-card board interactive within 1 s): long lists are drawn in steps, the first
// screenful at once and the rest in short tasks after it (src/lib/client/steps.svelte.ts). What
// people rely on must hold while that happens and after: every card ends up on the page, each
// says its place in the whole list, a card the facilitator is showing everyone far down the list
// is there and marked (it is drawn with the first step), and a card's menu moves it.
import { test, expect, BoardPage, createWorkshop, joinWithLink, chooseWithKeys, expectPageKeptForOffline } from './fixtures';
import { connectSession, join, seedCards } from '../helpers/clients';

const CARDS = 150;

/** The board's Problems list: CARDS cards, "Barrier number 1" to "Barrier number 150", ids long0 to long149. */
function seedLongList(baseURL: string, boardId: string, token: string): Promise<unknown> {
  return seedCards(
    baseURL,
    boardId,
    token,
    Array.from({ length: CARDS }, (_, i) => ({ id: `long${i}`, lane: 'problems' as const, text: `Barrier number ${i + 1}` }))
  );
}

test('a 150-card list ends up whole and in order, each card says its place in the whole list, the spotlit card is marked, and moves work', async ({
  page,
  context,
  request,
  baseURL
}) => {
  const workshop = await createWorkshop(request);
  const boardId = workshop.boards[0].id;
  const facilitator = await join(baseURL!, workshop.links.facilitator, 'Fran');
  await seedLongList(baseURL!, boardId, facilitator.sessionToken);
  // The facilitator shows everyone a card far down the list, past the first steps.
  const session = await connectSession(baseURL!, workshop.id, facilitator.sessionToken);
  const shown = await session.run({ type: 'spotlight.set', target: { kind: 'card', boardId, cardId: 'long139' } });
  expect(shown.ok).toBe(true);
  session.close();

  await joinWithLink(context, workshop.links.member, 'Marcus');
  const board = new BoardPage(page);
  await board.open(workshop.id);
  // The first card and the spotlit one, each with its place in the whole list.
  await expect(board.page.getByLabel('Problem 1 of 150', { exact: true })).toHaveValue('Barrier number 1');
  await expect(board.page.getByLabel('Problem 140 of 150', { exact: true })).toHaveValue('Barrier number 140');
  await expect(board.card('long139')).toContainText('The facilitator is showing everyone this card');
  // In the end, every card, in order.
  await expect(board.cards('Problems')).toHaveCount(CARDS);
  await expect(board.page.getByLabel('Problem 150 of 150', { exact: true })).toHaveValue('Barrier number 150');
  const texts = await board
    .cards('Problems')
    .locator('textarea')
    .evaluateAll((els) => els.map((el) => (el as HTMLTextAreaElement).value));
  expect(texts).toEqual(Array.from({ length: CARDS }, (_, i) => `Barrier number ${i + 1}`));

  // A card's menu moves it, by keyboard, once the list is whole.
  await board.cardMenuButton('long149').focus();
  await chooseWithKeys(page, 'Move up');
  await expect(board.cards('Problems').nth(148)).toHaveAttribute('data-card-id', 'long149');
  await expect(board.cards('Problems').nth(149)).toHaveAttribute('data-card-id', 'long148');
  await expect(board.cards('Problems')).toHaveCount(CARDS);
});

// The service worker, installing, fetches and stores every file of the app: registered at the
// page's "load" (SvelteKit's default), it did that while the board was arriving and being drawn,
// and a 500-card board took a quarter longer to draw on a first visit. It is registered once the
// board is in and the page is idle (src/lib/client/offline-worker.ts), and the board page is
// still kept for offline use.
test('on a first visit the offline copy is made once the board is drawn, not while it is', async ({ page, context, request, baseURL }) => {
  const workshop = await createWorkshop(request);
  const facilitator = await join(baseURL!, workshop.links.facilitator, 'Fran');
  await seedLongList(baseURL!, workshop.boards[0].id, facilitator.sessionToken);
  // Each registration, with how many cards were on the page when it was asked for.
  await context.addInitScript(() => {
    const calls: number[] = [];
    (window as unknown as { __registrations: number[] }).__registrations = calls;
    const proto = ServiceWorkerContainer.prototype;
    const register = proto.register.bind(navigator.serviceWorker);
    proto.register = (...args: Parameters<typeof register>) => {
      calls.push(document.querySelectorAll('[data-card-id]').length);
      return register(...args);
    };
  });
  await joinWithLink(context, workshop.links.member, 'Marcus');
  const board = new BoardPage(page);
  await board.open(workshop.id);
  await expect(board.cards('Problems')).toHaveCount(CARDS);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __registrations: number[] }).__registrations), {
      message: 'the service worker registered'
    })
    .toEqual([CARDS]);
  await expectPageKeptForOffline(board);
});
