import { index, integer, pgTable, primaryKey } from 'drizzle-orm/pg-core';
import { networks } from './networks';
import { users } from './users';

/** The restricted networks a user may see (admins see every network without a row here). */
export const userNetworks = pgTable(
  'user_networks',
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    networkId: integer()
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ name: 'user_networks_pkey', columns: [table.userId, table.networkId] }),
    index('user_networks_network_idx').on(table.networkId),
  ],
);
