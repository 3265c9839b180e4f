/** The kinds of work done off the request path, with what each job carries. */
export interface JobKinds {
  /** A staged upload checked and compared with the current figures (api/routes/uploads/upload-preview.ts); uploadedBy as the audit trail names them. */
  'upload-preview': { uploadId: string; uploadedBy: { actor: string; userId: number | null } };
  /** A confirmed upload loaded in one transaction (api/routes/uploads/upload-load.ts). */
  'upload-load': { uploadId: string; confirmedBy: { userId: number; subject: string } };
}
export type JobKind = keyof JobKinds;

/** A job as a client sees it: waiting (with its place, 1 first), running, done, or failed for good. */
export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface JobStatus {
  id: string;
  state: JobState;
  /** Its place among the waiting jobs of its kind (1: next to run); null once it runs. */
  position: number | null;
}

export type JobHandler<Kind extends JobKind> = (data: JobKinds[Kind]) => Promise<void>;

/**
 * Work taken off the request path: a request enqueues a job and answers at once; a worker runs it. The embedded
 * default runs jobs in this process (in-process-queue.ts); with PostgreSQL they go through pg-boss
 * (pg-boss-queue.ts), so any replica may enqueue and any worker process may run them.
 */
export interface JobQueue {
  /** Throws QueueFullError when a job of this kind would be refused now: asked before a request's body is read. */
  checkRoom(kind: JobKind): Promise<void>;
  /** Queues a job and says where it stands; a full queue throws QueueFullError. */
  enqueue<Kind extends JobKind>(kind: Kind, data: JobKinds[Kind]): Promise<JobStatus>;
  /** Where a job stands now; undefined when this queue does not know it (an earlier process's, or long gone). */
  status(kind: JobKind, id: string): Promise<JobStatus | undefined>;
  /** Starts taking jobs of this kind in this process, at most `concurrency` at once. */
  work<Kind extends JobKind>(kind: Kind, concurrency: number, handler: JobHandler<Kind>): Promise<void>;
  /** Stops taking jobs, waits for those running, and lets go of the database. */
  stop(): Promise<void>;
}

export interface QueueLimits {
  /** Jobs of one kind allowed to wait; one more is refused with a 429. */
  maxWaiting: number;
  /** What a refusal's Retry-After says, in seconds. */
  retryAfterSeconds: number;
}

export const defaultQueueLimits: QueueLimits = { maxWaiting: 20, retryAfterSeconds: 30 };

/** A job refused because the queue is full; the route answers 429 with Retry-After. */
export class QueueFullError extends Error {
  constructor(
    readonly waiting: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`The queue is full (${waiting} jobs waiting); try again in ${retryAfterSeconds} s`);
  }
}
