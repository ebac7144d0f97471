// "You said, we did", the pure parts: the status model (what a change needs, corrections, links),
// where a recommendation stands, counts, what is new since a person's last look, when retention
// deletes a workshop, and the report the page and the exports are made from.
import { describe, expect, it } from 'vitest';
import {
  OUTCOME_RULES,
  STATUSES,
  STATUS_INFO,
  VISIT_GRACE_MS,
  checkAddressedTo,
  checkChange,
  checkRecommendationText,
  checkRoom,
  countStatuses,
  isAnswerer,
  isNewSince,
  isStatus,
  nextVisit,
  standing,
  type LinkTarget,
  type Recommendation,
  type Status,
  type TimelineChange,
  type TimelineEntry
} from '../../src/lib/domain/outcomes';
import { isDue, retentionOf, retentionWords } from '../../src/lib/domain/retention';
import { buildOutcomes } from '../../src/lib/domain/outcomes-report';

const rec = (id = 'r1', extra: Partial<Recommendation> = {}): Recommendation => ({
  id,
  workshopId: 'w1',
  number: 1,
  text: 'Pay peer support workers',
  addressedTo: 'Head of Probation, North East',
  source: null,
  createdAt: 100,
  createdBy: 'facilitator',
  ...extra
});

/** A timeline from changes, one entry a minute, as the server appends them. */
function timeline(changes: TimelineChange[], recommendationId = 'r1'): TimelineEntry[] {
  return changes.map((change, i) => ({ recommendationId, seq: i + 1, at: 1000 + i * 60_000, by: 'decisionMaker', change }));
}
const status = (s: Status, explanation = 'Because', corrects: number | null = null): TimelineChange => ({
  kind: 'status',
  status: s,
  explanation,
  corrects
});

