import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseHandle } from '../../db';
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
 * Repeating it changes nothing: reference rows are upserts and the observation file's checksum is known.
 */
export async function loadDemo(handle: DatabaseHandle, options: { seed?: number; progress?: Progress } = {}): Promise<LoadResult> {
  const folder = await mkdtemp(join(tmpdir(), 'variation-atlas-demo-'));
  try {
    await writeDemoFiles(folder, generateDemoData({ seed: options.seed ?? defaultDemoSeed }));
    await loadOrganisations(handle, join(folder, 'organisations.csv'));
    await loadNetworks(handle, join(folder, 'networks.csv'));
    await loadMemberships(handle, join(folder, 'network_memberships.csv'));
    await loadIndicators(handle, join(folder, 'indicators.csv'));
    const observations = join(folder, 'observations.csv');
    const loaded = await loadObservations(handle, await openGenericCsv(observations), observations, { loadedBy: 'demo', progress: options.progress });
    // After the observations, so their batch keeps its number; an already-loaded file changes nothing.
    await writeFile(join(folder, 'attributes.csv'), demoAttributesCsv(), 'utf8');
    await loadAttributes(handle, join(folder, 'attributes.csv'), 'demo');
    return loaded;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
