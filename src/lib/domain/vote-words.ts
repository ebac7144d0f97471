// What a vote says on the page, pure: the plain words for a person's votes and the turnout while
// a vote is open, and the results once it closes turned into what the page draws (bars per role
// group, common ground, where views differ). No totals exist while a vote is open, so nothing
// here can show one; after the close it only rearranges what the server chose to show.
import { GROUP_LABEL, type ResultRow, type TurnoutRow, type Unit, type VoteLimits, type VoteResults, type VoteSubject } from './votes';

export const votesWord = (n: number): string => (n === 1 ? '1 vote' : `${n} votes`);

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** What the things voted on are called. */
export function itemNoun(on: Pick<VoteSubject, 'kind'>): { one: string; many: string } {
  return on.kind === 'themes' ? { one: 'theme', many: 'themes' } : { one: 'card', many: 'cards' };
}

/** The facilitator's choice of limits, as everyone reads it (the same budget for every group). */
export function explainLimits(limits: VoteLimits, on: Pick<VoteSubject, 'kind'>): string {
  const { votesPerPerson: each, maxPerItem: most } = limits;
  const noun = itemNoun(on).one;
  const spread =
    each === 1
      ? ''
      : most === each
        ? ` You can put all ${each} on one ${noun}, or share them out.`
        : most === 1
          ? ` You can put only 1 vote on each ${noun}.`
          : ` You can put up to ${most} on one ${noun}.`;
  return `Everyone has ${votesWord(each)}. Decision makers and facilitators have the same number as members.${spread}`;
}

/** "You have 1 vote left" (short: it rides in the bar at the bottom of a phone). */
export function remainingWords(remaining: number): string {
  return remaining > 0 ? `You have ${votesWord(remaining)} left` : 'You have no votes left';
}

/** Said once a person's votes are all used: how to move one. */
export function movingWords(votesPerPerson: number): string {
  return votesPerPerson === 1 ? 'To move your vote, take it back first.' : 'To move a vote, take one back first.';
}

/** A person's own votes on one item ("2 of your votes"); empty when they have none there. */
export function mineWords(count: number): string {
  return count <= 0 ? '' : `${count} of your votes`;
}

/**
 * Turnout by role group in plain words, a phrase per group. A group of fewer than 3 people is
 * not counted out loud (as in the results), so a lone decision maker is not put on the spot; a
 * group with nobody in it is left out.
 */
export function turnoutParts(rows: readonly TurnoutRow[]): string[] {
  const out: string[] = [];
  for (const { role, voted, eligible } of rows) {
    const many = GROUP_LABEL[role].many;
    if (eligible === 0) continue;
    if (eligible < 3) out.push(`${capital(many)}: fewer than 3, so not counted here`);
    else if (voted === 0) out.push(`None of the ${eligible} ${many} has voted yet`);
    else if (voted === eligible) out.push(`All ${eligible} ${many} have voted`);
    else out.push(`${voted} of ${eligible} ${many} ${voted === 1 ? 'has' : 'have'} voted`);
  }
  return out;
}

/** Turnout in a few words, for the bar at the bottom of a phone: the groups of 3 or more only. */
export function turnoutShort(rows: readonly TurnoutRow[]): string {
  const parts = rows.filter((r) => r.eligible >= 3).map((r) => `${r.voted} of ${r.eligible} ${GROUP_LABEL[r.role].many}`);
  return parts.length ? `Voted so far: ${parts.join(' · ')}` : '';
}

// ---------------------------------------------------------------------------------------------
// Results.

export const GONE_LABEL = '(no longer on the board)';

/** An item's words in the results. */
export function itemLabel(row: Pick<ResultRow, 'label'>): string {
  return row.label ?? GONE_LABEL;
}

/** A unit's name in a sentence ("members", "decision makers and facilitators"). */
export function unitName(unit: Pick<Unit, 'roles'>): string {
  return unit.roles.map((r) => GROUP_LABEL[r].many).join(' and ');
}

/** A column of the results: a group shown on its own, or the groups counted together. */
export interface ResultColumn {
  key: Unit['unit'];
  /** "Members", "Decision makers and facilitators". */
  title: string;
  voters: number;
  /** Every vote the column's people cast, on all items (what a bar's share is of). */
  votes: number;
}

const cellOf = (row: ResultRow, key: Unit['unit']): number => (key === 'together' ? row.together : row.byGroup[key]) ?? 0;

/** The columns the results may show, in order: each group on its own that voted, then the rest together. */
export function resultColumns(results: VoteResults): ResultColumn[] {
  if (results.voters === null) return [];
  const units: Unit[] = results.groups
    .filter((g) => g.shown === 'own' && g.voters > 0)
    .map((g) => ({ unit: g.role, roles: [g.role], voters: g.voters }));
  if (results.together) units.push(results.together);
  return units.map((u) => ({
    key: u.unit,
    title: capital(unitName(u)),
    voters: u.voters,
    votes: results.rows.reduce((n, row) => n + cellOf(row, u.unit), 0)
  }));
}

export interface ChartBar {
  key: Unit['unit'];
  title: string;
  votes: number;
  /** This item's votes as a share of all the column's votes, rounded ("33%"). */
  percent: string;
  /** The bar's length, 0 to 100: the share, scaled so the largest share on the chart fills the width. */
  width: number;
}

export interface ChartRow {
  itemId: string;
  label: string;
  gone: boolean;
  total: number;
  bars: ChartBar[];
}

export const percent = (share: number): string => `${Math.round(share * 100)}%`;

