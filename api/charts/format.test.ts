import { describe, expect, it } from 'vitest';
import { coveragePercent, escapeHtml, formatInterval, formatNumber, formatTooltip, formatValue } from './format';

describe('format', () => {
  it('writes numbers the British way, with a fixed number of decimals', () => {
    expect(formatNumber(12345.678, 1)).toBe('12,345.7');
    expect(formatNumber(-0.5, 2)).toBe('-0.50');
    expect(formatValue(12.34, '%', 1)).toBe('12.3 %');
    expect(formatValue(456.7, 'per 100,000', 0)).toBe('457 per 100,000');
    expect(formatValue(1.02, '', 2)).toBe('1.02');
  });

  it('writes coverages as people do, without floating-point dust', () => {
    expect(coveragePercent(0.95)).toBe('95');
    expect(coveragePercent(0.998)).toBe('99.8');
    expect(formatInterval(-1.5, 2.25, '', 2, 0.998)).toBe('99.8 % interval: -1.50 to 2.25');
  });

  it('shows an item’s own tooltip fields as escaped HTML, and nothing for items without them', () => {
    const params = { data: { tooltipTitle: 'St <Mary> & St Ann', tooltipLines: ['Value: 1 < 2'] } };
    expect(formatTooltip(params as never)).toBe('<strong>St &#60;Mary&#62; &#38; St Ann</strong><br/>Value: 1 &#60; 2');
    expect(formatTooltip([params] as never)).toBe(formatTooltip(params as never));
    expect(formatTooltip({ data: [1, 2] } as never)).toBe('');
    expect(escapeHtml(`"quoted" 'single'`)).toBe('&#34;quoted&#34; &#39;single&#39;');
  });
});
