/**
 * Tartan rug options: providers in rows, indicators in columns, each cell coloured by the
 * provider's judgement on that indicator, as Public Health England's Fingertips area profiles lay
 * them out. Each cell also prints its judgement's glyph (the shape of its funnel marker) and value,
 * so the rug reads without colour; suppressed cells show "*" and missing ones "–". A rug too big for its
 * values keeps the glyphs: a judgement is never shown by colour alone. The dashboard draws the same cells as an
 * HTML table (`tartanGrid`), which scrolls under sticky headers however many providers a network has.
 */
import type { EChartsOption, HeatmapSeriesOption, PiecewiseVisualMapComponentOption, ScatterSeriesOption } from 'echarts';
import type { Judgement } from '../stats';
import { chartFrame, fontFamily, type LegendEntry } from './chart-frame';
import { judgementOrder, judgementStyles, missingStyles, nhsColours } from './palette';
import type { TartanCell, TartanChartData, TartanIndicator, TartanProvider, TooltipFields } from './types';

export interface TartanCellItem extends TooltipFields {
  providerId: string;
  indicatorId: string;
  /** [column, row, kind]: the kind indexes `tartanCellKinds`, which the visual map colours. */
  value: [number, number, number];
  cellText: string;
  label: { color: string };
}

export type TartanCellKind = Judgement | 'no-judgement' | 'suppressed' | 'no-data';
type CellKind = TartanCellKind;

export const tartanCellKinds: readonly TartanCellKind[] = [...judgementOrder, 'no-judgement', 'suppressed', 'no-data'];

/** Past these the cells are too small for values; the glyph stays, so the shape still says the judgement. */
const valuedRowsUpTo = 30;
const valuedColumnsUpTo = 16;

/** One cell of the rug as the dashboard's table draws it: the same colours, glyph and words as the chart's. */
export interface TartanGridCell {
  providerId: string;
  indicatorId: string;
  kind: TartanCellKind;
  glyph: string;
  valueText: string;
  background: string;
  colour: string;
  /** The judgement in words, for the cell's title and screen readers. */
  label: string;
}

/** The rug's cells, a row per provider in the data's order and a cell per indicator in its order. */
export function tartanGrid(data: TartanChartData): TartanGridCell[][] {
  const cellsByKey = new Map(data.cells.map((cell) => [`${cell.providerId}\u0000${cell.indicatorId}`, cell]));
  return data.providers.map((provider) =>
    data.indicators.map((indicator) => {
      const cell = cellsByKey.get(`${provider.id}\u0000${indicator.id}`);
      const kind = cellKind(cell);
      const style = kindStyle(kind);
      return {
        providerId: provider.id,
        indicatorId: indicator.id,
        kind,
        glyph: style.glyph,
        valueText: kind === 'suppressed' || kind === 'no-data' ? '' : (cell?.valueText ?? ''),
        background: style.cellColour,
        colour: style.textColour,
        label: kindLabel(kind),
      };
    }),
  );
}

