/**
 * Providers as markers, shared by the funnel and the caterpillar so both draw a judgement and a
 * chosen network alike: one scatter series per judgement and emphasis (colour and shape from the
 * palette), network members on top and labelled, the others faded, suppressed providers left off
 * and counted for the footnote, and the judgement counts for the accessible description.
 */
import type { ScatterSeriesOption } from 'echarts';
import type { Judgement } from '../stats';
import { fontFamily, markerLegendEntry, type LegendEntry } from './chart-frame';
import { fadedMarker, judgementOrder, judgementStyles, markerOutline, nhsColours, tint } from './palette';
import type { ProviderMeasurement } from './types';

/** A network member, a provider outside the network, or any provider when no network is chosen. */
export type Emphasis = 'highlighted' | 'faded' | 'normal';

export const emphasisStyles: Record<Emphasis, { symbolSize: number; z: number; borderColor: string; borderWidth: number }> = {
  faded: { symbolSize: 7, z: 3, borderColor: fadedMarker.outline, borderWidth: fadedMarker.outlineWidth },
  normal: { symbolSize: 9, z: 4, borderColor: markerOutline.colour, borderWidth: markerOutline.width },
  highlighted: { symbolSize: 12, z: 5, borderColor: markerOutline.colour, borderWidth: 1.5 },
};

/** Providers beyond a limit are drawn this much larger, so a signal stands out of the crowd. */
const signalEnlargement = 2;

/** Beyond the 99.8 % limit in either direction. */
export function isSignal(judgement: Judgement): boolean {
  return judgement !== 'as-expected';
}

/** The marker fill: the judgement's colour, or its pale tint outside the network. */
export function markerFill(judgement: Judgement, emphasis: Emphasis): string {
  const colour = judgementStyles[judgement].colour;
  return emphasis === 'faded' ? tint(colour, fadedMarker.tintShare) : colour;
}

/** How each provider is drawn: faded only when some provider on the chart is highlighted. */
export function emphasisFor<P extends ProviderMeasurement>(shown: readonly P[]): (provider: P) => Emphasis {
  const anyHighlighted = shown.some((provider) => provider.highlighted);
  return (provider) => (!anyHighlighted ? 'normal' : provider.highlighted ? 'highlighted' : 'faded');
}

export interface ProviderPointSettings<P> {
  /** The scatter data item of a provider, carrying its tooltip fields. */
  item: (provider: P) => object;
  /**
   * Print names beside markers (the funnel). Which are named is up to `labelRank`: the providers it ranks are
   * placed in that order, clear of each other and of the chart's lines, once the chart is laid out
   * (`placePointLabels`); the others are named in their tooltip only.
   */
  labelled: boolean;
  /** The order in which names are placed (0 first); undefined for a provider named only on hover. */
  labelRank?: (provider: P) => number | undefined;
  /** Names longer than this many pixels are cut short; the tooltip and the table have them whole. */
  labelMaxWidth?: number;
  /** Names drawn over other providers' markers when no clear place is left (the signals'). */
  labelRequired?: (provider: P) => boolean;
}

