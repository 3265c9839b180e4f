import { formatIndicatorValue } from '../analysis/finding-sentence';
import { funnelFootnote, variationLabels } from '../charts';
import { mdcIcons, type MdcIcon } from '../charts/mdc-icons';
import { outliersByChance } from '../stats/chance';
import type { PeriodGranularity } from './api-json';
import { intervalText } from './indicator-findings';
import { caseworkPages } from './pack-casework';
import { opportunityPages } from './pack-opportunity';
import { changePages } from './pack-changes';
import type { IndicatorSection, PackContent } from './pack-content';
import { arialTextHeight } from './text-measure';

/** The pages of a pack, in order: the deck and the PDF lay out the same list, so they cannot differ in content. */
export type PackPage =
  | { kind: 'title'; title: string; lines: string[] }
  | { kind: 'glance'; title: string; note: string; header: string[]; rows: GlanceRow[] }
  | { kind: 'summary'; title: string; note: string; header: string[]; rows: string[][] }
  | { kind: 'indicator'; title: string; subtitle: string; section: IndicatorSection; footnote: string }
  | { kind: 'findings'; title: string; subtitle: string; section: IndicatorSection; findings: string[]; keyFigures: [string, string][] }
  | { kind: 'trend'; title: string; subtitle: string; section: IndicatorSection; icons: MdcIcon[]; header: string[]; rows: string[][] }
  | { kind: 'methods'; title: string; paragraphs: { heading: string; text: string }[] };

/** Outliers listed on one summary page at most; more continue on the next (and fewer fit when their rows are tall). */
export const summaryRowsPerPage = 10;
/** Load files named on the methods page; more are counted. */
const filesNamed = 6;

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
export const formatDate = (iso: string) => dateFormat.format(new Date(iso));

const periodNouns: Partial<Record<PeriodGranularity, string>> = { quarter: 'quarters', month: 'months' };
const capitalise = (text: string) => text[0].toUpperCase() + text.slice(1);
const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** What every page's footer says besides its number: the network, the period and when the data were loaded. */
export function packFooter(content: Pick<PackContent, 'network' | 'period' | 'provenance'>): string {
  const loaded = content.provenance.loadedAt === null ? 'no date' : formatDate(content.provenance.loadedAt);
  return `${content.network.name} · ${content.period} · data as loaded on ${loaded}`;
}

export function packPages(content: PackContent): PackPage[] {
  return [
    titlePage(content),
    ...changePages(content.changes),
    ...glancePages(content),
    ...summaryPages(content),
    ...opportunityPages(content.opportunity, content.period),
    ...content.indicators.flatMap((section) => [indicatorPage(content, section), findingsPage(content, section), trendPage(content, section)]),
    ...caseworkPages(content.casework, content.period),
    methodsPage(content),
  ].flatMap(fitSummaryTable);
}

/** A summary page's table on the slide, in inches: six columns, from under its note to above the footer, at 14 pt. */
export const summaryTable = { columns: [3.2, 3.6, 1.25, 1.3, 1.35, 1.833], top: 1.75, bottom: 6.95, size: 14, margin: 0.05 } as const;

/** Where a summary page's table starts on the slide: under its note (at 14 pt across the slide, from 0.95 in). */
export const summaryTableTop = (note: string) => Math.max(summaryTable.top, 0.95 + (arialTextHeight(note, summaryTable.size, 12.33 * 72) * 1.12) / 72 + 0.12);

const summaryRowHeight = (row: readonly string[], bold = false) =>
  Math.max(...row.map((cell, column) => (arialTextHeight(cell, summaryTable.size, (summaryTable.columns[column] - 2 * summaryTable.margin) * 72, bold) * 1.12) / 72 + 2 * summaryTable.margin));

/**
 * A table page (outliers, cases, notes) whose rows do not fit the slide at 14 pt, or are more than
 * summaryRowsPerPage, continues on further pages, each row whole.
 */