/**
 * The chart: one row per item (most votes first), a bar per column. Bars show each group's share
 * of its own votes, so a group of 3 decision makers and a group of 20 members weigh the same;
 * the votes themselves are written beside each bar. Null when too few voted for any totals.
 */
export function chartRows(results: VoteResults): ChartRow[] | null {
  if (results.voters === null) return null;
  const columns = resultColumns(results);
  const share = (row: ResultRow, c: ResultColumn) => (c.votes > 0 ? cellOf(row, c.key) / c.votes : 0);
  let widest = 0;
  for (const row of results.rows) for (const c of columns) widest = Math.max(widest, share(row, c));
  return results.rows.map((row) => ({
    itemId: row.itemId,
    label: itemLabel(row),
    gone: row.label === null,
    total: row.total ?? 0,
    bars: columns.map((c) => ({
      key: c.key,
      title: c.title,
      votes: cellOf(row, c.key),
      percent: percent(share(row, c)),
      width: widest > 0 ? Math.round((share(row, c) / widest) * 1000) / 10 : 0
    }))
  }));
}

/** Who voted, in plain words: each group, and why a group is not shown on its own. */
export function groupNotes(results: VoteResults): string[] {
  if (results.voters === null) {
    return ['Fewer than 3 people voted, so no totals are shown. This keeps everyone’s votes private.'];
  }
  const notes: string[] = [];
  const together = results.together;
  for (const g of results.groups) {
    const many = GROUP_LABEL[g.role].many;
    if (g.eligible === 0 && g.voters === 0) continue;
    if (g.shown === 'own') {
      notes.push(g.voters === 0 ? `${capital(many)}: nobody voted.` : `${capital(many)}: ${g.voters} of ${g.eligible} voted.`);
      continue;
    }
    const why =
      g.shown === 'fewer-than-3'
        ? 'fewer than 3 people voted, so their votes are not shown on their own'
        : 'not shown on their own, so that the votes of a smaller group cannot be worked out';
    const where = together
      ? `Their votes are counted together with ${unitName({ roles: together.roles.filter((r) => r !== g.role) })} (the column “${capital(unitName(together))}”) and in the totals.`
      : 'Their votes count in the totals only.';
    notes.push(`${capital(many)}: ${why}. ${where}`);
  }
  return notes;
}

export interface CommonGroundLine {
  itemId: string;
  label: string;
  gone: boolean;
  /** The share of the group that backs it least ("67%"). */
  percent: string;
  /** Who backs it in each column: "members 5 of 7, decision makers 3 of 4". */
  support: string;
}

/**
 * Common ground: items that every column backs (at least one person in each voted for it), best
 * first; null when fewer than two columns can be shown.
 */
export function commonGroundLines(results: VoteResults): CommonGroundLine[] | null {
  if (!results.commonGround) return null;
  const names = new Map(resultColumns(results).map((c) => [c.key, c.title.toLowerCase()]));
  const labels = new Map(results.rows.map((r) => [r.itemId, r.label]));
  return results.commonGround
    .filter((row) => row.score > 0)
    .map((row) => {
      const label = labels.get(row.itemId) ?? null;
      return {
        itemId: row.itemId,
        label: itemLabel({ label }),
        gone: label === null,
        percent: percent(row.score),
        support: row.support.map((s) => `${names.get(s.unit) ?? s.unit} ${s.backers} of ${s.voters}`).join(', ')
      };
    });
}

/** 1st, 2nd, 3rd, 4th… 11th, 12th, 13th… 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** An item's place among a column's totals: "2nd", or "joint 2nd" when others have as many votes. */
export function placeWords(values: readonly number[], value: number): string {
  const above = values.filter((v) => v > value).length;
  const same = values.filter((v) => v === value).length;
  return `${same > 1 ? 'joint ' : ''}${ordinal(above + 1)}`;
}

export interface DifferLine {
  itemId: string;
  label: string;
  gone: boolean;
  /** "Members put it higher". */
  higher: string;
  /** "1st for members, joint 4th for decision makers". */
  places: string;
}

/** Where views differ: the items members and decision makers (or the columns they are in) ranked most differently. */
export function differLines(results: VoteResults, max = 5): { between: [string, string]; lines: DifferLine[] } | null {
  const differ = results.differ;
  if (!differ) return null;
  const [a, b] = differ.between;
  const names: [string, string] = [unitName(a), unitName(b)];
  const valuesA = results.rows.map((r) => cellOf(r, a.unit));
  const valuesB = results.rows.map((r) => cellOf(r, b.unit));
  const byId = new Map(results.rows.map((r) => [r.itemId, r]));
  const lines = differ.rows.slice(0, max).map((d) => {
    const row = byId.get(d.itemId);
    const label = row?.label ?? null;
    const placeA = row ? placeWords(valuesA, cellOf(row, a.unit)) : '';
    const placeB = row ? placeWords(valuesB, cellOf(row, b.unit)) : '';
    return {
      itemId: d.itemId,
      label: itemLabel({ label }),
      gone: label === null,
      higher: `${capital(d.difference > 0 ? names[0] : names[1])} put it higher`,
      places: `${placeA} for ${names[0]}, ${placeB} for ${names[1]}`
    };
  });
  return { between: names, lines };
}

/** Why "where views differ" cannot be shown, in plain words. */
export function differMissing(results: VoteResults): string {
  if (results.voters === null) return 'Fewer than 3 people voted.';
  const member = results.groups.find((g) => g.role === 'member');
  const dm = results.groups.find((g) => g.role === 'decisionMaker');
  if (!member?.voters || !dm?.voters) return 'It needs votes from both members and decision makers.';
  return 'Members and decision makers cannot be shown apart, because one of the groups is too small to show on its own.';
}
