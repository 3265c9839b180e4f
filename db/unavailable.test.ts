import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './unavailable';

const withCode = (code: string, extra: object = {}) => Object.assign(new Error(code), { code }, extra);

describe('isDatabaseUnavailable', () => {
  it('sees through drizzle’s wrapper to the socket error of a stopped server', () => {
    const wrapped = new Error('Failed query: select 1', { cause: withCode('ECONNREFUSED') });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
  });

  it('knows postgres.js connection states and PostgreSQL’s shutdown and connection SQLSTATEs', () => {
    for (const code of ['CONNECTION_CLOSED', 'CONNECT_TIMEOUT', '57P01', '57P03', '08006', '53300']) expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
  });

  it('looks inside an AggregateError (a host name with several addresses, all refused)', () => {
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]) }))).toBe(true);
  });

  it('leaves query errors alone: they are bugs or bad input, not an outage', () => {
    for (const code of ['22008', '22021', '42P01', '23505']) expect(isDatabaseUnavailable(new Error('x', { cause: withCode(code) })), code).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('undefined is not a function'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
