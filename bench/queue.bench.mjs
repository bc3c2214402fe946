// npm run bench (queue): the 32-repository bench portfolio scanned by 1, 2 and 4 `steward worker`
// processes from a PostgreSQL queue (scan --queue), beside the in-process scan of the same
// portfolio measured in the same run; and the queue's own cost per job (enqueue + fetch +
// complete, with pg-boss and no analysis) against the mean analysis time of a job.
// PostgreSQL: STEWARD_TEST_PG_URL, else the throwaway server .ci/postgres.sh starts.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import PgBoss from "pg-boss";
import { writeBenchPortfolio } from "./portfolio.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, "..", "dist", "cli", "main.js");
const log = (s) => process.stderr.write(`[queue-bench] ${s}\n`);
const WORKERS = [1, 2, 4];
const ENV = { ...process.env, NO_COLOR: "1", STEWARD_QUEUE_POLL_SECONDS: "0.5" };

const server = process.env.STEWARD_TEST_PG_URL || spawnSync("bash", [join(HERE, "..", ".ci", "postgres.sh")], { encoding: "utf8" }).stdout.trim();
const admin = new pg.Client({ connectionString: server });
await admin.connect();
let dbs = 0;
async function freshDatabase() {
  const name = `steward_queue_bench_${process.pid}_${++dbs}`;
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  return { name, url: server.replace(/\/[^/]*$/, `/${name}`) };
}
const walBytes = async () => BigInt((await admin.query("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint AS b")).rows[0].b);

function run(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: ENV });
  if (r.status !== 0) throw new Error(`steward ${args.join(" ")}: ${r.stderr}`);
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, stdout: r.stdout };
}

