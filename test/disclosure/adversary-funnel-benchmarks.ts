import { parseCsvRecords } from '../support/shared';
import { query, type AttackOptions, type AttackSession, type FunnelSeen } from './adversary';

const numberOrNull = (text: string | undefined) => (text === undefined || text.trim() === '' ? null : Number(text));

/**
 * The funnel's benchmarks and per-provider extras: for the busiest funnels, each network's benchmark=network
 * funnel with providerLimits, shrinkage and the FDR line. The network's benchmark is written down as a pooled
 * value over all its reporting members, so a benchmark that counted a withheld member would give its counts
 * away; every provider's figures, shrunken estimate and limits are read for a withheld cell's, and the CSV with
 * the providers' own limits is read as an analyst would download it.
 */
export async function attackFunnelBenchmarks(session: AttackSession, funnels: FunnelSeen[], options: AttackOptions): Promise<void> {
  const busiest = funnels.filter((funnel) => funnel.suppressed.length > 0).sort((a, b) => b.suppressed.length - a.suppressed.length).slice(0, options.csvCharts);
  for (const funnel of busiest) {
    const { indicator, period } = funnel;
    const at = (organisation: string) => ({ indicator: indicator.code, organisation, period });
    for (const network of session.networks) {
      const members = await session.membersOn(network, funnel.endDate);
      const group = funnel.reporting.filter((member) => members.has(member.organisation));
      if (!funnel.suppressed.some((code) => members.has(code))) continue;
      const answer = await session.json(
        `/api/funnel?${query({ indicator: indicator.code, period, network, benchmark: 'network', providerLimits: 'true', shrinkage: 'true', fdr: 'true' })}`,
      );
      if (!answer) continue;
      session.book.ratio('funnel?benchmark=network', group, answer.method.benchmarkValue / indicator.multiplier);
      for (const provider of answer.providers ?? []) {
        const rate = provider.value ?? provider.shrunken?.value ?? provider.limits?.unadjusted?.upper95 ?? null;
        session.book.disclosed('funnel?providerLimits&shrinkage', at(provider.code), {
          count: provider.numerator,
          denominator: provider.denominator ?? provider.precision,
          rate: rate === null ? null : rate / indicator.multiplier,
        });
      }
    }
    const { status, text } = await session.get(`/api/funnel?${query({ indicator: indicator.code, period, providerLimits: 'true', fdr: 'true', format: 'csv' })}`);
    if (status !== 200) continue;
    for (const row of parseCsvRecords(text)) {
      const value = numberOrNull(row.value) ?? numberOrNull(row.upper95);
      session.book.disclosed('funnel.csv?providerLimits', at(row.code), { count: numberOrNull(row.numerator), denominator: numberOrNull(row.denominator), rate: value === null ? null : value / indicator.multiplier });
    }
  }
}
