/**
 * The deck's charts as PowerPoint charts a board-paper author can restyle (pptxgenjs `addChart`): the funnel as
 * a scatter chart and the network's SPC chart as a line chart. Every number in them is one the API published for
 * the pack's parameters, read from its answers as the pictures are: the funnel's providers whose figures are
 * shown (a withheld provider has no point, in the chart or its workbook), its limit curves, benchmark and target
 * lines; the SPC chart's pooled values (withheld periods left blank), mean, process limits and special causes.
 */
import JSZip from 'jszip';
import { judgementStyles, nhsColours, specialCauseStyles } from '../charts';
import { limitLineStyle } from '../charts/funnel-options';
import { precisionAxisLabel, targetLinesOf, valueAxisLabel, valueRange } from '../charts/api-chart-data';
import type { IndicatorSection } from './pack-content';

/** How one series is drawn: markers without a line, or a line without markers. */
export type SeriesStyle =
  | { kind: 'points'; colour: string; size: number; symbol: 'circle' | 'square' | 'diamond' | 'triangle' }
  | { kind: 'line'; colour: string; width: number; dash: 'solid' | 'dash' | 'sysDot' | 'lgDash' | 'dashDot'; markers?: boolean };

export interface NativeSeries {
  name: string;
  /** One value per row of the chart (x for a scatter chart's rows, category for a line chart's); null leaves it blank. */
  values: (number | null)[];
  style: SeriesStyle;
}

export interface NativeChart {
  kind: 'scatter' | 'line';
  title: string;
  /** A scatter chart's x of each row, or a line chart's categories. */
  x: number[] | string[];
  series: NativeSeries[];
  xTitle: string;
  yTitle: string;
  y: { min: number; max: number; format: string; step: number };
  xRange?: { min: number; max: number; format: string; step: number };
}

/** A step of 1, 2 or 5 × 10ⁿ giving about `count` intervals over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((factor) => factor * power).find((step) => step >= raw)!;
}

const decimalsOf = (step: number) => Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
const numberFormat = (decimals: number) => (decimals === 0 ? '#,##0' : `0.${'0'.repeat(decimals)}`);

/** An axis over the values with a little room, on steps of 1, 2 or 5, kept to the measure's range. */
function axisAround(values: readonly number[], range: { min?: number; max?: number } = {}, room = 0.12): { min: number; max: number; format: string; step: number } {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = Math.max((high - low) * room, Math.abs(high) * 0.02, 1e-9);
  const step = niceStep(high - low + 2 * pad, 6);
  const min = Math.max(range.min ?? -Infinity, Math.floor((low - pad) / step) * step);
  const max = Math.min(range.max ?? Infinity, Math.ceil((high + pad) / step) * step);
  return { min: Number(min.toFixed(10)), max: Number(max.toFixed(10)), format: numberFormat(decimalsOf(step)), step };
}

/**
 * Every `step`th point of a limit curve, its first and last kept: the API's 150 log-spaced points per curve are
 * for pictures; a third of them draw the same smooth line on a slide, and every row is written once per series in
 * the chart's caches and once in its workbook.
 */
const curveStep = 3;
const everyOther = <T>(points: readonly T[], step: number) => points.filter((_, index) => index % step === 0 || index === points.length - 1);

/** The series of the network's providers on the funnel, and of its pooled value on the SPC chart; the chart's title names the network. */
export const networkSeriesName = "Network's providers";
export const spcValueSeriesName = 'Network pooled value';

/** "99.8 % limit, adjusted": short enough for a legend beside the plot. */
const shortCurveName = (curve: { coverage: number; kind: 'adjusted' | 'unadjusted' }, bothKinds: boolean) =>
  `${Number((curve.coverage * 100).toFixed(1))} % limit${curve.kind === 'adjusted' ? ', adjusted' : bothKinds ? ', unadjusted' : ''}`;

const dashOf = (type: 'solid' | number[]): 'solid' | 'dash' | 'sysDot' | 'dashDot' => (type === 'solid' ? 'solid' : type.length > 2 ? 'dashDot' : type[0] <= 2 ? 'sysDot' : 'dash');

/**
 * The funnel: the network's providers and the others as two point series (the network's named by it), each limit
 * curve as one line (its lower then its upper branch, a blank row between), the benchmark and any target as lines
 * across the providers' range.
 */
