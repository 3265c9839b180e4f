/**
 * Codes that say the database cannot be reached right now, not that the query was wrong: the socket's
 * (refused, reset, timed out, unreachable), postgres.js's connection states, and PostgreSQL's connection
 * exceptions (class 08), shutdown and start-up (57P01–57P03) and too many connections (53300).
 */
const unavailableCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED',
  '57P01', '57P02', '57P03', '53300',
]);

/**
 * Whether an error, or any error it wraps (drizzle wraps the driver's as `cause`; a host with several
 * addresses fails with an AggregateError), means the database is unavailable. Such a request may succeed
 * when retried; the API answers it with a 503.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 8) return false;
  const code = 'code' in error ? String(error.code) : '';
  if (unavailableCodes.has(code) || code.startsWith('08')) return true;
  if ('errors' in error && Array.isArray(error.errors) && error.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return 'cause' in error && isDatabaseUnavailable(error.cause, depth + 1);
}
