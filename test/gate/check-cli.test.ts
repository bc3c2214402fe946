import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "../../src/demo/index.js";
import { scanPortfolio } from "../../src/portfolio/scan.js";
import { tempDir } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

/*
 * `steward check` and `steward claims` on the demo portfolio, through the built
 * binary: the demo fails one policy (an unannounced API break), passes the
 * others, has one waiver in use and one claim lapsed.
 */

const BIN = resolve("dist/cli/main.js");
const SARIF_MULTITOOL = resolve("node_modules/.bin/sarif-multitool");

function steward(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The official SARIF validator (schema and SARIF rules); it exits 0 either way, so its report is read. */
function validateSarif(file: string): { code: number | null; problems: string[] } {
  const r = spawnSync(SARIF_MULTITOOL, ["validate", file], { encoding: "utf8" });
  return { code: r.status, problems: `${r.stdout}\n${r.stderr}`.split("\n").filter((l) => /: (error|warning|note) [A-Z]+\d+/.test(l)) };
}

const root = tempDir("steward-gate-");
const demo = join(root, "demo");

beforeAll(async () => {
  expect(existsSync(BIN)).toBe(true);
  await generateDemo(demo);
  // Every test can then judge the store as it is (--no-scan), in any order.
  await scanPortfolio(demo);
}, 120_000);

const DATE = ["--date", "2026-06-01"];

describe("steward check (portfolio)", () => {
  it("scans what is out of date, then fails the demo on its one failing policy with the reason and the evidence (exit 1)", () => {
    const r = steward(["check", demo, ...DATE, "--no-progress"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines[1]).toBe("FAIL: 1 failed, 12 passed, 1 waived, 0 could not be judged");
    expect(lines[3]).toMatch(/^✗ api\.unannounced +tensorforge +1 unannounced break in v0\.5\.0 \(of 1 break\)$/);
    expect(r.stdout).toContain("    why this policy: Deprecate before you remove - users get one release of warnings first.");
    expect(r.stdout).toContain("    - v0.5.0: tensorforge.runtime.comm.init_distributed (signature-changed) broke without a deprecation in an earlier release");
    expect(r.stdout).toContain('match: "tensorforge.runtime.comm.init_distributed"');
    expect(r.stdout).toMatch(/~ neutrality\.lint +tensorforge +5 lint findings .*\n +waived: waiver #0 \(Existing CUDA calls predate get_accelerator\(\); migration tracked in #301\.; alice\.chen@microsoft\.com, until 2030-12-31\)/);
  }, 120_000);

  it("--json matches docs/schema/check.schema.json and gives every policy's verdict with evidence", async () => {
    const r = steward(["check", demo, ...DATE, "--json", "--no-scan"]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { verdict: string; results: { policy: string; repository: string; status: string; evidence: Record<string, unknown>; definedAt?: { line: number } }[]; waivers: { status: string; matched: number }[] };
    await expectMatchesSchema("check", j);
    expect(j.verdict).toBe("fail");
    expect(j.results.map((x) => `${x.policy} ${x.repository} ${x.status}`)).toEqual([
      "neutrality.lint tensorforge waived",
      "neutrality.lint tensorforge-npu pass",
      "neutrality.concentration tensorforge pass",
      "api.unannounced tensorforge fail",
      "api.grace tensorforge pass",
      "api.bump tensorforge pass",
      "drift.debtGrowth tensorforge-gaudi pass",
      "drift.debtGrowth tensorforge-rocm pass",
      "drift.baseAge tensorforge-gaudi pass",
      "drift.baseAge tensorforge-rocm pass",
      "community.elephantFactor tensorforge pass",
      "community.ownership tensorforge pass",
      "deps.lag tensorforge-npu pass",
      "deps.companions tensorforge-npu pass",
    ]);
    for (const x of j.results) expect(x.evidence.computedAt, x.policy).toEqual(expect.any(String));
    expect(j.results.find((x) => x.policy === "drift.baseAge" && x.repository === "tensorforge-gaudi")!.evidence).toMatchObject({ ref: "refs/heads/1.2.0", baseAgeDays: 157 });
    // The rule's line in steward.yaml: where code scanning points for results without a file of their own.
    const yaml = readFileSync(join(demo, "steward.yaml"), "utf8").split("\n");
    expect(yaml[j.results.find((x) => x.policy === "api.unannounced")!.definedAt!.line - 1]).toBe("    unannounced:");
    expect(j.waivers).toMatchObject([{ status: "active", matched: 5 }]);
  });

  it("an expired waiver fails the check and says so; a waiver matching nothing is stale", () => {
    const r = steward(["check", demo, "--date", "2031-01-01", "--no-scan"]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")[1]).toBe("FAIL: 2 failed, 12 passed, 0 waived, 0 could not be judged; 1 expired waiver");
    expect(r.stdout).toContain("  ✗ expired #0 neutrality.lint tensorforge *: expired 2030-12-31 (owner alice.chen@microsoft.com); renew it or fix the findings");
    const cfg = join(root, "stale.yaml");
    writeFileSync(cfg, readFileSync(join(demo, "steward.yaml"), "utf8").replace("store: steward.db", `store: ${join(demo, "steward.db")}`).replaceAll("repo: ", `repo: ${demo}/`).replace('match: "*"', 'match: "tensorforge/legacy/**"'));
    const s = steward(["check", cfg, ...DATE, "--json", "--no-scan"]);
    const j = JSON.parse(s.stdout) as { summary: Record<string, number>; waivers: { status: string }[] };
    expect(j.waivers.map((w) => w.status)).toEqual(["stale"]);
    expect(j.summary).toMatchObject({ fail: 2, staleWaivers: 1 });
  });

  it("companion releases that do not install together fail deps.companions, as steward deps check says", () => {
    const cfg = join(root, "companions.yaml");
    const text = readFileSync(join(demo, "steward.yaml"), "utf8").replace("store: steward.db", `store: ${join(demo, "steward.db")}`).replaceAll("repo: ", `repo: ${demo}/`);
    expect(text).toContain("[[tensorforge-npu==0.2.0, tensorforge==0.5.0]]");
    writeFileSync(cfg, text.replace("[[tensorforge-npu==0.2.0, tensorforge==0.5.0]]", "[[tensorforge-npu==0.2.0, tensorforge==0.3.0], [tensorforge==0.5.0, tensorforge-npu==0.9.0]]"));
    const j = JSON.parse(steward(["check", cfg, ...DATE, "--json", "--no-progress"]).stdout) as { results: { policy: string; repository: string; status: string; findings: { message: string }[] }[] };
    const r = j.results.find((x) => x.policy === "deps.companions")!;
    expect([r.repository, r.status]).toEqual(["tensorforge-npu", "fail"]);
    expect(r.findings.map((f) => f.message)).toEqual([
      // the plugin declares its range in two files: one conflict naming both, as steward deps check reports it
      "tensorforge-npu 0.2.0 requires tensorforge>=0.4,<0.6 (requirements.txt, setup.py), which does not admit 0.3.0",
      expect.stringMatching(/^tensorforge==0\.5\.0 tensorforge-npu==0\.9\.0: tensorforge-npu has no release 0\.9\.0/),
    ]);
  }, 60_000);

  it("markdown is a pull-request comment: what failed, why, the evidence, how to waive", () => {
    const r = steward(["check", demo, ...DATE, "--format", "markdown", "--no-scan"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^## Steward check: ❌ fail\n/);
    expect(r.stdout).toContain("### ❌ `api.unannounced` on tensorforge\n\n**Why this policy:** Deprecate before you remove - users get one release of warnings first.");
    expect(r.stdout).toContain("<details><summary>Evidence</summary>");
    expect(r.stdout).toContain('    - policy: api.unannounced\n      repository: tensorforge\n      match: "tensorforge.runtime.comm.init_distributed"\n');
    expect(r.stdout).toContain("| ✅ | `drift.baseAge` | tensorforge-gaudi | 1.2.0 sits on a base 157 days old (max 180), 15 upstream commits behind |");
  });

  it("SARIF validates with the official SARIF validator, with stable fingerprints, help text and file:line locations", () => {
    const file = join(root, "check.sarif");
    const r = steward(["check", demo, ...DATE, "--format", "sarif", "--no-scan"]);
    expect(r.code).toBe(1);
    writeFileSync(file, r.stdout);
    const v = validateSarif(file);
    expect(v.code).toBe(0);
    expect(v.problems).toEqual([]);
    const sarif = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string; help: { text: string } }[] } }; results: { ruleId: string; partialFingerprints: Record<string, string>; suppressions?: unknown[]; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    const run = sarif.runs[0]!;
    const open = run.results.filter((x) => !x.suppressions);
    expect(open.map((x) => [x.ruleId, x.partialFingerprints["steward/v1"]])).toEqual([["api.unannounced", "api.unannounced:tensorforge:v0.5.0:tensorforge.runtime.comm.init_distributed"]]);
    expect(run.results.filter((x) => x.suppressions)).toHaveLength(5);
    const lint = run.results.find((x) => x.ruleId === "neutrality.lint")!;
    expect(lint.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/^tensorforge\/.*\.py$/);
    expect(run.tool.driver.rules.find((x) => x.id === "api.unannounced")!.help.text).toContain("Policy reason: Deprecate before you remove");
    // The same input gives the same fingerprints (alerts stay the same alerts).
    const again = JSON.parse(steward(["check", demo, ...DATE, "--format", "sarif", "--no-scan"]).stdout) as typeof sarif;
    expect(again.runs[0]!.results.map((x) => x.partialFingerprints)).toEqual(run.results.map((x) => x.partialFingerprints));
    // The validator does report problems (so an empty report means something).
    const bad = join(root, "bad.sarif");
    writeFileSync(bad, JSON.stringify({ version: "2.1.0", runs: [{ tool: { driver: {} }, results: [{ ruleId: 5 }] }] }));
    expect(validateSarif(bad).problems.length).toBeGreaterThan(0);
  }, 60_000);

  it("an expired waiver is a SARIF result of its own and still validates", () => {
    const file = join(root, "expired.sarif");
    const r = steward(["check", demo, "--date", "2031-01-01", "--no-scan", "--sarif", file, "--json"]);
    expect(r.code).toBe(1);
    expect(validateSarif(file).problems).toEqual([]);
    const results = (JSON.parse(readFileSync(file, "utf8")) as { runs: { results: { ruleId: string; level: string }[] }[] }).runs[0]!.results;
    expect(results.filter((x) => x.ruleId === "steward.waiver")).toEqual([expect.objectContaining({ level: "error" })]);
  }, 60_000);

  it("JUnit: one suite per policy, the failure with its reason, waived as skipped, well-formed XML", () => {
    const r = steward(["check", demo, ...DATE, "--format", "junit", "--no-scan"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="steward check" tests="15" failures="1" errors="0" skipped="1">/);
    expect(r.stdout).toContain('<testcase classname="api.unannounced" name="tensorforge">\n      <failure message="1 unannounced break in v0.5.0 (of 1 break)" type="api.unannounced">Why: Deprecate before you remove');
    expect(r.stdout).toContain('<skipped message="waived: 5 lint findings');
    const py = spawnSync("python3", ["-c", "import sys, xml.etree.ElementTree as E; t = E.fromstring(sys.stdin.read()); print(len(t.findall('testsuite')), len(list(t.iter('testcase'))))"], { input: r.stdout, encoding: "utf8" });
    if (py.error) return; // no python3 here: the regular expressions above stand
    expect(py.stdout.trim()).toBe("12 15"); // 11 policies and the waivers
  });

  it("bad input: malformed policies and options are one line on stderr, exit 2", () => {
    const cfg = join(root, "bad.yaml");
    writeFileSync(cfg, readFileSync(join(demo, "steward.yaml"), "utf8").replace("      maxDays: 180", "      maxDays: half a year"));
    const r = steward(["check", cfg, "--no-scan"]);
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toMatch(/^steward: .*bad\.yaml:\d+: policies\.drift\.baseAge\.maxDays: Invalid input: expected number, received string\n$/);
    for (const [args, message] of [
      [["check", demo, "--date", "tomorrow"], "steward: --date must be a day as YYYY-MM-DD: tomorrow\n"],
      [["check", demo, "--repo", demo], "steward: give either a config (portfolio mode) or --repo/--base/--head (change mode), not both; the change's policies come with --config\n"],
      [["check", "--repo", join(demo, "tensorforge"), "--base", "v0.4.0"], "steward: change mode needs --base REF and --head REF\n"],
    ] as const) {
      const x = steward([...args]);
      expect([x.code, x.stdout, x.stderr]).toEqual([2, "", message]);
    }
    const unknownRef = steward(["check", "--repo", join(demo, "tensorforge"), "--base", "v0.4.0", "--head", "v9"]);
    expect(unknownRef.code).toBe(2);
    expect(unknownRef.stderr.trim().split("\n")).toHaveLength(1);
    expect(unknownRef.stderr).toContain("v9");
  });
});

const PG = process.env.STEWARD_TEST_PG_URL;

describe("steward check on a PostgreSQL store", () => {
  it.skipIf(!PG)("gives the same verdicts as on SQLite", async () => {
    const { default: pg } = await import("pg");
    const db = `steward_gate_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin.query(`CREATE DATABASE ${db}`);
    await admin.end();
    const url = PG!.replace(/\/[^/]*$/, `/${db}`);
    const cfg = join(root, "pg.yaml");
    writeFileSync(cfg, readFileSync(join(demo, "steward.yaml"), "utf8").replace("store: steward.db", `store: ${url}`).replaceAll("repo: ", `repo: ${demo}/`));
    const onPg = JSON.parse(steward(["check", cfg, ...DATE, "--json", "--no-progress"]).stdout) as { results: { policy: string; repository: string; status: string; summary: string }[] };
    const onSqlite = JSON.parse(steward(["check", demo, ...DATE, "--json", "--no-progress"]).stdout) as typeof onPg;
    expect(onPg.results.map((x) => [x.policy, x.repository, x.status, x.summary])).toEqual(onSqlite.results.map((x) => [x.policy, x.repository, x.status, x.summary]));
    const cleanup = new pg.Client({ connectionString: PG });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${db}`);
    await cleanup.end();
  }, 120_000);
});

describe("steward check (change mode)", () => {
  it("fails a change that breaks the API without a deprecation and adds hard-coded vendor lines", async () => {
    const r = steward(["check", "--repo", join(demo, "tensorforge"), "--base", "v0.4.0", "--head", "v0.5.0", ...DATE, "--json"]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { change: { changedFiles: number }; results: { policy: string; status: string; findings: { object?: string; path?: string; line?: number }[] }[] };
    await expectMatchesSchema("check", j);
    expect(j.results.map((x) => [x.policy, x.status])).toEqual([
      ["api.unannounced", "fail"],
      ["neutrality.lint", "fail"],
    ]);
    expect(j.results[0]!.findings).toEqual([expect.objectContaining({ object: "tensorforge.runtime.comm.init_distributed", path: "tensorforge/runtime/comm.py" })]);
    expect(j.results[1]!.findings.map((f) => `${f.path}:${f.line}`)).toEqual(["tensorforge/runtime/comm.py:10", "tensorforge/runtime/engine.py:10"]);
  }, 60_000);

  it("passes a change whose break was announced and adds no vendor lines; the config's waivers apply", () => {
    const r = steward(["check", "--repo", join(demo, "tensorforge"), "--base", "v0.3.0", "--head", "v0.4.0", "--config", demo, ...DATE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("✓ api.unannounced            tensorforge            1 API break in the change, 1 announced, suggested bump major");
    expect(r.stdout.split("\n")[1]).toBe("PASS: 0 failed, 2 passed, 0 waived, 0 could not be judged"); // the lint waiver is not stale for a change that adds nothing
    const waived = steward(["check", "--repo", join(demo, "tensorforge"), "--base", "v0.4.0", "--head", "v0.5.0", "--config", demo, ...DATE, "--format", "markdown"]);
    expect(waived.code).toBe(1);
    expect(waived.stdout).toContain("| ⚪ | `neutrality.lint` | tensorforge |");
  }, 60_000);

  it("a fork: only drift regressions between base and head fail", () => {
    const fork = join(demo, "forks/tensorforge-gaudi");
    const grew = steward(["check", "--repo", fork, "--base", "1.0.0", "--head", "1.1.0", "--config", demo, ...DATE]);
    expect(grew.code).toBe(1);
    expect(grew.stdout).toContain("✗ drift.debtGrowth           tensorforge-gaudi      private debt 53 → 119 lines: 124.5% (max 50%)");
    expect(grew.stdout).toContain("✓ drift.baseAge              tensorforge-gaudi      base age 151 → 143 days");
    const ok = steward(["check", "--repo", fork, "--base", "1.1.0", "--head", "1.2.0", "--config", demo, ...DATE]);
    expect(ok.code).toBe(0);
  }, 120_000);
});

describe("steward claims", () => {
  it("lists each claim verified (evidence, date) or lapsed (since, why), writes shields.io badges, and matches its schema", async () => {
    const badges = join(root, "badges");
    const r = steward(["claims", demo, "--json", "--no-progress", "--badges", badges]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { claims: { project: string; claim: string; status: string; since: string | null; why: string }[] };
    await expectMatchesSchema("claims", j);
    expect(j.claims.map((c) => [c.project, c.claim, c.status, c.why])).toEqual([
      ["tensorforge", "no single-vendor ownership of tensorforge/accelerator/", "verified", ".github/CODEOWNERS:5 /tensorforge/accelerator/: Microsoft, AMD"],
      ["tensorforge", "supports: amd, intel-gaudi", "lapsed", "amd has no tests, CI; intel-gaudi has no tests"],
    ]);
    for (const c of j.claims) expect(c.since).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(readdirSync(badges).sort()).toEqual(["tensorforge--no-single-vendor-ownership-of-tensorforge-accelerator.json", "tensorforge--supports-amd-intel-gaudi.json"]);
    expect(JSON.parse(readFileSync(join(badges, "tensorforge--supports-amd-intel-gaudi.json"), "utf8"))).toEqual({ schemaVersion: 1, label: "supports: amd, intel-gaudi", message: "lapsed", color: "lightgrey" });
    const text = steward(["claims", demo, "--no-scan"]);
    expect(text.stdout).toMatch(/^Claims of .* on \d{4}-\d{2}-\d{2}: 1 verified, 1 lapsed\n/);
    expect(text.stdout).toContain("  ✗ lapsed   tensorforge: supports: amd, intel-gaudi (since ");
    expect(text.code).toBe(0);
    expect(steward(["claims", demo, "--no-scan", "--strict"]).code).toBe(1);
  });
});
