import { describe, expect, it } from 'vitest';
import { indicator, outlier, packContent, section, spc } from './pack-fixtures';
import { flowFindings, formatDate, glanceCellHeight, glanceRowHeight, glanceTable, keyFigures, limitCounts, packFooter, packPages, summaryRowsPerPage, trendRowsShown } from './pack-pages';

describe('packPages', () => {
  it('lays out a title, the table at a glance, the outliers, a funnel, findings and trend page per indicator, and the methods', () => {
    const pages = packPages(packContent([section(), section({ indicator: { ...indicator, code: 'Q', name: 'Second' } })]));
    expect(pages.map((page) => page.kind)).toEqual(['title', 'glance', 'summary', 'indicator', 'findings', 'trend', 'indicator', 'findings', 'trend', 'methods']);
    expect(pages.map((page) => page.title).slice(3, 9)).toEqual([
      'Seen within 4 hours',
      'Seen within 4 hours: findings',
      'Seen within 4 hours over time',
      'Second',
      'Second: findings',
      'Second over time',
    ]);
  });

  it("puts every indicator in the table at a glance, with the network's counts at 99.8 % and 95 %, chance, the finder's counts and the SPC icons", () => {
    const content = packContent([section({ networkSpc: spc('special_cause_concern_low', [null, 'concern'], 'consistent_fail') })]);
    const [glance] = packPages(content).filter((page) => page.kind === 'glance');
    // The fixture's members: A within, B above 95 %, C above 99.8 % (better), D below 99.8 % (worse), E withheld.
    expect(glance.kind === 'glance' && glance.rows).toEqual([
      {
        cells: ['Seen within 4 hours', '1 / 1 / 2', '1 / 2 / 1', '0.008 (0–0)', '1', '2', 'Special cause concerning variation (low)\nConsistently failing the target'],
        icons: [expect.objectContaining({ letter: 'L' }), expect.objectContaining({ letter: 'F' })],
      },
    ]);
  });

  it('counts higher and lower for an indicator without a polarity, and worse above for one where lower is better', () => {
    const base = section();
    const withPolarity = (polarity: 'lower_is_better' | 'no_judgement') => ({ ...base, funnel: { ...base.funnel, indicator: { ...base.funnel.indicator, polarity } } });
    expect(limitCounts(withPolarity('lower_is_better'))).toEqual({ at998: { worse: 1, better: 1, within: 2 }, at95: { worse: 2, better: 1, within: 1 } });
    const [glance] = packPages(packContent([withPolarity('no_judgement')])).filter((page) => page.kind === 'glance');
    expect(glance.kind === 'glance' && glance.rows[0].cells.slice(1, 3)).toEqual(['1 higher / 1 lower / 2', '2 higher / 1 lower / 1']);
  });

  it('continues the table at a glance on further pages when its rows do not fit the slide at 14 pt', () => {
    const many = Array.from({ length: 14 }, (_, i) => section({ indicator: { ...indicator, code: `I${i}`, name: `Indicator number ${i} with a name long enough to wrap over two lines` } }));
    const glances = packPages(packContent(many)).filter((page) => page.kind === 'glance');
    expect(glances.length).toBeGreaterThan(1);
    expect(glances.flatMap((page) => (page.kind === 'glance' ? page.rows : []))).toHaveLength(14);
    for (const page of glances) {
      if (page.kind !== 'glance') continue;
      const height = glanceRowHeight(page.header, true) + page.rows.reduce((total, row) => total + glanceRowHeight(row.cells), 0);
      expect(height).toBeLessThanOrEqual(glanceTable.bottom - glanceTable.top);
    }
  });

  it('gives a line that all but fills its cell a line more, as LibreOffice breaks it (156.4 pt of text in a 157 pt cell)', () => {
    const line = (glanceTable.size * 1.15 * 1.12) / 72;
    const rows = (text: string) => Math.round((glanceCellHeight(text, 0) - 2 * glanceTable.margin) / line);
    expect(rows('Cancer treatment within 62 days of urgent referral')).toBe(3);
    expect(rows('Mean length of stay')).toBe(1);
  });

  it("names the network on its trend page, with the icons of the latest point and its last periods tabulated", () => {
    const points = Array.from({ length: 8 }, () => null);
    const trend = packPages(packContent([section({ networkSpc: spc('special_cause_improvement_high', [...points, 'improvement'], 'consistent_pass') })]))[5];
    expect(trend).toMatchObject({
      kind: 'trend',
      subtitle: 'North Network · pooled value of its providers each period, Q0 to Q8',
      icons: [
        { kind: 'variation', letter: 'H', label: 'Special cause improving variation (high)' },
        { kind: 'assurance', letter: 'P', label: 'Consistently passing the target' },
      ],
      header: ['Period', 'Pooled value (%)', 'Mean', 'Process limits', 'Special cause'],
    });
    expect(trend.kind === 'trend' && trend.rows).toEqual([
      ...Array.from({ length: trendRowsShown - 1 }, (_, i) => [`Q${9 - trendRowsShown + i}`, '70.0', '70.0', '69.0 to 71.0', 'None']),
      ['Q8', '70.0', '70.0', '69.0 to 71.0', 'Improvement'],
    ]);
  });

  it('continues the outliers on further summary pages, never leaving one out', () => {
    const outliers = Array.from({ length: summaryRowsPerPage + 1 }, (_, i) => outlier(`O${i}`, `O${i}.`));
    const summaries = packPages(packContent([section()], outliers)).filter((page) => page.kind === 'summary');
    expect(summaries.map((page) => page.title)).toEqual(['Significant outliers', 'Significant outliers (continued)']);
    expect(summaries.flatMap((page) => (page.kind === 'summary' ? page.rows : []))).toHaveLength(summaryRowsPerPage + 1);
  });

  it('continues a table whose rows do not fit the slide at 14 pt on further pages, each row whole', () => {
    const long = (i: number) => ({ ...outlier(`O${i}`, `O${i}.`), organisation: { code: `O${i}`, name: `Provider ${i} ${'with a very long name '.repeat(6)}` } });
    const summaries = packPages(packContent([section()], Array.from({ length: 6 }, (_, i) => long(i)))).filter((page) => page.kind === 'summary');
    expect(summaries.length).toBeGreaterThan(1);
    expect(summaries.slice(1).every((page) => page.title === 'Significant outliers (continued)')).toBe(true);
    expect(summaries.flatMap((page) => (page.kind === 'summary' ? page.rows : []))).toHaveLength(6);
  });

  it('lists each outlier with its value as published, direction, judgement and persistence', () => {
    const [summary] = packPages(packContent([section()], [outlier('C', 'C.')])).filter((page) => page.kind === 'summary');
    expect(summary).toMatchObject({
      header: ['Indicator', 'Provider', 'Value', 'Beyond 99.8 %', 'Judgement', 'Outside 95 %, last 4 quarters'],
      rows: [['Seen within 4 hours', 'C Trust', '80.0 %', 'above', 'Better', '4 of 4']],
    });
  });

  it('says so when no provider is an outlier', () => {
    const [summary] = packPages(packContent([section()])).filter((page) => page.kind === 'summary');
    expect(summary).toMatchObject({ rows: [], note: expect.stringMatching(/^No provider of the network lies beyond/) });
  });

  it('names each method once with the indicators that took it when each indicator’s own convention applied', () => {
    const withMethod = (code: string, name: string, convention: string, adjustment: string) => {
      const base = section({ indicator: { ...indicator, code, name } });
      return { ...base, funnel: { ...base.funnel, method: { ...base.funnel.method, convention, adjustment } } };
    };
    const content = packContent([withMethod('A', 'First', 'cqc', 'additive'), withMethod('B', 'Second', 'spiegelhalter', 'multiplicative'), withMethod('C', 'Third', 'cqc', 'additive')]);
    const methods = packPages({ ...content, method: { ...content.method, convention: null, adjustment: null } }).at(-1)!;
    const overdispersion = methods.kind === 'methods' ? methods.paragraphs.find((paragraph) => paragraph.heading === 'Overdispersion')!.text : '';
    expect(overdispersion).toContain(
      "Each indicator's own convention, z-scores 10 % winsorised at each tail: cqc, then an additive between-provider variance τ² (DerSimonian–Laird): First, Third; spiegelhalter, then a multiplicative factor φ (limits widened by √φ when φ > 1): Second.",
    );
  });

  it('names the threshold, the withheld figures and the files with their load dates on the methods page', () => {
    const methods = packPages(packContent([section()])).at(-1)!;
    const text = methods.kind === 'methods' ? methods.paragraphs.map((paragraph) => `${paragraph.heading}: ${paragraph.text}`).join('\n') : '';
    expect(text).toContain("Threshold 5: counts from 1 to 4, and for proportions their complements, are withheld from every figure, chart and table (1 network provider's figures withheld");
    expect(text).toContain('Withheld figures take no part in the benchmarks, the overdispersion, the limits');
    expect(text).toContain('observations.csv, loaded 27 February 2026 (1,234 figures, SHA-256 abababababab…)');
    expect(text).toContain('φ by indicator: Seen within 4 hours 2.50');
  });
});

