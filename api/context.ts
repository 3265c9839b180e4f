import type { Database, DatabaseKind } from '../db';
import type { Identity } from './auth/identity';

export interface ApiConfig {
  /** Counts from 1 to this − 1 are withheld from every output; 0 switches suppression off. */
  suppressionThreshold: number;
  /** local: anonymous requests read the public networks (the embedded demo); token: every request needs a token. */
  auth: 'local' | 'token';
}

/** What every route handler is given: injected, never imported as a singleton. */
export interface AppDependencies {
  db: Database;
  databaseKind: DatabaseKind;
  config?: Partial<ApiConfig>;
}

export interface AppEnv {
  Variables: { deps: AppDependencies & { config: ApiConfig }; identity: Identity };
}

export const defaultApiConfig: ApiConfig = { suppressionThreshold: 5, auth: 'local' };
