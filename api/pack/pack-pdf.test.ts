import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mdcIconColours } from '../charts/mdc-icons';
import { packChartSizes, packChartSmallestText, renderPackCharts } from './pack-charts';
import { outlier, packContent, section, spc } from './pack-fixtures';
import { packPages } from './pack-pages';
import { packPdf } from './pack-pdf';

/** The content streams of a pdfkit PDF, inflated, one per page in order (pdfkit writes one stream per page). */
function pageStreams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  // Each stream's bytes are exactly its /Length after "stream" and its line end (the data may end in a CR of its own).
  return [...text.matchAll(/<<([^>]*?\/Length (\d+)[^>]*?)>>\s*stream\r?\n/g)]
    .filter(([, dictionary]) => !/\/Subtype|\/Length1|\/Type/.test(dictionary))
    .map((match) => {
      const body = text.slice(match.index! + match[0].length, match.index! + match[0].length + Number(match[2]));
      return match[1].includes('FlateDecode') ? inflateSync(Buffer.from(body, 'latin1')).toString('latin1') : body;
    });
}

/** Every font size set (`/F1 12 Tf`). */
const fontSizes = (stream: string) => [...stream.matchAll(/\/F\d+ ([\d.]+) Tf/g)].map((match) => Number(match[1]));

/** The width in points each image is drawn at (`w 0 0 -h x y cm /I1 Do`). */
const imageWidths = (stream: string) => [...stream.matchAll(/([\d.]+) 0 0 -[\d.]+ [\d.]+ [\d.]+ cm\s*\/I\d+ Do/g)].map((match) => Number(match[1]));

const fill = (hex: string) => `${[1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255).join(' ')} scn`;

const longFindings = (base = section()) => [...base.findings, ...Array.from({ length: 8 }, (_, i) => `Finding ${i}: ${'the providers of the network vary more than chance alone explains, '.repeat(5)}`)];

describe('packPdf', () => {
  it('sets no text below 10 pt and prints the charts’ smallest text at 9 pt or more, with long findings and many outliers', async () => {
    const base = section();
    const content = packContent([{ ...base, findings: longFindings(base) }], Array.from({ length: 12 }, (_, i) => outlier(`O${i}`, `O${i}.`)));
    const pdf = await packPdf(content, await renderPackCharts(content));
    const streams = pageStreams(pdf);
    const sizes = streams.flatMap(fontSizes);
    expect(sizes.length).toBeGreaterThan(50);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(10);
    // The funnel across its page, the SPC chart on the left of its own.
    const [funnel, spc] = streams.flatMap(imageWidths);
    expect(streams.flatMap(imageWidths)).toHaveLength(2);
    expect(funnel).toBeGreaterThan(760);
    expect((packChartSmallestText * funnel) / packChartSizes.funnel.width).toBeGreaterThanOrEqual(11);
    expect((packChartSmallestText * spc) / packChartSizes.spc.width).toBeGreaterThanOrEqual(9);
  });

  it('adds no page of overflow: as many pages as the pack lays out, however long the findings', async () => {
    const base = section();
    const content = packContent([{ ...base, findings: longFindings(base) }]);
    const pdf = await packPdf(content, await renderPackCharts(content));
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(packPages(content).length);
  });

  it("draws the network's Making Data Count icons on its trend page and in the table at a glance in their colours", async () => {
    const content = packContent([section({ networkSpc: spc('special_cause_concern_low', [null, 'concern'], 'consistent_pass') })]);
    const streams = pageStreams(await packPdf(content, await renderPackCharts(content)));
    const trend = streams[5];
    expect(trend).toContain(fill(mdcIconColours.concern));
    expect(trend).toContain(fill(mdcIconColours.improvement));
    expect(streams[1]).toContain(fill(mdcIconColours.concern));
    const common = packContent([section()]);
    expect(pageStreams(await packPdf(common, await renderPackCharts(common)))[5]).not.toContain(fill(mdcIconColours.concern));
  });
});
