import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { neutralityLint } from "../../src/analyzers/neutrality/index.js";
import { git, tempDir } from "../helpers/git.js";

/*
 * `steward neutrality lint --staged` and the pre-commit hooks offering it: the index's content is
 * linted, findings only in the files the index changes; what is merely in the working tree, or
 * already committed, is not the hook's business.
 */

const BIN = resolve("dist/cli/main.js");
const root = tempDir("steward-precommit-");
const repo = join(root, "project");

function write(path: string, lines: string[]) {
  mkdirSync(join(repo, path, ".."), { recursive: true });
  writeFileSync(join(repo, path), lines.join("\n") + "\n");
}

beforeAll(() => {
  mkdirSync(repo);
  git(repo, "init", "-q", "-b", "main");
  git(repo, "config", "user.email", "ann@upstream.org");
  git(repo, "config", "user.name", "Ann Upstream");
  write("pkg/old.py", ["import torch", "torch.cuda.synchronize()"]); // committed: grandfathered by being there
  write("pkg/a.py", ["def f():", "    return 1"]);
  git(repo, "add", ".");
  git(repo, "commit", "-q", "-m", "init");
  write("pkg/a.py", ["import torch", "def f():", "    torch.cuda.synchronize()", "    return 1"]);
  git(repo, "add", "pkg/a.py");
  // Staged clean, then dirtied in the working tree only: the staged content is what is linted.
  write("pkg/c.py", ["def g():", "    return 2"]);
  git(repo, "add", "pkg/c.py");
  write("pkg/c.py", ["import torch", "torch.cuda.empty_cache()"]);
  write("pkg/b.py", ['x = torch.device("cuda")']); // untracked
});

describe("neutrality lint --staged", () => {
  it("lints the index's content, in the staged files only", async () => {
    const r = await neutralityLint({ repo, staged: true });
    expect(r.ref).toBe("(staged)");
    expect(r.commit).toBe(git(repo, "rev-parse", "HEAD").trim());
    expect(r.findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual(["pkg/a.py:3 torch-cuda-api"]);
    expect(r.failing).toBe(1);
    // The same tree at HEAD sees only the committed file.
    expect((await neutralityLint({ repo })).findings.map((f) => f.file)).toEqual(["pkg/old.py"]);
  });

  it("exits 1 with the finding from the CLI, 0 when nothing staged hard-codes a vendor", () => {
    const r = spawnSync(process.execPath, [BIN, "neutrality", "lint", "--staged", "--repo", repo, "--no-progress"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("pkg/a.py:3: torch-cuda-api (cuda-api) torch.cuda.synchronize()");
    expect(r.stdout).not.toContain("old.py");
  });
});

describe(".pre-commit-hooks.yaml", () => {
  const hooks = parse(readFileSync(".pre-commit-hooks.yaml", "utf8")) as { id: string; entry: string; language: string; files: string; pass_filenames: boolean }[];

  it("offers the lint on staged Python files, installed (node) or from PATH (system)", () => {
    expect(hooks.map((h) => [h.id, h.language])).toEqual([
      ["steward-neutrality-lint", "node"],
      ["steward-neutrality-lint-system", "system"],
    ]);
    for (const h of hooks) expect(h).toMatchObject({ entry: "steward neutrality lint --staged --no-progress", files: "\\.py$", pass_filenames: false });
  });

  const preCommit = spawnSync("pre-commit", ["--version"], { encoding: "utf8" });
  it.skipIf(preCommit.error !== undefined)("runs under pre-commit try-repo (system hook; offline) and fails the commit on a staged torch.cuda call", () => {
    // A hook repository holding this .pre-commit-hooks.yaml, and `steward` on PATH.
    const hookRepo = join(root, "hooks");
    mkdirSync(hookRepo);
    copyFileSync(".pre-commit-hooks.yaml", join(hookRepo, ".pre-commit-hooks.yaml"));
    git(hookRepo, "init", "-q");
    git(hookRepo, "add", ".");
    git(hookRepo, "-c", "user.email=a@b.c", "-c", "user.name=A", "commit", "-q", "-m", "hooks");
    const bin = join(root, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "steward"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, "steward"), 0o755);
    const env = { ...process.env, NO_COLOR: "1", PATH: `${bin}:${process.env.PATH ?? ""}`, PRE_COMMIT_HOME: join(root, "pre-commit-home") };
    const r = spawnSync("pre-commit", ["try-repo", hookRepo, "steward-neutrality-lint-system"], { cwd: repo, encoding: "utf8", env });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/steward neutrality lint \(staged files, installed steward\)\.+Failed/);
    expect(r.stdout).toContain("pkg/a.py:3: torch-cuda-api (cuda-api) torch.cuda.synchronize()");
    // Unstage the offending change: the hook passes.
    git(repo, "restore", "--staged", "pkg/a.py");
    const ok = spawnSync("pre-commit", ["try-repo", hookRepo, "steward-neutrality-lint-system"], { cwd: repo, encoding: "utf8", env });
    expect(ok.stdout).toMatch(/steward neutrality lint \(staged files, installed steward\)\.+Passed/);
    expect(ok.status).toBe(0);
  }, 120_000);
});
