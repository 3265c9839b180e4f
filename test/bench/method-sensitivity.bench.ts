import { methodSensitivity } from '../../api/analysis/method-sensitivity';
import { funnelAnalysis } from '../../api/stats';
import { medianSeconds, report } from './measure';
import { syntheticProportions } from './stats.bench';

/** Synthetic ratios O/E with overdispersion, generated deterministically: the sweep's largest case (ten methods, SHMI included). */
function syntheticRatios(count: number) {
  return syntheticProportions(count).map((row, i) => ({ id: row.id, numerator: row.numerator, denominator: row.numerator * (0.8 + (i % 9) / 20) + 2 }));
}

/**
 * Issue 15: the method-sensitivity sweep of one funnel (every method the product offers, each provider judged under
 * each) against one funnel of the same providers as the API draws it (bands only, curves), in the same run. Target ≤ 5×.
 */
export async function methodSensitivityBench(): Promise<void> {
  let sink = 0;
  const rows = [
    { name: 'proportion', input: { measure: 'proportion', providers: syntheticProportions(7000), polarity: 'lower-is-better', multiplier: 100 } as const },
    { name: 'ratio', input: { measure: 'ratio', providers: syntheticRatios(7000), polarity: 'lower-is-better' } as const },
  ].flatMap(({ name, input }) => [{ name, input }]);
  const figures = [];
  for (const { name, input } of rows) {
    const funnel = await medianSeconds(() => {
      sink += funnelAnalysis({ ...input, providerLimits: false }).providers.filter((provider) => provider.judgement !== 'as-expected').length;
    }, 7);
    const sweep = await medianSeconds(() => {
      sink += methodSensitivity(input).providers.filter((provider) => !provider.robust).length;
    }, 7);
    figures.push({ name: `7,000 providers (${name}): sweep of every method`, value: `${(sweep * 1000).toFixed(2)} ms`, baseline: `one funnel ${(funnel * 1000).toFixed(2)} ms`, ratio: sweep / funnel, target: '≤ 5×' });
  }
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the work from being optimised away');
  report('Method sensitivity, in process (median of repeated runs)', figures);
}
