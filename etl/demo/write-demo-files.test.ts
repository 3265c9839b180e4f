import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCsv } from '../csv/csv-records';
import { parsePeriod } from '../periods/parse-period';
import { openObservationSource } from '../sources/open-source';
import { validateObservation } from '../validate/observation-row';
import { generateDemoData } from './generate-demo';
import { writeDemoFiles } from './write-demo-files';

/**
 * The files are the demo's contract with the loader, so they are read back with the ETL's own CSV reader and
 * every observation is put through its row validation: a format slip here would fail `npm start`, not a unit test.
 */
const data = generateDemoData();
let dir: string;
let paths: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'variation-atlas-demo-'));
  paths = await writeDemoFiles(join(dir, 'demo'), data);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function readRecords(name: string) {
  const { header, records } = await openCsv(join(dir, 'demo', name));
  const rows: string[][] = [];
  for await (const record of records) rows.push(record.fields);
  return { header, rows };
}

describe('writeDemoFiles', () => {
  it('writes the documented files, creating the folder', () => {
    expect(paths.map((path) => basename(path))).toEqual([
      'organisations.csv', 'networks.csv', 'network_memberships.csv', 'indicators.csv', 'observations.csv', 'planted-effects.json',
    ]);
  });

  it('writes UTF-8 without a byte-order mark', async () => {
    const bytes = await readFile(paths[0]);
    expect([...bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(0, 5).toString('utf8')).toBe('code,');
  });

  it.each([
    ['organisations.csv', 'code,name,kind,parent_code,opened_on,closed_on', 'organisations'],
    ['networks.csv', 'code,name,kind,description,restricted', 'networks'],
    ['network_memberships.csv', 'network_code,organisation_code,valid_from,valid_to', 'memberships'],
    ['indicators.csv', 'code,name,domain,measure_kind,polarity,multiplier,unit,definition,source,target', 'indicators'],
    ['observations.csv', 'indicator_code,organisation_code,period,numerator,denominator,observed,expected,value,value_lower,value_upper', 'observations'],
  ] as const)('%s has the documented header and one record per row', async (name, header, table) => {
    const file = await readRecords(name);
    expect(file.header.join(',')).toBe(header);
    expect(file.rows).toHaveLength(data[table].length);
    expect(file.rows.every((fields) => fields.length === file.header.length)).toBe(true);
  });

  it('round-trips quoted text, empty nulls and plain numbers', async () => {
    const indicators = await readRecords('indicators.csv');
    const cdiff = indicators.rows.find((fields) => fields[0] === 'VA-CDIFF-HO')!;
    expect(cdiff[6]).toBe('per 100,000 bed days');
    expect(cdiff[5]).toBe('100000');
    expect(cdiff[9]).toBe('');
    const organisations = await readRecords('organisations.csv');
    expect(organisations.rows[0]).toEqual(['YZZ', 'Kellbourne Region (synthetic)', 'region', '', '', '']);
    const networks = await readRecords('networks.csv');
    expect(networks.rows.every((fields) => fields[4] === 'false')).toBe(true);
  });

  it('writes observations that all pass the ETL row validation', async () => {
    const source = await openObservationSource(paths[4]);
    expect(source.format).toBe('generic-csv');
    const indicators = new Map(data.indicators.map((indicator, index) => [indicator.code, { id: index + 1, measureKind: indicator.measure_kind }]));
    const organisations = new Set(data.organisations.map((o) => o.code));
    const context = {
      file: 'observations.csv', columns: source.columns, indicators, createMissingOrganisations: false,
      isKnownOrganisation: (code: string) => organisations.has(code), isValidPeriod: (label: string) => parsePeriod(label) !== undefined,
    };
    let rows = 0;
    const problems = [];
    for await (const raw of source.rows()) {
      rows++;
      const result = validateObservation(raw, context);
      if ('problems' in result) problems.push(...result.problems);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(rows).toBe(data.observations.length);
  });

  it('writes the planted effects as JSON with effects, controls and the model', async () => {
    const planted = JSON.parse(await readFile(paths[5], 'utf8'));
    expect(planted).toEqual(data.plantedEffects);
    expect(Object.keys(planted.effects[0])).toEqual(['indicatorCode', 'organisationCode', 'kind', 'direction', 'fromPeriod', 'size', 'note']);
  });
});