function workers(config, n) {
  const t = process.hrtime.bigint();
  const logs = [];
  return Promise.all(
    Array.from({ length: n }, (_, i) => new Promise((res, rej) => {
      const child = spawn(process.execPath, [CLI, "worker", config, "--exit-when-idle"], { env: ENV, stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr.on("data", (b) => (err += b));
      child.on("exit", (code) => (code === 0 ? res((logs[i] = err)) : rej(new Error(`worker ${i}: exit ${code}\n${err}`))));
    })),
  ).then(() => ({ ms: Number(process.hrtime.bigint() - t) / 1e6, logs }));
}

/** The queue alone: n no-op jobs enqueued in one transaction, then fetched and completed one at a time by one process. */
async function queueOverhead(n) {
  const { url } = await freshDatabase();
  const boss = new PgBoss({ connectionString: url, schema: "steward_queue", supervise: false, schedule: false });
  boss.on("error", () => undefined);
  await boss.start();
  await boss.createQueue("bench", { name: "bench", policy: "short" });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const db = { executeSql: (text, values) => client.query(text, values) };
  const t0 = process.hrtime.bigint();
  await client.query("BEGIN");
  for (let i = 0; i < n; i++) await boss.send("bench", { i }, { singletonKey: `key-${i}`, db });
  await client.query("COMMIT");
  const t1 = process.hrtime.bigint();
  for (;;) {
    const [job] = await boss.fetch("bench", { batchSize: 1, includeMetadata: true });
    if (!job) break;
    await boss.complete("bench", job.id, { state: "analysed" });
  }
  const t2 = process.hrtime.bigint();
  await client.end();
  await boss.stop({ graceful: false, close: true });
  return { enqueueMs: Number(t1 - t0) / 1e6 / n, takeMs: Number(t2 - t1) / 1e6 / n };
}

const dir = mkdtempSync(join(tmpdir(), "steward-queue-bench-"));
const yaml = join(dir, "steward.yaml");
try {
  const repos = await writeBenchPortfolio(dir);
  const text = readFileSync(yaml, "utf8");
  const useStore = (url) => writeFileSync(yaml, text.replace("store: steward.db", `store: ${url}`));
  log(`portfolio of ${repos.length} repositories written; load average ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`);

  const base = await freshDatabase();
  useStore(base.url);
  const inProcess = run(["scan", "--no-progress", "--json", dir]);
  const s0 = JSON.parse(inProcess.stdout);
  if (s0.failed) throw new Error(`in-process scan failed ${s0.failed} tasks`);
  const jobs = s0.analysed;
  log(`in-process scan: ${jobs} analyses in ${inProcess.ms.toFixed(0)} ms`);

  const rows = [];
  let analysisMs = 0;
  let writes = null;
  for (const n of WORKERS) {
    const db = await freshDatabase();
    useStore(db.url);
    const enq = run(["scan", "--queue", "--json", dir]);
    const q = JSON.parse(enq.stdout);
    if (q.enqueued !== jobs) throw new Error(`enqueued ${q.enqueued}, expected ${jobs}`);
    const wal0 = await walBytes();
    const w = await workers(dir, n);
    const wal1 = await walBytes();
    const done = w.logs.join("").match(/^steward worker: analysed .* in \d+ ms$/gm) ?? [];
    if (done.length !== jobs) throw new Error(`${done.length} jobs analysed by the workers, expected ${jobs}`);
    if (n === 1) {
      analysisMs = done.reduce((t, line) => t + Number(/in (\d+) ms$/.exec(line)[1]), 0) / jobs;
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      const r = (await c.query("SELECT count(*)::int AS results, sum(pg_column_size(result))::bigint AS bytes, (SELECT count(*)::int FROM point) AS points FROM result")).rows[0];
      await c.end();
      writes = { ...r, wal: Number(wal1 - wal0) };
    }
    rows.push({ n, enqueueMs: enq.ms, ms: w.ms });
    log(`${n} worker(s): enqueue ${enq.ms.toFixed(0)} ms, work ${w.ms.toFixed(0)} ms`);
  }
  const overhead = await queueOverhead(500);
  const one = rows[0].ms;
  const out = [
    "",
    `| ${repos.length} repositories, ${jobs} jobs (load average ${loadavg()[0].toFixed(2)} on ${cpus().length} cores at the end) | time (ms) | jobs/s | vs 1 worker | vs in-process scan |`,
    "|---|--:|--:|--:|--:|",
    `| baseline: in-process \`steward scan\` (2 tasks at a time) | ${inProcess.ms.toFixed(0)} | ${(jobs / (inProcess.ms / 1000)).toFixed(1)} | | 1.00× |`,
    ...rows.map((r) => `| \`scan --queue\` then ${r.n} \`worker\` process${r.n > 1 ? "es" : ""} (enqueue ${r.enqueueMs.toFixed(0)} ms not included) | ${r.ms.toFixed(0)} | ${(jobs / (r.ms / 1000)).toFixed(1)} | ${(one / r.ms).toFixed(2)}× | ${(inProcess.ms / r.ms).toFixed(2)}× |`),
    "",
    `| per job | ms |`,
    "|---|--:|",
    `| queue: enqueue (in the enqueuer's one transaction) | ${overhead.enqueueMs.toFixed(2)} |`,
    `| queue: fetch + complete (one worker) | ${overhead.takeMs.toFixed(2)} |`,
    `| analysis (mean of the 1-worker run's jobs, as the worker logs them) | ${analysisMs.toFixed(0)} |`,
    `| queue share of a job | ${(((overhead.enqueueMs + overhead.takeMs) / analysisMs) * 100).toFixed(1)}% |`,
    "",
    `- database writes of the 1-worker run: ${writes.results} results (${(Number(writes.bytes) / writes.results / 1024).toFixed(1)} KiB of JSON each on average), ${writes.points} points (${(writes.points / writes.results).toFixed(1)} per result); WAL ${(writes.wal / 1024 / 1024).toFixed(1)} MiB in all, ${(writes.wal / writes.results / 1024).toFixed(0)} KiB per result (results, points, job state, heartbeats)`,
    `- every worker run analysed all ${jobs} jobs (checked from the workers' logs)`,
  ];
  process.stdout.write(out.join("\n") + "\n");
  writeFileSync(join(HERE, "queue-results.md"), `# npm run bench: steward scan --queue with 1, 2, 4 workers\n\nCommand: \`npm run build && node bench/queue.bench.mjs\` (PostgreSQL from STEWARD_TEST_PG_URL or .ci/postgres.sh).\n${out.join("\n")}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  for (let i = 1; i <= dbs; i++) await admin.query(`DROP DATABASE IF EXISTS steward_queue_bench_${process.pid}_${i} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
}
