// Issue 4: a dropped connection is a non-event. A member goes offline (context.setOffline), keeps
// working, reloads the page without a signal (the service worker serves the page, IndexedDB the
// board, localStorage the private drafts), and their edits merge with another member's edits made
// meanwhile once they are back online.
import type { Page } from '@playwright/test';
import * as Y from 'yjs';
import { test, expect, expectPageKeptForOffline, type Participant } from './fixtures';

/** The card texts in this browser's IndexedDB copy of a board (what y-indexeddb stored). */
async function cardsOnDevice(page: Page, boardId: string): Promise<string[]> {
  const updates = await page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB did not answer'));
    });
    try {
      if (!db.objectStoreNames.contains('updates')) return [];
      const all = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction('updates', 'readonly').objectStore('updates').getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('IndexedDB did not answer'));
      });
      return all.map((u) => Array.from(u as Uint8Array));
    } finally {
      db.close();
    }
  }, `roundtable-board-${boardId}`);
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, Uint8Array.from(update));
  const texts: string[] = [];
  doc.getMap('cards').forEach((card) => {
    const text = card instanceof Y.Map ? card.get('text') : null;
    if (text instanceof Y.Text) texts.push(text.toString());
  });
  return texts.sort();
}

async function goOffline({ context, board }: Participant): Promise<void> {
  await context.setOffline(true);
  await expect(board.connection()).toHaveAttribute('data-connection', 'offline');
}

test('a member who goes offline keeps editing, even across a reload, and their edits merge with another member’s', async ({ workshop }) => {
  const { facilitator, member: marcus } = workshop;
  const nadia = await workshop.join('member', 'Nadia');
  const boardId = workshop.boards[0].id;
  await expectPageKeptForOffline(marcus);

  // A card both will change.
  const letters = await marcus.board.addCard('Questions');
  await marcus.page.keyboard.type('Who reads our letters?');
  await nadia.board.expectLane('Questions', ['Who reads our letters?']);

  // Marcus loses the signal; the badge says so in plain words.
  await goOffline(marcus);
  await expect(marcus.board.connection()).toHaveText('Offline: you can keep working, changes will send when you are back online');

  // He adds a card and edits the shared one; the badge counts the changed cards.
  await marcus.board.addCard('Problems');
  await marcus.page.keyboard.type('Appointments clash with work');
  await marcus.board.text(letters).press('ControlOrMeta+End');
  await marcus.page.keyboard.type(' And when?');
  await expect(marcus.board.connection()).toHaveText(/^Offline: changes to 2 cards are kept on this device/);

  // Meanwhile Nadia, online, edits the same card and adds her own.
  await nadia.board.text(letters).press('ControlOrMeta+Home');
  await nadia.page.keyboard.type('Honestly: ');
  await nadia.board.addCard('Solutions');
  await nadia.page.keyboard.type('Evening appointments');
  await facilitator.board.expectLane('Questions', ['Honestly: Who reads our letters?']);
  await facilitator.board.expectLane('Solutions', ['Evening appointments']);
  // Neither side has the other's changes yet.
  await marcus.board.expectLane('Questions', ['Who reads our letters? And when?']);
  await marcus.board.expectLane('Solutions', []);
  await nadia.board.expectLane('Problems', []);

  // Back online on the same page: the badge returns to live and both sides' edits merge everywhere.
  await marcus.context.setOffline(false);
  await marcus.board.expectLive();
  for (const { board } of [marcus, nadia, facilitator]) {
    await board.expectLane('Questions', ['Honestly: Who reads our letters? And when?']);
    await board.expectLane('Problems', ['Appointments clash with work']);
    await board.expectLane('Solutions', ['Evening appointments']);
  }

  // Offline again, he edits and at once reloads the page without a signal: nothing he typed is lost.
  await goOffline(marcus);
  await nadia.board.text(letters).press('ControlOrMeta+End');
  await nadia.page.keyboard.type(' Who checks?');
  const problem = await marcus.board.cardIdWith('Problems', 'Appointments clash with work');
  await marcus.board.text(problem).press('ControlOrMeta+End');
  await marcus.page.keyboard.type(' after 5pm');
  await marcus.page.reload();
  await expect(marcus.board.connection()).toHaveAttribute('data-connection', 'offline');
  await marcus.board.expectLane('Problems', ['Appointments clash with work after 5pm']);
  await marcus.board.expectLane('Questions', ['Honestly: Who reads our letters? And when?']);
  // It is all in this device's copy of the board (IndexedDB).
  await expect
    .poll(() => cardsOnDevice(marcus.page, boardId), { message: 'the board kept in IndexedDB' })
    .toEqual(['Appointments clash with work after 5pm', 'Evening appointments', 'Honestly: Who reads our letters? And when?']);
  // Still offline after the reload, the board takes more edits.
  await marcus.board.text(problem).press('ControlOrMeta+End');
  await marcus.page.keyboard.type(' on weekdays');
  await nadia.board.expectLane('Problems', ['Appointments clash with work']);

  // Back online: his copy and the server's merge, on every screen.
  await marcus.context.setOffline(false);
  await marcus.board.expectLive();
  for (const { board } of [marcus, nadia, facilitator]) {
    await board.expectLane('Questions', ['Honestly: Who reads our letters? And when? Who checks?']);
    await board.expectLane('Problems', ['Appointments clash with work after 5pm on weekdays']);
    await board.expectLane('Solutions', ['Evening appointments']);
  }
});

test('a private card written offline during silent writing survives a reload and joins the board at the reveal', async ({ workshop }) => {
  const { facilitator, member } = workshop;
  await expectPageKeptForOffline(member);
  await facilitator.board.controls().getByRole('button', { name: 'Silent writing', exact: true }).click();
  await member.board.expectStep('Silent writing', 3);

  // Offline, the member writes a private card: it stays on this device.
  await goOffline(member);
  await member.board.lane('Questions').getByRole('button', { name: 'Add a question (private for now)' }).click();
  await expect(member.board.draft('Questions', 1)).toBeFocused();
  await member.page.keyboard.type('Can I bring someone with me?');
  await expect(member.board.lane('Questions').getByText('Kept on this device')).toBeVisible();

  // A reload without a signal keeps it.
  await member.page.reload();
  await expect(member.board.connection()).toHaveAttribute('data-connection', 'offline');
  await expect(member.board.draft('Questions', 1)).toHaveValue('Can I bring someone with me?');
  await expect(member.board.lane('Questions').getByText('Kept on this device')).toBeVisible();

  // Back online it is sent, and stays private.
  await member.context.setOffline(false);
  await member.board.expectLive();
  await expect(member.board.lane('Questions').getByText('Kept safe')).toBeVisible();
  await facilitator.board.expectLane('Questions', []);

  // The facilitator shows everyone's private cards: it is on the board for both.
  const board = await facilitator.board.openControls('Board');
  await board.getByRole('button', { name: "Show everyone's private cards" }).click();
  await facilitator.board.expectLane('Questions', ['Can I bring someone with me?']);
  await member.board.expectLane('Questions', ['Can I bring someone with me?']);
  await expect(member.board.draft('Questions', 1)).toHaveCount(0);
});
