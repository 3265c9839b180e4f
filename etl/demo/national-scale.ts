import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { formatCsvNumber, toCsv } from '../csv/csv-write';
import { defaultDemoSeed } from './generate-demo';
import { financialQuarters } from './demo-periods';
import {
  indicatorColumns, membershipColumns, networkColumns, observationColumns, organisationColumns,
  type IndicatorRow, type MembershipRow, type NetworkRow, type OrganisationRow, type PeriodRow,
} from './demo-rows';
import { createRandom, deriveSeed } from './random';

/**
 * A national-scale synthetic primary-care data set for benchmarks (`npm run bench national-scale`): England's
 * shape (about 6,500 practices in 1,250 PCNs and 42 ICBs of very unequal size, 7 regions), practice-level
 * indicators over financial quarters. Unlike the demo it plants no effects: it exists to be big, not to be
 * checked against a truth. Deterministic: the same sizes and seed give the same bytes. Observations are
 * written one file per quarter, as national publications are, so each file is a batch the ETL's normal
 * limits accept (6,500 × 100 = 650,000 rows).
 */
export interface NationalScaleSizes {
  practices: number;
  pcns: number;
  icbs: number;
  indicators: number;
  quarters: number;
  seed: number;
}

export const nationalScaleDefaults: NationalScaleSizes = { practices: 6_500, pcns: 1_250, icbs: 42, indicators: 100, quarters: 20, seed: defaultDemoSeed };

export interface NationalPractice {
  code: string;
  icb: string;
  pcn: string;
  listSize: number;
}

export interface NationalReference {
  organisations: OrganisationRow[];
  networks: NetworkRow[];
  memberships: MembershipRow[];
  indicators: NationalIndicator[];
  periods: PeriodRow[];
  practices: NationalPractice[];
}

/** One indicator and the model its figures are drawn from (binomial proportions or Poisson rates per 1,000 list). */
export interface NationalIndicator {
  row: IndicatorRow;
  /** Proportion p, or events per person per quarter. */
  baseline: number;
  /** The denominator as a share of the list (proportions: the eligible people; rates: the whole list). */
  listShare: number;
  randomEffectSd: number;
}

const regions = 7;
const membershipStart = '2019-07-01';
// ICB sizes spread eightfold, geometrically, so the largest holds 300+ practices at national size, as the biggest ICBs do.
const icbSpread = 8;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
export const nationalPracticeCode = (index: number) => `N${pad(index + 1, 5)}`;
export const nationalIcbCode = (index: number) => `QN${pad(index + 1, 2)}`;
const pcnCode = (index: number) => `UN${pad(index + 1, 4)}`;
const regionCode = (index: number) => `YN${index + 1}`;
export const nationalIndicatorCode = (index: number) => `NAT-${pad(index + 1, 3)}`;

