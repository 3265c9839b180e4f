import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { schema } from '../../db';
import { loadAttributes } from '../../etl/load/load-attributes';
import { loadObservations } from '../../etl/load/load-observations';
import { openGenericCsv } from '../../etl/sources/generic-csv';
import { describeDatabase } from '../support/database';
import { temporaryFolder } from '../support/etl-fixtures';
import { csv, loadPeerTestNetwork } from '../support/peer-test-network';

/**
 * Issue 18's peer benchmarks on SPC assurance and in the variation finder, against an adversary who knows every
 * published figure and chooses the peer groups: sets around a provider withheld in one quarter, a set of it and
 * two others, its nearest neighbours, each member's nearest neighbours, and every provider's chart against them,
 * itself charted too. Its small count is moved through every value from 1 to 4; an answer that moved with it would
 * leak it. Every SPC and finder answer must stay byte for byte the same, and a quarter in which the withheld
 * provider would be one of only three peers must be left unjudged rather than pooled over two.
 */
describeDatabase('disclosure: peer benchmarks on SPC assurance and the variation finder', (database) => {
  const files = temporaryFolder();
  const codes = ['RX1', 'RX2', 'RX3', 'RX4', 'RX5', 'RX6', 'RX7', 'RX8'];
  const quarters = ['2024/25 Q1', '2024/25 Q2', '2024/25 Q3', '2024/25 Q4', '2025/26 Q1', '2025/26 Q2'];
  const withheld = 'RX1';
  const withheldQuarter = '2024/25 Q3';
  let app: ReturnType<typeof createApp>;
  const sets: Record<string, number> = {};

  beforeAll(async () => {
    const handle = database();
    await loadPeerTestNetwork(handle, files, codes);
    const rows = [['indicator_code', 'organisation_code', 'period', 'numerator', 'denominator', 'observed', 'expected', 'value', 'value_lower', 'value_upper']];
    codes.forEach((code, i) => {
      quarters.forEach((quarter, j) => {
        const small = code === withheld && quarter === withheldQuarter;
        // RX8 is far from the rest, so the finder has an outlier to find against its peers.
        const deaths = code === 'RX8' ? 90 + 5 * j : 20 + 7 * i + 3 * ((i + j) % 3);
        rows.push(['RX-DEATHS', code, quarter, small ? '2' : String(deaths), String(400 + 50 * i + 10 * j), '', '', '', '', '']);
        // Treated: the withheld provider's complement (those not treated in time) is the small count.
        rows.push(['RX-TREATED', code, quarter, small ? '298' : String(300 + 40 * i - 4 * ((i * j) % 4)), small ? '300' : String(360 + 45 * i), '', '', '', '', '']);
      });
    });
    const observations = files.write('observations.csv', csv(rows));
    await loadObservations(handle, await openGenericCsv(observations), observations, { loadedBy: 'disclosure test' });
    await loadAttributes(
      handle,
      files.write('attributes.csv', csv([['organisation_code', 'attribute', 'type', 'value'], ...codes.flatMap((code, i) => [[code, 'beds', 'numeric', 300 + 10 * i], [code, 'deprivation_decile', 'numeric', 1 + ((3 * i) % 10)]])])),
    );
    const ids = new Map((await handle.db.select().from(schema.organisations)).map((o) => [o.code, o.id]));
    for (const [name, members] of Object.entries({ small: [withheld, 'RX2', 'RX3'], around: [withheld, 'RX2', 'RX3', 'RX4', 'RX5'] })) {
      const [set] = await handle.db.insert(schema.peerSets).values({ name, createdBy: 'test' }).returning();
      await handle.db.insert(schema.peerSetMembers).values(members.map((code) => ({ peerSetId: set.id, organisationId: ids.get(code)! })));
      sets[name] = set.id;
    }
    app = createApp({ db: handle.db, databaseKind: handle.kind });
  });
  afterAll(() => files.remove());

  const paths = () => [
    ...['RX-DEATHS', 'RX-TREATED'].flatMap((indicator) => [
      ...['RX1', 'RX2', 'RX4', 'RX6'].flatMap((organisation) => [
        `/api/trends/spc?indicator=${indicator}&organisation=${organisation}&benchmark=peers&peers=${sets.around}`,
        `/api/trends/spc?indicator=${indicator}&organisation=${organisation}&benchmark=peers&peers=${sets.small}`,
        `/api/trends/spc?indicator=${indicator}&organisation=${organisation}&benchmark=peers&peersOf=${organisation}&k=3`,
        `/api/trends/spc?indicator=${indicator}&organisation=${organisation}&benchmark=peers&peersOf=${organisation}&k=4&chart=p`,
        `/api/trends/spc?indicator=${indicator}&organisation=${organisation}&benchmark=peers&peersOf=RX2&k=5&chart=xmr`,
      ]),
    ]),
    ...['4', '6'].flatMap((recent) => [
      `/api/variation?network=RX-NET&recent=${recent}&benchmark=peers&peers=${sets.around}`,
      `/api/variation?network=RX-NET&recent=${recent}&benchmark=peers&peers=${sets.small}`,
      `/api/variation?network=RX-NET&recent=${recent}&benchmark=peers&nearest=true&k=3`,
      `/api/variation?network=RX-NET&recent=${recent}&benchmark=peers&nearest=true&k=3&adjustment=none`,
      `/api/variation?network=RX-NET&recent=${recent}&benchmark=peers&nearest=true&k=5&adjustment=additive`,
      `/api/variation?network=RX-NET&recent=${recent}&period=${withheldQuarter}&benchmark=peers&nearest=true&k=4&attributes=beds`,
    ]),
  ];

  /** Every answer, as status and body, with the withheld provider's small count in its quarter set to `count`. */
  async function answersWith(count: number): Promise<Map<string, string>> {
    await database().db.execute(sql`
      update observations set numerator = case when indicator_id = (select id from indicators where code = 'RX-DEATHS') then ${count} else 300 - ${count} end
      where organisation_id = (select id from organisations where code = ${withheld}) and period_id in (select id from periods where label = ${withheldQuarter})`);
    const answers = new Map<string, string>();
    for (const path of paths()) {
      const response = await app.request(path);
      expect(response.status, path).toBeLessThan(500);
      answers.set(path, `${response.status} ${await response.text()}`);
    }
    return answers;
  }

  it('gives the same SPC and finder answers, byte for byte, whatever the withheld count', async () => {
    const baseline = await answersWith(1);
    for (const count of [2, 3, 4]) {
      const answers = await answersWith(count);
      for (const [path, answer] of baseline) expect(answers.get(path), `${path} with a withheld count of ${count}`).toBe(answer);
    }
    // The answers are real ones: charts judged against peers, and a finder that finds.
    // Only a member of the set of three, charted against the other two, is refused: two peers are never a benchmark.
    for (const [path, answer] of baseline) {
      if (/organisation=RX[123]&benchmark=peers&peers=/.test(path) && path.endsWith(`peers=${sets.small}`)) expect(answer, path).toMatch(/^422 .*peers_too_few/);
      else expect(answer.slice(0, 4), path).toBe('200 ');
    }
    const finder = JSON.parse(baseline.get(`/api/variation?network=RX-NET&recent=6&benchmark=peers&nearest=true&k=3&adjustment=none`)!.slice(4));
    expect(finder.findings.some((finding: { organisation: { code: string } }) => finding.organisation.code === 'RX8')).toBe(true);
    expect(finder.chance.judged).toBeGreaterThan(0);
  }, 600_000);

  it('leaves unjudged the quarter in which a set of the withheld provider and two others has two published peers', async () => {
    const answers = await answersWith(3);
    const chart = JSON.parse(answers.get(`/api/trends/spc?indicator=RX-DEATHS&organisation=RX4&benchmark=peers&peers=${sets.small}`)!.slice(4));
    const quarter = chart.points.find((point: { period: string }) => point.period === withheldQuarter);
    expect(quarter.peers).toMatchObject({ value: null, published: 2, withheld: 1, assurance: null });
    expect(quarter.peers.reason).toMatch(/at least 3/);
    const others = chart.points.filter((point: { period: string }) => point.period !== withheldQuarter);
    for (const point of others) expect(point.peers).toMatchObject({ published: 3, withheld: 0, reason: null });
    // The withheld provider's own chart: no value, no limits and no judgement in that quarter.
    const own = JSON.parse(answers.get(`/api/trends/spc?indicator=RX-DEATHS&organisation=RX1&benchmark=peers&peers=${sets.around}`)!.slice(4));
    expect(own.points.find((point: { period: string }) => point.period === withheldQuarter)).toMatchObject({ suppressed: true, value: null, upperLimit: null, peers: { assurance: null } });
    // In the finder the withheld provider is judged in no quarter it is withheld from, and its peers never pool it.
    const finder = JSON.parse(answers.get(`/api/variation?network=RX-NET&recent=4&period=${withheldQuarter}&benchmark=peers&nearest=true&k=4&attributes=beds`)!.slice(4));
    expect(finder.findings.every((finding: { organisation: { code: string } }) => finding.organisation.code !== withheld)).toBe(true);
  }, 600_000);
});
