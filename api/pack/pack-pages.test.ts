import { describe, expect, it } from 'vitest';
import { indicator, outlier, packContent, section } from './pack-fixtures';
import { formatDate, keyFigures, packFooter, packPages, summaryRowsPerPage } from './pack-pages';

describe('packPages', () => {
  it('lays out a title, one summary, a page per indicator and the methods', () => {
    const pages = packPages(packContent([section(), section({ indicator: { ...indicator, code: 'Q', name: 'Second' } })]));
    expect(pages.map((page) => page.kind)).toEqual(['title', 'summary', 'indicator', 'indicator', 'methods']);
    expect(pages.map((page) => page.title).slice(2, 4)).toEqual(['Seen within 4 hours', 'Second']);
  });

  it('continues the outliers on further summary pages, never leaving one out', () => {
    const outliers = Array.from({ length: summaryRowsPerPage + 1 }, (_, i) => outlier(`O${i}`, `O${i}.`));
    const summaries = packPages(packContent([section()], outliers)).filter((page) => page.kind === 'summary');
    expect(summaries.map((page) => page.title)).toEqual(['Significant outliers', 'Significant outliers (continued)']);
    expect(summaries.flatMap((page) => (page.kind === 'summary' ? page.rows : []))).toHaveLength(summaryRowsPerPage + 1);
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