describe('the status model', () => {
  it('has six statuses, each in plain words, in the order an idea usually travels', () => {
    expect(STATUSES).toEqual(['heard', 'underConsideration', 'piloting', 'evaluating', 'embedded', 'notTakenForward']);
    for (const s of STATUSES) {
      expect(STATUS_INFO[s].label).toMatch(/^[A-Z][a-z ]+$/);
      expect(STATUS_INFO[s].means.length).toBeGreaterThan(10);
      expect(STATUS_INFO[s].easy.split(/[.!?]\s/).length).toBeLessThanOrEqual(2);
    }
    expect(isStatus('piloting')).toBe(true);
    expect(isStatus('done')).toBe(false);
    expect(isStatus(undefined)).toBe(false);
  });

  it('lets only facilitators and decision makers answer', () => {
    expect(['facilitator', 'decisionMaker', 'member', 'observer'].filter(isAnswerer)).toEqual(['facilitator', 'decisionMaker']);
  });

  it('takes a status with a plain explanation, cleaned', () => {
    const got = checkChange({ kind: 'status', status: 'piloting', explanation: '  Six months   in two  prisons. ' }, rec(), []);
    expect(got).toEqual({
      ok: true,
      value: { kind: 'status', status: 'piloting', explanation: 'Six months in two prisons.', corrects: null }
    });
  });

  it('reads a change with no kind as a status change', () => {
    expect(checkChange({ status: 'heard', explanation: 'We have read it' }, rec(), []).ok).toBe(true);
  });

  it('refuses an unknown status, naming the ones it takes', () => {
    const got = checkChange({ kind: 'status', status: 'done', explanation: 'x' }, rec(), []);
    expect(got).toEqual({
      ok: false,
      field: 'status',
      message: 'Choose what is happening now: heard, under consideration, piloting, evaluating, embedded, not taken forward'
    });
  });

  it('refuses every change without an explanation, and asks for the reason when it is not taken forward', () => {
    for (const explanation of [undefined, '', '   ', 42]) {
      const got = checkChange({ kind: 'status', status: 'evaluating', explanation }, rec(), []);
      expect(got).toMatchObject({
        ok: false,
        field: 'explanation',
        message: 'Explain the change in plain words: what is happening and why'
      });
    }
    expect(checkChange({ kind: 'status', status: 'notTakenForward', explanation: ' ' }, rec(), [])).toMatchObject({
      ok: false,
      field: 'explanation',
      message: 'Say why it was not taken forward, in plain words'
    });
    expect(checkChange({ kind: 'addressed', addressedTo: 'Regional Director', explanation: '' }, rec(), [])).toMatchObject({
      ok: false,
      field: 'explanation'
    });
  });

  it('refuses oversized words, saying the limit and how many there are', () => {
    const long = 'a'.repeat(OUTCOME_RULES.explanation + 1);
    expect(checkChange({ kind: 'status', status: 'heard', explanation: long }, rec(), [])).toEqual({
      ok: false,
      field: 'explanation',
      message: 'The explanation must be 1,000 characters or fewer. Yours has 1,001'
    });
    expect(checkChange({ kind: 'status', status: 'heard', explanation: 'a'.repeat(OUTCOME_RULES.explanation) }, rec(), []).ok).toBe(true);
    expect(checkAddressedTo('x'.repeat(121))).toMatchObject({ ok: false, field: 'addressedTo' });
    expect(checkRecommendationText('x'.repeat(501))).toMatchObject({ ok: false, field: 'text' });
    expect(checkRecommendationText('  Pay   peer workers \n\n\n\n properly ')).toEqual({
      ok: true,
      value: 'Pay peer workers \n\n properly'
    });
    expect(checkAddressedTo('')).toMatchObject({ ok: false, message: expect.stringContaining('Head of Probation, North East') });
  });

  it('refuses a change of a kind it does not know', () => {
    expect(checkChange({ kind: 'delete', explanation: 'x' }, rec(), [])).toMatchObject({ ok: false, field: 'kind' });
  });

  it('refuses more entries than a timeline holds, and more recommendations than a workshop holds', () => {
    const full = timeline(Array.from({ length: OUTCOME_RULES.entriesPerRecommendation }, () => status('heard')));
    expect(checkChange({ status: 'piloting', explanation: 'More' }, rec(), full)).toMatchObject({ ok: false, field: 'kind' });
    expect(checkRoom(OUTCOME_RULES.perWorkshop - 1).ok).toBe(true);
    expect(checkRoom(OUTCOME_RULES.perWorkshop)).toMatchObject({ ok: false, message: expect.stringContaining('200 recommendations') });
  });

  it('moves between any statuses, the same one too (a progress note): it says what is happening, not a fixed path', () => {
    const t = timeline([status('piloting'), status('notTakenForward')]);
    expect(checkChange({ status: 'piloting', explanation: 'We found the money after all' }, rec(), t).ok).toBe(true);
    expect(checkChange({ status: 'notTakenForward', explanation: 'Still no money' }, rec(), t).ok).toBe(true);
  });

  it('corrects an earlier status entry with a new one, once; the corrected one stays', () => {
    const t = timeline([status('heard'), status('embedded', 'Sorry, wrong one')]);
    const got = checkChange({ status: 'piloting', explanation: 'It is a pilot, not a service yet', corrects: '2' }, rec(), t);
    expect(got).toEqual({
      ok: true,
      value: { kind: 'status', status: 'piloting', explanation: 'It is a pilot, not a service yet', corrects: 2 }
    });
    const after = [...t, ...timeline([status('piloting', 'It is a pilot', 2)]).map((e) => ({ ...e, seq: 3 }))];
    expect(checkChange({ status: 'heard', explanation: 'x', corrects: 2 }, rec(), after)).toMatchObject({
      ok: false,
      field: 'corrects',
      message: 'That update has been corrected already. Correct the correction instead'
    });
    // Not an entry of this timeline, or not a status entry, or not a number.
    for (const corrects of [9, 'abc', 0]) {
      expect(checkChange({ status: 'heard', explanation: 'x', corrects }, rec(), t)).toMatchObject({ ok: false, field: 'corrects' });
    }
    const withLink = [
      ...t,
      { recommendationId: 'r1', seq: 3, at: 5, by: 'facilitator' as const, change: { kind: 'link' as const, to: 'r2', explanation: 'x' } }
    ];
    expect(checkChange({ status: 'heard', explanation: 'x', corrects: 3 }, rec(), withLink)).toMatchObject({
      ok: false,
      field: 'corrects'
    });
    // No correction: empty or null.
    for (const corrects of ['', null, undefined])
      expect(checkChange({ status: 'heard', explanation: 'x', corrects }, rec(), t).ok).toBe(true);
  });

  it('addresses it to someone else, not to whoever has it now', () => {
    expect(checkChange({ kind: 'addressed', addressedTo: ' Regional  Director ', explanation: 'The job moved' }, rec(), [])).toEqual({
      ok: true,
      value: { kind: 'addressed', addressedTo: 'Regional Director', explanation: 'The job moved' }
    });
    expect(checkChange({ kind: 'addressed', addressedTo: 'Head of Probation, North East', explanation: 'x' }, rec(), [])).toMatchObject({
      ok: false,
      field: 'addressedTo'
    });
  });

  const target = (extra: Partial<LinkTarget> = {}): LinkTarget => ({ id: 'r2', number: 2, workshopId: 'w1', linksBack: false, ...extra });

  it('links one recommendation to another it led to, once, and never to itself', () => {
    expect(checkChange({ kind: 'link', to: 'r2', explanation: 'The pilot became this service' }, rec(), [], target())).toEqual({
      ok: true,
      value: { kind: 'link', to: 'r2', explanation: 'The pilot became this service' }
    });
    expect(checkChange({ kind: 'link', to: 'r1', explanation: 'x' }, rec(), [], target({ id: 'r1' }))).toMatchObject({
      ok: false,
      message: 'A recommendation cannot lead to itself. Choose another one'
    });
    // A target the server could not find here (another group's, unknown).
    expect(checkChange({ kind: 'link', to: 'r9', explanation: 'x' }, rec(), [], null)).toMatchObject({ ok: false, field: 'to' });
    expect(checkChange({ kind: 'link', to: 'r9', explanation: 'x' }, rec(), [], target())).toMatchObject({ ok: false, field: 'to' });
    const linked = timeline([{ kind: 'link', to: 'r2', explanation: 'x' }]);
    expect(checkChange({ kind: 'link', to: 'r2', explanation: 'again' }, rec(), linked, target())).toMatchObject({
      ok: false,
      message: 'These are linked already (recommendation 2)'
    });
    expect(checkChange({ kind: 'link', to: 'r2', explanation: 'loop' }, rec(), [], target({ linksBack: true }))).toMatchObject({
      ok: false,
      message: 'These are linked already (recommendation 2)'
    });
    expect(checkChange({ kind: 'link', to: 'r2', explanation: '' }, rec(), [], target())).toMatchObject({
      ok: false,
      field: 'explanation'
    });
  });

  it('takes back a link that is there, with its reason; the link entry stays', () => {
    const linked = timeline([{ kind: 'link', to: 'r2', explanation: 'x' }]);
    expect(checkChange({ kind: 'unlink', to: 'r2', explanation: 'Linked by mistake' }, rec(), linked, target()).ok).toBe(true);
    expect(checkChange({ kind: 'unlink', to: 'r2', explanation: 'x' }, rec(), [], target())).toMatchObject({
      ok: false,
      message: 'This recommendation does not lead to recommendation 2'
    });
  });
});

