import { normalCdf } from '../distributions';
import { requireInput } from '../errors';

/** Two-sided p-value of a standard normal z: 2Φ(−|z|). */
export function twoSidedPValue(z: number): number {
  requireInput(!Number.isNaN(z), 'twoSidedPValue', 'a z-score that is a number');
  return 2 * normalCdf(-Math.abs(z));
}
