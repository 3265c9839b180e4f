import { describe, expect, it, vi } from 'vitest';
import { inProcessJobQueue } from './in-process-queue';
import { QueueFullError } from './job-queue';

const job = (uploadId: string) => ({ uploadId, confirmedBy: { userId: 1, subject: 'analyst@example.nhs.uk' } });

/** A promise with its resolve and reject, so a test decides when each job finishes. */
function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('in-process job queue', () => {
  it('runs jobs first come first served, at most the concurrency at once, and says where each waits', async () => {
    const queue = inProcessJobQueue({ maxWaiting: 10, retryAfterSeconds: 7 });
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const started: string[] = [];
    await queue.work('upload-load', 2, async ({ uploadId }) => {
      started.push(uploadId);
      const gate = deferred();
      gates.set(uploadId, gate);
      await gate.promise;
    });
    const statuses = [];
    for (const id of ['a', 'b', 'c', 'd']) statuses.push(await queue.enqueue('upload-load', job(id)));
    // Each was told its place when it was queued, before any had started.
    expect(statuses.map((status) => [status.state, status.position])).toEqual([['queued', 1], ['queued', 1], ['queued', 1], ['queued', 2]]);
    await settled();
    expect(started).toEqual(['a', 'b']);
    const now = await Promise.all(statuses.map((status) => queue.status('upload-load', status.id)));
    expect(now.map((status) => [status?.state, status?.position])).toEqual([['running', null], ['running', null], ['queued', 1], ['queued', 2]]);

    gates.get('b')!.resolve();
    await settled();
    expect(started).toEqual(['a', 'b', 'c']);
    // A handler's unexpected error is logged for the operator and fails the job.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    gates.get('a')!.reject(new Error('broken'));
    await settled();
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ message: 'broken' }));
    logged.mockRestore();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    const after = await Promise.all(statuses.map((status) => queue.status('upload-load', status.id)));
    expect(after.map((status) => status?.state)).toEqual(['failed', 'done', 'running', 'running']);
    gates.get('c')!.resolve();
    gates.get('d')!.resolve();
    await queue.stop();
  });

  it('refuses a job beyond the waiting limit with when to try again, and takes one again once one has started', async () => {
    const queue = inProcessJobQueue({ maxWaiting: 2, retryAfterSeconds: 7 });
    await queue.enqueue('upload-load', job('a'));
    await queue.enqueue('upload-load', job('b'));
    const refusal = await queue.enqueue('upload-load', job('c')).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(QueueFullError);
    expect(refusal).toMatchObject({ waiting: 2, retryAfterSeconds: 7 });
    const gate = deferred();
    await queue.work('upload-load', 1, () => gate.promise);
    expect((await queue.enqueue('upload-load', job('c'))).position).toBe(2);
    expect(await queue.status('upload-load', 'no-such-job')).toBeUndefined();
    gate.resolve();
  });
});
