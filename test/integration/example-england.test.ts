import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { schema } from '../../db';
import { loadDemo } from '../../etl/demo/load-demo';
import { englandFiles, examplesFolder, formatExampleSummary, loadExample, type ExampleResult } from '../../etl/example/load-example';
import { EtlCommandError } from '../../etl/problems';
import { extractFiles, makeExtract } from '../../examples/england/make-extract';
import { createTestDatabase, describeDatabase, type TestDatabase } from '../support/database';
import { getJson } from '../support/demo-api';
import { databaseFingerprint } from '../support/fingerprint';
import { describeWithShared, parseCsvRecords, sharedPath } from '../support/shared';

const folder = join(examplesFolder, 'england');
const text = (name: string) => readFileSync(join(folder, name), 'utf8');
const records = (name: string) => parseCsvRecords(text(name));
const tally = (keys: string[]) => keys.reduce((counts, key) => counts.set(key, (counts.get(key) ?? 0) + 1), new Map<string, number>());

// The extract counted here with the test's own CSV reader, not the product's: the ODS file has no header.
const ods = parseCsvRecords(`code,name,region,icb\n${text(englandFiles.ods)}`);
const odsCodes = new Set(ods.map((row) => row.code));
const cwt = records('cwt_2026-01_provider_level.csv');
const ae = records('ae_attendances_2018-19.csv').filter((row) => Number(row.attendances) > 0);
const shmi = records('shmi_observed_expected_latest.csv');
const cwtCodes: Record<string, string> = { FDS: 'CWT-FDS28', '31D': 'CWT-31D', '62D': 'CWT-62D' };
const expectedObservations = {
  ...Object.fromEntries(tally(cwt.map((row) => cwtCodes[row.Standard]))),
  'AE-4H': new Set(ae.map((row) => `${row.period}|${row.org_code}`)).size,
  'AE-4H-T1': ae.filter((row) => row.type === '1').length,
  SHMI: shmi.length,
};
const providersOf = (codes: string[]) => ({ providers: new Set(codes).size, notInOds: new Set(codes.filter((code) => !odsCodes.has(code))).size });

describeDatabase('the England example', (database) => {
  let first: ExampleResult;
  beforeAll(async () => {
    first = await loadExample(database(), 'england', { loadedBy: 'test' });
  }, 60_000);

  it('holds every trust and ICB network of the ODS file and, per indicator, the observations counted from the extract', async () => {
    const { db } = database();
    const trusts = await db.$count(schema.organisations, eq(schema.organisations.kind, 'trust'));
    expect(trusts).toBe(odsCodes.size);
    expect(await db.$count(schema.networks, eq(schema.networks.kind, 'icb'))).toBe(new Set(ods.map((row) => row.icb).filter(Boolean)).size);
    const byIndicator = await db
      .select({ code: schema.indicators.code, n: db.$count(schema.observations, eq(schema.observations.indicatorId, schema.indicators.id)) })
      .from(schema.indicators);
    expect(Object.fromEntries(byIndicator.map(({ code, n }) => [code, n]))).toEqual(expectedObservations);
    // Providers outside the 2026 trust file (independent providers, trusts merged since 2019) are created, kind other.
    expect(first.observations.map(({ providers, notInOds }) => ({ providers, notInOds }))).toEqual([
      providersOf(cwt.map((row) => row['Org Code'])),
      providersOf(ae.map((row) => row.org_code)),
      providersOf(shmi.map((row) => row.provider_code)),
    ]);
    expect(await db.$count(schema.organisations, eq(schema.organisations.kind, 'other'))).toBe(
      new Set([...cwt.map((row) => row['Org Code']), ...ae.map((row) => row.org_code), ...shmi.map((row) => row.provider_code)].filter((code) => !odsCodes.has(code))).size,
    );
  });

  it('answers the CWT 62-day funnel with the indicator’s default convention (cqc) and the trusts’ real names', async () => {
    const app = createApp({ db: database().db, databaseKind: database().kind });
    const funnel = await getJson(app, '/api/funnel?indicator=CWT-62D');
    expect(funnel.method).toMatchObject({ convention: 'cqc', conventionSource: 'indicator_default' });
    const named = new Map(cwt.filter((row) => row.Standard === '62D').map((row) => [row['Org Code'], row['Org Name']]));
    const odsNames = new Map(ods.map((row) => [row.code, row.name]));
    expect(funnel.providers).toHaveLength(named.size);
    for (const provider of funnel.providers) expect(provider.name, provider.code).toBe(odsNames.get(provider.code) ?? named.get(provider.code));
    expect(funnel.providers.map((provider: { name: string }) => provider.name)).toContain('MANCHESTER UNIVERSITY NHS FOUNDATION TRUST');
  });

  it('changes nothing when loaded again, and says so', async () => {
    const before = await databaseFingerprint(database().db);
    const again = await loadExample(database(), 'england', { loadedBy: 'test' });
    expect(await databaseFingerprint(database().db)).toEqual(before);
    expect(again.observations.map(({ result }) => result.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(formatExampleSummary('england', again).split('\n')[0]).toBe('example england: already loaded, nothing changed');
    expect(formatExampleSummary('england', first).split('\n')[0]).toBe('example england: loaded');
  });
});

describeDatabase('the England example beside the demo', (database) => {
  let demo: TestDatabase;
  beforeAll(async () => {
    demo = await createTestDatabase();
    await loadDemo(demo);
  }, 60_000);
  afterAll(async () => {
    await demo?.close();
  });

  it('is refused in a database holding the fictional demo, naming where to load it instead, and writes nothing', async () => {
    const before = await databaseFingerprint(demo.db);
    const refusal = await loadExample(demo, 'england').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(EtlCommandError);
    expect((refusal as Error).message).toMatch(/fictional demo .*VARIATION_ATLAS_DATA_DIR .*DATABASE_URL/);
    expect(await databaseFingerprint(demo.db)).toEqual(before);
    expect(await loadExample(database(), 'wales').catch((error: unknown) => (error as Error).message)).toBe('unknown example "wales"; the examples are: england');
  });
});

describeWithShared('the England extract', () => {
  it('is what make-extract makes from the public files in ../shared', () => {
    const made = makeExtract(sharedPath('data'));
    expect([...made.keys()]).toEqual(extractFiles.map((file) => file.name));
    for (const [name, content] of made) expect(text(name), name).toBe(content);
  });
});
