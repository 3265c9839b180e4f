import { resolve } from 'node:path';

export interface DatabaseConfig {
  /** A PostgreSQL connection string; when absent the embedded PGlite database is used. */
  url?: string;
  /** PGlite data folder; 'memory' keeps the database in memory (tests). */
  dataDir: string;
}

export const defaultDataDir = resolve(process.cwd(), '.data', 'pglite');

/** Reads DATABASE_URL and VARIATION_ATLAS_DATA_DIR; an empty variable counts as unset. */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim() || undefined;
  if (url && !/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, got "${url.replace(/:[^:@/]*@/, ':***@')}"`);
  }
  return { url, dataDir: env.VARIATION_ATLAS_DATA_DIR?.trim() || defaultDataDir };
}
