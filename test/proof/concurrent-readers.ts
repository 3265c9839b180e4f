import { join } from 'node:path';
import { createApp } from '../../api/app';
import { addUser, createTokenFor } from '../../etl/access/access';
import type { DatabaseHandle } from '../../db';
import { loadObservations } from '../../etl/load/load-observations';
import { openObservationSource } from '../../etl/sources/open-source';
import { bulkIndicatorCode, bulkPeriodLabel, rowsOf, seedBulkReference, spawnLoader, writeBulkObservations, type BulkShape } from './bulk-load';

/**
 * Readers hammering the API while the ETL CLI loads a large batch in another process. The batch revises
 * period 0 of every indicator (first loaded at 5 %, now 10 %) and adds the other periods, so every read can
 * say which side of the commit it saw: the observation count is one of two numbers, a funnel's providers are
 * all at 5 % or all at 10 %, an indicator has one period or all of them. Anything in between is part of a batch.
 */

export interface ConcurrencyResult {
  rows: number;
  readers: number;
  reads: number;
  /** Reads that saw the state before the commit, and after it. */
  sawBefore: number;
  sawAfter: number;
  inconsistent: string[];
  errors: string[];
  loadSeconds: number;
}

type Verdict = 'before' | 'after' | { inconsistent: string } | { error: string };

const firstFraction = 0.05;
const loadFraction = 0.1;

/** Which batch a provider's value (per cent) comes from: numerators are round(denominator × fraction), denominators ≥ 100. */
const batchOfValue = (value: number) => (Math.abs(value - firstFraction * 100) < 0.6 ? 'before' : Math.abs(value - loadFraction * 100) < 0.6 ? 'after' : 'neither');

export async function readersDuringLoad(handle: DatabaseHandle, url: string, shape: BulkShape, options: { readers: number; folder: string }): Promise<ConcurrencyResult> {
  await seedBulkReference(handle.db, shape);
  const first = join(options.folder, 'first-batch.csv');
  await writeBulkObservations(first, { ...shape, periods: 1 }, { fraction: firstFraction, seed: 7 });
  await loadObservations(handle, await openObservationSource(first), first);
  const file = join(options.folder, 'large-batch.csv');
  const rows = await writeBulkObservations(file, shape, { fraction: loadFraction });

  const app = createApp({ db: handle.db, databaseKind: handle.kind });
  const countBefore = shape.indicators * shape.organisations;
  const countAfter = rowsOf(shape);
  // Health's row counts are for admins only; the funnels read every count, which below the floor an admin may, saying why.
  const proofReason = encodeURIComponent('concurrency proof on generated data');
  await addUser(handle, { subject: 'proof-admin', role: 'admin', networks: [] }, 'proof');
  const { token } = await createTokenFor(handle, { subject: 'proof-admin', scopes: 'read', days: 1 }, 'proof');
  const json = async (path: string) => {
    const response = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: await response.json() };
  };

  /** One read of one kind, judged: before, after, a mixture, or an error. */
  const read = async (n: number): Promise<Verdict> => {
    const indicator = bulkIndicatorCode(n % shape.indicators);
    switch (n % 4) {
      case 0: {
        const { status, body } = await json('/api/health');
        if (status !== 200) return { error: `health ${status}` };
        const count = Number(body.counts.observations);
        return count === countBefore ? 'before' : count === countAfter ? 'after' : { inconsistent: `health counted ${count} observations` };
      }
      case 1: {
        const { status, body } = await json(`/api/funnel?indicator=${indicator}&period=${encodeURIComponent(bulkPeriodLabel(0))}&suppression=0&suppressionReason=${proofReason}`);
        if (status !== 200) return { error: `funnel ${status} ${JSON.stringify(body).slice(0, 200)}` };
        const batches = new Set((body.providers as { value: number }[]).map((provider) => batchOfValue(provider.value)));
        if (body.providers.length !== shape.organisations || batches.size !== 1 || batches.has('neither')) {
          return { inconsistent: `funnel of ${indicator} had ${body.providers.length} providers from ${[...batches].join(' and ')}` };
        }
        return [...batches][0] as 'before' | 'after';
      }
      case 2: {
        const { status, body } = await json(`/api/indicators/${indicator}/periods`);
        if (status !== 200) return { error: `periods ${status}` };
        const periods = body.periods.length;
        return periods === 1 ? 'before' : periods === shape.periods ? 'after' : { inconsistent: `${indicator} had ${periods} periods` };
      }
      default: {
        // A period only the large batch brings: not found before the commit, every provider after it.
        const { status, body } = await json(`/api/funnel?indicator=${indicator}&period=${encodeURIComponent(bulkPeriodLabel(shape.periods - 1))}&suppression=0&suppressionReason=${proofReason}`);
        if (status === 404 && body.error?.parameter === 'period') return 'before';
        if (status !== 200) return { error: `new-period funnel ${status}` };
        return body.providers.length === shape.organisations ? 'after' : { inconsistent: `new period of ${indicator} had ${body.providers.length} providers` };
      }
    }
  };

  const result: ConcurrencyResult = { rows, readers: options.readers, reads: 0, sawBefore: 0, sawAfter: 0, inconsistent: [], errors: [], loadSeconds: 0 };
  let loading = true;
  let readsAfterExit = 0;
  const reader = async (offset: number) => {
    // Keep reading until the load is over and every kind of read has been made once more afterwards.
    for (let n = offset; loading || readsAfterExit < 4 * options.readers; n++) {
      const startedAfterCommit = !loading;
      const verdict = await read(n).catch((error: unknown): Verdict => ({ error: String(error) }));
      if (startedAfterCommit) readsAfterExit++;
      result.reads++;
      if (verdict === 'before' && startedAfterCommit) result.inconsistent.push(`read ${n % 4} saw the old state after the load had committed`);
      else if (verdict === 'before') result.sawBefore++;
      else if (verdict === 'after') result.sawAfter++;
      else if ('inconsistent' in verdict) result.inconsistent.push(verdict.inconsistent);
      else result.errors.push(verdict.error);
    }
  };

  const started = performance.now();
  const loader = spawnLoader(file, { url });
  const readers = Array.from({ length: options.readers }, (_, i) => reader(i));
  const exit = await loader.exited;
  result.loadSeconds = (performance.now() - started) / 1000;
  loading = false;
  await Promise.all(readers);
  if (exit.code !== 0) result.errors.push(`the loader failed (exit ${exit.code}): ${exit.output}`);
  return result;
}
