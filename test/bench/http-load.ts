/**
 * A bounded HTTP load on loopback: `clients` concurrent loops, each sending GET requests until `requests` have
 * been sent in all, recording every latency. Exact percentiles, no sampling.
 */
export async function httpLoad(url: string, options: { clients: number; requests: number }) {
  const latencies: number[] = [];
  let sent = 0;
  let failures = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (sent < options.requests) {
        sent++;
        const began = performance.now();
        const response = await fetch(url);
        await response.arrayBuffer();
        if (!response.ok) failures++;
        latencies.push(performance.now() - began);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)];
  return { p50: percentile(0.5), p95: percentile(0.95), requestsPerSecond: latencies.length / seconds, failures };
}
