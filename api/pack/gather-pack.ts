import type {
  ApiErrorJson,
  NetworkMeasureJson,
  NetworkSpcJson,
  PackFunnelJson,
  ProvenanceJson,
  ProviderSpcSummary,
  VariationJson,
} from './api-json';
import { indicatorFindings, memberCounts, type PersistentOutlierJson } from './indicator-findings';
import { gatherCasework } from './pack-casework';
import { gatherOpportunity } from './pack-opportunity';
import { gatherChanges } from './pack-changes';
import type { IndicatorSection, PackContent, PackOptions } from './pack-content';

/** A GET of one of the API's own routes, answered in process (`app.request`). */
export type ApiRequest = (path: string) => Response | Promise<Response>;

/** A route refused part of the pack; the status, code and parameter are the route's, renamed for the pack. */
export class PackSourceError extends Error {
  override name = 'PackSourceError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

// The routes take one indicator; the pack takes a list.
const packParameter = (parameter: string | undefined) => (parameter === 'indicator' ? 'indicators' : parameter);

/** A route's JSON answer; a refusal becomes a PackSourceError, its message led by `subject` (an indicator) when given. */
async function getJson<T>(request: ApiRequest, path: string, params: Record<string, string | number | undefined>, subject?: string): Promise<T> {
  const query = new URLSearchParams(Object.entries(params).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])));
  const response = await request(`${path}?${query}`);
  const body: unknown = await response.json();
  if (!response.ok) {
    const { error } = body as ApiErrorJson;
    throw new PackSourceError(response.status, error.code, subject ? `${subject}: ${error.message}` : error.message, packParameter(error.parameter));
  }
  return body as T;
}

/**
 * The latest period of the network's indicators (those named, else every one its members report): the one ending
 * last, as every other view defaults to the latest. The network is checked, and hidden alike, by the routes asked.
 */
export async function latestPackPeriod(request: ApiRequest, network: string, named: readonly string[] | undefined): Promise<string> {
  const codes = named ?? (await getJson<{ indicators: { code: string }[] }>(request, '/api/indicators', { network })).indicators.map(({ code }) => code);
  const periods = await Promise.all(
    codes.map(async (code) => (await getJson<{ periods: { label: string; endDate: string }[] }>(request, `/api/indicators/${encodeURIComponent(code)}/periods`, {}, code)).periods),
  );
  const latest = periods.flat().reduce<{ label: string; endDate: string } | undefined>((last, period) => (last === undefined || period.endDate > last.endDate ? period : last), undefined);
  if (latest === undefined) throw new PackSourceError(404, 'not_found', `No member of ${network} has figures for any indicator`, 'network');
  return latest.label;
}

/**
 * Everything a board pack shows, asked of the API's own routes in process, so that each number and chart is the
 * one the API answers for the same parameters, suppression included: the variation finder for the outliers, their
 * persistence and method sensitivity, and the persistent outliers still within 99.8 %, each indicator's funnel with the network flagged, the network's pooled value beside all
 * providers', the network's SPC chart and the outliers' own, and the provenance of the figures.
 */
export async function gatherPack(request: ApiRequest, options: PackOptions): Promise<PackContent> {
  // Every route the pack asks is asked with the same threshold (and reason, below the floor), so its figures agree.
  const disclosure = { suppression: options.suppression, suppressionReason: options.suppressionReason };
  const method = { convention: options.convention, adjustment: options.adjustment, trim: options.trim, trimMethod: options.trimMethod, ...disclosure };
  const { network, period } = options;
  const variation = await getJson<VariationJson & { persistent: PersistentOutlierJson[] }>(request, '/api/variation', { network, period, recent: options.recent, ...method });
  const assessed = new Map(variation.indicators.map((indicator) => [indicator.code, indicator]));
  const codes = options.indicators ?? variation.indicators.map((indicator) => indicator.code);
  for (const code of codes) {
    if (assessed.has(code)) continue;
    await getJson(request, `/api/indicators/${encodeURIComponent(code)}`, {});
    throw new PackSourceError(404, 'not_found', `No provider of ${variation.network.code} has figures for ${code} in ${period}`, 'indicators');
  }
  const sections = await Promise.all(
    codes.map(async (code): Promise<IndicatorSection> => {
      const outliers = variation.findings.filter((finding) => finding.indicator === code);
      const persistent = variation.persistent.filter((one) => one.indicator === code);
      const [funnel, measure, spc, outlierSpc] = await Promise.all([
        getJson<PackFunnelJson>(request, '/api/funnel', { indicator: code, period, network, ...method }, code),
        getJson<NetworkMeasureJson>(request, '/api/measures/network', { indicator: code, network, period, ...disclosure }, code),
        chartOrReason(getJson<NetworkSpcJson>(request, '/api/trends/network-spc', { indicator: code, network, ...disclosure })),
        Promise.all(
          outliers.map((outlier) =>
            getJson<ProviderSpcSummary>(request, '/api/trends/spc', { indicator: code, organisation: outlier.organisation.code, ...disclosure }, code),
          ),
        ),
      ]);
      const { granularity } = assessed.get(code)!.period;
      const { methodSensitive, persistent: persistentCount } = assessed.get(code)!;
      return {
        indicator: funnel.indicator,
        granularity,
        funnel,
        measure,
        networkSpc: spc.chart,
        networkSpcReason: spc.reason,
        outliers,
        counts: memberCounts(funnel),
        finder: { methodSensitive, persistent: persistentCount },
        findings: indicatorFindings({ funnel, outliers, persistent, measure, networkSpc: spc.chart, outlierSpc, granularity }),
      };
    }),
  );
  const provenance = await getJson<ProvenanceJson>(request, '/api/provenance', { indicators: codes.join(',') });
  const chosen = new Set(codes);
  return {
    network: { code: variation.network.code, name: variation.network.name },
    period,
    method: variation.method,
    recent: variation.recent,
    builtAt: new Date().toISOString(),
    provenance,
    outliers: variation.findings.filter((finding) => chosen.has(finding.indicator)),
    indicators: sections,
    casework: await gatherCasework(request, { network: variation.network.code, period, indicators: codes }),
    opportunity: await gatherOpportunity(request, { network: variation.network.code, period, indicators: codes, method }),
    changes: await gatherChanges(request, { network: variation.network.code, ...disclosure }),
  };
}

/** The network's SPC chart, or why it cannot be drawn (too few periods with figures): the pack says so rather than failing. */
async function chartOrReason(chart: Promise<NetworkSpcJson>): Promise<{ chart: NetworkSpcJson | null; reason: string | null }> {
  try {
    return { chart: await chart, reason: null };
  } catch (error) {
    if (error instanceof PackSourceError && error.status === 422) return { chart: null, reason: error.message };
    throw error;
  }
}