describe('where a recommendation stands', () => {
  it('is waiting before anyone answers, then follows its timeline', () => {
    expect(standing(rec(), [])).toEqual({
      status: null,
      explanation: null,
      addressedTo: 'Head of Probation, North East',
      ledTo: [],
      corrected: [],
      reached: [],
      lastChangeAt: 100
    });
    const t = timeline([
      status('heard', 'Read it'),
      { kind: 'addressed', addressedTo: 'Regional Director', explanation: 'Moved' },
      status('piloting', 'Two prisons'),
      { kind: 'link', to: 'r2', explanation: 'Became' },
      { kind: 'link', to: 'r3', explanation: 'Also' },
      { kind: 'unlink', to: 'r2', explanation: 'Mistake' }
    ]);
    expect(standing(rec(), t)).toMatchObject({
      status: 'piloting',
      explanation: 'Two prisons',
      addressedTo: 'Regional Director',
      ledTo: ['r3'],
      reached: ['heard', 'piloting'],
      lastChangeAt: t[5].at
    });
  });

  it('does not count a corrected status as reached, and replays in seq order whatever order it is given in', () => {
    const t = timeline([status('heard'), status('embedded', 'Oops'), status('piloting', 'Right one', 2)]);
    const s = standing(rec(), [...t].reverse());
    expect(s).toMatchObject({ status: 'piloting', corrected: [2], reached: ['heard', 'piloting'] });
  });

  it('counts how many are at each status now, and how many reached each', () => {
    const a = standing(rec('a'), timeline([status('heard'), status('piloting'), status('embedded')], 'a'));
    const b = standing(rec('b'), timeline([status('piloting'), status('notTakenForward')], 'b'));
    const c = standing(rec('c'), []);
    const counts = countStatuses([a, b, c]);
    expect(counts.total).toBe(3);
    expect(counts.now).toEqual({
      heard: 0,
      underConsideration: 0,
      piloting: 0,
      evaluating: 0,
      embedded: 1,
      notTakenForward: 1,
      waiting: 1
    });
    expect(counts.reached).toEqual({ heard: 1, underConsideration: 0, piloting: 2, evaluating: 0, embedded: 1, notTakenForward: 1 });
  });
});

