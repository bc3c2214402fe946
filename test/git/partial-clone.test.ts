import { spawnSync } from "node:child_process";
import { renameSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { apiDiff, apiHistory, apiImpact, apiSurface, community, depsReleases, drift, driftHistory, neutrality, neutralityHistory, neutralityLint } from "../../src/index.js";
import { generateDemo } from "../../src/demo/index.js";
import { buildFamily } from "../drift/fixture.js";
import { copyWithoutBlobs, git, tempDir } from "../helpers/git.js";

/**
 * Real partial clones (a promisor remote, git 2.39's behaviour: a read of an
 * absent blob tries the remote and dies), made the way users make them:
 * `git clone --filter=blob:none`. Every analyzer must work on what is present,
 * say what it could not read, and with --fetch-missing equal a full clone.
 */
const root = tempDir("steward-partial-");
const BIN = join(import.meta.dirname, "../../dist/cli/main.js");
const demo = join(root, "demo");
const upstream = join(demo, "tensorforge");
const plugin = join(demo, "plugins/tensorforge-npu");
const family = join(root, "family");

function partialClone(src: string, dest: string, opts: { bare?: boolean } = {}): string {
  git(src, "config", "uploadpack.allowFilter", "true");
  git(root, "clone", "-q", ...(opts.bare ? ["--bare"] : ["--no-checkout"]), "--filter=blob:none", `file://${src}`, dest);
  return dest;
}

/** A partial clone whose promisor remote is gone (moved away): nothing can be fetched. */
function orphanedPartialClone(src: string, dest: string): string {
  const copy = `${dest}-source`;
  git(root, "clone", "-q", "--bare", src, copy);
  partialClone(copy, dest);
  renameSync(copy, `${copy}-gone`);
  return dest;
}

/** Files (or distinct blobs) absent from `repo` among the files of `ref` that `keep` selects: git's own answer. */
function absentFiles(repo: string, ref: string, keep: (path: string) => boolean, opts: { distinctBlobs?: boolean } = {}): number {
  const missing = new Set(
    git(repo, "-c", "protocol.allow=never", "rev-list", "--objects", "--no-object-names", "--missing=print", "--no-walk", ref)
      .split("\n")
      .filter((l) => l.startsWith("?"))
      .map((l) => l.slice(1)),
  );
  const absent = git(repo, "ls-tree", "-r", "-z", "--full-tree", ref)
    .split("\0")
    .filter(Boolean)
    .map((rec) => {
      const [meta = "", path = ""] = rec.split("\t");
      return { path, oid: meta.split(" ")[2]! };
    })
    .filter((e) => keep(e.path) && missing.has(e.oid));
  return opts.distinctBlobs ? new Set(absent.map((e) => e.oid)).size : absent.length;
}

/** The result without what legitimately differs between a partial and a full clone. */
function comparable(r: unknown): unknown {
  return JSON.parse(JSON.stringify(r), (k: string, v: unknown) => (k === "coverage" || k === "lineCoverage" || k === "warnings" || k === "repo" || k === "source" ? undefined : v));
}

function cli(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
}

beforeAll(async () => {
  await generateDemo(demo);
  await buildFamily().write(family);
}, 60_000);

describe("a blobless clone whose promisor remote is unreachable", () => {
  let clone: string;
  let pluginClone: string;
  beforeAll(() => {
    clone = orphanedPartialClone(upstream, join(root, "orphan"));
    pluginClone = orphanedPartialClone(plugin, join(root, "orphan-npu"));
    // What a user has: the blobs of the tip they checked out, not those of older releases.
    git(clone, "-c", "protocol.allow=never", "rev-parse", "HEAD");
  });

  it("refuses with exit 2 and the fix when it can read nothing at all", () => {
    const r = cli(clone, "api", "surface", "v0.3.0");
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^steward: nothing to read at v0.3.0: INCOMPLETE: 12 of 12 files not read .*--fetch-missing fetches them from origin/);
    expect(cli(clone, "neutrality", "v0.3.0").status).toBe(2);
  });

  it("reads what is present and counts exactly what it could not read", async () => {
    // Fetch one file's blob into the orphan by hand (as a checkout of it would): the rest stays absent.
    const present = join(root, "present");
    partialClone(upstream, present);
    git(present, "-c", "protocol.allow=always", "checkout", "-q", "v0.3.0", "--", "tensorforge/__init__.py", "README.md");
    const s = await apiSurface({ repo: present, ref: "v0.3.0" });
    const isModule = (p: string) => p.startsWith("tensorforge/") && p.endsWith(".py");
    expect(s.coverage.files).toBe(12);
    expect(s.coverage.missing).toBe(absentFiles(present, "v0.3.0", isModule));
    expect(s.coverage.missing).toBe(11);
    expect(s.coverage.promisor?.remote).toBe("origin");
    expect(s.objects.map((o) => o.path)).toContain("tensorforge");
    const n = await neutrality({ repo: present, ref: "v0.3.0" });
    expect(n.coverage.missing).toBe(absentFiles(present, "v0.3.0", () => true));
    expect(n.totals.skipped.missing).toBe(n.coverage.missing);
    expect(n.totals.scanned).toBe(2);
  });

  it("never crashes: community, deps, api history and impact on the orphaned clone", async () => {
    const c = await community({ repo: clone });
    expect(c.warnings.join("\n")).toMatch(/line counts skipped for \d+ file/);
    await expect(depsReleases({ repo: clone, patterns: ["refs/tags/v*"] })).rejects.toThrow(/nothing to read in .*INCOMPLETE/);
    await expect(apiHistory({ repo: clone, patterns: ["refs/tags/v*"] })).rejects.toThrow(/nothing to read/);
    await expect(apiImpact({ repo: upstream, from: "v0.3.0", to: "v0.5.0", downstreams: [pluginClone] })).rejects.toThrow(/nothing to read in .*orphan-npu/);
    const r = cli(clone, "drift", "--repo", clone, "v0.3.0", "v0.5.0");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^steward: nothing to read for v0.5.0: INCOMPLETE/);
  });

  it("writes nothing into the clone", () => {
    const before = git(clone, "count-objects", "-v");
    cli(clone, "neutrality", "lint", "v0.5.0");
    cli(clone, "api", "diff", "v0.3.0", "v0.5.0");
    expect(git(clone, "count-objects", "-v")).toBe(before);
  });
});

