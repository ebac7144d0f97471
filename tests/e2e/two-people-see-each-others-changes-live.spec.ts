import { test, expect, BoardPage, createWorkshop } from './fixtures';

test('a member who joins with the invite link sees the facilitator’s changes live, and the other way round, and a reload keeps them', async ({
  page,
  browser,
  request
}) => {
  const workshop = await createWorkshop(request);
  // The facilitator, in the default context, joins through their own link.
  await page.goto(workshop.links.facilitator);
  await page.getByLabel('What name should we show?').fill('Fatima');
  await page.getByRole('button', { name: 'Join the workshop' }).click();
  await expect(page).toHaveURL(`/w/${workshop.id}`);
  const facilitator = new BoardPage(page);
  await facilitator.expectLive();

  // The member, in a separate browser context, joins through the member link.
  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await memberPage.goto(workshop.links.member);
  await expect(memberPage.getByText('You will join as:')).toContainText('Member');
  await memberPage.getByLabel('What name should we show?').fill('Marcus');
  await memberPage.getByRole('button', { name: 'Join the workshop' }).click();
  await expect(memberPage).toHaveURL(`/w/${workshop.id}`);
  const member = new BoardPage(memberPage);
  await member.expectLive();

  // Presence shows both names on both screens.
  for (const [board, me, other] of [
    [facilitator, 'Fatima', 'Marcus'],
    [member, 'Marcus', 'Fatima']
  ] as const) {
    await expect(board.presence()).toContainText('2 people here:');
    await expect(board.presence().getByRole('listitem')).toHaveCount(2);
    await expect(board.presence()).toContainText(`${me} (you)`);
    await expect(board.presence()).toContainText(other);
  }

  // Facilitator -> member.
  const question = await facilitator.addCard('Questions');
  await page.keyboard.type('Who decides where people live?');
  await expect(member.text(question)).toHaveValue('Who decides where people live?');

  // Member -> facilitator, in another lane.
  const problem = await member.addCard('Problems');
  await memberPage.keyboard.type('Forms are too long');
  await expect(facilitator.text(problem)).toHaveValue('Forms are too long');

  // Both edit the same card; each sees the other's words.
  await member.text(question).press('End');
  await memberPage.keyboard.type(' And who checks?');
  await expect(facilitator.text(question)).toHaveValue('Who decides where people live? And who checks?');
  await facilitator.text(problem).fill('Forms are too long and confusing');
  await expect(member.text(problem)).toHaveValue('Forms are too long and confusing');
  await expect(member.lane('Questions').getByRole('heading', { level: 2 })).toHaveText('Questions (1)');
  await expect(facilitator.lane('Problems').getByRole('heading', { level: 2 })).toHaveText('Problems (1)');

  // A reload keeps everything, on both sides.
  await memberPage.reload();
  await member.expectLive();
  await member.expectLane('Questions', ['Who decides where people live? And who checks?']);
  await member.expectLane('Problems', ['Forms are too long and confusing']);
  await page.reload();
  await facilitator.expectLive();
  await facilitator.expectLane('Questions', ['Who decides where people live? And who checks?']);
  await facilitator.expectLane('Problems', ['Forms are too long and confusing']);
  await expect(facilitator.presence()).toContainText('2 people here:');

  await memberContext.close();
});
