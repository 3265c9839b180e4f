import type { Database, DatabaseKind } from '../db';

/** What every route handler is given: injected, never imported as a singleton. */
export interface AppDependencies {
  db: Database;
  databaseKind: DatabaseKind;
}

export interface AppEnv {
  Variables: { deps: AppDependencies };
}