describe("--fetch-missing: results equal a full clone's", () => {
  it("api surface, diff, history, impact", async () => {
    const a = partialClone(upstream, join(root, "fm-api"));
    expect(comparable(await apiSurface({ repo: a, ref: "v0.3.0", fetchMissing: true }))).toEqual(comparable(await apiSurface({ repo: upstream, ref: "v0.3.0" })));
    const d = await apiDiff({ repo: a, from: "v0.3.0", to: "v0.5.0", fetchMissing: true });
    expect(d.coverage.missing).toBe(0);
    expect(d.coverage.fetched).toBeGreaterThan(0);
    expect(comparable(d)).toEqual(comparable(await apiDiff({ repo: upstream, from: "v0.3.0", to: "v0.5.0" })));
    const b = partialClone(upstream, join(root, "fm-api-history"));
    expect(comparable(await apiHistory({ repo: b, patterns: ["refs/tags/v*"], fetchMissing: true }))).toEqual(comparable(await apiHistory({ repo: upstream, patterns: ["refs/tags/v*"] })));
    const p = partialClone(plugin, join(root, "fm-npu"));
    const impact = await apiImpact({ repo: upstream, from: "v0.3.0", to: "v0.5.0", downstreams: [p], fetchMissing: true });
    const full = await apiImpact({ repo: upstream, from: "v0.3.0", to: "v0.5.0", downstreams: [plugin] });
    expect(comparable(impact)).toEqual(comparable(full));
    expect(impact.downstreams[0]!.hits.length).toBeGreaterThan(0);
  });

  it("neutrality footprint, lint, history; deps; community", async () => {
    const a = partialClone(upstream, join(root, "fm-neutrality"));
    expect(comparable(await neutrality({ repo: a, ref: "v0.4.0", fetchMissing: true }))).toEqual(comparable(await neutrality({ repo: upstream, ref: "v0.4.0" })));
    expect(comparable(await neutralityLint({ repo: a, ref: "v0.5.0", fetchMissing: true }))).toEqual(comparable(await neutralityLint({ repo: upstream, ref: "v0.5.0" })));
    const b = partialClone(upstream, join(root, "fm-neutrality-history"));
    expect(comparable(await neutralityHistory({ repo: b, patterns: ["refs/tags/v*"], fetchMissing: true }))).toEqual(comparable(await neutralityHistory({ repo: upstream, patterns: ["refs/tags/v*"] })));
    const c = partialClone(upstream, join(root, "fm-deps"));
    expect(comparable(await depsReleases({ repo: c, patterns: ["refs/tags/v*"], fetchMissing: true }))).toEqual(comparable(await depsReleases({ repo: upstream, patterns: ["refs/tags/v*"] })));
    const e = partialClone(upstream, join(root, "fm-community"));
    expect(comparable(await community({ repo: e, fetchMissing: true }))).toEqual(comparable(await community({ repo: upstream })));
  });

  it("fetches only what the analysis reads, in one request per ref", async () => {
    const a = partialClone(upstream, join(root, "fm-exact"));
    const read = (p: string) => (p.startsWith("tensorforge/") && p.endsWith(".py")) || p === "setup.py" || p === "pyproject.toml";
    const absent = absentFiles(a, "v0.3.0", read, { distinctBlobs: true });
    const s = await apiSurface({ repo: a, ref: "v0.3.0", fetchMissing: true });
    // The packaging files first, then the package's modules: nothing else of the tree.
    expect(s.coverage.fetched).toBe(absent);
    expect(absentFiles(a, "v0.3.0", (p) => p.startsWith("tensorforge/") && p.endsWith(".py"))).toBe(0);
    expect(absentFiles(a, "v0.3.0", (p) => p.startsWith("tests/") || p.startsWith(".github/"))).toBeGreaterThan(0);
  });
});

