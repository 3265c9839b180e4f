import { describe, expect, it } from 'vitest';
import { packChartData, renderPackCharts, wrapFootnote } from './pack-charts';
import { section } from './pack-fixtures';

describe('wrapFootnote', () => {
  it('breaks long lines at spaces and keeps the lines it was given', () => {
    expect(wrapFootnote('one two three four\nfive', 9)).toBe('one two\nthree\nfour\nfive');
    expect(wrapFootnote('unbreakable-word here', 5)).toBe('unbreakable-word\nhere');
  });
});

describe('packChartData', () => {
  it("maps the funnel as the exports do and titles the SPC chart with the network's name, not its code", () => {
    const data = packChartData(section());
    expect(data.funnel.title).toBe('Seen within 4 hours');
    expect(data.funnel.footnote.split('\n').every((line) => line.length <= 130)).toBe(true);
    expect(data.spc?.title).toBe('Network');
  });

  it('has no SPC chart when the network series cannot be charted', () => {
    expect(packChartData(section({ networkSpc: null, networkSpcReason: 'too few periods' })).spc).toBeNull();
  });
});

describe('renderPackCharts', () => {
  it('renders the funnel at twice its 768 × 432 canvas and the SPC chart at twice 576 × 384, as RGB PNGs described for screen readers', async () => {
    const charts = await renderPackCharts({ indicators: [section()] });
    const { funnel, spc } = charts.get('P')!;
    for (const [chart, width, height] of [
      [funnel, 1536, 864],
      [spc!, 1152, 768],
    ] as const) {
      expect([chart.png.readUInt32BE(16), chart.png.readUInt32BE(20), chart.png[25]]).toEqual([width, height, 2]);
      expect(chart).toMatchObject({ width, height });
      expect(chart.description.length).toBeGreaterThan(20);
    }
  });
});
