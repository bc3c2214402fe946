import type { ChildProcess } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "../../src/demo/index.js";
import { scanPortfolio } from "../../src/portfolio/scan.js";
import { expectOneLineError, steward, stewardChild } from "../helpers/cli.js";
import { tempDir } from "../helpers/git.js";
import { PG_URL, pgTitle, privateServer, type PrivateServer } from "../helpers/pg.js";
import { expectMatchesSchema } from "../helpers/schema.js";

/**
 * steward scan --queue and steward worker: real PostgreSQL, real worker processes (dist/cli/main.js).
 * Every test compares the store the workers leave with the store of an in-process scan of the same
 * portfolio: the queue changes who runs a task, never what is stored.
 */
const root = tempDir();
const pristine = join(root, "pristine");
let counter = 0;

/** Short timings: a dead worker's job expires in seconds, retries come after a second or two. */
const FAST = {
  STEWARD_QUEUE_EXPIRE_SECONDS: "5",
  STEWARD_QUEUE_RETRY_DELAY_SECONDS: "1",
  STEWARD_QUEUE_RETRY_LIMIT: "3",
  STEWARD_QUEUE_MAINTENANCE_SECONDS: "1",
  STEWARD_QUEUE_POLL_SECONDS: "0.5",
};

beforeAll(async () => {
  await generateDemo(pristine);
});

async function createDatabase(server: string): Promise<string> {
  const db = `steward_queue_${process.pid}_${++counter}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${db}`);
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  return server.replace(/\/[^/]*$/, `/${db}`);
}

/** A copy of the demo portfolio whose store is a new database of `server`. */
async function demo(name: string, server = PG_URL!): Promise<{ dir: string; store: string }> {
  const dir = join(root, name);
  cpSync(pristine, dir, { recursive: true });
  const store = await createDatabase(server);
  const cfg = join(dir, "steward.yaml");
  writeFileSync(cfg, readFileSync(cfg, "utf8").replace("store: steward.db", `store: ${store}`));
  return { dir, store };
}

/** Results and points without ids and times, the portfolio's directory written as <DIR>. */
async function contents(store: string, dir: string) {
  const client = new pg.Client({ connectionString: store });
  await client.connect();
  try {
    const results = await client.query("SELECT repository, analyzer, input_key, ok, error, result FROM result ORDER BY repository, analyzer, input_key");
    const points = await client.query("SELECT repository, analyzer, ref, date, metric, value FROM point ORDER BY repository, analyzer, ref, date, metric");
    return JSON.parse(JSON.stringify({ results: results.rows, points: points.rows }).split(dir).join("<DIR>")) as { results: { repository: string; analyzer: string; ok: number }[]; points: unknown[] };
  } finally {
    await client.end();
  }
}

/** What the in-process scan stores for the same portfolio (its own copy, its own database); the unchanged demo's once. */
let pristineScan: ReturnType<typeof contents> | undefined;
async function inProcess(name: string, prepare?: (dir: string) => void) {
  const scan = async () => {
    const { dir, store } = await demo(`${name}-inprocess`);
    prepare?.(dir);
    await scanPortfolio(dir);
    return contents(store, dir);
  };
  if (prepare) return scan();
  return (pristineScan ??= scan());
}

async function query<T extends pg.QueryResultRow>(store: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: store });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

interface Worker {
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  exit: Promise<number | null>;
}

