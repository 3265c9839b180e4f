/**
 * What the render pool's worker threads run (api/workers/render-pool.ts): the CPU-heavy half of exports and
 * packs, whose inputs are the API's JSON answers already gathered on the main thread.
 */
import { move } from 'piscina';
import { drawChart, type ChartDrawing } from '../exports/chart-exports';
import type { PackContent } from '../pack/pack-content';
import { packFiles, type PackFormat } from '../pack/pack-files';

export function drawChartTask(drawing: ChartDrawing): string | Uint8Array {
  const drawn = drawChart(drawing);
  // The PNG's bytes are handed over, not copied.
  return typeof drawn === 'string' ? drawn : (move(drawn) as Uint8Array);
}

export interface PackWriting {
  content: PackContent;
  format: PackFormat;
}

export async function writePackTask({ content, format }: PackWriting): Promise<Uint8Array> {
  const file = (await packFiles(content, [format])).get(format)!;
  return move(new Uint8Array(file)) as Uint8Array;
}
