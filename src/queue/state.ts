import { sql } from "kysely";
import type { Store } from "../store/store.js";
import { QUEUE_SCHEMA, TASK_QUEUE } from "./boss.js";

/** The queue at a glance, for `steward status` on a PostgreSQL store. */
export interface QueueState {
  waiting: number;
  /** Failed tries waiting for their retry (after the backoff delay). */
  retrying: number;
  active: { repository: string; analyzer: string; startedAt: string; try: number }[];
  completed: number;
  /** Jobs that failed every try: each was recorded as its repository's failure. */
  failed: { repository: string; analyzer: string; at: string; tries: number; error: string }[];
  /** Workers whose heartbeat is under a minute old. */
  workers: { id: string; host: string; pid: number; startedAt: string; seenAt: string; running: string; done: number; failed: number }[];
}

/** Heartbeats are written every 5 s: a worker unseen for a minute is gone (killed, or its machine). */
const SEEN_RECENTLY = "1 minute";

/**
 * Reads the queue's state from pg-boss's tables and the workers' heartbeat table, in the read-only
 * session `steward status` uses. Null when this database never held a queue.
 */
export async function queueState(db: Store): Promise<QueueState | null> {
  const exists = await sql<{ t: string | null }>`SELECT to_regclass(${`${QUEUE_SCHEMA}.job`}) AS t`.execute(db);
  if (!exists.rows[0]?.t) return null;
  const job = sql.table(`${QUEUE_SCHEMA}.job`);
  const counts = await sql<{ state: string; n: string }>`SELECT state::text AS state, count(*) AS n FROM ${job} WHERE name = ${TASK_QUEUE} GROUP BY state`.execute(db);
  const count = (state: string) => Number(counts.rows.find((r) => r.state === state)?.n ?? 0);
  const active = await sql<{ data: { repository: string; analyzer: string }; started_on: Date; retry_count: number }>`
    SELECT data, started_on, retry_count FROM ${job} WHERE name = ${TASK_QUEUE} AND state = 'active' ORDER BY started_on`.execute(db);
  const failed = await sql<{ data: { repository: string; analyzer: string }; completed_on: Date; retry_count: number; output: { message?: string } | null }>`
    SELECT data, completed_on, retry_count, output FROM ${job} WHERE name = ${TASK_QUEUE} AND state = 'failed' ORDER BY completed_on DESC LIMIT 50`.execute(db);
  const heartbeats = await sql<{ t: string | null }>`SELECT to_regclass(${`${QUEUE_SCHEMA}.worker`}) AS t`.execute(db);
  const workers = heartbeats.rows[0]?.t
    ? (
        await sql<{ id: string; host: string; pid: number; started_at: Date; seen_at: Date; running: string; done: number; failed: number }>`
          SELECT * FROM ${sql.table(`${QUEUE_SCHEMA}.worker`)} WHERE seen_at > now() - ${SEEN_RECENTLY}::interval ORDER BY host, pid`.execute(db)
      ).rows
    : [];
  return {
    waiting: count("created"),
    retrying: count("retry"),
    active: active.rows.map((r) => ({ repository: r.data.repository, analyzer: r.data.analyzer, startedAt: r.started_on.toISOString(), try: r.retry_count + 1 })),
    completed: count("completed"),
    failed: failed.rows.map((r) => ({ repository: r.data.repository, analyzer: r.data.analyzer, at: r.completed_on.toISOString(), tries: r.retry_count + 1, error: r.output?.message ?? "" })),
    workers: workers.map((w) => ({ id: w.id, host: w.host, pid: w.pid, startedAt: w.started_at.toISOString(), seenAt: w.seen_at.toISOString(), running: w.running, done: w.done, failed: w.failed })),
  };
}
