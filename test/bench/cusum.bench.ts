import { funnelAnalysis } from '../../api/stats';
import { cusumThreshold, standardisedCusum, zScoreChart } from '../../api/stats/cusum';
import { medianSeconds, report } from './measure';
import { syntheticProportions } from './stats.bench';

const providers = 7000;
const periods = 20;

/** Each provider's adjusted z over the periods: Normal(0, 1) by Box–Muller from a fixed Lehmer stream, with a gap now and then. */
function syntheticScores(): (number | null)[][] {
  let seed = 13;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: providers }, () =>
    Array.from({ length: periods }, () => (next() < 0.03 ? null : Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next()))),
  );
}

/**
 * Sequential monitoring of a whole country's providers on one indicator: for 7,000 providers × 20 periods the
 * threshold h solved for ARL0 = 100 and both CUSUMs (target: at most 5 times the baseline), then with the Making
 * Data Count rules on each provider's z too. The baseline is one funnel of the same 7,000 providers, bands only, as
 * the API draws it.
 */
export async function cusumBench(): Promise<void> {
  const rows = syntheticProportions(providers);
  const scores = syntheticScores();
  let sink = 0;
  const funnel = await medianSeconds(() => {
    const result = funnelAnalysis({ measure: 'proportion', providers: rows, adjustment: 'multiplicative', polarity: 'lower-is-better', multiplier: 100, providerLimits: false });
    sink += result.providers.filter((provider) => provider.band !== 'within').length;
  }, 7);
  const cusum = await medianSeconds(() => {
    const h = cusumThreshold(0.5, 100);
    for (const series of scores) sink += standardisedCusum(series, 0.5, h).filter((step) => step.signal !== null).length;
  }, 7);
  const monitoring = await medianSeconds(() => {
    const h = cusumThreshold(0.5, 100);
    for (const series of scores) {
      sink += standardisedCusum(series, 0.5, h).filter((step) => step.signal !== null).length;
      sink += zScoreChart(series, { improvementDirection: 'decrease' }).points.filter((point) => point?.rule != null).length;
    }
  }, 7);
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the work from being optimised away');
  const ms = (seconds: number) => `${(seconds * 1000).toFixed(2)} ms`;
  report('Sequential monitoring, in process (median of repeated runs)', [
    { name: `${providers.toLocaleString('en-GB')} providers × ${periods} periods: h for ARL0 100 and both CUSUMs`, value: ms(cusum), baseline: `one funnel of the same providers ${ms(funnel)}`, ratio: cusum / funnel, target: '≤ 5×' },
    { name: '  the same with the SPC rules on z', value: ms(monitoring), baseline: `one funnel of the same providers ${ms(funnel)}`, ratio: monitoring / funnel },
  ]);
}
