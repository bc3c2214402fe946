import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HistoryBuilder } from "../../src/git/builder.js";
import { buildFamily } from "../drift/fixture.js";
import { BIN, expectOneLineError, steward as run, type CliResult } from "../helpers/cli.js";
import { git, lines, tempDir, text, up, vendor } from "../helpers/git.js";

const steward = (args: string[], cwd?: string, env: NodeJS.ProcessEnv = {}) => run(args, { cwd, env });

/** Every bad input: one line on stderr naming the bad value, exit 2, nothing on stdout. */
const expectUsageError = (r: CliResult, pattern: RegExp) => expectOneLineError(r, pattern);

const root = tempDir();
const repo = join(root, "family");

beforeAll(async () => {
  expect(existsSync(BIN)).toBe(true);
  await buildFamily().write(repo);
});

describe("steward drift (CLI)", () => {
  it("prints a readable text report", () => {
    const r = steward(["drift", "--repo", repo, "main", "fork"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^Drift of fork \([0-9a-f]{10}, 2024-03-01\) against main/);
    expect(r.stdout).toContain("behind     3 upstream commits not in the fork");
    expect(r.stdout).toContain("git cherry 0 of 1 fork commit found upstream by patch-id");
    expect(r.stdout).toMatch(/Net patch, base -> fork tip \(squash-proof\): 9 files, 11 hunks/);
  });

  it("prints versioned JSON that matches the documented schema", async () => {
    const r = steward(["drift", "--repo", repo, "--json", "main", "fork"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.schemaVersion).toBe(1);
    const { Ajv2020 } = await import("ajv/dist/2020.js");
    const schema = JSON.parse((await import("node:fs")).readFileSync("docs/schema/drift.schema.json", "utf8"));
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  });

  it("validates multi-fork and --history JSON against the schema too", async () => {
    const { Ajv2020 } = await import("ajv/dist/2020.js");
    const schema = JSON.parse((await import("node:fs")).readFileSync("docs/schema/drift.schema.json", "utf8"));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    for (const args of [["main", "fork", "main~1"], ["main", "--history", "refs/heads/*"]]) {
      const r = steward(["drift", "--repo", repo, "--json", ...args]);
      expect(r.code, r.stderr).toBe(0);
      expect(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it("says what --limit left out, and which date a hunk's age counts from", () => {
    const r = steward(["drift", "--repo", repo, "--limit", "2", "main", "fork"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nFiles by debt\n(?:  .*\n){3}  \.\.\. 7 files more \(--limit N, --json\)\n/);
    expect(r.stdout).toContain("Oldest private hunks (fork commit that brought them; age from its author date, which a rebase keeps, to the fork tip's commit date)");
    expect(r.stdout).toMatch(/authored \d+ days? before the tip: /);
    const all = steward(["drift", "--repo", repo, "main", "fork"]);
    expect(all.stdout).not.toContain("more (--limit N");
  });

  it("prints markdown", () => {
    const r = steward(["drift", "--repo", repo, "--format", "markdown", "main", "fork"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^## Drift of `fork` against `main`/);
    expect(r.stdout).toContain("| upstreamed | 3 | 13 | 21 |");
  });

  it("compares refs of two repositories through the workspace cache, writing into neither", async () => {
    const cache = join(root, "cache");
    const upDir = join(root, "up-only");
    const b = buildFamily();
    await b.write(upDir);
    const before = [git(repo, "for-each-ref"), git(upDir, "for-each-ref"), readdirSync(join(repo, ".git")).join(",")];
    const args = ["drift", "--upstream-repo", upDir, "--fork-repo", repo, "--cache-dir", cache, "--json", "main", "fork"];
    const first = steward(args);
    expect(first.code, first.stderr).toBe(0);
    const second = steward(args);
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout));
    const pair = JSON.parse(first.stdout);
    expect(pair.behind).toBe(3);
    expect(pair.fork.commit).toBe(git(repo, "rev-parse", "fork").trim());
    expect([git(repo, "for-each-ref"), git(upDir, "for-each-ref"), readdirSync(join(repo, ".git")).join(",")]).toEqual(before);
    expect(readdirSync(join(cache, "repos"))).toHaveLength(1);
    // Local repositories join the store through alternates: it holds no object of its own.
    expect(git(join(cache, "repos", readdirSync(join(cache, "repos"))[0]!), "count-objects", "-v")).toMatch(/^count: 0\n[^]*in-pack: 0\n/);
    // A relative cache directory works too (resolved against the working directory).
    const rel = steward(["drift", "--upstream-repo", "up-only", "--fork-repo", "family", "--cache-dir", "rel-cache", "--json", "main", "fork"], root);
    expect(rel.code, rel.stderr).toBe(0);
    expect(JSON.parse(rel.stdout).netPatch).toEqual(pair.netPatch);
  });

  it("runs --history over a ref pattern", () => {
    const r = steward(["drift", "--repo", repo, "--json", "main", "--history", "refs/heads/fo*"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).history.map((p: { fork: { ref: string } }) => p.fork.ref)).toEqual(["refs/heads/fork"]);
  });
});

describe("steward drift: bad input", () => {
  it("unknown ref", () => expectUsageError(steward(["drift", "--repo", repo, "main", "no-such-branch"]), /unknown ref in .*: no-such-branch/));
  it("ref that looks like an option", () => expectUsageError(steward(["drift", "--repo", repo, "main", "--", "-x"]), /must not start with '-': "-x"/));
  it("path that is not a repository", () => {
    const plain = join(root, "plain");
    mkdirSync(plain, { recursive: true });
    writeFileSync(join(plain, "f"), "x");
    expectUsageError(steward(["drift", "--repo", plain, "main", "fork"]), /not a git repository: .*plain/);
  });
  it("missing path", () => expectUsageError(steward(["drift", "--repo", join(root, "nope"), "main", "fork"]), /does not exist: .*nope/));
  it("no fork ref", () => expectUsageError(steward(["drift", "--repo", repo, "main"]), /missing fork ref/));
  it("bad --format", () => expectUsageError(steward(["drift", "--repo", repo, "--format", "xml", "main", "fork"]), /xml/));
  it("pattern that matches nothing", () => expectUsageError(steward(["drift", "--repo", repo, "main", "--history", "refs/heads/zzz*"]), /no ref matches refs\/heads\/zzz\*/));

  it("unrelated histories with nothing in common", async () => {
    const b = new HistoryBuilder();
    b.commit({ branch: "main", message: "a", author: up("2024-01-01T00:00:00Z"), files: { "a.py": text(lines("a", 3)) } });
    b.commit({ branch: "other", parents: [], message: "b", author: vendor("2024-01-01T00:00:00Z"), files: { "b.py": text(lines("b", 3)) } });
    const dir = join(root, "unrelated");
    await b.write(dir);
    expectUsageError(steward(["drift", "--repo", dir, "main", "other"]), /share no history and no files/);
  });

  it("shallow clone without the merge-base: says how to fix it", () => {
    const shallow = join(root, "shallow");
    git(root, "clone", "-q", "--no-local", "--depth", "1", "--no-single-branch", `file://${repo}`, shallow);
    expectUsageError(steward(["drift", "--repo", shallow, "origin/main", "origin/fork"]), /shallow clone .*git fetch --unshallow/);
  });

  it("partial clone with missing blobs: analysis continues, missing paths are warnings, nothing is fetched", () => {
    const src = join(root, "promisor-src");
    git(root, "clone", "-q", "--bare", repo, src);
    git(src, "config", "uploadpack.allowFilter", "true");
    const partial = join(root, "partial");
    git(root, "clone", "-q", "--bare", "--filter=blob:none", `file://${src}`, partial);
    // Bring in the blobs of two files, then let the promisor remote disappear.
    git(partial, "cat-file", "-p", "fork:pkg/util.py");
    git(partial, "cat-file", "-p", "main:pkg/util.py");
    const objectsBefore = git(partial, "count-objects", "-v");
    const r = steward(["drift", "--repo", partial, "--json", "main", "fork"]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.files.map((f: { path: string }) => f.path)).toEqual(["pkg/util.py"]);
    expect(json.warnings.filter((w: string) => w.startsWith("blobs missing (partial clone?): 8 file(s) left out of the net patch"))).toHaveLength(1);
    expect([json.coverage.files, json.coverage.missing, json.coverage.promisor.remote]).toEqual([9, 8, "origin"]);
    expect(git(partial, "count-objects", "-v")).toBe(objectsBefore);
  });
});
