import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { depsCheck } from "../../src/analyzers/deps/portfolio.js";
import { generateDemo } from "../../src/demo/index.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { portfolioStatus, scanPortfolio } from "../../src/portfolio/scan.js";
import { fetchPortfolio } from "../../src/portfolio/sources.js";
import { git, tempDir, up } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

/**
 * A portfolio as users keep it on disk: every repository a local path, the
 * Gaudi fork a real blobless clone (its promisor remote gone), the ROCm fork's
 * branch inside the project's own repository, the plugin without release tags.
 */
const root = tempDir();
const demo = join(root, "demo");
const partial = join(root, "demo/forks/gaudi-blobless");

/** Everything git keeps for a repository: refs, config and every file of the git directory with size and mtime. */
function fingerprint(gitDir: string): string {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else files.push(`${p.slice(gitDir.length)} ${st.size} ${st.mtimeMs}`);
    }
  };
  walk(gitDir);
  return [git(gitDir, "for-each-ref"), readFileSync(join(gitDir, "config"), "utf8"), ...files].join("\n");
}

/** Objects held by a repository's own object directory (alternates not counted). */
function ownObjects(gitDir: string): number {
  const v = Object.fromEntries(git(gitDir, "count-objects", "-v").trim().split("\n").map((l) => l.split(": ") as [string, string]));
  return Number(v.count) + Number(v["in-pack"]);
}

function stores(dir: string): string[] {
  return readdirSync(join(dir, ".steward-cache/repos")).map((d) => join(dir, ".steward-cache/repos", d));
}

beforeAll(async () => {
  await generateDemo(demo);
  // The Gaudi fork kept as a blobless clone; its promisor remote then disappears (renamed away).
  const gaudi = join(demo, "forks/tensorforge-gaudi");
  git(gaudi, "config", "uploadpack.allowFilter", "true");
  git(root, "clone", "-q", "--filter=blob:none", `file://${gaudi}`, partial);
  renameSync(gaudi, join(root, "gaudi-origin-gone"));
  // The ROCm fork's branches fetched into the project's repository, under refs/remotes/rocm/.
  git(join(demo, "tensorforge"), "fetch", "-q", join(demo, "forks/tensorforge-rocm"), "+refs/heads/*:refs/remotes/rocm/*");
  // The plugin has no release tags: its branch is its one release.
  git(join(demo, "plugins/tensorforge-npu"), "tag", "-d", "v0.1.0", "v0.2.0");
  let cfg = readFileSync(join(demo, "steward.yaml"), "utf8");
  cfg = cfg
    .replace("repo: forks/tensorforge-gaudi\n    refs: [refs/heads/1.*]", "repo: forks/gaudi-blobless\n    refs: [refs/remotes/origin/1.*]")
    .replace("repo: forks/tensorforge-rocm\n    refs: [rocm-main]", "repo: tensorforge\n    refs: [refs/remotes/rocm/rocm-main]");
  writeFileSync(join(demo, "steward.yaml"), cfg);
});

