import { relations } from 'drizzle-orm';
import { indicators } from './indicators';
import { loadBatches } from './load-batches';
import { networkMemberships } from './network-memberships';
import { networks } from './networks';
import { observations } from './observations';
import { organisations } from './organisations';
import { periods } from './periods';

export const organisationsRelations = relations(organisations, ({ one, many }) => ({
  parent: one(organisations, { fields: [organisations.parentId], references: [organisations.id], relationName: 'parent' }),
  children: many(organisations, { relationName: 'parent' }),
  memberships: many(networkMemberships),
  observations: many(observations),
}));

export const networksRelations = relations(networks, ({ many }) => ({
  memberships: many(networkMemberships),
}));

export const networkMembershipsRelations = relations(networkMemberships, ({ one }) => ({
  network: one(networks, { fields: [networkMemberships.networkId], references: [networks.id] }),
  organisation: one(organisations, { fields: [networkMemberships.organisationId], references: [organisations.id] }),
}));

export const indicatorsRelations = relations(indicators, ({ many }) => ({
  observations: many(observations),
}));

export const periodsRelations = relations(periods, ({ many }) => ({
  observations: many(observations),
}));

export const observationsRelations = relations(observations, ({ one }) => ({
  indicator: one(indicators, { fields: [observations.indicatorId], references: [indicators.id] }),
  organisation: one(organisations, { fields: [observations.organisationId], references: [organisations.id] }),
  period: one(periods, { fields: [observations.periodId], references: [periods.id] }),
  loadBatch: one(loadBatches, { fields: [observations.loadBatchId], references: [loadBatches.id] }),
}));

export const loadBatchesRelations = relations(loadBatches, ({ one, many }) => ({
  supersededBy: one(loadBatches, { fields: [loadBatches.supersededById], references: [loadBatches.id] }),
  observations: many(observations),
}));
