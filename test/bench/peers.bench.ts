import { nearestNeighbours } from '../../api/stats/peers';
import { opportunity } from '../../api/stats/opportunity';
import { medianSeconds, report } from './measure';

/**
 * Issue 18: a nearest-neighbour peer search over 7,000 providers and 10 attributes in under 50 ms, against a
 * baseline of one pass over the same 70,000 values (their means) in the same run; and the opportunity of a
 * 40-member network with its simulated intervals (2,000 draws).
 */
export async function peersBench(): Promise<void> {
  let seed = 5;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const candidates = Array.from({ length: 7000 }, (_, i) => ({ id: `P${String(i).padStart(4, '0')}`, values: Array.from({ length: 10 }, (__, a) => next() * (a + 1) * 100) }));
  const weights = Array.from({ length: 10 }, (_, a) => 1 + (a % 3));
  let sink = 0;
  const baseline = await medianSeconds(() => {
    for (let a = 0; a < 10; a++) {
      let total = 0;
      for (const c of candidates) total += c.values[a];
      sink += total / candidates.length;
    }
  }, 21);
  const search = await medianSeconds(() => {
    sink += nearestNeighbours(candidates, 'P3500', weights, 10).neighbours[0].distance;
  }, 11);
  const members = Array.from({ length: 40 }, (_, i) => ({ id: `M${i}`, size: 200 + 50 * i, mean: Math.asin(Math.sqrt(0.1 + 0.002 * i)), sd: 0.02 }));
  const sizing = await medianSeconds(() => {
    sink += opportunity({ providers: members, toNatural: (y) => Math.sin(y) ** 2, benchmark: 0.12, polarity: 'lower-is-better' }).total.opportunity;
  }, 7);
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the work from being optimised away');
  const ms = (seconds: number) => `${(seconds * 1000).toFixed(2)} ms`;
  report('Peers and opportunity, in process (median of repeated runs)', [
    { name: 'nearest 10 of 7,000 providers on 10 attributes', value: ms(search), baseline: `column means alone ${ms(baseline)}`, ratio: search / baseline, target: 'under 50 ms' },
    { name: 'opportunity of 40 members, 2,000 draws', value: ms(sizing), baseline: `column means alone ${ms(baseline)}`, ratio: sizing / baseline },
  ]);
}
