import { inProcessJobQueue } from './in-process-queue';
import type { JobQueue } from './job-queue';
import { pgBossJobQueue } from './pg-boss-queue';

export interface JobQueueConfig {
  workers: number;
  maxWaiting: number;
  retryAfterSeconds: number;
  deadWorkerCheckSeconds: number;
}

/** The queue for this deployment: pg-boss on PostgreSQL, shared by every replica and worker; otherwise this process's own. */
export function openJobQueue(databaseUrl: string | undefined, config: JobQueueConfig): Promise<JobQueue> {
  const limits = { maxWaiting: config.maxWaiting, retryAfterSeconds: config.retryAfterSeconds };
  return databaseUrl ? pgBossJobQueue({ url: databaseUrl, deadWorkerCheckSeconds: config.deadWorkerCheckSeconds, ...limits }) : Promise.resolve(inProcessJobQueue(limits));
}
