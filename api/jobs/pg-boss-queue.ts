import PgBoss from 'pg-boss';
import postgres from 'postgres';
import { defaultQueueLimits, QueueFullError, type JobHandler, type JobKind, type JobKinds, type JobState, type QueueLimits } from './job-queue';
import type { JobQueue } from './job-queue';

export interface PgBossQueueOptions extends Partial<QueueLimits> {
  url: string;
  /** How often a worker process looks for jobs left running by a worker that died, and has them run again. */
  deadWorkerCheckSeconds?: number;
  /** Runs of a job beyond its first, when its worker dies or its handler throws. */
  retryLimit?: number;
  /** How often an idle worker asks for a job. */
  pollingSeconds?: number;
}

const schemaName = 'pgboss';
/** The first key of the advisory locks by which a running job shows that its worker is alive. */
const runningJobLock = 7325003;
/** A job fetched this recently may not have taken its lock yet. */
const lockGraceSeconds = 5;
/** The longest a job may run before pg-boss itself gives up on it. */
const maxRunSeconds = 4 * 60 * 60;

const states: Record<PgBoss.JobWithMetadata['state'], JobState> = { created: 'queued', retry: 'queued', active: 'running', completed: 'done', cancelled: 'failed', failed: 'failed' };

/**
 * Jobs on PostgreSQL through pg-boss (its own schema, `pgboss`, made and migrated by pg-boss at start), so every
 * replica enqueues to and every worker process takes from one queue. pg-boss 10 finds a dead worker's job only
 * when the job's expiry passes, and a time-based lease would also expire a live worker busy in a long
 * CPU-bound stretch. So a running job holds a PostgreSQL advisory lock on a connection of its worker's: the
 * lock goes the moment the worker's process dies, and every worker process checks every
 * deadWorkerCheckSeconds for running jobs whose lock nobody holds, failing them so pg-boss runs them again.
 */
export async function pgBossJobQueue(options: PgBossQueueOptions): Promise<JobQueue> {
  const limits = { ...defaultQueueLimits, ...options };
  const boss = new PgBoss({ connectionString: options.url, schema: schemaName, max: 4, application_name: 'variation-atlas-jobs', schedule: false });
  boss.on('error', (error) => console.error(`job queue: ${error.message}`));
  await boss.start();
  const db = boss.getDb();
  // Sessions that hold the running jobs' locks, and one that checks them.
  const locks = postgres(options.url, { max: 8, onnotice: () => {}, connection: { application_name: 'variation-atlas-job-locks' } });
  const created = new Set<JobKind>();
  const checks: NodeJS.Timeout[] = [];
  const ensureQueue = async (kind: JobKind) => {
    if (created.has(kind)) return;
    // createQueue is idempotent; the policy and retries are the queue's, so every replica sends alike.
    await boss.createQueue(kind, { name: kind, policy: 'standard', retryLimit: options.retryLimit ?? 2, retryDelay: 0, expireInSeconds: maxRunSeconds });
    created.add(kind);
  };

  /** Jobs of the kind waiting ahead of this one, in pg-boss's own fetch order (priority, then age). */
  const ahead = async (kind: JobKind, id: string) => {
    const { rows } = await db.executeSql(
      `select count(*)::int as ahead from ${schemaName}.job j, ${schemaName}.job me
        where me.name = $1 and me.id = $2 and j.name = $1 and j.state < 'active' and j.id <> me.id
          and (j.priority > me.priority or (j.priority = me.priority and (j.created_on, j.id) < (me.created_on, me.id)))`,
      [kind, id],
    );
    return Number(rows[0]?.ahead ?? 0);
  };

  /** Fails the running jobs of the kind whose worker no longer holds their lock: pg-boss then runs them again. */
  const failDeadWorkersJobs = async (kind: JobKind) => {
    const { rows } = await db.executeSql(`select id from ${schemaName}.job where name = $1 and state = 'active' and started_on < now() - $2 * interval '1 second'`, [kind, lockGraceSeconds]);
    for (const { id } of rows as { id: string }[]) {
      const [{ free }] = await locks.begin(async (tx) => tx<{ free: boolean }[]>`select pg_try_advisory_xact_lock(${runningJobLock}, hashtext(${id})) as free`);
      if (!free) continue;
      console.warn(`job queue: ${kind} job ${id} was left running by a worker that stopped; it will run again`);
      await boss.fail(kind, id, { message: 'its worker stopped while it ran' });
    }
  };

  const checkRoom = async (kind: JobKind) => {
    await ensureQueue(kind);
    const waiting = await boss.getQueueSize(kind);
    if (waiting >= limits.maxWaiting) throw new QueueFullError(waiting, limits.retryAfterSeconds);
  };

  return {
    checkRoom,
    async enqueue<Kind extends JobKind>(kind: Kind, data: JobKinds[Kind]) {
      await checkRoom(kind);
      const id = await boss.send(kind, data);
      if (id === null) throw new Error(`job queue: pg-boss did not take the ${kind} job`);
      return { id, state: 'queued' as const, position: (await ahead(kind, id)) + 1 };
    },
    async status(kind, id) {
      await ensureQueue(kind);
      const job = await boss.getJobById(kind, id, { includeArchive: true });
      if (!job) return undefined;
      const state = states[job.state];
      return { id, state, position: state === 'queued' ? (await ahead(kind, id)) + 1 : null };
    },
    async work<Kind extends JobKind>(kind: Kind, concurrency: number, handler: JobHandler<Kind>) {
      await ensureQueue(kind);
      // pg-boss 10 runs one job at a time per work(): one each for the concurrency asked.
      for (let i = 0; i < concurrency; i++) {
        await boss.work<JobKinds[Kind]>(kind, { batchSize: 1, pollingIntervalSeconds: options.pollingSeconds ?? 1 }, async ([job]) => {
          const holder = await locks.reserve();
          try {
            await holder`select pg_advisory_lock(${runningJobLock}, hashtext(${job.id}))`;
            await handler(job.data);
          } finally {
            await holder`select pg_advisory_unlock(${runningJobLock}, hashtext(${job.id}))`.catch(() => undefined);
            holder.release();
          }
        });
      }
      const check = () => void failDeadWorkersJobs(kind).catch((error: Error) => console.error(`job queue: checking for dead workers' jobs: ${error.message}`));
      check();
      checks.push(setInterval(check, (options.deadWorkerCheckSeconds ?? 15) * 1000));
    },
    async stop() {
      checks.forEach(clearInterval);
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
      await locks.end({ timeout: 5 });
    },
  };
}
