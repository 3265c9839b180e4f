import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ObservationRow } from './demo-rows';
import { indicatorModels } from './demo-indicators';
import { generateDemoData } from './generate-demo';
import { type PlantedEffect, plantedShift } from './planted-effects';

/**
 * The planted effects must be visible in the raw numbers, or the product's tests against them prove nothing.
 * Every check works on the link scale the effects were planted on (log odds, log), as deviations y from the
 * network's pooled value with standard errors s: the rough normal approximation of a funnel plot.
 */
const data = generateDemoData();
const labels = data.periods.map((p) => p.label);
const z998 = 3.090232;
const kindOf = new Map(data.indicators.map((i) => [i.code, i.measure_kind]));
const sdOf = new Map(data.plantedEffects.model.map((m) => [m.indicatorCode, m.randomEffectSd]));
const logit = (p: number) => Math.log(p / (1 - p));
const sum = (xs: number[]) => xs.reduce((total, x) => total + x, 0);
const groupBy = <T>(items: T[], key: (item: T) => string) =>
  items.reduce((groups, item) => groups.set(key(item), [...(groups.get(key(item)) ?? []), item]), new Map<string, T[]>());

interface Deviation { organisation: string; y: number; s: number }

/** Each provider's deviation from the pooled value of `rows` (one period, or several pooled). */
function deviations(indicatorCode: string, rows: ObservationRow[]): Deviation[] {
  const byProvider = groupBy(rows.filter((o) => o.value !== null || o.numerator !== null || o.observed !== null), (o) => o.organisation_code);
  const total = (list: ObservationRow[], column: keyof ObservationRow) => sum(list.map((o) => Number(o[column])));
  switch (kindOf.get(indicatorCode)) {
    case 'proportion': {
      const centre = total(rows, 'numerator') / total(rows, 'denominator');
      return [...byProvider].map(([organisation, list]) => {
        const n = total(list, 'denominator');
        return { organisation, y: logit((total(list, 'numerator') + 0.5) / (n + 1)) - logit(centre), s: 1 / Math.sqrt(n * centre * (1 - centre)) };
      });
    }
    case 'crude_rate':
    case 'indirectly_standardised_ratio': {
      const [count, exposure] = kindOf.get(indicatorCode) === 'crude_rate' ? (['numerator', 'denominator'] as const) : (['observed', 'expected'] as const);
      const centre = total(rows, count) / total(rows, exposure);
      return [...byProvider].map(([organisation, list]) => {
        const expected = total(list, exposure) * centre;
        return { organisation, y: Math.log((total(list, count) + 0.5) / (expected + 0.5)), s: 1 / Math.sqrt(expected) };
      });
    }
    default: {
      // Means and standardised rates: log of the value, its s from the 95 % interval, pooled by inverse variance.
      const points = rows.filter((o) => o.value !== null).map((o) => ({
        organisation: o.organisation_code, y: Math.log(o.value!), s: Math.log(o.value_upper! / o.value_lower!) / (2 * 1.959964),
      }));
      const pool = (list: typeof points) => {
        const weights = list.map((p) => 1 / p.s ** 2);
        return { y: sum(list.map((p, i) => weights[i] * p.y)) / sum(weights), s: 1 / Math.sqrt(sum(weights)) };
      };
      const centre = pool(points).y;
      return [...groupBy(points, (p) => p.organisation)].map(([organisation, list]) => {
        const pooled = pool(list);
        return { organisation, y: pooled.y - centre, s: pooled.s };
      });
    }
  }
}

/** DerSimonian–Laird τ² on z-scores winsorised at 10 % each tail (methods.md, funnel plots steps 2–4). */
function additiveTau(points: Deviation[]): number {
  const z = points.map((p) => p.y / p.s);
  const sorted = [...z].sort((a, b) => a - b);
  const quantile = (q: number) => {
    const h = (sorted.length - 1) * q;
    return sorted[Math.floor(h)] + (h - Math.floor(h)) * (sorted[Math.ceil(h)] - sorted[Math.floor(h)]);
  };
  const [low, high] = [quantile(0.1), quantile(0.9)];
  const phi = sum(z.map((x) => Math.min(high, Math.max(low, x)) ** 2)) / z.length;
  const weights = points.map((p) => 1 / p.s ** 2);
  const tau2 = (z.length * phi - (z.length - 1)) / (sum(weights) - sum(weights.map((w) => w * w)) / sum(weights));
  return Math.sqrt(Math.max(0, tau2));
}

