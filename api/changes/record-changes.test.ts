import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../app';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators, loadOrganisations } from '../../etl/load/load-reference';
import { openObservationSource } from '../../etl/sources/open-source';
import { describeDatabase } from '../../test/support/database';
import { temporaryFolder } from '../../test/support/etl-fixtures';

/**
 * The recorder (beginChangeRecord in the loader) against a brute-force before/after comparison: every touched
 * funnel asked of GET /api/funnel before and after the load, and the band moves and persistent outliers derived
 * here from those answers alone. The revision moves verdicts in two indicators and in two periods of each, one
 * of them an earlier period that completes a persistent outlier, and revises one slice with the same figures
 * (which the recorder takes from before unread).
 */
const trusts = Array.from({ length: 20 }, (_, i) => `RT${String(i + 1).padStart(2, '0')}`);
const quarters = ['2024/25 Q1', '2024/25 Q2', '2024/25 Q3', '2024/25 Q4'];
const indicators = ['READMIT', 'SCREEN'] as const;
type Figures = Record<string, number>;
/** Numerators out of 1,000, close to 10 % (READMIT) and 60 % (SCREEN); RT03 is far above on READMIT in Q1, Q2 and Q4. */
const base = (indicator: string, q: number): Figures =>
  Object.fromEntries(
    trusts.map((org, i) => {
      const ordinary = (indicator === 'READMIT' ? 95 : 595) + ((i * 7 + q * 3) % 11);
      return [org, indicator === 'READMIT' && org === 'RT03' && q !== 2 ? 160 : ordinary];
    }),
  );
const csv = (slices: { indicator: string; q: number; figures: Figures }[]) =>
  ['indicator_code,organisation_code,period,numerator,denominator', ...slices.flatMap(({ indicator, q, figures }) => trusts.map((org) => `${indicator},${org},${quarters[q]},${figures[org]},1000`))].join('\n') + '\n';

const outside = (band: string | null | undefined) => band != null && band !== 'within';
const side = (band: string | null | undefined) => (!outside(band) ? null : band!.startsWith('above') ? 'above' : 'below');