function fitSummaryTable(page: PackPage): PackPage[] {
  if (page.kind !== 'summary' || page.rows.length === 0) return [page];
  const room = summaryTable.bottom - summaryTableTop(page.note) - summaryRowHeight(page.header, true);
  const pages: string[][][] = [[]];
  let used = 0;
  for (const row of page.rows) {
    const height = summaryRowHeight(row);
    if (pages.at(-1)!.length > 0 && (used + height > room || pages.at(-1)!.length === summaryRowsPerPage)) {
      pages.push([]);
      used = 0;
    }
    pages.at(-1)!.push(row);
    used += height;
  }
  const continued = page.title.endsWith('(continued)') ? page.title : `${page.title} (continued)`;
  return pages.map((rows, index) => ({ ...page, title: index === 0 ? page.title : continued, rows }));
}

/** One indicator's row of the summary table: the words of each cell, and the network SPC chart's icons. */
export interface GlanceRow {
  cells: string[];
  /** The Making Data Count icons, each beside its words (the last cell's lines, in order). */
  icons: MdcIcon[];
}

/** How many of the network's judged members fall on each side of a limit, in the words of the indicator's polarity. */
export interface LimitCounts {
  worse: number;
  better: number;
  /** Within the limit: "as expected". */
  within: number;
}

/**
 * The network's members against the funnel of all providers at 99.8 % (their judgement) and at 95 % (their band),
 * worse or better by the indicator's polarity; for an indicator without one, worse counts those above and better
 * those below.
 */
export function limitCounts(section: Pick<IndicatorSection, 'funnel'>): { at998: LimitCounts; at95: LimitCounts } {
  const judged = section.funnel.providers.filter((provider) => provider.inNetwork === true && provider.judgement !== null && provider.band !== null);
  const lowerIsBetter = section.funnel.indicator.polarity === 'lower_is_better';
  const higherIsBetter = section.funnel.indicator.polarity === 'higher_is_better';
  const worseSide = (above: boolean) => (higherIsBetter ? !above : lowerIsBetter ? above : above);
  const count = (beyond: (provider: (typeof judged)[number]) => boolean): LimitCounts => {
    const out = judged.filter(beyond);
    const worse = out.filter((provider) => worseSide(provider.band!.startsWith('above'))).length;
    return { worse, better: out.length - worse, within: judged.length - out.length };
  };
  return { at998: count((provider) => provider.judgement !== 'as-expected'), at95: count((provider) => provider.band !== 'within') };
}

/** The slide's summary table, in inches: its width per column, where its rows start and end, and its text size. */
export const glanceTable = { columns: [2.3, 1.6, 1.6, 1.45, 1.2, 1.3, 3.08], top: 1.75, bottom: 6.95, size: 14, margin: 0.06, iconArea: 0.42 } as const;

/** A cell's height in inches on the slide at the table's size: its lines at 14 pt, plus the cell's margins. */
export function glanceCellHeight(text: string, column: number, bold = false): number {
  const width = glanceTable.columns[column] - 2 * glanceTable.margin - (column === glanceTable.columns.length - 1 ? glanceTable.iconArea : 0);
  return (arialTextHeight(text, glanceTable.size, width * 72, bold) * 1.12) / 72 + 2 * glanceTable.margin;
}

export const glanceRowHeight = (row: readonly string[], bold = false) => Math.max(...row.map((cell, column) => glanceCellHeight(cell, column, bold)));

/**
 * The page near the front: every indicator of the pack in one row, the network's members worse, better and as
 * expected at 99.8 % and at 95 %, how many chance alone would put beyond 99.8 %, the variation finder's
 * method-sensitive and persistent counts, and the network SPC chart's Making Data Count icons with their words.
 * Rows continue on further pages when they do not fit the slide's table at 14 pt.
 */
