import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { renderPackCharts } from './pack-charts';
import { outlier, packContent, section } from './pack-fixtures';
import { fittedFontSize, packPptx } from './pack-pptx';

describe('fittedFontSize', () => {
  const box = { w: 8.1, h: 1.8 };

  it('keeps 10 pt for a few short findings and steps down as they grow', () => {
    expect(fittedFontSize(['Short.', 'Also short.'], box)).toBe(10);
    expect(fittedFontSize(Array.from({ length: 5 }, () => 'word '.repeat(60)), box)).toBeLessThan(10);
    expect(fittedFontSize(Array.from({ length: 5 }, () => 'word '.repeat(400)), box)).toBe(7);
  });
});

describe('packPptx', () => {
  it('writes one slide per page, the footer on the master and each chart as a picture', async () => {
    const content = packContent([section()], [outlier('C', 'C.')]);
    const zip = await JSZip.loadAsync(await packPptx(content, await renderPackCharts(content)));
    const slides = Object.keys(zip.files).filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name));
    expect(slides).toHaveLength(4);
    expect(await zip.file('ppt/slides/slide3.xml')!.async('string')).toMatch(/<p:pic>[\s\S]*<p:pic>/);
    const layouts = await Promise.all(Object.keys(zip.files).filter((name) => /slideLayouts\/slideLayout\d+\.xml$/.test(name)).map((name) => zip.file(name)!.async('string')));
    expect(layouts.join('')).toContain('North Network · 2025/26 Q2 · data as loaded on 27 February 2026');
  });
});