export function nativeFunnel(section: IndicatorSection, network: { name: string }): NativeChart {
  const { funnel, indicator } = section;
  const shown = funnel.providers.filter((provider) => !provider.suppressed && provider.value !== null && provider.precision !== null);
  const members = shown.filter((provider) => provider.inNetwork === true);
  const others = shown.filter((provider) => provider.inNetwork !== true);
  const rows: { x: number; at: number; y: number }[] = [];
  const series: Omit<NativeSeries, 'values'>[] = [];
  const add = (name: string, style: SeriesStyle, points: { x: number; y: number | null }[]) => {
    const at = series.length;
    series.push({ name, style });
    for (const point of points) rows.push({ x: point.x, at: point.y === null ? -1 : at, y: point.y ?? 0 });
  };
  const point = (provider: (typeof shown)[number]) => ({ x: provider.precision!, y: provider.value });
  add(networkSeriesName, { kind: 'points', colour: nhsColours.blue, size: 9, symbol: 'circle' }, members.map(point));
  add('Other providers', { kind: 'points', colour: judgementStyles['as-expected'].colour, size: 6, symbol: 'circle' }, others.map(point));
  const range = valueRange(funnel);
  const clamp = (value: number) => Math.min(range.max ?? Infinity, Math.max(range.min ?? -Infinity, value));
  const bothKinds = new Set(funnel.curves.map((curve) => curve.kind)).size > 1;
  const widest = Math.max(...funnel.curves.map((curve) => curve.coverage));
  for (const curve of funnel.curves) {
    const line = limitLineStyle(curve, bothKinds, widest);
    const points = everyOther(curve.points, curveStep);
    add(shortCurveName(curve, bothKinds), { kind: 'line', colour: line.color, width: line.width, dash: dashOf(line.type) }, [
      ...points.map((point) => ({ x: point.precision, y: clamp(point.lower) })),
      // A blank between the branches, at a precision already drawn, so neither the cache nor the workbook holds an empty x.
      { x: points.at(-1)?.precision ?? 0, y: null },
      ...points.map((point) => ({ x: point.precision, y: clamp(point.upper) })),
    ]);
  }
  const precisions = shown.map((provider) => provider.precision!);
  const across = precisions.length === 0 ? [0, 1] : [Math.min(...precisions), Math.max(...precisions)];
  add('Benchmark (all providers)', { kind: 'line', colour: nhsColours.black, width: 1.5, dash: 'solid' }, across.map((x) => ({ x, y: funnel.target })));
  const targets = targetLinesOf(funnel);
  for (const target of targets) add(target.label, { kind: 'line', colour: nhsColours.darkBlue, width: 1.5, dash: 'lgDash' }, across.map((x) => ({ x, y: target.value })));
  const values = [...shown.map((provider) => provider.value!), funnel.target, ...targets.map((target) => target.value)];
  return {
    kind: 'scatter',
    title: `${network.name} highlighted, ${funnel.period.label}`,
    x: rows.map((row) => row.x),
    series: series.map((one, index) => ({ ...one, values: rows.map((row) => (row.at === index ? row.y : null)) })),
    xTitle: precisionAxisLabel(funnel.method.measure, indicator),
    yTitle: valueAxisLabel(indicator),
    y: axisAround(values, range),
    xRange: { min: 0, ...(({ max, format, step }) => ({ max, format, step }))(axisAround([0, across[1]], { min: 0 }, 0.03)) },
  };
}

const causeNames = { improvement: specialCauseStyles.improvement.label, concern: specialCauseStyles.concern.label, neutral: specialCauseStyles.neutral.label } as const;

/**
 * The network's SPC chart: its pooled value each period (blank where withheld), the mean and process limits, the
 * target when it has one, and each kind of special cause as a series of markers over the points it marks.
 */
export function nativeSpc(section: IndicatorSection, network: { name: string }): NativeChart | null {
  const spc = section.networkSpc;
  if (spc === null) return null;
  const { points } = spc;
  const value = (point: (typeof points)[number]) => (point.suppressed ? null : point.value);
  const series: NativeSeries[] = [
    { name: spcValueSeriesName, values: points.map(value), style: { kind: 'line', colour: nhsColours.darkGrey, width: 1.75, dash: 'solid', markers: true } },
    { name: 'Mean', values: points.map((point) => point.centre), style: { kind: 'line', colour: nhsColours.black, width: 1.5, dash: 'solid' } },
    { name: 'Upper process limit', values: points.map((point) => point.upperLimit), style: { kind: 'line', colour: nhsColours.midGrey, width: 1.5, dash: 'dash' } },
    { name: 'Lower process limit', values: points.map((point) => point.lowerLimit), style: { kind: 'line', colour: nhsColours.midGrey, width: 1.5, dash: 'dash' } },
  ];
  const targets = points.map((point) => point.target ?? spc.indicator.target ?? null);
  if (targets.some((target) => target !== null)) series.push({ name: 'Target', values: targets, style: { kind: 'line', colour: nhsColours.darkBlue, width: 1.5, dash: 'lgDash' } });
  for (const cause of ['improvement', 'concern', 'neutral'] as const) {
    if (!points.some((point) => point.specialCause === cause && value(point) !== null)) continue;
    const style = specialCauseStyles[cause];
    series.push({
      name: causeNames[cause],
      values: points.map((point) => (point.specialCause === cause ? value(point) : null)),
      style: { kind: 'points', colour: style.colour, size: 10, symbol: cause === 'neutral' ? 'square' : 'circle' },
    });
  }
  const numbers = series.flatMap((one) => one.values).filter((number): number is number => number !== null);
  const { indicator } = section;
  return {
    kind: 'line',
    title: `${network.name}: pooled value, ${points[0]?.period ?? ''} to ${points.at(-1)?.period ?? ''}`,
    x: points.map((point) => point.period),
    series,
    xTitle: 'Period',
    // The slide's title names the indicator; the axis says only what is plotted.
    yTitle: indicator.unit === '' || indicator.unit === 'ratio' ? 'Pooled value' : `Pooled value (${indicator.unit})`,
    y: axisAround(numbers.length === 0 ? [0, 1] : numbers, indicator.measureKind === 'proportion' ? { min: 0, max: indicator.multiplier } : indicator.measureKind === 'mean' ? {} : { min: 0 }),
  };
}