export function providerPointSeries<P extends ProviderMeasurement>(shown: readonly P[], settings: ProviderPointSettings<P>): ScatterSeriesOption[] {
  const emphasisOf = emphasisFor(shown);
  const series: ScatterSeriesOption[] = [];
  for (const judgement of judgementOrder) {
    for (const emphasis of ['faded', 'normal', 'highlighted'] as const) {
      const providers = shown.filter((provider) => provider.judgement === judgement && emphasisOf(provider) === emphasis);
      if (providers.length === 0) continue;
      const style = judgementStyles[judgement];
      const look = emphasisStyles[emphasis];
      const rankOf = (provider: P) => (settings.labelled ? settings.labelRank?.(provider) : undefined);
      const label = providers.some((provider) => rankOf(provider) !== undefined);
      series.push({
        type: 'scatter',
        id: `providers-${judgement}-${emphasis}`,
        // Series of one judgement share a name, so the key shows one entry that toggles them all.
        name: style.label,
        z: look.z,
        symbol: style.symbol,
        symbolSize: look.symbolSize + (isSignal(judgement) ? signalEnlargement : 0),
        itemStyle: { color: markerFill(judgement, emphasis), opacity: 1, borderColor: look.borderColor, borderWidth: look.borderWidth },
        label: label
          ? {
              show: true,
              position: 'right',
              formatter: '{b}',
              fontFamily,
              fontSize: 11,
              fontWeight: isSignal(judgement) ? 'bold' : 'normal',
              color: nhsColours.black,
              // A white halo keeps the name legible beside a marker or grid line, without hiding markers as a box would.
              textBorderColor: nhsColours.white,
              textBorderWidth: 3,
            }
          : { show: false },
        // Until the names are placed (placePointLabels), ECharts hides any that overlap.
        labelLayout: { hideOverlap: true },
        // Thousands of practices: one path per series and one frame, not a marker each drawn over many frames.
        large: true,
        largeThreshold: 2000,
        progressive: 0,
        data: providers.map((provider) => {
          const item = settings.item(provider);
          if (!label) return item;
          const labelRank = rankOf(provider);
          if (labelRank === undefined) return { ...item, label: { show: false } };
          return {
            ...item,
            labelRank,
            ...(settings.labelMaxWidth ? { labelMaxWidth: settings.labelMaxWidth } : {}),
            ...(settings.labelRequired?.(provider) ? { labelRequired: true } : {}),
          };
        }),
      });
    }
  }
  return series;
}

/** Key entries for the judgements on the chart, the signals first. */
export function judgementLegend(shown: readonly ProviderMeasurement[]): LegendEntry[] {
  return judgementsShown(shown).map((judgement) => markerLegendEntry(judgementStyles[judgement].label, judgementStyles[judgement]));
}

function judgementsShown(shown: readonly ProviderMeasurement[]): Judgement[] {
  return [...judgementOrder].reverse().filter((judgement) => shown.some((provider) => provider.judgement === judgement));
}

/** "2 worse than expected, 1 better than expected, 5 as expected". */
export function judgementCounts(shown: readonly ProviderMeasurement[]): string {
  return judgementsShown(shown)
    .map((judgement) => `${shown.filter((provider) => provider.judgement === judgement).length} ${judgementStyles[judgement].label.toLowerCase()}`)
    .join(', ');
}

/** "Highlighted: A (worse than expected); B (as expected)", or "" without a network. */
export function highlightedSummary(shown: readonly ProviderMeasurement[]): string {
  const names = shown.filter((provider) => provider.highlighted).map((provider) => `${provider.name} (${judgementStyles[provider.judgement].label.toLowerCase()})`);
  return names.length > 0 ? `Highlighted: ${names.join('; ')}.` : '';
}

export interface ProvidersShown<P> {
  shown: P[];
  /** Footnote lines for the providers left off. */
  notes: string[];
}

/** Leaves off suppressed providers and those `drawable` rejects (no value), and says so in the footnote. */
export function providersShown<P extends ProviderMeasurement>(providers: readonly P[], drawable: (provider: P) => boolean): ProvidersShown<P> {
  const suppressed = providers.filter((provider) => provider.suppressed).length;
  const shown = providers.filter((provider) => !provider.suppressed && drawable(provider));
  const withoutValue = providers.length - shown.length - suppressed;
  const notes: string[] = [];
  if (suppressed > 0) notes.push(`${providerCount(suppressed)} not shown: small numbers suppressed.`);
  if (withoutValue > 0) notes.push(`${providerCount(withoutValue)} not shown: no value for the period.`);
  return { shown, notes };
}

function providerCount(count: number): string {
  return `${count} ${count === 1 ? 'provider' : 'providers'}`;
}
