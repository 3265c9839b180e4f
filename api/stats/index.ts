/** The statistics engine, grouped by topic as simple-statistics' index is: pure functions of numbers and arrays. */
export * from './errors';
export * from './distributions';
export * from './intervals';
export * from './funnel';
export * from './spc';
export * from './standardisation';