function worker(dir: string, env: Record<string, string> = {}, args: string[] = []): Worker {
  const child = stewardChild(["worker", dir, "--exit-when-idle", ...args], { env: { ...FAST, ...env } });
  let err = "";
  let out = "";
  child.stderr!.on("data", (b: Buffer) => (err += b.toString()));
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  const exit = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  return { child, stderr: () => err, stdout: () => out, exit };
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function enqueue(dir: string, env: Record<string, string> = {}) {
  const r = steward(["scan", dir, "--queue", "--json"], { env: { ...FAST, ...env } });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { enqueued: number; alreadyQueued: number; unchanged: number; planned: number; tasks: { state: string; job?: string }[] };
}

describe("steward scan --queue / worker with a SQLite store", () => {
  it("is a one-line error naming what to configure, exit 2, nothing written", () => {
    const dir = join(root, "sqlite");
    cpSync(pristine, dir, { recursive: true });
    expectOneLineError(steward(["scan", dir, "--queue"]), /^steward: scan --queue needs a PostgreSQL store: set store: postgres:\/\/USER@HOST\/DB in .*steward\.yaml \(its store is the SQLite file .*steward\.db\)\n$/);
    expectOneLineError(steward(["worker", dir]), /^steward: worker needs a PostgreSQL store: set store: postgres:\/\/USER@HOST\/DB in /);
    expectOneLineError(steward(["scan", dir, "--wait"]), /^steward: --wait goes with --queue/);
    expectOneLineError(steward(["worker", dir, "--concurrency", "0"]), /^steward: --concurrency must be an integer from 1 to 64: 0\n$/);
    expect(() => readFileSync(join(dir, "steward.db"))).toThrow();
  });
});

describe.skipIf(!PG_URL)(pgTitle("steward scan --queue and steward worker (PostgreSQL)"), () => {
  it("3 worker processes leave the store an in-process scan leaves; a second scan --queue finds nothing to do", async () => {
    const expected = await inProcess("three");
    const { dir, store } = await demo("three");
    const queued = enqueue(dir);
    expect([queued.planned, queued.enqueued, queued.alreadyQueued, queued.unchanged]).toEqual([10, 10, 0, 0]);
    await expectMatchesSchema("scan-queue", queued);
    const workers = [worker(dir), worker(dir), worker(dir)];
    expect(await Promise.all(workers.map((w) => w.exit))).toEqual([0, 0, 0]);
    const analysed = workers.map((w) => (w.stderr().match(/^steward worker: analysed /gm) ?? []).length);
    expect(analysed.reduce((a, b) => a + b, 0)).toBe(10);
    // The work was shared: more than one process ran jobs.
    expect(analysed.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(await contents(store, dir)).toEqual(expected);
    const again = enqueue(dir);
    expect([again.enqueued, again.unchanged]).toEqual([0, 10]);
    const status = steward(["status", dir, "--json"]);
    expect(status.code).toBe(0);
    const st = JSON.parse(status.stdout) as { queue: { completed: number; waiting: number; failed: unknown[]; workers: unknown[] } };
    expect([st.queue.completed, st.queue.waiting, st.queue.failed.length, st.queue.workers.length]).toEqual([10, 0, 0, 0]);
    await expectMatchesSchema("status", st);
    expect(steward(["status", dir]).stdout).toMatch(/^Queue: 0 waiting, 0 retrying, 0 running, 10 completed, 0 failed; 0 worker\(s\) seen in the last minute$/m);
  });

  it("a worker killed with SIGKILL mid-job: its job expires, another worker runs it, the store is the in-process scan's", async () => {
    const expected = await inProcess("killed");
    const { dir, store } = await demo("killed");
    enqueue(dir);
    // This worker holds its first job before the analysis until a file appears (it never will).
    const doomed = worker(dir, { STEWARD_TEST_WORKER_HOLD: join(root, "never") });
    await until("the doomed worker's first job", () => /started .* \(try 1 of 4, job ([0-9a-f-]+)\)/.test(doomed.stderr()));
    const [, repository, analyzer, job] = /started (\S+) (\S+) \(try 1 of 4, job ([0-9a-f-]+)\)/.exec(doomed.stderr())!;
    // Mid-job: the queue has it active, the store has no result for it.
    expect((await query<{ state: string }>(store, "SELECT state::text FROM steward_queue.job WHERE id = $1", [job]))[0]!.state).toBe("active");
    expect(await query(store, "SELECT id FROM result WHERE repository = $1 AND analyzer = $2", [repository, analyzer])).toEqual([]);
    const status = JSON.parse(steward(["status", dir, "--json"]).stdout) as { queue: { active: { repository: string }[]; workers: { running: string }[] } };
    expect(status.queue.active.map((a) => a.repository)).toEqual([repository]);
    expect(status.queue.workers.map((w) => w.running)).toEqual([`${repository} ${analyzer}`]);
    doomed.child.kill("SIGKILL");
    expect(await doomed.exit).toBe(null);
    const others = [worker(dir), worker(dir)];
    expect(await Promise.all(others.map((w) => w.exit))).toEqual([0, 0]);
    // The killed job ran again, as its second try, on another worker.
    expect(others.map((w) => w.stderr()).join("")).toContain(`started ${repository} ${analyzer} (try 2 of 4, job ${job})`);
    expect(await contents(store, dir)).toEqual(expected);
  });

  it("two scan --queue at once enqueue each task once", async () => {
    const { dir, store } = await demo("twice");
    const run = () =>
      new Promise<{ enqueued: number; alreadyQueued: number }>((res, rej) => {
        const child = stewardChild(["scan", dir, "--queue", "--json"], { env: FAST });
        let out = "";
        child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
        child.stderr!.resume();
        child.on("exit", (code) => (code === 0 ? res(JSON.parse(out) as { enqueued: number; alreadyQueued: number }) : rej(new Error(`exit ${code}`))));
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.enqueued + b.enqueued).toBe(10);
    expect(a.alreadyQueued + b.alreadyQueued).toBe(10);
    const jobs = await query<{ n: string; keys: string }>(store, "SELECT count(*) AS n, count(DISTINCT singleton_key) AS keys FROM steward_queue.job");
    expect(jobs).toEqual([{ n: "10", keys: "10" }]);
    // A bad timing is refused before anything is queued.
    expectOneLineError(steward(["scan", dir, "--queue"], { env: { STEWARD_QUEUE_EXPIRE_SECONDS: "soon" } }), /^steward: STEWARD_QUEUE_EXPIRE_SECONDS must be an integer >= 1: soon\n$/);
  });

  it("a poison task (a repository that fails every time) ends as the failure the in-process scan records, after its tries", async () => {
    const broken = (dir: string) => rmSync(join(dir, "plugins/tensorforge-npu"), { recursive: true });
    const expected = await inProcess("poison", broken);
    const { dir, store } = await demo("poison");
    broken(dir);
    const limit = { STEWARD_QUEUE_RETRY_LIMIT: "2" };
    const waiting = stewardChild(["scan", dir, "--queue", "--wait", "--json"], { env: { ...FAST, ...limit } });
    let out = "";
    let err = "";
    waiting.stdout!.on("data", (b: Buffer) => (out += b.toString()));
    waiting.stderr!.on("data", (b: Buffer) => (err += b.toString()));
    const waited = new Promise<number | null>((res) => waiting.on("exit", (code) => res(code)));
    await until("the jobs", async () => (await query(store, "SELECT 1 FROM steward_queue.job").catch(() => [])).length === 10);
    const w = worker(dir, limit);
    expect(await w.exit).toBe(0);
    expect(await waited).toBe(2);
    const summary = JSON.parse(out) as { outcome: { failed: number; analysed: number; tasks: { repository: string; analyzer: string; state: string; error?: string }[] } };
    await expectMatchesSchema("scan-queue", summary);
    // The failures the in-process scan records: the missing plugin's analyses, and the matrix that needed it.
    const failedThere = expected.results.filter((r) => r.ok === 0).map((r) => `${r.repository} (${r.analyzer})`);
    expect(failedThere).toContain("tensorforge-npu (deps)");
    const failedHere = summary.outcome.tasks.filter((t) => t.state === "failed").map((t) => `${t.repository} (${t.analyzer})`);
    expect(failedHere.sort()).toEqual(failedThere.sort());
    expect(err).toMatch(new RegExp(`^steward: ${failedThere.length} of 10 analyses could not be computed: .*tensorforge-npu \\(deps\\)`, "m"));
    // The wait started before any worker: it said so, naming the command that starts one, once.
    expect(err.match(/^steward: no worker seen in the last minute; the jobs wait for one \(start it: steward worker .+\)$/gm)).toHaveLength(1);
    // Each failing job was tried 3 times (retry limit 2), then recorded, not retried forever.
    expect((w.stderr().match(/^steward worker: started tensorforge-npu deps /gm) ?? []).length).toBe(3);
    expect((w.stderr().match(/^steward worker: failed, will retry tensorforge-npu deps /gm) ?? []).length).toBe(2);
    const st = JSON.parse(steward(["status", dir, "--json"]).stdout) as { queue: { failed: { repository: string; analyzer: string; tries: number; error: string }[] } };
    expect(st.queue.failed.map((f) => `${f.repository} (${f.analyzer})`).sort()).toEqual(failedThere.sort());
    expect(st.queue.failed.every((f) => f.tries === 3 && f.error.length > 0)).toBe(true);
    expect(await contents(store, dir)).toEqual(expected);
  });
});

describe.skipIf(!PG_URL)(pgTitle("steward worker: SIGTERM and URL repositories"), () => {
  it("SIGTERM mid-job: the running job finishes, no new one starts, the worker exits 0", async () => {
    const { dir, store } = await demo("term-finish");
    enqueue(dir);
    const hold = join(root, "term-finish-go");
    const w = worker(dir, { STEWARD_TEST_WORKER_HOLD: hold }, ["--json"]);
    await until("a job", () => /started /.test(w.stderr()));
    w.child.kill("SIGTERM");
    await until("the worker stopping", () => /stopping: finishing the running jobs/.test(w.stderr()));
    writeFileSync(hold, "");
    expect(await w.exit).toBe(0);
    const summary = JSON.parse(w.stdout()) as { done: number; failed: number };
    expect([summary.done, summary.failed]).toEqual([1, 0]);
    await expectMatchesSchema("worker", summary);
    expect((w.stderr().match(/started /g) ?? []).length).toBe(1);
    expect(await query(store, "SELECT 1 FROM result")).toHaveLength(1);
    expect(await query(store, "SELECT state::text FROM steward_queue.job WHERE state = 'created'")).toHaveLength(9);
  });

  it("SIGTERM when the job does not finish in time: it is released and another worker runs it", async () => {
    const expected = await inProcess("term-release");
    const { dir, store } = await demo("term-release");
    enqueue(dir);
    const w = worker(dir, { STEWARD_TEST_WORKER_HOLD: join(root, "never"), STEWARD_QUEUE_STOP_SECONDS: "1" });
    await until("a job", () => /started /.test(w.stderr()));
    const [, task, job] = /started (\S+ \S+) \(try 1 of 4, job ([0-9a-f-]+)\)/.exec(w.stderr())!;
    w.child.kill("SIGTERM");
    expect(await w.exit).toBe(0);
    expect(w.stderr()).toContain(`released ${task} (job ${job}) unfinished`);
    // Released at once (no expiry to wait for): waiting for its retry (pg-boss counts the retry when it is taken).
    expect(await query(store, "SELECT state::text AS state FROM steward_queue.job WHERE id = $1", [job])).toEqual([{ state: "retry" }]);
    const next = worker(dir);
    expect(await next.exit).toBe(0);
    expect(next.stderr()).toContain(`started ${task} (try 2 of 4, job ${job})`);
    expect(await contents(store, dir)).toEqual(expected);
  });

  it("URL repositories: each worker fetches them into its own --cache-dir; the store is the in-process scan's", async () => {
    // The demo's repositories given as file:// URLs: remotes, as far as Steward can tell.
    const remote = (name: string, store: string) => {
      const dir = join(root, name);
      cpSync(join(pristine, "steward.yaml"), join(dir, "steward.yaml"));
      let text = readFileSync(join(dir, "steward.yaml"), "utf8").replace("store: steward.db", `store: ${store}`);
      for (const r of ["tensorforge", "forks/tensorforge-gaudi", "forks/tensorforge-rocm", "plugins/tensorforge-npu"]) text = text.replace(`repo: ${r}\n`, `repo: file://${join(pristine, r)}\n`);
      writeFileSync(join(dir, "steward.yaml"), text);
      return dir;
    };
    const thereStore = await createDatabase(PG_URL!);
    const there = remote("url-inprocess", thereStore);
    expect(steward(["fetch", there]).code).toBe(0);
    await scanPortfolio(there);
    const store = await createDatabase(PG_URL!);
    const here = remote("url-queue", store);
    // The planner fetches to plan (keys are commit ids); the workers start with empty caches.
    expect(steward(["fetch", here]).code).toBe(0);
    expect(enqueue(here).enqueued).toBe(10);
    const caches = [join(root, "url-cache-a"), join(root, "url-cache-b")];
    const workers = caches.map((c) => worker(here, {}, ["--cache-dir", c]));
    expect(await Promise.all(workers.map((w) => w.exit))).toEqual([0, 0]);
    expect(workers.map((w) => w.stderr()).join("")).toMatch(/fetching tensorforge \(file:\/\//);
    const normal = (x: unknown, cacheDirs: string[]) => JSON.parse(cacheDirs.reduce((t, c) => t.split(c).join("<CACHE>"), JSON.stringify(x))) as unknown;
    // contents() writes each config's directory as <DIR>: the in-process scan's cache is <DIR>/.steward-cache.
    expect(normal(await contents(store, here), caches)).toEqual(normal(await contents(thereStore, there), ["<DIR>/.steward-cache"]));
  });
});

describe.skipIf(!PG_URL)(pgTitle("steward worker across a PostgreSQL restart"), () => {
  let server: PrivateServer;
  beforeAll(() => {
    // Not the shared server's port (54329 by default): this one is stopped and started.
    server = privateServer(55000 + (process.pid % 1000), join(tmpdir(), `steward-queue-pg-${process.pid}`));
  });
  afterAll(() => server?.destroy());

  it("workers wait for the database, reconnect and finish: the store is the in-process scan's", async () => {
    const expected = await inProcess("restart");
    const { dir, store } = await demo("restart", server.url);
    enqueue(dir);
    const hold = join(root, "restart-go");
    const workers = [worker(dir, { STEWARD_TEST_WORKER_HOLD: hold }), worker(dir, { STEWARD_TEST_WORKER_HOLD: hold })];
    await until("both workers mid-job", () => workers.every((w) => /started /.test(w.stderr())));
    server.stop();
    // The held jobs go on while the server is down: their writes fail, the workers keep asking.
    writeFileSync(hold, "");
    await until("a worker noticing", () => workers.some((w) => /database unreachable, retrying/.test(w.stderr())));
    server.start();
    expect(await Promise.all(workers.map((w) => w.exit))).toEqual([0, 0]);
    expect(await contents(store, dir)).toEqual(expected);
  });
});
