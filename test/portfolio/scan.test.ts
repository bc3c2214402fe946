import { spawn } from "node:child_process";
import { cpSync, existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "../../src/demo/index.js";
import { InputError } from "../../src/errors.js";
import { portfolioStatus, scanPortfolio } from "../../src/portfolio/scan.js";
import { git, tempDir } from "../helpers/git.js";

const root = tempDir();
const pristine = join(root, "pristine");

beforeAll(async () => {
  await generateDemo(pristine);
});

function freshDemo(name: string): string {
  const dir = join(root, name);
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

/** Store contents without ids and times: what two scans of the same portfolio must agree on. */
function contents(db: string) {
  const d = new Database(db, { readonly: true });
  try {
    return {
      results: d.prepare("SELECT repository, analyzer, input_key, ok, error, result FROM result ORDER BY repository, analyzer, input_key").all(),
      points: d.prepare("SELECT p.repository, p.analyzer, p.ref, p.date, p.metric, p.value FROM point p ORDER BY 1, 2, 3, 4, 5").all(),
    };
  } finally {
    d.close();
  }
}

describe("steward scan", () => {
  it("analyses the demo portfolio into SQLite, then skips what did not change", async () => {
    const dir = freshDemo("incremental");
    const first = await scanPortfolio(dir);
    expect([first.analysed, first.unchanged, first.failed]).toEqual([4, 0, 0]);
    const second = await scanPortfolio(dir);
    expect([second.analysed, second.unchanged, second.failed]).toEqual([0, 4, 0]);

    // A new commit on one fork branch: only that fork is analysed again.
    const fork = join(dir, "forks/tensorforge-rocm");
    git(fork, "-c", "user.name=T", "-c", "user.email=t@x", "commit", "-q", "--allow-empty", "-m", "rocm: more");
    const third = await scanPortfolio(dir);
    expect(third.tasks.map((t) => [t.repository, t.analyzer, t.state])).toEqual([
      ["tensorforge-gaudi", "drift", "unchanged"],
      ["tensorforge-rocm", "drift", "analysed"],
      ["tensorforge", "deps", "unchanged"],
      ["tensorforge-npu", "deps", "unchanged"],
    ]);

    const status = await portfolioStatus(dir);
    expect(status.repositories.map((r) => [r.name, r.kind, r.ok, r.analyzers.map((a) => a.analyzer)])).toEqual([
      ["tensorforge", "project", true, ["deps"]],
      ["tensorforge-gaudi", "fork", true, ["drift"]],
      ["tensorforge-rocm", "fork", true, ["drift"]],
      ["tensorforge-npu", "plugin", true, ["deps"]],
    ]);
    const { Ajv2020 } = await import("ajv/dist/2020.js");
    const { readFileSync } = await import("node:fs");
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync("docs/schema/status.schema.json", "utf8")));
    expect(validate(JSON.parse(JSON.stringify(status))), JSON.stringify(validate.errors)).toBe(true);
    const d = new Database(join(dir, "steward.db"), { readonly: true });
    const debt = d.prepare("SELECT ref, value FROM point WHERE repository = 'tensorforge-gaudi' AND metric = 'debt' ORDER BY date").all();
    d.close();
    expect(debt).toEqual([
      { ref: "refs/heads/1.0.0", value: 53 },
      { ref: "refs/heads/1.1.0", value: 119 },
      { ref: "refs/heads/1.2.0", value: 162 },
    ]);
  });

  it("records a missing repository as a failure and goes on", async () => {
    const dir = freshDemo("missing");
    rmSync(join(dir, "plugins/tensorforge-npu"), { recursive: true });
    const s = await scanPortfolio(dir);
    expect([s.analysed, s.failed]).toEqual([3, 1]);
    const npu = (await portfolioStatus(dir)).repositories.find((r) => r.name === "tensorforge-npu")!;
    expect(npu.ok).toBe(false);
    expect(npu.analyzers[0]!.error).toMatch(/repository path does not exist: .*tensorforge-npu/);
  });

  it("refuses a store from a newer schema without writing", async () => {
    const dir = freshDemo("newer");
    await scanPortfolio(dir);
    const db = join(dir, "steward.db");
    const d = new Database(db);
    d.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    d.close();
    const before = contents(db);
    await expect(scanPortfolio(dir)).rejects.toThrow(InputError);
    await expect(scanPortfolio(dir)).rejects.toThrow(/schema version 99, newer than this Steward's 1/);
    expect(contents(db)).toEqual(before);
  });

  it("survives kill -9 midway: the rerun resumes and matches an uninterrupted scan", async () => {
    const whole = freshDemo("whole");
    await scanPortfolio(whole);
    const killed = freshDemo("killed");
    const db = join(killed, "steward.db");
    const child = spawn(process.execPath, [resolve("dist/cli/main.js"), "scan", "--no-progress", killed], { stdio: "ignore" });
    const exited = new Promise((r) => child.on("exit", r));
    // Kill as soon as the first result is committed (if the scan is not already done).
    for (let i = 0; i < 2000; i++) {
      if (existsSync(db)) {
        try {
          const d = new Database(db, { readonly: true, fileMustExist: true });
          const n = (d.prepare("SELECT count(*) AS n FROM result").get() as { n: number }).n;
          d.close();
          if (n > 0) break;
        } catch {
          // tables not created yet
        }
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    child.kill("SIGKILL");
    await exited;
    const resumed = await scanPortfolio(killed);
    expect(resumed.failed).toBe(0);
    expect(resumed.analysed + resumed.unchanged).toBe(4);
    // Results name their repository paths: compare with the uninterrupted scan's paths swapped in.
    expect(JSON.parse(JSON.stringify(contents(db)).split(killed).join(whole))).toEqual(contents(join(whole, "steward.db")));
  });
});
