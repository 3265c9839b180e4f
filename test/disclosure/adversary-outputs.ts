import JSZip from 'jszip';
import { deckCharts, embeddedWorkbooks, sheetColumn } from '../support/pptx-parts';
import { parseCsvRecords } from '../support/shared';
import { query, type AttackOptions, type AttackSession, type FunnelSeen, type TextMention } from './adversary';
import { attackFunnelBenchmarks } from './adversary-funnel-benchmarks';

const belowFloorThresholds = [0, 1, 2, 3, 4];

const numberOrNull = (text: string | undefined) => (text === undefined || text.trim() === '' ? null : Number(text));

/** Routes that draw one funnel's cells (JSON, CSV, exports) and the per-provider and per-network summaries. */
async function attackViews(session: AttackSession, funnels: FunnelSeen[], options: AttackOptions): Promise<void> {
  const book = session.book;
  const withSuppressed = funnels.filter((funnel) => funnel.suppressed.length > 0);
  const busiest = [...withSuppressed].sort((a, b) => b.suppressed.length - a.suppressed.length);
  // Each provider's profile and spine once, in the latest period it is suppressed in.
  const latestSuppressed = new Map<string, FunnelSeen>();
  for (const funnel of withSuppressed) for (const organisation of funnel.suppressed) latestSuppressed.set(organisation, funnel);
  for (const organisation of [...latestSuppressed.keys()].slice(options.profiles)) latestSuppressed.delete(organisation);
  for (const funnel of withSuppressed) {
    const { indicator, period } = funnel;
    const rate = (value: number | null) => (value === null ? null : value / indicator.multiplier);
    const paths = busiest.indexOf(funnel) < options.csvCharts ? ['/api/funnel', '/api/exports/funnel', '/api/exports/caterpillar'] : ['/api/funnel'];
    for (const path of paths) {
      const { status, text } = await session.get(`${path}?${query({ indicator: indicator.code, period, format: 'csv' })}`);
      if (status !== 200) continue;
      for (const row of parseCsvRecords(text)) {
        book.disclosed(path.replace('/api/', ''), { indicator: indicator.code, organisation: row.code, period }, {
          count: numberOrNull(row.numerator),
          denominator: numberOrNull(row.denominator),
          rate: rate(numberOrNull(row.value)),
        });
      }
    }
    // Each provider's verdict under every funnel method, with its value: none may be a withheld provider's.
    if (busiest.indexOf(funnel) < options.csvCharts) {
      const sensitivity = await session.json(`/api/funnel/sensitivity?${query({ indicator: indicator.code, period })}`);
      for (const provider of sensitivity?.providers ?? []) book.disclosed('funnel/sensitivity', { indicator: indicator.code, organisation: provider.code, period }, { rate: rate(provider.value) });
    }
    for (const organisation of funnel.suppressed.filter((code) => latestSuppressed.get(code) === funnel)) {
      const profile = await session.json(`/api/profile/${organisation}?${query({ period })}`);
      for (const entry of profile?.indicators ?? []) {
        const other = funnels.find((one) => one.indicator.code === entry.indicator.code && one.period === entry.period?.label);
        if (!other) continue;
        const at = { indicator: other.indicator.code, organisation, period: other.period };
        book.disclosed('profile', at, { rate: entry.value === null ? null : entry.value / other.indicator.multiplier });
        const benchmark = entry.benchmark;
        if (benchmark?.value != null) book.ratio('profile', other.reporting, benchmark.value / other.indicator.multiplier, benchmark.providers);
      }
      const { status, text } = await session.get(`/api/exports/spine?${query({ organisation, period, format: 'csv' })}`);
      if (status === 200) {
        for (const row of parseCsvRecords(text)) {
          const other = funnels.find((one) => one.indicator.code === row.indicator && one.period === row.period);
          const value = numberOrNull(row.value);
          if (other) book.disclosed('exports/spine', { indicator: row.indicator, organisation, period: row.period }, { rate: value === null ? null : value / other.indicator.multiplier });
        }
      }
    }
  }
  const pairs = new Set(withSuppressed.flatMap((funnel) => funnel.suppressed.map((organisation) => `${funnel.indicator.code}|${organisation}`)));
  const spcExported = new Set<string>();
  for (const pair of pairs) {
    const [code, organisation] = pair.split('|');
    const indicator = funnels.find((funnel) => funnel.indicator.code === code)!.indicator;
    // Funnel positions (a funnel per period) and the SPC export are slow and go through the same code for every
    // provider: one provider per indicator.
    if (spcExported.has(code)) continue;
    spcExported.add(code);
    const positions = await session.json(`/api/trends/funnel-position?${query({ indicator: code, organisation })}`);
    for (const position of positions?.positions ?? []) {
      book.disclosed('funnel-position', { indicator: code, organisation, period: position.period.label }, { rate: position.value === null ? null : position.value / indicator.multiplier });
    }
    // The CUSUM list of each network holding the provider names its signalling members with their latest value.
    const latest = funnels.filter((funnel) => funnel.indicator.code === code).at(-1)!;
    for (const network of session.networks) {
      if (!(await session.membersOn(network, latest.endDate)).has(organisation)) continue;
      const cusum = await session.json(`/api/trends/cusum?${query({ indicator: code, network, recent: 40 })}`);
      for (const member of cusum?.signalling ?? []) {
        book.disclosed('trends/cusum', { indicator: code, organisation: member.organisation.code, period: member.latest.period }, { rate: member.latest.value === null ? null : member.latest.value / indicator.multiplier });
      }
    }
    const { status, text } = await session.get(`/api/exports/spc?${query({ indicator: code, organisation, format: 'csv' })}`);
    if (status === 200) {
      for (const row of parseCsvRecords(text)) {
        const value = numberOrNull(row.value);
        book.disclosed('exports/spc', { indicator: code, organisation, period: row.period }, { rate: value === null ? null : value / indicator.multiplier });
      }
    }
    // Every other chart the SPC route draws: Laney's p′ / u′ (σ_z from the published points) and XmR (a wrong pairing is a 400).
    for (const chart of ['pprime', 'uprime', 'xmr']) {
      const spc = await session.json(`/api/trends/spc?${query({ indicator: code, organisation, chart })}`);
      for (const point of spc?.points ?? []) {
        book.disclosed(`spc?chart=${chart}`, { indicator: code, organisation, period: point.period }, { rate: point.value === null ? null : point.value / indicator.multiplier });
      }
    }
  }
  const multipliers = new Map(funnels.map((funnel) => [funnel.indicator.code, funnel.indicator.multiplier]));
  // The rug, findings and tartan of each network holding a suppressed cell, in the latest periods with any.
  const periods = [...new Set(withSuppressed.map((funnel) => funnel.period))].slice(-options.networkPeriods);
  for (const period of periods) {
    const here = withSuppressed.filter((funnel) => funnel.period === period);
    for (const network of session.networks) {
      const members = await session.membersOn(network, here[0].endDate);
      if (!here.some((funnel) => funnel.suppressed.some((code) => members.has(code)))) continue;
      const overview = await session.json(`/api/overview?${query({ network, period })}`);
      for (const cell of overview?.cells ?? []) {
        if (cell.value !== null) book.disclosed('overview', { indicator: cell.indicator, organisation: cell.organisation, period }, { rate: cell.value / multipliers.get(cell.indicator)! });
      }
      const variation = await session.json(`/api/variation?${query({ network, period })}`);
      for (const finding of variation?.findings ?? []) {
        if (finding.value !== null) book.disclosed('variation', { indicator: finding.indicator, organisation: finding.organisation.code, period: finding.period }, { rate: finding.value / multipliers.get(finding.indicator)! });
      }
      for (const persistent of variation?.persistent ?? []) {
        book.disclosed('variation/persistent', { indicator: persistent.indicator, organisation: persistent.organisation.code, period: persistent.period }, { rate: persistent.value / multipliers.get(persistent.indicator)! });
      }
      const { status, text } = await session.get(`/api/exports/tartan?${query({ network, period, format: 'csv' })}`);
      if (status === 200) {
        for (const row of parseCsvRecords(text)) book.disclosed('exports/tartan', { indicator: row.indicator, organisation: row.organisation, period }, { rate: numberOrNull(row.value) === null ? null : Number(row.value) / multipliers.get(row.indicator)! });
      }
    }
  }
}

