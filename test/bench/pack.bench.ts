import { createApp } from '../../api/app';
import { gatherPack } from '../../api/pack/gather-pack';
import { renderPackCharts } from '../../api/pack/pack-charts';
import type { PackOptions } from '../../api/pack/pack-content';
import { packFiles } from '../../api/pack/pack-files';
import { packPdf } from '../../api/pack/pack-pdf';
import { packPptx } from '../../api/pack/pack-pptx';
import { schema, type Database } from '../../db';
import { createTestDatabase, testDatabaseKind } from '../support/database';
import { medianSeconds, report } from './measure';

const providers = 40;
const quarters = 10;
const network = 'BENCH-NET';

type Kind = 'proportion' | 'crude_rate' | 'indirectly_standardised_ratio' | 'directly_standardised_rate' | 'mean';

/** Twelve indicators of every measure kind, like the demo's: [code, kind, centre on the display scale, random-effect sd]. */
const indicatorSpecs: [string, Kind, number, number][] = [
  ['B-PROP1', 'proportion', 72, 0.15],
  ['B-PROP2', 'proportion', 12.5, 0.1],
  ['B-PROP3', 'proportion', 85, 0.2],
  ['B-PROP4', 'proportion', 6, 0.3],
  ['B-PROP5', 'proportion', 48, 0.08],
  ['B-PROP6', 'proportion', 95, 0.25],
  ['B-RATE1', 'crude_rate', 15, 0.4],
  ['B-RATE2', 'crude_rate', 120, 0.2],
  ['B-ISR1', 'indirectly_standardised_ratio', 1, 0.1],
  ['B-ISR2', 'indirectly_standardised_ratio', 1, 0.15],
  ['B-DSR', 'directly_standardised_rate', 210, 0.2],
  ['B-MEAN', 'mean', 4.6, 0.05],
];

/** A seeded uniform generator (mulberry32), so every run times the same data. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 40 trusts in one network, 12 indicators, 10 quarters of figures with real between-provider variation. */
async function seedBenchData(db: Database): Promise<void> {
  const uniform = random(20260302);
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const organisations = await db
    .insert(schema.organisations)
    .values(Array.from({ length: providers }, (_, i) => ({ code: `BT${String(i + 1).padStart(3, '0')}`, name: `Bench Trust ${i + 1}`, kind: 'trust' as const })))
    .returning({ id: schema.organisations.id });
  const [net] = await db.insert(schema.networks).values({ code: network, name: 'Bench Network of Forty Trusts', kind: 'custom' }).returning({ id: schema.networks.id });
  await db.insert(schema.networkMemberships).values(organisations.map((organisation) => ({ networkId: net.id, organisationId: organisation.id, validFrom: '2020-04-01' })));
  const periods = await db
    .insert(schema.periods)
    .values(
      Array.from({ length: quarters }, (_, q) => {
        const start = new Date(Date.UTC(2023, 3 + 3 * q, 1));
        const end = new Date(Date.UTC(2023, 6 + 3 * q, 0));
        const year = 2023 + Math.floor(q / 4);
        return { label: `${year}/${String((year + 1) % 100).padStart(2, '0')} Q${(q % 4) + 1}`, startDate: start.toISOString().slice(0, 10), endDate: end.toISOString().slice(0, 10), granularity: 'quarter' as const };
      }),
    )
    .returning({ id: schema.periods.id });
  const [batch] = await db
    .insert(schema.loadBatches)
    .values({ fileName: 'bench.csv', format: 'generic', checksum: '0'.repeat(64), rowCount: providers * quarters * indicatorSpecs.length })
    .returning({ id: schema.loadBatches.id });
  const sizes = organisations.map(() => 0.3 + 2.7 * uniform());
  for (const [code, kind, centre, sd] of indicatorSpecs) {
    const ratioLike = kind === 'indirectly_standardised_ratio';
    const multiplier = kind === 'proportion' ? 100 : kind === 'crude_rate' ? 100_000 : 1;
    const [indicator] = await db
      .insert(schema.indicators)
      .values({ code, name: `Bench ${kind.replace(/_/g, ' ')} ${code.slice(2)}`, domain: 'Bench', measureKind: kind, polarity: ratioLike ? 'lower_is_better' : 'higher_is_better', multiplier, unit: kind === 'proportion' ? '%' : kind === 'crude_rate' ? 'per 100,000 bed days' : kind === 'mean' ? 'days' : ratioLike ? 'ratio' : 'per 100,000' })
      .returning({ id: schema.indicators.id });
    const effects = organisations.map(() => sd * normal());
    const rows = periods.flatMap((period) =>
      organisations.map((organisation, i) => {
        const base = { indicatorId: indicator.id, organisationId: organisation.id, periodId: period.id, loadBatchId: batch.id };
        const scale = sizes[i] * (0.96 + 0.08 * uniform());
        if (kind === 'proportion') {
          const p = 1 / (1 + Math.exp(-(Math.log(centre / (100 - centre)) + effects[i])));
          const denominator = Math.round(600 * scale);
          return { ...base, denominator, numerator: Math.min(denominator, Math.max(0, Math.round(denominator * p + Math.sqrt(denominator * p * (1 - p)) * normal()))) };
        }
        if (kind === 'crude_rate' || ratioLike) {
          const exposure = ratioLike ? 300 * scale : 40_000 * scale;
          const mean = exposure * (ratioLike ? 1 : centre / multiplier) * Math.exp(effects[i]);
          const events = Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
          return ratioLike ? { ...base, observed: events, expected: exposure } : { ...base, numerator: events, denominator: Math.round(exposure) };
        }
        const value = centre * Math.exp(effects[i] + 0.03 * normal());
        const halfWidth = (1.96 * value * (kind === 'mean' ? 1.4 : 0.6)) / Math.sqrt(400 * scale);
        return { ...base, value, valueLower: value - halfWidth, valueUpper: value + halfWidth, ...(kind === 'mean' ? { denominator: Math.round(400 * scale) } : {}) };
      }),
    );
    await db.insert(schema.observations).values(rows);
  }
}

