import { createDatabase, DatabaseLockedError, databaseConfigFromEnv, migrateDatabase } from './index';

/** `npm run db:migrate`: applies the committed migrations to the configured database. */
const handle = await createDatabase(databaseConfigFromEnv()).catch((error: unknown) => {
  if (!(error instanceof DatabaseLockedError)) throw error;
  console.error(error.message);
  process.exit(1);
});
try {
  await migrateDatabase(handle);
  console.log(`migrations applied (${handle.kind})`);
} finally {
  await handle.close();
}
