import { sql } from 'drizzle-orm';
import { errorFunction } from 'simple-statistics';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db';
import { LoadRejectedError } from '../../etl/problems';
import { loadTargets } from '../../etl/load/load-targets';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { temporaryFolder } from '../support/etl-fixtures';
import { rawObservations, sum } from '../support/raw-observations';
import { withheldProportion } from '../support/withheld-counts';

interface Provider { code: string; suppressed: boolean; numerator: number | null; denominator: number | null; z: number | null; adjustedZ: number | null }

const twoSidedP = (z: number) => 1 - errorFunction(Math.abs(z) / Math.SQRT2);

/**
 * The funnel's benchmarks and lines on the demo's 62-day cancer indicator (a proportion, 85 % its own target):
 * the network's pooled value as the centre, every standard in force drawn as a line (national ones, and a
 * network's local ambition only for that network, loaded through `etl targets`), and the Benjamini–Hochberg
 * line. Expected numbers are recomputed here from the stored counts.
 */
describeDemoApi('funnel benchmarks, target lines and the FDR line', ({ app, database }) => {
  const folder = temporaryFolder();
  beforeAll(async () => {
    const path = folder.write(
      'targets.csv',
      [
        'indicator,kind,network,valid_from,valid_to,value,source',
        'VA-CANCER62,constitutional,,2009-04-01,,85,NHS Constitution',
        'VA-CANCER62,operational,,2025-04-01,2026-04-01,75,Planning guidance 2025/26',
        'VA-CANCER62,local_ambition,KB-CANCER,2025-04-01,,80,Kellbourne Cancer Alliance plan',
      ].join('\n'),
    );
    expect(await loadTargets(database(), path)).toBe(3);
  });

  /** Members of a network on a date, read from the memberships table. */
  const membersOn = async (network: string, date: string) =>
    new Set(
      (
        await queryRows<{ code: string }>(
          database().db,
          sql`select o.code from network_memberships m join networks n on n.id = m.network_id join organisations o on o.id = m.organisation_id
              where n.code = ${network} and m.valid_from <= ${date} and (m.valid_to is null or m.valid_to > ${date})`,
        )
      ).map((row) => row.code),
    );

  it('benchmark=network centres the funnel on the pooled value of the published members, with φ still around all providers’ own centre', async () => {
    const funnel = await getJson(app(), '/api/funnel?indicator=VA-CANCER62&network=KB-CANCER&benchmark=network');
    const all = await getJson(app(), '/api/funnel?indicator=VA-CANCER62&network=KB-CANCER');
    const rows = await rawObservations(database().db, 'VA-CANCER62', { period: funnel.period.label });
    const members = await membersOn('KB-CANCER', funnel.period.endDate);
    const published = rows.filter((row) => members.has(row.code) && !withheldProportion(row));
    expect(published.length).toBeGreaterThan(1);
    const pooled = (100 * sum(published.map((row) => row.numerator!))) / sum(published.map((row) => row.denominator!));
    expect(funnel.method).toMatchObject({ benchmark: 'network' });
    expect(funnel.method.benchmarkValue).toBeCloseTo(pooled, 10);
    expect(funnel.target).toBeCloseTo(pooled, 10);
    expect(Math.abs(funnel.target - all.target)).toBeGreaterThan(0.1);
    // Overdispersion is the providers' property: the same whichever centre the line is drawn at.
    expect(funnel.overdispersion.phi).toBe(all.overdispersion.phi);
    expect(funnel.overdispersion.tau2).toBe(all.overdispersion.tau2);
    // z on the arcsine scale around the network's value: (asin√p − asin√θ)·2√n.
    const theta = Math.asin(Math.sqrt(pooled / 100));
    for (const provider of (funnel.providers as Provider[]).filter((p) => !p.suppressed)) {
      const z = (Math.asin(Math.sqrt(provider.numerator! / provider.denominator!)) - theta) * 2 * Math.sqrt(provider.denominator!);
      expect(provider.z).toBeCloseTo(z, 9);
    }
  });

  it('refuses benchmark=network without a network, naming benchmark', async () => {
    await expectApiError(app(), '/api/funnel?indicator=VA-CANCER62&benchmark=network', 400, 'benchmark');
    await expectApiError(app(), '/api/funnel?indicator=VA-CANCER62&benchmark=best', 400, 'benchmark');
    // A peer benchmark needs its peers: a saved set or an organisation's nearest neighbours.
    await expectApiError(app(), '/api/funnel?indicator=VA-CANCER62&benchmark=peers', 400, 'peers');
  });

  it('draws every standard in force as a line, and a network’s local ambition only when that network is asked for', async () => {
    const national = await getJson(app(), '/api/funnel?indicator=VA-CANCER62&period=2025/26 Q2');
    expect(national.targetLines).toEqual([
      { kind: 'constitutional', label: 'Constitutional standard', value: 85, source: 'NHS Constitution', validFrom: '2009-04-01', validTo: null },
      { kind: 'operational', label: 'Operational standard', value: 75, source: 'Planning guidance 2025/26', validFrom: '2025-04-01', validTo: '2026-04-01' },
    ]);
    const alliance = await getJson(app(), '/api/funnel?indicator=VA-CANCER62&period=2025/26 Q2&network=KB-CANCER');
    expect(alliance.targetLines.map((line: { label: string; value: number }) => [line.label, line.value])).toEqual([
      ['Constitutional standard', 85],
      ['Operational standard', 75],
      ['Local ambition (KB-CANCER)', 80],
    ]);
    const other = await getJson(app(), '/api/funnel?indicator=VA-CANCER62&period=2025/26 Q2&network=KB-CVD-SCN');
    expect(other.targetLines).toEqual(national.targetLines);
    // The verdict's target stays the operational standard, before the constitutional one; never a local ambition.
    const judged = await getJson(app(), '/api/funnel?indicator=VA-CANCER62&period=2025/26 Q2&network=KB-CANCER&benchmark=target');
    expect(judged.target).toBe(75);
    // Before the operational standard began only the constitutional one is in force.
    const earlier = await getJson(app(), '/api/funnel?indicator=VA-CANCER62&period=2024/25 Q4');
    expect(earlier.targetLines.map((line: { kind: string }) => line.kind)).toEqual(['constitutional']);
  });

  it('fdr=true draws the Benjamini–Hochberg line at z* around the benchmark on the adjusted scale', async () => {
    // Against the constitutional 85 % (the only standard in force in 2024/25), where p* is moderate.
    const url = '/api/funnel?indicator=VA-CANCER62&period=2024/25 Q4&benchmark=target&fdr=true';
    const funnel = await getJson(app(), url);
    expect(funnel.target).toBe(85);
    const judged = (funnel.providers as Provider[]).filter((p) => !p.suppressed);
    // BH here: the discoveries are the i smallest p-values for the largest i with p(i) ≤ i·0.05/m; z* the smallest |z| among them.
    const ranked = judged.map((one) => Math.abs(one.adjustedZ!)).sort((a, b) => b - a);
    const discoveries = Math.max(0, ...ranked.map((z, i) => (twoSidedP(z) <= ((i + 1) * 0.05) / ranked.length ? i + 1 : 0)));
    expect(discoveries).toBeGreaterThan(0);
    const zStar = ranked[discoveries - 1];
    expect(funnel.fdr.level).toBe(0.05);
    expect(funnel.fdr.zThreshold).toBeCloseTo(zStar, 9);
    expect(funnel.fdr.pThreshold).toBeCloseTo(twoSidedP(zStar), 6);
    // The line at precision n: sin²(asin√θ ± z*·√φ/(2√n)) × 100 (multiplicative φ) or with √(s² + τ²) (additive).
    const { phi, tau2, method, applied } = funnel.overdispersion;
    const theta = Math.asin(Math.sqrt(funnel.target / 100));
    expect(funnel.fdr.curve).toHaveLength(150);
    for (const point of funnel.fdr.curve as { precision: number; lower: number; upper: number }[]) {
      const s = 1 / (2 * Math.sqrt(point.precision));
      const half = zStar * (!applied ? s : method === 'multiplicative' ? Math.sqrt(phi) * s : Math.sqrt(s * s + tau2));
      expect(point.lower).toBeCloseTo(100 * Math.sin(Math.max(0, theta - half)) ** 2, 6);
      expect(point.upper).toBeCloseTo(100 * Math.sin(Math.min(Math.PI / 2, theta + half)) ** 2, 6);
    }
    const stricter = await getJson(app(), `${url}&fdrLevel=0.001`);
    expect(stricter.fdr.level).toBe(0.001);
    expect(stricter.fdr.zThreshold ?? Infinity).toBeGreaterThan(funnel.fdr.zThreshold);
    expect(await getJson(app(), '/api/funnel?indicator=VA-CANCER62')).not.toHaveProperty('fdr');
  });

  it('gives z* but no line when p* is too small for a coverage 1 − p* to carry it', async () => {
    // Around the pooled value one provider alone passes, at |z| ≈ 8.2 (p ≈ 2e-16).
    const funnel = await getJson(app(), '/api/funnel?indicator=VA-CANCER62&period=2025/26 Q2&fdr=true');
    const largest = Math.max(...(funnel.providers as Provider[]).filter((p) => !p.suppressed).map((p) => Math.abs(p.adjustedZ!)));
    expect(funnel.fdr.zThreshold).toBe(largest);
    expect(funnel.fdr.pThreshold).toBeLessThan(1e-10);
    expect(funnel.fdr.curve).toBeNull();
  });

  it.each(['0.5', '0', 'lots'])('refuses fdrLevel=%s, naming fdrLevel', (level) => expectApiError(app(), `/api/funnel?indicator=VA-CANCER62&fdr=true&fdrLevel=${level}`, 400, 'fdrLevel'));

  describe('etl targets', () => {
    const count = async () => (await queryRows<{ n: number | string }>(database().db, sql`select count(*) as n from indicator_targets`))[0].n;

    it('refuses a file with any bad row, naming file, row and column, and loads nothing of it', async () => {
      const before = await count();
      const path = folder.write(
        'bad-targets.csv',
        [
          'indicator,kind,network,valid_from,valid_to,value,source',
          'VA-CANCER62,local_ambition,KB-CANCER,2026-04-01,,82,Good row',
          'VA-NOPE,constitutional,,2020-01-01,,90,Unknown indicator',
          'VA-CANCER62,ambition,,2020-01-01,,90,Unknown kind',
          'VA-CANCER62,operational,KB-CANCER,2020-01-01,,90,A national standard with a network',
          'VA-CANCER62,local_ambition,KB-NOPE,2020-01-01,2019-01-01,abc,Three bad cells',
        ].join('\n'),
      );
      const error = await loadTargets(database(), path).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(LoadRejectedError);
      const problems = (error as LoadRejectedError).problems.map((problem) => [problem.row, problem.column]);
      expect(problems).toEqual(expect.arrayContaining([[4, 'kind'], [5, 'network'], [6, 'valid_to'], [6, 'value']]));
      expect(await count()).toBe(before);
      // Once the cells are right, the unknown codes are named too.
      const unknown = folder.write('unknown.csv', ['indicator,kind,network,valid_from,valid_to,value,source', 'VA-NOPE,local_ambition,KB-NOPE,2020-01-01,,90,x'].join('\n'));
      const second = await loadTargets(database(), unknown).catch((caught: LoadRejectedError) => caught);
      expect((second as LoadRejectedError).problems.map((problem) => [problem.row, problem.column, problem.reason])).toEqual([
        [2, 'indicator', 'unknown indicator'],
        [2, 'network', 'unknown network'],
      ]);
      expect(await count()).toBe(before);
    });

    it('refuses two standards of one kind and network in force on the same day, in the file or against the stored ones', async () => {
      const inFile = folder.write(
        'overlap.csv',
        ['indicator,kind,network,valid_from,valid_to,value,source', 'VA-CANCER62,operational,,2030-04-01,2031-04-01,76,a', 'VA-CANCER62,operational,,2030-10-01,,77,b'].join('\n'),
      );
      const error = (await loadTargets(database(), inFile).catch((caught: LoadRejectedError) => caught)) as LoadRejectedError;
      expect(error.problems).toEqual([expect.objectContaining({ row: 3, column: 'valid_from', reason: 'overlaps the operational of row 2' })]);
      const stored = folder.write('stored-overlap.csv', ['indicator,kind,network,valid_from,valid_to,value,source', 'VA-CANCER62,operational,,2025-10-01,2026-10-01,76,c'].join('\n'));
      const second = (await loadTargets(database(), stored).catch((caught: LoadRejectedError) => caught)) as LoadRejectedError;
      expect(second.problems).toEqual([expect.objectContaining({ row: 2, column: 'valid_from', reason: 'overlaps the stored operational from 2025-04-01' })]);
    });
  });
});