const seconds = (value: number) => `${value.toFixed(2)} s`;

/**
 * A board pack for a network of 40 providers and 12 indicators (10 quarters each), timed next to rendering the
 * same 24 charts alone in the same run: the ratio is what gathering the numbers through the API and writing the
 * deck or PDF add to the charts. Target: a pack in under 10 s.
 */
export async function packBench(): Promise<void> {
  const handle = await createTestDatabase();
  try {
    await seedBenchData(handle.db);
    const app = createApp({ db: handle.db, databaseKind: handle.kind });
    const options: PackOptions = { network, period: '2025/26 Q2' };
    const gather = () => gatherPack((path) => app.request(path), options);
    const content = await gather();
    if (content.indicators.length !== indicatorSpecs.length || content.indicators[0].counts.all !== providers) {
      throw new Error(`the bench pack has ${content.indicators.length} indicators of ${content.indicators[0]?.counts.all} providers`);
    }
    const rendered = await renderPackCharts(content);
    const charts = await medianSeconds(() => renderPackCharts(content), 3);
    const gathering = await medianSeconds(gather, 3);
    const deck = await medianSeconds(() => packPptx(content), 3);
    const document = await medianSeconds(() => packPdf(content, rendered), 3);
    const pptx = await medianSeconds(async () => packFiles(await gather(), ['pptx']), 3);
    const pdf = await medianSeconds(async () => packFiles(await gather(), ['pdf']), 3);
    const endpoint = await medianSeconds(async () => (await app.request(`/api/packs?network=${network}&period=2025/26%20Q2&format=pptx`)).arrayBuffer(), 3);
    const baseline = `charts alone ${seconds(charts)}`;
    report(`Board pack: ${providers} providers × ${indicatorSpecs.length} indicators × ${quarters} quarters, ${indicatorSpecs.length * 2} charts (${testDatabaseKind}); medians of 3`, [
      { name: `${indicatorSpecs.length * 2} charts alone (SVG, then PNG on the thread pool)`, value: seconds(charts) },
      { name: 'gathering the numbers from the API routes', value: seconds(gathering), baseline, ratio: gathering / charts },
      { name: 'writing the deck (native charts, no pictures)', value: seconds(deck), baseline, ratio: deck / charts },
      { name: 'writing the PDF from rendered charts', value: seconds(document), baseline, ratio: document / charts },
      { name: 'PPTX pack (gather, deck)', value: seconds(pptx), baseline, ratio: pptx / charts, target: '< 10 s' },
      { name: 'PDF pack (gather, charts, PDF)', value: seconds(pdf), baseline, ratio: pdf / charts, target: '< 10 s' },
      { name: 'GET /api/packs?format=pptx (in process)', value: seconds(endpoint), baseline, ratio: endpoint / charts, target: '< 10 s' },
    ]);
  } finally {
    await handle.close();
  }
}
