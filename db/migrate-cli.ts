import { createDatabase, databaseConfigFromEnv, migrateDatabase } from './index';

/** `npm run db:migrate`: applies the committed migrations to the configured database. */
const handle = await createDatabase(databaseConfigFromEnv());
try {
  await migrateDatabase(handle);
  console.log(`migrations applied (${handle.kind})`);
} finally {
  await handle.close();
}
