import { serverConfigFromEnv } from '../api/config';
import { databaseConfigFromEnv } from '../db/config';
import { holderOf, lockedMessage } from '../db/lock';
import { portProblem } from './port';

/**
 * What would stop the server, found before `npm start` spends time building: a bad setting, a taken port or an
 * embedded database held by another process, one line each. It only looks: the database's lock is taken by
 * whichever step opens the folder.
 */
export async function preflightProblems(): Promise<string[]> {
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
  return problems;
}
