import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { resolve } from "node:path";
import { sql } from "kysely";
import type PgBoss from "pg-boss";
import { InputError } from "../errors.js";
import { loadConfig, type PortfolioConfig } from "../portfolio/config.js";
import { PORTFOLIO, planTasks, recordFailure, runTask, type StoreHandle, type Task, type TaskOutcome } from "../portfolio/scan.js";
import { fetchSource, sourcesOf } from "../portfolio/sources.js";
import { openStore, type Store } from "../store/store.js";
import { QUEUE_SCHEMA, queueTiming, requirePostgresStore, startBoss, TASK_QUEUE, type TaskJob } from "./boss.js";

export type WorkerEvent =
  | { kind: "ready"; id: string; concurrency: number }
  | { kind: "start"; job: string; repository: string; analyzer: string; attempt: number; attempts: number }
  | { kind: "done"; job: string; repository: string; analyzer: string; state: TaskOutcome["state"]; ms: number; error?: string; final: boolean }
  | { kind: "fetch"; repository: string; location: string }
  | { kind: "waiting-for-database"; error: string }
  | { kind: "stopping"; reason: string }
  | { kind: "released"; job: string; task: string };

export interface WorkerSummary {
  id: string;
  done: number;
  failed: number;
}

export interface WorkerOptions {
  concurrency?: number;
  /** Stop when the queue holds no job waiting, retrying or running (anywhere). */
  exitWhenIdle?: boolean;
  /** This worker's own workspace cache for URL repositories (default: the config's). */
  cacheDir?: string;
  /** Aborted (SIGTERM): take no new job, finish the running ones within STEWARD_QUEUE_STOP_SECONDS, else release them. */
  signal?: AbortSignal;
  onEvent?: (e: WorkerEvent) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Tests only: hold every job before its analysis until this file exists (to kill a worker mid-job). */
const HOLD_ENV = "STEWARD_TEST_WORKER_HOLD";

/**
 * `steward worker CONFIG`: takes the scan's jobs from the queue, runs each
 * task exactly as the in-process scan does (src/portfolio/scan.ts runTask:
 * the result and its points in one transaction, a duplicate completion a
 * no-op), and completes the job. A failed try is retried by pg-boss with
 * backoff; the last try records the failure as the scan records one. A worker
 * killed mid-job leaves its job active: pg-boss expires it and another worker
 * takes it. A database that goes away is waited for.
 */
export async function runWorker(configPath: string, opts: WorkerOptions = {}): Promise<WorkerSummary> {
  const loaded = loadConfig(configPath);
  const c: PortfolioConfig = opts.cacheDir ? { ...loaded, cacheDir: resolve(opts.cacheDir) } : loaded;
  requirePostgresStore(c, "worker");
  const timing = queueTiming();
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  const plans = new Map<boolean, Task[]>();
  const tasksOf = (fetchMissing: boolean) => plans.get(fetchMissing) ?? plans.set(fetchMissing, planTasks(c, fetchMissing)).get(fetchMissing)!;
  // The plan validates the config (waivers...) before anything is opened.
  tasksOf(false);
  const db = await openStore(c.storeLocation);
  const store: StoreHandle = { db, location: c.storeLocation };
  const summary: WorkerSummary = { id: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, done: 0, failed: 0 };
  let boss: PgBoss;
  try {
    boss = await startBoss(c.storeLocation, timing, { supervise: true });
  } catch (e) {
    await db.destroy();
    throw e;
  }
  const running = new Map<string, string>();
  let stopping = opts.signal?.aborted === true;
  const onAbort = () => {
    if (!stopping) opts.onEvent?.({ kind: "stopping", reason: "signal" });
    stopping = true;
  };
  opts.signal?.addEventListener("abort", onAbort);
  const heartbeat = startHeartbeat(db, summary, running, new Date().toISOString());
  opts.onEvent?.({ kind: "ready", id: summary.id, concurrency });
  let unreachable = false;
  const databaseAway = (e: unknown) => {
    if (!unreachable) opts.onEvent?.({ kind: "waiting-for-database", error: e instanceof Error ? e.message : String(e) });
    unreachable = true;
  };

  const slot = async () => {
    while (!stopping) {
      let job: PgBoss.JobWithMetadata<TaskJob> | undefined;
      try {
        job = (await boss.fetch<TaskJob>(TASK_QUEUE, { batchSize: 1, includeMetadata: true }))?.[0];
        unreachable = false;
      } catch (e) {
        databaseAway(e);
        await sleep(timing.pollSeconds * 1000);
        continue;
      }
      if (!job) {
        if (opts.exitWhenIdle && (await queueIdle(db).catch(() => false))) stopping = true;
        else await sleep(timing.pollSeconds * 1000);
        continue;
      }
      running.set(job.id, `${job.data.repository} ${job.data.analyzer}`);
      // status shows what each worker runs as soon as it runs it, not at the next periodic beat.
      await heartbeat.touch();
      const t0 = Date.now();
      const final = job.retryCount >= job.retryLimit;
      opts.onEvent?.({ kind: "start", job: job.id, repository: job.data.repository, analyzer: job.data.analyzer, attempt: job.retryCount + 1, attempts: job.retryLimit + 1 });
      try {
        const outcome = await runJob(c, store, tasksOf, job.data, final, opts.onEvent);
        summary.done++;
        opts.onEvent?.({ kind: "done", job: job.id, repository: job.data.repository, analyzer: job.data.analyzer, state: outcome.state, ms: Date.now() - t0, final: true });
        await settle(() => boss.complete(TASK_QUEUE, job.id, outcome), databaseAway);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (final) summary.failed++;
        opts.onEvent?.({ kind: "done", job: job.id, repository: job.data.repository, analyzer: job.data.analyzer, state: "failed", ms: Date.now() - t0, error: message, final });
        await settle(() => boss.fail(TASK_QUEUE, job.id, { message }), databaseAway);
      } finally {
        running.delete(job.id);
        void heartbeat.touch();
      }
    }
  };

  try {
    const slots = Promise.all(Array.from({ length: concurrency }, slot));
    // Once stopping, the running jobs get stopSeconds to finish; then they are released (failed: retried elsewhere).
    const stopped = new Promise<void>((res) => {
      const check = setInterval(() => {
        if (stopping) {
          clearInterval(check);
          setTimeout(res, timing.stopSeconds * 1000).unref();
        }
      }, 200);
      void slots.finally(() => clearInterval(check));
    });
    await Promise.race([slots, stopped]);
    for (const id of running.keys()) {
      opts.onEvent?.({ kind: "released", job: id, task: running.get(id)! });
      await settle(() => boss.fail(TASK_QUEUE, id, { message: `worker ${summary.id} stopped before finishing` }), databaseAway, 3);
    }
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    await heartbeat.stop();
    await boss.stop({ graceful: false, close: true }).catch(() => undefined);
    await db.destroy().catch(() => undefined);
  }
  return summary;
}

/**
 * One job: the task of this worker's own plan, its URL repositories fetched into this worker's
 * cache when they do not hold the planned commits, then runTask. With tries left an error is
 * thrown (pg-boss retries); the last try records it as the repository's failure.
 */
async function runJob(c: PortfolioConfig, store: StoreHandle, tasksOf: (fetchMissing: boolean) => Task[], data: TaskJob, final: boolean, onEvent?: (e: WorkerEvent) => void): Promise<TaskOutcome> {
  await holdForTests();
  const t = tasksOf(data.fetchMissing).find((x) => x.repository === data.repository && x.analyzer === data.analyzer);
  if (!t) {
    const e = new InputError(`${data.repository} (${data.analyzer}) is not a task of ${c.file} on this worker: workers need the scan's steward.yaml`);
    if (final) await recordFailure(store, data, data.key, e);
    throw e;
  }
  await fetchWhenBehind(c, t, data.key, onEvent);
  const outcome = await runTask(store, t, { record: final });
  // Recorded in the store as the scan records it; the job ends failed with the same message.
  if (outcome.state === "failed") throw new Error(outcome.error);
  return outcome;
}

/** The URL repositories a task reads: its own, a fork's project too, every one for the portfolio-wide task. */
function urlSourcesOf(c: PortfolioConfig, t: Task) {
  const sources = sourcesOf(c).filter((s) => s.isUrl);
  if (t.repository === PORTFOLIO) return sources;
  const project = c.forks.find((f) => f.name === t.repository)?.of;
  return sources.filter((s) => s.name === t.repository || s.name === project);
}

/** Fetches (once per job) what the planner saw and this worker's cache does not hold yet. */
async function fetchWhenBehind(c: PortfolioConfig, t: Task, planned: string, onEvent?: (e: WorkerEvent) => void): Promise<void> {
  const urls = urlSourcesOf(c, t);
  if (!urls.length) return;
  const key = await t.key().catch(() => null);
  if (key === planned) return;
  for (const s of urls) {
    onEvent?.({ kind: "fetch", repository: s.name, location: s.location });
    await fetchSource(c.cacheDir, s);
  }
}

async function holdForTests(): Promise<void> {
  const file = process.env[HOLD_ENV];
  if (!file) return;
  while (!existsSync(file)) await sleep(100);
}

/** No job of the queue waits, retries or runs anywhere: the scan is done. */
async function queueIdle(db: Store): Promise<boolean> {
  const r = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(`${QUEUE_SCHEMA}.job`)} WHERE name = ${TASK_QUEUE} AND state < 'completed'`.execute(db);
  return Number(r.rows[0]?.n ?? 0) === 0;
}

/**
 * Completing (or failing) a job after the database went away: tried again until it answers. A
 * job that could not be completed expires and runs again, and its completion is then a no-op.
 */
async function settle(op: () => Promise<unknown>, onAway: (e: unknown) => void, tries = 30): Promise<void> {
  for (let i = 0; i < tries; i++) {
    try {
      await op();
      return;
    } catch (e) {
      onAway(e);
      await sleep(1000);
    }
  }
}

/**
 * The workers seen recently (`steward status`): each worker upserts its row every few seconds with
 * what it is running. A killed worker's row stops being refreshed and ages out of the status.
 */
function startHeartbeat(db: Store, summary: WorkerSummary, running: Map<string, string>, since: string): { touch: () => Promise<void>; stop: () => Promise<void> } {
  const beat = async () => {
    await sql`INSERT INTO ${sql.table(`${QUEUE_SCHEMA}.worker`)} VALUES (${summary.id}, ${hostname()}, ${process.pid}, ${since}, now(), ${[...running.values()].join(", ")}, ${summary.done}, ${summary.failed})
      ON CONFLICT (id) DO UPDATE SET seen_at = now(), running = excluded.running, done = excluded.done, failed = excluded.failed`.execute(db);
  };
  // A missed beat (the database restarting) is the next one's to make up.
  const safe = () => beat().catch(() => undefined);
  let last = safe();
  const timer = setInterval(() => {
    last = last.then(safe);
  }, 5000);
  return {
    touch: () => (last = last.then(safe)),
    stop: async () => {
      clearInterval(timer);
      await last;
      // A worker that stops on purpose says so: it leaves the list at once.
      await sql`DELETE FROM ${sql.table(`${QUEUE_SCHEMA}.worker`)} WHERE id = ${summary.id}`.execute(db).catch(() => undefined);
    },
  };
}
