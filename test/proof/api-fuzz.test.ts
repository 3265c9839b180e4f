import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { describeDemoApi, expectApiError } from '../support/demo-api';
import { fuzzOperations, fuzzRequestArbitrary, knownValuesFrom, sendFuzzRequest, type FuzzOperation, type KnownValues } from './api-fuzz';

/**
 * Every route and parameter of the OpenAPI document fuzzed on the demo database: only 2xx and 4xx answers,
 * each 4xx a JSON error, no stack trace or SQL. fast-check shrinks a failure to the smallest request that
 * shows it. `npm run soak` sends many more.
 */
describeDemoApi('API fuzzing from the OpenAPI document', ({ app }) => {
  let operations: FuzzOperation[];
  let known: KnownValues;

  beforeAll(async () => {
    operations = fuzzOperations(await (await app().request('/api/openapi.json')).json());
    known = await knownValuesFrom(app());
  });

  it('enumerates every documented operation, exports once per chart kind', () => {
    expect(operations.length).toBeGreaterThan(15);
    expect(operations.map((operation) => operation.path)).toEqual(expect.arrayContaining(['/api/funnel', '/api/exports/spine', '/api/profile/{code}']));
    expect(known.indicators.length).toBeGreaterThan(5);
  });

  it('answers random and hostile requests with 2xx or 4xx only, never a stack or SQL', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(fuzzRequestArbitrary(operations, known), async (request) => {
        const answer = await sendFuzzRequest(app(), request);
        statuses.add(answer.status);
        expect(answer.problem, `${request.method} ${request.url}`).toBeUndefined();
      }),
      { numRuns: 700 },
    );
    // Both sides of validation were reached: some requests got through to the analysis, some were refused.
    expect(statuses).toContain(200);
    expect(statuses).toContain(400);
  }, 120_000);

  // What the fuzzer found: each was a 500 from PostgreSQL before validation refused it.
  it.each([
    ['/api/indicators?domain=%00', 'domain'],
    ['/api/organisations?q=a%00b', 'q'],
    ['/api/networks?date=2024-02-30', 'date'],
    ['/api/networks?date=0000-01-01', 'date'],
    ['/api/networks/X?date=2023-02-29', 'date'],
  ])('refuses %s with a 400 naming %s', async (path, parameter) => {
    await expectApiError(app(), path, 400, parameter, 'invalid_parameter');
  });
});
