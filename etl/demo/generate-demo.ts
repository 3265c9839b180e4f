import { indicatorModels } from './demo-indicators';
import { financialQuarters } from './demo-periods';
import { buildReference } from './demo-reference';
import type { IndicatorRow, MembershipRow, NetworkRow, ObservationRow, OrganisationRow, PeriodRow } from './demo-rows';
import { controlCodes, type PlantedEffect, plantedEffects } from './planted-effects';
import { simulateObservations } from './simulate-observations';

/** What a user or test needs to check the product against the truth: the planted effects and the model. */
export interface PlantedEffectsDocument {
  seed: number;
  effects: PlantedEffect[];
  /** Providers with no planted effect and no random effect on any indicator. */
  controls: string[];
  /** The between-provider random-effect sd of each indicator, on its link scale. */
  model: { indicatorCode: string; scale: 'logit' | 'log'; randomEffectSd: number }[];
}

export interface DemoData {
  organisations: OrganisationRow[];
  networks: NetworkRow[];
  memberships: MembershipRow[];
  indicators: IndicatorRow[];
  periods: PeriodRow[];
  observations: ObservationRow[];
  plantedEffects: PlantedEffectsDocument;
}

export const defaultDemoSeed = 20261123;

/**
 * The demo data set: a fictional London-like health economy (see demo-reference.ts), 12 indicators over
 * 10 financial-year quarters from 2023/24 Q1, with overdispersion and planted effects (PLANTED-EFFECTS.md).
 * Pure: the same seed gives the same arrays. The seed changes the random effects and counts, not the
 * organisations, networks, indicators or which providers carry planted effects.
 */
export function generateDemoData({ seed = defaultDemoSeed }: { seed?: number } = {}): DemoData {
  const reference = buildReference();
  const periods = financialQuarters(2023, 10);
  const observations = simulateObservations({
    seed, models: indicatorModels, providers: reference.providers, periods, effects: plantedEffects, controlCodes,
  });
  return {
    organisations: reference.organisations,
    networks: reference.networks,
    memberships: reference.memberships,
    indicators: indicatorModels.map((model) => ({ ...model.row })),
    periods,
    observations,
    plantedEffects: {
      seed,
      effects: plantedEffects.map((effect) => ({ ...effect })),
      controls: [...controlCodes],
      model: indicatorModels.map((model) => ({
        indicatorCode: model.row.code,
        scale: model.row.measure_kind === 'proportion' ? 'logit' : 'log',
        randomEffectSd: model.randomEffectSd,
      })),
    },
  };
}