function glancePages(content: PackContent): PackPage[] {
  const header = [
    'Indicator',
    'At 99.8 %: worse / better / as expected',
    'At 95 %: worse / better / within',
    'Expected beyond 99.8 % by chance (95 % range)',
    'Method-sensitive',
    'Persistent outliers',
    "Network SPC chart, latest period",
  ];
  const rows = content.indicators.map((section): GlanceRow => {
    const { at998, at95 } = limitCounts(section);
    const directed = section.funnel.indicator.polarity === 'no_judgement';
    const cell = (counts: LimitCounts) => (directed ? `${counts.worse} higher / ${counts.better} lower / ${counts.within}` : `${counts.worse} / ${counts.better} / ${counts.within}`);
    const judged = at998.worse + at998.better + at998.within;
    const chance = outliersByChance(judged, 0.998);
    const icons = section.networkSpc === null ? [] : mdcIcons(section.networkSpc);
    return {
      cells: [
        section.indicator.name,
        cell(at998),
        cell(at95),
        judged === 0 ? 'none judged' : `${chance.expected.toLocaleString('en-GB', { maximumSignificantDigits: 2 })} (${chance.lower}–${chance.upper})`,
        String(section.finder.methodSensitive),
        String(section.finder.persistent),
        icons.length === 0 ? 'Not charted' : icons.map((icon) => icon.label).join('\n'),
      ],
      icons,
    };
  });
  const note = `The network's providers on each indicator's funnel of all providers in ${content.period}, beyond the 99.8 % and 95 % limits after the overdispersion adjustment (higher / lower where an indicator has no polarity), beside what chance alone would give; method-sensitive verdicts change with the adjustment; persistent outliers sat outside the same 95 % limit in each of the last periods.`;
  const room = glanceTable.bottom - glanceTable.top - glanceRowHeight(header, true);
  const pages: GlanceRow[][] = [[]];
  let used = 0;
  for (const row of rows) {
    const height = glanceRowHeight(row.cells);
    if (pages.at(-1)!.length > 0 && (used + height > room || pages.at(-1)!.length === summaryRowsPerPage)) {
      pages.push([]);
      used = 0;
    }
    pages.at(-1)!.push(row);
    used += height;
  }
  return pages.map((page, index) => ({ kind: 'glance', title: index === 0 ? 'Variation at a glance' : 'Variation at a glance (continued)', note, header, rows: page }));
}

function titlePage(content: PackContent): PackPage {
  return {
    kind: 'title',
    title: content.network.name,
    lines: [
      `Variation between providers, ${content.period}`,
      `${plural(content.indicators.length, 'indicator', 'indicators')} · ${plural(content.outliers.length, 'provider result', 'provider results')} beyond the 99.8 % limit`,
      `Data as loaded on ${content.provenance.loadedAt === null ? 'no date' : formatDate(content.provenance.loadedAt)} · built by Variation Atlas on ${formatDate(content.builtAt)}`,
    ],
  };
}

function summaryPages(content: PackContent): PackPage[] {
  const indicators = new Map(content.indicators.map((section) => [section.indicator.code, section]));
  const noun = periodNouns[content.indicators[0]?.granularity] ?? 'periods';
  const rows = content.outliers.map((outlier) => {
    const section = indicators.get(outlier.indicator)!;
    return [
      section.indicator.name,
      outlier.organisation.name,
      formatIndicatorValue(outlier.value, section.indicator),
      outlier.side,
      capitalise(outlier.judgement),
      `${outlier.persistence.outside95} of ${outlier.persistence.periods.length}`,
    ];
  });
  const header = ['Indicator', 'Provider', 'Value', 'Beyond 99.8 %', 'Judgement', `Outside 95 %, last ${content.recent} ${noun}`];
  const note =
    rows.length === 0
      ? `No provider of the network lies beyond the 99.8 % limit on any of the pack's indicators in ${content.period}.`
      : `The network's providers beyond the 99.8 % limit of the funnel of all providers in ${content.period}, after the overdispersion adjustment, furthest from the benchmark first (by |adjusted z|), with how often each sat outside 95 % recently.`;
  // One page of every row: fitSummaryTable continues it on as many pages as its rows need.
  return [{ kind: 'summary', title: 'Significant outliers', note, header, rows }];
}

/** An indicator's funnel across the page, the network's providers highlighted, with the method under it. */
function indicatorPage(content: PackContent, section: IndicatorSection): PackPage {
  return {
    kind: 'indicator',
    title: section.indicator.name,
    subtitle: `${content.period} · ${content.network.name}'s providers against all ${section.funnel.providers.length} providers`,
    section,
    footnote: funnelFootnote(section.funnel).replace('\n', ' '),
  };
}

/** The page after an indicator's funnel: the figures its findings are written from, and the findings. */
function findingsPage(content: PackContent, section: IndicatorSection): PackPage {
  return {
    kind: 'findings',
    title: `${section.indicator.name}: findings`,
    subtitle: `${content.period} · ${content.network.name}`,
    section,
    findings: section.findings,
    keyFigures: keyFigures(section),
  };
}

