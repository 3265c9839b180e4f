import { describe, expect, it } from 'vitest';
import { europeanStandardPopulation2013 } from './esp2013';

describe('europeanStandardPopulation2013', () => {
  it('has the 19 bands of Eurostat 2013 Table 6-2, totalling 100 000', () => {
    expect(europeanStandardPopulation2013).toHaveLength(19);
    expect(europeanStandardPopulation2013.reduce((sum, band) => sum + band.population, 0)).toBe(100_000);
    expect(europeanStandardPopulation2013[0]).toEqual({ ageBand: '0-4', population: 5000 });
    expect(europeanStandardPopulation2013[18]).toEqual({ ageBand: '90+', population: 1000 });
  });
});
