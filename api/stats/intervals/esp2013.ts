/**
 * European Standard Population 2013 (Eurostat 2013, Revision of the European Standard Population,
 * Table 6-2), 19 five-year bands with 90+ last; totals 100 000. PHE's default standard for DSRs.
 */
export const europeanStandardPopulation2013 = [
  { ageBand: '0-4', population: 5000 },
  { ageBand: '5-9', population: 5500 },
  { ageBand: '10-14', population: 5500 },
  { ageBand: '15-19', population: 5500 },
  { ageBand: '20-24', population: 6000 },
  { ageBand: '25-29', population: 6000 },
  { ageBand: '30-34', population: 6500 },
  { ageBand: '35-39', population: 7000 },
  { ageBand: '40-44', population: 7000 },
  { ageBand: '45-49', population: 7000 },
  { ageBand: '50-54', population: 7000 },
  { ageBand: '55-59', population: 6500 },
  { ageBand: '60-64', population: 6000 },
  { ageBand: '65-69', population: 5500 },
  { ageBand: '70-74', population: 5000 },
  { ageBand: '75-79', population: 4000 },
  { ageBand: '80-84', population: 2500 },
  { ageBand: '85-89', population: 1500 },
  { ageBand: '90+', population: 1000 },
] as const satisfies readonly { ageBand: string; population: number }[];
