import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HistoryBuilder } from "../../src/git/builder.js";
import { steward, expectOneLineError, TEST_GIT_ENV } from "../helpers/cli.js";
import { git, tempDir, up } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

/*
 * Command-level tests of documented claims, through the built binary: config check, status,
 * deps check's exit codes, demo, neutrality history, nothing written after bad input (checked on
 * disk), the shallow-clone warnings, and file names git allows but a shell or an option parser
 * would trip on (not UTF-8, starting with '-', holding a newline) in drift, neutrality, api and
 * community.
 */

const root = tempDir("steward-commands-");
const odd = join(root, "odd");

/** git with fixed identity and dates, for the few things HistoryBuilder cannot write (a path that is not UTF-8). */
function gitAt(cwd: string, email: string, date: string, ...args: string[]) {
  const r = spawnSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...TEST_GIT_ENV, GIT_AUTHOR_NAME: email.split("@")[0], GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: "Ann", GIT_COMMITTER_EMAIL: "ann@upstream.org", GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
  expect(r.status, r.stderr).toBe(0);
}

/** Commits everything in `dir` as `email` on `date`, and tags the commit when `tag` is given. */
function commitAll(dir: string, email: string, date: string, message: string, tag?: string) {
  gitAt(dir, email, date, "add", "-A");
  gitAt(dir, email, date, "commit", "-q", "-m", message);
  if (tag !== undefined) gitAt(dir, email, date, "tag", tag);
}

/** latin-1 bytes: valid file names on Linux and in git, not UTF-8. */
const CAFE_E9 = Buffer.from("core/caf\xe9.py", "latin1");
const CAFE_E8 = Buffer.from("core/caf\xe8.py", "latin1");
/** How Steward shows a path that is not UTF-8 (decoded with U+FFFD for the bad bytes). */
const CAFE_SHOWN = "core/caf\uFFFD.py";

/**
 * main: a package with one CUDA call (tag v1.0). fork: adds files named `core/caf\xe9.py` (latin-1),
 * `core/-rf.py`, `--help.py` and `core/new\nline.py` by another author (tag v2.0), then `core/caf\xe8.py`.
 */
function buildOdd(dir: string) {
  mkdirSync(join(dir, "core"), { recursive: true });
  gitAt(dir, "ann@upstream.org", "2024-01-01T00:00:00Z", "init", "-q", "-b", "main");
  writeFileSync(join(dir, "core/__init__.py"), "def f(a):\n    return a\n");
  writeFileSync(join(dir, "core/ops.py"), "import torch\nx = torch.cuda.synchronize()\n");
  writeFileSync(join(dir, "requirements.txt"), "numpy>=1.0\n");
  commitAll(dir, "ann@upstream.org", "2024-01-01T00:00:00Z", "one", "v1.0");
  gitAt(dir, "ann@upstream.org", "2024-01-01T00:00:00Z", "checkout", "-q", "-b", "fork");
  writeFileSync(Buffer.concat([Buffer.from(dir + "/"), CAFE_E9]), "import torch\ny = torch.cuda.synchronize()\ndef g():\n    return 1\n");
  writeFileSync(join(dir, "core/-rf.py"), "import torch\nz = torch.cuda.synchronize()\n");
  writeFileSync(join(dir, "--help.py"), "import torch\nh = torch.cuda.synchronize()\n");
  writeFileSync(join(dir, "core/new\nline.py"), "n = 1\n");
  commitAll(dir, "vic@vendor.example", "2024-02-01T00:00:00Z", "two", "v2.0");
  writeFileSync(Buffer.concat([Buffer.from(dir + "/"), CAFE_E8]), "import torch\nw = torch.cuda.synchronize()\n");
  commitAll(dir, "vic@vendor.example", "2024-03-01T00:00:00Z", "three");
  gitAt(dir, "ann@upstream.org", "2024-03-01T00:00:00Z", "checkout", "-q", "main");
}

