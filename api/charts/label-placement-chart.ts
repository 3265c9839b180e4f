/**
 * Places the names of a chart's points from ECharts' own layout, in the browser and in the server-side
 * renderer alike: once `setOption` has laid the chart out, the points, the lines (limit curves, benchmark,
 * targets, false discovery rate) and the plot are converted to pixels, names are measured with ECharts' own
 * text metrics, `placeLabels` chooses their positions, and a second `setOption` pins each name there through
 * the series' `labelLayout` (or hides it: the point keeps its tooltip). Builders opt in by giving a point's
 * data item a `labelRank` (0 most important); the caller runs `placePointLabels` after each layout.
 */
import { format, type ECharts } from 'echarts';
import { placeLabels, type Box, type LabelRequest, type PlacedLabel, type Segment } from './label-placement';
import { nhsColours } from './palette';

/** What a builder puts on a data item it wants named: the rank (0 first), and the name cut to this many pixels. */
export interface RankedLabel {
  labelRank?: number;
  labelMaxWidth?: number;
  /** Named even over other markers when no clear place is left (a signal). */
  labelRequired?: boolean;
}

interface SeriesOption {
  id?: string;
  name?: string;
  type?: string;
  data?: unknown[];
  symbolSize?: number;
  label?: { show?: boolean; fontSize?: number; fontWeight?: string; fontFamily?: string; textBorderWidth?: number };
  markLine?: { data?: { yAxis?: number }[]; label?: { show?: boolean; formatter?: unknown; fontSize?: number; fontFamily?: string } };
}

interface PointItem extends RankedLabel {
  name?: string;
  value: [number, number];
}

/** The part of an ECharts instance the placement reads; `getModel` is what the chart's own components use. */
type LaidOutChart = Pick<ECharts, 'getOption' | 'convertToPixel' | 'setOption'> & {
  getModel(): { getComponent(type: string): { coordinateSystem?: { getRect(): Box } } | undefined };
};

/** The gap between a target line and its name, which ECharts prints above the line's start. */
const markLabelGap = 5;

