import { check, date, index, integer, pgTable, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { networks } from './networks';
import { organisations } from './organisations';

/**
 * Dated membership of an organisation in a network. A provider may sit in several networks at once and
 * move between them; validTo is exclusive and null while the membership is current.
 */
export const networkMemberships = pgTable(
  'network_memberships',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    networkId: integer()
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    organisationId: integer()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    validFrom: date({ mode: 'string' }).notNull(),
    validTo: date({ mode: 'string' }),
  },
  (table) => [
    unique('network_memberships_network_organisation_from_key').on(table.networkId, table.organisationId, table.validFrom),
    index('network_memberships_organisation_idx').on(table.organisationId),
    check('network_memberships_valid_range', sql`${table.validTo} is null or ${table.validTo} > ${table.validFrom}`),
  ],
);
