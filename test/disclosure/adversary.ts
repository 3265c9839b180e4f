import { EquationBook, type GroupMember } from './equation-book';
import { invertPoisson, invertWilson } from './interval-inversion';
import { attackOutputs } from './adversary-outputs';

/** How the attacker reaches the API: a path and optional headers in, a response out (in process in the tests). */
export type Caller = (path: string, headers?: Record<string, string>) => Promise<Response>;

export interface IndicatorSeen {
  code: string;
  name: string;
  measureKind: string;
  multiplier: number;
  periods: { label: string; endDate: string }[];
}

/** One indicator-period funnel as the anonymous caller sees it. */
export interface FunnelSeen {
  indicator: IndicatorSeen;
  period: string;
  endDate: string;
  reporting: GroupMember[];
  suppressed: string[];
}

/** A mention of an organisation in chart or slide text, with the text around it, for the scorer to read. */
export interface TextMention {
  channel: string;
  organisation: string;
  indicators: string[];
  period: string;
  text: string;
}

/** Everything an attack gathered: the cells it found suppressed, its equations, and what was not refused. */
export interface AttackResult {
  book: EquationBook;
  requests: number;
  funnels: FunnelSeen[];
  mentions: TextMention[];
  /** Requests with a below-floor `suppression` by an anonymous caller or a viewer, and those answered 200, by route. */
  belowFloor: { asked: number; honoured: Record<string, number> };
  /** Answers that were server errors: an attack that only met 500s would prove nothing. */
  serverErrors: string[];
}

export interface AttackOptions {
  viewerToken: string;
  /** Board packs are slow to build: the attack asks for this many networks' packs. */
  packs: number;
  /** Server-rendered SVG charts to read, the indicator-periods with most suppressed cells first. */
  svgCharts: number;
  /** Funnels whose CSV exports (funnel, caterpillar) are read besides the funnel route's own CSV. */
  csvCharts: number;
  /** Providers whose profile and spine are read (a profile computes every indicator's funnel and chart). */
  profiles: number;
  /** Latest periods for which each network's rug, findings and tartan are read. */
  networkPeriods: number;
  /** Where to say how long each step took. */
  log?: (line: string) => void;
}

const countKinds = new Set(['proportion', 'crude_rate', 'indirectly_standardised_ratio']);

/** The session an attack runs in: the caller, the request count, what it has learnt so far. */
export class AttackSession {
  requests = 0;
  readonly serverErrors: string[] = [];
  readonly book = new EquationBook();
  readonly members = new Map<string, Set<string>>();
  networks: string[] = [];

  constructor(private readonly caller: Caller) {}

  async get(path: string, headers?: Record<string, string>): Promise<{ status: number; text: string }> {
    this.requests++;
    const response = await this.caller(path, headers);
    if (response.status >= 500) this.serverErrors.push(`${response.status} ${path}`);
    return { status: response.status, text: await response.text() };
  }

  async bytes(path: string): Promise<Uint8Array | null> {
    this.requests++;
    const response = await this.caller(path);
    if (response.status >= 500) this.serverErrors.push(`${response.status} ${path}`);
    return response.status === 200 ? new Uint8Array(await response.arrayBuffer()) : null;
  }

  async json(path: string): Promise<any> {
    const { status, text } = await this.get(path);
    return status === 200 ? JSON.parse(text) : null;
  }

  /** A network's members on a date, as /api/networks/{code}?date= lists them. */
  async membersOn(network: string, date: string): Promise<Set<string>> {
    const key = `${network}|${date}`;
    let members = this.members.get(key);
    if (!members) {
      const answer = await this.json(`/api/networks/${network}?date=${date}`);
      members = new Set<string>((answer?.members ?? []).map((member: { code: string }) => member.code));
      this.members.set(key, members);
    }
    return members;
  }

  /** The group of a funnel's reporting providers who are members of a network on the period's last day. */
  async networkGroup(funnel: FunnelSeen, network: string): Promise<GroupMember[]> {
    const members = await this.membersOn(network, funnel.endDate);
    return funnel.reporting.filter((member) => members.has(member.organisation));
  }
}