/** Everything on disk under `dir` (names, .git included) and what git says about it. */
function snapshot(dir: string): string {
  const names: string[] = [];
  // By bytes (names need not be UTF-8); node 20's recursive readdir cannot return buffers.
  const walk = (d: Buffer, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true, encoding: "buffer" })) {
      const name = `${rel}${e.name.toString("latin1")}`;
      names.push(name);
      if (e.isDirectory()) walk(Buffer.concat([d, Buffer.from("/"), e.name]), `${name}/`);
    }
  };
  walk(Buffer.from(dir), "");
  names.sort();
  return [git(dir, "status", "--porcelain", "--ignored"), git(dir, "for-each-ref"), git(dir, "count-objects", "-v"), ...names].join("\n");
}

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

let before = "";
beforeAll(() => {
  buildOdd(odd);
  before = snapshot(odd);
}, 60_000);

describe("file names that are not UTF-8, start with '-' or hold a newline", () => {
  it("drift: every added file counted once, in the JSON with its name", async () => {
    const r = steward(["drift", "--repo", odd, "main", "fork", "--json"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const j = JSON.parse(r.stdout) as { files: { path: string; debt: number }[] };
    await expectMatchesSchema("drift", j);
    expect(j.files.map((f) => [f.path, f.debt]).sort()).toEqual([["--help.py", 2], ["core/-rf.py", 2], [CAFE_SHOWN, 2], [CAFE_SHOWN, 4], ["core/new\nline.py", 1]].sort());
    const text = steward(["drift", "--repo", odd, "main", "fork"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ {2}--help\.py +2 +0 +0 {2}added$/m);
    // A newline in a name is quoted as git quotes it, so it cannot break the table: every row is one line.
    expect(text.stdout).toMatch(/^ {2}"core\/new\\nline\.py" +1 +0 +0 {2}added$/m);
    expect(text.stdout).not.toMatch(/^line\.py/m);
    const md = steward(["drift", "--repo", odd, "main", "fork", "--format", "markdown"]);
    expect(md.stdout).toContain('| `"core/new\\nline.py"` | 1 |');
  });

  it("neutrality and its lint: the CUDA calls in every file found, at their lines", async () => {
    const lint = steward(["neutrality", "lint", "--repo", odd, "fork", "--json"]);
    expect([lint.code, lint.stderr]).toEqual([1, ""]);
    const j = JSON.parse(lint.stdout) as { findings: { file: string; line: number }[] };
    await expectMatchesSchema("neutrality-lint", j);
    expect(j.findings.map((f) => `${f.file}:${f.line}`).sort()).toEqual(["--help.py:2", "core/-rf.py:2", `${CAFE_SHOWN}:2`, `${CAFE_SHOWN}:2`, "core/ops.py:2"].sort());
    const sarif = JSON.parse(steward(["neutrality", "lint", "--repo", odd, "fork", "--format", "sarif"]).stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarif.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri).sort()).toEqual(["--help.py", "core/-rf.py", "core/caf%EF%BF%BD.py", "core/caf%EF%BF%BD.py", "core/ops.py"].sort());
    const n = steward(["neutrality", "--repo", odd, "fork", "--json"]);
    expect(n.code).toBe(0);
    const fp = JSON.parse(n.stdout) as { files: { path: string; sites: unknown[] }[] };
    await expectMatchesSchema("neutrality", fp);
    expect(fp.files.map((f) => [f.path, f.sites.length]).sort()).toEqual([["--help.py", 1], ["core/-rf.py", 1], [CAFE_SHOWN, 1], [CAFE_SHOWN, 1], ["core/ops.py", 1]].sort());
  });

  it("api: the package's functions; files that are no module name (caf\\xe9, -rf) are not API", async () => {
    const r = steward(["api", "diff", "--repo", odd, "v1.0", "v2.0", "--json"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const j = JSON.parse(r.stdout) as { breaking: unknown[]; additions: { path: string }[] };
    await expectMatchesSchema("api-diff", j);
    expect(j.breaking).toEqual([]);
    expect(j.additions.map((a) => a.path).filter((p) => /caf|rf|help|line/.test(p))).toEqual([]);
  });

  it("community: both authors, every changed line counted", async () => {
    const r = steward(["community", "--repo", odd, "fork", "--json", "--no-progress"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const j = JSON.parse(r.stdout) as { totals: { commits: number; contributors: number; lines: number }; areas: { area: string; lines: number }[] };
    await expectMatchesSchema("community", j);
    expect([j.totals.commits, j.totals.contributors, j.totals.lines]).toEqual([3, 2, 16]);
    // Lines git counts: 5 (one) + 9 (two: 4 + 2 + 2 + 1) + 2 (three).
    expect(j.areas.reduce((n, a) => n + a.lines, 0)).toBe(16);
  });

  it("nothing is written into the analysed repository (files, refs, objects, git status --ignored)", () => {
    for (const args of [["drift", "--repo", odd, "main", "fork"], ["neutrality", "--repo", odd, "fork"], ["community", "--repo", odd, "fork", "--no-progress"], ["api", "history", "--repo", odd, "--tags", "refs/tags/v*"]]) expect(steward(args).code).toBe(0);
    expect(snapshot(odd)).toBe(before);
  });
});

describe("bad input writes nothing", () => {
  it("bad refs and options on the analysed repository: one line, exit 2, the repository as it was", () => {
    expectOneLineError(steward(["drift", "--repo", odd, "main", "--upload-pack=touch x"]), /--upload-pack=touch x/);
    expectOneLineError(steward(["neutrality", "lint", "--repo", odd, "-rf"]), /-rf/);
    expectOneLineError(steward(["community", "--repo", odd, "--since", "yesterday", "fork"]), /yesterday/);
    expectOneLineError(steward(["api", "diff", "--repo", odd, "v1.0", "no-such-tag"]), /no-such-tag/);
    expect(snapshot(odd)).toBe(before);
  });
});

describe("a small portfolio: config check, scan, status, deps check", () => {
  const pf = join(root, "pf");
  beforeAll(async () => {
    const core = new HistoryBuilder();
    const c1 = core.commit({ branch: "main", message: "1.0", author: up("2024-01-01T00:00:00Z"), files: { "core/__init__.py": "def f(a):\n    return a\n", "requirements.txt": "numpy>=1.24\n" } });
    core.tag("v1.0", c1);
    const c2 = core.commit({ branch: "main", message: "2.0", author: up("2024-06-01T00:00:00Z"), files: { "core/__init__.py": "def f(a, b):\n    return a\n", "requirements.txt": "numpy>=2.0\n" } });
    core.tag("v2.0", c2);
    await core.write(join(pf, "core"));
    const plugin = new HistoryBuilder();
    const p1 = plugin.commit({ branch: "main", message: "0.1", author: up("2024-02-01T00:00:00Z"), files: { "plugin/__init__.py": "from core import f\n", "requirements.txt": "core>=1.0,<2\nnumpy<2\n" } });
    plugin.tag("v0.1", p1);
    await plugin.write(join(pf, "plugin"));
    writeFileSync(join(pf, "steward.yaml"), "version: 1\nprojects:\n  - name: core\n    repo: core\nplugins:\n  - name: plugin\n    repo: plugin\n    depends: [core]\n");
  }, 60_000);

  it("config check: valid lists the repositories (text and JSON); a bad value is one line naming it, exit 2, no store created", async () => {
    const ok = steward(["config", "check", pf]);
    expect([ok.code, ok.stderr]).toEqual([0, ""]);
    expect(ok.stdout).toMatch(new RegExp(`^${pf}: valid \\(2 repositories; store .*steward\\.db\\)\\n {2}project +core +${join(pf, "core")}\\n {2}plugin +plugin +${join(pf, "plugin")}\\n$`));
    const j = steward(["config", "check", pf, "--json"]);
    await expectMatchesSchema("config-check", JSON.parse(j.stdout));
    const bad = join(root, "bad");
    mkdirSync(bad);
    for (const [yaml, pattern] of [
      ["version: 2\nprojects: []\n", /version/],
      ["version: 1\nprojects:\n  - name: core\n    repo: --upload-pack=x\n", /must not start with '-'/],
      ["version: 1\nprojects:\n  - name: core\n    repo: core\n    colour: red\n", /colour/],
      ["version: 1\nprojects:\n  - name: core\n    repo: core\nplugins:\n  - name: p\n    repo: core\n    depends: [nothere]\n", /nothere/],
      ["version: 1\nprojects: [\n", /invalid YAML/],
    ] as const) {
      writeFileSync(join(bad, "steward.yaml"), yaml);
      expectOneLineError(steward(["config", "check", bad]), pattern);
      expectOneLineError(steward(["scan", bad, "--no-progress"]), pattern);
      expect(readdirSync(bad)).toEqual(["steward.yaml"]);
    }
  });

  it("scan then status: text and --json from the store; a bad config afterwards leaves the store as it was", async () => {
    const s = steward(["scan", pf, "--no-progress"]);
    expect([s.code, s.stderr]).toEqual([0, ""]);
    const st = steward(["status", pf]);
    expect([st.code, st.stderr]).toEqual([0, ""]);
    const lines = st.stdout.split("\n");
    expect(lines[0]).toMatch(new RegExp(`^Portfolio ${pf} \\(store ${join(pf, "steward.db")}\\), last scan \\d{4}-\\d\\d-\\d\\dT`));
    expect(lines.filter((l) => /^ {2}[✓✗] /.test(l)).map((l) => l.replace(/\s+/g, " ").split(" ").slice(1, 4).join(" "))).toEqual(["✓ project core", "✓ plugin plugin", "✓ portfolio deps-matrix"]);
    expect(st.stdout).toContain("      api: 1 breaks across releases, 0 announced");
    const js = JSON.parse(steward(["status", pf, "--json"]).stdout) as { repositories: { name: string; ok: boolean; analyzers: { analyzer: string; ok: boolean }[] }[] };
    await expectMatchesSchema("status", js);
    expect(js.repositories.map((r) => [r.name, r.ok, r.analyzers.every((a) => a.ok)])).toEqual([
      ["core", true, true],
      ["plugin", true, true],
    ]);
    const store = join(pf, "steward.db");
    const hash = sha(store);
    const listing = readdirSync(pf).sort();
    const yaml = readFileSync(join(pf, "steward.yaml"), "utf8");
    writeFileSync(join(pf, "steward.yaml"), yaml.replace("version: 1", "version: 7"));
    expectOneLineError(steward(["scan", pf, "--no-progress"]), /version/);
    expectOneLineError(steward(["status", pf]), /version/);
    writeFileSync(join(pf, "steward.yaml"), yaml);
    expectOneLineError(steward(["deps", "check", "core==9.9", "--config", join(pf, "steward.yaml")]), /9\.9/);
    expect([sha(store), readdirSync(pf).sort()]).toEqual([hash, listing]);
  }, 120_000);

  it("deps check: exit 0 when co-installable, 1 on a conflict (naming it), 2 on a bad pin", () => {
    const cfg = ["--config", join(pf, "steward.yaml")];
    const ok = steward(["deps", "check", "core==1.0", "plugin==0.1", ...cfg]);
    expect([ok.code, ok.stderr]).toEqual([0, ""]);
    expect(ok.stdout.split("\n")[0]).toBe("core==1.0 plugin==0.1: co-installable");
    const bad = steward(["deps", "check", "core==2.0", "plugin==0.1", ...cfg]);
    expect([bad.code, bad.stderr]).toEqual([1, ""]);
    expect(bad.stdout).toBe(
      "core==2.0 plugin==0.1: NOT co-installable\n" +
        "  ✗ plugin 0.1 requires core>=1.0,<2 (requirements.txt), chosen 2.0\n" +
        "  ✗ numpy: core 2.0 requires >=2.0 (requirements.txt), plugin 0.1 requires <2 (requirements.txt): no version satisfies both\n",
    );
    const j = steward(["deps", "check", "core==2.0", "plugin==0.1", ...cfg, "--json"]);
    expect(j.code).toBe(1);
    expect((JSON.parse(j.stdout) as { coInstallable: boolean }).coInstallable).toBe(false);
    expectOneLineError(steward(["deps", "check", "core>=1", ...cfg]), /core>=1/);
  });
});

describe("steward demo", () => {
  it("writes what docs/demo.md lists: four repositories with their branches and tags, and steward.yaml", () => {
    const dir = join(root, "demo");
    const r = steward(["demo", dir]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout.split("\n")[0]).toBe(`Demo portfolio written to ${dir}`);
    expect(readdirSync(dir).sort()).toEqual(["README.md", "forks", "plugins", "steward.yaml", "tensorforge"]);
    const refs = (repo: string, kind: "heads" | "tags") => git(join(dir, repo), "for-each-ref", "--format=%(refname:short)", `refs/${kind}`).trim().split("\n");
    expect(refs("tensorforge", "tags")).toEqual(["v0.1.0", "v0.2.0", "v0.3.0", "v0.4.0", "v0.5.0"]);
    expect(refs("tensorforge", "heads")).toContain("main");
    expect(refs("forks/tensorforge-gaudi", "heads")).toEqual(expect.arrayContaining(["1.0.0", "1.1.0", "1.2.0", "upstream-main"]));
    expect(refs("forks/tensorforge-rocm", "heads")).toEqual(expect.arrayContaining(["rocm-main", "rocm-main-old", "upstream-main"]));
    expect(refs("plugins/tensorforge-npu", "tags")).toEqual(["v0.1.0", "v0.2.0"]);
    const again = steward(["demo", dir]);
    expectOneLineError(again, /not empty|--force/);
    const check = steward(["config", "check", dir]);
    expect(check.stdout).toMatch(/valid \(4 repositories;/);
  }, 120_000);
});

describe("steward neutrality history", () => {
  it("one row per tag: vendor lines and lint debt (text), the same as JSON with its schema", async () => {
    const r = steward(["neutrality", "history", "--repo", odd, "--tags", "refs/tags/v*", "--json", "--no-progress"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const j = JSON.parse(r.stdout) as { history: { ref: string; lintDebt: number }[] };
    await expectMatchesSchema("neutrality-history", j);
    expect(j.history.map((p) => [p.ref, p.lintDebt])).toEqual([
      ["refs/tags/v1.0", 1],
      ["refs/tags/v2.0", 4],
    ]);
    const t = steward(["neutrality", "history", "--repo", odd, "--tags", "refs/tags/v*", "--no-progress"]);
    expect(t.code).toBe(0);
    const rows = t.stdout.split("\n").filter((l) => /^ {2}\d{4}-/.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/).slice(1, 2).concat(l.trim().split(/\s+/).slice(-1)))).toEqual([
      ["v1.0", "1"],
      ["v2.0", "4"],
    ]);
  });
});

describe("shallow clones say so", () => {
  it("community warns that the history is cut; drift that counts may be short", async () => {
    // main: four commits; fork: one more on the third. Depth 2 keeps the merge-base (the third) as the boundary.
    const b = new HistoryBuilder();
    const cs = [1, 2, 3, 4].map((i) => b.commit({ branch: "main", message: `c${i}`, author: up(`2024-0${i}-01T00:00:00Z`), files: { [`f${i}.py`]: `x = ${i}\n` } }));
    b.commit({ branch: "fork", parents: [cs[2]!], message: "fork", author: up("2024-05-01T00:00:00Z"), files: { "fork.py": "y = 1\n" } });
    const full = join(root, "deep");
    await b.write(full);
    const shallow = join(root, "shallow");
    git(root, "clone", "-q", "--no-local", "--depth", "2", "--no-single-branch", `file://${full}`, shallow);
    const c = steward(["community", "--repo", shallow, "origin/fork", "--no-progress"]);
    expect([c.code, c.stderr]).toEqual([0, ""]);
    expect(c.stdout).toMatch(/^! shallow clone: the history stops at 1 boundary commit \([0-9a-f]{10}\).*'git fetch --unshallow' gives the whole history$/m);
    const d = steward(["drift", "--repo", shallow, "origin/main", "origin/fork"]);
    expect([d.code, d.stderr]).toEqual([0, ""]);
    expect(d.stdout).toContain("! the repository is a shallow clone: behind/ahead counts may be short; 'git fetch --unshallow' makes them exact");
    // The same commands on the full repository warn of nothing.
    expect(steward(["community", "--repo", full, "fork", "--no-progress"]).stdout).not.toContain("shallow");
    expect(steward(["drift", "--repo", full, "main", "fork"]).stdout).not.toContain("shallow");
    expect(existsSync(join(shallow, ".git", "shallow"))).toBe(true);
  });
});