describe('what is new since a person last looked', () => {
  const t0 = 1_000_000;
  it('marks nothing on a first look', () => {
    const v = nextVisit(null, t0 - 5, t0);
    expect(v).toEqual({ seenAt: t0, since: null });
    expect(isNewSince(v, t0 - 5)).toBe(false);
  });

  it('marks what changed after the last look, and keeps marking it on a reload soon after', () => {
    const first = nextVisit(null, null, t0);
    const second = nextVisit(first, t0 + 10, t0 + 20);
    expect(second).toEqual({ seenAt: t0 + 20, since: t0 });
    expect(isNewSince(second, t0 + 10)).toBe(true);
    expect(isNewSince(second, t0 - 1)).toBe(false);
    const reload = nextVisit(second, t0 + 10, t0 + 30);
    expect(reload).toEqual({ seenAt: t0 + 30, since: t0 });
    expect(isNewSince(reload, t0 + 10)).toBe(true);
  });

  it('marks nothing on a later look with nothing new since', () => {
    const second = { seenAt: t0 + 20, since: t0 };
    const later = nextVisit(second, t0 + 10, t0 + 20 + VISIT_GRACE_MS);
    expect(later).toEqual({ seenAt: t0 + 20 + VISIT_GRACE_MS, since: t0 + 20 });
    expect(isNewSince(later, t0 + 10)).toBe(false);
  });

  it('marks a change made between two reloads as new, counting from the look before it', () => {
    const reloads = { seenAt: t0 + 100, since: t0 };
    expect(nextVisit(reloads, t0 + 150, t0 + 200)).toEqual({ seenAt: t0 + 200, since: t0 + 100 });
  });
});

