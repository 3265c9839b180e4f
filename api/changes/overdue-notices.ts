import { and, eq, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import { schema, type Database } from '../../db';
import { stageOf, type CasePolicy } from '../cases/case-policy';
import { todayInEngland } from '../routes/cases/cases.queries';
import { alertMailConfig } from './alert-config';

const { outlierCases, outlierCaseOverdueNotices, networks, indicators, organisations, periods, alertSubscriptions, alertDigests, alertDeliveries, users, userNetworks } = schema;

type Subscription = typeof alertSubscriptions.$inferSelect;

/** What an overdue notice says (the inbox entry, the webhook body, the e-mail's source): names and dates, never a figure. */
export interface OverdueNoticeContent {
  [key: string]: unknown;
  kind: 'case_overdue';
  title: string;
  sentence: string;
  case: {
    id: number;
    network: { code: string; name: string };
    organisation: { code: string; name: string };
    indicator: { code: string; name: string };
    period: string;
    stage: { id: string; label: string };
    dueOn: string;
    daysOverdue: number;
    owner: string;
  };
  subscriptions: { id: number; scope: string; code: string }[];
}

/** Calendar days from an ISO date to a later one. */
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * Tells the people concerned, once, that an open case's stage went past its due date without a move: each
 * subscriber whose subscription names the case's provider, indicator or network, and the case's owner when the
 * owner is a user (the case's owner user id), in both cases only while they may see the case's network (a
 * restricted one needs a grant or the admin role). Each gets one inbox entry, an e-mail when SMTP is configured
 * and they have an address (a subscriber when a concerned subscription asks for e-mail), and each concerned
 * subscription with a webhook one signed POST, all through the alert outbox. The notice row's unique
 * (case, stage) key is claimed first in the same transaction, so a second check, or another replica's, sends
 * nothing; a later stage that also goes overdue is a new key. Resolves with the number of notices made.
 */
export async function noticeOverdueCases(db: Database, policy: CasePolicy, now: Date): Promise<number> {
  const today = todayInEngland(now);
  const overdue = await db
    .select({
      id: outlierCases.id,
      stage: outlierCases.stage,
      dueOn: outlierCases.dueOn,
      owner: outlierCases.owner,
      ownerUserId: outlierCases.ownerUserId,
      networkId: networks.id,
      networkCode: networks.code,
      networkName: networks.name,
      restricted: networks.restricted,
      indicatorCode: indicators.code,
      indicatorName: indicators.name,
      organisationCode: organisations.code,
      organisationName: organisations.name,
      periodLabel: periods.label,
    })
    .from(outlierCases)
    .innerJoin(networks, eq(networks.id, outlierCases.networkId))
    .innerJoin(indicators, eq(indicators.id, outlierCases.indicatorId))
    .innerJoin(organisations, eq(organisations.id, outlierCases.organisationId))
    .innerJoin(periods, eq(periods.id, outlierCases.periodId))
    .leftJoin(outlierCaseOverdueNotices, and(eq(outlierCaseOverdueNotices.caseId, outlierCases.id), eq(outlierCaseOverdueNotices.stage, outlierCases.stage)))
    .where(and(isNull(outlierCases.closedAt), isNotNull(outlierCases.dueOn), lt(outlierCases.dueOn, today), isNull(outlierCaseOverdueNotices.id)))
    .orderBy(outlierCases.id);
  if (overdue.length === 0) return 0;
  const subscriptions = await db.select().from(alertSubscriptions);
  const people = await db.select({ id: users.id, role: users.role, email: users.email, subject: users.subject, displayName: users.displayName }).from(users);
  const grants = await db
    .select()
    .from(userNetworks)
    .where(inArray(userNetworks.networkId, [...new Set(overdue.map((one) => one.networkId))]));
  const granted = new Set(grants.map((grant) => `${grant.userId}|${grant.networkId}`));
  const mail = alertMailConfig();
  let made = 0;
  for (const found of overdue) {
    // Not null: the query keeps only cases with a due date.
    const dueOn = found.dueOn!;
    const maySee = (person: (typeof people)[number]) => !found.restricted || person.role === 'admin' || granted.has(`${person.id}|${found.networkId}`);
    const concerns = (subscription: Subscription) =>
      subscription.scope === 'provider' ? subscription.code === found.organisationCode : subscription.scope === 'indicator' ? subscription.code === found.indicatorCode : subscription.code === found.networkCode;
    const recipients = people.filter(maySee).flatMap((person) => {
      const own = subscriptions.filter((subscription) => subscription.userId === person.id && concerns(subscription));
      const owner = found.ownerUserId !== null && person.id === found.ownerUserId;
      return own.length > 0 || owner ? [{ person, own, owner }] : [];
    });
    const stage = stageOf(policy, found.stage);
    const daysOverdue = daysBetween(dueOn, today);
    made += await db.transaction(async (tx) => {
      const [notice] = await tx.insert(outlierCaseOverdueNotices).values({ caseId: found.id, stage: found.stage, dueOn }).onConflictDoNothing().returning({ id: outlierCaseOverdueNotices.id });
      // Another check (in this process or a replica) got there first.
      if (!notice) return 0;
      for (const { person, own, owner } of recipients) {
        const content = noticeContent(found, stage?.label ?? found.stage, dueOn, daysOverdue, own);
        const [digest] = await tx.insert(alertDigests).values({ userId: person.id, overdueNoticeId: notice.id, correction: false, title: content.title, content }).returning({ id: alertDigests.id });
        if (mail && person.email && (owner || own.some((subscription) => subscription.email))) {
          await tx.insert(alertDeliveries).values({ digestId: digest.id, channel: 'email', target: person.email, payload: JSON.stringify({ subject: content.title, text: noticeText(content) }) });
        }
        for (const subscription of own) {
          if (!subscription.webhookUrl) continue;
          const body = noticeContent(found, stage?.label ?? found.stage, dueOn, daysOverdue, [subscription]);
          await tx.insert(alertDeliveries).values({ digestId: digest.id, subscriptionId: subscription.id, channel: 'webhook', target: subscription.webhookUrl, payload: JSON.stringify(body) });
        }
      }
      return 1;
    });
  }
  return made;
}

interface OverdueCase {
  id: number;
  owner: string;
  networkCode: string;
  networkName: string;
  indicatorCode: string;
  indicatorName: string;
  organisationCode: string;
  organisationName: string;
  periodLabel: string;
  stage: string;
}

function noticeContent(found: OverdueCase, stageLabel: string, dueOn: string, daysOverdue: number, subscriptions: readonly Subscription[]): OverdueNoticeContent {
  const days = `${daysOverdue} day${daysOverdue === 1 ? '' : 's'}`;
  return {
    kind: 'case_overdue',
    title: `Case ${found.id} overdue: ${found.organisationName} (${found.organisationCode}), ${stageLabel}`,
    sentence: `Case ${found.id}, ${found.organisationName} (${found.organisationCode}) on ${found.indicatorName} in ${found.periodLabel} (${found.networkName}), has been at "${stageLabel}" past its due date of ${dueOn}: ${days} overdue. Owner: ${found.owner}.`,
    case: {
      id: found.id,
      network: { code: found.networkCode, name: found.networkName },
      organisation: { code: found.organisationCode, name: found.organisationName },
      indicator: { code: found.indicatorCode, name: found.indicatorName },
      period: found.periodLabel,
      stage: { id: found.stage, label: stageLabel },
      dueOn,
      daysOverdue,
      owner: found.owner,
    },
    subscriptions: subscriptions.map((one) => ({ id: one.id, scope: one.scope, code: one.code })),
  };
}

/** The e-mail's plain text: the title and the sentence; the case's figures are read in the product, where disclosure control applies. */
export function noticeText(content: OverdueNoticeContent): string {
  return [content.title, '', content.sentence, '', "The finding's figures are not sent: open the case to see them as they may be shown."].join('\n');
}
