// The pure rules of involvement records: what "Record my time" needs, and how connected time
// becomes joined, left and minutes active (overlaps once, periods cut, open intervals up to now).
import { describe, expect, it } from 'vitest';
import { attendance, checkRecordTime, timeTable } from '../../src/lib/domain/involvement';

const MIN = 60_000;

describe('checkRecordTime', () => {
  it('[L-INVOLVE-1] needs a name (folded, at most 40 characters) and one of the three choices', () => {
    expect(checkRecordTime('  Ann   Smith ', 'payment')).toEqual({ ok: true, value: { name: 'Ann Smith', choice: 'payment' } });
    expect(checkRecordTime('', 'cash')).toEqual({
      ok: false,
      errors: {
        recordName: 'Enter the name for your time record. It can be the name your payment goes to',
        thanks: 'Choose how you would like to be thanked for your time'
      }
    });
    expect(checkRecordTime('x'.repeat(41), 'none')).toMatchObject({ ok: false, errors: { recordName: expect.stringContaining('40') } });
    expect(checkRecordTime(7, 'voucher')).toMatchObject({ ok: false });
  });
});

describe('attendance', () => {
  it('[L-INVOLVE-3] joined is the first start, left the last end, minutes the connected time rounded', () => {
    const a = attendance(
      [
        { start: 0, end: 30 * MIN },
        { start: 45 * MIN, end: 75 * MIN + 29_000 }
      ],
      100 * MIN
    );
    expect(a).toEqual({ joinedAt: 0, leftAt: 75 * MIN + 29_000, activeMs: 60 * MIN + 29_000, minutes: 60 });
  });

  it('[L-INVOLVE-5] overlapping intervals (two devices) count once; an open one counts up to now and has no left', () => {
    expect(
      attendance(
        [
          { start: 0, end: 20 * MIN },
          { start: 10 * MIN, end: 30 * MIN },
          { start: 40 * MIN, end: null }
        ],
        50 * MIN
      )
    ).toEqual({ joinedAt: 0, leftAt: null, activeMs: 40 * MIN, minutes: 40 });
    expect(attendance([], 5)).toEqual({ joinedAt: null, leftAt: null, activeMs: 0, minutes: 0 });
  });

  it('[L-INVOLVE-7] a period counts only the time inside it', () => {
    const intervals = [
      { start: 0, end: 60 * MIN },
      { start: 120 * MIN, end: 180 * MIN }
    ];
    expect(attendance(intervals, 200 * MIN, { from: 30 * MIN, to: 150 * MIN })).toEqual({
      joinedAt: 30 * MIN,
      leftAt: 150 * MIN,
      activeMs: 60 * MIN,
      minutes: 60
    });
    expect(attendance(intervals, 200 * MIN, { from: 190 * MIN })).toMatchObject({ joinedAt: null, activeMs: 0 });
  });

  it('writes the export with the record name, never a display name, and says who is still here', () => {
    const rows = timeTable(
      [{ name: 'Ann Smith', role: 'member', choice: 'voucher', joinedAt: 0, leftAt: null, activeMs: MIN, minutes: 1 }],
      (ms) => `t${ms}`
    );
    expect(rows).toEqual([
      ['Name for the record', 'Role', 'Thanks', 'Joined (UTC)', 'Left (UTC)', 'Minutes active'],
      ['Ann Smith', 'Member', 'Voucher', 't0', 'Still here', '1']
    ]);
  });
});
