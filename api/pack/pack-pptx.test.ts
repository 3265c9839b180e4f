import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { deckCharts } from '../../test/support/pptx-parts';
import { outlier, packContent, section, spc } from './pack-fixtures';
import { packPptx } from './pack-pptx';

async function slidesOf(bytes: Uint8Array): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files).filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name));
  names.sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
  return Promise.all(names.map((name) => zip.file(name)!.async('string')));
}

/** Every run's size in points (sz is in hundredths of a point), in text and in charts' default run properties. */
const runSizes = (xml: string) => [...xml.matchAll(/<a:(?:rPr|defRPr|endParaRPr)\b[^>]*\bsz="(\d+)"/g)].map((match) => Number(match[1]) / 100);

/** Providers with a precision, so the funnel has points to draw. */
const plotted = () => {
  const base = section();
  return { ...base, funnel: { ...base.funnel, providers: base.funnel.providers.map((provider, i) => ({ ...provider, precision: provider.suppressed ? null : 100 * (i + 1) })) } };
};

describe('packPptx', () => {
  it('writes three slides per indicator, the footer on the master, the funnel and SPC chart as native charts and no picture', async () => {
    const content = packContent([plotted()], [outlier('C', 'C.')]);
    const bytes = await packPptx(content);
    const slides = await slidesOf(bytes);
    expect(slides).toHaveLength(7);
    expect(slides.map((slide) => (slide.match(/<c:chart /g) ?? []).length)).toEqual([0, 0, 0, 1, 0, 1, 0]);
    expect(slides.join('')).not.toMatch(/<p:pic>/);
    const zip = await JSZip.loadAsync(bytes);
    const layouts = await Promise.all(Object.keys(zip.files).filter((name) => /slideLayouts\/slideLayout\d+\.xml$/.test(name)).map((name) => zip.file(name)!.async('string')));
    expect(layouts.join('')).toContain('North Network · 2025/26 Q2 · data as loaded on 27 February 2026');
    const [funnel, trend] = await deckCharts(zip);
    expect(funnel.series.map((series) => series.name)).toEqual(["Network's providers", 'Other providers', 'Benchmark (all providers)', 'Target']);
    // The fixture's published members (A–D) and the one other provider (F); E is withheld and has no point.
    expect([...funnel.series[0].y.values()]).toHaveLength(4);
    expect(funnel.series[1].y.size).toBe(1);
    expect(trend.series.map((series) => series.name)).toEqual(['Network pooled value', 'Mean', 'Upper process limit', 'Lower process limit', 'Target']);
  });

  it('draws points as markers without a line and limits as lines without markers', async () => {
    const charts = await deckCharts(await JSZip.loadAsync(await packPptx(packContent([plotted()]))));
    const series = [...charts[0].xml.matchAll(/<c:ser>([\s\S]*?)<\/c:ser>/g)].map((match) => match[1]);
    expect(series[0]).toMatch(/<c:spPr><a:ln><a:noFill\/><\/a:ln><\/c:spPr><c:marker><c:symbol val="circle"\/>/);
    expect(series[2]).toMatch(/<a:prstDash val="solid"\/>[\s\S]*<c:marker><c:symbol val="none"\/><\/c:marker>/);
    // Blank rows are left out of the caches, not written as empty values.
    expect(charts[0].xml).not.toMatch(/<c:v><\/c:v>/);
  });

  it('sets no text below 14 pt on any slide or chart, footer included, even for long findings and many outliers', async () => {
    const long = plotted();
    const findings = [...long.findings, ...Array.from({ length: 6 }, (_, i) => `Finding ${i}: ${'the network’s providers vary more than chance alone explains '.repeat(4)}`)];
    const content = packContent([{ ...long, findings }], Array.from({ length: 12 }, (_, i) => outlier(`O${i}`, `O${i}.`)));
    const bytes = await packPptx(content);
    const zip = await JSZip.loadAsync(bytes);
    const xml = await Promise.all(Object.keys(zip.files).filter((name) => /^ppt\/(slides|slideLayouts|slideMasters|charts)\/[^/]+\.xml$/.test(name)).map((name) => zip.file(name)!.async('string')));
    const sizes = xml.flatMap(runSizes);
    expect(sizes.length).toBeGreaterThan(50);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(14);
    // Every finding is on a slide, whole.
    const text = (await slidesOf(bytes)).join('').replaceAll('&apos;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
    for (const finding of findings) expect(text.includes(finding), finding).toBe(true);
  });

  it("draws the network's Making Data Count icons as shapes on the trend slide and in the table at a glance, with their words", async () => {
    const content = packContent([section({ networkSpc: spc('special_cause_concern_low', [null, 'concern'], 'consistent_fail') })]);
    const slides = await slidesOf(await packPptx(content));
    for (const slide of [slides[1], slides[5]]) {
      expect(slide).toMatch(/prstGeom prst="ellipse"[\s\S]*<a:t>L<\/a:t>/);
      expect(slide).toContain('<a:t>F</a:t>');
      expect(slide).toContain('Special cause concerning variation (low)');
      expect(slide).toContain('Consistently failing the target');
    }
    expect(slides[1]).toMatch(/<a:tbl>/);
  });
});
