import type { FunnelScale } from '../funnel/types';

/**
 * A value on a funnel's variance-stabilising scale taken back to the natural scale (Spiegelhalter 2005,
 * QSHC 14:347, Table 1): exp for the log scales, the square for the square-root scale, sin² for the arcsine
 * scale; 'linear' is the normal funnel's own scale. Values past the edge of a scale's range are held at the
 * edge, as the funnel's limits are (transformed-limits.ts).
 */
export function fromFunnelScale(scale: FunnelScale | 'linear', y: number): number {
  switch (scale) {
    case 'log':
    case 'log-ratio-of-counts':
      return Math.exp(y);
    case 'square-root':
      return Math.max(0, y) ** 2;
    case 'arcsine':
      return Math.sin(Math.min(Math.PI / 2, Math.max(0, y))) ** 2;
    case 'proportion':
      return Math.min(1, Math.max(0, y));
    case 'linear':
      return y;
  }
}
