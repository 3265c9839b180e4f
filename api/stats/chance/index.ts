export { benjaminiHochberg } from './benjamini-hochberg';
export { flaggedAtLeastOnce, outliersByChance } from './outliers-by-chance';
export type { OutliersByChance } from './outliers-by-chance';
export { twoSidedPValue } from './two-sided-p-value';
