/**
 * The single error type of the statistics engine. Messages follow simple-statistics:
 * "<functionName> requires <condition>", with no trailing period.
 */
export class StatsInputError extends Error {
  override name = 'StatsInputError';
}

/** Throws a StatsInputError unless the condition holds. */
export function requireInput(condition: boolean, functionName: string, requirement: string): asserts condition {
  if (!condition) throw new StatsInputError(`${functionName} requires ${requirement}`);
}
