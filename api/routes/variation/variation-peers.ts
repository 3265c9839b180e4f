import type { Database } from '../../../db';
import { funnelMethodSensitivity } from '../../analysis/method-sensitivity';
import { networkChance, persistenceChance } from '../../analysis/network-chance';
import { minimumPeers } from '../../analysis/peer-benchmark';
import { isOutlier, providerPeerFunnel } from '../../analysis/peer-funnel';
import { methodSensitiveMembers, persistentOutliers, rankFindings, variationFindings, type MethodSensitiveMember, type PersistentOutlier, type VariationFinding, type WindowPeriod } from '../../analysis/variation-findings';
import { ApiError } from '../../errors';
import { networkMemberCodes } from '../../queries/catalogue.queries';
import { periodObservations } from '../../queries/observations.queries';
import { indicatorsReportedBy, periodsUpTo } from '../../queries/peer-funnels.queries';
import { periodTarget } from '../../queries/targets.queries';
import { conventionSummary, funnelOptions, indicatorSummary, periodSummary, viewMethodSummary } from '../funnel-views';
import { memberPeerGroups, type MemberPeersRequest } from './member-peer-groups';

type FinderQuery = Parameters<typeof funnelOptions>[0] & Parameters<typeof viewMethodSummary>[0] & { period?: string; recent: number };

/**
 * The variation finder with each member judged against its own peer group (`providerPeerFunnel`: the funnel of
 * the group and the member, centred on the published peers' pooled value, overdispersion estimated over the
 * group), a saved set or its own nearest neighbours. Findings, persistence and method sensitivity are the
 * all-provider finder's, read from each member's own window of peer funnels, and their sentences name the group.
 * The chance context counts the judgements actually made: a member with no peer benchmark in a period (fewer
 * than three published peers, or no attributes to find them by) is not judged there, and is listed with the reason.
 */
export async function peerFindings(db: Database, network: { id: number; code: string; name: string; kind: string }, query: FinderQuery, request: MemberPeersRequest, k: number | null, threshold: number) {
  const groups = await memberPeerGroups(db, request);
  const indicators = [];
  for (const indicator of await indicatorsReportedBy(db, { networkId: network.id })) {
    const periods = await periodsUpTo(db, indicator.id, query.period);
    if (!periods) continue;
    const options = funnelOptions(query, indicator);
    const window = periods.slice(-query.recent);
    const rows = await Promise.all(window.map((period) => periodObservations(db, indicator, period, threshold)));
    const latest = window.at(-1)!;
    const members = await networkMemberCodes(db, network.id, latest.endDate);
    const reporting = rows.at(-1)!.filter((row) => members.has(row.organisationCode));
    if (reporting.length === 0) continue;
    const findings: VariationFinding[] = [];
    const persistent: PersistentOutlier[] = [];
    const methodSensitive: MethodSensitiveMember[] = [];
    const judged: string[] = [];
    const flagged: string[] = [];
    const notJudged: { organisation: { code: string; name: string }; reason: string }[] = [];
    let persistenceJudged = 0;
    for (const member of reporting) {
      // A withheld member is judged against nothing, as on the funnel of all providers.
      if (member.suppressed) continue;
      const organisation = { code: member.organisationCode, name: member.organisationName };
      const group = await groups.groupOf(member.organisationCode);
      if ('reason' in group) {
        notJudged.push({ organisation, reason: group.reason });
        continue;
      }
      const memberWindow: WindowPeriod[] = window.map((period, i) => ({
        period: { label: period.label, granularity: period.granularity },
        peer: providerPeerFunnel(indicator, rows[i], { codes: group.codes, of: member.organisationCode }, options),
      }));
      const now = memberWindow.at(-1)!;
      const provider = now.peer.available ? now.peer.providers.get(member.organisationCode) : undefined;
      if (!now.peer.available || provider?.band == null) {
        notJudged.push({ organisation, reason: now.peer.available ? 'it has no figure the funnel can judge' : now.peer.reason });
        continue;
      }
      judged.push(member.organisationCode);
      if (isOutlier(provider)) flagged.push(member.organisationCode);
      const only = new Set([member.organisationCode]);
      const sensitivity = funnelMethodSensitivity(indicator, now.peer.funnel);
      findings.push(...variationFindings(indicator, memberWindow, only, sensitivity, group.words).map((finding) => ({ ...finding, peerGroup: group.words })));
      if (k !== null) {
        persistent.push(...persistentOutliers(indicator, memberWindow, only, k, group.words));
        const lastK = memberWindow.length < k ? [] : memberWindow.slice(-k);
        if (lastK.length > 0 && lastK.every(({ peer }) => peer.available && peer.providers.get(member.organisationCode)?.judgement != null)) persistenceJudged++;
      }
      methodSensitive.push(...methodSensitiveMembers(indicator, now, only, sensitivity));
    }
    indicators.push({ indicator, period: latest, options, target: await periodTarget(db, indicator, latest), findings, persistent, methodSensitive, judged, flagged, notJudged, persistenceJudged });
  }
  if (indicators.length === 0 && query.period !== undefined) {
    throw new ApiError(404, 'not_found', `No member of ${network.code} has observations for period "${query.period}"`, 'period');
  }
  return {
    network: { code: network.code, name: network.name, kind: network.kind },
    period: query.period ?? null,
    recent: query.recent,
    persistence: k,
    method: viewMethodSummary(query, threshold),
    benchmark: { kind: 'peers' as const, peers: groups.description, minimum: minimumPeers },
    findings: rankFindings(indicators.flatMap(({ findings }) => findings)),
    // Over the judgements made: each member against its own peers, where they could make a benchmark.
    chance: networkChance(indicators.map(({ judged, flagged }) => ({ judged, flagged })), 0.998),
    persistent: rankFindings(indicators.flatMap(({ persistent }) => persistent)),
    persistentChance:
      k === null ? null : persistenceChance(indicators.reduce((sum, { persistenceJudged }) => sum + persistenceJudged, 0), indicators.reduce((sum, { persistent }) => sum + persistent.length, 0), k),
    methodSensitive: rankFindings(indicators.flatMap(({ methodSensitive }) => methodSensitive)),
    notJudged: indicators.flatMap(({ indicator, notJudged }) => notJudged.map((one) => ({ indicator: indicator.code, ...one }))),
    indicators: indicators.map(({ indicator, period, options, target, findings, persistent, methodSensitive, judged, notJudged }) => ({
      ...indicatorSummary(indicator, target),
      period: periodSummary(period),
      method: conventionSummary(options),
      // No one funnel: each member has its own, against its own peers.
      funnel:
        judged.length > 0
          ? { available: true as const, benchmark: 'peers' as const, judged: judged.length, notJudged: notJudged.length }
          : { available: false as const, reason: notJudged[0]?.reason ?? 'no member could be judged against its peers' },
      findings: findings.length,
      persistent: persistent.length,
      methodSensitive: methodSensitive.length,
    })),
  };
}