const rowsOf = (indicator: string, period?: string) =>
  data.observations.filter((o) => o.indicator_code === indicator && (period === undefined || o.period === period));
const deviationOf = (effect: Pick<PlantedEffect, 'indicatorCode' | 'organisationCode'>, period?: string) => {
  const points = deviations(effect.indicatorCode, rowsOf(effect.indicatorCode, period));
  return { ...points.find((p) => p.organisation === effect.organisationCode)!, tau: additiveTau(points) };
};
const sign = (effect: PlantedEffect) => (effect.direction === 'higher' ? 1 : -1);
const effectsOfKind = (kind: PlantedEffect['kind']) => data.plantedEffects.effects.filter((e) => e.kind === kind);

describe('planted outliers', () => {
  it.each(effectsOfKind('outlier'))(
    '$indicatorCode $organisationCode: pooled over all periods, more than 3 binomial/Poisson standard errors from the network',
    (effect) => {
      const { y, s } = deviationOf(effect);
      expect(sign(effect) * y).toBeGreaterThan(3 * s);
      expect(Math.abs(y - sign(effect) * effect.size)).toBeLessThan(3 * s + 0.1);
    },
  );

  it.each(effectsOfKind('outlier'))(
    '$indicatorCode $organisationCode: beyond the 99.8 % limit after the additive overdispersion adjustment, in every period',
    (effect) => {
      for (const period of labels) {
        const { y, s, tau } = deviationOf(effect, period);
        expect(sign(effect) * y, period).toBeGreaterThan(z998 * Math.sqrt(s ** 2 + tau ** 2));
      }
    },
  );
});

describe('planted drifts and steps', () => {
  it.each(effectsOfKind('drift'))(
    '$indicatorCode $organisationCode: the last period exceeds the first by the planted size, and ends beyond the adjusted 99.8 % limit',
    (effect) => {
      const first = deviationOf(effect, labels[0]);
      const last = deviationOf(effect, labels.at(-1));
      // Drifts start after the first period, which so carries none of the effect. The network centre moves a
      // little with the other planted effects: 0.05 on the link scale allows for it.
      expect(effect.fromPeriod > labels[0]).toBe(true);
      expect(Math.abs(sign(effect) * (last.y - first.y) - effect.size)).toBeLessThan(3 * Math.hypot(first.s, last.s) + 0.05);
      expect(sign(effect) * last.y).toBeGreaterThan(z998 * Math.hypot(last.s, last.tau));
    },
  );

  it.each(effectsOfKind('step'))(
    '$indicatorCode $organisationCode: the mean after the step exceeds the mean before by the planted size',
    (effect) => {
      const from = labels.indexOf(effect.fromPeriod);
      const points = labels.map((period) => deviationOf(effect, period));
      const [before, after] = [points.slice(0, from), points.slice(from)];
      const meanOf = (list: typeof points) => sum(list.map((p) => p.y)) / list.length;
      const seOf = (list: typeof points) => Math.sqrt(sum(list.map((p) => p.s ** 2))) / list.length;
      const change = sign(effect) * (meanOf(after) - meanOf(before));
      expect(Math.abs(change - effect.size)).toBeLessThan(3 * Math.hypot(seOf(before), seOf(after)) + 0.05);
    },
  );

  it('grows a drift linearly to its size in the last period and holds a step from its first period', () => {
    const drift = effectsOfKind('drift').find((e) => e.fromPeriod === '2024/25 Q1')!;
    const shifts = labels.map((_, index) => plantedShift([drift], drift.indicatorCode, drift.organisationCode, index, labels));
    expect(shifts.slice(0, 4)).toEqual([0, 0, 0, 0]);
    shifts.slice(4).forEach((shift, k) => expect(shift).toBeCloseTo((drift.size * (k + 1)) / 6, 12));
    const step = effectsOfKind('step')[0];
    expect(labels.map((_, index) => plantedShift([step], step.indicatorCode, step.organisationCode, index, labels)))
      .toEqual(labels.map((label) => (label >= step.fromPeriod ? step.size : 0)));
    expect(() => plantedShift([{ ...step, fromPeriod: '1999/00 Q1' }], step.indicatorCode, step.organisationCode, 0, labels)).toThrow(RangeError);
  });
});