describe('flowFindings', () => {
  // Each finding's height is its length; boxes hold 10 and 6 at size 2, twice as much at size 1.
  const heightOf = (size: number) => (finding: string) => finding.length * size;

  it('keeps the largest size at which every finding fits, in order, each whole in one box', () => {
    expect(flowFindings(['aaa', 'bb'], [10, 6], heightOf, [2, 1])).toEqual({ size: 2, boxes: [['aaa', 'bb'], []] });
    // At size 2, 'aaa' fills the first box, 'bbb' the second, and 'cc' is left over: size 1 fits all in the first.
    expect(flowFindings(['aaa', 'bbb', 'cc'], [10, 6], heightOf, [2, 1])).toEqual({ size: 1, boxes: [['aaa', 'bbb', 'cc'], []] });
    expect(flowFindings(['aaaa', 'bbbb'], [10, 8], heightOf, [2, 1])).toEqual({ size: 2, boxes: [['aaaa'], ['bbbb']] });
  });

  it('puts what fits nowhere, at the smallest size, in the last box for the renderer to cut', () => {
    expect(flowFindings(['a'.repeat(12)], [10, 6], heightOf, [2, 1])).toEqual({ size: 1, boxes: [[], ['a'.repeat(12)]] });
  });
});

describe('packFooter', () => {
  it('names the network, the period and the load date, in London time', () => {
    expect(packFooter(packContent([]))).toBe('North Network · 2025/26 Q2 · data as loaded on 27 February 2026');
    expect(formatDate('2026-06-30T23:30:00.000Z')).toBe('1 July 2026');
  });
});

describe('keyFigures', () => {
  it('tabulates the figures the findings are written from', () => {
    expect(keyFigures(section())).toEqual([
      ['Network pooled value (95 % interval)', '74.0 % (73.0 to 75.0 %)'],
      ['All 6 providers', '72.0 %'],
      ['Network providers on the funnel', '4 of 6'],
      ['Within the 99.8 % limits', '2'],
      ['Beyond: above / below', '1 / 1'],
      ['Withheld (small numbers)', '1'],
      ['Overdispersion', 'φ = 2.50; multiplicative'],
      ['Network SPC, latest point', 'Common cause variation'],
    ]);
  });
});
