import { expect, it } from 'vitest';
import { describeDemoApi, getJson } from '../support/demo-api';

const allConventions = ['spiegelhalter', 'cqc', 'shmi'];

// The convention menu of an indicator's page offers what GET /api/funnel names in indicator.conventions. Each
// offered convention must draw (no dead end), and each left out must be refused in words naming the choices,
// not the statistics' own message: the funnel engine, not this list, is the judge of what draws.
describeDemoApi('the conventions an indicator offers (indicator.conventions)', ({ app }) => {
  it('draws every convention offered and refuses every other in plain words, for every demo indicator', async () => {
    const { indicators } = await getJson<{ indicators: { code: string; hasData?: boolean }[] }>(app(), '/api/indicators');
    let refused = 0;
    for (const { code } of indicators) {
      const response = await app().request(`/api/funnel?indicator=${code}`);
      if (response.status === 404) continue;
      const { indicator } = (await response.json()) as { indicator: { conventions: string[] } };
      expect(indicator.conventions, code).toContain('spiegelhalter');
      for (const convention of allConventions) {
        const asked = await app().request(`/api/funnel?indicator=${code}&convention=${convention}`);
        if (indicator.conventions.includes(convention)) {
          expect(asked.status, `${code} ${convention}`).toBe(200);
          continue;
        }
        refused += 1;
        expect(asked.status, `${code} ${convention}`).toBe(422);
        const { error } = (await asked.json()) as { error: { parameter: string; message: string } };
        expect(error.parameter).toBe('convention');
        expect(error.message).toContain(code);
        expect(error.message).toMatch(/^The (SHMI|CQC) convention cannot be used for .+\. Choose /);
      }
    }
    expect(refused).toBeGreaterThan(0);
  });
});
