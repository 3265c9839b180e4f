import { and, eq, gt, isNull, lte, or } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { schema } from '../../db';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';

describeDemoApi('API catalogue', ({ app, database }) => {
  it('lists indicators, by domain and by network', async () => {
    const all = await getJson(app(), '/api/indicators');
    expect(all.indicators).toHaveLength(12);
    const cancer = await getJson(app(), '/api/indicators?domain=Cancer');
    expect(cancer.indicators.map((indicator: { code: string }) => indicator.code).sort()).toEqual(['VA-CANCER62', 'VA-FDS28']);
    // A PCN's practices report only the practice-level indicators.
    const pcn = await getJson(app(), '/api/indicators?network=UZ001');
    expect(pcn.indicators.map((indicator: { code: string }) => indicator.code).sort()).toEqual(['VA-ACS-DSR', 'VA-CERVICAL', 'VA-DM-HBA1C']);
  });

  it('gives an indicator with its periods and how many providers reported in each, counted from the raw rows', async () => {
    const body = await getJson(app(), '/api/indicators/VA-SHMI');
    expect(body.indicator).toMatchObject({ code: 'VA-SHMI', measureKind: 'indirectly_standardised_ratio', polarity: 'lower_is_better' });
    expect(body.periods.map((period: { label: string }) => period.label)).toEqual([
      '2023/24 Q1', '2023/24 Q2', '2023/24 Q3', '2023/24 Q4', '2024/25 Q1', '2024/25 Q2', '2024/25 Q3', '2024/25 Q4', '2025/26 Q1', '2025/26 Q2',
    ]);
    const { db } = database();
    const [indicator] = await db.select().from(schema.indicators).where(eq(schema.indicators.code, 'VA-SHMI'));
    const rows = await db.select().from(schema.observations).where(eq(schema.observations.indicatorId, indicator.id));
    const perPeriod = rows.reduce((counts, row) => counts.set(row.periodId, (counts.get(row.periodId) ?? 0) + 1), new Map<number, number>());
    expect(body.periods.reduce((total: number, period: { providers: number }) => total + period.providers, 0)).toBe(rows.length);
    expect(new Set(body.periods.map((period: { providers: number }) => period.providers))).toEqual(new Set(perPeriod.values()));
  });

  it('lists networks by kind with their members on the latest date, and a network with its members', async () => {
    const pcns = await getJson(app(), '/api/networks?kind=primary_care_network');
    expect(pcns.date).toBe('2025-09-30');
    expect(pcns.networks).toHaveLength(8);
    const { db } = database();
    const [network] = await db.select().from(schema.networks).where(eq(schema.networks.code, 'UZ002'));
    const current = await db
      .select()
      .from(schema.networkMemberships)
      .where(and(eq(schema.networkMemberships.networkId, network.id), lte(schema.networkMemberships.validFrom, '2025-09-30'), or(isNull(schema.networkMemberships.validTo), gt(schema.networkMemberships.validTo, '2025-09-30'))));
    expect(pcns.networks.find((row: { code: string }) => row.code === 'UZ002').members).toBe(current.length);
    // Practice Z10034 moved from UZ001 to UZ002 on 2024-10-01.
    const before = await getJson(app(), '/api/networks/UZ002?date=2024-09-30');
    const after = await getJson(app(), '/api/networks/UZ002?date=2024-10-01');
    expect(before.members.some((member: { code: string }) => member.code === 'Z10034')).toBe(false);
    expect(after.members.some((member: { code: string }) => member.code === 'Z10034')).toBe(true);
  });

  it('finds organisations by kind, network and name, and shows one with its memberships', async () => {
    const trusts = await getJson(app(), '/api/organisations?kind=trust&limit=1000');
    expect(trusts.organisations).toHaveLength(40);
    const named = await getJson(app(), '/api/organisations?q=marrowmere');
    expect(named.organisations.map((row: { code: string }) => row.code)).toContain('RZB');
    const critical = await getJson(app(), '/api/organisations?network=KB-CC-ODN');
    expect(critical.organisations.length).toBeGreaterThan(0);
    const one = await getJson(app(), '/api/organisations/TZA');
    expect(one.memberships.find((m: { code: string }) => m.code === 'KB-CC-ODN')).toMatchObject({ validFrom: '2024-07-01' });
  });

  it.each([
    ['/api/indicators/NOPE', 404, 'indicator'],
    ['/api/networks/NOPE', 404, 'network'],
    ['/api/organisations/NOPE', 404, 'organisation'],
    ['/api/indicators?network=NOPE', 404, 'network'],
    ['/api/networks?kind=club', 400, 'kind'],
    ['/api/networks/UZ001?date=yesterday', 400, 'date'],
    ['/api/organisations?limit=0', 400, 'limit'],
    ['/api/organisations/%3Cscript%3E', 400, 'code'],
  ])('%s answers %i naming %s, without a stack trace', (path, status, parameter) => expectApiError(app(), path, status, parameter));
});
