import { randomUUID } from 'node:crypto';
import { defaultQueueLimits, QueueFullError, type JobHandler, type JobKind, type JobKinds, type JobQueue, type JobState, type JobStatus, type QueueLimits } from './job-queue';

interface Job {
  id: string;
  kind: JobKind;
  data: JobKinds[JobKind];
  state: JobState;
}

/** Finished jobs remembered for their status, the oldest forgotten first. */
const rememberedFinished = 1000;

/**
 * The embedded default's queue: jobs run in this process, first come first served, at most `concurrency` of a
 * kind at once, the waiting ones bounded by limits.maxWaiting. Nothing outlives the process: a load cut off by a
 * stop rolled back with it, and the next start marks its upload failed (recoverUploads).
 */
export function inProcessJobQueue(limits: QueueLimits = defaultQueueLimits): JobQueue {
  const jobs = new Map<string, Job>();
  const waiting = new Map<JobKind, Job[]>();
  const workers = new Map<JobKind, { concurrency: number; running: number; handler: JobHandler<JobKind> }>();
  const running = new Set<Promise<void>>();
  let finished: string[] = [];
  let stopped = false;

  const waitingOf = (kind: JobKind) => waiting.get(kind) ?? waiting.set(kind, []).get(kind)!;
  const statusOf = (job: Job): JobStatus => {
    const place = waitingOf(job.kind).indexOf(job);
    return { id: job.id, state: job.state, position: place === -1 ? null : place + 1 };
  };

  const forgetOld = (id: string) => {
    finished.push(id);
    if (finished.length > rememberedFinished * 2) {
      for (const old of finished.slice(0, finished.length - rememberedFinished)) jobs.delete(old);
      finished = finished.slice(-rememberedFinished);
    }
  };

  const pump = (kind: JobKind) => {
    const worker = workers.get(kind);
    const queue = waitingOf(kind);
    while (worker && !stopped && worker.running < worker.concurrency && queue.length > 0) {
      const job = queue.shift()!;
      job.state = 'running';
      worker.running++;
      const run = worker
        .handler(job.data)
        .then(
          () => (job.state = 'done'),
          (error: unknown) => {
            console.error(error);
            job.state = 'failed';
          },
        )
        .then(() => {
          worker.running--;
          running.delete(run);
          forgetOld(job.id);
          pump(kind);
        });
      running.add(run);
    }
  };

  const checkRoom = (kind: JobKind) => {
    const queue = waitingOf(kind);
    if (queue.length >= limits.maxWaiting) throw new QueueFullError(queue.length, limits.retryAfterSeconds);
  };

  return {
    async checkRoom(kind) {
      checkRoom(kind);
    },
    async enqueue(kind, data) {
      checkRoom(kind);
      const queue = waitingOf(kind);
      const job: Job = { id: randomUUID(), kind, data, state: 'queued' };
      jobs.set(job.id, job);
      queue.push(job);
      const status = statusOf(job);
      // After the answer's status is taken: a job may start at once.
      queueMicrotask(() => pump(kind));
      return status;
    },
    async status(kind, id) {
      const job = jobs.get(id);
      return job?.kind === kind ? statusOf(job) : undefined;
    },
    async work(kind, concurrency, handler) {
      workers.set(kind, { concurrency: Math.max(1, concurrency), running: 0, handler: handler as JobHandler<JobKind> });
      pump(kind);
    },
    async stop() {
      stopped = true;
      await Promise.all(running);
    },
  };
}
