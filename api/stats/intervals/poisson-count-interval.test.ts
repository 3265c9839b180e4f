import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { byarInterval } from './byar-interval';
import { exactPoissonInterval } from './exact-poisson-interval';
import { poissonCountInterval } from './poisson-count-interval';

describe('poissonCountInterval', () => {
  it('uses the exact interval below 10 and Byar’s from 10 by default (PHE practice)', () => {
    expect(poissonCountInterval(9.99)).toEqual({ ...exactPoissonInterval(9.99), method: 'exact' });
    expect(poissonCountInterval(10)).toEqual({ ...byarInterval(10), method: 'byar' });
  });

  it('honours an explicit method and reports it', () => {
    expect(poissonCountInterval(3, 0.998, 'byar')).toEqual({ ...byarInterval(3, 0.998), method: 'byar' });
    expect(poissonCountInterval(300, 0.95, 'exact')).toEqual({ ...exactPoissonInterval(300), method: 'exact' });
  });

  it('rejects invalid input under its own name', () => {
    expect(() => poissonCountInterval(-1)).toThrow('poissonCountInterval requires a non-negative finite observed count');
    expect(() => poissonCountInterval(1, 0)).toThrow(StatsInputError);
  });
});
