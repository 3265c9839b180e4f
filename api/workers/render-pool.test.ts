import { afterAll, describe, expect, it } from 'vitest';
import { drawChart } from '../exports/chart-exports';
import { funnel, packContent, section } from '../pack/pack-fixtures';
import { createRenderPool, RenderPoolFullError } from './render-pool';

describe('render pool', () => {
  const pool = createRenderPool({ threads: 1, queue: 1 });
  afterAll(() => pool.close());

  it('draws in a worker thread exactly what drawing on this thread gives, SVG and PNG', async () => {
    const drawing = { chart: 'funnel', json: funnel(), size: 'slide' } as const;
    const svg = await pool.drawChart({ ...drawing, format: 'svg' });
    expect(svg).toBe(drawChart({ ...drawing, format: 'svg' }));
    const png = await pool.drawChart({ ...drawing, format: 'png' });
    expect(png).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(png as Uint8Array).equals(Buffer.from(drawChart({ ...drawing, format: 'png' }) as Uint8Array))).toBe(true);
  }, 60_000);

  it('runs `threads` tasks, queues `queue` more and refuses the next at once, with a Retry-After of a second or more', async () => {
    const content = packContent([section()]);
    const gather = async () => content;
    const running = pool.buildPack(gather, 'pptx');
    const waiting = pool.buildPack(gather, 'pdf');
    expect(pool.pending).toBe(2);
    const refused = pool.buildPack(gather, 'pdf');
    await expect(refused).rejects.toBeInstanceOf(RenderPoolFullError);
    const error = (await refused.catch((caught: unknown) => caught)) as RenderPoolFullError;
    expect(error.pending).toBe(2);
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(() => pool.assertRoom()).toThrow(RenderPoolFullError);
    const [{ file: deck }, { file: document }] = await Promise.all([running, waiting]);
    expect(Buffer.from(deck.subarray(0, 2)).toString('latin1')).toBe('PK');
    expect(Buffer.from(document.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    // Room again once they are done.
    expect(pool.pending).toBe(0);
    expect(() => pool.assertRoom()).not.toThrow();
  }, 120_000);
});

describe('render pool: gathering packs', () => {
  it('gathers no more packs at once than it has threads, each in turn, all of them', async () => {
    const pool = createRenderPool({ threads: 2, queue: 8 });
    let gathering = 0;
    let most = 0;
    const gather = async () => {
      most = Math.max(most, ++gathering);
      await new Promise((done) => setTimeout(done, 30));
      gathering--;
      return packContent([section()]);
    };
    const built = await Promise.all(Array.from({ length: 6 }, () => pool.buildPack(gather, 'pptx')));
    await pool.close();
    expect(most).toBe(2);
    expect(built).toHaveLength(6);
    for (const { file } of built) expect(Buffer.from(file.subarray(0, 2)).toString('latin1')).toBe('PK');
  }, 120_000);
});