const decodeXml = (text: string) => text.replace(/&(apos|quot|lt|gt|amp|#\d+);/g, (_entity, name: string) => (name.startsWith('#') ? String.fromCharCode(Number(name.slice(1))) : ({ apos: "'", quot: '"', lt: '<', gt: '>', amp: '&' } as Record<string, string>)[name]));

/** Text pieces (SVG labels, slide paragraphs and table rows) that name a suppressed cell's organisation. */
function mentionsIn(channel: string, period: string, pieces: string[], names: Map<string, string>, indicators: string[]): TextMention[] {
  return pieces.flatMap((text) =>
    [...names].filter(([code, name]) => text.includes(name) || new RegExp(`\\b${code}\\b`).test(text)).map(([organisation]) => ({ channel, organisation, indicators, period, text })),
  );
}

/** Server-rendered SVG charts and board packs, read as text. */
async function attackRenderings(session: AttackSession, funnels: FunnelSeen[], options: AttackOptions): Promise<TextMention[]> {
  const mentions: TextMention[] = [];
  const names = new Map<string, string>();
  for (const { organisations } of [await session.json('/api/organisations')]) for (const one of organisations ?? []) names.set(one.code, one.name);
  const suppressedNames = (codes: string[]) => new Map(codes.map((code) => [code, names.get(code) ?? code]));
  const busiest = [...funnels].sort((a, b) => b.suppressed.length - a.suppressed.length).slice(0, options.svgCharts);
  for (const funnel of busiest) {
    for (const chart of ['funnel', 'caterpillar']) {
      const { status, text } = await session.get(`/api/exports/${chart}?${query({ indicator: funnel.indicator.code, period: funnel.period, format: 'svg' })}`);
      if (status !== 200) continue;
      const pieces = [...text.matchAll(/<text[^>]*>([^<]*)<\/text>|aria-label="([^"]*)"/g)].map((match) => decodeXml(match[1] ?? match[2]));
      mentions.push(...mentionsIn(`exports/${chart}.svg`, funnel.period, pieces, suppressedNames(funnel.suppressed), [funnel.indicator.code]));
    }
  }
  const latest = funnels.reduce((last, funnel) => (funnel.endDate > last.endDate ? funnel : last)).period;
  const atLatest = funnels.filter((funnel) => funnel.period === latest && funnel.suppressed.length > 0);
  const packNetworks: string[] = [];
  for (const network of session.networks) {
    if (packNetworks.length >= options.packs) break;
    const members = await session.membersOn(network, atLatest[0]?.endDate ?? '');
    if (atLatest.some((funnel) => funnel.suppressed.some((code) => members.has(code)))) packNetworks.push(network);
  }
  for (const network of packNetworks) {
    const indicators = atLatest.map((funnel) => funnel.indicator.code);
    const deck = await session.bytes(`/api/packs?${query({ network, period: latest, indicators: indicators.join(','), format: 'pptx' })}`);
    if (!deck) continue;
    const zip = await JSZip.loadAsync(deck);
    const names = suppressedNames(atLatest.flatMap((funnel) => funnel.suppressed));
    const chartSlides = new Map<string, string[]>();
    for (const name of Object.keys(zip.files).filter((file) => /^ppt\/slides\/slide\d+\.xml$/.test(file))) {
      const xml = await zip.file(name)!.async('string');
      const texts = (part: string) => [...part.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((match) => decodeXml(match[1])).join(' ');
      const pieces = [...xml.matchAll(/<a:tr[\s>][\s\S]*?<\/a:tr>|<a:p>[\s\S]*?<\/a:p>/g)].map((match) => texts(match[0]));
      const slideText = texts(xml);
      const onSlide = atLatest.filter((funnel) => slideText.includes(funnel.indicator.name)).map((funnel) => funnel.indicator.code);
      mentions.push(...mentionsIn('pack', latest, pieces, names, onSlide.length > 0 ? onSlide : indicators));
      const rels = (await zip.file(name.replace('slides/', 'slides/_rels/') + '.rels')?.async('string')) ?? '';
      for (const [, chart] of rels.matchAll(/Target="(?:\.\.|\/ppt)\/charts\/(chart\d+\.xml)"/g)) chartSlides.set(`ppt/charts/${chart}`, onSlide);
    }
    mentions.push(...(await attackDeckCharts(session, funnels, zip, network, latest, chartSlides, names, options.log)));
  }
  return mentions;
}

/**
 * The deck's native charts, read where an author editing them would: each chart's cached series and the workbook
 * embedded behind it (an xlsx, itself a zip). A funnel chart's points are (precision, value) pairs, the precision
 * being the provider's denominator (cases, expected events or person-time): every pair the funnel route does not
 * publish is taken as a withheld member's, for each withheld provider of the funnel. The network's SPC values are
 * pooled over its members each period, and are written as ratio equations over them. Names in the charts' and
 * workbooks' text are mentions.
 */
async function attackDeckCharts(
  session: AttackSession,
  funnels: FunnelSeen[],
  zip: JSZip,
  network: string,
  latest: string,
  chartSlides: Map<string, string[]>,
  names: Map<string, string>,
  log?: (line: string) => void,
): Promise<TextMention[]> {
  const mentions: TextMention[] = [];
  const charts = await deckCharts(zip);
  const books = await embeddedWorkbooks(zip);
  let [read, offFunnel] = [0, 0];
  for (const chart of charts) {
    const codes = chartSlides.get(chart.part) ?? [];
    // The longest indicator name on the chart's slide names its indicator ("A" would also match "A over time").
    const funnel = funnels.filter((one) => codes.includes(one.indicator.code) && one.period === latest).sort((a, b) => b.indicator.name.length - a.indicator.name.length)[0];
    const rels = (await zip.file(chart.part.replace('charts/', 'charts/_rels/') + '.rels')?.async('string')) ?? '';
    const book = books.find((one) => rels.includes(one.name.replace('ppt/', '../')));
    const pieces = [chart.title, ...chart.series.map((series) => series.name), ...[...chart.xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((match) => decodeXml(match[1])), ...(book ? [book.text, ...book.sheets.flatMap((cells) => [...cells.values()])] : [])];
    mentions.push(...mentionsIn('pack-charts', latest, pieces, names, funnel ? [funnel.indicator.code] : funnels.map((one) => one.indicator.code)));
    if (!funnel) continue;
    const { indicator } = funnel;
    if (chart.kind === 'scatter') {
      const answer = await session.json(`/api/funnel?${query({ indicator: indicator.code, period: latest })}`);
      const published = new Set((answer?.providers ?? []).filter((provider: any) => !provider.suppressed).map((provider: any) => `${Number(provider.precision)}|${Number(provider.value)}`));
      // Points from the caches and from the workbook: column A holds x, each further column a series' y.
      const points = chart.series.flatMap((series) => [...series.y].map(([row, y]) => ({ x: Number(series.x.get(row)), y })));
      for (const cells of book?.sheets ?? []) {
        const xs = sheetColumn(cells, 'A');
        chart.series.forEach((_series, index) => {
          for (const [row, y] of sheetColumn(cells, String.fromCharCode(66 + index))) points.push({ x: xs.get(row)!, y });
        });
      }
      read += points.length;
      // Limit curves (drawn at their own precisions), the benchmark and target lines are published; any other point could be a provider's.
      const curves = new Set<number>((answer?.curves ?? []).flatMap((curve: any) => curve.points.map((point: any) => point.precision)));
      const lines = new Set<number>([answer?.target, answer?.indicator?.target, ...(answer?.targetLines ?? []).map((line: any) => line.value)].filter((value) => typeof value === 'number'));
      for (const point of points) {
        if (published.has(`${point.x}|${point.y}`) || curves.has(point.x) || lines.has(point.y)) continue;
        offFunnel++;
        for (const organisation of funnel.suppressed) {
          session.book.disclosed('pack-charts', { indicator: indicator.code, organisation, period: latest }, { rate: point.y / indicator.multiplier, denominator: point.x });
        }
      }
    } else if (chart.kind === 'line') {
      const [pooled] = chart.series;
      for (const [row, value] of pooled?.y ?? []) {
        const period = pooled.x.get(row);
        const at = funnels.find((one) => one.indicator.code === indicator.code && one.period === period);
        if (at) session.book.ratio('pack-charts', await session.networkGroup(at, network), value / indicator.multiplier);
        read++;
      }
    }
  }
  log?.(`  pack charts of ${network}: ${charts.length} charts, ${books.length} workbooks, ${read} values read, ${offFunnel} funnel points not published`);
  return mentions;
}

/**
 * Below-floor suppression: each route asked with suppression=0..4 by an anonymous caller and by a viewer. An
 * answer is an attack channel in itself; the anonymous funnels at 0 are read for the figures they give.
 */
async function attackBelowFloor(session: AttackSession, funnels: FunnelSeen[], options: AttackOptions) {
  const honoured: Record<string, number> = {};
  let asked = 0;
  const sample = funnels.find((funnel) => funnel.suppressed.length > 0);
  if (!sample) return { asked, honoured };
  const organisation = sample.suppressed[0];
  const network = session.networks[0];
  const common = { indicator: sample.indicator.code, period: sample.period };
  const routes: Record<string, Record<string, string>> = {
    funnel: { path: '/api/funnel', ...common },
    'funnel.csv': { path: '/api/funnel', ...common, format: 'csv' },
    'funnel/sensitivity': { path: '/api/funnel/sensitivity', ...common },
    measures: { path: '/api/measures', ...common, organisation },
    spc: { path: '/api/trends/spc', indicator: sample.indicator.code, organisation },
    'network-spc': { path: '/api/trends/network-spc', indicator: sample.indicator.code, network },
    'network-spc-summary': { path: '/api/trends/network-spc-summary', indicator: sample.indicator.code, network },
    'funnel-position': { path: '/api/trends/funnel-position', indicator: sample.indicator.code, organisation },
    cusum: { path: '/api/trends/cusum', indicator: sample.indicator.code, network },
    overview: { path: '/api/overview', network, period: sample.period },
    profile: { path: `/api/profile/${organisation}`, period: sample.period },
    variation: { path: '/api/variation', network, period: sample.period },
    // The home page's counts of members giving concern, judged and better: each a function of the threshold.
    'variation/networks': { path: '/api/variation/networks' },
    'exports/funnel.csv': { path: '/api/exports/funnel', ...common, format: 'csv' },
    'exports/tartan.csv': { path: '/api/exports/tartan', network, period: sample.period, format: 'csv' },
  };
  for (const [route, { path, ...parameters }] of Object.entries(routes)) {
    for (const suppression of belowFloorThresholds) {
      for (const headers of [undefined, { authorization: `Bearer ${options.viewerToken}` }]) {
        asked++;
        const { status } = await session.get(`${path}?${query({ ...parameters, suppression })}`, headers);
        if (status === 200) honoured[route] = (honoured[route] ?? 0) + 1;
      }
    }
  }
  for (const funnel of funnels.filter((one) => one.suppressed.length > 0)) {
    const answer = await session.json(`/api/funnel?${query({ indicator: funnel.indicator.code, period: funnel.period, suppression: 0 })}`);
    for (const provider of answer?.providers ?? []) {
      session.book.disclosed('below-floor', { indicator: funnel.indicator.code, organisation: provider.code, period: funnel.period }, { count: provider.numerator, denominator: provider.denominator });
    }
  }
  return { asked, honoured };
}

export async function attackOutputs(session: AttackSession, funnels: FunnelSeen[], options: AttackOptions) {
  let started = Date.now();
  const lap = (step: string) => {
    options.log?.(`  ${step}: ${Date.now() - started} ms`);
    started = Date.now();
  };
  await attackViews(session, funnels, options);
  lap('views');
  await attackFunnelBenchmarks(session, funnels, options);
  lap('funnel benchmarks');
  const mentions = await attackRenderings(session, funnels, options);
  lap('renderings');
  const belowFloor = await attackBelowFloor(session, funnels, options);
  lap('below floor');
  return { mentions, belowFloor };
}
