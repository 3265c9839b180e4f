import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { indicators } from './indicators';
import { networks } from './networks';
import { organisations } from './organisations';
import { periods } from './periods';
import { users } from './users';

/**
 * A finding (a network's provider × indicator × period) opened as an outlier case, worked through the stages of the
 * case policy (api/cases/case-policy.ts). No figure is stored: the finding's numbers are read live through the
 * suppression path, so a case never keeps a count that a revision or the threshold later withholds.
 */
export const outlierCases = pgTable(
  'outlier_cases',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    networkId: integer()
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    indicatorId: integer()
      .notNull()
      .references(() => indicators.id, { onDelete: 'cascade' }),
    organisationId: integer()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    periodId: integer()
      .notNull()
      .references(() => periods.id, { onDelete: 'cascade' }),
    /** A stage id of the policy in force. */
    stage: text().notNull(),
    /** When the current stage is due; null in a final stage. */
    dueOn: date({ mode: 'string' }),
    /** The owner's name as shown: the owner user's display name (else subject) when they were chosen. */
    owner: text().notNull(),
    /** The owner as a user, chosen among those who may see the network; null for an owner named only in text. */
    ownerUserId: integer().references(() => users.id, { onDelete: 'set null' }),
    openedBy: text().notNull(),
    openedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    stageEnteredAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Set when the case reaches a final stage. */
    closedAt: timestamp({ withTimezone: true, mode: 'date' }),
  },
  (table) => [
    // One open case per finding; a closed one may be followed by another.
    uniqueIndex('outlier_cases_open_finding_key').on(table.networkId, table.indicatorId, table.organisationId, table.periodId).where(sql`${table.closedAt} is null`),
    index('outlier_cases_network_idx').on(table.networkId, table.dueOn),
    index('outlier_cases_organisation_idx').on(table.organisationId),
    index('outlier_cases_owner_user_idx').on(table.ownerUserId),
    check('outlier_cases_owner_not_blank', sql`length(trim(${table.owner})) > 0`),
  ],
);

/** What happened to a case, oldest first: opened, a stage change, the owner changed, a note or a piece of evidence. */
export const outlierCaseEvents = pgTable(
  'outlier_case_events',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    caseId: integer()
      .notNull()
      .references(() => outlierCases.id, { onDelete: 'cascade' }),
    occurredAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actor: text().notNull(),
    userId: integer().references(() => users.id, { onDelete: 'set null' }),
    kind: text({ enum: ['opened', 'stage', 'owner', 'note', 'evidence'] }).notNull(),
    fromStage: text(),
    toStage: text(),
    text: text(),
    /** Evidence: a link to a document held elsewhere (http or https). */
    link: text(),
  },
  (table) => [index('outlier_case_events_case_idx').on(table.caseId, table.occurredAt)],
);
