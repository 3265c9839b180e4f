import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { dobsonInterval } from './dobson-interval';
import { rateInterval } from './rate-interval';

describe('dobsonInterval', () => {
  it('reduces to the crude rate and its Byar interval when the standard is the area’s own population', () => {
    // Then wᵢ/nᵢ = 1, DSR = O/N and √(var/O) = 1/N, so Dobson's limits are the count's limits / N.
    const strata = [
      { count: 12, population: 1000, standardPopulation: 1000 },
      { count: 30, population: 4000, standardPopulation: 4000 },
    ];
    const dsr = dobsonInterval(strata, 1000, 0.998);
    const crude = rateInterval(42, 5000, 1000, 0.998, 'byar');
    expect(dsr.estimate).toBeCloseTo(crude.estimate, 12);
    expect(dsr.lower).toBeCloseTo(crude.lower, 12);
    expect(dsr.upper).toBeCloseTo(crude.upper, 12);
    expect(dsr.suppressedReason).toBeNull();
  });

  it('weights stratum rates by the standard population (worked by hand)', () => {
    // Rates 10/1000 and 5/100 with weights 3 and 1: DSR = (3·0.01 + 1·0.05)/4 = 0.02.
    const dsr = dobsonInterval(
      [
        { count: 10, population: 1000, standardPopulation: 3 },
        { count: 5, population: 100, standardPopulation: 1 },
      ],
      1,
    );
    expect(dsr.estimate).toBeCloseTo(0.02, 15);
    expect(dsr.totalCount).toBe(15);
  });

  it('suppresses estimate and limits below 10 events, per PHE practice, and says why', () => {
    const dsr = dobsonInterval([{ count: 9, population: 500, standardPopulation: 1000 }]);
    expect(dsr).toMatchObject({ totalCount: 9, suppressedReason: 'total count below 10' });
    expect(dsr.estimate).toBeNaN();
    expect(dsr.lower).toBeNaN();
    expect(dsr.upper).toBeNaN();
  });

  it('rejects empty input, zero or negative populations, negative counts and weights', () => {
    const good = { count: 5, population: 100, standardPopulation: 1000 };
    expect(() => dobsonInterval([])).toThrow('dobsonInterval requires at least one stratum');
    expect(() => dobsonInterval([good, { ...good, population: 0 }])).toThrow('dobsonInterval requires stratum populations greater than zero');
    expect(() => dobsonInterval([good, { ...good, count: -1 }])).toThrow(StatsInputError);
    expect(() => dobsonInterval([good, { ...good, standardPopulation: -1 }])).toThrow(StatsInputError);
    expect(() => dobsonInterval([{ ...good, standardPopulation: 0 }])).toThrow(
      'dobsonInterval requires a standard population greater than zero in total',
    );
  });
});