describe('retention', () => {
  const DAY = 24 * 3600_000;
  it('keeps an open workshop, and counts an ended one from its last activity', () => {
    expect(retentionOf({ endedAt: null, boardAt: 5, outcomesAt: 9 }, 30)).toEqual({ kind: 'open', days: 30 });
    expect(retentionOf({ endedAt: 10 * DAY, boardAt: 9 * DAY, outcomesAt: null }, 30)).toEqual({
      kind: 'scheduled',
      days: 30,
      deleteAt: 40 * DAY,
      lastActivityAt: 10 * DAY,
      because: 'ended'
    });
    expect(retentionOf({ endedAt: 10 * DAY, boardAt: 12 * DAY, outcomesAt: 50 * DAY }, 30)).toMatchObject({
      deleteAt: 80 * DAY,
      because: 'outcomes'
    });
    expect(retentionOf({ endedAt: 10 * DAY, boardAt: 12 * DAY, outcomesAt: 11 * DAY }, 30)).toMatchObject({ because: 'board' });
  });

  it('is due only after the date', () => {
    const r = retentionOf({ endedAt: 0, boardAt: null, outcomesAt: 10 * DAY }, 30);
    expect(isDue(r, 39 * DAY)).toBe(false);
    expect(isDue(r, 40 * DAY + 1)).toBe(true);
    expect(isDue({ kind: 'open', days: 30 }, 1e15)).toBe(false);
  });

  it('tells the facilitator the date and why, in plain words', () => {
    const r = retentionOf({ endedAt: Date.UTC(2027, 0, 1), boardAt: null, outcomesAt: Date.UTC(2027, 1, 1, 12) }, 30);
    expect(retentionWords(r, 'UTC')).toBe(
      "This workshop will be deleted on 3 March 2027, 30 days after the last update on what happened to its ideas (1 February 2027). Any later change, such as a decision maker's update, moves this date."
    );
    expect(retentionWords({ kind: 'open', days: 90 })).toMatch(
      /^This workshop is kept while it is open\. Once you end it, it is deleted 90 days after/
    );
  });
});

describe('the outcomes report', () => {
  it('gives each recommendation where it stands, its timeline with corrections marked, its links both ways and the counts', () => {
    const r1 = rec('r1', { number: 1, source: { kind: 'keyPoint', boardId: 'b1', pointId: 'k1', version: 2, words: 'Paid peer roles' } });
    const r2 = rec('r2', { number: 2, text: 'A national peer service' });
    const earlier = rec('e1', { workshopId: 'w0', number: 1, text: 'Ask people first' });
    const entries = [
      ...timeline([
        status('heard'),
        status('embedded', 'Oops'),
        status('piloting', 'Right', 2),
        { kind: 'link', to: 'r2', explanation: 'Became' }
      ]),
      ...timeline([status('embedded', 'Nationally')], 'r2')
    ];
    const report = buildOutcomes(
      {
        workshop: { id: 'w1', title: 'Forum', question: 'Q?', createdAt: 1, endedAt: 2 },
        boards: [{ id: 'b1', title: 'Main board' }],
        recommendations: [r2, r1],
        entries,
        group: [
          {
            workshopId: 'w0',
            title: 'Forum, March',
            recommendations: [earlier],
            entries: timeline([{ kind: 'link', to: 'r1', explanation: 'Led here' }], 'e1')
          }
        ]
      },
      99
    );
    expect(report.recommendations.map((r) => r.number)).toEqual([1, 2]);
    const [one, two] = report.recommendations;
    expect(one).toMatchObject({
      status: 'piloting',
      statusLabel: 'Piloting',
      explanation: 'Right',
      source: { kind: 'keyPoint', boardTitle: 'Main board', words: 'Paid peer roles', version: 2 },
      ledTo: [{ id: 'r2', number: 2, workshopTitle: null, status: 'embedded' }],
      cameFrom: [{ id: 'e1', workshopId: 'w0', workshopTitle: 'Forum, March', status: null }]
    });
    expect(one.timeline.map((e) => [e.seq, e.kind, e.corrected])).toEqual([
      [1, 'status', false],
      [2, 'status', true],
      [3, 'status', false],
      [4, 'link', false]
    ]);
    expect(two).toMatchObject({ cameFrom: [{ id: 'r1', number: 1 }], ledTo: [] });
    expect(report.counts.now).toMatchObject({ piloting: 1, embedded: 1 });
    expect(report.counts.reached.embedded).toBe(1);
    expect(report.madeAt).toBe(99);
  });
});
