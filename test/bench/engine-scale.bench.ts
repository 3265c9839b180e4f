import { PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { funnelAnalysis, type AnyFunnelAnalysisInput } from '../../api/stats';
import { report } from './measure';

/** Deterministic providers (Park–Miller generator): proportions with overdispersion, and O/E ratios around 1. */
function syntheticProviders(count: number) {
  let seed = 20_251_207;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const proportions = new Array<{ id: string; numerator: number; denominator: number }>(count);
  const ratios = new Array<{ id: string; numerator: number; denominator: number }>(count);
  for (let i = 0; i < count; i++) {
    const denominator = 50 + Math.floor(next() * 5000);
    const rate = Math.min(0.95, Math.max(0.01, 0.12 + (next() - 0.5) * 0.08));
    proportions[i] = { id: `P${i}`, numerator: Math.round(denominator * rate), denominator };
    const expected = 5 + next() * 400;
    ratios[i] = { id: `P${i}`, numerator: Math.round(expected * (0.8 + next() * 0.4)), denominator: Math.round(expected * 100) / 100 };
  }
  return { proportions, ratios };
}

/** `gc()` without asking the caller to start node with --expose-gc. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const collections: { startTime: number; duration: number }[] = [];
new PerformanceObserver((list) => {
  for (const { startTime, duration } of list.getEntries()) collections.push({ startTime, duration });
}).observe({ entryTypes: ['gc'] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

/**
 * Best of `repeats` runs after one warm-up, by the CPU time of this process (the machine is shared: wall time
 * counts other people's work too), with that run's wall time and the garbage collection inside it.
 */
async function bestOf(fn: () => unknown, repeats: number): Promise<{ seconds: number; wallSeconds: number; gcSeconds: number }> {
  fn();
  let best = { seconds: Infinity, wallSeconds: 0, gcSeconds: 0 };
  for (let i = 0; i < repeats; i++) {
    collectGarbage();
    await settle();
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    fn();
    const end = performance.now();
    const cpu = process.cpuUsage(cpuBefore);
    await settle();
    const seconds = (cpu.user + cpu.system) / 1e6;
    const gc = collections.filter((entry) => entry.startTime >= start && entry.startTime < end).reduce((total, entry) => total + entry.duration, 0);
    collections.length = 0;
    if (seconds < best.seconds) best = { seconds, wallSeconds: (end - start) / 1000, gcSeconds: gc / 1000 };
  }
  return best;
}

/** Heap the result holds once the run's garbage is collected. */
function retainedBytes(fn: () => unknown): { bytes: number; result: unknown } {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const result = fn();
  collectGarbage();
  return { bytes: process.memoryUsage().heapUsed - before, result };
}

/**
 * Issue 17: the funnel engine as the API runs it (bands without each provider's limits, curves drawn, φ and τ²
 * estimated from trimmed z-scores) at 10,000, 100,000 and 1,000,000 providers. The figure is CPU µs per provider,
 * and the ratio of 1,000,000 (and 100,000) to 10,000 in the same run: linear time gives 1. Target ≤ 1.5×.
 */
export async function engineScaleBench(): Promise<void> {
  const sizes = [10_000, 100_000, 1_000_000];
  const repeats: Record<number, number> = { 10_000: 21, 100_000: 7, 1_000_000: 3 };
  const funnels: { name: string; input: (providers: ReturnType<typeof syntheticProviders>) => AnyFunnelAnalysisInput }[] = [
    { name: 'SHMI ratio (log, truncated, τ²)', input: ({ ratios }) => ({ measure: 'ratio', convention: 'shmi', providers: ratios, polarity: 'lower-is-better' }) },
    { name: 'SHMI ratio, winsorised', input: ({ ratios }) => ({ measure: 'ratio', convention: 'shmi', trimMethod: 'winsorise', providers: ratios, polarity: 'lower-is-better' }) },
    { name: 'proportion (arcsine, winsorised, τ²)', input: ({ proportions }) => ({ measure: 'proportion', adjustment: 'additive', providers: proportions, polarity: 'lower-is-better', multiplier: 100 }) },
  ];
  let sink = 0;
  for (const funnel of funnels) {
    const rows = [];
    let at10k = { cpu: 0, wall: 0 };
    for (const size of sizes) {
      const input = { ...funnel.input(syntheticProviders(size)), providerLimits: false } as const;
      const run = () => {
        const result = funnelAnalysis(input);
        sink += result.providers.length + result.curves.length;
        return result;
      };
      const { seconds, wallSeconds, gcSeconds } = await bestOf(run, repeats[size]);
      const { bytes } = retainedBytes(run);
      const perProvider = { cpu: (seconds * 1e6) / size, wall: (wallSeconds * 1e6) / size };
      if (size === sizes[0]) at10k = perProvider;
      const wallRatio = size === sizes[0] ? '' : `, wall ratio ${(perProvider.wall / at10k.wall).toFixed(2)}`;
      rows.push({
        name: `${size.toLocaleString('en-GB')} providers`,
        value: `${perProvider.cpu.toFixed(2)} µs/provider CPU (${(seconds * 1000).toFixed(0)} ms; wall ${(wallSeconds * 1000).toFixed(0)} ms, GC ${(gcSeconds * 1000).toFixed(0)} ms${wallRatio}; result ${(bytes / size).toFixed(0)} B/provider)`,
        baseline: size === sizes[0] ? undefined : `10,000 at ${at10k.cpu.toFixed(2)} µs/provider`,
        ratio: size === sizes[0] ? undefined : perProvider.cpu / at10k.cpu,
        target: size === sizes.at(-1) ? '≤ 1.5×' : undefined,
      });
    }
    report(`Funnel engine at scale: ${funnel.name}, bands only, curves drawn (best of runs)`, rows);
  }
  // The provider page, overview and variation finder judge many small funnels and draw none of them.
  const small = syntheticProviders(200);
  const smallRows = [];
  for (const funnel of funnels) {
    const input = { ...funnel.input(small), providerLimits: false } as const;
    const drawn = await bestOf(() => (sink += funnelAnalysis(input).curves.length), 51);
    const judged = await bestOf(() => (sink += funnelAnalysis({ ...input, curves: false }).providers.length), 51);
    smallRows.push({ name: `${funnel.name}: curves: false`, value: `${(judged.seconds * 1000).toFixed(2)} ms`, baseline: `curves drawn ${(drawn.seconds * 1000).toFixed(2)} ms`, ratio: judged.seconds / drawn.seconds });
  }
  report('200-provider funnels judged without their curves (as peerFunnel asks), CPU, best of runs', smallRows);

  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(`  peak resident memory of the whole benchmark process: ${(peak / 1024 / 1024).toFixed(0)} MB`);
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the work from being optimised away');
}
