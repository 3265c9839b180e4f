import { funnelAnalysis, spcChart, wilsonInterval } from '../../api/stats';
import { medianSeconds, report } from './measure';

/** Providers of a proportion indicator with overdispersion, generated deterministically. */
export function syntheticProportions(count: number) {
  let seed = 7;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: count }, (_, i) => {
    const denominator = 50 + Math.floor(next() * 5000);
    const rate = Math.min(0.95, Math.max(0.01, 0.12 + (next() - 0.5) * 0.08));
    return { id: `P${i}`, numerator: Math.round(denominator * rate), denominator };
  });
}

export async function statsBench(): Promise<void> {
  const rows = syntheticProportions(7000);
  let sink = 0;
  const baseline = await medianSeconds(() => {
    for (const row of rows) sink += row.numerator / row.denominator;
  }, 21);
  const input = { measure: 'proportion', providers: rows, adjustment: 'additive', polarity: 'lower-is-better', multiplier: 100 } as const;
  const funnel = await medianSeconds(() => {
    for (const row of rows) sink += wilsonInterval(row.numerator, row.denominator, 0.95).lower;
    const result = funnelAnalysis(input);
    sink += result.providers.filter((provider) => provider.band !== 'within').length;
  }, 7);
  // What the API asks for: bands without each provider's exact limits (decided from one tail probability each).
  const bandsOnly = await medianSeconds(() => {
    for (const row of rows) sink += wilsonInterval(row.numerator, row.denominator, 0.95).lower;
    sink += funnelAnalysis({ ...input, providerLimits: false }).providers.filter((provider) => provider.band !== 'within').length;
  }, 7);
  // Unadjusted (φ ≤ 1 in real data is common): every band is then against the exact binomial limits.
  const unadjustedBands = await medianSeconds(() => {
    sink += funnelAnalysis({ ...input, adjustment: 'none', providerLimits: false }).providers.filter((provider) => provider.band !== 'within').length;
  }, 7);

  let state = 11;
  const series = Array.from({ length: 10_000 }, () => (state = (state * 48271) % 2147483647) / 2147483647 + 10);
  const numerators = series.map((value) => Math.round(value * 10));
  const denominators = series.map(() => 200);
  const spcBaseline = await medianSeconds(() => {
    let total = 0;
    for (let i = 1; i < series.length; i++) total += Math.abs(series[i] - series[i - 1]);
    sink += total / (series.length - 1);
  }, 21);
  const xmr = await medianSeconds(() => {
    sink += spcChart({ kind: 'xmr', values: series, improvementDirection: 'increase', target: 10.5 }).points.length;
  }, 7);
  const pChart = await medianSeconds(() => {
    sink += spcChart({ kind: 'p', numerators, denominators, improvementDirection: 'decrease' }).points.length;
  }, 7);
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the work from being optimised away');

  const ms = (seconds: number) => `${(seconds * 1000).toFixed(2)} ms`;
  report('Statistics engine, in process (median of repeated runs)', [
    { name: '7,000 providers: Wilson intervals + funnel + φ/τ² + bands', value: ms(funnel), baseline: `proportions alone ${ms(baseline)}`, ratio: funnel / baseline },
    { name: '  the same, providerLimits: false (bands only)', value: ms(bandsOnly), baseline: `proportions alone ${ms(baseline)}`, ratio: bandsOnly / baseline },
    { name: '  unadjusted, bands against exact limits only', value: ms(unadjustedBands), baseline: `proportions alone ${ms(baseline)}`, ratio: unadjustedBands / baseline },
    { name: 'SPC XmR chart, 10,000 points, all rules', value: ms(xmr), baseline: `mean moving range alone ${ms(spcBaseline)}`, ratio: xmr / spcBaseline },
    { name: 'SPC p-chart, 10,000 points, all rules', value: ms(pChart), baseline: `mean moving range alone ${ms(spcBaseline)}`, ratio: pChart / spcBaseline },
  ]);
}
