import type { Database, DatabaseKind } from '../db';

export interface ApiConfig {
  /** Counts from 1 to this − 1 are withheld from every output; 0 switches suppression off. */
  suppressionThreshold: number;
}

/** What every route handler is given: injected, never imported as a singleton. */
export interface AppDependencies {
  db: Database;
  databaseKind: DatabaseKind;
  config?: Partial<ApiConfig>;
}

export interface AppEnv {
  Variables: { deps: AppDependencies & { config: ApiConfig } };
}

export const defaultApiConfig: ApiConfig = { suppressionThreshold: 5 };
