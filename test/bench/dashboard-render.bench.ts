import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { FunnelChartData } from '../../api/charts';
import { funnelAnalysis } from '../../api/stats';
import { chromiumAvailable, chromiumPath, launchChromium, projectRoot } from '../support/browser';
import { report } from './measure';
import { syntheticProportions } from './stats.bench';

const providers = 7000;
const repeats = 9;

/** The funnel of `count` providers as the dashboard draws it: values, precisions, bands and the limit curves. */
function funnelData(count: number): FunnelChartData {
  const funnel = funnelAnalysis({ measure: 'proportion', providers: syntheticProportions(count), adjustment: 'multiplicative', polarity: 'lower-is-better', multiplier: 100, providerLimits: false });
  return {
    title: 'Bench proportion',
    subtitle: `${count} providers`,
    source: 'synthetic',
    footnote: 'Funnel limits 95 % and 99.8 %.',
    unit: '%',
    xAxisLabel: 'Denominator',
    yAxisLabel: 'Bench proportion (%)',
    target: funnel.target,
    curves: funnel.curves,
    providers: funnel.providers.map((provider, index) => ({
      id: provider.id,
      name: `Provider ${provider.id}`,
      value: provider.value,
      precision: provider.precision,
      z: provider.z,
      band: provider.band,
      judgement: provider.judgement,
      highlighted: index < 25,
    })),
  };
}

/**
 * A funnel of 7,000 providers drawn in headless Chromium by the dashboard's own chart code (option builder and
 * ECharts action), next to an empty chart with the same frame in the same browser: median of 9 after a
 * warm-up, each on a fresh chart. Target: under 200 ms.
 */
export async function dashboardRenderBench(): Promise<void> {
  if (!chromiumAvailable) {
    console.log(`\n## Dashboard funnel render\n  skipped: no Chromium at ${chromiumPath} (apt-get install chromium)`);
    return;
  }
  const bundle = await build({
    root: projectRoot,
    configFile: false,
    logLevel: 'warn',
    // Library mode leaves process.env.NODE_ENV in ECharts' code for its user to set.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: false,
      minify: true,
      lib: { entry: fileURLToPath(new URL('./dashboard-render.entry.ts', import.meta.url)), formats: ['iife'], name: 'dashboardRenderBench' },
    },
  });
  const output = (Array.isArray(bundle) ? bundle[0] : bundle) as { output: { type: string; code?: string }[] };
  const code = output.output.find((chunk) => chunk.type === 'chunk')!.code!;

  const full = funnelData(providers);
  const empty: FunnelChartData = { ...full, subtitle: 'no providers', providers: [], curves: [] };
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (error) => console.error(`bench page: ${error.message}`));
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: code });
    const median = async (data: FunnelChartData) => {
      const runs: { options: number; total: number }[] = [];
      for (let run = 0; run <= repeats; run++) {
        const timing = await page.evaluate((input) => (window as unknown as { renderFunnel: (data: FunnelChartData) => Promise<{ options: number; total: number }> }).renderFunnel(input), data);
        if (run > 0) runs.push(timing);
      }
      const middle = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
      return { options: middle(runs.map((run) => run.options)), total: middle(runs.map((run) => run.total)) };
    };
    const emptyTiming = await median(empty);
    const fullTiming = await median(full);
    const [emptyMs, fullMs] = [emptyTiming.total, fullTiming.total];
    report(`Dashboard funnel render in headless Chromium (${providers.toLocaleString('en-GB')} providers, median of ${repeats})`, [
      { name: 'empty chart (same frame, no providers or limits)', value: `${emptyMs.toFixed(1)} ms` },
      { name: `funnel of ${providers.toLocaleString('en-GB')} providers with 4 limit curves`, value: `${fullMs.toFixed(1)} ms`, baseline: `${emptyMs.toFixed(1)} ms`, ratio: fullMs / emptyMs, target: '< 200 ms' },
      { name: '  of which building the options (api/charts)', value: `${fullTiming.options.toFixed(1)} ms`, baseline: `${emptyTiming.options.toFixed(1)} ms`, ratio: fullTiming.options / emptyTiming.options },
    ]);
  } finally {
    await browser.close();
  }
}
