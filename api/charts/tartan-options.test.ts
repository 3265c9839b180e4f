import type { HeatmapSeriesOption, LegendComponentOption, PiecewiseVisualMapComponentOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { seriesWithId, tartanFixture } from './chart-fixtures';
import { judgementStyles, missingStyles } from './palette';
import { tartanCellKinds, tartanChartOptions, type TartanCellItem } from './tartan-options';

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
