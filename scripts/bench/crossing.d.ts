export interface QuantilesMs {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}
export function crossingAdds(pairsLists: number[][]): QuantilesMs & { within: QuantilesMs };
