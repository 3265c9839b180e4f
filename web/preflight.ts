import { serverConfigFromEnv } from '../api/config';
import { databaseConfigFromEnv } from '../db/config';
import { holderOf, lockedMessage } from '../db/lock';
import { portProblem } from './port';

/**
 * `npm start` runs this before the dashboard's build (about 30 s): a bad setting, a taken port or an embedded
 * database held by another process is reported at once, one line each, and stops the start with exit code 1.
 * It only looks: the database's lock is taken by whichever step opens the folder.
 */
const problems: string[] = [];
try {
  const server = serverConfigFromEnv();
  const port = await portProblem(server.PORT, server.HOST);
  if (port) problems.push(port);
  const database = databaseConfigFromEnv();
  if (!database.url && database.dataDir !== 'memory') {
    const holder = await holderOf(database.dataDir);
    if (holder) problems.push(lockedMessage(database.dataDir, holder));
  }
} catch (error) {
  problems.push((error as Error).message);
}
for (const problem of problems) console.error(problem);
process.exitCode = problems.length ? 1 : 0;
