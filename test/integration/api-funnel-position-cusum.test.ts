import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { generateDemoData } from '../../etl/demo/generate-demo';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { rawObservations } from '../support/raw-observations';
import { withheldProportion } from '../support/withheld-counts';

const demo = generateDemoData();
const { effects, controls } = demo.plantedEffects;
const persistent = effects.find((effect) => effect.kind === 'persistent')!;
const sequentialDrift = effects.find((effect) => effect.kind === 'drift' && effect.noiseFree === true)!;

// R spc::xcusum.crit(k, L0, 0, sided = "one"), test/fixtures/cusum/generate.R: the thresholds the route must use.
const [, ...thresholdLines] = readFileSync(new URL('../fixtures/cusum/threshold.csv', import.meta.url), 'utf8').trim().split('\n');
const thresholdOf = (k: number, arl0: number) => Number(thresholdLines.map((line) => line.split(',')).find(([kk, l0]) => Number(kk) === k && Number(l0) === arl0)![2]);

interface Position {
  period: { label: string };
  suppressed: boolean | null;
  z: number | null;
  adjustedZ: number | null;
  band: string | null;
  judgement: string | null;
  spc: { rule: string | null; pointType: string } | null;
  cusum: { upper: number | null; lower: number | null; signal: 'high' | 'low' | null };
  funnel: { available: boolean; overdispersion?: { applied: boolean; method: string; phi: number } };
}

