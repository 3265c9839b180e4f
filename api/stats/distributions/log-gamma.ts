import { requireInput } from '../errors';

// Godfrey's Lanczos coefficients for g = 607/128 (Numerical Recipes 3rd ed., §6.1, gammln).
const LANCZOS = [
  57.1562356658629235, -59.5979603554754912, 14.1360979747417471, -0.491913816097620199,
  0.339946499848118887e-4, 0.465236289270485756e-4, -0.983744753048795646e-4, 0.158088703224912494e-3,
  -0.210264441724104883e-3, 0.217439618115212643e-3, -0.164318106536763890e-3, 0.844182239838527433e-4,
  -0.261908384015814087e-4, 0.368991826595316234e-5,
];
const SQRT_TWO_PI = 2.5066282746310005;

/**
 * Natural logarithm of the gamma function for x > 0, by the Lanczos approximation
 * (Lanczos 1964; coefficients from Numerical Recipes, 3rd ed., §6.1), accurate to about 1e-15.
 */
export function logGamma(x: number): number {
  requireInput(x > 0 && Number.isFinite(x), 'logGamma', 'a finite argument greater than zero');
  const shifted = x + 671 / 128;
  let series = 0.999999999999997092;
  for (let j = 0; j < LANCZOS.length; j++) series += LANCZOS[j] / (x + j + 1);
  return (x + 0.5) * Math.log(shifted) - shifted + Math.log((SQRT_TWO_PI * series) / x);
}
