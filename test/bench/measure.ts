/** Timing and memory helpers for `npm run bench`: every figure is printed next to a baseline from the same run. */

export async function timeIt<T>(fn: () => Promise<T> | T): Promise<{ seconds: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { seconds: (performance.now() - start) / 1000, result };
}

/** Median wall time of `repeats` runs, after one warm-up run. */
export async function medianSeconds(fn: () => Promise<unknown> | unknown, repeats = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) times.push((await timeIt(fn)).seconds);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Samples this process's resident set size while fn runs; returns the peak above the level at the start. */
export async function peakMemory<T>(fn: () => Promise<T>): Promise<{ result: T; peakBytes: number }> {
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakBytes: peak - start };
  } finally {
    clearInterval(timer);
  }
}

export const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export function report(title: string, rows: { name: string; value: string; baseline?: string; ratio?: number; target?: string }[]): void {
  console.log(`\n## ${title}`);
  for (const row of rows) {
    const ratio = row.ratio === undefined ? '' : `  ratio ${row.ratio.toFixed(2)}`;
    const baseline = row.baseline ? `  (baseline ${row.baseline})` : '';
    const target = row.target ? `  target ${row.target}` : '';
    console.log(`  ${row.name.padEnd(52)} ${row.value}${baseline}${ratio}${target}`);
  }
}
