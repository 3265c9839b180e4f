import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createTestDatabase } from '../support/database';
import { loadRandomEconomy, type RandomEconomy } from './random-economy';

/**
 * The network SPC summary against a differencing adversary (issue 16): the same economy loaded again with every
 * withheld count changed (1, 4, and a mix of 1–4, counts and a proportion's complement alike) must give the same
 * answer, byte for byte, for every network and threshold. An icon, a count of members in a category, a chart
 * kind, a reason or the pooled network's icons that moved with a withheld count would tell the attacker something
 * about it. Members withheld in the period show no icon at all.
 */
const providers = 8;
const periods = 4;
// Per indicator (proportion, rate, ratio), the cells withheld: [period, provider], and whether the proportion's small side is its complement.
const withheld: { indicator: number; period: number; provider: number; complement?: boolean }[] = [
  { indicator: 0, period: 3, provider: 0 },
  { indicator: 0, period: 1, provider: 2 },
  { indicator: 0, period: 2, provider: 3, complement: true },
  { indicator: 1, period: 3, provider: 1 },
  { indicator: 1, period: 0, provider: 4 },
  { indicator: 2, period: 2, provider: 0 },
  { indicator: 2, period: 3, provider: 5 },
];

/** A fixed economy whose withheld cells hold `small(i)`; every other count is fixed and published. */
function economy(small: (index: number) => number): RandomEconomy {
  const figures = [0, 1, 2].map((indicator) =>
    Array.from({ length: periods }, (_, period) =>
      Array.from({ length: providers }, (_, provider): [number, number] => {
        const denominator = 400 + 37 * provider + 11 * period;
        const index = withheld.findIndex((cell) => cell.indicator === indicator && cell.period === period && cell.provider === provider);
        if (index >= 0) return [withheld[index].complement ? denominator - small(index) : small(index), denominator];
        // RXE's rate ends near its upper limit, whose centre pools its withheld first period: a leak would move its icon.
        if (indicator === 1 && provider === 4) return [[0, 12, 12, 19][period], 400];
        const rate = indicator === 0 ? 0.55 + 0.04 * ((provider * 3 + period) % 5) : 0.03 + 0.006 * ((provider + 2 * period) % 4);
        return [Math.round(rate * denominator), denominator];
      }),
    ),
  );
  return { providers, periods, networks: [[0], [0, 1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 5]], figures };
}

async function answers(variant: RandomEconomy): Promise<Record<string, string>> {
  const handle = await createTestDatabase();
  try {
    await loadRandomEconomy(handle, variant);
    const app = createApp({ db: handle.db, databaseKind: handle.kind });
    const seen: Record<string, string> = {};
    for (const network of ['RX-NET0', 'RX-NET1', 'RX-NET2']) {
      for (const query of ['', '&period=2024%2F25%20Q3', '&suppression=10']) {
        const response = await app.request(`/api/trends/network-spc-summary?network=${network}${query}`);
        expect(response.status, `${network}${query}`).toBe(200);
        seen[`${network}${query}`] = await response.text();
      }
    }
    return seen;
  } finally {
    await handle.close();
  }
}

describe('network SPC summary against a differencing adversary', () => {
  it('answers the same whatever the withheld counts are, and gives a withheld member no icon', async () => {
    const ones = await answers(economy(() => 1));
    const fours = await answers(economy(() => 4));
    const mixed = await answers(economy((index) => 1 + ((index * 3) % 4)));
    expect(fours).toEqual(ones);
    expect(mixed).toEqual(ones);

    const whole = JSON.parse(ones['RX-NET1']);
    const members = whole.indicators.flatMap((entry: any) => entry.members.map((member: any) => ({ ...member, indicator: entry.indicator.code })));
    // The latest period's withheld cells: RXA's proportion and RXB's rate, RXF's ratio.
    const withheldNow = members.filter((member: any) => member.status === 'withheld');
    expect(withheldNow.map((member: any) => `${member.indicator} ${member.code}`).sort()).toEqual(['RX-PROP RXA', 'RX-RATE RXB', 'RX-RATIO RXF']);
    for (const member of withheldNow) expect(Object.keys(member).sort()).toEqual(['code', 'indicator', 'name', 'status']);
    // Members withheld only earlier are charted from their published periods.
    expect(members.find((member: any) => member.indicator === 'RX-PROP' && member.code === 'RXC').status).toBe('charted');
    // A network of one member withheld in the period: neither the member nor the pooled chart has an icon.
    const single = JSON.parse(ones['RX-NET0']).indicators.find((entry: any) => entry.indicator.code === 'RX-PROP');
    expect(single.members).toEqual([{ code: 'RXA', name: 'Trust RXA', status: 'withheld' }]);
    expect(single.network.status).not.toBe('charted');
    expect(single.network).not.toHaveProperty('variation');
  }, 600_000);
});
