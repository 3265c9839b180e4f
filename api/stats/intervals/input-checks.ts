import { normalQuantile } from '../distributions';
import { requireInput } from '../errors';

// Shared preconditions, so every interval words its errors the same way.

export function requireConfidence(confidence: number, name: string): void {
  requireInput(confidence > 0 && confidence < 1, name, 'a confidence level between 0 and 1, such as 0.95');
}

/** Counts need not be integers: PHE accepts weighted and modelled counts, and every formula here is defined for them. */
export function requireNonNegative(value: number, name: string, noun: string): void {
  requireInput(Number.isFinite(value) && value >= 0, name, `a non-negative finite ${noun}`);
}

export function requirePositive(value: number, name: string, noun: string): void {
  const article = /^[aeiou]/i.test(noun) ? 'an' : 'a';
  requireInput(Number.isFinite(value) && value > 0, name, `${article} ${noun} greater than zero`);
}

/** z = Φ⁻¹(1 − α/2) for a two-sided interval at the given confidence. */
export function normalCriticalValue(confidence: number): number {
  return normalQuantile((1 + confidence) / 2);
}
