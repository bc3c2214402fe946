import pg from "pg";
import { loadConfig } from "../portfolio/config.js";
import { isStored, planTasks, storeOp, unresolvedKey, type AnalyzerId, type StoreHandle } from "../portfolio/scan.js";
import { openStore } from "../store/store.js";
import { QUEUE_SCHEMA, queueTiming, requirePostgresStore, singletonKeyOf, startBoss, TASK_QUEUE, type TaskJob } from "./boss.js";

type TaskState = "unchanged" | "enqueued" | "queued";
type Outcome = "analysed" | "unchanged" | "failed";

export interface QueueScanSummary {
  config: string;
  store: string;
  mode: "queue";
  planned: number;
  /** Tasks whose result for their key is stored already: nothing to do. */
  unchanged: number;
  /** Jobs this scan added to the queue. */
  enqueued: number;
  /** Tasks already waiting or running in the queue (another scan enqueued them): not added twice. */
  alreadyQueued: number;
  tasks: { repository: string; analyzer: AnalyzerId; key: string; state: TaskState; job?: string }[];
  /** With --wait: how each queued task ended (the worker's outcome, or the queue's last error). */
  outcome?: { analysed: number; unchanged: number; failed: number; tasks: { repository: string; analyzer: AnalyzerId; state: Outcome; error?: string }[] };
}

/** `workers`: worker processes whose heartbeat is under a minute old (0 while jobs wait: nobody is taking them). */
export type QueueWaitProgress = { kind: "waiting"; done: number; total: number; active: number; failed: number; workers: number };

/** Runs `f` over `items`, `limit` at a time (a key is a few git reads: a 2,500-task plan must not spawn them all at once). */
async function mapLimit<T, R>(items: T[], limit: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await f(items[i]!);
  }));
  return out;
}

/**
 * `steward scan CONFIG --queue`: plans the scan exactly as the in-process scan
 * does (same tasks, same store keys) and enqueues one job per task whose
 * result is not stored yet. Enqueuers take one advisory lock and skip a task
 * already waiting, retrying or running under its singleton key, so two scans
 * started at once queue each task once. A task whose inputs cannot be
 * resolved here is queued under the key its failure is recorded with: a
 * worker tries it (it may see what the planner could not) and records it.
 */
export async function enqueueScan(configPath: string, opts: { fetchMissing?: boolean; wait?: boolean; onProgress?: (e: QueueWaitProgress) => void } = {}): Promise<QueueScanSummary> {
  const c = loadConfig(configPath);
  requirePostgresStore(c, "scan --queue");
  const timing = queueTiming();
  const fetchMissing = opts.fetchMissing === true;
  const tasks = planTasks(c, fetchMissing);
  const db = await openStore(c.storeLocation);
  const store: StoreHandle = { db, location: c.storeLocation };
  const started = new Date().toISOString();
  const summary: QueueScanSummary = { config: configPath, store: c.storeLocation, mode: "queue", planned: tasks.length, unchanged: 0, enqueued: 0, alreadyQueued: 0, tasks: [] };
  try {
    const keyed = await mapLimit(tasks, 4, async (t) => {
      const key = await t.key().catch(() => unresolvedKey(t.analyzer));
      return { t, key, stored: await isStored(store, t.repository, t.analyzer, key) };
    });
    summary.tasks = keyed.map(({ t, key, stored }) => ({ repository: t.repository, analyzer: t.analyzer, key, state: stored ? "unchanged" : "enqueued" }));
    const pending = summary.tasks.filter((x) => x.state === "enqueued");
    if (pending.length) {
      const boss = await startBoss(c.storeLocation, timing, { supervise: false });
      const client = new pg.Client({ connectionString: c.storeLocation, connectionTimeoutMillis: 10_000 });
      client.on("error", () => undefined);
      try {
        await storeOp(c.storeLocation, async () => {
          await client.connect();
          await client.query("BEGIN");
          try {
            // One enqueuer at a time: the check below and the inserts are then one step for every other scan.
            await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`${QUEUE_SCHEMA}.enqueue`]);
            const open = await client.query<{ id: string; singleton_key: string }>(
              `SELECT id, singleton_key FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND state < 'completed' AND singleton_key = ANY($2::text[])`,
              [TASK_QUEUE, pending.map(singletonKeyOf)],
            );
            const queued = new Map(open.rows.map((r) => [r.singleton_key, r.id]));
            const inTx = { executeSql: (text: string, values: unknown[]) => client.query(text, values) };
            for (const x of pending) {
              const existing = queued.get(singletonKeyOf(x));
              if (existing) {
                x.state = "queued";
                x.job = existing;
                continue;
              }
              const data: TaskJob = { repository: x.repository, analyzer: x.analyzer, key: x.key, fetchMissing };
              const id = await boss.send(TASK_QUEUE, data, { singletonKey: singletonKeyOf(x), retryLimit: timing.retryLimit, retryDelay: timing.retryDelaySeconds, retryBackoff: true, expireInSeconds: timing.expireSeconds, db: inTx });
              if (id) x.job = id;
              else x.state = "queued";
            }
            await client.query("COMMIT");
          } catch (e) {
            await client.query("ROLLBACK").catch(() => undefined);
            throw e;
          }
        });
      } finally {
        await client.end().catch(() => undefined);
        await boss.stop({ graceful: false, close: true }).catch(() => undefined);
      }
    }
    summary.unchanged = summary.tasks.filter((x) => x.state === "unchanged").length;
    summary.enqueued = summary.tasks.filter((x) => x.state === "enqueued").length;
    summary.alreadyQueued = summary.tasks.filter((x) => x.state === "queued").length;
    if (opts.wait) {
      summary.outcome = await waitForJobs(store, summary.tasks, timing.pollSeconds, opts.onProgress);
      // As the in-process scan: one scan row when every task has ended.
      await storeOp(c.storeLocation, () =>
        db.insertInto("scan").values({ started_at: started, finished_at: new Date().toISOString(), config: c.file, analysed: summary.outcome!.analysed, skipped: summary.outcome!.unchanged, failed: summary.outcome!.failed }).execute(),
      );
    }
  } finally {
    await db.destroy().catch(() => undefined);
  }
  return summary;
}