/** Periods of the network's SPC chart tabulated under it, the latest last. */
export const trendRowsShown = 4;

/**
 * The page after an indicator's findings: the network's SPC chart with its Making Data Count icons, and its
 * latest periods as a table, so the signals can be read without the chart.
 */
function trendPage(content: PackContent, section: IndicatorSection): PackPage {
  const spc = section.networkSpc;
  // The unit goes in the header once, so the cells stay one line.
  const bare = { ...section.indicator, unit: '' };
  const value = (number: number | null) => (number === null ? 'withheld' : formatIndicatorValue(number, bare));
  const unit = section.indicator.unit === '' || section.indicator.unit === 'ratio' ? '' : ` (${section.indicator.unit})`;
  const causes = { improvement: 'Improvement', concern: 'Concern', neutral: 'Neither' } as const;
  return {
    kind: 'trend',
    title: `${section.indicator.name} over time`,
    subtitle: `${content.network.name} · pooled value of its providers each period${spc === null ? '' : `, ${spc.points[0]?.period ?? ''} to ${spc.points.at(-1)?.period ?? ''}`}`,
    section,
    icons: spc === null ? [] : mdcIcons(spc),
    header: ['Period', `Pooled value${unit}`, 'Mean', 'Process limits', 'Special cause'],
    rows: (spc?.points ?? []).slice(-trendRowsShown).map((point) => [
      point.period,
      point.suppressed ? 'withheld' : value(point.value),
      value(point.centre),
      point.lowerLimit === null || point.upperLimit === null ? 'none' : `${value(point.lowerLimit)} to ${value(point.upperLimit)}`,
      point.specialCause === null ? 'None' : causes[point.specialCause],
    ]),
  };
}

/**
 * An indicator's findings laid into its boxes in order (the findings page's column, then the box under its table), each
 * finding whole in one box, at the largest of `sizes` at which all of them fit; `heightOf(size)(finding)` is a
 * finding's height at that size in that box. At the smallest size whatever does not fit goes in the last box, which the
 * renderer cuts at its foot rather than draw over the footer.
 */
export function flowFindings(
  findings: readonly string[],
  capacities: readonly number[],
  heightOf: (size: number, box: number) => (finding: string) => number,
  sizes: readonly number[],
): { size: number; boxes: string[][] } {
  const lay = (size: number) => {
    const boxes: string[][] = capacities.map(() => []);
    let box = 0;
    let used = 0;
    for (const finding of findings) {
      while (box < capacities.length - 1 && used + heightOf(size, box)(finding) > capacities[box]) [box, used] = [box + 1, 0];
      boxes[box].push(finding);
      used += heightOf(size, box)(finding);
    }
    return { size, boxes, fits: used <= capacities[box] };
  };
  const laid = sizes.map(lay);
  const { size, boxes } = laid.find((layout) => layout.fits) ?? laid.at(-1)!;
  return { size, boxes };
}

/** The table beside an indicator's charts: the figures its findings are written from. */
export function keyFigures(section: IndicatorSection): [string, string][] {
  const value = (number: number | null) => (number === null ? 'not available' : formatIndicatorValue(number, section.indicator));
  const { pooled, all } = section.measure;
  const interval = pooled.lower === null || pooled.upper === null ? '' : ` (${intervalText(pooled.lower, pooled.upper, section.indicator)})`;
  const { counts, funnel } = section;
  const { phi, tau2, applied } = funnel.overdispersion;
  const adjustment = funnel.method.adjustment === 'additive' ? `τ² = ${tau2.toPrecision(3)}, additive` : `${funnel.method.adjustment}`;
  return [
    ['Network pooled value (95 % interval)', `${value(pooled.value)}${interval}`],
    [`All ${all.providers} providers`, value(all.value)],
    ['Network providers on the funnel', `${counts.judged} of ${counts.all}`],
    ['Within the 99.8 % limits', String(counts.within)],
    ['Beyond: above / below', `${counts.above} / ${counts.below}`],
    ['Withheld (small numbers)', String(counts.suppressed)],
    ['Overdispersion', `φ = ${phi.toFixed(2)}; ${applied ? adjustment : 'not adjusted'}`],
    ['Network SPC, latest point', section.networkSpc ? variationLabels[section.networkSpc.variation] : 'not charted'],
  ];
}