describeDatabase('the recorder against a brute-force comparison of funnels', (getDatabase) => {
  const files = temporaryFolder();
  afterAll(() => files.remove());
  const app = () => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind });
  const funnel = async (indicator: string, q: number) => {
    const response = await app().request(`/api/funnel?indicator=${indicator}&period=${encodeURIComponent(quarters[q])}`);
    expect(response.status).toBe(200);
    const json = (await response.json()) as { providers: { code: string; band: string | null; judgement: string | null }[] };
    return new Map(json.providers.map((provider) => [provider.code, { band: provider.band, judgement: provider.judgement }]));
  };
  const everyFunnel = async () => {
    const all = new Map<string, Awaited<ReturnType<typeof funnel>>>();
    for (const indicator of indicators) for (let q = 0; q < quarters.length; q++) all.set(`${indicator}|${q}`, await funnel(indicator, q));
    return all;
  };
  /** Per indicator, the providers outside the same 95 % limit in all four quarters. */
  const persistent = (funnels: Awaited<ReturnType<typeof everyFunnel>>, indicator: string) =>
    new Set(
      [...funnels.get(`${indicator}|3`)!.keys()].filter((code) => {
        const sides = quarters.map((_, q) => side(funnels.get(`${indicator}|${q}`)!.get(code)?.band));
        return sides[0] !== null && sides.every((one) => one === sides[0]);
      }),
    );

  beforeAll(async () => {
    const handle = getDatabase();
    await loadOrganisations(handle, files.write('organisations.csv', ['code,name,kind,parent_code,opened_on,closed_on', ...trusts.map((code) => `${code},Trust ${code},trust,,,`)].join('\n')));
    await loadIndicators(
      handle,
      files.write(
        'indicators.csv',
        [
          'code,name,domain,measure_kind,polarity,multiplier,unit,definition,source,target',
          'READMIT,Emergency readmissions,Effectiveness,proportion,lower_is_better,100,%,,,',
          'SCREEN,Screening uptake,Prevention,proportion,higher_is_better,100,%,,,',
        ].join('\n'),
      ),
    );
    const path = files.write('base.csv', csv(indicators.flatMap((indicator) => quarters.map((_, q) => ({ indicator, q, figures: base(indicator, q) })))));
    expect((await loadObservations(handle, await openObservationSource(path), path)).status).toBe('loaded');
  });

  it('records exactly the band moves and persistent outliers the funnels show before and after', async () => {
    const before = await everyFunnel();
    const revised = [
      // READMIT Q3: RT03 now far above too (completing its persistence), RT08 far below.
      { indicator: 'READMIT', q: 2, figures: { ...base('READMIT', 2), RT03: 160, RT08: 30 } },
      // READMIT Q4: RT05 far above.
      { indicator: 'READMIT', q: 3, figures: { ...base('READMIT', 3), RT05: 200 } },
      // SCREEN Q1 revised with the same figures: nothing to compute again.
      { indicator: 'SCREEN', q: 0, figures: base('SCREEN', 0) },
      // SCREEN Q2: RT10 far below; Q4: RT12 far above.
      { indicator: 'SCREEN', q: 1, figures: { ...base('SCREEN', 1), RT10: 450 } },
      { indicator: 'SCREEN', q: 3, figures: { ...base('SCREEN', 3), RT12: 750 } },
    ];
    const path = files.write('revision.csv', csv(revised));
    const load = await loadObservations(getDatabase(), await openObservationSource(path), path);
    expect(load.status).toBe('loaded');
    const after = await everyFunnel();

    const expected: string[] = [];
    for (const { indicator, q } of revised) {
      const was = before.get(`${indicator}|${q}`)!;
      const now = after.get(`${indicator}|${q}`)!;
      for (const code of [...new Set([...was.keys(), ...now.keys()])].sort()) {
        const [a, b] = [was.get(code), now.get(code)];
        const change = !outside(a?.band) && outside(b?.band) ? 'entered' : outside(a?.band) && !outside(b?.band) ? 'left' : outside(a?.band) && a?.band !== b?.band ? 'band_changed' : null;
        if (!change) continue;
        const flipped = a?.judgement != null && b?.judgement != null && a.judgement !== b.judgement;
        expected.push(`${indicator} ${quarters[q]} ${code} ${change} ${a?.band ?? null}→${b?.band ?? null} flipped=${flipped}`);
      }
    }
    for (const indicator of indicators) {
      const [was, now] = [persistent(before, indicator), persistent(after, indicator)];
      for (const code of [...now].filter((one) => !was.has(one))) expected.push(`${indicator} ${quarters[3]} ${code} persistent_new null→null flipped=false`);
      for (const code of [...was].filter((one) => !now.has(one))) expected.push(`${indicator} ${quarters[3]} ${code} persistent_ended null→null flipped=false`);
    }
    const recorded = load.verdictChanges.map(
      (item) => `${item.indicator.code} ${item.period} ${item.organisation.code} ${item.change} ${item.before.band}→${item.after.band} flipped=${item.verdictFlipped}`,
    );
    expect(recorded.sort()).toEqual(expected.sort());
    // The revision did move verdicts in both indicators and both revised periods of each, and completed a persistent outlier.
    for (const slice of ['READMIT 2024/25 Q3 RT08 entered', 'READMIT 2024/25 Q4 RT05 entered', 'SCREEN 2024/25 Q2 RT10 entered', 'SCREEN 2024/25 Q4 RT12 entered', 'READMIT 2024/25 Q4 RT03 persistent_new']) {
      expect(recorded.some((line) => line.startsWith(slice))).toBe(true);
    }
    expect(load.verdictChanges.every((item) => item.revision)).toBe(true);
  });
});