interface JobRow {
  id: string;
  state: string;
  output: { state?: Outcome; error?: string; message?: string } | null;
}

/**
 * Waits until every job of the plan has ended (completed or failed for good), reading pg-boss's
 * tables (the archive too: an old job may have been moved there). A database that restarts
 * meanwhile is waited for, as the workers do.
 */
async function waitForJobs(store: StoreHandle, tasks: QueueScanSummary["tasks"], pollSeconds: number, onProgress?: (e: QueueWaitProgress) => void): Promise<NonNullable<QueueScanSummary["outcome"]>> {
  const ids = tasks.flatMap((x) => (x.job ? [x.job] : []));
  const pool = new pg.Pool({ connectionString: store.location, max: 1, connectionTimeoutMillis: 10_000 });
  pool.on("error", () => undefined);
  let rows: JobRow[] = [];
  try {
    for (;;) {
      try {
        const r = await pool.query<JobRow>(
          `SELECT id, state, output FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND id = ANY($2::uuid[])
           UNION ALL SELECT id, state, output FROM ${QUEUE_SCHEMA}.archive WHERE name = $1 AND id = ANY($2::uuid[])`,
          [TASK_QUEUE, ids],
        );
        rows = r.rows;
        const ended = rows.filter((x) => x.state === "completed" || x.state === "failed" || x.state === "cancelled");
        // The heartbeat table exists once a worker has started on this store.
        const seen = await pool.query<{ n: string }>(
          `SELECT CASE WHEN to_regclass('${QUEUE_SCHEMA}.worker') IS NULL THEN 0 ELSE (SELECT count(*) FROM ${QUEUE_SCHEMA}.worker WHERE seen_at > now() - interval '1 minute') END AS n`,
        );
        onProgress?.({ kind: "waiting", done: ended.length, total: ids.length, active: rows.filter((x) => x.state === "active").length, failed: rows.filter((x) => x.state === "failed").length, workers: Number(seen.rows[0]?.n ?? 0) });
        if (ended.length >= ids.length) break;
      } catch {
        // The database is away (restarting): ask again at the next poll.
      }
      await new Promise((r) => setTimeout(r, pollSeconds * 1000));
    }
  } finally {
    await pool.end().catch(() => undefined);
  }
  const byId = new Map(rows.map((x) => [x.id, x]));
  const outcome: NonNullable<QueueScanSummary["outcome"]> = { analysed: 0, unchanged: 0, failed: 0, tasks: [] };
  for (const x of tasks) {
    let state: Outcome;
    let error: string | undefined;
    if (!x.job) state = "unchanged";
    else {
      const row = byId.get(x.job)!;
      if (row.state === "completed") state = row.output?.state ?? "analysed";
      else {
        state = "failed";
        error = row.output?.message ?? row.output?.error ?? `job ${row.state}`;
      }
    }
    outcome[state]++;
    outcome.tasks.push({ repository: x.repository, analyzer: x.analyzer, state, ...(error ? { error } : {}) });
  }
  return outcome;
}
