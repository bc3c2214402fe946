import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFamily } from "../drift/fixture.js";
import { tempDir } from "../helpers/git.js";

const BIN = resolve("dist/cli/main.js");

function steward(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One line on stderr naming the path, exit 2, no stack trace, nothing on stdout. */
function expectOneLine(r: ReturnType<typeof steward>, pattern: RegExp) {
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect([r.code, r.stdout]).toEqual([2, ""]);
}

const root = tempDir();
const repo = join(root, "family");
const file = join(root, "a-file");

beforeAll(async () => {
  await buildFamily().write(repo);
  await buildFamily().write(join(root, "fork"));
  writeFileSync(file, "not a directory\n");
});

describe("filesystem errors are bad input: one line naming the path, exit 2", () => {
  it("--write-baseline into a missing directory", () => {
    const out = join(root, "no-such-dir", "baseline.json");
    expectOneLine(steward(["neutrality", "lint", "--repo", repo, "--write-baseline", out, "main"]), /^steward: cannot write .*no-such-dir\/baseline\.json: no such file or directory\n$/);
  });

  it("demo under a path that is a file, or at one; nothing is written", () => {
    expectOneLine(steward(["demo", join(file, "demo")]), /^steward: cannot create the demo directory .*a-file\/demo: not a directory\n$/);
    expectOneLine(steward(["demo", file]), /^steward: demo directory is a file: .*a-file\n$/);
    expect(readFileSync(file, "utf8")).toBe("not a directory\n");
  });

  it("--cache-dir under a file", () => {
    expectOneLine(steward(["drift", "--upstream-repo", repo, "--fork-repo", join(root, "fork"), "--cache-dir", join(file, "cache"), "main", "fork"]), /^steward: cannot create the workspace cache in .*a-file\/cache: not a directory\n$/);
  });

  it("a store under a file, and a steward.db that is not a database (left as it was)", () => {
    const dir = join(root, "portfolio");
    mkdirSync(dir);
    writeFileSync(join(dir, "steward.yaml"), `version: 1\nstore: ${join(file, "steward.db")}\nprojects:\n  - name: core\n    repo: ${repo}\n`);
    expectOneLine(steward(["scan", dir, "--no-progress"]), /^steward: cannot open store .*a-file\/steward\.db: /);
    writeFileSync(join(dir, "steward.yaml"), `version: 1\nprojects:\n  - name: core\n    repo: ${repo}\n`);
    writeFileSync(join(dir, "steward.db"), "garbage, not SQLite\n");
    expectOneLine(steward(["scan", dir, "--no-progress"]), /^steward: cannot open store .*steward\.db: file is not a database\n$/);
    expectOneLine(steward(["status", dir]), /^steward: cannot (open|read) store .*steward\.db: file is not a database\n$/);
    expect(readFileSync(join(dir, "steward.db"), "utf8")).toBe("garbage, not SQLite\n");
    expect(readdirSync(dir).sort()).toEqual(["steward.db", "steward.yaml"]);
    expect(existsSync(join(dir, "steward.db-wal"))).toBe(false);
  });
});

describe("steward config check reads the locations", () => {
  it("a local path that does not exist, or is not a repository, is an error; a URL never fetched a warning", () => {
    const dir = join(root, "locations");
    mkdirSync(join(dir, "plain"), { recursive: true });
    writeFileSync(join(dir, "steward.yaml"), "version: 1\nprojects:\n  - name: core\n    repo: ../nonexistent\n  - name: plain\n    repo: plain\n");
    expectOneLine(steward(["config", "check", dir]), /^steward: .*locations: core: repo .*nonexistent does not exist \(and 1 more: plain\)\n$/);
    writeFileSync(join(dir, "steward.yaml"), `version: 1\nprojects:\n  - name: core\n    repo: ${repo}\n  - name: far\n    repo: https://example.invalid/far.git\n`);
    const r = steward(["config", "check", dir]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(/: valid \(2 repositories; .*\n(?: {2}\w.*\n){2} {2}! far: never fetched \(run steward fetch .*steward\.yaml\)\n$/);
  });
});

describe("steward status text", () => {
  it("shows an error every analyzer of a repository shares once, naming the analyzers", () => {
    const dir = join(root, "status");
    mkdirSync(dir);
    writeFileSync(join(dir, "steward.yaml"), `version: 1\nprojects:\n  - name: core\n    repo: ${repo}\n  - name: gone\n    repo: ${join(root, "gone")}\n`);
    expect(steward(["scan", dir, "--no-progress"]).code).toBe(2);
    const r = steward(["status", dir]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const lines = r.stdout.split("\n");
    expect(lines.filter((l) => l.includes("repository path does not exist"))).toEqual([`      api, community, deps, neutrality: repository path does not exist: ${join(root, "gone")}`]);
  });
});
