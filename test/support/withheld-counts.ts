/**
 * Whether a stored proportion's counts are withheld at a threshold by primary suppression, written out here
 * independently of api/analysis/suppression.ts: a numerator, or its complement (denominator − numerator), from
 * 1 to threshold − 1. The demo has no sites and no overlapping periods, so in it nothing else is withheld.
 */
export function withheldProportion(row: { numerator: number | null; denominator: number | null }, threshold = 5): boolean {
  const small = (count: number) => count > 0 && count < threshold;
  return small(row.numerator!) || small(row.denominator! - row.numerator!);
}