/** Places the ranked names of the chart's scatter series, if any; returns how many were drawn and left out. */
export function placePointLabels(instance: ECharts): { placed: number; left: number } {
  const chart = instance as unknown as LaidOutChart;
  const option = chart.getOption() as { series?: SeriesOption[]; legend?: { selected?: Record<string, boolean> }[] };
  const series = option.series ?? [];
  const ranked = series.filter((entry) => entry.type === 'scatter' && entry.label?.show && (entry.data ?? []).some((item) => isRanked(item)));
  const plot = chart.getModel().getComponent('grid')?.coordinateSystem?.getRect();
  if (ranked.length === 0 || !plot) return { placed: 0, left: 0 };

  const selected = option.legend?.[0]?.selected ?? {};
  const drawn = series.filter((entry) => selected[entry.name ?? ''] !== false);
  const toPixel = (point: [number, number]) => chart.convertToPixel({ gridIndex: 0 }, point) as number[];
  const yPixel = (value: number) => chart.convertToPixel({ yAxisIndex: 0 }, value) as number;

  const segments: Segment[] = [];
  const boxes: Box[] = [];
  const markers: Box[] = [];
  for (const entry of drawn.filter((candidate) => candidate.type === 'line')) {
    let previous: number[] | undefined;
    for (const point of entry.data ?? []) {
      // '-' breaks a curve (the lower limit from the upper).
      const pixel = Array.isArray(point) ? toPixel(point as [number, number]) : undefined;
      if (pixel && previous) segments.push([previous[0], previous[1], pixel[0], pixel[1]]);
      previous = pixel;
    }
    for (const mark of entry.markLine?.data ?? []) {
      if (mark.yAxis === undefined) continue;
      const y = yPixel(mark.yAxis);
      segments.push([plot.x, y, plot.x + plot.width, y]);
      const label = entry.markLine?.label;
      if (label?.show && typeof label.formatter === 'string') {
        const size = format.getTextRect(label.formatter, font(label.fontSize ?? 12, 'normal', label.fontFamily));
        boxes.push({ x: plot.x, y: y - markLabelGap - size.height, width: size.width + 2 * markLabelGap, height: size.height });
      }
    }
  }

  const requests: (LabelRequest & { seriesId: string; dataIndex: number; rank: number; halo: number })[] = [];
  for (const entry of drawn.filter((candidate) => candidate.type === 'scatter')) {
    const radius = (entry.symbolSize ?? 10) / 2;
    const labelFont = font(entry.label?.fontSize ?? 12, entry.label?.fontWeight ?? 'normal', entry.label?.fontFamily);
    (entry.data ?? []).forEach((raw, dataIndex) => {
      const item = raw as PointItem;
      const [x, y] = toPixel(item.value);
      markers.push({ x: x - radius, y: y - radius, width: 2 * radius, height: 2 * radius });
      if (!ranked.includes(entry) || !isRanked(item)) return;
      const size = format.getTextRect(shownName(item, labelFont), labelFont);
      // The box ECharts draws includes the white halo's stroke.
      const halo = entry.label?.textBorderWidth ?? 0;
      requests.push({ seriesId: String(entry.id), dataIndex, rank: item.labelRank!, required: item.labelRequired === true, halo, x, y, radius, width: size.width + halo, height: size.height + halo });
    });
  }
  requests.sort((a, b) => a.rank - b.rank);
  const placements = placeLabels(requests, { bounds: plot, segments, boxes, markers });

  const bySeries = new Map<string, Map<number, PlacedLabel>>();
  requests.forEach((request, index) => {
    const placed = placements[index];
    if (!placed) return;
    if (!bySeries.has(request.seriesId)) bySeries.set(request.seriesId, new Map());
    // The text's anchor sits half a halo inside the box placed.
    const inset = request.halo / 2;
    const x = placed.x + (placed.align === 'left' ? inset : placed.align === 'right' ? -inset : 0);
    const y = placed.y + (placed.verticalAlign === 'top' ? inset : placed.verticalAlign === 'bottom' ? -inset : 0);
    bySeries.get(request.seriesId)!.set(request.dataIndex, { ...placed, x, y });
  });
  chart.setOption({
    series: ranked.map((entry) => {
      const placed = bySeries.get(String(entry.id)) ?? new Map<number, PlacedLabel>();
      const labelFont = font(entry.label?.fontSize ?? 12, entry.label?.fontWeight ?? 'normal', entry.label?.fontFamily);
      return {
        id: entry.id,
        data: (entry.data ?? []).map((raw, dataIndex) => {
          const item = raw as PointItem & { label?: object };
          const spot = placed.get(dataIndex);
          if (!spot) return { ...item, label: { ...item.label, show: false }, labelLine: { show: false } };
          return {
            ...item,
            label: { ...item.label, show: true, formatter: shownName(item, labelFont) },
            labelLine: spot.leader ? { show: true, lineStyle: { color: nhsColours.darkGrey, width: 1 } } : { show: false },
          };
        }),
        labelLayout: (params: { dataIndex: number }) => {
          const spot = placed.get(params.dataIndex);
          return spot ? { x: spot.x, y: spot.y, align: spot.align, verticalAlign: spot.verticalAlign } : {};
        },
      };
    }),
  });
  const placedCount = placements.filter((placement) => placement !== null).length;
  return { placed: placedCount, left: placements.length - placedCount };
}

function isRanked(item: unknown): boolean {
  return typeof item === 'object' && item !== null && typeof (item as RankedLabel).labelRank === 'number';
}

function font(size: number, weight: string, family = 'sans-serif'): string {
  return `${weight === 'bold' ? 'bold ' : ''}${size}px ${family}`;
}

/** The name, cut with an ellipsis to the item's width (ECharts' own `truncate` would make every box that wide). */
function shownName(item: PointItem, labelFont: string): string {
  const name = item.name ?? '';
  return item.labelMaxWidth ? format.truncateText(name, item.labelMaxWidth, labelFont, '…') : name;
}