const query = (parameters: Record<string, string | number | undefined>) =>
  Object.entries(parameters)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&');

/** Every suppressed cell, found only from the funnels' answers, and what each funnel publishes. */
async function discover(session: AttackSession): Promise<FunnelSeen[]> {
  const funnels: FunnelSeen[] = [];
  for (const { code } of (await session.json('/api/indicators')).indicators) {
    const { indicator, periods } = await session.json(`/api/indicators/${code}`);
    const seen: IndicatorSeen = { ...indicator, periods };
    const answers = [];
    for (const period of periods) answers.push({ period, funnel: await session.json(`/api/funnel?${query({ indicator: code, period: period.label })}`) });
    const published = answers.flatMap(({ funnel }) => (funnel?.providers ?? []).filter((provider: any) => !provider.suppressed && provider.denominator !== null));
    const integerDenominator = published.length > 0 && published.every((provider: any) => Number.isInteger(provider.denominator));
    for (const { period, funnel } of answers) {
      if (!funnel) continue;
      const providers: any[] = funnel.providers;
      const denominators = providers.filter((provider) => provider.denominator !== null).map((provider) => provider.denominator as number).sort((a, b) => a - b);
      const scale = denominators[Math.floor(denominators.length / 2)] ?? 1;
      for (const provider of providers) {
        if (provider.suppressed) session.book.suppress(code, provider.code, period.label, { proportion: seen.measureKind === 'proportion', integerDenominator }, scale);
        else if (provider.numerator !== null && provider.denominator !== null) session.book.publish(code, provider.code, period.label, provider.numerator, provider.denominator);
      }
      const seenFunnel: FunnelSeen = {
        indicator: seen,
        period: period.label,
        endDate: period.endDate,
        reporting: providers.map((provider) => ({ indicator: code, period: period.label, organisation: provider.code })),
        suppressed: providers.filter((provider) => provider.suppressed).map((provider) => provider.code),
      };
      funnels.push(seenFunnel);
      // The funnel's benchmark pools every provider the funnel lists.
      if (countKinds.has(seen.measureKind) && funnel.target !== null) session.book.ratio('funnel', seenFunnel.reporting, funnel.target / seen.multiplier);
    }
  }
  return funnels;
}

/** A pooled value with its interval: inverted to the pooled counts when it can be, else a ratio equation. */
function pooledEquations(session: AttackSession, channel: string, indicator: IndicatorSeen, group: GroupMember[], pooled: any): void {
  if (!pooled || pooled.value === null || !countKinds.has(indicator.measureKind)) return;
  const { value, lower, upper, providers } = pooled;
  if (lower !== null && upper !== null) {
    if (indicator.measureKind === 'proportion') {
      const totals = invertWilson(value / indicator.multiplier, lower / indicator.multiplier, upper / indicator.multiplier);
      if (totals) return session.book.sums(channel, group, { count: totals.numerator, denominator: totals.denominator, providers });
    } else {
      const totals = invertPoisson(value, lower, upper, indicator.multiplier);
      if (totals) return session.book.sums(channel, group, { count: totals.count, denominator: totals.base, providers });
    }
  }
  session.book.ratio(channel, group, value / indicator.multiplier, providers);
}

/** Networks' pooled values (measures/network), each network that holds a suppressed cell, and all providers'. */
async function attackNetworkMeasures(session: AttackSession, funnels: FunnelSeen[]): Promise<void> {
  for (const funnel of funnels.filter((one) => one.suppressed.length > 0)) {
    let allDone = false;
    for (const network of session.networks) {
      const group = await session.networkGroup(funnel, network);
      if (!group.some((member) => funnel.suppressed.includes(member.organisation))) continue;
      const answer = await session.json(`/api/measures/network?${query({ indicator: funnel.indicator.code, network, period: funnel.period })}`);
      if (!answer) continue;
      pooledEquations(session, 'measures/network', funnel.indicator, group, answer.pooled);
      if (!allDone) pooledEquations(session, 'measures/network', funnel.indicator, funnel.reporting, answer.all);
      allDone = true;
    }
  }
}

