export { betaQuantile } from './beta-quantile';
export { chiSquaredQuantile } from './chi-squared-quantile';
export { gammaQuantile } from './gamma-quantile';
export { logGamma } from './log-gamma';
export { normalCdf } from './normal-cdf';
export { normalQuantile } from './normal-quantile';
export { regularizedBeta, regularizedBetaComplement } from './regularized-beta';
export { regularizedGammaP, regularizedGammaQ } from './regularized-gamma';
export { studentTQuantile } from './student-t-quantile';
