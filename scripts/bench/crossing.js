// What an edit that crosses server processes adds, read edit by edit (npm run bench -- --processes).
/** Quantiles of µs values, in ms (the value at rank ceil(q * count)). */
function quantilesMs(values) {
  values.sort((a, b) => a - b);
  const at = (q) =>
    values.length ? Math.round(values[Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1))] / 10) / 100 : null;
  return { count: values.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

/**
 * What crossing adds, per edit: for each edit of `pairs` (flat sender, seq, arrival µs, across
 * from every generator) that reached people on its sender's process and someone on another, each
 * arrival across minus the median arrival on the sender's process. The two arrivals share the
 * edit's commit and everything before it, so what is left is the crossing (XADD, the other
 * process's XREAD, apply and relay) plus the two receivers' own scheduling: a per-edit reading,
 * where "across p99 minus same p99" subtracts tails of two different sets of edits. In ms; it can
 * be below zero (the one across got in before the median on the sender's process).
 * `within` is the same reading for one person on the sender's process against the median of the
 * others there: how far apart two receivers of one edit are without any crossing (the
 * generators' and the server's own scheduling), the floor the crossing figure stands on.
 */
export function crossingAdds(pairsLists) {
  const edits = new Map();
  for (const pairs of pairsLists) {
    for (let i = 0; i + 3 < pairs.length; i += 4) {
      const key = `${pairs[i]}.${pairs[i + 1]}`;
      let e = edits.get(key);
      if (!e) edits.set(key, (e = { same: [], across: [] }));
      (pairs[i + 3] ? e.across : e.same).push(pairs[i + 2]);
    }
  }
  const median = (sorted) => {
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const adds = [];
  const within = [];
  for (const { same, across } of edits.values()) {
    if (!same.length || !across.length) continue;
    same.sort((a, b) => a - b);
    for (const t of across) adds.push(t - median(same));
    // One person on the sender's process, picked at random for each edit, against the others there.
    if (same.length >= 3) {
      const one = Math.floor(Math.random() * same.length);
      within.push(same[one] - median(same.filter((_, i) => i !== one)));
    }
  }
  return { ...quantilesMs(adds), within: quantilesMs(within) };
}
