import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { schema, type DatabaseHandle } from '../../db';
import { fileChecksum } from '../load/file-checksum';
import { loadAttributes } from '../load/load-attributes';
import { loadObservations, type LoadResult } from '../load/load-observations';
import { loadIndicators, loadMemberships, loadNetworks, loadOrganisations } from '../load/load-reference';
import type { Progress } from '../progress';
import { openGenericCsv } from '../sources/generic-csv';
import { demoAttributesCsv } from './demo-attributes';
import { defaultDemoSeed, generateDemoData } from './generate-demo';
import { writeDemoFiles } from './write-demo-files';

/**
 * Generates the seeded demo data set and loads it through the same loaders and files a user would use.
 * Repeating it changes nothing: when the observation file's checksum is already loaded its reference files,
 * from the same run of the generator, are too, and are not read again (so `npm start` on a loaded database
 * does not spend seconds upserting the same rows); the attributes are checked by their own checksum.
 */
export async function loadDemo(handle: DatabaseHandle, options: { seed?: number; progress?: Progress } = {}): Promise<DemoLoad> {
  const folder = await mkdtemp(join(tmpdir(), 'variation-atlas-demo-'));
  try {
    await writeDemoFiles(folder, generateDemoData({ seed: options.seed ?? defaultDemoSeed }));
    const observations = join(folder, 'observations.csv');
    const result = (await loadedBatchOf(handle, await fileChecksum(observations))) ?? (await loadDemoFiles(handle, folder, options.progress));
    // After the observations, so their batch keeps its number; an already-loaded file changes nothing.
    await writeFile(join(folder, 'attributes.csv'), demoAttributesCsv(), 'utf8');
    await loadAttributes(handle, join(folder, 'attributes.csv'), 'demo');
    return result;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function loadDemoFiles(handle: DatabaseHandle, folder: string, progress: Progress | undefined): Promise<DemoLoad> {
  await loadOrganisations(handle, join(folder, 'organisations.csv'));
  await loadNetworks(handle, join(folder, 'networks.csv'));
  await loadMemberships(handle, join(folder, 'network_memberships.csv'));
  await loadIndicators(handle, join(folder, 'indicators.csv'));
  const observations = join(folder, 'observations.csv');
  return loadObservations(handle, await openGenericCsv(observations), observations, { loadedBy: 'demo', progress });
}

/** What loading the demo did: its observation batch, loaded now or already. */
export type DemoLoad = Pick<LoadResult, 'status' | 'batchId' | 'rows'>;

/** The demo's observation batch when a file with this checksum is loaded and current. */
async function loadedBatchOf(handle: DatabaseHandle, checksum: string): Promise<DemoLoad | undefined> {
  const batch = await handle.db.query.loadBatches.findFirst({ where: and(eq(schema.loadBatches.checksum, checksum), eq(schema.loadBatches.status, 'loaded')) });
  return batch && { status: 'unchanged', batchId: batch.id, rows: batch.rowCount };
}

/** One line for the operator: whether the demo was loaded now or already. */
export function demoLoadSummary(result: DemoLoad): string {
  return result.status === 'unchanged' ? `demo data already loaded (batch ${result.batchId}, ${result.rows} observations)` : `demo data loaded: batch ${result.batchId}, ${result.rows} observations`;
}
