import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/raw';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { loadObservations } from '../load/load-observations';
import { loadIndicators, loadMemberships, loadNetworks, loadOrganisations } from '../load/load-reference';
import { openGenericCsv } from '../sources/generic-csv';
import { buildNationalReference, nationalScaleDefaults, writeNationalScaleFiles, type NationalScaleSizes } from './national-scale';

const small: NationalScaleSizes = { practices: 60, pcns: 12, icbs: 3, indicators: 4, quarters: 2, seed: 7 };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'variation-atlas-national-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the national-scale reference', () => {
  it("has England's shape at the default sizes: 6,500 practices in 1,250 PCNs and 42 ICBs, the largest ICB over 300", () => {
    const reference = buildNationalReference(nationalScaleDefaults);
    expect(reference.practices).toHaveLength(6_500);
    expect(reference.networks.filter((network) => network.kind === 'primary_care_network')).toHaveLength(1_250);
    expect(reference.networks.filter((network) => network.kind === 'icb')).toHaveLength(42);
    expect(reference.indicators).toHaveLength(100);
    expect(reference.periods.map((period) => period.label)).toHaveLength(20);
    const perIcb = new Map<string, number>();
    const perPcn = new Map<string, number>();
    for (const practice of reference.practices) {
      perIcb.set(practice.icb, (perIcb.get(practice.icb) ?? 0) + 1);
      perPcn.set(practice.pcn, (perPcn.get(practice.pcn) ?? 0) + 1);
    }
    expect(Math.max(...perIcb.values())).toBeGreaterThan(300);
    expect(Math.min(...perIcb.values())).toBeLessThan(60);
    // Every PCN holds practices, and every membership names a practice and a network of the reference.
    expect(perPcn.size).toBe(1_250);
    const codes = new Set(reference.organisations.map((organisation) => organisation.code));
    const networks = new Set(reference.networks.map((network) => network.code));
    expect(reference.memberships.every((membership) => codes.has(membership.organisation_code) && networks.has(membership.network_code))).toBe(true);
    expect(reference.memberships).toHaveLength(2 * 6_500);
  });
});

describe('writeNationalScaleFiles', () => {
  it('writes the same bytes for the same sizes and seed, and other counts for another seed', async () => {
    const first = await writeNationalScaleFiles(join(dir, 'a'), small);
    const second = await writeNationalScaleFiles(join(dir, 'b'), small);
    const third = await writeNationalScaleFiles(join(dir, 'c'), { ...small, seed: 8 });
    const read = (paths: string[]) => Promise.all(paths.map((path) => readFile(path, 'utf8')));
    expect(await read(second.observations)).toEqual(await read(first.observations));
    expect(await read(second.reference)).toEqual(await read(first.reference));
    expect(await read(third.observations)).not.toEqual(await read(first.observations));
    expect(first.observationRows).toBe(60 * 4 * 2);
    expect(first.observations).toHaveLength(2);
  });

  describe('loads through the ETL', () => {
    let handle: TestDatabase;
    // Migrating a fresh database takes a while on a loaded machine.
    beforeAll(async () => {
      handle = await createTestDatabase();
    }, 120_000);
    afterAll(() => handle?.close());

    it('every row, one batch per quarter, with the counts written', { timeout: 120_000 }, async () => {
      const files = await writeNationalScaleFiles(join(dir, 'load'), small);
      const [organisations, networks, memberships, indicators] = files.reference;
      await loadOrganisations(handle, organisations);
      await loadNetworks(handle, networks);
      await loadMemberships(handle, memberships);
      await loadIndicators(handle, indicators);
      const batches = [];
      for (const path of files.observations) batches.push(await loadObservations(handle, await openGenericCsv(path), path));
      expect(batches.map((batch) => batch.rows)).toEqual([240, 240]);
      // The first line of the first file, read back from the database.
      const [, line] = (await readFile(files.observations[0], 'utf8')).split('\n');
      const [indicator, organisation, period, numerator, denominator] = line.split(',');
      const rows = await queryRows<{ numerator: string; denominator: string }>(
        handle.db,
        sql`select o.numerator, o.denominator from observations o join indicators i on i.id = o.indicator_id
            join organisations g on g.id = o.organisation_id join periods p on p.id = o.period_id
            where i.code = ${indicator} and g.code = ${organisation} and p.label = ${period}`,
      );
      expect(rows.map((row) => [Number(row.numerator), Number(row.denominator)])).toEqual([[Number(numerator), Number(denominator)]]);
    });
  });
});
