/**
 * Small hand-made inputs for the chart tests and for looking at the charts while changing them,
 * and readers of the options the tests share.
 * Not the statistics: the limits here are the normal approximation to the binomial, written out
 * so the tests know exactly which points the curves must carry. Fictional providers.
 */
import type { EChartsOption, LineSeriesOption, ScatterSeriesOption, SeriesOption } from 'echarts';
import type { CaterpillarChartData, FunnelChartData, SpcChartData, SpineChartData, TartanChartData } from './types';

const target = 12;
const phi = 1.8;
const precisions = [100, 200, 400, 800, 1600, 3200, 6400];

function curvePoints(z: number, inflation: number) {
  return precisions.map((precision) => {
    const halfWidth = z * inflation * Math.sqrt((target * (100 - target)) / precision);
    return { precision, lower: target - halfWidth, upper: target + halfWidth };
  });
}

export function funnelFixture(): FunnelChartData {
  return {
    title: 'Emergency readmissions within 30 days',
    subtitle: 'April 2024 to March 2025',
    source: 'Hospital Episode Statistics (fictional data)',
    footnote: 'Limits: normal approximation to the binomial; overdispersion: multiplicative φ = 1.8, 10 % winsorised.',
    unit: '%',
    xAxisLabel: 'Discharges (denominator)',
    yAxisLabel: 'Readmitted (%)',
    target,
    providers: [
      { id: 'RA1', name: 'Northgate Hospitals', precision: 850, value: 11.4, lower: 9.4, upper: 13.7, z: -0.54, band: 'within', judgement: 'as-expected', highlighted: true },
      { id: 'RA2', name: 'Riverside NHS Trust', precision: 2400, value: 15.9, lower: 14.5, upper: 17.4, z: 5.8, band: 'above-99.8', judgement: 'worse', highlighted: true },
      { id: 'RA3', name: 'Westmoor Healthcare', precision: 1300, value: 9.1, lower: 7.7, upper: 10.8, z: -3.2, band: 'below-99.8', judgement: 'better', highlighted: true },
      { id: 'RB1', name: 'Eastfield Trust', precision: 420, value: 13.8, lower: 10.8, upper: 17.4, z: 1.1, band: 'within', judgement: 'as-expected' },
      { id: 'RB2', name: 'Southbank Hospitals', precision: 3100, value: 12.6, lower: 11.5, upper: 13.8, z: 1.0, band: 'within', judgement: 'as-expected' },
      { id: 'RB3', name: 'Hillcrest University Hospitals', precision: 5200, value: 10.3, lower: 9.5, upper: 11.2, z: -3.8, band: 'below-99.8', judgement: 'better' },
      { id: 'RB4', name: 'Lakeside Community Trust', precision: 640, value: 14.9, lower: 12.3, upper: 17.9, z: 2.3, band: 'above-95', judgement: 'as-expected' },
      { id: 'RB5', name: 'Moorland Trust', precision: 90, value: 5, z: 0, band: 'within', judgement: 'as-expected', suppressed: true },
    ],
    curves: [
      { coverage: 0.95, kind: 'unadjusted', points: curvePoints(1.959964, 1) },
      { coverage: 0.998, kind: 'unadjusted', points: curvePoints(3.090232, 1) },
      { coverage: 0.95, kind: 'adjusted', points: curvePoints(1.959964, Math.sqrt(phi)) },
      { coverage: 0.998, kind: 'adjusted', points: curvePoints(3.090232, Math.sqrt(phi)) },
    ],
  };
}

const months = ['Apr 2023', 'May 2023', 'Jun 2023', 'Jul 2023', 'Aug 2023', 'Sep 2023', 'Oct 2023', 'Nov 2023', 'Dec 2023', 'Jan 2024', 'Feb 2024', 'Mar 2024'];

/** Two segments (a rebase at October) and one point of each special cause. */
export function spcFixture(): SpcChartData {
  const values = [72, 75, 71, 74, 73, 90, 64, 66, 63, 65, 55, 64];
  return {
    title: 'Patients seen within 4 hours in A&E',
    subtitle: 'Northgate Hospitals, monthly',
    source: 'A&E attendances and emergency admissions (fictional data)',
    footnote: 'XmR chart; limits from each segment’s baseline; rebased October 2023 (new front door).',
    unit: '%',
    yAxisLabel: 'Seen within 4 hours (%)',
    target: 76,
    variation: 'special_cause_concern_low',
    assurance: 'consistent_fail',
    decimalPlaces: 1,
    points: values.map((value, index) => {
      const segment = index < 6 ? 0 : 1;
      const centre = segment === 0 ? 75.8 : 62.8;
      return {
        period: months[index],
        value,
        segment,
        centre,
        lowerLimit: centre - 12,
        upperLimit: centre + 12,
        lowerTwoSigma: centre - 8,
        upperTwoSigma: centre + 8,
        specialCause: index === 5 ? 'improvement' : index === 10 ? 'concern' : index === 11 ? 'neutral' : null,
      };
    }),
  };
}

