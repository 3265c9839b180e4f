import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../db';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators } from '../../etl/load/load-reference';
import { openObservationSource } from '../../etl/sources/open-source';
import { describeDatabase } from '../support/database';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';
import { describeWithShared, readSharedCsv, sharedPath } from '../support/shared';

/** Real NHS data (../shared/data): the SHMI publications, 2011–2014, through the SHMI reader. */
describeWithShared('ETL on real SHMI publications', () => {
  describeDatabase('shmi_observed_expected.csv', (getDatabase) => {
    it('loads every trust and publication period, and the totals match the file', async () => {
      const handle = getDatabase();
      const files = temporaryFolder();
      try {
        await loadIndicators(handle, files.write('indicators.csv', referenceFiles['indicators.csv']));
        const path = sharedPath('data', 'shmi_2011_2014', 'shmi_observed_expected.csv');
        const result = await loadObservations(handle, await openObservationSource(path, { indicator: 'SHMI' }), path, { createMissingOrganisations: true });

        // Independent totals: the file read with the test's own CSV reader, not the ETL's.
        const rows = readSharedCsv('data', 'shmi_2011_2014', 'shmi_observed_expected.csv');
        const byPeriod = new Map<string, { trusts: number; observed: number; expected: number }>();
        for (const row of rows) {
          const total = byPeriod.get(row.data_period) ?? { trusts: 0, observed: 0, expected: 0 };
          byPeriod.set(row.data_period, { trusts: total.trusts + 1, observed: total.observed + Number(row.observed), expected: total.expected + Number(row.expected) });
        }
        expect(result).toMatchObject({ status: 'loaded', rows: rows.length, rejectedRows: 0 });

        const loaded = await queryRows<{ label: string; granularity: string; trusts: string | number; observed: number; expected: number }>(
          handle.db,
          sql`select p.label, p.granularity, count(*) as trusts, sum(o.observed) as observed, sum(o.expected) as expected
              from observations o join periods p on p.id = o.period_id group by p.label, p.granularity order by p.label`,
        );
        expect(loaded.map((row) => row.label)).toEqual([...byPeriod.keys()].sort());
        for (const row of loaded) {
          const expected = byPeriod.get(row.label)!;
          expect(row.granularity).toBe('rolling_12_months');
          expect(Number(row.trusts)).toBe(expected.trusts);
          expect(Number(row.observed)).toBe(expected.observed);
          expect(Number(row.expected)).toBeCloseTo(expected.expected, 6);
        }
      } finally {
        files.remove();
      }
    });
  });
});
