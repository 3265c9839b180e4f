import { and, count, desc, eq, isNull } from 'drizzle-orm';
import { schema, type Database } from '../../../db';

const { alertSubscriptions, alertDigests, alertDeliveries, users } = schema;

/** A user's subscriptions, without their webhook secrets. */
export function subscriptionsOf(db: Database, userId: number) {
  return db
    .select({ id: alertSubscriptions.id, scope: alertSubscriptions.scope, code: alertSubscriptions.code, email: alertSubscriptions.email, webhookUrl: alertSubscriptions.webhookUrl, createdAt: alertSubscriptions.createdAt })
    .from(alertSubscriptions)
    .where(eq(alertSubscriptions.userId, userId))
    .orderBy(alertSubscriptions.id);
}

export async function emailOf(db: Database, userId: number): Promise<string | null> {
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return user?.email ?? null;
}

export function inboxOf(db: Database, userId: number, limit: number) {
  return db
    .select({ id: alertDigests.id, eventId: alertDigests.eventId, correction: alertDigests.correction, title: alertDigests.title, content: alertDigests.content, createdAt: alertDigests.createdAt, readAt: alertDigests.readAt })
    .from(alertDigests)
    .where(eq(alertDigests.userId, userId))
    .orderBy(desc(alertDigests.createdAt), desc(alertDigests.id))
    .limit(limit);
}

export async function unreadCount(db: Database, userId: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(alertDigests).where(and(eq(alertDigests.userId, userId), isNull(alertDigests.readAt)));
  return Number(row.n);
}

/** The deliveries of a user's digests (every user's for an admin), newest first, with their attempt logs. */
export function deliveriesOf(db: Database, userId: number | null, limit: number) {
  return db
    .select({
      id: alertDeliveries.id,
      digestId: alertDeliveries.digestId,
      subscriptionId: alertDeliveries.subscriptionId,
      channel: alertDeliveries.channel,
      target: alertDeliveries.target,
      status: alertDeliveries.status,
      createdAt: alertDeliveries.createdAt,
      deliveredAt: alertDeliveries.deliveredAt,
      nextAttemptAt: alertDeliveries.nextAttemptAt,
      attempts: alertDeliveries.attempts,
    })
    .from(alertDeliveries)
    .innerJoin(alertDigests, eq(alertDigests.id, alertDeliveries.digestId))
    .where(userId === null ? undefined : eq(alertDigests.userId, userId))
    .orderBy(desc(alertDeliveries.id))
    .limit(limit);
}
