import pg from "pg";
import type PgBoss from "pg-boss";
import { InputError } from "../errors.js";
import type { PortfolioConfig } from "../portfolio/config.js";

/**
 * The job queue of a scan spread over many worker processes: pg-boss on the
 * PostgreSQL database the store already uses (no other server). Its tables
 * live in their own schema, beside the store's, with the workers' heartbeat
 * table (src/queue/worker.ts).
 */
export const QUEUE_SCHEMA = "steward_queue";
/** One queue: one job per (repository, analyzer, input key) of the scan's plan. */
export const TASK_QUEUE = "steward-task";

/** What a job carries: the task to run and the key the planner computed for it. */
export interface TaskJob {
  repository: string;
  analyzer: string;
  key: string;
  fetchMissing: boolean;
}

/** The job's singleton key: the task's store key, so a task is queued once however many scans enqueue it. */
export function singletonKeyOf(job: Pick<TaskJob, "repository" | "analyzer" | "key">): string {
  return JSON.stringify([job.repository, job.analyzer, job.key]);
}

export function isPostgres(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/** The queue lives in the store's PostgreSQL: a SQLite store has none, said in one line naming the fix. */
export function requirePostgresStore(c: PortfolioConfig, what: string): void {
  if (!isPostgres(c.storeLocation)) {
    throw new InputError(`${what} needs a PostgreSQL store: set store: postgres://USER@HOST/DB in ${c.file} (its store is the SQLite file ${c.storeLocation})`);
  }
}

/** A store URL with its password hidden, for messages. */
export function shownLocation(location: string): string {
  return location.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

/**
 * Timing of the queue. Defaults fit a nightly scan of large repositories (a job may run for an
 * hour); tests and benches shorten them through the environment. A bad value is named, exit 2.
 */
export interface QueueTiming {
  /** A job running longer (or whose worker died) is failed and retried by another worker. */
  expireSeconds: number;
  /** Tries after the first before the failure is recorded as the repository's. */
  retryLimit: number;
  /** First retry delay; doubled on each further try (pg-boss backoff). */
  retryDelaySeconds: number;
  /** How often a worker looks for expired jobs (pg-boss maintenance). */
  maintenanceSeconds: number;
  /** How often an idle worker asks for a job. */
  pollSeconds: number;
  /** After SIGTERM, how long a worker lets its running jobs finish before releasing them. */
  stopSeconds: number;
}

const TIMING_ENV: Record<keyof QueueTiming, [string, number, number]> = {
  expireSeconds: ["STEWARD_QUEUE_EXPIRE_SECONDS", 3600, 1],
  retryLimit: ["STEWARD_QUEUE_RETRY_LIMIT", 2, 0],
  retryDelaySeconds: ["STEWARD_QUEUE_RETRY_DELAY_SECONDS", 30, 0],
  maintenanceSeconds: ["STEWARD_QUEUE_MAINTENANCE_SECONDS", 60, 1],
  pollSeconds: ["STEWARD_QUEUE_POLL_SECONDS", 2, 0.5],
  stopSeconds: ["STEWARD_QUEUE_STOP_SECONDS", 60, 0],
};

export function queueTiming(env: NodeJS.ProcessEnv = process.env): QueueTiming {
  const out = {} as QueueTiming;
  for (const [field, [name, fallback, min]] of Object.entries(TIMING_ENV) as [keyof QueueTiming, [string, number, number]][]) {
    const raw = env[name];
    if (raw === undefined || raw === "") {
      out[field] = fallback;
      continue;
    }
    const n = Number(raw);
    const integral = field !== "pollSeconds";
    if (!Number.isFinite(n) || n < min || (integral && !Number.isInteger(n))) throw new InputError(`${name} must be ${integral ? "an integer" : "a number"} >= ${min}: ${raw}`);
    out[field] = n;
  }
  return out;
}

/**
 * Starts pg-boss on the store's database (creating its schema on first use) and makes sure the
 * task queue exists. `supervise`: this process also runs pg-boss's maintenance (expiring the jobs
 * of dead workers); workers do, a scan that only enqueues does not.
 */
export async function startBoss(location: string, timing: QueueTiming, opts: { supervise: boolean }): Promise<PgBoss> {
  // Loaded on use: every other command (scan, status) stays free of pg-boss's start-up cost.
  const { default: Boss } = await import("pg-boss");
  const boss = new Boss({
    connectionString: location,
    schema: QUEUE_SCHEMA,
    max: 4,
    application_name: "steward",
    supervise: opts.supervise,
    schedule: false,
    maintenanceIntervalSeconds: timing.maintenanceSeconds,
  });
  // A database restart surfaces here (and as the next call's failure): the callers retry, the process lives.
  boss.on("error", () => undefined);
  // pg-boss creating its schema (or the queue) from two processes at once can deadlock: one at a time.
  const lock = new pg.Client({ connectionString: location, connectionTimeoutMillis: 10_000 });
  lock.on("error", () => undefined);
  try {
    await lock.connect();
    await lock.query("SELECT pg_advisory_lock(hashtext($1))", [`${QUEUE_SCHEMA}.start`]);
    await boss.start();
    await boss.createQueue(TASK_QUEUE, { name: TASK_QUEUE, policy: "short", retryLimit: timing.retryLimit, retryDelay: timing.retryDelaySeconds, retryBackoff: true, expireInSeconds: timing.expireSeconds });
    // The workers' heartbeat rows (steward status: workers seen recently), created here under the same lock.
    await lock.query(`CREATE TABLE IF NOT EXISTS ${QUEUE_SCHEMA}.worker (id text PRIMARY KEY, host text NOT NULL, pid integer NOT NULL, started_at timestamptz NOT NULL, seen_at timestamptz NOT NULL, running text NOT NULL, done integer NOT NULL, failed integer NOT NULL)`);
  } catch (e) {
    await boss.stop({ graceful: false, close: true }).catch(() => undefined);
    throw new InputError(`cannot use the job queue in ${shownLocation(location)}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    // Ending the session releases the lock.
    await lock.end().catch(() => undefined);
  }
  return boss;
}
