/**
 * Percentile rank of a provider's value among its peers, 0–100: the fraction of the other providers whose
 * value is lower, counting ties as half (the usual percentile-rank definition, (below + ½ tied) / N, over the
 * peers only), so the lowest provider ranks 0 and the highest 100. It ranks values, not performance: a higher value ranks
 * higher whatever the indicator's polarity. `null` when there are no peers to rank against.
 */
export function percentileRank(value: number, peers: readonly number[]): number | null {
  if (peers.length === 0) return null;
  let below = 0;
  let tied = 0;
  for (const peer of peers) {
    if (peer < value) below++;
    else if (peer === value) tied++;
  }
  return (100 * (below + tied / 2)) / peers.length;
}
