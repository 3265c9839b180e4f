import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createApiToken } from '../../api/auth/tokens.queries';
import { schema, type Database } from '../../db';
import { createTestDatabase } from '../support/database';
import { describeDemoApi } from '../support/demo-api';
import { rawObservations } from '../support/raw-observations';
import { attack, type AttackResult } from './adversary';
import { formatScore, scoreAttack } from './attack-score';
import { cellKey } from './equation-book';
import type { CellTruth } from './linear-attack';
import { loadRandomEconomy, randomEconomy } from './random-economy';

/**
 * Issue 12's proof: small-number suppression must hold against an attacker who asks every route that answers
 * figures, writes what it learns as equations over the withheld counts and denominators (pooled sums, SPC
 * centres, inverted intervals) and solves them. The suppressed cells are found from the API's answers alone;
 * the truth is read from the database only to score the attack. Any cell recovered, exactly, to within the
 * threshold or as a rate, or any below-floor `suppression` answered for an anonymous caller or a viewer, fails.
 */
const threshold = 5;

export async function viewerToken(db: Database): Promise<string> {
  const [viewer] = await db.insert(schema.users).values({ subject: 'disclosure-viewer', role: 'viewer' }).returning();
  return (await createApiToken(db, { userId: viewer.id, scopes: ['read'], days: 1 })).token;
}

/** Each attacked cell's withheld figures: the numerator and denominator, or observed and expected for a ratio. */
export async function truthOf(db: Database, result: AttackResult): Promise<Map<string, CellTruth>> {
  const truth = new Map<string, CellTruth>();
  for (const indicator of new Set(result.funnels.map((funnel) => funnel.indicator.code))) {
    for (const row of await rawObservations(db, indicator)) {
      const ratio = row.observed !== null && row.numerator === null;
      const count = ratio ? row.observed : row.numerator;
      const denominator = ratio ? row.expected : row.denominator;
      if (count !== null && denominator !== null) truth.set(cellKey(indicator, row.code, row.period), { count, denominator });
    }
  }
  return truth;
}

export function expectNothingRecovered(title: string, result: AttackResult, truth: Map<string, CellTruth>): void {
  const multipliers = new Map(result.funnels.map((funnel) => [funnel.indicator.code, funnel.indicator.multiplier]));
  const score = scoreAttack(result, truth, threshold, multipliers);
  console.log(formatScore(title, score));
  expect(score.cells, 'the attack found suppressed cells to attack').toBeGreaterThan(0);
  expect(result.serverErrors.slice(0, 5), 'every route the attack asked answered without a server error').toEqual([]);
  expect({ exact: score.combined.exact, withinThreshold: score.combined.withinThreshold, rate: score.combined.rate }).toEqual({ exact: 0, withinThreshold: 0, rate: 0 });
  expect(result.belowFloor.honoured, 'below-floor suppression answered for anonymous or viewer callers').toEqual({});
}

describeDemoApi('disclosure control against an adversary', ({ app, database }) => {
  let token: string;
  beforeAll(async () => {
    token = await viewerToken(database().db);
  });

  it('recovers no suppressed demo cell from any route, alone or combined', async () => {
    const result = await attack(async (path, headers) => app().request(path, { headers }), { viewerToken: token, packs: 1, svgCharts: 4, csvCharts: 8, networkPeriods: 3, profiles: 8, log: (line) => process.stderr.write(`${line}\n`) });
    expectNothingRecovered('demo data', result, await truthOf(database().db, result));
  }, 600_000);
});

describe('disclosure control against an adversary, on random economies', () => {
  it('recovers no suppressed cell of a random economy (proportion, rate and ratio; overlapping and one-member networks)', async () => {
    await fc.assert(
      fc.asyncProperty(randomEconomy, async (economy) => {
        const handle = await createTestDatabase();
        try {
          await loadRandomEconomy(handle, economy);
          const app = createApp({ db: handle.db, databaseKind: handle.kind });
          const token = await viewerToken(handle.db);
          const result = await attack(async (path, headers) => app.request(path, { headers }), { viewerToken: token, packs: 1, svgCharts: 2, csvCharts: 2, networkPeriods: 2, profiles: 3 });
          expectNothingRecovered(`random economy of ${economy.providers} providers, ${economy.periods} periods`, result, await truthOf(handle.db, result));
        } finally {
          await handle.close();
        }
      }),
      { numRuns: 3, seed: 20261123, endOnFailure: true },
    );
  }, 600_000);
});
