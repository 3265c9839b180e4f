import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { migrateDatabase, queryRows, schema } from '../../db';
import { createTestDatabase, describeDatabase, testDatabaseKind } from '../support/database';

const { organisations, networks, networkMemberships, indicators, periods, loadBatches, observations } = schema;
const checksum = 'a'.repeat(64);

/** A structural fingerprint of the public schema: tables, columns, constraints, indexes and enum labels. */
async function catalogueSnapshot(db: Parameters<typeof queryRows>[0]): Promise<string> {
  const rows = await queryRows<{ item: string }>(
    db,
    sql`select item from (
      select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable as item
        from information_schema.columns where table_schema = 'public'
      union all
      select 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
        from pg_constraint where connamespace = 'public'::regnamespace
      union all
      select 'index ' || indexname || ' ' || indexdef from pg_indexes where schemaname = 'public'
      union all
      select 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' order by e.enumsortorder)
        from pg_type t join pg_enum e on e.enumtypid = t.oid group by t.typname
    ) catalogue order by item`,
  );
  return rows.map((row) => row.item).join('\n');
}

describe(`migrations [${testDatabaseKind}]`, () => {
  it('apply to an empty database, and applying them again changes nothing', async () => {
    const handle = await createTestDatabase({ migrate: false });
    try {
      expect(await catalogueSnapshot(handle.db)).toBe('');
      await migrateDatabase(handle);
      const first = await catalogueSnapshot(handle.db);
      expect(first).toContain('column observations.numerator double precision YES');
      expect(first).toContain('observations_indicator_organisation_period_key UNIQUE (indicator_id, organisation_id, period_id)');
      await migrateDatabase(handle);
      expect(await catalogueSnapshot(handle.db)).toBe(first);
      const applied = await queryRows<{ count: number | string }>(
        handle.db,
        sql`select count(*) as count from drizzle.__drizzle_migrations`,
      );
      expect(Number(applied[0].count)).toBeGreaterThanOrEqual(1);
    } finally {
      await handle.close();
    }
  });
});

describeDatabase('schema', (getDatabase) => {
  async function seedReference() {
    const { db } = getDatabase();
    const [trust] = await db
      .insert(organisations)
      .values({ code: `R${Math.random().toString(36).slice(2, 8)}`, name: 'Test Trust', kind: 'trust' })
      .returning();
    const [indicator] = await db
      .insert(indicators)
      .values({
        code: `IND${Math.random().toString(36).slice(2, 8)}`,
        name: 'Emergency readmissions within 30 days',
        domain: 'Effectiveness',
        measureKind: 'proportion',
        polarity: 'lower_is_better',
        multiplier: 100,
        unit: '%',
      })
      .returning();
    const [period] = await db
      .insert(periods)
      .values({ label: `P${Math.random().toString(36).slice(2, 8)}`, startDate: '2024-04-01', endDate: '2024-06-30', granularity: 'quarter' })
      .returning();
    const [batch] = await db.insert(loadBatches).values({ fileName: 'test.csv', format: 'generic-csv', checksum, rowCount: 1 }).returning();
    return { trust, indicator, period, batch };
  }

  it('stores an observation and its provenance, typed end to end', async () => {
    const { db } = getDatabase();
    const { trust, indicator, period, batch } = await seedReference();
    await db.insert(observations).values({
      indicatorId: indicator.id,
      organisationId: trust.id,
      periodId: period.id,
      numerator: 42,
      denominator: 400,
      loadBatchId: batch.id,
    });
    const stored = await db.query.observations.findFirst({
      where: and(eq(observations.indicatorId, indicator.id), eq(observations.organisationId, trust.id)),
      with: { organisation: true, period: true, loadBatch: true },
    });
    expect(stored?.numerator).toBe(42);
    expect(stored?.organisation.code).toBe(trust.code);
    expect(stored?.period.startDate).toBe('2024-04-01');
    expect(stored?.loadBatch.status).toBe('loaded');
  });

  it('keeps one observation per indicator, organisation and period', async () => {
    const { db } = getDatabase();
    const { trust, indicator, period, batch } = await seedReference();
    const row = { indicatorId: indicator.id, organisationId: trust.id, periodId: period.id, observed: 3, expected: 2.5, loadBatchId: batch.id };
    await db.insert(observations).values(row);
    await expect(db.insert(observations).values(row)).rejects.toThrow();
  });

  it.each([
    ['a negative numerator', { numerator: -1, denominator: 10 }],
    ['a zero denominator', { numerator: 0, denominator: 0 }],
    ['an expected count of zero', { observed: 1, expected: 0 }],
    ['no measure at all', {}],
  ])('rejects %s', async (_label, figures) => {
    const { db } = getDatabase();
    const { trust, indicator, period, batch } = await seedReference();
    await expect(
      db.insert(observations).values({ indicatorId: indicator.id, organisationId: trust.id, periodId: period.id, loadBatchId: batch.id, ...figures }),
    ).rejects.toThrow();
  });

  it('lets a provider sit in several networks and move between them over time', async () => {
    const { db } = getDatabase();
    const { trust } = await seedReference();
    const created = await db
      .insert(networks)
      .values([
        { code: `SCN${trust.id}`, name: 'Cardiac SCN', kind: 'strategic_clinical_network' },
        { code: `ODN${trust.id}`, name: 'Critical care ODN north', kind: 'operational_delivery_network' },
        { code: `ODS${trust.id}`, name: 'Critical care ODN south', kind: 'operational_delivery_network' },
      ])
      .returning();
    await db.insert(networkMemberships).values([
      { networkId: created[0].id, organisationId: trust.id, validFrom: '2020-04-01' },
      { networkId: created[1].id, organisationId: trust.id, validFrom: '2020-04-01', validTo: '2023-04-01' },
      { networkId: created[2].id, organisationId: trust.id, validFrom: '2023-04-01' },
    ]);
    const onDate = '2024-01-01';
    const current = await db
      .select({ code: networks.code })
      .from(networkMemberships)
      .innerJoin(networks, eq(networks.id, networkMemberships.networkId))
      .where(
        and(
          eq(networkMemberships.organisationId, trust.id),
          sql`${networkMemberships.validFrom} <= ${onDate}`,
          sql`(${networkMemberships.validTo} is null or ${networkMemberships.validTo} > ${onDate})`,
        ),
      )
      .orderBy(networks.code);
    expect(current.map((row) => row.code)).toEqual([`ODS${trust.id}`, `SCN${trust.id}`]);
    await expect(
      db.insert(networkMemberships).values({ networkId: created[0].id, organisationId: trust.id, validFrom: '2024-01-01', validTo: '2023-01-01' }),
    ).rejects.toThrow();
  });

  it('records which batch superseded which', async () => {
    const { db } = getDatabase();
    const [first] = await db.insert(loadBatches).values({ fileName: 'v1.csv', format: 'generic-csv', checksum, rowCount: 10 }).returning();
    const [second] = await db
      .insert(loadBatches)
      .values({ fileName: 'v2.csv', format: 'generic-csv', checksum: 'b'.repeat(64), rowCount: 10 })
      .returning();
    await db.update(loadBatches).set({ status: 'superseded', supersededById: second.id }).where(eq(loadBatches.id, first.id));
    const history = await db.query.loadBatches.findFirst({ where: eq(loadBatches.id, first.id), with: { supersededBy: true } });
    expect(history?.status).toBe('superseded');
    expect(history?.supersededBy?.fileName).toBe('v2.csv');
    await expect(db.insert(loadBatches).values({ fileName: 'x', format: 'x', checksum: 'not-a-hash', rowCount: 0 })).rejects.toThrow();
  });
});
