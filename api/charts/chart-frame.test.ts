import { describe, expect, it } from 'vitest';
import { chartFrame, footnoteLines, forDashboard, keyEntries, paddedExtent } from './chart-frame';

const text = { title: 'Title', subtitle: 'Period', source: 'HES', footnote: 'Method one\nMethod two' };

describe('paddedExtent', () => {
  it('pads the values out to round bounds on the tick step', () => {
    const extent = paddedExtent([9.1, 15.9, 12]);
    expect(extent.min).toBeLessThan(9.1);
    expect(extent.max).toBeGreaterThan(15.9);
    expect(extent.interval).toBe(2);
    expect(Number.isInteger(extent.min / extent.interval) && Number.isInteger(extent.max / extent.interval)).toBe(true);
  });

  it('never takes an axis of non-negative values below zero, but lets negative values through', () => {
    expect(paddedExtent([0.5, 40]).min).toBe(0);
    expect(paddedExtent([-3, 4]).min).toBeLessThan(-3);
  });

  it('gives a usable range for one value and for none', () => {
    const single = paddedExtent([5]);
    expect(single.min).toBeLessThan(5);
    expect(single.max).toBeGreaterThan(5);
    expect(paddedExtent([])).toEqual({ min: 0, max: 1, interval: 0.2 });
  });

  it('leaves no floating-point dust on the bounds', () => {
    const extent = paddedExtent([0.1, 0.7]);
    expect(String(extent.min).length).toBeLessThan(6);
    expect(String(extent.max).length).toBeLessThan(6);
  });
});

describe('chartFrame', () => {
  it('writes the source first, then the method lines, then the notes', () => {
    expect(footnoteLines(text, ['1 provider not shown'])).toEqual(['Source: HES', 'Method one', 'Method two', '1 provider not shown']);
  });

  it('leaves room at the bottom for every footnote line and at the right only for a key', () => {
    const short = chartFrame({ ...text, footnote: '' }, { description: 'd' });
    const long = chartFrame(text, { description: 'd', notes: ['note'], legend: ['A'] });
    expect(Number(long.grid.bottom) - Number(short.grid.bottom)).toBe(3 * 15);
    expect(Number(long.grid.right)).toBeGreaterThan(Number(short.grid.right));
    expect(short.legend.show).toBe(false);
  });

  it('switches on ECharts aria with the description', () => {
    expect(chartFrame(text, { description: 'What the chart shows' }).aria).toMatchObject({ enabled: true, label: { description: 'What the chart shows' } });
  });
});

describe('forDashboard', () => {
  const options = () => ({ ...chartFrame(text, { description: 'd', notes: ['1 provider not shown'], legend: ['A'] }), series: [] });

  it('takes the title and footnote off the canvas and hands the footnote lines to the frame', () => {
    const { options: dashboard, footnote } = forDashboard(options(), true);
    expect(footnote).toEqual(['Source: HES', 'Method one', 'Method two', '1 provider not shown']);
    expect(dashboard.title).toEqual({ show: false });
    expect(dashboard.graphic).toEqual([]);
    // The plot starts near the top and runs to the bottom, where the title and footnote were.
    expect(Number(dashboard.grid.top)).toBeLessThan(Number(options().grid.top));
    expect(Number(dashboard.grid.bottom)).toBeLessThan(Number(options().grid.bottom));
    expect(dashboard.legend.show).toBe(true);
    expect(dashboard.grid.right).toBe(options().grid.right);
  });

  it('leaves the key to the frame when asked, and gives its room to the plot', () => {
    const { options: dashboard } = forDashboard(options(), false);
    expect(dashboard.legend.show).toBe(false);
    expect(Number(dashboard.grid.right)).toBeLessThan(Number(options().grid.right));
  });
});

describe('keyEntries', () => {
  it('gives each key entry the look of the series it names: glyph, dash pattern, interval', () => {
    const options = {
      legend: { data: [{ name: 'Worse than expected' }, 'Benchmark', '95 % limit', '95 % interval', 'Unknown'] },
      series: [
        { type: 'scatter', name: 'Worse than expected' },
        { type: 'line', name: 'Benchmark', lineStyle: { color: '#231F20', width: 1.5 } },
        { type: 'line', name: '95 % limit', lineStyle: { color: '#425563', width: 1.5, type: [6, 4] } },
        { type: 'custom', name: '95 % interval', itemStyle: { color: '#425563' } },
      ],
    };
    expect(keyEntries(options)).toEqual([
      { name: 'Worse than expected', kind: 'marker', glyph: '▲', colour: '#ED8B00' },
      { name: 'Benchmark', kind: 'line', colour: '#231F20', width: 1.5, dash: [] },
      { name: '95 % limit', kind: 'line', colour: '#425563', width: 1.5, dash: [6, 4] },
      { name: '95 % interval', kind: 'interval', colour: '#425563' },
    ]);
  });
});