describeDemoApi('API funnel position: SPC rules and CUSUM on the adjusted z, and the network CUSUM list', ({ app, database }) => {
  const positionsOf = async (indicator: string, organisation: string, extra = '') => {
    const body = await getJson(app(), `/api/trends/funnel-position?indicator=${indicator}&organisation=${organisation}${extra}`);
    return { body, positions: body.positions as Position[] };
  };

  it('scores each period by z/√φ, accumulates it with k = 0.5 and the h that gives an in-control ARL of 100 per side, resetting a side after it signals', async () => {
    const { body, positions } = await positionsOf('VA-SHMI', 'RZI');
    expect(body.cusum).toMatchObject({ k: 0.5, arl0: 100, h: expect.closeTo(thresholdOf(0.5, 100), 4) });
    let upper = 0;
    let lower = 0;
    for (const position of positions) {
      const { phi, applied } = position.funnel.overdispersion!;
      expect(position.adjustedZ!, position.period.label).toBeCloseTo(applied ? position.z! / Math.sqrt(phi) : position.z!, 10);
      upper = Math.max(0, upper + position.adjustedZ! - 0.5);
      lower = Math.max(0, lower - position.adjustedZ! - 0.5);
      expect(position.cusum.upper!).toBeCloseTo(upper, 10);
      expect(position.cusum.lower!).toBeCloseTo(lower, 10);
      expect(position.cusum.signal).toBe(upper > body.cusum.h ? 'high' : lower > body.cusum.h ? 'low' : null);
      if (upper > body.cusum.h) upper = 0;
      if (lower > body.cusum.h) lower = 0;
      // Fixed limits ±3: a z beyond them is a special cause whatever else the rules find.
      if (Math.abs(position.adjustedZ!) > 3) expect(position.spc!.rule).toBe('outside_limits');
    }
    expect(body.cusum.signals.map((signal: { period: string }) => signal.period)).toEqual(positions.filter((p) => p.cusum.signal !== null).map((p) => p.period.label));
    expect(body.spc.limits).toEqual({ centre: 0, lowerLimit: -3, upperLimit: 3, lowerTwoSigma: -2, upperTwoSigma: 2 });
  });

  it('sets h for the ARL0 asked for', async () => {
    const { body } = await positionsOf('VA-SHMI', 'RZI', '&arl0=370');
    expect(body.cusum.h).toBeCloseTo(thresholdOf(0.5, 370), 4);
  });

  it('gives a suppressed period no z, no point type and no CUSUM step: both sides carry over to the next published period', async () => {
    const rows = await rawObservations(database().db, 'VA-CC-READM48');
    const codes = [...new Set(rows.map((row) => row.code))];
    // A provider with a withheld period followed by a published one, so the carry-over shows.
    const code = codes.find((candidate) => {
      const series = rows.filter((row) => row.code === candidate);
      return series.some((row, i) => withheldProportion(row) && i + 1 < series.length && !withheldProportion(series[i + 1]));
    })!;
    expect(code).toBeDefined();
    const { body, positions } = await positionsOf('VA-CC-READM48', code);
    const gap = positions.findIndex((position, i) => position.suppressed === true && i + 1 < positions.length && positions[i + 1].adjustedZ !== null);
    expect(gap).toBeGreaterThan(-1);
    expect(positions[gap]).toMatchObject({ z: null, adjustedZ: null, spc: null, cusum: { upper: null, lower: null, signal: null } });
    const before = positions.slice(0, gap).findLast((position) => position.cusum.upper !== null);
    const carried = (side: 'upper' | 'lower') => (before === undefined || before.cusum.signal === (side === 'upper' ? 'high' : 'low') ? 0 : before.cusum[side]!);
    const next = positions[gap + 1];
    expect(next.cusum.upper!).toBeCloseTo(Math.max(0, carried('upper') + next.adjustedZ! - body.cusum.k), 10);
    expect(next.cusum.lower!).toBeCloseTo(Math.max(0, carried('lower') - next.adjustedZ! - body.cusum.k), 10);
  });

  it(`finds the persistent practice (${persistent.organisationCode}) only by persistence: outside 95 % in each of the last 4 quarters, inside 99.8 % in the latest, and the CUSUM signals`, async () => {
    const { body, positions } = await positionsOf(persistent.indicatorCode, persistent.organisationCode);
    expect(positions.slice(-4).map((position) => position.band)).toEqual(['below-95', 'below-95', 'below-95', 'below-95']);
    expect(positions.at(-1)!.judgement).toBe('as-expected');
    expect(body.cusum.signals.length).toBeGreaterThan(0);
    expect(body.cusum.signals.every((signal: { side: string }) => signal.side === 'low')).toBe(true);
    expect(body.spc.variation).toBe('special_cause_concern_low');
  });

  it(`signals the drifting practice (${sequentialDrift.organisationCode}) before the funnel puts it beyond 99.8 %`, async () => {
    const { body, positions } = await positionsOf(sequentialDrift.indicatorCode, sequentialDrift.organisationCode);
    const firstSignal = positions.findIndex((position) => position.cusum.signal === 'low');
    const firstBeyond = positions.findIndex((position) => position.band === 'below-99.8');
    expect(firstSignal).toBeGreaterThan(-1);
    expect(firstBeyond).toBeGreaterThan(firstSignal);
    expect(body.cusum.signals[0]).toEqual({ period: positions[firstSignal].period.label, side: 'low' });
  });

  it('lists both sequential effects in the network CUSUM of the latest quarter, with the false alarms chance gives', async () => {
    const body = await getJson(app(), `/api/trends/cusum?network=QZZ&indicator=${sequentialDrift.indicatorCode}`);
    const listed = body.signalling.map((member: { organisation: { code: string } }) => member.organisation.code);
    expect(listed).toEqual(expect.arrayContaining([persistent.organisationCode, sequentialDrift.organisationCode]));
    expect(body.periods.map((period: { label: string }) => period.label)).toEqual([demo.periods.at(-1)!.label]);
    expect(body.chance).toMatchObject({ memberPeriods: body.members, expectedFalseAlarms: expect.closeTo((body.members * 2) / 100, 12) });
    const drift = body.signalling.find((member: { organisation: { code: string } }) => member.organisation.code === sequentialDrift.organisationCode);
    expect(drift.latest).toMatchObject({ period: demo.periods.at(-1)!.label, signal: 'low', adjustedZ: expect.any(Number) });
  });

  it('flags no control provider on any indicator in the latest quarter', async () => {
    const flagged: string[] = [];
    for (const indicator of demo.indicators) {
      const response = await app().request(`/api/trends/cusum?network=QZZ&indicator=${indicator.code}`);
      expect(response.status, indicator.code).toBe(200);
      const body = await response.json();
      for (const member of body.signalling) if (controls.includes(member.organisation.code)) flagged.push(`${indicator.code} ${member.organisation.code}`);
    }
    expect(flagged).toEqual([]);
  });

  it('counts the latest `recent` periods: more periods list at least the members of fewer', async () => {
    const latest = await getJson(app(), '/api/trends/cusum?network=QZZ&indicator=VA-SHMI');
    const four = await getJson(app(), '/api/trends/cusum?network=QZZ&indicator=VA-SHMI&recent=4');
    const codes = (body: { signalling: { organisation: { code: string } }[] }) => body.signalling.map((member) => member.organisation.code);
    expect(codes(four)).toEqual(expect.arrayContaining(codes(latest)));
    expect(four.periods).toHaveLength(4);
    expect(four.chance.memberPeriods).toBe(four.members * 4);
  });

  it.each([
    ['/api/trends/cusum?network=QZZ', 400, 'indicator', 'invalid_parameter'],
    ['/api/trends/cusum?network=QZZ&indicator=VA-SHMI&recent=0', 400, 'recent', 'invalid_parameter'],
    ['/api/trends/cusum?network=QZZ&indicator=VA-SHMI&k=-1', 400, 'k', 'invalid_parameter'],
    ['/api/trends/cusum?network=QZZ&indicator=VA-SHMI&arl0=5', 400, 'arl0', 'invalid_parameter'],
    ['/api/trends/cusum?network=NOPE&indicator=VA-SHMI', 404, 'network', 'not_found'],
    ['/api/trends/cusum?network=UZ001&indicator=VA-SHMI', 404, 'network', 'not_found'],
    ['/api/trends/funnel-position?indicator=VA-SHMI&organisation=RZB&k=half', 400, 'k', 'invalid_parameter'],
    ['/api/trends/funnel-position?indicator=VA-SHMI&organisation=RZB&arl0=1000000', 400, 'arl0', 'invalid_parameter'],
  ])('%s answers %i naming %s', (path, status, parameter, code) => expectApiError(app(), path, status, parameter, code));
});
