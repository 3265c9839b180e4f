import { describe } from 'vitest';
import { testDatabaseKind } from '../support/database';
import { describeNeeding } from '../support/prerequisites';

/**
 * A fault test: it runs in the PostgreSQL pass of the suite (DATABASE_URL set), skipped with the reason in its
 * title in the PGlite pass. One that stops and starts a server needs PostgreSQL's binaries for a private
 * cluster: without them it fails under CI and is skipped elsewhere.
 */
export function describeFault(name: string, needs: { privateCluster: boolean }, body: () => void): void {
  if (testDatabaseKind !== 'postgres') describe.skip(`${name} (skipped: fault tests run on PostgreSQL: set DATABASE_URL)`, body);
  else if (needs.privateCluster) describeNeeding('postgres', `${name} [postgres]`, body);
  else describe(`${name} [postgres]`, body);
}
