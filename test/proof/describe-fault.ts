import { describe } from 'vitest';
import { testDatabaseKind } from '../support/database';
import { privateClusterUnavailable } from './private-cluster';

/**
 * A fault test: it runs in the PostgreSQL pass of the suite (DATABASE_URL set), and, when it stops and starts a
 * server, only where a private cluster can be made. Otherwise it is skipped with the reason in its title.
 */
export function describeFault(name: string, needs: { privateCluster: boolean }, body: () => void): void {
  const reason =
    testDatabaseKind !== 'postgres'
      ? 'fault tests run on PostgreSQL: set DATABASE_URL'
      : needs.privateCluster
        ? privateClusterUnavailable()
        : undefined;
  if (reason === undefined) describe(`${name} [postgres]`, body);
  else describe.skip(`${name} (skipped: ${reason})`, body);
}