/** Suppressed cells' own measures: their figures should be withheld; the benchmark pools all providers. */
async function attackMeasures(session: AttackSession, funnels: FunnelSeen[]): Promise<void> {
  // One suppressed cell per funnel, a different provider each period: every cell goes through the same code.
  for (const [index, funnel] of funnels.entries()) {
    const { indicator } = funnel;
    for (const organisation of funnel.suppressed.slice(index % Math.max(1, funnel.suppressed.length)).slice(0, 1)) {
      const answer = await session.json(`/api/measures?${query({ indicator: indicator.code, organisation, period: funnel.period })}`);
      if (!answer) continue;
      const ratio = indicator.measureKind === 'indirectly_standardised_ratio';
      const at = { indicator: indicator.code, organisation, period: funnel.period };
      session.book.disclosed('measures', at, {
        count: ratio ? answer.observed : answer.numerator,
        denominator: ratio ? answer.expected : answer.denominator,
        rate: answer.value === null ? null : answer.value / indicator.multiplier,
      });
      if (countKinds.has(indicator.measureKind) && answer.benchmark?.value != null) session.book.ratio('measures', funnel.reporting, answer.benchmark.value / indicator.multiplier);
    }
  }
}

/**
 * Rebase settings that cut a series of `length` points into segments of one point (each centre is that point's
 * own rate) and into pairs both ways (each centre pools a point with a neighbour): three charts isolate every
 * point of the series.
 */
export function isolatingRebases(length: number): number[][] {
  const every = (start: number, step: number) => Array.from({ length }, (_, i) => i).filter((i) => i >= start && (i - start) % step === 0 && i > 0);
  return [every(1, 1), every(2, 2), every(1, 2)].filter((rebase) => rebase.length > 0);
}

/** An SPC chart's segment centres as equations: centre = Σ counts ÷ Σ denominators over the segment's baseline. */
function centreEquations(session: AttackSession, channel: string, indicator: IndicatorSeen, chart: any, groupOf: (period: string) => GroupMember[]): void {
  for (const segment of chart.segments ?? []) {
    if (segment.centre === null || segment.centre === undefined) continue;
    const periods = (chart.points as any[]).slice(segment.start, segment.start + segment.baselineLength).map((point) => point.period as string);
    session.book.ratio(channel, periods.flatMap(groupOf), segment.centre / indicator.multiplier);
  }
}

/** The charts of a series cut by `isolatingRebases`; the plain chart first when the periods are not known. */
async function isolatingCharts(session: AttackSession, path: string, parameters: Record<string, string>, labels?: string[]) {
  const charts: any[] = [];
  if (!labels) {
    const plain = await session.json(`${path}?${query(parameters)}`);
    if (!plain) return charts;
    charts.push(plain);
    labels = (plain.points as any[]).map((point) => point.period as string);
  }
  for (const rebase of isolatingRebases(labels.length)) {
    const chart = await session.json(`${path}?${query({ ...parameters, rebase: rebase.map((at) => labels[at]).join(',') })}`);
    if (chart) charts.push(chart);
  }
  return charts;
}

