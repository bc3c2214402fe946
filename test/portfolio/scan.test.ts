import { spawnSync } from "node:child_process";
import { spawn } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { PG_URL, pgTitle } from "../helpers/pg.js";
import type { StoreDatabase } from "../../src/store/schema.js";
import { generateDemo } from "../../src/demo/index.js";
import { InputError, StoreError } from "../../src/errors.js";
import { planTasks, portfolioStatus, runTask, scanPortfolio } from "../../src/portfolio/scan.js";
import { loadConfig } from "../../src/portfolio/config.js";
import { openStore } from "../../src/store/store.js";
import { tempDir } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

const root = tempDir();
const pristine = join(root, "pristine");

beforeAll(async () => {
  await generateDemo(pristine);
});

/**
 * The same suite runs against SQLite and, when STEWARD_TEST_PG_URL names a
 * server (CI starts one: .ci/postgres.sh), against PostgreSQL: each test gets
 * its own database there.
 */
const PG = PG_URL;
let dbCounter = 0;

async function freshDemo(name: string, backend: "sqlite" | "postgres"): Promise<{ dir: string; store: string }> {
  const dir = join(root, `${backend}-${name}`);
  cpSync(pristine, dir, { recursive: true });
  if (backend === "sqlite") return { dir, store: join(dir, "steward.db") };
  const db = `steward_test_${process.pid}_${++dbCounter}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${db}`);
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  const store = PG!.replace(/\/[^/]*$/, `/${db}`);
  const cfg = join(dir, "steward.yaml");
  writeFileSync(cfg, readFileSync(cfg, "utf8").replace("store: steward.db", `store: ${store}`));
  return { dir, store };
}

/** A store handle that neither creates nor migrates anything (to inspect what a scan left). */
function rawStore(location: string): Kysely<StoreDatabase> {
  return location.startsWith("postgres")
    ? new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: location, max: 1 }) }) })
    : new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: new Database(location, { fileMustExist: true }) }) });
}

/** Store contents without ids and times: what two scans of the same portfolio must agree on. */
async function contents(location: string) {
  const db = rawStore(location);
  try {
    return {
      results: await db.selectFrom("result").select(["repository", "analyzer", "input_key", "ok", "error", "result"]).orderBy("repository").orderBy("analyzer").orderBy("input_key").execute(),
      points: await db.selectFrom("point").select(["repository", "analyzer", "ref", "date", "metric", "value"]).orderBy("repository").orderBy("analyzer").orderBy("ref").orderBy("date").orderBy("metric").execute(),
    };
  } finally {
    await db.destroy();
  }
}