export function caterpillarFixture(): CaterpillarChartData {
  const funnel = funnelFixture();
  return {
    title: funnel.title,
    subtitle: funnel.subtitle,
    source: funnel.source,
    footnote: '95 % Wilson intervals; judgements against 99.8 % funnel limits adjusted for overdispersion.',
    unit: '%',
    valueAxisLabel: 'Readmitted (%)',
    target,
    providers: funnel.providers.map(({ id, name, value, lower, upper, judgement, highlighted, suppressed }) => ({
      id,
      name,
      value,
      lower: lower ?? value,
      upper: upper ?? value,
      judgement,
      highlighted,
      suppressed,
    })),
  };
}

export function tartanFixture(): TartanChartData {
  return {
    title: 'Network overview',
    subtitle: '2024/25',
    source: 'Variation Atlas (fictional data)',
    footnote: 'Judgements against 99.8 % funnel limits adjusted for overdispersion.',
    indicators: [
      { id: 'readmissions', name: 'Emergency readmissions within 30 days' },
      { id: 'mortality', name: 'Summary hospital-level mortality (SHMI)' },
      { id: 'four-hours', name: 'A&E four-hour standard' },
    ],
    providers: [
      { id: 'RA1', name: 'Northgate Hospitals', highlighted: true },
      { id: 'RA2', name: 'Riverside NHS Trust' },
      { id: 'RA3', name: 'Westmoor Healthcare' },
    ],
    cells: [
      { providerId: 'RA1', indicatorId: 'readmissions', judgement: 'as-expected', valueText: '11.4' },
      { providerId: 'RA1', indicatorId: 'mortality', judgement: 'worse', valueText: '1.12' },
      { providerId: 'RA1', indicatorId: 'four-hours', judgement: 'better', valueText: '81.0' },
      { providerId: 'RA2', indicatorId: 'readmissions', judgement: 'worse', valueText: '15.9' },
      { providerId: 'RA2', indicatorId: 'mortality', judgement: null, suppressed: true },
      { providerId: 'RA3', indicatorId: 'readmissions', judgement: 'higher', valueText: '9.1' },
      { providerId: 'RA3', indicatorId: 'mortality', judgement: 'lower', valueText: '0.91' },
      { providerId: 'RA3', indicatorId: 'four-hours', judgement: null, valueText: '70.2' },
    ],
  };
}

export function spineFixture(): SpineChartData {
  return {
    title: 'Northgate Hospitals: profile',
    subtitle: '2024/25, compared with 42 acute trusts',
    source: 'Variation Atlas (fictional data)',
    footnote: 'Bars: range of all trusts, darker between the 25th and 75th centiles. Better is to the right.',
    providerName: 'Northgate Hospitals',
    benchmarkName: 'England',
    indicators: [
      {
        id: 'readmissions', name: 'Emergency readmissions within 30 days', unit: '%', polarity: 'lower-is-better', benchmark: 12,
        peers: { minimum: 8.5, lowerQuartile: 10.9, upperQuartile: 13.1, maximum: 16.2 }, value: 15.1, judgement: 'worse',
      },
      {
        id: 'four-hours', name: 'A&E four-hour standard', unit: '%', polarity: 'higher-is-better', benchmark: 74,
        peers: { minimum: 58, lowerQuartile: 69, upperQuartile: 78, maximum: 88 }, value: 81, judgement: 'better',
      },
      {
        id: 'length-of-stay', name: 'Average length of stay', unit: 'days', polarity: 'no-judgement', benchmark: 4.6,
        peers: { minimum: 3.1, lowerQuartile: 4.1, upperQuartile: 5.0, maximum: 6.4 }, value: 4.4, judgement: 'as-expected',
      },
      {
        id: 'mortality', name: 'Summary hospital-level mortality (SHMI)', unit: '', polarity: 'lower-is-better', benchmark: 1,
        peers: { minimum: 0.72, lowerQuartile: 0.93, upperQuartile: 1.06, maximum: 1.21 }, value: null, judgement: null, suppressed: true, decimalPlaces: 2,
      },
    ],
  };
}

/** The options' series as a list, whichever form ECharts' type allows. */
export function seriesList(options: EChartsOption): SeriesOption[] {
  if (options.series === undefined) return [];
  return Array.isArray(options.series) ? options.series : [options.series];
}

export function seriesWithId(options: EChartsOption, id: string): SeriesOption {
  const series = seriesList(options).find((candidate) => candidate.id === id);
  if (!series) throw new Error(`no series with id ${id}`);
  return series;
}

export function scatterSeries(options: EChartsOption): ScatterSeriesOption[] {
  return seriesList(options).filter((series): series is ScatterSeriesOption => series.type === 'scatter');
}

export function lineSeries(options: EChartsOption): LineSeriesOption[] {
  return seriesList(options).filter((series): series is LineSeriesOption => series.type === 'line');
}

/**
 * How many data items of one series ECharts' SSR drew: its marks carry the series and data index
 * (legend icons carry another ssr type), and an item drawn as several shapes counts once.
 */
export function drawnItemCount(svg: string, seriesIndex: number): number {
  const marks = svg.matchAll(new RegExp(`ecmeta_series_index="${seriesIndex}" ecmeta_data_index="(\\d+)" ecmeta_ssr_type="chart"`, 'g'));
  return new Set([...marks].map((mark) => mark[1])).size;
}
