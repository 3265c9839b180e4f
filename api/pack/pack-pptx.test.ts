import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { renderPackCharts } from './pack-charts';
import { outlier, packContent, section, spc } from './pack-fixtures';
import { packPptx } from './pack-pptx';

async function slidesOf(bytes: Uint8Array): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files).filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name));
  names.sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
  return Promise.all(names.map((name) => zip.file(name)!.async('string')));
}

/** Every run's size in points (sz is in hundredths of a point). */
const runSizes = (xml: string) => [...xml.matchAll(/<a:rPr[^>]*\bsz="(\d+)"/g)].map((match) => Number(match[1]) / 100);

describe('packPptx', () => {
  it('writes two slides per indicator, the footer on the master and each chart as a picture', async () => {
    const content = packContent([section()], [outlier('C', 'C.')]);
    const bytes = await packPptx(content, await renderPackCharts(content));
    const slides = await slidesOf(bytes);
    expect(slides).toHaveLength(5);
    expect(slides[2]).toMatch(/<p:pic>/);
    expect(slides[3]).toMatch(/<p:pic>/);
    const zip = await JSZip.loadAsync(bytes);
    const layouts = await Promise.all(Object.keys(zip.files).filter((name) => /slideLayouts\/slideLayout\d+\.xml$/.test(name)).map((name) => zip.file(name)!.async('string')));
    expect(layouts.join('')).toContain('North Network · 2025/26 Q2 · data as loaded on 27 February 2026');
  });

  it('sets no text below 12 pt on any slide, footer included, even for long findings', async () => {
    const long = section();
    const findings = [...long.findings, ...Array.from({ length: 6 }, (_, i) => `Finding ${i}: ${'the network’s providers vary more than chance alone explains '.repeat(4)}`)];
    const content = packContent([{ ...long, findings }], Array.from({ length: 12 }, (_, i) => outlier(`O${i}`, `O${i}.`)));
    const bytes = await packPptx(content, await renderPackCharts(content));
    const zip = await JSZip.loadAsync(bytes);
    const xml = await Promise.all(Object.keys(zip.files).filter((name) => /^ppt\/(slides|slideLayouts|slideMasters)\/[^/]+\.xml$/.test(name)).map((name) => zip.file(name)!.async('string')));
    const sizes = xml.flatMap(runSizes);
    expect(sizes.length).toBeGreaterThan(50);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
    // Every finding is on a slide, whole.
    const text = (await slidesOf(bytes)).join('').replaceAll('&apos;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
    for (const finding of findings) expect(text.includes(finding), finding).toBe(true);
  });

  it("draws the network's Making Data Count icons as shapes on the trend slide, with their words", async () => {
    const content = packContent([section({ networkSpc: spc('special_cause_concern_low', [null, 'concern'], 'consistent_fail') })]);
    const trend = (await slidesOf(await packPptx(content, await renderPackCharts(content))))[3];
    expect(trend).toMatch(/prstGeom prst="ellipse"[\s\S]*<a:t>L<\/a:t>/);
    expect(trend).toContain('<a:t>F</a:t>');
    expect(trend).toContain('Special cause concerning variation (low)');
    expect(trend).toContain('Consistently failing the target');
  });
});
