import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { loadAttributes } from '../../etl/load/load-attributes';
import { loadObservations } from '../../etl/load/load-observations';
import { openGenericCsv } from '../../etl/sources/generic-csv';
import { schema } from '../../db';
import { describeDatabase } from '../support/database';
import { temporaryFolder } from '../support/etl-fixtures';
import { csv, loadPeerTestNetwork } from '../support/peer-test-network';

/**
 * Issue 18's peer benchmarks and opportunity sizing against an adversary who knows every published figure and
 * chooses the peer groups: a set of the withheld provider and two others (whose pooled value, were it pooled,
 * would give the withheld count away by differencing against their published counts), sets around it, its
 * nearest neighbours, and every opportunity benchmark. The withheld provider's count is moved through every
 * small value; an answer that moved with it would leak it. Every answer must stay byte for byte the same, the
 * withheld provider must carry no figure, and a peer group of fewer than three published peers must be refused.
 */
describeDatabase('disclosure: peer benchmarks and opportunity sizing', (database) => {
  const files = temporaryFolder();
  const codes = ['RX1', 'RX2', 'RX3', 'RX4', 'RX5', 'RX6', 'RX7', 'RX8'];
  const withheld = 'RX1';
  let app: ReturnType<typeof createApp>;
  const sets: Record<string, number> = {};

  beforeAll(async () => {
    const handle = database();
    await loadPeerTestNetwork(handle, files, codes);
    const rows = [['indicator_code', 'organisation_code', 'period', 'numerator', 'denominator', 'observed', 'expected', 'value', 'value_lower', 'value_upper']];
    codes.forEach((code, i) => {
      rows.push(['RX-DEATHS', code, '2025/26 Q1', code === withheld ? '2' : String(20 + 7 * i), String(400 + 50 * i), '', '', '', '', '']);
      // Treated: the withheld provider's complement (those not treated in time) is the small count.
      rows.push(['RX-TREATED', code, '2025/26 Q1', code === withheld ? '298' : String(300 + 40 * i), code === withheld ? '300' : String(360 + 45 * i), '', '', '', '', '']);
    });
    const observations = files.write('observations.csv', csv(rows));
    await loadObservations(handle, await openGenericCsv(observations), observations, { loadedBy: 'disclosure test' });
    await loadAttributes(handle, files.write('attributes.csv', csv([['organisation_code', 'attribute', 'type', 'value'], ...codes.map((code, i) => [code, 'beds', 'numeric', 300 + 10 * i])])));
    const organisationId = async (code: string) => Number((await handle.db.select().from(schema.organisations)).find((o) => o.code === code)!.id);
    for (const [name, members] of Object.entries({ small: [withheld, 'RX2', 'RX3'], around: [withheld, 'RX2', 'RX3', 'RX4', 'RX5'] })) {
      const [set] = await handle.db.insert(schema.peerSets).values({ name, createdBy: 'test' }).returning();
      await handle.db.insert(schema.peerSetMembers).values(await Promise.all(members.map(async (code) => ({ peerSetId: set.id, organisationId: await organisationId(code) }))));
      sets[name] = set.id;
    }
    app = createApp({ db: handle.db, databaseKind: handle.kind });
  });
  afterAll(() => files.remove());

  const paths = () => [
    ...['RX-DEATHS', 'RX-TREATED'].flatMap((indicator) => [
      `/api/funnel?indicator=${indicator}&benchmark=peers&peers=${sets.around}&shrinkage=true&providerLimits=true&fdr=true`,
      `/api/funnel?indicator=${indicator}&benchmark=peers&peers=${sets.around}&format=csv`,
      `/api/funnel?indicator=${indicator}&benchmark=peers&peersOf=RX2&k=4`,
      `/api/funnel?indicator=${indicator}&benchmark=peers&peersOf=RX2&k=2`,
      `/api/funnel?indicator=${indicator}&benchmark=peers&peers=${sets.small}`,
      ...['pooled', 'upper-quartile', 'target'].flatMap((benchmark) => [
        `/api/opportunity?network=RX-NET&indicator=${indicator}&benchmark=${benchmark}`,
        `/api/opportunity?network=RX-NET&indicator=${indicator}&benchmark=${benchmark}&estimate=observed`,
      ]),
      `/api/opportunity?network=RX-NET&indicator=${indicator}&benchmark=peers&peers=${sets.around}`,
      `/api/opportunity?network=RX-NET&indicator=${indicator}&benchmark=peers&peersOf=RX3&k=3`,
      `/api/opportunity?network=RX-NET&indicator=${indicator}&benchmark=peers&peers=${sets.small}`,
    ]),
    '/api/opportunity?network=RX-NET',
    '/api/opportunity?network=RX-NET&format=csv',
    `/api/opportunity?network=RX-NET&benchmark=peers&peers=${sets.around}&format=csv`,
  ];

  /** Every answer, as status and body, with the withheld provider's small count set to `count`. */
  async function answersWith(count: number): Promise<Map<string, string>> {
    await database().db.execute(sql`
      update observations set numerator = case when indicator_id = (select id from indicators where code = 'RX-DEATHS') then ${count} else 300 - ${count} end
      where organisation_id = (select id from organisations where code = ${withheld})`);
    const answers = new Map<string, string>();
    for (const path of paths()) {
      const response = await app.request(path);
      expect(response.status, path).toBeLessThan(500);
      answers.set(path, `${response.status} ${await response.text()}`);
    }
    return answers;
  }

  it('gives the same answers, byte for byte, whatever the withheld count, and names the withheld provider with no figure', async () => {
    const baseline = await answersWith(1);
    for (const count of [2, 3, 4]) {
      const answers = await answersWith(count);
      for (const [path, answer] of baseline) expect(answers.get(path), `${path} with a withheld count of ${count}`).toBe(answer);
    }
    const opportunity = JSON.parse(baseline.get('/api/opportunity?network=RX-NET&indicator=RX-DEATHS&benchmark=pooled')!.slice(4));
    const row = opportunity.indicators[0].providers.find((p: { code: string }) => p.code === withheld);
    expect(row).toMatchObject({ suppressed: true, events: null, size: null, value: null, estimate: null, gap: null, opportunity: null, lower: null, upper: null, rank: null });
    expect(opportunity.indicators[0].total.withheld).toBe(1);
    const funnel = JSON.parse(baseline.get(`/api/funnel?indicator=RX-DEATHS&benchmark=peers&peers=${sets.around}&shrinkage=true&providerLimits=true&fdr=true`)!.slice(4));
    expect(funnel.method.peers).toMatchObject({ published: 4, withheld: 1 });
    expect(funnel.providers.find((p: { code: string }) => p.code === withheld)).toMatchObject({ suppressed: true, numerator: null, value: null, shrunken: null, limits: null });
  }, 300_000);

  it('refuses a peer group of the withheld provider and two others: two published peers pool to no benchmark', async () => {
    const answers = await answersWith(3);
    for (const [path, answer] of answers) {
      if (path.includes(`peers=${sets.small}`) || path.includes('peersOf=RX2&k=2')) expect(answer, path).toMatch(/^422 .*peers_too_few/);
    }
    // A CSV answer names the withheld provider with no figure.
    let checked = 0;
    for (const [path, answer] of answers) {
      if (!answer.startsWith('200')) continue;
      if (path.includes('format=csv')) {
        const fields = answer.split('\r\n').find((one) => one.includes(`,${withheld},`))?.split(',');
        if (!fields) continue;
        const after = fields.slice(fields.indexOf(withheld) + 2);
        expect(after.every((field) => ['', 'true', 'false'].includes(field)), `${path}: ${fields.join(',')}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  }, 300_000);
});