const colour = (hex: string) => hex.replace('#', '').toUpperCase();
const emu = (points: number) => Math.round(points * 12700);

/** A series' line and markers as DrawingML: what pptxgenjs sets for every series of a chart alike, set per series. */
function seriesXml(style: SeriesStyle): { shape: string; marker: string } {
  if (style.kind === 'points') {
    return {
      shape: '<c:spPr><a:ln><a:noFill/></a:ln></c:spPr>',
      marker: `<c:marker><c:symbol val="${style.symbol}"/><c:size val="${style.size}"/><c:spPr><a:solidFill><a:srgbClr val="${colour(style.colour)}"/></a:solidFill><a:ln w="9525"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:ln></c:spPr></c:marker>`,
    };
  }
  const line = `<a:ln w="${emu(style.width)}" cap="rnd"><a:solidFill><a:srgbClr val="${colour(style.colour)}"/></a:solidFill><a:prstDash val="${style.dash}"/><a:round/></a:ln>`;
  return {
    shape: `<c:spPr>${line}</c:spPr>`,
    marker: style.markers
      ? `<c:marker><c:symbol val="circle"/><c:size val="6"/><c:spPr><a:solidFill><a:srgbClr val="${colour(style.colour)}"/></a:solidFill><a:ln w="9525"><a:solidFill><a:srgbClr val="${colour(style.colour)}"/></a:solidFill></a:ln></c:spPr></c:marker>`
      : '<c:marker><c:symbol val="none"/></c:marker>',
  };
}

/** The chart parts of a deck, in the order their charts were added (pptxgenjs numbers them as it adds them). */
export function chartPartNames(zip: JSZip): string[] {
  return Object.keys(zip.files)
    .filter((name) => /^ppt\/charts\/chart\d+\.xml$/.test(name))
    .sort((a, b) => Number(a.match(/(\d+)\.xml$/)![1]) - Number(b.match(/(\d+)\.xml$/)![1]));
}

/**
 * The deck with each chart's series drawn as its style says, and blank cells left out of the charts' caches
 * (pptxgenjs writes them as empty values). `charts` are the deck's charts in the order they were added.
 */
export async function restyleCharts(deck: Uint8Array, charts: readonly NativeChart[]): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(deck);
  const parts = chartPartNames(zip);
  if (parts.length !== charts.length) throw new Error(`the deck has ${parts.length} charts, not the ${charts.length} added`);
  for (const [index, part] of parts.entries()) {
    const styles = charts[index].series.map((series) => seriesXml(series.style));
    let order = 0;
    const xml = (await zip.file(part)!.async('string')).replace(/<c:ser>([\s\S]*?)<\/c:ser>/g, (_whole, body: string) => {
      const { shape, marker } = styles[order++];
      const restyled = body
        .replace(/<c:spPr>[\s\S]*?<\/c:spPr>(?=\s*(<c:marker>|<c:invertIfNegative))/, shape)
        .replace(/<c:marker>[\s\S]*?<\/c:marker>/, marker)
        .replace(/<c:pt idx="\d+">\s*<c:v><\/c:v>\s*<\/c:pt>/g, '');
      return `<c:ser>${restyled}</c:ser>`;
    });
    if (order !== styles.length) throw new Error(`${part} has ${order} series, not ${styles.length}`);
    // pptxgenjs formats a scatter chart's x axis (its first value axis) with the y axis's code.
    const { xRange } = charts[index];
    zip.file(part, xRange ? xml.replace(/(<c:valAx>[\s\S]*?<c:numFmt formatCode=")[^"]*"/, `$1${xRange.format}"`) : xml);
  }
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
