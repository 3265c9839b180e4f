import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDatabase, DatabaseLockedError, databaseConfigFromEnv, migrateDatabase } from '../../db';
import { createApp } from '../app';
import { PackArgumentError, packUsage, parsePackArguments, type PackCommand } from './cli-arguments';
import { gatherPack, latestPackPeriod, PackSourceError } from './gather-pack';
import { packFileName, packFiles } from './pack-files';

/**
 * `npm run pack -- --network CODE [--period LABEL] …`: a board pack written to files, so a monthly pack can be
 * scripted. It opens the configured database as the ETL does and asks the API in process, so the files are
 * the ones `GET /api/packs` answers for the same parameters, as the holder of VARIATION_ATLAS_TOKEN if set.
 */
async function run(command: PackCommand): Promise<void> {
  const handle = await createDatabase(databaseConfigFromEnv());
  try {
    await migrateDatabase(handle);
    const app = createApp({ db: handle.db, databaseKind: handle.kind });
    // Without a token the pack is the anonymous local viewer's: public networks only.
    const token = process.env.VARIATION_ATLAS_TOKEN?.trim();
    const init = token ? { headers: { authorization: `Bearer ${token}` } } : undefined;
    const request = (path: string) => app.request(path, init);
    const { options } = command;
    const content = await gatherPack(request, { ...options, period: options.period ?? (await latestPackPeriod(request, options.network, options.indicators)) });
    const files = await packFiles(content, command.formats);
    await mkdir(command.out, { recursive: true });
    for (const [format, bytes] of files) {
      const path = join(command.out, packFileName(content, format));
      await writeFile(path, bytes);
      console.log(`${path}: ${content.indicators.length} indicators, ${content.outliers.length} outliers, ${(bytes.length / 1024 / 1024).toFixed(1)} MB`);
    }
  } finally {
    await handle.close();
  }
}

try {
  const command = parsePackArguments(process.argv.slice(2));
  if (command === 'help') console.log(packUsage);
  else await run(command);
} catch (error) {
  if (error instanceof PackArgumentError) {
    console.error(error.message);
    process.exitCode = 2;
  } else if (error instanceof PackSourceError) {
    console.error(error.parameter ? `--${error.parameter}: ${error.message}` : error.message);
    process.exitCode = 1;
  } else if (error instanceof DatabaseLockedError) {
    console.error(error.message);
    process.exitCode = 1;
  } else throw error;
}
