import { toCsv } from '../csv/csv-write';
import { buildReference, type DemoProvider } from './demo-reference';
import { createRandom } from './random';

export const attributeColumns = ['organisation_code', 'attribute', 'type', 'value'] as const;
export type AttributeRow = Record<(typeof attributeColumns)[number], string>;

// Deprivation is drawn from its own seed, so adding attributes moves no observation of the demo.
const attributeSeed = 18;

/** The trust type a network lead groups by: the six university hospitals teach, the four single-service trusts specialise. */
function trustType(code: string): 'teaching' | 'specialist' | 'district_general' {
  if (/^RZ[A-F]$/.test(code)) return 'teaching';
  if (/^RZ[W-Z]$/.test(code)) return 'specialist';
  return 'district_general';
}

/**
 * The demo's organisation attributes (the attributes file of `npm run etl -- attributes`): for each trust its
 * beds (about 600 per unit of activity), type, deprivation decile of its catchment (1 most deprived) and case-mix
 * index (the exp of the case-mix tilt its mortality and readmissions are simulated with, so case mix explains
 * part of their variation); for each practice its list size and deprivation decile (inner-city, younger lists
 * more deprived). Fixed: the same for every observation seed.
 */
export function demoAttributeRows(providers: readonly DemoProvider[] = buildReference().providers): AttributeRow[] {
  const random = createRandom(attributeSeed);
  const decile = (centre: number) => String(Math.min(10, Math.max(1, Math.round(centre + random.normal(0, 1.5)))));
  return providers.flatMap((provider): AttributeRow[] => {
    const row = (attribute: string, type: 'numeric' | 'categorical', value: string) => ({ organisation_code: provider.code, attribute, type, value });
    if (provider.level === 'trust') {
      return [
        row('beds', 'numeric', String(Math.round(provider.scale * 600))),
        row('trust_type', 'categorical', trustType(provider.code)),
        row('deprivation_decile', 'numeric', decile(5.5)),
        row('case_mix_index', 'numeric', Math.exp(provider.casemix).toFixed(3)),
      ];
    }
    return [row('list_size', 'numeric', String(provider.scale)), row('deprivation_decile', 'numeric', decile(1 + 9 * (1 - provider.youngShare)))];
  });
}

export const demoAttributesCsv = () => toCsv(attributeColumns, demoAttributeRows());
