/**
 * Worker threads (piscina) for what would otherwise hold the event loop for seconds: drawing an export's chart
 * (ECharts SSR, resvg) and writing a board pack (charts, PPTX, PDF). The main thread gathers the numbers through
 * the API's routes and sends plain JSON; `/api/health` and every other request keep being answered meanwhile.
 * At most `threads` tasks run and `queue` wait; beyond that the pool refuses at once (a 429 with Retry-After)
 * rather than letting the wait grow without bound. The bound is counted here, not by piscina's maxQueue, which
 * also counts tasks waiting for a thread that is still starting.
 */
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Context } from 'hono';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import type { ChartDrawing } from '../exports/chart-exports';
import type { PackContent } from '../pack/pack-content';
import type { PackFormat } from '../pack/pack-files';
import type { PackWriting } from './render-tasks';

export interface RenderPoolSize {
  /** Worker threads: tasks rendered at once. */
  threads: number;
  /** Tasks that may wait for a thread; more are refused. */
  queue: number;
}

/** One core left for the event loop (the API's own requests, a pack's gathering); 16 tasks may wait. */
export const defaultRenderPoolSize: RenderPoolSize = { threads: Math.max(1, availableParallelism() - 1), queue: 16 };

/** The pool is full; `retryAfterSeconds` is about when a thread should be free. */
export class RenderPoolFullError extends Error {
  constructor(
    readonly pending: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`The render pool is full: ${pending} tasks running or waiting`);
  }
}

export interface RenderPool {
  drawChart(drawing: ChartDrawing): Promise<string | Uint8Array>;
  /**
   * A board pack, one task from admission to file: its numbers gathered on this thread by `gather`, no more packs
   * at a time than there are threads (the pool writes no more at once, so gathering more would only hold the
   * event loop), then its file written in a worker.
   */
  buildPack(gather: () => Promise<PackContent>, format: PackFormat): Promise<{ content: PackContent; file: Uint8Array }>;
  /** Refuses (RenderPoolFullError) when a task asked for now would not be queued, so a pack's gathering is not wasted. */
  assertRoom(): void;
  /** Tasks running and waiting. */
  readonly pending: number;
  close(): Promise<void>;
}

/**
 * The compiled server (dist/) has the tasks' JavaScript beside it, named render-tasks.js by the build; under tsx
 * or vitest the workers register tsx and import the TypeScript source.
 */
function workerModule(): string {
  const here = import.meta.filename ?? fileURLToPath(import.meta.url);
  return join(dirname(here), here.endsWith('.js') ? 'render-tasks.js' : 'render-tasks.tsx-loader.mjs');
}

/** A pool whose threads start with its first task (an app that never renders starts none) and stop when idle a minute. */
export function createRenderPool(size: RenderPoolSize = defaultRenderPoolSize): RenderPool {
  let pool: Piscina | undefined;
  let running = 0;
  // The threads run at a lower priority (nice +10) than the event loop's, so requests are answered first.
  const started = () =>
    (pool ??= new Piscina({ filename: workerModule(), minThreads: 0, maxThreads: size.threads, idleTimeout: 60_000, niceIncrement: 10 }));

  function assertRoom(): void {
    const waiting = Math.max(0, running - size.threads);
    if (running < size.threads || waiting < size.queue) return;
    // About when a thread frees up: the waiting tasks shared among the threads, at the mean time a task has taken.
    const meanSeconds = (pool?.histogram.runTime.mean ?? 0) / 1000;
    const retryAfter = Math.max(1, Math.ceil(((waiting + 1) / size.threads) * (Number.isFinite(meanSeconds) && meanSeconds > 0 ? meanSeconds : 5)));
    throw new RenderPoolFullError(running, retryAfter);
  }

  async function admitted<T>(task: () => Promise<T>): Promise<T> {
    assertRoom();
    running++;
    try {
      return await task();
    } finally {
      running--;
    }
  }

  // Packs gathering now, and those waiting for their turn (each handed the slot of the one before).
  let gathering = 0;
  const waitingToGather: (() => void)[] = [];
  async function inTurn<T>(gather: () => Promise<T>): Promise<T> {
    if (gathering < size.threads) gathering++;
    else await new Promise<void>((turn) => waitingToGather.push(turn));
    try {
      return await gather();
    } finally {
      const next = waitingToGather.shift();
      if (next) next();
      else gathering--;
    }
  }

  return {
    drawChart: (drawing) => admitted(() => started().run(drawing, { name: 'drawChartTask' })),
    buildPack: (gather, format) =>
      admitted(async () => {
        const content = await inTurn(gather);
        const writing: PackWriting = { content, format };
        return { content, file: (await started().run(writing, { name: 'writePackTask' })) as Uint8Array };
      }),
    assertRoom,
    get pending() {
      return running;
    },
    close: async () => {
      await pool?.close();
      pool = undefined;
    },
  };
}

/** A request's use of the render pool: a full pool is the API's JSON 429, with Retry-After. */
export async function usingRenderPool<T>(c: Context<AppEnv>, use: (pool: RenderPool) => T | Promise<T>): Promise<T> {
  try {
    return await use(c.var.deps.renderPool);
  } catch (error) {
    if (!(error instanceof RenderPoolFullError)) throw error;
    c.header('retry-after', String(error.retryAfterSeconds));
    throw new ApiError(429, 'render_queue_full', `The server is busy drawing charts and writing packs (${error.pending} running or waiting); try again in ${error.retryAfterSeconds} s`);
  }
}
