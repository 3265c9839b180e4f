import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toCsv } from '../csv/csv-write';
import {
  indicatorColumns, membershipColumns, networkColumns, observationColumns, organisationColumns,
} from './demo-rows';
import type { DemoData } from './generate-demo';

/**
 * Writes the demo data set as the documented files the ETL loads (UTF-8 without a byte-order mark):
 * organisations.csv, networks.csv, network_memberships.csv, indicators.csv, observations.csv, and
 * planted-effects.json for checking the product's findings. Periods are not written: the loader derives
 * them from the labels in observations.csv. Returns the paths written, in loading order.
 */
export async function writeDemoFiles(dir: string, data: DemoData): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    ['organisations.csv', toCsv(organisationColumns, data.organisations)],
    ['networks.csv', toCsv(networkColumns, data.networks)],
    ['network_memberships.csv', toCsv(membershipColumns, data.memberships)],
    ['indicators.csv', toCsv(indicatorColumns, data.indicators)],
    ['observations.csv', toCsv(observationColumns, data.observations)],
    ['planted-effects.json', `${JSON.stringify(data.plantedEffects, null, 2)}\n`],
  ];
  const paths: string[] = [];
  for (const [name, contents] of files) {
    const path = join(dir, name);
    await writeFile(path, contents, 'utf8');
    paths.push(path);
  }
  return paths;
}
