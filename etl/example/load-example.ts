import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countDistinct, eq } from 'drizzle-orm';
import { schema, type DatabaseHandle } from '../../db';
import { loadCatalogue } from '../load/load-catalogue';
import { loadObservations, type LoadResult } from '../load/load-observations';
import { EtlCommandError } from '../problems';
import type { Progress } from '../progress';
import { loadOdsFile } from '../reference/load-published';
import { formatSummary, type SnapshotSummary } from '../reference/reference-snapshot';
import { openObservationSource } from '../sources/open-source';

/** The bundled examples, one folder each (examples/england: the public extract and how it was made). */
export const examplesFolder = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');
export const examples = ['england'] as const;

/** The England example's files, loaded in this order: trusts and ICBs first, then each publication. */
export const englandFiles = {
  ods: 'ods_etr_2026.csv',
  observations: ['cwt_2026-01_provider_level.csv', 'ae_attendances_2018-19.csv', 'shmi_observed_expected_latest.csv'],
} as const;

export interface ExampleObservations {
  result: LoadResult;
  /** The file's providers, and those the 2026 ODS trust file lacks (independent providers, trusts since merged), made kind "other". */
  providers: number;
  notInOds: number;
}

export interface ExampleResult {
  ods: { file: string; summary: SnapshotSummary };
  catalogue: { indicators: number; targets: number };
  observations: ExampleObservations[];
}

/**
 * `example england`: the bundled extract of NHS England's public files through the product's own loaders.
 * Refused beside the fictional demo: real trusts and invented ones in one set of funnels would mislead. A
 * re-run changes nothing, as each loader skips what it already holds.
 */
export async function loadExample(handle: DatabaseHandle, name: string, options: { loadedBy?: string; progress?: Progress } = {}): Promise<ExampleResult> {
  if (!(examples as readonly string[]).includes(name)) throw new EtlCommandError(`unknown example "${name}"; the examples are: ${examples.join(', ')}`);
  const [demo] = await handle.db.select({ id: schema.loadBatches.id }).from(schema.loadBatches).where(eq(schema.loadBatches.loadedBy, 'demo')).limit(1);
  if (demo) {
    throw new EtlCommandError(
      `this database holds the fictional demo data (batch ${demo.id}); load the real example into another: set VARIATION_ATLAS_DATA_DIR (PGlite) or DATABASE_URL (PostgreSQL)`,
    );
  }
  const folder = join(examplesFolder, name);
  const ods = { file: englandFiles.ods, summary: await loadOdsFile(handle, join(folder, englandFiles.ods), null) };
  const catalogue = await loadCatalogue(handle);
  const observations: ExampleObservations[] = [];
  for (const file of englandFiles.observations) {
    const path = join(folder, file);
    const result = await loadObservations(handle, await openObservationSource(path), path, {
      createMissingOrganisations: true,
      loadedBy: options.loadedBy,
      progress: options.progress,
    });
    observations.push({ result, ...(await batchProviders(handle, result.batchId)) });
  }
  return { ods, catalogue, observations };
}

// Counted from the batch, not from what this run created, so a re-run and each file say the same.
async function batchProviders(handle: DatabaseHandle, batchId: number): Promise<{ providers: number; notInOds: number }> {
  const { observations, organisations } = schema;
  const kinds = await handle.db
    .select({ kind: organisations.kind, n: countDistinct(observations.organisationId) })
    .from(observations)
    .innerJoin(organisations, eq(organisations.id, observations.organisationId))
    .where(eq(observations.loadBatchId, batchId))
    .groupBy(organisations.kind);
  return { providers: kinds.reduce((sum, { n }) => sum + n, 0), notInOds: kinds.filter(({ kind }) => kind !== 'trust').reduce((sum, { n }) => sum + n, 0) };
}

/** The command's one summary: what each file did, and whether the run changed anything. */
export function formatExampleSummary(name: string, { ods, catalogue, observations }: ExampleResult): string {
  const lines = [
    formatSummary(ods.file, ods.summary),
    `national-indicators.json: ${catalogue.indicators} indicators and ${catalogue.targets} targets`,
    ...observations.map(
      ({ result, providers, notInOds }) =>
        (result.status === 'unchanged'
          ? `${result.file}: already loaded as batch ${result.batchId}; nothing changed`
          : `${result.file}: batch ${result.batchId}, ${result.rows} rows loaded` + (result.skippedRows ? `, ${result.skippedRows} passed over` : '')) +
        `; ${providers} providers, ${notInOds} not in the ODS trust file (kind other)`,
    ),
  ];
  const { organisations, networks, memberships } = ods.summary;
  const changed =
    organisations.created + organisations.updated + networks.created + networks.updated + memberships.created + memberships.closed + memberships.removed > 0 ||
    observations.some(({ result }) => result.status === 'loaded');
  return [`example ${name}: ${changed ? 'loaded' : 'already loaded, nothing changed'}`, ...lines.map((line) => `  ${line}`)].join('\n');
}
