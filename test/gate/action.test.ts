import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { HistoryBuilder } from "../../src/git/builder.js";
import { tempDir, text, up } from "../helpers/git.js";

/*
 * action.yml's steps run as the runner would run them: each `run:` step with its `env:`,
 * `${{ github.action_path }}` and `${{ inputs.* }}` substituted, in a repository the test
 * builds. The upload step (`uses: github/codeql-action/upload-sarif`) needs GitHub and is
 * not run here; the SARIF it would upload is validated instead.
 */

const HOME = resolve(".");
const root = tempDir("steward-action-");
const repo = join(root, "project");

interface Step {
  name: string;
  id?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
}

const action = parse(readFileSync("action.yml", "utf8")) as { runs: { using: string; steps: Step[] }; inputs: Record<string, { default: string }> };

function expand(s: string, inputs: Record<string, string>): string {
  return s.replace(/\$\{\{\s*github\.action_path\s*\}\}/g, HOME).replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, k: string) => inputs[k] ?? "");
}

/** Runs the action's `run:` steps in order as the runner would; stops at the first failing one. */
function runAction(inputs: Record<string, string>) {
  const summary = join(root, `summary-${Object.values(inputs).join("-").replace(/\W/g, "")}.md`);
  const output = `${summary}.out`;
  writeFileSync(summary, "");
  writeFileSync(output, "");
  const all = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, String(v.default).includes("${{") ? "" : String(v.default)])), ...inputs };
  const steps: { name: string; code: number | null; stdout: string; stderr: string }[] = [];
  for (const step of action.runs.steps) {
    if (!step.run) continue;
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, all)]));
    const r = spawnSync("bash", ["-c", expand(step.run, all)], { cwd: repo, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, ...env } });
    steps.push({ name: step.name, code: r.status, stdout: r.stdout, stderr: r.stderr });
    if (r.status !== 0) break;
  }
  return { steps, summary: readFileSync(summary, "utf8"), output: readFileSync(output, "utf8") };
}

beforeAll(async () => {
  const b = new HistoryBuilder();
  const v1 = b.commit({
    branch: "main",
    message: "pkg",
    author: up("2024-01-01T00:00:00Z"),
    files: {
      "pyproject.toml": text(["[project]", 'name = "pkg"', 'version = "1.0.0"', "", "[tool.setuptools]", 'packages = ["pkg"]']),
      "pkg/__init__.py": text(["from pkg.ops import scale", "", '__all__ = ["scale"]']),
      "pkg/ops.py": text(["def scale(x, factor=2):", "    return x * factor"]),
    },
  });
  b.commit({ branch: "feature-ok", parents: [v1], message: "docs", author: up("2024-02-01T00:00:00Z"), files: { "README.md": text(["# pkg"]) } });
  b.commit({
    branch: "feature-bad",
    parents: [v1],
    message: "rename and sync",
    author: up("2024-02-02T00:00:00Z"),
    files: {
      "pkg/ops.py": text(["import torch", "", "def scale(x, by=2):", "    torch.cuda.synchronize()", "    return x * by"]),
    },
  });
  await b.write(repo, { head: "main" });
}, 60_000);

describe("action.yml", () => {
  it("is a composite action whose steps are a build, the check, and the SARIF upload", () => {
    expect(action.runs.using).toBe("composite");
    expect(action.runs.steps.map((s) => s.name)).toEqual(["Install Steward", "Check the change", "Upload SARIF"]);
    expect(action.runs.steps[2]).toMatchObject({ uses: "github/codeql-action/upload-sarif@v3", if: expect.stringContaining("always()") });
  });

  it("fails a pull request that breaks the API without a deprecation and hard-codes CUDA, with markdown in the job summary and a valid SARIF", () => {
    const r = runAction({ base: "main", head: "feature-bad", sarif: join(root, "bad.sarif") });
    expect(r.steps.map((s) => [s.name, s.code])).toEqual([
      ["Install Steward", 0],
      ["Check the change", 1],
    ]);
    const check = r.steps[1]!;
    expect(check.stdout).toMatch(/^## Steward check: ❌ fail\n/);
    expect(check.stdout).toContain("### ❌ `api.unannounced` on project");
    expect(check.stdout).toContain("- pkg/ops.py:4: torch-cuda-api hard-codes cuda-api: torch.cuda.synchronize()");
    expect(r.summary).toBe(check.stdout);
    expect(r.output).toBe("verdict=fail\n");
    const sarif = JSON.parse(readFileSync(join(root, "bad.sarif"), "utf8")) as { runs: { results: { ruleId: string }[] }[] };
    expect(sarif.runs[0]!.results.map((x) => x.ruleId).sort()).toEqual(["api.unannounced", "neutrality.lint"]);
    const v = spawnSync(resolve("node_modules/.bin/sarif-multitool"), ["validate", join(root, "bad.sarif")], { encoding: "utf8" });
    expect(v.stdout.split("\n").filter((l) => /: (error|warning) [A-Z]+\d+/.test(l))).toEqual([]);
  }, 120_000);

  it("passes a clean pull request (exit 0, verdict=pass)", () => {
    const r = runAction({ base: "main", head: "feature-ok", sarif: join(root, "ok.sarif") });
    expect(r.steps.map((s) => s.code)).toEqual([0, 0]);
    expect(r.output).toBe("verdict=pass\n");
    expect(r.summary).toMatch(/^## Steward check: ✅ pass\n/);
  }, 120_000);

  it("the example workflow runs it on pull requests with the history and the permission the upload needs", () => {
    const wf = parse(readFileSync("examples/steward-check.yml", "utf8")) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: { check: { steps: { uses?: string; with?: Record<string, unknown> }[] } } };
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(wf.permissions["security-events"]).toBe("write");
    const steps = wf.jobs.check.steps;
    expect(steps[0]).toMatchObject({ uses: "actions/checkout@v4", with: { "fetch-depth": 0 } });
    expect(steps.at(-1)!.uses).toMatch(/^steward\/steward@/);
    expect(Object.keys(steps.at(-1)!.with ?? {}).every((k) => k in action.inputs)).toBe(true);
  });

  it("portfolio mode judges the config's whole portfolio (the demo: exit 1 on its one failing policy)", async () => {
    const { generateDemo } = await import("../../src/demo/index.js");
    const demo = join(root, "demo");
    await generateDemo(demo);
    const r = runAction({ mode: "portfolio", config: join(demo, "steward.yaml"), sarif: join(root, "portfolio.sarif") });
    expect(r.steps.map((s) => s.code)).toEqual([0, 1]);
    expect(r.output).toBe("verdict=fail\n");
    expect(r.summary).toContain("### ❌ `api.unannounced` on tensorforge");
    expect(JSON.parse(readFileSync(join(root, "portfolio.sarif"), "utf8"))).toMatchObject({ version: "2.1.0" });
    const bad = runAction({ mode: "everything", sarif: join(root, "x.sarif") });
    expect(bad.steps[1]).toMatchObject({ code: 2, stderr: "steward: mode must be change or portfolio: everything\n" });
  }, 120_000);

  it("outside a pull request (no base): one line saying what to set, exit 2", () => {
    const r = runAction({ sarif: join(root, "none.sarif") });
    expect(r.steps[1]).toMatchObject({ code: 2, stdout: "", stderr: "steward: no base or head commit: run on pull_request events or set the base and head inputs\n" });
  });
});