/** Providers' SPC charts cut around every point, for each provider with a suppressed cell. */
async function attackProviderSpc(session: AttackSession, funnels: FunnelSeen[]): Promise<void> {
  const pairs = new Map<string, IndicatorSeen>();
  for (const funnel of funnels) for (const organisation of funnel.suppressed) pairs.set(`${funnel.indicator.code}|${organisation}`, funnel.indicator);
  for (const [pair, indicator] of pairs) {
    const organisation = pair.split('|')[1];
    // The provider's series is every period whose funnel lists it, published or suppressed.
    const labels = funnels.filter((funnel) => funnel.indicator.code === indicator.code && funnel.reporting.some((member) => member.organisation === organisation)).map((funnel) => funnel.period);
    let charts = await isolatingCharts(session, '/api/trends/spc', { indicator: indicator.code, organisation }, labels);
    if (charts.length === 0) charts = await isolatingCharts(session, '/api/trends/spc', { indicator: indicator.code, organisation });
    for (const chart of charts) {
      if (!countKinds.has(indicator.measureKind)) continue;
      centreEquations(session, 'spc', indicator, chart, (period) => [{ indicator: indicator.code, organisation, period }]);
      for (const point of chart.points) {
        const at = { indicator: indicator.code, organisation, period: point.period };
        session.book.disclosed('spc', at, { count: point.numerator, denominator: point.denominator, rate: point.value === null ? null : point.value / indicator.multiplier });
      }
    }
  }
}

/** Networks' pooled series: each period's pooled counts, and centres around any period suppressed as a whole. */
async function attackNetworkSpc(session: AttackSession, funnels: FunnelSeen[]): Promise<void> {
  const byIndicator = new Map<string, FunnelSeen[]>();
  for (const funnel of funnels) byIndicator.set(funnel.indicator.code, [...(byIndicator.get(funnel.indicator.code) ?? []), funnel]);
  for (const [code, series] of byIndicator) {
    const indicator = series[0].indicator;
    if (!countKinds.has(indicator.measureKind) || series.every((funnel) => funnel.suppressed.length === 0)) continue;
    for (const network of session.networks) {
      const groups = new Map<string, GroupMember[]>();
      for (const funnel of series) groups.set(funnel.period, await session.networkGroup(funnel, network));
      const holdsSuppressed = series.some((funnel) => groups.get(funnel.period)!.some((member) => funnel.suppressed.includes(member.organisation)));
      if (!holdsSuppressed) continue;
      const plain = await session.json(`/api/trends/network-spc?${query({ indicator: code, network })}`);
      if (!plain) continue;
      // Points withheld as a whole (a network of one suppressed member) are isolated as a provider's are.
      const withheld = (plain.points as any[]).some((point) => point.suppressed || point.numerator === null);
      const charts = [plain, ...(withheld ? await isolatingCharts(session, '/api/trends/network-spc', { indicator: code, network }, (plain.points as any[]).map((point) => point.period)) : [])];
      for (const chart of charts) {
        const groupOf = (period: string) => groups.get(period) ?? [];
        centreEquations(session, 'network-spc', indicator, chart, groupOf);
        for (const point of chart.points) {
          if (point.numerator === null || point.denominator === null) continue;
          session.book.sums('network-spc', groupOf(point.period), { count: point.numerator, denominator: point.denominator, providers: point.providers });
        }
      }
    }
  }
}

/**
 * The attack: discover the suppressed cells from the funnels, then ask every route that answers figures, as an
 * anonymous caller, and try a below-floor `suppression` on each as an anonymous caller and as a viewer.
 */
export async function attack(caller: Caller, options: AttackOptions): Promise<AttackResult> {
  const session = new AttackSession(caller);
  const timed = async <T>(step: string, run: () => Promise<T>): Promise<T> => {
    const [started, before] = [Date.now(), session.requests];
    const value = await run();
    options.log?.(`${step}: ${session.requests - before} requests, ${Date.now() - started} ms`);
    return value;
  };
  const funnels = await timed('funnels', () => discover(session));
  session.networks = ((await session.json('/api/networks')).networks as { code: string }[]).map((network) => network.code);
  await timed('measures/network', () => attackNetworkMeasures(session, funnels));
  await timed('measures', () => attackMeasures(session, funnels));
  await timed('spc', () => attackProviderSpc(session, funnels));
  await timed('network-spc', () => attackNetworkSpc(session, funnels));
  const { mentions, belowFloor } = await timed('outputs', () => attackOutputs(session, funnels, options));
  return { book: session.book, requests: session.requests, funnels, mentions, belowFloor, serverErrors: session.serverErrors };
}

export { query };
