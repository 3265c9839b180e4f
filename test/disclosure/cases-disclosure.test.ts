import { beforeAll, expect, it } from 'vitest';
import { schema } from '../../db';
import { asPerson, casePeople } from '../support/case-people';
import { describeDemoApi, getJson } from '../support/demo-api';
import { rawObservations } from '../support/raw-observations';
import { withheldProportion } from '../support/withheld-counts';

/**
 * The case list's finding summary against an adversary: an analyst opens cases on cells the finder withholds
 * (small numbers), and on published cells that a higher threshold withholds, then reads every route that
 * lists cases. The truth (the withheld counts) is read from the database only to check that none of its
 * figures, nor the rate they give, appears; each case's figures must be exactly the funnel's for the same
 * threshold, withheld where it is withheld.
 */
// Critical-care readmissions within 48 hours: rare events, so the demo withholds some of its counts.
const indicator = 'VA-CC-READM48';

describeDemoApi('disclosure: outlier cases show only what the finder shows', ({ app, database }) => {
  let people: Awaited<ReturnType<typeof casePeople>>;
  /** Members of a network whose cell is withheld, with the network and period. */
  let targets: { network: string; organisation: string; period: string; numerator: number; denominator: number }[] = [];

  beforeAll(async () => {
    people = await casePeople(database().db);
    const memberships = await getJson<{ networks: { code: string }[] }>(app(), '/api/networks');
    const membersOf = new Map<string, string[]>();
    for (const { code } of memberships.networks) membersOf.set(code, (await getJson(app(), `/api/networks/${code}`)).members.map((member: { code: string }) => member.code));
    const withheld = (await rawObservations(database().db, indicator)).filter((row) => row.numerator !== null && withheldProportion(row));
    for (const row of withheld) {
      const network = [...membersOf].find(([, members]) => members.includes(row.code))?.[0];
      if (network && targets.length < 6) targets.push({ network, organisation: row.code, period: row.period, numerator: row.numerator!, denominator: row.denominator! });
    }
  });

  it('withholds a withheld cell’s figures from the case, its list, the overdue list and the provider’s cases', async () => {
    expect(targets.length, 'the demo withholds some readmission counts').toBeGreaterThan(0);
    const as = asPerson(app(), people.analyst.token);
    for (const target of targets) {
      const opened = await as('/api/cases', { json: { network: target.network, indicator, organisation: target.organisation, period: target.period } });
      expect([201, 409], JSON.stringify(target)).toContain(opened.status);
    }
    const answers = [
      ...new Set(targets.map((target) => `/api/cases?network=${target.network}&status=all`)),
      ...new Set(targets.map((target) => `/api/cases?organisation=${target.organisation}&status=all`)),
      '/api/cases?status=all',
      '/api/cases?overdue=true',
    ];
    await database().db.update(schema.outlierCases).set({ dueOn: '2026-01-05' });
    for (const path of answers) {
      const text = await (await as(path)).text();
      const body = JSON.parse(text);
      for (const one of body.cases) {
        const target = targets.find((candidate) => candidate.organisation === one.organisation.code && candidate.period === one.period);
        if (!target) continue;
        expect(one.finding, `${path} ${target.organisation} ${target.period}`).toEqual({ suppressed: true, value: null, adjustedZ: null, band: null, judgement: null });
        // Nowhere in the answer: the withheld rate, nor its counts as figures of this case.
        const rate = target.numerator / target.denominator;
        const numbers = JSON.stringify(one).match(/-?\d+(\.\d+)?(e-?\d+)?/g)!.map(Number);
        expect(numbers.some((number) => Math.abs(number - rate) < 1e-9 || Math.abs(number - rate * 100) < 1e-9)).toBe(false);
      }
    }
  });

  it('gives each case the funnel’s figures for the caller’s threshold, and withholds them when a higher threshold does', async () => {
    const as = asPerson(app(), people.analyst.token);
    const variation = await getJson<{ findings: { indicator: string; organisation: { code: string }; period: string }[] }>(app(), '/api/variation?network=KB-MT-ODN');
    for (const finding of variation.findings.slice(0, 4)) await as('/api/cases', { json: { network: 'KB-MT-ODN', indicator: finding.indicator, organisation: finding.organisation.code, period: finding.period } });
    for (const suppression of [5, 50, 500]) {
      const { cases } = await (await as(`/api/cases?network=KB-MT-ODN&status=all&suppression=${suppression}`)).json();
      expect(cases.length).toBeGreaterThan(0);
      for (const one of cases) {
        const response = await app().request(`/api/funnel?indicator=${one.indicator.code}&period=${encodeURIComponent(one.period)}&suppression=${suppression}`);
        if (response.status === 422) {
          // No funnel at this threshold: the cell is withheld, or published without a judgement, never judged.
          expect([one.finding.adjustedZ, one.finding.judgement]).toEqual([null, null]);
          continue;
        }
        const funnel = await response.json();
        const provider = funnel.providers.find((candidate: { code: string }) => candidate.code === one.organisation.code);
        expect(one.finding.suppressed, `${one.indicator.code} ${one.organisation.code} at ${suppression}`).toBe(provider.suppressed);
        if (provider.suppressed) expect(one.finding.value).toBeNull();
        else expect([one.finding.value, one.finding.adjustedZ, one.finding.judgement]).toEqual([provider.value, provider.adjustedZ, provider.judgement]);
      }
    }
  });

  it('refuses a viewer or the anonymous caller the case list below the floor', async () => {
    for (const token of [people.viewer.token, undefined]) {
      const response = await asPerson(app(), token)('/api/cases?status=all&suppression=1');
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe('suppression_below_floor');
    }
  });
});
