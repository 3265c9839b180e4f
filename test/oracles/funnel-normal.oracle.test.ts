import { expect, it } from 'vitest';
import { funnelAnalysis, type NormalFunnelAnalysisInput, type NormalFunnelProviderInput } from '../../api/stats/funnel';
import { describeWithShared, readSharedCsv } from '../support/shared';

/**
 * The 'normal' funnel measure (values with standard errors). No oracle file holds a normal-measure funnel:
 * FunnelPlotR 0.6.0 has none, and PHEindicatormethods 2.1.0 funnels DSRs with Poisson limits. But each
 * FunnelPlotR funnel is a normal funnel on its transformed scale, y with s = 1/√E (SHMI, log scale) or
 * 1/(2√n) (proportions, arcsine scale). Fed FunnelPlotR's own y and s, the normal measure must reproduce its
 * z-scores, trimming, φ, τ², overdispersed limits and outliers: without this the normal path could drift from
 * the count path it shares φ, τ² and trimming with, and no hand-computed case would show it.
 */
type Row = Record<string, string>;
const FP = ['oracles', 'FunnelPlotR'] as const;
const summary = (id: string) => readSharedCsv(...FP, 'summary_phi_tau2_outliers.csv').find((r) => r.case_id === id)!;

function expectClose(actual: number, expected: number, what: string, rel = 1e-6): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected));
}

interface ReexpressedCase {
  id: string;
  provider: (row: Row) => NormalFunnelProviderInput;
  settings: (rows: Row[]) => Omit<NormalFunnelAnalysisInput, 'providers' | 'measure'>;
  /** FunnelPlotR's limit from the normal funnel's (exp already applied on the log scale); null where not comparable. */
  back: (limit: number) => number | null;
  trimmedColumn: 'truncated' | 'winsorised';
}

const cases: ReexpressedCase[] = [
  ...['small6_SR_SHMI_default', 'medpar_SR_SHMI_limit99'].map((id): ReexpressedCase => ({
    id,
    // SHMI: y = ln(O/E), s = 1/√E at E rounded to 2 decimals (the file's denominator; its rr keeps the raw E).
    provider: (row) => ({ id: row.group, value: Number(row.numerator) / Number(row.denominator), standardError: Number(row.s) }),
    settings: () => ({ scale: 'log', target: 1, centre: 1, trimMethod: 'truncate', adjustment: 'additive' }),
    back: (limit) => limit,
    trimmedColumn: 'truncated',
  })),
  {
    id: 'medpar_PR_died_limit99',
    // Proportions on the arcsine scale: y = asin√p, s = 1/(2√n), θ = asin√(pooled p); linear normal funnel on y.
    provider: (row) => ({ id: row.group, value: Number(row.Y), standardError: Number(row.s) }),
    settings: (rows) => ({ target: Number(rows[0].target_transformed), centre: Number(rows[0].target_transformed), trimMethod: 'winsorise', adjustment: 'additive' }),
    // sin² back to a proportion where the limit stays in [0, π/2]; beyond it FunnelPlotR wraps (funnel.oracle.test.ts).
    back: (limit) => (limit >= 0 && limit <= Math.PI / 2 ? Math.sin(limit) ** 2 : null),
    trimmedColumn: 'winsorised',
  },
];

describeWithShared('normal funnel measure against FunnelPlotR 0.6.0 re-expressed on its transformed scales (oracles/FunnelPlotR)', () => {
  for (const c of cases) {
    it(`${c.id}_expected.csv as values with standard errors: z, trimming, φ, τ², overdispersed limits, outliers`, () => {
      const rows = readSharedCsv(...FP, `${c.id}_expected.csv`);
      const result = funnelAnalysis({ measure: 'normal', providers: rows.map(c.provider), ...c.settings(rows) });
      const s = summary(c.id);
      expectClose(result.overdispersion.phi, Number(s.phi), 'phi');
      expectClose(result.overdispersion.tau2, Number(s.tau2), 'tau2');
      expect(result.overdispersion.applied).toBe(s.draw_adjusted_effective === 'TRUE');
      const byId = new Map(result.providers.map((p) => [p.id, p]));
      let outliers = 0;
      for (const row of rows) {
        const p = byId.get(row.group)!;
        const at = (name: string) => `${c.id} ${row.group} ${name}`;
        expectClose(p.y, Number(row.Y), at('Y'), 1e-9);
        expectClose(p.z, Number(row.Uzscore), at('Uzscore'));
        expect(p.trimmed, at(c.trimmedColumn)).toBe(row[c.trimmedColumn] === '1');
        // FunnelPlotR's z is 1.959964 / 3.090232; the product's full-precision z moves the limits by < 1e-6 here.
        (['OD95', 'OD99'] as const).forEach((prefix, i) => {
          const limit = p.limitsAtPrecision.adjusted[i];
          const [lower, upper] = [c.back(limit.lower), c.back(limit.upper)];
          if (lower !== null) expectClose(lower, Number(row[`${prefix}LCL`]), at(`${prefix}LCL`));
          if (upper !== null) expectClose(upper, Number(row[`${prefix}UCL`]), at(`${prefix}UCL`));
        });
        const outlier = p.band.endsWith('99.8');
        if (outlier) outliers++;
        expect(outlier, at('outlier')).toBe(row.outlier === '1');
      }
      expect(outliers).toBe(Number(s.n_outliers));
    });
  }
});
