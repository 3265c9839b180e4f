import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { schema, type Database } from '../../db';
import { alertMailConfig } from './alert-config';
import { changeSentence, digestChance, type ChangeItem } from './change-sentence';
import type { LocatedChange } from './record-changes';
import type { SliceVerdicts } from './verdict-snapshot';

export interface RecordedEvent {
  id: number;
  occurredAt: Date;
  batchId: number;
  kind: 'load' | 'rollback';
  actor: string;
}

type Subscription = typeof schema.alertSubscriptions.$inferSelect;

/** What a webhook is given and the inbox keeps: the changes with their sentences and the chance context, never a figure. */
export interface DigestContent {
  [key: string]: unknown;
  event: { id: number; kind: 'load' | 'rollback'; batchId: number; occurredAt: string };
  correction: boolean;
  title: string;
  changes: (ChangeItem & { sentence: string })[];
  chance: ReturnType<typeof digestChance>;
  subscriptions: { id: number; scope: string; code: string }[];
}

/** A random per-subscription key for the webhook's HMAC-SHA256 signature. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('hex')}`;

/**
 * Queues, in the load's transaction, one digest per subscriber whose subscriptions any change concerns (a
 * provider by code, an indicator by code, a network by its members on the last day of the change's period,
 * and only while the subscriber may see that network), as an inbox entry; one e-mail per subscriber when any of
 * their subscriptions asks for it, SMTP is configured and they have an address; and one webhook per
 * subscription with a URL, carrying the changes that concern it. A rollback's digests are corrections.
 */
export async function queueDigests(db: Database, event: RecordedEvent, changes: readonly LocatedChange[], slices: readonly SliceVerdicts[]): Promise<number> {
  if (changes.length === 0) return 0;
  const subscriptions = await db.select().from(schema.alertSubscriptions);
  if (subscriptions.length === 0) return 0;
  const concerns = await subscriptionMatcher(db, subscriptions, changes);
  const mail = alertMailConfig();
  const users = await db.select({ id: schema.users.id, email: schema.users.email }).from(schema.users).where(inArray(schema.users.id, [...new Set(subscriptions.map((one) => one.userId))]));
  const sliceChance = new Map(slices.map((slice) => [`${slice.indicator.code}|${slice.period.label}`, slice.chance]));
  let digests = 0;
  for (const user of users) {
    const own = subscriptions.filter((one) => one.userId === user.id);
    const matched = changes.filter((change) => own.some((subscription) => concerns(subscription, change)));
    if (matched.length === 0) continue;
    const content = digestContent(event, matched, own.filter((subscription) => matched.some((change) => concerns(subscription, change))), sliceChance);
    const [digest] = await db.insert(schema.alertDigests).values({ userId: user.id, eventId: event.id, correction: content.correction, title: content.title, content }).returning({ id: schema.alertDigests.id });
    digests++;
    if (mail && user.email && own.some((subscription) => subscription.email)) {
      await db.insert(schema.alertDeliveries).values({ digestId: digest.id, channel: 'email', target: user.email, payload: JSON.stringify({ subject: content.title, text: digestText(content) }) });
    }
    for (const subscription of own) {
      if (!subscription.webhookUrl) continue;
      const its = matched.filter((change) => concerns(subscription, change));
      if (its.length === 0) continue;
      const body = digestContent(event, its, [subscription], sliceChance);
      await db.insert(schema.alertDeliveries).values({ digestId: digest.id, subscriptionId: subscription.id, channel: 'webhook', target: subscription.webhookUrl, payload: JSON.stringify(body) });
    }
  }
  return digests;
}

function digestContent(event: RecordedEvent, changes: readonly LocatedChange[], subscriptions: readonly Subscription[], sliceChance: ReadonlyMap<string, { judged: number; beyond998: number }>): DigestContent {
  const correction = event.kind === 'rollback';
  const measures = [...new Set(changes.map((change) => `${change.item.indicator.code}|${change.item.period}`))];
  const counts = measures.map((key) => sliceChance.get(key) ?? { judged: 0, beyond998: 0 });
  const what = `${changes.length} verdict${changes.length === 1 ? '' : 's'}`;
  return {
    event: { id: event.id, kind: event.kind, batchId: event.batchId, occurredAt: event.occurredAt.toISOString() },
    correction,
    title: correction ? `Correction: load ${event.batchId} was rolled back; ${what} changed back` : `Load ${event.batchId}: ${what} changed`,
    changes: changes.map(({ item }) => ({ ...item, sentence: changeSentence(item) })),
    chance: digestChance(
      measures.length,
      sliceChance.size,
      counts.reduce((sum, one) => sum + one.judged, 0),
      counts.reduce((sum, one) => sum + one.beyond998, 0),
    ),
    subscriptions: subscriptions.map((one) => ({ id: one.id, scope: one.scope, code: one.code })),
  };
}

/** The e-mail's plain text: the title, each change in a sentence, and the chance context. */
export function digestText(content: DigestContent): string {
  return [content.title, '', ...content.changes.map((change) => `- ${change.sentence}`), '', content.chance.sentence, '', 'Figures withheld by disclosure control are not judged and not shown.'].join('\n');
}

/**
 * Whether a subscription concerns a change. Network subscriptions follow the dated memberships on the change's
 * period end, and count only while the subscriber may see the network (admins, or a grant for a restricted one).
 */
async function subscriptionMatcher(db: Database, subscriptions: readonly Subscription[], changes: readonly LocatedChange[]) {
  const networkCodes = [...new Set(subscriptions.filter((one) => one.scope === 'network').map((one) => one.code))];
  const networks = networkCodes.length ? await db.select().from(schema.networks).where(inArray(schema.networks.code, networkCodes)) : [];
  const networkByCode = new Map(networks.map((network) => [network.code, network]));
  const memberships = networks.length
    ? await db
        .select({ networkId: schema.networkMemberships.networkId, code: schema.organisations.code, validFrom: schema.networkMemberships.validFrom, validTo: schema.networkMemberships.validTo })
        .from(schema.networkMemberships)
        .innerJoin(schema.organisations, eq(schema.organisations.id, schema.networkMemberships.organisationId))
        .where(and(inArray(schema.networkMemberships.networkId, networks.map((network) => network.id)), inArray(schema.organisations.code, [...new Set(changes.map((change) => change.item.organisation.code))])))
    : [];
  const userIds = [...new Set(subscriptions.map((one) => one.userId))];
  const users = await db.select({ id: schema.users.id, role: schema.users.role }).from(schema.users).where(inArray(schema.users.id, userIds));
  const grants = await db.select().from(schema.userNetworks).where(inArray(schema.userNetworks.userId, userIds));
  const admin = new Set(users.filter((user) => user.role === 'admin').map((user) => user.id));
  const granted = new Set(grants.map((grant) => `${grant.userId}|${grant.networkId}`));
  return (subscription: Subscription, change: LocatedChange): boolean => {
    if (subscription.scope === 'provider') return subscription.code === change.item.organisation.code;
    if (subscription.scope === 'indicator') return subscription.code === change.item.indicator.code;
    const network = networkByCode.get(subscription.code);
    if (!network) return false;
    if (network.restricted && !admin.has(subscription.userId) && !granted.has(`${subscription.userId}|${network.id}`)) return false;
    return memberships.some(
      (membership) => membership.networkId === network.id && membership.code === change.item.organisation.code && membership.validFrom <= change.periodEnd && (membership.validTo === null || membership.validTo > change.periodEnd),
    );
  };
}