/** Indicators that share a method, named once per method: "spiegelhalter, then …: A, B; cqc, then …: C". */
function byConvention(sections: readonly IndicatorSection[], methodOf: (section: IndicatorSection) => string): string {
  const groups = new Map<string, string[]>();
  for (const section of sections) groups.set(methodOf(section), [...(groups.get(methodOf(section)) ?? []), section.indicator.name]);
  return [...groups].map(([method, names]) => `${method}: ${names.join(', ')}`).join('; ');
}

function methodsPage(content: PackContent): PackPage {
  const { method } = content;
  const trimming = `${Math.round(method.trimFraction * 100)} % ${method.trimMethod === 'truncate' ? 'truncated' : 'winsorised'} at each tail`;
  const adjustments: Record<string, string> = { none: 'no adjustment', multiplicative: 'a multiplicative factor φ (limits widened by √φ when φ > 1)', additive: 'an additive between-provider variance τ² (DerSimonian–Laird)' };
  const adjustment = (name: string) => adjustments[name] ?? name;
  // Without a convention asked for, each indicator's own applied: name each.
  const conventions = method.convention
    ? `Convention ${method.convention}: z-scores ${trimming}, then ${adjustment(method.adjustment ?? '')}.`
    : `Each indicator's own convention, z-scores ${trimming}: ${byConvention(content.indicators, (section) => `${section.funnel.method.convention}, then ${adjustment(section.funnel.method.adjustment)}`)}.`;
  const phis = content.indicators.map((section) => `${section.indicator.name} ${section.funnel.overdispersion.phi.toFixed(2)}${section.funnel.overdispersion.applied ? '' : ' (not applied)'}`);
  const suppressed = content.indicators.reduce((total, section) => total + section.counts.suppressed, 0);
  const sources = [...new Set(content.indicators.map((section) => section.indicator.source ?? 'not recorded'))];
  const batches = content.provenance.batches;
  const files = batches.slice(0, filesNamed).map((batch) => `${batch.fileName}, loaded ${formatDate(batch.loadedAt)} (${batch.observations.toLocaleString('en-GB')} figures, SHA-256 ${batch.checksum.slice(0, 12)}…)`);
  const moreFiles = batches.length > filesNamed ? [`and ${plural(batches.length - filesNamed, 'more file', 'more files')}`] : [];
  return {
    kind: 'methods',
    title: 'Methods and data',
    paragraphs: [
      {
        heading: 'Funnel plots and limits',
        text: `Each funnel plots every provider reporting the indicator in ${content.period} against its size, with 95 % and 99.8 % control limits about the benchmark: the pooled value of all providers whose figures are published, or 1 for standardised ratios (Spiegelhalter 2005). The network's providers are highlighted. A provider beyond the 99.8 % limit is an outlier, judged better or worse by the indicator's polarity, or higher or lower where it has none.`,
      },
      {
        heading: 'Overdispersion',
        text: `${conventions} φ by indicator: ${phis.join('; ')}.`,
      },
      {
        heading: 'Statistical process control',
        text: `The network's chart plots its members' pooled value each period (members on the period's last day): a p-chart for proportions, a u-chart for rates and ratios, an XmR chart for published rates and means, limits at 3σ, with the special-cause rules of NHS England's Making Data Count. Persistence counts the periods of the last ${content.recent} in which a provider sat outside its 95 % limits.`,
      },
      {
        heading: 'Small-number suppression',
        text:
          method.suppressionThreshold === 0
            ? 'Small-number suppression was switched off for this pack: it is not for publication.'
            : `Threshold ${method.suppressionThreshold}: counts from 1 to ${method.suppressionThreshold - 1}, and for proportions their complements, are withheld from every figure, chart and table (${plural(suppressed, "network provider's figures", "network providers' figures")} withheld on the indicator pages), and so is any figure that contains one, such as a trust's when one of its sites' is withheld or a year's when one of its quarters' is. Withheld figures take no part in the benchmarks, the overdispersion, the limits, the network's pooled values or its SPC chart, so none can be worked back from the others; the benchmarks are those of the published providers.`,
      },
      {
        heading: 'Data sources',
        text: `${sources.join('; ')}. Files: ${[...files, ...moreFiles].join('; ')}.`,
      },
    ],
  };
}