export function tartanChartOptions(data: TartanChartData): EChartsOption {
  const cellsByKey = new Map(data.cells.map((cell) => [`${cell.providerId}\u0000${cell.indicatorId}`, cell]));
  const items: TartanCellItem[] = [];
  const kindCounts = new Map<CellKind, number>();
  data.providers.forEach((provider, row) => {
    data.indicators.forEach((indicator, column) => {
      const cell = cellsByKey.get(`${provider.id}\u0000${indicator.id}`);
      const kind = cellKind(cell);
      kindCounts.set(kind, (kindCounts.get(kind) ?? 0) + 1);
      items.push(cellItem(kind, cell, column, row, provider, indicator));
    });
  });

  const showValues = data.providers.length <= valuedRowsUpTo && data.indicators.length <= valuedColumnsUpTo;
  const heatmap: HeatmapSeriesOption = {
    type: 'heatmap',
    id: 'cells',
    name: 'Judgements',
    data: items,
    itemStyle: { borderColor: nhsColours.white, borderWidth: 2 },
    label: {
      show: true,
      fontFamily,
      fontSize: 11,
      formatter: (params) => {
        const item = params.data as TartanCellItem;
        return showValues ? item.cellText : kindStyle(tartanCellKinds[item.value[2]]).glyph;
      },
    },
    emphasis: { disabled: true },
  };
  // ECharts draws a heatmap only through a visual map: one colour for each kind of cell.
  const visualMap: PiecewiseVisualMapComponentOption = {
    type: 'piecewise',
    show: false,
    seriesIndex: 0,
    dimension: 2,
    pieces: tartanCellKinds.map((kind, index) => ({ value: index, color: kindStyle(kind).cellColour })),
  };

  // Empty series whose only job is the key: a chip of each colour on the rug, with its glyph.
  const judgementsShown = [...judgementOrder].reverse().filter((kind) => kindCounts.has(kind));
  const missingShown = (['no-judgement', 'suppressed', 'no-data'] as const).filter((kind) => kindCounts.has(kind));
  const keyEntries = [...judgementsShown.map(judgementKey), ...missingShown.map(missingKey)];
  const keySeries = keyEntries.map((entry, index): ScatterSeriesOption => ({
    type: 'scatter',
    id: `key-${index}`,
    name: typeof entry === 'string' ? entry : entry.name,
    data: [],
    silent: true,
  }));

  const rotateLabels = data.indicators.length > 8;
  const highlighted = data.providers.filter((provider) => provider.highlighted).map((provider) => provider.name);
  const counts = [...judgementsShown, ...missingShown].map((kind) => `${kindCounts.get(kind)} ${kindLabel(kind).toLowerCase()}`);
  const frame = chartFrame(data, {
    description: [
      `${data.title}, ${data.subtitle}.`,
      `Tartan rug of ${data.providers.length} providers by ${data.indicators.length} indicators: ${data.indicators.map((indicator) => indicator.name).join(', ')}.`,
      `Cells: ${counts.join(', ')}.`,
      highlighted.length > 0 ? `Highlighted: ${highlighted.join(', ')}.` : '',
    ]
      .filter((sentence) => sentence !== '')
      .join(' '),
    legend: keyEntries,
    legendSelectable: false,
  });

  return {
    ...frame,
    xAxis: {
      type: 'category',
      position: 'top',
      data: data.indicators.map((indicator) => indicator.name),
      axisLabel: {
        fontFamily,
        fontSize: 11,
        color: nhsColours.black,
        interval: 0,
        rotate: rotateLabels ? 45 : 0,
        width: rotateLabels ? 160 : Math.max(60, Math.min(160, Math.floor(720 / Math.max(1, data.indicators.length)))),
        overflow: rotateLabels ? 'truncate' : 'break',
      },
      axisTick: { show: false },
      axisLine: { show: false },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: data.providers.map((provider) => ({
        value: provider.name,
        textStyle: { fontWeight: provider.highlighted ? 'bold' : 'normal' },
      })),
      axisLabel: { fontFamily, fontSize: 11, color: nhsColours.black, interval: 0 },
      axisTick: { show: false },
      axisLine: { show: false },
      splitLine: { show: false },
    },
    visualMap,
    series: [heatmap, ...keySeries],
  };
}

function cellKind(cell: TartanCell | undefined): CellKind {
  if (!cell) return 'no-data';
  if (cell.suppressed) return 'suppressed';
  return cell.judgement ?? 'no-judgement';
}

function kindLabel(kind: CellKind): string {
  if (kind === 'no-data') return missingStyles.noData.label;
  if (kind === 'suppressed') return missingStyles.suppressed.label;
  if (kind === 'no-judgement') return missingStyles.noJudgement.label;
  return judgementStyles[kind].label;
}

function kindStyle(kind: CellKind): { cellColour: string; textColour: string; glyph: string } {
  if (kind === 'no-data') return missingStyles.noData;
  if (kind === 'suppressed') return missingStyles.suppressed;
  if (kind === 'no-judgement') return missingStyles.noJudgement;
  return judgementStyles[kind];
}

function cellItem(kind: CellKind, cell: TartanCell | undefined, column: number, row: number, provider: TartanProvider, indicator: TartanIndicator): TartanCellItem {
  const style = kindStyle(kind);
  const valueText = kind === 'suppressed' || kind === 'no-data' ? '' : (cell?.valueText ?? '');
  return {
    providerId: provider.id,
    indicatorId: indicator.id,
    value: [column, row, tartanCellKinds.indexOf(kind)],
    cellText: [style.glyph, valueText].filter((part) => part !== '').join(' '),
    label: { color: style.textColour },
    tooltipTitle: provider.name,
    tooltipLines: [indicator.name, ...(valueText ? [`Value: ${valueText}`] : []), kindLabel(kind)],
  };
}

function judgementKey(judgement: Judgement): LegendEntry {
  const style = judgementStyles[judgement];
  return { name: `${style.glyph} ${style.label}`, icon: 'roundRect', itemStyle: { color: style.cellColour, opacity: 1, borderWidth: 0 } };
}

function missingKey(kind: 'no-judgement' | 'suppressed' | 'no-data'): LegendEntry {
  const style = kindStyle(kind);
  return {
    name: [style.glyph, kindLabel(kind)].filter((part) => part !== '').join(' '),
    icon: 'roundRect',
    // The white no-data chip needs an edge to be seen at all.
    itemStyle: { color: style.cellColour, opacity: 1, borderWidth: kind === 'no-data' ? 1 : 0, borderColor: nhsColours.midGrey },
  };
}