/** Splits `total` into parts proportional to `weights`, each at least `floor`, by largest remainders (sums exactly). */
function apportion(total: number, weights: number[], floor: number): number[] {
  const spare = total - floor * weights.length;
  if (spare < 0) throw new RangeError(`cannot give ${weights.length} parts at least ${floor} each out of ${total}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (spare * w) / sum);
  const parts = exact.map((x) => floor + Math.floor(x));
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const left = total - parts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < left; k++) parts[order[k][1]]++;
  return parts;
}

function nationalIndicators(count: number): NationalIndicator[] {
  return Array.from({ length: count }, (_, index) => {
    const code = nationalIndicatorCode(index);
    // Three in four are QOF-like proportions, one in four an event rate per 1,000 patients.
    const rate = index % 4 === 3;
    const step = (index * 37) % 100; // a fixed scatter of baselines and spreads over the indicators
    const row: IndicatorRow = {
      code,
      name: `National synthetic indicator ${index + 1}`,
      domain: `Primary care: domain ${(index % 10) + 1}`,
      measure_kind: rate ? 'crude_rate' : 'proportion',
      polarity: index % 2 === 0 ? 'higher_is_better' : 'lower_is_better',
      multiplier: rate ? 1_000 : 100,
      unit: rate ? 'per 1,000 registered patients' : '%',
      definition: `Synthetic ${rate ? 'event rate' : 'proportion'} number ${index + 1} for the national-scale benchmark`,
      source: 'Variation Atlas synthetic national-scale data',
      target: null,
    };
    return {
      row,
      baseline: rate ? 0.002 + 0.0004 * (step % 20) : 0.2 + 0.007 * step,
      listShare: rate ? 1 : 0.03 + 0.0025 * step,
      randomEffectSd: rate ? 0.1 + 0.002 * step : 0.05 + 0.0015 * step,
    };
  });
}

export function buildNationalReference(sizes: NationalScaleSizes = nationalScaleDefaults): NationalReference {
  const { practices: practiceCount, pcns: pcnCount, icbs: icbCount } = sizes;
  if (pcnCount < icbCount || practiceCount < pcnCount) throw new RangeError('need at least one PCN per ICB and one practice per PCN');
  const random = createRandom(deriveSeed(sizes.seed, 'national-reference'));
  const icbWeights = Array.from({ length: icbCount }, (_, i) => icbSpread ** (icbCount === 1 ? 0 : i / (icbCount - 1)));
  const pcnsPerIcb = apportion(pcnCount, icbWeights, 1);
  const practicesPerIcb = apportion(practiceCount, icbWeights, 0).map((n, i) => Math.max(n, pcnsPerIcb[i]));
  // Making every PCN non-empty may have added a few practices: take them back from the largest ICBs.
  for (let excess = practicesPerIcb.reduce((a, b) => a + b, 0) - practiceCount; excess > 0; excess--) {
    const largest = practicesPerIcb.indexOf(Math.max(...practicesPerIcb));
    practicesPerIcb[largest]--;
  }

  const organisations: OrganisationRow[] = [];
  const networks: NetworkRow[] = [];
  const memberships: MembershipRow[] = [];
  const practices: NationalPractice[] = [];
  for (let r = 0; r < regions; r++) {
    organisations.push({ code: regionCode(r), name: `National Region ${r + 1} (synthetic)`, kind: 'region', parent_code: null, opened_on: null, closed_on: null });
  }
  let pcnIndex = 0;
  for (let i = 0; i < icbCount; i++) {
    const icb = nationalIcbCode(i);
    organisations.push({ code: icb, name: `NHS National ${i + 1} Integrated Care Board (synthetic)`, kind: 'icb', parent_code: regionCode(i % regions), opened_on: null, closed_on: null });
    networks.push({ code: icb, name: `NHS National ${i + 1} Integrated Care Board (synthetic)`, kind: 'icb', description: 'Every practice in the ICB', restricted: false });
    const perPcn = apportion(practicesPerIcb[i], Array<number>(pcnsPerIcb[i]).fill(1), 1);
    for (const size of perPcn) {
      const pcn = pcnCode(pcnIndex++);
      networks.push({ code: pcn, name: `National PCN ${pcnIndex} (synthetic)`, kind: 'primary_care_network', description: 'GP practices working together', restricted: false });
      for (let k = 0; k < size; k++) {
        const code = nationalPracticeCode(practices.length);
        // Log-normal lists, median 8,000, redrawn outside 1,000–40,000 (England's range, near enough).
        let listSize: number;
        do listSize = Math.round(8_000 * Math.exp(random.normal(0, 0.55)));
        while (listSize < 1_000 || listSize > 40_000);
        organisations.push({ code, name: `National Practice ${practices.length + 1} (synthetic)`, kind: 'gp_practice', parent_code: icb, opened_on: null, closed_on: null });
        memberships.push({ network_code: pcn, organisation_code: code, valid_from: membershipStart, valid_to: null });
        memberships.push({ network_code: icb, organisation_code: code, valid_from: membershipStart, valid_to: null });
        practices.push({ code, icb, pcn, listSize });
      }
    }
  }
  return {
    organisations, networks, memberships, practices,
    indicators: nationalIndicators(sizes.indicators),
    periods: financialQuarters(2021, sizes.quarters),
  };
}

const logit = (p: number) => Math.log(p / (1 - p));
const inverseLogit = (x: number) => 1 / (1 + Math.exp(-x));

export interface NationalScaleFiles {
  /** organisations.csv, networks.csv, network_memberships.csv, indicators.csv: load in this order. */
  reference: string[];
  /** One observations file per quarter, oldest first. */
  observations: string[];
  observationRows: number;
  data: NationalReference;
}

/**
 * Writes the reference files and one generic-format observations file per quarter into `dir`, streaming (13 M
 * rows are never held at once). Each practice has a persistent random effect per indicator (logit or log
 * scale); each indicator–quarter has its own random stream, so files can be written in any order.
 */
export async function writeNationalScaleFiles(dir: string, sizes: NationalScaleSizes = nationalScaleDefaults): Promise<NationalScaleFiles> {
  await mkdir(dir, { recursive: true });
  const data = buildNationalReference(sizes);
  const reference: string[] = [];
  for (const [name, contents] of [
    ['organisations.csv', toCsv(organisationColumns, data.organisations)],
    ['networks.csv', toCsv(networkColumns, data.networks)],
    ['network_memberships.csv', toCsv(membershipColumns, data.memberships)],
    ['indicators.csv', toCsv(indicatorColumns, data.indicators.map((indicator) => indicator.row))],
  ] as const) {
    await writeFile(join(dir, name), contents, 'utf8');
    reference.push(join(dir, name));
  }

  const randomEffects = data.indicators.map((indicator) => {
    const random = createRandom(deriveSeed(sizes.seed, 'national-random-effect', indicator.row.code));
    return Float64Array.from(data.practices, () => random.normal(0, indicator.randomEffectSd));
  });
  const observations: string[] = [];
  let observationRows = 0;
  for (const period of data.periods) {
    const path = join(dir, `observations-${period.start_date.slice(0, 7)}.csv`);
    const out = createWriteStream(path, 'utf8');
    let chunk = `${observationColumns.join(',')}\n`;
    for (const [i, indicator] of data.indicators.entries()) {
      const random = createRandom(deriveSeed(sizes.seed, 'national-observations', indicator.row.code, period.label));
      const proportion = indicator.row.measure_kind === 'proportion';
      const base = proportion ? logit(indicator.baseline) : Math.log(indicator.baseline);
      data.practices.forEach((practice, p) => {
        const denominator = Math.max(1, Math.round(practice.listSize * indicator.listShare * Math.exp(random.normal(0, 0.04))));
        const shifted = base + randomEffects[i][p];
        const numerator = proportion ? random.binomial(denominator, inverseLogit(shifted)) : random.poisson(denominator * Math.exp(shifted));
        chunk += `${indicator.row.code},${practice.code},${period.label},${numerator},${formatCsvNumber(denominator)},,,,,\n`;
        observationRows++;
      });
      if (chunk.length > 1 << 20) {
        const flowing = out.write(chunk);
        chunk = '';
        if (!flowing) await once(out, 'drain');
      }
    }
    out.end(chunk);
    await once(out, 'finish');
    observations.push(path);
  }
  return { reference, observations, observationRows, data };
}