describe('noise-free effects', () => {
  const baselineOf = new Map(indicatorModels.map((model) => [model.row.code, model.baseline]));
  const inverseLogit = (x: number) => 1 / (1 + Math.exp(-x));
  it.each(data.plantedEffects.effects.filter((effect) => effect.noiseFree === true))(
    '$indicatorCode $organisationCode ($kind): every numerator is the expected count at the true value, rounded',
    (effect) => {
      const rows = rowsOf(effect.indicatorCode).filter((row) => row.organisation_code === effect.organisationCode);
      expect(rows).toHaveLength(labels.length);
      rows.forEach((row, index) => {
        const p = inverseLogit(logit(baselineOf.get(effect.indicatorCode)!) + plantedShift([effect], effect.indicatorCode, effect.organisationCode, index, labels));
        expect(row.numerator, row.period).toBe(Math.round(row.denominator! * p));
      });
    },
  );

  it('shows each persistent effect at its planted size, pooled over all periods', () => {
    for (const effect of effectsOfKind('persistent')) {
      const { y, s } = deviationOf(effect);
      expect(Math.abs(y - sign(effect) * effect.size)).toBeLessThan(3 * s + 0.05);
    }
    expect(effectsOfKind('persistent').length).toBeGreaterThan(0);
  });
});

describe('controls and overdispersion', () => {
  it('keeps every control provider within 3 standard errors plus one random-effect sd of the network', () => {
    for (const indicator of data.indicators) {
      const points = deviations(indicator.code, rowsOf(indicator.code));
      for (const control of points.filter((p) => data.plantedEffects.controls.includes(p.organisation))) {
        expect(Math.abs(control.y), `${indicator.code} ${control.organisation}`).toBeLessThan(3 * control.s + sdOf.get(indicator.code)!);
      }
    }
  });

  it('has real overdispersion: φ > 1 for every indicator, and typically 1.5–4', () => {
    const medianPhi = data.indicators.map((indicator) => {
      const phis = labels.map((period) => {
        const points = deviations(indicator.code, rowsOf(indicator.code, period));
        const weights = points.map((p) => 1 / p.s ** 2);
        // Back from τ² to the φ it came from, so this checks the same winsorised estimate the product makes.
        const spread = sum(weights) - sum(weights.map((w) => w * w)) / sum(weights);
        return (additiveTau(points) ** 2 * spread + points.length - 1) / points.length;
      });
      return phis.sort((a, b) => a - b)[Math.floor(phis.length / 2)];
    });
    for (const phi of medianPhi) expect(phi).toBeGreaterThan(1);
    const sorted = [...medianPhi].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(1.5);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(4);
  });

  it('describes every planted effect and control in PLANTED-EFFECTS.md, so the document cannot drift from the data', () => {
    const document = readFileSync(new URL('./PLANTED-EFFECTS.md', import.meta.url), 'utf8');
    for (const effect of data.plantedEffects.effects) {
      const line = document.split('\n').find((l) => l.includes(`| ${effect.organisationCode} |`) && l.includes(`| ${effect.indicatorCode} |`));
      expect(line, `${effect.indicatorCode} ${effect.organisationCode}`).toBeDefined();
      for (const text of [effect.kind, effect.direction, effect.fromPeriod, String(effect.size)]) expect(line).toContain(text);
    }
    for (const code of data.plantedEffects.controls) expect(document).toContain(code);
    for (const { indicatorCode, randomEffectSd } of data.plantedEffects.model) expect(document).toMatch(new RegExp(`${indicatorCode} .*\\| ${randomEffectSd} \\|`));
  });
});