describe("drift in a partial clone", () => {
  it("follows the file upstream moved, and equals the full clone with --fetch-missing", async () => {
    const full = await drift({ repo: family, upstream: "main", forks: ["fork"] });
    const a = partialClone(family, join(root, "drift-fm"), { bare: true });
    const fetched = await drift({ repo: a, upstream: "main", forks: ["fork"], fetchMissing: true });
    expect(comparable(fetched)).toEqual(comparable(full));
    // The moved file is followed to its new upstream path in both.
    expect((fetched as { files: { path: string; upstreamPath: string | null }[] }).files.find((f) => f.path === "pkg/moved.py")?.upstreamPath).toBe("pkg/core/moved.py");
  });

  it("several forks with their overlap, from a blobless clone, equal the full clone with --fetch-missing", async () => {
    const gaudi = join(demo, "forks/tensorforge-gaudi");
    const a = partialClone(gaudi, join(root, "overlap-fm"), { bare: true });
    const forks = ["1.1.0", "1.2.0"];
    const full = await drift({ repo: gaudi, upstream: "upstream-main", forks });
    const fetched = await drift({ repo: a, upstream: "upstream-main", forks, fetchMissing: true });
    expect((full as { overlap: unknown[] }).overlap.length).toBeGreaterThan(0);
    expect(comparable(fetched)).toEqual(comparable(full));
  });

  it("--history with some blobs present: no failure per base, upstream moves still followed, incompleteness in the headline", async () => {
    const a = partialClone(family, join(root, "drift-some"));
    // The user checked out the fork tip: its blobs are present, older upstream ones are not.
    git(a, "-c", "protocol.allow=always", "checkout", "-q", "origin/fork", "--", ".");
    // ... and had once looked at the base's pkg/moved.py (the file upstream later moved).
    git(a, "-c", "protocol.allow=always", "show", `${git(a, "merge-base", "origin/main", "origin/fork").trim()}:pkg/moved.py`);
    renameSync(family, `${family}-away`);
    try {
      const h = await driftHistory({ repo: a, upstream: "origin/main", patterns: ["refs/remotes/origin/fork"] });
      const p = h.history[0]!;
      expect(p.coverage.missing).toBeGreaterThan(0);
      expect(p.coverage.missing).toBeLessThan(p.coverage.files);
      // Rename detection ran on the present blobs (git diff -M on all would die on the absent ones).
      expect(p.files.find((f) => f.path === "pkg/moved.py")?.upstreamPath).toBe("pkg/core/moved.py");
      const r = cli(a, "drift", "origin/main", "--history", "refs/remotes/origin/fork", "--no-progress");
      expect(r.status).toBe(0);
      expect(r.stdout.split("\n")[0]).toMatch(/^INCOMPLETE: \d+ of \d+ files not read: their blobs are absent from this partial clone/);
    } finally {
      renameSync(`${family}-away`, family);
    }
  });

  it("a store that lacks a deleted file's blob (alternates, no promisor) still follows the file upstream moved", async () => {
    // git diff -M dies on the absent blob of pkg/old.py (deleted upstream); renames are matched among the present blobs.
    const copy = copyWithoutBlobs(family, join(root, "lacking"), "fork~1", ["pkg/old.py"]);
    const r = (await drift({ repo: copy, upstream: "main", forks: ["fork"] })) as { files: { path: string; upstreamPath: string | null }[]; warnings: string[] };
    expect(r.files.find((f) => f.path === "pkg/moved.py")?.upstreamPath).toBe("pkg/core/moved.py");
    expect(r.warnings).toContain("upstream renames matched among present blobs (1 absent deleted or added blob matched by id only)");
  });
});
