import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { schema, type Database } from '../../../db';
import { recordAudit } from '../../auth/audit.queries';
import type { Identity } from '../../auth/identity';
import { ApiError } from '../../errors';
import { visibleNetworks } from '../../queries/catalogue.queries';

const { chartAnnotations, networkCommentaries, networks, indicators, organisations, periods } = schema;

export interface AnnotationFilter {
  networkId?: number;
  organisationCode?: string;
  indicatorCodes?: readonly string[];
  chart?: 'spc' | 'funnel_position';
}

/** The chart notes of the networks the identity may see, by period then when written. */
export function listAnnotations(db: Database, identity: Identity, filter: AnnotationFilter) {
  return db
    .select({
      id: chartAnnotations.id,
      networkCode: networks.code,
      networkName: networks.name,
      organisationCode: organisations.code,
      organisationName: organisations.name,
      indicatorCode: indicators.code,
      indicatorName: indicators.name,
      period: periods.label,
      chart: chartAnnotations.chart,
      text: chartAnnotations.text,
      author: chartAnnotations.author,
      createdAt: chartAnnotations.createdAt,
    })
    .from(chartAnnotations)
    .innerJoin(networks, eq(networks.id, chartAnnotations.networkId))
    .innerJoin(organisations, eq(organisations.id, chartAnnotations.organisationId))
    .innerJoin(indicators, eq(indicators.id, chartAnnotations.indicatorId))
    .innerJoin(periods, eq(periods.id, chartAnnotations.periodId))
    .where(
      and(
        visibleNetworks(identity),
        filter.networkId === undefined ? undefined : eq(chartAnnotations.networkId, filter.networkId),
        filter.organisationCode === undefined ? undefined : eq(organisations.code, filter.organisationCode),
        filter.indicatorCodes === undefined ? undefined : inArray(indicators.code, [...filter.indicatorCodes]),
        filter.chart === undefined ? undefined : eq(chartAnnotations.chart, filter.chart),
      ),
    )
    .orderBy(asc(periods.startDate), asc(chartAnnotations.createdAt), asc(chartAnnotations.id));
}

export async function addAnnotation(
  db: Database,
  identity: Identity,
  note: { networkId: number; networkCode: string; organisation: { id: number; code: string }; indicator: { id: number; code: string }; period: { id: number; label: string }; chart: 'spc' | 'funnel_position'; text: string; author: string; authorUserId: number | null },
) {
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(chartAnnotations)
      .values({ networkId: note.networkId, organisationId: note.organisation.id, indicatorId: note.indicator.id, periodId: note.period.id, chart: note.chart, text: note.text, author: note.author, authorUserId: note.authorUserId })
      .returning({ id: chartAnnotations.id });
    await recordAudit(tx, identity, {
      action: 'annotation_added',
      details: { annotationId: created.id, network: note.networkCode, organisation: note.organisation.code, indicator: note.indicator.code, period: note.period.label, chart: note.chart },
    });
    return created.id;
  });
}

/** Removes a note the identity may see: its author or an admin; anyone else is refused. */
export async function removeAnnotation(db: Database, identity: Exclude<Identity, { kind: 'local' }>, id: number) {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ id: chartAnnotations.id, authorUserId: chartAnnotations.authorUserId })
      .from(chartAnnotations)
      .innerJoin(networks, eq(networks.id, chartAnnotations.networkId))
      .where(and(eq(chartAnnotations.id, id), visibleNetworks(identity)));
    if (!found) throw new ApiError(404, 'not_found', `No note with id ${id}`, 'id');
    if (identity.role !== 'admin' && found.authorUserId !== identity.userId) throw new ApiError(403, 'forbidden', 'Only the note’s author or an admin may remove it');
    await tx.delete(chartAnnotations).where(eq(chartAnnotations.id, id));
    await recordAudit(tx, identity, { action: 'annotation_removed', details: { annotationId: id } });
  });
}

export function listCommentary(db: Database, identity: Identity, filter: { networkId?: number; indicatorCodes?: readonly string[]; period?: string }) {
  const conditions: (SQL | undefined)[] = [
    visibleNetworks(identity),
    filter.networkId === undefined ? undefined : eq(networkCommentaries.networkId, filter.networkId),
    filter.indicatorCodes === undefined ? undefined : inArray(indicators.code, [...filter.indicatorCodes]),
    filter.period === undefined ? undefined : eq(periods.label, filter.period),
  ];
  return db
    .select({
      id: networkCommentaries.id,
      networkCode: networks.code,
      networkName: networks.name,
      indicatorCode: indicators.code,
      indicatorName: indicators.name,
      period: periods.label,
      text: networkCommentaries.text,
      author: networkCommentaries.author,
      updatedAt: networkCommentaries.updatedAt,
    })
    .from(networkCommentaries)
    .innerJoin(networks, eq(networks.id, networkCommentaries.networkId))
    .innerJoin(indicators, eq(indicators.id, networkCommentaries.indicatorId))
    .innerJoin(periods, eq(periods.id, networkCommentaries.periodId))
    .where(and(...conditions))
    .orderBy(asc(indicators.domain), asc(indicators.code), asc(periods.startDate));
}

/** Writes the lead's commentary on a network × indicator × period, replacing what was there, audited with what it replaced. */
export async function saveCommentary(
  db: Database,
  identity: Identity,
  entry: { networkId: number; networkCode: string; indicator: { id: number; code: string }; period: { id: number; label: string }; text: string; author: string; authorUserId: number | null },
) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ text: networkCommentaries.text })
      .from(networkCommentaries)
      .where(and(eq(networkCommentaries.networkId, entry.networkId), eq(networkCommentaries.indicatorId, entry.indicator.id), eq(networkCommentaries.periodId, entry.period.id)))
      .for('update');
    if (before?.text === entry.text) return false;
    const values = { networkId: entry.networkId, indicatorId: entry.indicator.id, periodId: entry.period.id, text: entry.text, author: entry.author, authorUserId: entry.authorUserId, updatedAt: new Date() };
    await tx
      .insert(networkCommentaries)
      .values(values)
      .onConflictDoUpdate({ target: [networkCommentaries.networkId, networkCommentaries.indicatorId, networkCommentaries.periodId], set: { text: values.text, author: values.author, authorUserId: values.authorUserId, updatedAt: values.updatedAt } });
    await recordAudit(tx, identity, {
      action: 'commentary_saved',
      details: { network: entry.networkCode, indicator: entry.indicator.code, period: entry.period.label, replaced: before !== undefined },
    });
    return true;
  });
}
