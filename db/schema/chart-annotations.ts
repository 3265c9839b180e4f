import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { indicators } from './indicators';
import { networks } from './networks';
import { organisations } from './organisations';
import { periods } from './periods';
import { users } from './users';

/**
 * A dated note on a provider's chart of one indicator ("new pathway", "data-quality issue"), drawn at its period
 * on the SPC chart or the funnel-position chart. It is written for a network, and seen only by those who may see
 * that network, so a restricted network's notes stay restricted.
 */
export const chartAnnotations = pgTable(
  'chart_annotations',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    networkId: integer()
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    organisationId: integer()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    indicatorId: integer()
      .notNull()
      .references(() => indicators.id, { onDelete: 'cascade' }),
    periodId: integer()
      .notNull()
      .references(() => periods.id, { onDelete: 'cascade' }),
    chart: text({ enum: ['spc', 'funnel_position'] }).notNull(),
    text: text().notNull(),
    author: text().notNull(),
    authorUserId: integer().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('chart_annotations_provider_idx').on(table.organisationId, table.indicatorId),
    check('chart_annotations_text_not_blank', sql`length(trim(${table.text})) > 0`),
  ],
);

/** A network lead's commentary on one indicator in one period, for the dashboard and the board pack. */
export const networkCommentaries = pgTable(
  'network_commentaries',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    networkId: integer()
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    indicatorId: integer()
      .notNull()
      .references(() => indicators.id, { onDelete: 'cascade' }),
    periodId: integer()
      .notNull()
      .references(() => periods.id, { onDelete: 'cascade' }),
    text: text().notNull(),
    author: text().notNull(),
    authorUserId: integer().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    unique('network_commentaries_key').on(table.networkId, table.indicatorId, table.periodId),
    check('network_commentaries_text_not_blank', sql`length(trim(${table.text})) > 0`),
  ],
);