describe("a local portfolio (blobless fork, fork in its project's repository, plugin without tags)", () => {
  it("scans with no failure, copies no object and writes nothing into the repositories", async () => {
    expect(git(partial, "config", "remote.origin.promisor").trim()).toBe("true");
    const repos = [join(demo, "tensorforge/.git"), join(partial, ".git"), join(demo, "plugins/tensorforge-npu/.git")];
    const before = repos.map(fingerprint);

    const s = await scanPortfolio(demo);
    expect(s.tasks.filter((t) => t.state === "failed")).toEqual([]);
    expect(s.tasks.map((t) => `${t.repository} ${t.analyzer}`)).toEqual([
      "tensorforge-gaudi drift",
      "tensorforge-rocm drift",
      "tensorforge deps",
      "tensorforge-npu deps",
      "* deps-matrix",
      "tensorforge neutrality",
      "tensorforge-npu neutrality",
      "tensorforge api",
      "tensorforge-npu contract",
      "tensorforge community",
    ]);
    expect(repos.map(fingerprint)).toEqual(before);

    // The cache holds refs and alternates, not objects: the family store has none of its own.
    const [store, ...others] = stores(demo);
    expect(others).toEqual([]);
    expect(ownObjects(store!)).toBe(0);
    expect(ownObjects(join(demo, "tensorforge/.git"))).toBeGreaterThan(100);
    expect(readFileSync(join(store!, "objects/info/alternates"), "utf8").trim().split("\n").sort()).toEqual(
      [join(demo, "tensorforge/.git/objects"), join(partial, ".git/objects")].sort(),
    );
    // Joined by alternates, the blobless fork makes the store a partial clone too: reads in it meet
    // absent blobs as reads in the fork itself do (never a fetch: the promisor is gone anyway).
    expect(git(store!, "config", "extensions.partialClone")).toMatch(/^steward-promisor-[0-9a-f]{16}\n$/);
    const promisor = git(store!, "config", "extensions.partialClone").trim();
    expect(git(store!, "config", `remote.${promisor}.promisor`).trim()).toBe("true");
    expect(git(store!, "config", `remote.${promisor}.url`).trim()).toBe(`file://${join(demo, "forks/tensorforge-gaudi")}`);

    const db = new Database(join(demo, "steward.db"), { readonly: true });
    const points = (repo: string) => db.prepare("SELECT ref, value FROM point WHERE repository = ? AND metric = 'debt' ORDER BY date").all(repo);
    const result = (repo: string, analyzer: string) => JSON.parse((db.prepare("SELECT result FROM result WHERE repository = ? AND analyzer = ? AND ok = 1").get(repo, analyzer) as { result: string }).result) as Record<string, unknown>;
    // The fork sharing its project's repository: read in place, the demo's numbers.
    expect(points("tensorforge-rocm")).toEqual([{ ref: "refs/remotes/rocm/rocm-main", value: 12 }]);
    // The blobless fork: its three releases, in order. 1.2.0 is checked out (its blobs were fetched
    // at clone time) and reads as on the full fork; the others lack fork-only blobs.
    const gaudi = points("tensorforge-gaudi") as { ref: string; value: number }[];
    expect(gaudi.map((p) => p.ref)).toEqual(["refs/remotes/origin/1.0.0", "refs/remotes/origin/1.1.0", "refs/remotes/origin/1.2.0"]);
    expect(gaudi[2]!.value).toBe(162);
    const series = result("tensorforge-gaudi", "drift") as { history: { warnings: string[]; coverage: { missing: number; missingPaths: string[] } }[] };
    expect(series.history[2]!.warnings).toEqual([]);
    expect(series.history[2]!.coverage.missing).toBe(0);
    expect(series.history[1]!.coverage.missingPaths).toContain("tensorforge/runtime/engine.py");
    expect(series.history[1]!.warnings.join("\n")).toMatch(/^blobs missing \(partial clone\?\): \d+ file\(s\) left out of the net patch: .*tensorforge\/runtime\/engine.py/m);
    // The plugin without tags: its branch is the release, named by its ref, versioned by its setup.py.
    const npu = result("tensorforge-npu", "deps") as { releases: { ref: string; version: string; branch?: true }[]; warnings: string[] };
    expect(npu.releases.map((r) => [r.ref, r.version, r.branch])).toEqual([["refs/heads/main", "0.2.0", true]]);
    expect(npu.warnings[0]).toBe("no ref matches refs/tags/v*: branch refs/heads/main read as the one release (version 0.2.0 from its packaging metadata)");
    const matrix = result("*", "deps-matrix") as { matrix: { dependent: string; release: string; version: string; admits: string[] }[]; unreadable: unknown[] };
    expect(matrix.matrix.map((m) => [m.dependent, m.release, m.version, m.admits])).toEqual([["tensorforge-npu", "refs/heads/main", "0.2.0", ["0.4.0", "0.5.0"]]]);
    expect(matrix.unreadable).toEqual([]);
    await expectMatchesSchema("deps-portfolio", matrix);
    db.close();

    // deps check chooses the branch release by its declared version.
    expect(await depsCheck(demo, ["tensorforge==0.5.0", "tensorforge-npu==0.2.0"])).toMatchObject({ coInstallable: true, chosen: [{ name: "tensorforge", version: "0.5.0" }, { name: "tensorforge-npu", version: "0.2.0", release: "refs/heads/main" }] });
    expect(await depsCheck(demo, ["tensorforge==0.3.0", "tensorforge-npu==0.2.0"])).toMatchObject({ coInstallable: false });

    // A rescan computes again only the incomplete result (the blobless fork's series: its older
    // releases lack blobs, which a fetch may bring without any new commit), and still copies nothing;
    // a new plugin commit is a new release.
    const again = await scanPortfolio(demo);
    expect([again.analysed, again.unchanged, again.failed]).toEqual([1, 9, 0]);
    expect(again.tasks.filter((t) => t.state === "analysed").map((t) => `${t.repository} ${t.analyzer}`)).toEqual(["tensorforge-gaudi drift"]);
    git(join(demo, "plugins/tensorforge-npu"), "-c", "user.name=T", "-c", "user.email=t@x", "commit", "-q", "--allow-empty", "-m", "npu: more");
    const third = await scanPortfolio(demo);
    expect(third.tasks.filter((t) => t.state === "analysed").map((t) => `${t.repository} ${t.analyzer}`).sort()).toEqual(["* deps-matrix", "tensorforge-gaudi drift", "tensorforge-npu contract", "tensorforge-npu deps", "tensorforge-npu neutrality"]);
    expect(ownObjects(store!)).toBe(0);
  });

  it("a repository that cannot be read: the others are stored, the matrix keeps its readable pairs, and the scan exits 2", async () => {
    const dir = join(root, "with-ghost");
    const cfg = readFileSync(join(demo, "steward.yaml"), "utf8")
      .replace("store: steward.db", `store: ${join(root, "ghost.db")}`)
      .replaceAll("repo: tensorforge\n", `repo: ${join(demo, "tensorforge")}\n`)
      .replace("repo: forks/gaudi-blobless\n", `repo: ${partial}\n`)
      .replace("repo: plugins/tensorforge-npu\n", `repo: ${join(demo, "plugins/tensorforge-npu")}\n`)
      .replace("identities:", `  - name: ghost\n    repo: ${join(root, "no-such-plugin")}\n    depends: [tensorforge]\n\nidentities:`);
    spawnSync("mkdir", ["-p", dir]);
    writeFileSync(join(dir, "steward.yaml"), cfg);
    const cli = spawnSync(process.execPath, [resolve("dist/cli/main.js"), "scan", "--json", "--no-progress", dir], { encoding: "utf8" });
    expect(cli.status).toBe(2);
    const summary = JSON.parse(cli.stdout) as { analysed: number; failed: number; tasks: { repository: string; analyzer: string; state: string; error?: string }[] };
    expect(summary.tasks.filter((t) => t.state === "failed").map((t) => `${t.repository} ${t.analyzer}`)).toEqual(["ghost deps", "ghost neutrality", "ghost contract"]);
    expect(summary.analysed).toBe(summary.tasks.length - 3);
    expect(cli.stderr).toBe("steward: 3 of 13 analyses could not be computed: ghost (deps), ghost (neutrality), ghost (contract)\n");
    const status = await portfolioStatus(dir);
    expect(status.repositories.map((r) => [r.name, r.ok])).toEqual([
      ["tensorforge", true],
      ["tensorforge-gaudi", true],
      ["tensorforge-rocm", true],
      ["tensorforge-npu", true],
      ["ghost", false],
    ]);
    // The matrix stands for the readable plugin and names the pair it could not read.
    const db = new Database(join(root, "ghost.db"), { readonly: true });
    const m = JSON.parse((db.prepare("SELECT result FROM result WHERE repository = '*' AND ok = 1").get() as { result: string }).result) as { matrix: { dependent: string }[]; unreadable: { dependent: string; project: string; error: string }[]; pairs: number };
    db.close();
    expect(m.matrix.map((r) => r.dependent)).toEqual(["tensorforge-npu"]);
    expect(m.pairs).toBe(2);
    expect(m.unreadable).toEqual([{ dependent: "ghost", project: "tensorforge", error: `repository path does not exist: ${join(root, "no-such-plugin")}` }]);

    // The text form says the same, and a clean rescan of the readable part stays exit 2 while ghost is missing.
    const text = spawnSync(process.execPath, [resolve("dist/cli/main.js"), "scan", "--no-progress", dir], { encoding: "utf8" });
    expect(text.status).toBe(2);
    expect(text.stdout).toMatch(/1 analysed, 9 unchanged, 3 failed\n {2}! ghost \(deps\): repository path does not exist: /);
  });

  it("a project and a plugin without any release tag: each branch is one release, the matrix and deps check work", async () => {
    const dir = join(root, "untagged");
    const core = new HistoryBuilder();
    core.commit({ branch: "main", message: "core", author: up("2024-01-01T00:00:00Z"), files: { "pyproject.toml": '[project]\nname = "core"\nversion = "1.4.0"\ndependencies = ["numpy>=1.24"]\n', "core/__init__.py": "def run(x):\n    return x\n" } });
    await core.write(join(dir, "core"));
    const plug = new HistoryBuilder();
    plug.commit({ branch: "trunk", message: "plug", author: up("2024-02-01T00:00:00Z"), files: { "requirements.txt": "core>=1.2,<2\nnumpy<2\n", "plug/__init__.py": "import core\n" } });
    await plug.write(join(dir, "plug"));
    writeFileSync(join(dir, "steward.yaml"), "version: 1\nprojects:\n  - name: core\n    repo: core\nplugins:\n  - name: plug\n    repo: plug\n    branch: trunk\n    depends: [core]\n");
    const s = await scanPortfolio(dir);
    expect(s.tasks.filter((t) => t.state === "failed")).toEqual([]);
    const db = new Database(join(dir, "steward.db"), { readonly: true });
    const result = (repo: string, analyzer: string) => JSON.parse((db.prepare("SELECT result FROM result WHERE repository = ? AND analyzer = ? AND ok = 1").get(repo, analyzer) as { result: string }).result) as Record<string, unknown>;
    const m = result("*", "deps-matrix") as { matrix: { dependent: string; release: string; version: string | null; admits: string[] }[]; lag: { version: string; firstRelease: string | null; days: number | null }[] };
    expect(m.matrix.map((r) => [r.dependent, r.release, r.version, r.admits])).toEqual([["plug", "refs/heads/trunk", null, ["1.4.0"]]]);
    expect(m.lag.map((l) => [l.version, l.firstRelease, l.days])).toEqual([["1.4.0", "refs/heads/trunk", 31]]);
    const api = result("core", "api") as { releases: { ref: string; breaking: number }[]; warnings: string[] };
    expect(api.releases.map((r) => [r.ref, r.breaking])).toEqual([["refs/heads/main", 0]]);
    expect(api.warnings[0]).toBe("no ref matches refs/tags/v*: branch refs/heads/main read as the one release");
    // The plugin's contract is read against that one release: nothing newer to judge it against yet.
    const contract = result("plug", "contract") as { projects: { target: { ref: string; why: string }; summary: { imports: number }; releases: unknown[] }[]; warnings: string[] };
    expect(contract.projects.map((x) => [x.target.ref, x.target.why, x.summary.imports, x.releases.length])).toEqual([["refs/heads/main", "no release admitted by core>=1.2,<2: the newest release before the plugin's tip", 1, 0]]);
    expect(contract.warnings).toContain("core: no ref matches refs/tags/v*: branch refs/heads/main read as the one release");
    db.close();
    // deps check: the project by its declared version, the plugin (no version) by its branch.
    expect(await depsCheck(dir, ["core==1.4.0", "plug==trunk"])).toMatchObject({ coInstallable: true, chosen: [{ name: "core", version: "1.4.0", release: "refs/heads/main" }, { name: "plug", version: "trunk", release: "refs/heads/trunk" }], shared: [{ name: "numpy", witness: "1.24" }] });
    await expect(depsCheck(dir, ["plug==0.1"])).rejects.toThrow("plug has no release 0.1 (releases: refs/heads/trunk)");
  });

  it("a project given as a URL and local forks: the project is fetched, the forks join its store without a copy", async () => {
    const dir = join(root, "mixed");
    spawnSync("mkdir", ["-p", dir]);
    writeFileSync(
      join(dir, "steward.yaml"),
      `version: 1\nprojects:\n  - name: core\n    repo: file://${join(demo, "tensorforge")}\nforks:\n  - name: gaudi\n    of: core\n    repo: ${partial}\n    refs: [refs/remotes/origin/1.*]\n  - name: rocm\n    of: core\n    repo: ${join(demo, "forks/tensorforge-rocm")}\n    refs: [rocm-main]\n`,
    );
    const before = [join(partial, ".git"), join(demo, "forks/tensorforge-rocm/.git")].map(fingerprint);
    expect((await fetchPortfolio(dir)).repositories.map((r) => [r.name, r.state])).toEqual([["core", "fetched"]]);
    const s = await scanPortfolio(dir);
    expect(s.tasks.filter((t) => t.state === "failed")).toEqual([]);
    // The store holds what the fetch brought (the project), nothing of the forks; a second fetch into
    // the store, now a partial clone itself, still works.
    const [store] = stores(dir);
    const projectObjects = git(join(demo, "tensorforge"), "rev-list", "--objects", "--all").trim().split("\n").length;
    expect(ownObjects(store!)).toBe(projectObjects);
    expect(readFileSync(join(store!, "objects/info/alternates"), "utf8").trim().split("\n").sort()).toEqual([join(demo, "forks/tensorforge-rocm/.git/objects"), join(partial, ".git/objects")].sort());
    expect((await fetchPortfolio(dir)).repositories.map((r) => r.state)).toEqual(["fetched"]);
    expect([join(partial, ".git"), join(demo, "forks/tensorforge-rocm/.git")].map(fingerprint)).toEqual(before);
  });
});
