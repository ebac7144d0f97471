// The bench's per-edit reading of what crossing processes adds (scripts/bench/crossing.js): each
// arrival on another process against the median arrival on the sender's process, for the same edit.
import { describe, expect, it } from 'vitest';
import { crossingAdds } from '../../scripts/bench/crossing.js';

/** Flat records as the load generators send them: sender, seq, arrival µs, 1 if across. */
function records(edits: { sender: number; seq: number; same: number[]; across: number[] }[]): number[] {
  const flat: number[] = [];
  for (const e of edits) {
    for (const t of e.same) flat.push(e.sender, e.seq, t, 0);
    for (const t of e.across) flat.push(e.sender, e.seq, t, 1);
  }
  return flat;
}

describe('crossingAdds', () => {
  it('reads each arrival across against the median on the sender’s process, edit by edit', () => {
    // Two edits with very different commit times (2 ms and 40 ms): per edit, crossing adds 1 ms
    // and 3 ms, whatever the commits took.
    const result = crossingAdds([
      records([
        { sender: 1, seq: 1, same: [2000, 2100, 1900], across: [3000] },
        { sender: 1, seq: 2, same: [40_000, 40_200], across: [43_100] }
      ])
    ]);
    expect(result.count).toBe(2);
    expect(result.p50).toBe(1);
    expect(result.max).toBe(3);
  });

  it('joins the records of one edit from several generators, and skips edits nobody received across', () => {
    const a = records([{ sender: 7, seq: 3, same: [1000, 1200], across: [] }]);
    const b = records([
      { sender: 7, seq: 3, same: [1100], across: [1600] },
      { sender: 8, seq: 1, same: [5000, 5100], across: [] }
    ]);
    const result = crossingAdds([a, b]);
    expect(result.count).toBe(1);
    expect(result.p99).toBe(0.5);
    // One person on the sender's process (picked at random) against the median of the other two.
    expect(result.within.count).toBe(1);
    expect([-0.15, 0, 0.15]).toContain(result.within.p50);
  });

  it('can be below zero: the one across got in before most on the sender’s process', () => {
    const result = crossingAdds([records([{ sender: 2, seq: 1, same: [5000, 6000, 7000], across: [4500] }])]);
    expect(result.p50).toBe(-1.5);
  });
});
