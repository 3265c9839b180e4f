import { count } from 'drizzle-orm';
import { schema, type Database } from '../../../db';

/** Row counts of the core tables: enough to tell an empty database from a loaded one. */
export async function tableCounts(db: Database) {
  const [indicators, organisations, networks, observations] = await Promise.all([
    db.select({ n: count() }).from(schema.indicators),
    db.select({ n: count() }).from(schema.organisations),
    db.select({ n: count() }).from(schema.networks),
    db.select({ n: count() }).from(schema.observations),
  ]);
  return {
    indicators: indicators[0].n,
    organisations: organisations[0].n,
    networks: networks[0].n,
    observations: observations[0].n,
  };
}
