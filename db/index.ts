export { connectTimeoutSeconds, createDatabase, type DatabaseHandle } from './client';
export { databaseConfigFromEnv, defaultDataDir, type DatabaseConfig } from './config';
export { DatabaseLockedError } from './lock';
export { migrateDatabase, migrationsFolder } from './migrate';
export { queryRows } from './raw';
export type { Database, DatabaseKind } from './types';
export * as schema from './schema';
export { withTransaction, type BuiltQuery, type TransactionSession } from './transaction';
