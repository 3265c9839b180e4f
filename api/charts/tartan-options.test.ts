import type { HeatmapSeriesOption, LegendComponentOption, PiecewiseVisualMapComponentOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { seriesWithId, tartanFixture } from './chart-fixtures';
import { judgementStyles, missingStyles } from './palette';
import { tartanCellKinds, tartanChartOptions, tartanGrid, type TartanCellItem } from './tartan-options';

const cellsOf = (options: ReturnType<typeof tartanChartOptions>) => (seriesWithId(options, 'cells') as HeatmapSeriesOption).data as TartanCellItem[];
const cellAt = (items: TartanCellItem[], column: number, row: number) => items.find((item) => item.value[0] === column && item.value[1] === row);
const kindAt = (items: TartanCellItem[], column: number, row: number) => tartanCellKinds[cellAt(items, column, row)?.value[2] ?? -1];

describe('tartanChartOptions', () => {
  it('draws a cell for every provider and indicator, whether or not it has data', () => {
    const data = tartanFixture();
    expect(cellsOf(tartanChartOptions(data))).toHaveLength(data.providers.length * data.indicators.length);
  });

  it('prints the judgement’s glyph with the value, so the rug reads without colour', () => {
    const items = cellsOf(tartanChartOptions(tartanFixture()));
    expect(cellAt(items, 1, 0)?.cellText).toBe(`${judgementStyles.worse.glyph} 1.12`);
    expect(cellAt(items, 2, 0)?.cellText).toBe(`${judgementStyles.better.glyph} 81.0`);
    expect(cellAt(items, 0, 2)?.cellText).toBe('↑ 9.1');
    expect(new Set(Object.values(judgementStyles).map((style) => style.glyph)).size).toBe(5);
  });

  it('keeps every glyph on a rug too big for values, such as an ICB’s hundreds of practices', () => {
    const data = tartanFixture();
    const providers = Array.from({ length: 340 }, (_, i) => ({ id: `P${i}`, name: `Practice ${i}` }));
    const cells = providers.map((provider, i) => ({ providerId: provider.id, indicatorId: data.indicators[0].id, judgement: i % 2 === 0 ? ('worse' as const) : ('better' as const), valueText: '1.0', suppressed: false }));
    const heatmap = seriesWithId(tartanChartOptions({ ...data, providers, cells }), 'cells') as HeatmapSeriesOption;
    const label = heatmap.label as unknown as { show: boolean; formatter: (params: { data: TartanCellItem }) => string };
    expect(label.show).toBe(true);
    const items = heatmap.data as TartanCellItem[];
    expect(label.formatter({ data: cellAt(items, 0, 0)! })).toBe(judgementStyles.worse.glyph);
    expect(label.formatter({ data: cellAt(items, 0, 1)! })).toBe(judgementStyles.better.glyph);
    // A small rug prints the value beside the glyph.
    const small = seriesWithId(tartanChartOptions(tartanFixture()), 'cells') as HeatmapSeriesOption;
    expect((small.label as unknown as typeof label).formatter({ data: cellAt(small.data as TartanCellItem[], 1, 0)! })).toBe(`${judgementStyles.worse.glyph} 1.12`);
  });

  it('gives the dashboard’s table the chart’s cells: colours, glyph, value and judgement in words', () => {
    const data = tartanFixture();
    const grid = tartanGrid(data);
    expect(grid).toHaveLength(data.providers.length);
    expect(grid[0][1]).toMatchObject({ kind: 'worse', glyph: judgementStyles.worse.glyph, valueText: '1.12', background: judgementStyles.worse.cellColour, colour: judgementStyles.worse.textColour, label: judgementStyles.worse.label });
    expect(grid[1][1]).toMatchObject({ kind: 'suppressed', valueText: '', label: missingStyles.suppressed.label });
  });

  it('marks suppressed cells "*", missing cells "–" and unjudged cells by value alone', () => {
    const items = cellsOf(tartanChartOptions(tartanFixture()));
    expect([kindAt(items, 1, 1), cellAt(items, 1, 1)?.cellText]).toEqual(['suppressed', '*']);
    expect([kindAt(items, 2, 1), cellAt(items, 2, 1)?.cellText]).toEqual(['no-data', '–']);
    expect([kindAt(items, 2, 2), cellAt(items, 2, 2)?.cellText]).toEqual(['no-judgement', '70.2']);
    expect(cellAt(items, 1, 1)?.tooltipLines).toEqual(['Summary hospital-level mortality (SHMI)', missingStyles.suppressed.label]);
  });

  it('colours each kind of cell through the visual map, with readable text on it', () => {
    const options = tartanChartOptions(tartanFixture());
    const pieces = (options.visualMap as PiecewiseVisualMapComponentOption).pieces ?? [];
    expect(pieces).toHaveLength(tartanCellKinds.length);
    expect(pieces[tartanCellKinds.indexOf('worse')]).toEqual({ value: tartanCellKinds.indexOf('worse'), color: judgementStyles.worse.cellColour });
    expect(pieces[tartanCellKinds.indexOf('suppressed')]?.color).toBe(missingStyles.suppressed.cellColour);
    const items = cellsOf(options);
    expect(cellAt(items, 2, 0)?.label.color).toBe(judgementStyles.better.textColour);
  });

  it('keys only the kinds of cell on the rug, and the key cannot hide them', () => {
    const data = tartanFixture();
    data.cells = data.cells.filter((cell) => cell.judgement === 'worse');
    const legend = tartanChartOptions(data).legend as LegendComponentOption;
    expect((legend.data ?? []).map((entry) => (typeof entry === 'object' ? entry.name : entry))).toEqual(['▲ Worse than expected', '– No data']);
    expect(legend.selectedMode).toBe(false);
  });

  it('lists providers top to bottom, the network in bold, and turns crowded indicator names', () => {
    const options = tartanChartOptions(tartanFixture());
    const rows = options.yAxis as { inverse: boolean; data: { value: string; textStyle: { fontWeight: string } }[] };
    expect(rows.inverse).toBe(true);
    expect(rows.data[0]).toEqual({ value: 'Northgate Hospitals', textStyle: { fontWeight: 'bold' } });
    expect((options.xAxis as { axisLabel: { rotate: number } }).axisLabel.rotate).toBe(0);
    const crowded = tartanFixture();
    crowded.indicators = Array.from({ length: 9 }, (_, index) => ({ id: `i${index}`, name: `Indicator ${index}` }));
    expect((tartanChartOptions(crowded).xAxis as { axisLabel: { rotate: number } }).axisLabel.rotate).toBe(45);
  });

  it('describes the rug for screen readers', () => {
    const aria = tartanChartOptions(tartanFixture()).aria as { enabled: boolean; label: { description: string } };
    expect(aria.enabled).toBe(true);
    expect(aria.label.description).toContain('Tartan rug of 3 providers by 3 indicators');
    expect(aria.label.description).toContain('2 worse than expected');
    expect(aria.label.description).toContain('1 suppressed (small numbers)');
  });
});