for (const backend of ["sqlite", "postgres"] as const) describe.skipIf(backend === "postgres" && !PG)(backend === "postgres" ? pgTitle("steward scan (postgres store)") : "steward scan (sqlite store)", () => {
  it("analyses the demo portfolio into the store, then skips what did not change", async () => {
    const { dir, store } = await freshDemo("incremental", backend);
    const first = await scanPortfolio(dir);
    expect([first.analysed, first.unchanged, first.failed]).toEqual([10, 0, 0]);
    const second = await scanPortfolio(dir);
    expect([second.analysed, second.unchanged, second.failed]).toEqual([0, 10, 0]);

    // A new commit on one fork branch: only that fork is analysed again.
    const fork = join(dir, "forks/tensorforge-rocm");
    // Dated (not now): the base's age is measured to the fork tip's commit date, so the status below is fixed.
    spawnSync("git", ["-C", fork, "-c", "user.name=T", "-c", "user.email=t@x", "commit", "-q", "--allow-empty", "-m", "rocm: more"], { env: { ...process.env, GIT_AUTHOR_DATE: "2025-03-10T12:00:00Z", GIT_COMMITTER_DATE: "2025-03-10T12:00:00Z" } });
    const third = await scanPortfolio(dir);
    expect(third.tasks.map((t) => [t.repository, t.analyzer, t.state])).toEqual([
      ["tensorforge-gaudi", "drift", "unchanged"],
      ["tensorforge-rocm", "drift", "analysed"],
      ["tensorforge", "deps", "unchanged"],
      ["tensorforge-npu", "deps", "unchanged"],
      ["*", "deps-matrix", "unchanged"],
      ["tensorforge", "neutrality", "unchanged"],
      ["tensorforge-npu", "neutrality", "unchanged"],
      ["tensorforge", "api", "unchanged"],
      ["tensorforge-npu", "contract", "unchanged"],
      ["tensorforge", "community", "unchanged"],
    ]);

    const status = await portfolioStatus(dir);
    expect(status.repositories.map((r) => [r.name, r.kind, r.ok, r.analyzers.map((a) => a.analyzer), r.headline])).toEqual([
      ["tensorforge", "project", true, ["api", "community", "deps", "neutrality"], { apiBreaks: 2, apiAnnounced: 1, releases: 5, latestRelease: "0.5.0", topVendor: "cuda-api", topVendorShare: 0.535, lintDebt: 5, coverage: 0.8667, elephantFactorBest: 2, elephantFactorWorst: 2, topOrganization: "AMD" }],
      ["tensorforge-gaudi", "fork", true, ["drift"], { ref: "refs/heads/1.2.0", debt: 162, reconnection: 0.0103, baseAgeDays: 157, behind: 15 }],
      ["tensorforge-rocm", "fork", true, ["drift"], { ref: "refs/heads/rocm-main", debt: 12, reconnection: 0.2632, baseAgeDays: 11, behind: 8 }],
      ["tensorforge-npu", "plugin", true, ["contract", "deps", "neutrality"], { releases: 2, latestRelease: "0.2.0", topVendor: "huawei-ascend", topVendorShare: 1, lintDebt: 0, contractProject: "tensorforge", contractTarget: "refs/tags/v0.4.0", contractPatched: 5, contractNewest: "refs/tags/v0.5.0", contractRemoved: 0, contractMoved: 0, contractResigned: 1 }],
    ]);
    expect([status.portfolio.analyzers.map((a) => [a.analyzer, a.ok]), status.portfolio.headline]).toEqual([[["deps-matrix", true]], { matrixRows: 2, releasesAwaitingSupport: 3 }]);
    // The upgrade lag is kept as a time series per (project, dependent).
    const lag = rawStore(store);
    expect(await lag.selectFrom("point").select(["ref", "metric", "value"]).where("repository", "=", "*").orderBy("date").execute()).toEqual([
      { ref: "tensorforge==0.4.0", metric: "lag:tensorforge-npu", value: 96 },
      { ref: "tensorforge==0.5.0", metric: "lag:tensorforge-npu", value: 70 },
    ]);
    await lag.destroy();
    await expectMatchesSchema("status", status);
    const d = rawStore(store);
    const debt = await d.selectFrom("point").select(["ref", "value"]).where("repository", "=", "tensorforge-gaudi").where("metric", "=", "debt").orderBy("date").execute();
    await d.destroy();
    expect(debt).toEqual([
      { ref: "refs/heads/1.0.0", value: 53 },
      { ref: "refs/heads/1.1.0", value: 119 },
      { ref: "refs/heads/1.2.0", value: 162 },
    ]);
  });

  it("applies neutrality waivers from steward.yaml policies, and refuses malformed ones before touching the store", async () => {
    const { dir, store } = await freshDemo("waivers", backend);
    const cfg = join(dir, "steward.yaml");
    const text = readFileSync(cfg, "utf8");
    expect(text).toContain("policies:\n  neutrality:\n");
    writeFileSync(cfg, text.replace("policies:\n  neutrality:\n", 'policies:\n  neutrality:\n    waivers:\n      - { path: "tests/**", reason: "GPU-only tests, tracked upstream" }\n'));
    await scanPortfolio(dir);
    const d = rawStore(store);
    const row = await d.selectFrom("result").select("result").where("repository", "=", "tensorforge").where("analyzer", "=", "neutrality").executeTakeFirstOrThrow();
    await d.destroy();
    const lint = (JSON.parse(row.result!) as { lint: { findings: { file: string; waived: boolean; waiver?: string }[] } }).lint;
    // The tests' two skipif lines are test gating, not findings: one finding is left to waive.
    expect(lint.findings.filter((f) => f.file.startsWith("tests/")).map((f) => [f.waived, f.waiver])).toEqual([[true, "config: GPU-only tests, tracked upstream"]]);
    writeFileSync(cfg, text.replace("policies:\n  neutrality:\n", "policies:\n  neutrality:\n    waivers:\n      - { path: x }\n"));
    await expect(scanPortfolio(dir)).rejects.toThrow(/:\d+: policies\.neutrality\.waivers\[0\]\.reason: /);
  });

  it("records a missing repository as a failure and goes on", async () => {
    const { dir } = await freshDemo("missing", backend);
    rmSync(join(dir, "plugins/tensorforge-npu"), { recursive: true });
    const s = await scanPortfolio(dir);
    // The plugin was the only dependent: no matrix either, and it says why.
    expect([s.analysed, s.failed]).toEqual([6, 4]);
    expect(s.tasks.find((t) => t.repository === "*")).toMatchObject({ repository: "*", analyzer: "deps-matrix", state: "failed", error: expect.stringMatching(/^no matrix: no \(dependent, project\) pair could be read \(tensorforge-npu: repository path does not exist: /) });
    const npu = (await portfolioStatus(dir)).repositories.find((r) => r.name === "tensorforge-npu")!;
    expect(npu.ok).toBe(false);
    expect(npu.analyzers[0]!.error).toMatch(/repository path does not exist: .*tensorforge-npu/);
  });

  it("one task completed twice at once (two queue workers on one job): one result, its points once, both calls succeed", async () => {
    const { dir, store } = await freshDemo("duplicate", backend);
    const c = loadConfig(dir);
    const task = planTasks(c).find((t) => t.analyzer === "drift")!;
    const db = await openStore(c.storeLocation);
    try {
      const outcomes = await Promise.all([runTask({ db, location: store }, task), runTask({ db, location: store }, task)]);
      expect(outcomes.map((o) => o.state)).toEqual(["analysed", "analysed"]);
    } finally {
      await db.destroy();
    }
    const after = await contents(store);
    expect(after.results.map((r) => [r.repository, r.analyzer, r.ok])).toEqual([[task.repository, "drift", 1]]);
    // The second completion wrote no points of its own: each (ref, metric) once.
    const series = after.points.map((p) => `${p.ref} ${p.metric}`);
    expect(series.length).toBeGreaterThan(0);
    expect(new Set(series).size).toBe(series.length);
  });

  it("refuses a store from a newer schema without writing", async () => {
    const { dir, store: db } = await freshDemo("newer", backend);
    await scanPortfolio(dir);
    const d = rawStore(db);
    await d.updateTable("meta").set({ value: "99" }).where("key", "=", "schema_version").execute();
    await d.destroy();
    const before = await contents(db);
    await expect(scanPortfolio(dir)).rejects.toThrow(InputError);
    await expect(scanPortfolio(dir)).rejects.toThrow(/schema version 99, newer than this Steward's 1/);
    expect(await contents(db)).toEqual(before);
  });

  it("survives kill -9 midway: the rerun resumes and matches an uninterrupted scan", async () => {
    const { dir: whole, store: wholeStore } = await freshDemo("whole", backend);
    await scanPortfolio(whole);
    const { dir: killed, store: db } = await freshDemo("killed", backend);
    const child = spawn(process.execPath, [resolve("dist/cli/main.js"), "scan", "--no-progress", killed], { stdio: "ignore" });
    const exited = new Promise((r) => child.on("exit", r));
    // Kill as soon as the first result is committed (if the scan is not already done).
    for (let i = 0; i < 2000; i++) {
      try {
        const n = (await contents(db)).results.length;
        if (n > 0) break;
      } catch {
        // store or tables not created yet
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    child.kill("SIGKILL");
    await exited;
    // The kill landed mid-scan: some results were committed, not all.
    const interrupted = (await contents(db)).results.length;
    expect(interrupted).toBeGreaterThan(0);
    expect(interrupted).toBeLessThan(10);
    const resumed = await scanPortfolio(killed);
    expect(resumed.failed).toBe(0);
    expect(resumed.analysed + resumed.unchanged).toBe(10);
    // Results name their repository paths: compare with the uninterrupted scan's paths swapped in.
    expect(JSON.parse(JSON.stringify(await contents(db)).split(killed).join(whole))).toEqual(await contents(wholeStore));
  });

  it.runIf(backend === "postgres")("a PostgreSQL server that goes away mid-scan: one StoreError, no partial result, the rerun completes", async () => {
    const { dir: whole, store: wholeStore } = await freshDemo("pg-whole", backend);
    await scanPortfolio(whole);
    const { dir, store } = await freshDemo("pg-gone", backend);
    const database = store.replace(/^.*\//, "");
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    // At the first committed result, the database stops accepting connections and drops the open ones.
    const kill: { done?: Promise<unknown> } = {};
    const scan = scanPortfolio(dir, {
      onProgress: (e) => {
        if (e.kind === "task" && !kill.done)
          kill.done = admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`).then(() => admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [database]));
      },
    });
    await expect(scan).rejects.toThrow(StoreError);
    await expect(scan).rejects.toThrow(/^store postgres:\/\/steward@127\.0\.0\.1:\d+\/\w+ failed during the scan: .+ \(finished results are kept; run steward scan again to resume\)$/);
    await kill.done;
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    await admin.end();
    // What was recorded is whole: every stored result equals the uninterrupted scan's, with all its points.
    const partial = await contents(store);
    const full = await contents(wholeStore);
    const swap = <T>(x: T): T => JSON.parse(JSON.stringify(x).split(dir).join(whole)) as T;
    expect(partial.results.length).toBeGreaterThan(0);
    expect(partial.results.length).toBeLessThan(full.results.length);
    for (const r of swap(partial.results)) expect(full.results).toContainEqual(r);
    const kept = new Set(partial.results.map((r) => r.repository));
    expect(swap(partial.points)).toEqual(full.points.filter((p) => kept.has(p.repository)));
    const resumed = await scanPortfolio(dir);
    expect(resumed.unchanged).toBe(partial.results.length);
    expect(swap(await contents(store))).toEqual(full);
  });
});
