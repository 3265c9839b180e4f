import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';

/** A saved peer group: providers an analyst chose, or the nearest neighbours of one, kept with how they were found. */
export const peerSets = pgTable(
  'peer_sets',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    description: text(),
    // Null for a hand-picked set; the nearest-neighbour search that found it otherwise (of, k, attributes, weights).
    definition: jsonb().$type<Record<string, unknown>>(),
    createdBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [unique('peer_sets_name_key').on(table.name)],
);

export const peerSetMembers = pgTable(
  'peer_set_members',
  {
    peerSetId: integer()
      .notNull()
      .references(() => peerSets.id, { onDelete: 'cascade' }),
    organisationId: integer()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
  },
  (table) => [primaryKey({ columns: [table.peerSetId, table.organisationId] }), index('peer_set_members_organisation_idx').on(table.organisationId)],
);
