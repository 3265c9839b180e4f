/**
 * A bounded HTTP load on loopback: `clients` concurrent loops, each sending GET requests until `requests` have
 * been sent in all, recording every latency. Exact percentiles, no sampling. `headers` go with every request
 * (fetch adds `accept-encoding: gzip, deflate` unless they name one, and undoes the compression, as browsers do).
 */
export async function httpLoad(url: string, options: { clients: number; requests: number; headers?: Record<string, string> }) {
  const latencies: number[] = [];
  let sent = 0;
  let failures = 0;
  let firstError: unknown;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (sent < options.requests) {
        sent++;
        const began = performance.now();
        try {
          const response = await fetch(url, { headers: options.headers });
          await response.arrayBuffer();
          if (!response.ok && response.status !== 304) failures++;
        } catch (error) {
          // A refused or timed-out connection on a loaded machine is a failed request, counted, not the end of the run.
          failures++;
          firstError ??= error;
        }
        latencies.push(performance.now() - began);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)];
  if (firstError) console.warn(`  ${failures} of ${latencies.length} requests to ${url} failed, the first: ${String((firstError as Error).cause ?? firstError)}`);
  return { p50: percentile(0.5), p95: percentile(0.95), requestsPerSecond: latencies.length / seconds, failures };
}
