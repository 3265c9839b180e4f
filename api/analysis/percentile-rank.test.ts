import { describe, expect, it } from 'vitest';
import { percentileRank } from './percentile-rank';

describe('percentileRank', () => {
  it('is the share of peers below, so the lowest ranks 0 and the highest 100', () => {
    expect(percentileRank(1, [2, 3, 4, 5])).toBe(0);
    expect(percentileRank(6, [2, 3, 4, 5])).toBe(100);
    expect(percentileRank(3.5, [2, 3, 4, 5])).toBe(50);
  });

  it('counts a tie as half a peer below', () => {
    // Peers 2 (below), 3 and 3 (tied), 5 (above): (1 + 2/2) / 4.
    expect(percentileRank(3, [2, 3, 3, 5])).toBe(50);
    expect(percentileRank(7, [7, 7])).toBe(50);
  });

  it('has no rank without peers', () => {
    expect(percentileRank(3, [])).toBeNull();
  });
});
