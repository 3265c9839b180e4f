/**
 * Small hand-made answers of the API's routes for the pack's unit tests: one proportion, a funnel of six
 * providers (five in the network, one of them suppressed), outliers and SPC charts. Fictional providers.
 */
import type { NetworkSpcJson, PackFunnelJson, VariationFindingJson } from './api-json';
import type { IndicatorSection, PackContent } from './pack-content';
import { indicatorFindings, memberCounts } from './indicator-findings';

export const indicator: PackFunnelJson['indicator'] = {
  code: 'P',
  name: 'Seen within 4 hours',
  unit: '%',
  multiplier: 100,
  measureKind: 'proportion',
  polarity: 'higher_is_better',
  target: 78,
  source: null,
};

const provider = (code: string, inNetwork: boolean, band: string | null, judgement: string | null) => ({
  code,
  name: `${code} Trust`,
  suppressed: judgement === null,
  value: judgement === null ? null : 70,
  lower: null,
  upper: null,
  z: null,
  adjustedZ: null,
  precision: null,
  band,
  judgement,
  inNetwork,
});

export const funnel = (overdispersion: Partial<PackFunnelJson['overdispersion']> = {}, adjustment = 'multiplicative'): PackFunnelJson => ({
  indicator,
  period: { label: '2025/26 Q2' },
  network: { code: 'N', name: 'Network' },
  method: { measure: 'proportion', convention: 'spiegelhalter', scale: 'arcsine', adjustment, trimFraction: 0.1, trimMethod: 'winsorise', unadjustedLimits: 'exact', suppressionThreshold: 5 },
  target: 72,
  overdispersion: { phi: 2.5, tau2: 0.0012, applied: true, pValue: 0.0001, n: 6, method: adjustment, ...overdispersion },
  curves: [],
  providers: [
    provider('A', true, 'within', 'as-expected'),
    provider('B', true, 'above-95', 'as-expected'),
    provider('C', true, 'above-99.8', 'better'),
    provider('D', true, 'below-99.8', 'worse'),
    provider('E', true, null, null),
    provider('F', false, 'below-99.8', 'worse'),
  ],
});

export const outlier = (code: string, sentence: string): VariationFindingJson => ({
  indicator: 'P',
  organisation: { code, name: `${code} Trust` },
  period: '2025/26 Q2',
  value: 80,
  adjustedZ: 4,
  band: 'above-99.8',
  judgement: 'better',
  side: 'above',
  persistence: { outside95: 4, judged: 4, periods: ['a', 'b', 'c', 'd'] },
  sentence,
});

export const spc = (variation: NetworkSpcJson['variation'], causes: (null | 'improvement' | 'concern')[], assurance: NetworkSpcJson['assurance'] = null): NetworkSpcJson => ({
  indicator: { ...indicator },
  network: { code: 'N', name: 'Network' },
  kind: 'p',
  settings: { trendLength: 7, runLength: 7 },
  points: causes.map((specialCause, i) => ({
    period: `Q${i}`,
    segment: 0,
    suppressed: false,
    value: 70,
    centre: 70,
    lowerLimit: 69,
    upperLimit: 71,
    lowerTwoSigma: null,
    upperTwoSigma: null,
    specialCause,
    providers: 5,
  })),
  variation,
  assurance,
});

/** One indicator's section as the pack gathers it, its findings written from the fixtures. */
export function section(overrides: Partial<IndicatorSection> = {}): IndicatorSection {
  const base = {
    indicator,
    granularity: 'quarter' as const,
    funnel: funnel(),
    measure: { pooled: { value: 74, lower: 73, upper: 75, providers: 4 }, all: { value: 72, lower: 71.8, upper: 72.2, providers: 6 } },
    networkSpc: spc('common_cause', [null, null]),
    networkSpcReason: null,
    outliers: [],
    ...overrides,
  };
  return { finder: { methodSensitive: 1, persistent: 2 }, ...base, counts: memberCounts(base.funnel), findings: indicatorFindings({ ...base, outlierSpc: [] }) };
}

/** A pack of the given sections and outliers, loaded and built on fixed dates. */
export function packContent(sections: IndicatorSection[], outliers: VariationFindingJson[] = []): PackContent {
  return {
    network: { code: 'N', name: 'North Network' },
    period: '2025/26 Q2',
    method: { convention: 'spiegelhalter', adjustment: 'multiplicative', trimFraction: 0.1, trimMethod: null, suppressionThreshold: 5 },
    recent: 4,
    builtAt: '2026-03-02T09:00:00.000Z',
    provenance: {
      loadedAt: '2026-02-27T16:30:00.000Z',
      batches: [{ id: 1, fileName: 'observations.csv', format: 'generic', checksum: 'ab'.repeat(32), loadedAt: '2026-02-27T16:30:00.000Z', status: 'loaded', observations: 1234 }],
    },
    outliers,
    indicators: sections,
  };
}
