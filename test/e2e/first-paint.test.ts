import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { artefactsDir } from '../support/browser';
import { describeDemoInBrowser, getJson } from '../support/demo-api';
import { servedDashboard } from '../support/served-dashboard';

/**
 * First paint of the home, network, indicator and provider pages (issue 16), as Chromium's performance API reports
 * it (`first-contentful-paint`), each visit in a fresh browser context so nothing (fonts included) comes from its
 * cache. The first visit of each page meets a cold analysis cache; the next three are warm. The figures are
 * recorded (artefacts/e2e/first-paint-<database>.json and the log), not asserted against a time: this machine is
 * shared, and speed targets live in the benchmarks as ratios.
 */
const visits = 4;

describeDemoInBrowser('first paint of each page', ({ app, database }) => {
  const served = servedDashboard(() => app().fetch);

  it('records first-contentful-paint, the fonts fetched and their bytes for each page', async () => {
    const summary = await getJson(app(), '/api/variation/networks');
    const indicator = (await getJson(app(), '/api/indicators')).indicators[0].code;
    const pages = { home: '/', network: `/networks/${summary.ranking[0]}`, indicator: `/indicators/${indicator}`, provider: '/providers/RZB' };
    const figures: Record<string, { cold: number; warm: number; visits: number[]; fonts: { url: string; bytes: number }[] }> = {};
    for (const [name, path] of Object.entries(pages)) {
      const paints: number[] = [];
      let fonts: { url: string; bytes: number }[] = [];
      for (let visit = 0; visit < visits; visit++) {
        const context = await served.browser().newContext({ viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        const fetched: Promise<{ url: string; bytes: number }>[] = [];
        page.on('requestfinished', (request) => {
          if (request.resourceType() === 'font') fetched.push(request.sizes().then((sizes) => ({ url: new URL(request.url()).pathname, bytes: sizes.responseBodySize })));
        });
        await page.goto(`${served.origin()}${path}`, { waitUntil: 'load', timeout: 120_000 });
        await page.waitForLoadState('networkidle', { timeout: 120_000 });
        const paint = await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const entry = performance.getEntriesByName('first-contentful-paint')[0];
              if (entry) return resolve(entry.startTime);
              new PerformanceObserver((list) => resolve(list.getEntriesByName('first-contentful-paint')[0].startTime)).observe({ type: 'paint', buffered: true });
            }),
        );
        paints.push(Math.round(paint));
        fonts = await Promise.all(fetched);
        await context.close();
      }
      const warm = [...paints.slice(1)].sort((a, b) => a - b);
      figures[name] = { cold: paints[0], warm: warm[Math.floor(warm.length / 2)], visits: paints, fonts };
      expect(paints.every((paint) => paint > 0), name).toBe(true);
    }
    // The web fonts the pages declare, and their bytes: fetched only where Arial is missing (this Chromium finds
    // Liberation Sans for Arial, so it fetches none), and then the latin files of the weights used.
    const page = await served.browser().newPage();
    const response = await page.goto(`${served.origin()}/`, { waitUntil: 'load' });
    const declared = await page.evaluate(async () => {
      const urls = Array.from(document.styleSheets).flatMap((sheet) =>
        Array.from(sheet.cssRules)
          .filter((rule): rule is CSSFontFaceRule => rule instanceof CSSFontFaceRule)
          .flatMap((rule) => [...rule.style.getPropertyValue('src').matchAll(/url\("?([^")]+)"?\)/g)].map((match) => new URL(match[1], sheet.href ?? location.href).href)),
      );
      return Promise.all([...new Set(urls)].map(async (url) => ({ url: new URL(url).pathname, bytes: (await (await fetch(url)).arrayBuffer()).byteLength })));
    });
    // Preloads in the head, or in the Link header SvelteKit sends with the page.
    const preloadLinks = await page.locator('link[rel=preload][as=font]').evaluateAll((links) => links.map((link) => new URL((link as HTMLLinkElement).href).pathname));
    const preloaded = [...preloadLinks, ...[...(response?.headers().link ?? '').matchAll(/<([^>]+)>;[^,]*as="?font/g)].map((match) => match[1])];
    await page.close();
    console.log(`web fonts declared: ${declared.map((font) => `${font.url} ${font.bytes} B`).join(', ')}; preloaded: ${preloaded.join(', ') || 'none'}`);
    expect(declared.length).toBeGreaterThan(0);
    const lines = Object.entries(figures).map(
      ([name, figure]) => `${name}: first paint ${figure.cold} ms cold, ${figure.warm} ms warm (median of ${visits - 1}); fonts ${figure.fonts.map((font) => `${font.url} ${font.bytes} B`).join(', ') || 'none'}`,
    );
    console.log(`first paint on ${database().kind}:\n${lines.join('\n')}`);
    writeFileSync(join(artefactsDir, 'e2e', `first-paint-${database().kind}.json`), JSON.stringify({ pages: figures, fontsDeclared: declared, fontsPreloaded: preloaded }, null, 2));
  }, 600_000);
});
