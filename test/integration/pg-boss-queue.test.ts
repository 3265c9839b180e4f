import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { QueueFullError, type JobKinds, type JobQueue, type JobStatus } from '../../api/jobs/job-queue';
import { pgBossJobQueue } from '../../api/jobs/pg-boss-queue';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { describeFault } from '../proof/describe-fault';

const job = (uploadId: string): JobKinds['upload-load'] => ({ uploadId, confirmedBy: { userId: 1, subject: 'analyst@example.nhs.uk' } });

/**
 * The PostgreSQL queue (pg-boss) as the API uses it: places in the queue in the order jobs are taken, a full
 * queue refused, states as a client reads them, a failing job run again and then failed for good.
 */
describeFault('job queue on PostgreSQL (pg-boss)', { privateCluster: false }, () => {
  let database: TestDatabase;
  let queue: JobQueue;

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${database.name}`;
    queue = await pgBossJobQueue({ url: url.toString(), maxWaiting: 3, retryAfterSeconds: 11, retryLimit: 1, pollingSeconds: 0.5, deadWorkerCheckSeconds: 1 });
  }, 60_000);

  afterAll(async () => {
    await queue?.stop();
    await database?.close();
  });

  it('says where each job waits, refuses one beyond the limit, runs them in that order, and fails one that keeps failing', async () => {
    const queued: JobStatus[] = [];
    for (const id of ['a', 'b', 'c']) queued.push(await queue.enqueue('upload-load', job(id)));
    expect(queued.map((status) => [status.state, status.position])).toEqual([['queued', 1], ['queued', 2], ['queued', 3]]);
    const refusal = await queue.enqueue('upload-load', job('d')).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(QueueFullError);
    expect(refusal).toMatchObject({ waiting: 3, retryAfterSeconds: 11 });
    expect(await queue.status('upload-load', '00000000-0000-4000-8000-000000000000')).toBeUndefined();

    const ran: string[] = [];
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await queue.work('upload-load', 1, async ({ uploadId }) => {
      ran.push(uploadId);
      if (uploadId === 'b') throw new Error('b cannot load');
    });
    const states = async () => Promise.all(queued.map(async (status) => (await queue.status('upload-load', status.id))?.state));
    await expect.poll(states, { timeout: 20_000, interval: 200 }).toEqual(['done', 'failed', 'done']);
    logged.mockRestore();
    // b ran twice (its one retry), and the others once each, in the order they were queued.
    expect(ran.filter((id) => id !== 'b')).toEqual(['a', 'c']);
    expect(ran.filter((id) => id === 'b')).toHaveLength(2);
    expect(ran[0]).toBe('a');
  }, 60_000);
});
