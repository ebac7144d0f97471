import { test, expect } from './fixtures';

test('a card moves down and up, moves to another lane chosen in the select, and Undo brings back a deleted card', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  const board = facilitator.board;
  const ids: string[] = [];
  for (const text of ['One', 'Two', 'Three']) {
    ids.push(await board.addCard('Questions'));
    await facilitator.page.keyboard.type(text);
  }
  await board.expectLane('Questions', ['One', 'Two', 'Three']);
  const [one] = ids;

  await board
    .card(one)
    .getByRole('button', { name: /^Down\b/ })
    .click();
  await board.expectLane('Questions', ['Two', 'One', 'Three']);
  await expect(board.text(one)).toBeFocused();
  await member.board.expectLane('Questions', ['Two', 'One', 'Three']);

  await board
    .card(one)
    .getByRole('button', { name: /^Down\b/ })
    .click();
  await board.expectLane('Questions', ['Two', 'Three', 'One']);
  await expect(board.card(one).getByRole('button', { name: /^Down\b/ })).toBeDisabled();

  await board.card(one).getByRole('button', { name: /^Up\b/ }).click();
  await board.card(one).getByRole('button', { name: /^Up\b/ }).click();
  await board.expectLane('Questions', ['One', 'Two', 'Three']);
  await expect(board.card(one).getByRole('button', { name: /^Up\b/ })).toBeDisabled();

  // Choosing a lane does not move the card yet; the Move button does.
  await board
    .card(one)
    .getByRole('combobox', { name: /to another list/ })
    .selectOption({ label: 'Solutions' });
  await board.expectLane('Questions', ['One', 'Two', 'Three']);
  await board
    .card(one)
    .getByRole('button', { name: /^Move\b/ })
    .click();
  await board.expectLane('Questions', ['Two', 'Three']);
  await board.expectLane('Solutions', ['One']);
  await expect(board.text(one)).toBeFocused();
  await member.board.expectLane('Solutions', ['One']);

  await board
    .card(one)
    .getByRole('button', { name: /^Delete\b/ })
    .click();
  await board.expectLane('Solutions', []);
  // The focus does not get lost: with no card left, it goes to the lane's add button.
  await expect(board.addButton('Solutions')).toBeFocused();
  await member.board.expectLane('Solutions', []);
  await expect(board.lane('Solutions')).toContainText('No cards yet.');

  await board.undoButton().click();
  await board.expectLane('Solutions', ['One']);
  await member.board.expectLane('Solutions', ['One']);
  await board.expectLane('Questions', ['Two', 'Three']);
});

test('deleting a card puts the focus on the next card, or the one before it', async ({ workshop }) => {
  const { facilitator } = workshop;
  const board = facilitator.board;
  const ids: string[] = [];
  for (const text of ['A', 'B', 'C']) {
    ids.push(await board.addCard('Problems'));
    await facilitator.page.keyboard.type(text);
  }
  await board
    .card(ids[1])
    .getByRole('button', { name: /^Delete\b/ })
    .click();
  await board.expectLane('Problems', ['A', 'C']);
  await expect(board.text(ids[2])).toBeFocused();
  await board
    .card(ids[2])
    .getByRole('button', { name: /^Delete\b/ })
    .click();
  await board.expectLane('Problems', ['A']);
  await expect(board.text(ids[0])).toBeFocused();
});
