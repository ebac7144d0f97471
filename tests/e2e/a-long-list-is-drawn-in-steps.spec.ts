// Issue 10 (a 500-card board interactive within 1 s): long lists are drawn in steps, the first
// screenful at once and the rest in short tasks after it (src/lib/client/steps.svelte.ts). What
// people rely on must hold while that happens and after: every card ends up on the page, each
// says its place in the whole list, a card the facilitator is showing everyone far down the list
// is there and marked (it is drawn with the first step), and a card's menu moves it.
import { test, expect, BoardPage, createWorkshop, joinWithLink, chooseWithKeys } from './fixtures';
import { connectSession, join, seedCards } from '../helpers/clients';

const CARDS = 150;

test('a 150-card list ends up whole and in order, each card says its place in the whole list, the spotlit card is marked, and moves work', async ({
  page,
  context,
  request,
  baseURL
}) => {
  const workshop = await createWorkshop(request);
  const boardId = workshop.boards[0].id;
  const facilitator = await join(baseURL!, workshop.links.facilitator, 'Fran');
  await seedCards(
    baseURL!,
    boardId,
    facilitator.sessionToken,
    Array.from({ length: CARDS }, (_, i) => ({ id: `long${i}`, lane: 'problems' as const, text: `Barrier number ${i + 1}` }))
  );
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
