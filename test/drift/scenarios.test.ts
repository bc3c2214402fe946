import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drift, driftHistory, type DriftMulti, type DriftPair } from "../../src/analyzers/drift/index.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { git, lines, numstat, tempDir, text, up, vendor } from "../helpers/git.js";

const root = tempDir();

function statuses(r: DriftPair): Record<string, string[]> {
  return Object.fromEntries(r.files.map((f) => [f.path, f.hunks.map((h) => h.status)]));
}

describe("replay: a PR branch that upstream squash-merged", () => {
  it("reads as upstreamed although git cherry matches none of its commits", async () => {
    const b = new HistoryBuilder();
    const base = b.commit({ branch: "main", message: "base", author: up("2024-01-01T00:00:00Z"), files: { "a.py": text(lines("a", 30)), "b.py": text(lines("b", 30)) } });
    b.branch("pr/7", base);
    const a1 = lines("a", 30);
    a1.splice(10, 0, "feature_one = enable()", "feature_two = enable()");
    b.commit({ branch: "pr/7", message: "wip 1", author: vendor("2024-01-02T00:00:00Z"), files: { "a.py": text(a1) } });
    const a2 = [...a1];
    a2[20] = "a_19 = compute_faster('a', 19)";
    b.commit({ branch: "pr/7", message: "wip 2", author: vendor("2024-01-03T00:00:00Z"), files: { "a.py": text(a2) } });
    const b3 = lines("b", 30);
    b3[4] = "b_5 = compute_faster('b', 5)";
    b.commit({ branch: "pr/7", message: "review fixes", author: vendor("2024-01-04T00:00:00Z"), files: { "b.py": text(b3), "c.py": text(lines("c", 5)) } });
    // The squash commit on main, then unrelated upstream work in the same files.
    b.commit({ branch: "main", message: "Add feature (#7)", author: up("2024-01-05T00:00:00Z"), files: { "a.py": text(a2), "b.py": text(b3), "c.py": text(lines("c", 5)) } });
    const a3 = [...a2, "a_tail = 1"];
    const b4 = ["b_head = 0", ...b3];
    b.commit({ branch: "main", message: "later work", author: up("2024-01-06T00:00:00Z"), files: { "a.py": text(a3), "b.py": text(b4) } });
    const dir = join(root, "replay");
    await b.write(dir);

    const r = (await drift({ repo: dir, upstream: "main", forks: ["pr/7"] })) as DriftPair;
    expect(git(dir, "cherry", "main", "pr/7").trim().split("\n")).toEqual(expect.arrayContaining([expect.stringMatching(/^\+ /)]));
    expect(git(dir, "cherry", "main", "pr/7").includes("- ")).toBe(false);
    expect(r.cherry).toEqual({ commits: 3, matched: 0, unmatched: 3 });
    expect(statuses(r)).toEqual({ "a.py": ["upstreamed", "upstreamed"], "b.py": ["upstreamed"], "c.py": ["upstreamed"] });
    expect(r.netPatch.reconnection).toBe(1);
    expect(r.netPatch.debt).toBe(0);
  });
});

describe("cherry-picks, edits and rebases", () => {
  const b = new HistoryBuilder();
  const base = b.commit({ branch: "main", message: "base", author: up("2024-01-01T00:00:00Z"), files: { "m.py": text(lines("m", 60)) } });
  b.branch("fork", base);
  const f1 = lines("m", 60);
  f1[4] = "m_5 = rocm_path()";
  const c1 = b.commit({ branch: "fork", message: "rocm: path", author: vendor("2024-02-01T00:00:00Z"), files: { "m.py": text(f1) } });
  const f2 = [...f1];
  f2[24] = "m_25 = rocm_kernel(block=64)";
  b.commit({ branch: "fork", message: "rocm: kernel", author: vendor("2024-02-02T00:00:00Z"), files: { "m.py": text(f2) } });
  const f3 = [...f2];
  f3[44] = "m_45 = rocm_private()";
  b.commit({ branch: "fork", message: "rocm: private", author: vendor("2024-02-03T00:00:00Z"), files: { "m.py": text(f3) } });
  // Upstream cherry-picks commit 1 exactly, and commit 2 with an edit.
  const u1 = lines("m", 60);
  u1[4] = f1[4]!;
  const pick = b.commit({ branch: "main", message: "rocm: path (cherry picked)", author: up("2024-03-01T00:00:00Z"), files: { "m.py": text(u1) } });
  const u2 = [...u1];
  u2[24] = "m_25 = rocm_kernel(block=128)";
  b.commit({ branch: "main", message: "rocm: kernel, tuned", author: up("2024-03-02T00:00:00Z"), files: { "m.py": text(u2) } });
  // The same work rebased onto upstream's tip (the exact pick drops out, as in git rebase).
  const tip = b.tip("main")!;
  b.branch("fork-rebased", tip);
  const r2 = [...u2];
  r2[24] = f2[24]!;
  b.commit({ branch: "fork-rebased", message: "rocm: kernel", author: vendor("2024-02-02T00:00:00Z"), committer: vendor("2024-03-05T00:00:00Z"), files: { "m.py": text(r2) } });
  const r3 = [...r2];
  r3[44] = f3[44]!;
  b.commit({ branch: "fork-rebased", message: "rocm: private", author: vendor("2024-02-03T00:00:00Z"), committer: vendor("2024-03-05T00:00:00Z"), files: { "m.py": text(r3) } });
  void c1;
  void pick;
  const dir = join(root, "picks");
  const written = b.write(dir);

  it("matches the exact cherry-pick by patch-id, not the edited one", async () => {
    await written;
    const r = (await drift({ repo: dir, upstream: "main", forks: ["fork"] })) as DriftPair;
    const pickId = git(dir, "rev-parse", "main~1").trim();
    expect(r.commits.map((c) => [c.subject, c.upstreamMatch])).toEqual([
      ["rocm: private", null],
      ["rocm: kernel", null],
      ["rocm: path", pickId],
    ]);
    expect(r.cherry).toEqual({ commits: 3, matched: 1, unmatched: 2 });
    // Content view: the exact pick is upstreamed, the edited one diverged, the third private.
    expect(statuses(r)).toEqual({ "m.py": ["upstreamed", "diverged", "private"] });
    const priv = r.files[0]!.hunks[2]!;
    expect(priv.introducedBy?.subject).toBe("rocm: private");
    expect(priv.introducedBy?.ageDays).toBe(0);
    const n = numstat(dir, r.mergeBase, "fork");
    expect([r.netPatch.files, r.netPatch.added, r.netPatch.deleted]).toEqual([n.files, n.added, n.deleted]);
  });

  it("gives a rebased fork the same private debt, with a fresh base", async () => {
    await written;
    const before = (await drift({ repo: dir, upstream: "main", forks: ["fork"] })) as DriftPair;
    const after = (await drift({ repo: dir, upstream: "main", forks: ["fork-rebased"] })) as DriftPair;
    expect(after.behind).toBe(0);
    expect(after.baseAgeDays).toBe(3);
    // What was not upstream before (private + diverged) is exactly the private debt after:
    // the rebase resolved the diverged hunk onto upstream's version.
    const lines = (t: { added: number; deleted: number }) => t.added + t.deleted;
    expect(lines(after.netPatch.private)).toBe(lines(before.netPatch.private) + lines(before.netPatch.diverged));
    expect(after.netPatch.diverged).toEqual({ hunks: 0, added: 0, deleted: 0 });
    expect(statuses(after)).toEqual({ "m.py": ["private", "private"] });
  });
});

describe("several forks and history", () => {
  const b = new HistoryBuilder();
  const base = b.commit({ branch: "main", message: "base", author: up("2024-01-01T00:00:00Z"), files: { "core.py": text(lines("core", 100)) } });
  const grow = (n: number, date: string) => {
    const c = lines("core", 100);
    c.splice(0, 0, ...lines("header", n));
    return b.commit({ branch: "main", message: `upstream ${n}`, author: up(date), files: { "core.py": text(c) } });
  };
  const u1 = grow(5, "2024-02-01T00:00:00Z");
  grow(10, "2024-05-01T00:00:00Z");
  // Fork A patches core lines 50-51 on the old base; fork B patches line 52 on a newer base (shifted by 5 header lines).
  b.branch("vendor-a/1.0", base);
  const a = lines("core", 100);
  a[49] = "core_50 = vendor_a()";
  a[50] = "core_51 = vendor_a()";
  b.commit({ branch: "vendor-a/1.0", message: "A drop 1.0", author: vendor("2024-03-01T00:00:00Z"), files: { "core.py": text(a) } });
  b.branch("vendor-a/1.1", u1);
  const a11 = [...lines("header", 5), ...a, "core_tail = vendor_a()"];
  b.commit({ branch: "vendor-a/1.1", message: "A drop 1.1", author: vendor("2024-06-01T00:00:00Z"), files: { "core.py": text(a11) } });
  b.branch("vendor-b", u1);
  const bb = [...lines("header", 5), ...lines("core", 100)];
  bb[5 + 51] = "core_52 = vendor_b()";
  b.commit({ branch: "vendor-b", message: "B drop", author: sigB("2024-06-15T00:00:00Z"), files: { "core.py": text(bb) } });
  const dir = join(root, "multi");
  const written = b.write(dir);

  it("reports upstream regions patched by several forks, on upstream's lines", async () => {
    await written;
    const r = (await drift({ repo: dir, upstream: "main", forks: ["vendor-a/1.0", "vendor-b"] })) as DriftMulti;
    expect(r.forks.map((p) => p.fork.ref)).toEqual(["vendor-a/1.0", "vendor-b"]);
    // Upstream main has 10 header lines: core lines 50-52 sit at 60-62 in the upstream tip.
    expect(r.overlap).toEqual([
      {
        path: "core.py",
        startLine: 60,
        endLine: 62,
        forks: [
          { ref: "vendor-a/1.0", hunks: [{ newStart: 50, newLines: 2, status: "private" }] },
          { ref: "vendor-b", hunks: [{ newStart: 57, newLines: 1, status: "private" }] },
        ],
      },
    ]);
  });

  it("builds a time series over refs matching a pattern, ordered by date", async () => {
    await written;
    const h = await driftHistory({ repo: dir, upstream: "main", patterns: ["refs/heads/vendor-a/*"] });
    expect(h.history.map((p) => [p.fork.ref, p.date, p.baseAgeDays, p.behind, p.netPatch.debt])).toEqual([
      ["refs/heads/vendor-a/1.0", "2024-03-01T00:00:00+00:00", 60, 2, 4],
      ["refs/heads/vendor-a/1.1", "2024-06-01T00:00:00+00:00", 121, 1, 5],
    ]);
    // 1.1 re-ships 1.0's private lines (carried 92 days) and adds one new line.
    const carried = h.history[1]!.files[0]!.hunks.map((x) => [x.newStart, x.carriedSince?.ref, x.carriedSince?.days]);
    expect(carried).toEqual([
      [55, "refs/heads/vendor-a/1.0", 92],
      [106, "refs/heads/vendor-a/1.1", 0],
    ]);
    expect(h.history.map((p) => p.carried)).toEqual([
      { medianDays: 0, over180Days: 0 },
      { medianDays: 92, over180Days: 0 },
    ]);
  });
});

function sigB(date: string) {
  return { name: "Bea Builder", email: "bea@other-vendor.example", date };
}

describe("unrelated histories: a vendored copy", () => {
  it("uses the upstream commit whose tree is closest, and says so", async () => {
    const b = new HistoryBuilder();
    b.commit({ branch: "main", message: "v1", author: up("2024-01-01T00:00:00Z"), files: { "x.py": text(lines("x", 20)), "y.py": text(lines("y", 20)) } });
    const v2 = b.commit({ branch: "main", message: "v2", author: up("2024-02-01T00:00:00Z"), files: { "x.py": text(lines("x", 25)) } });
    b.commit({ branch: "main", message: "v3", author: up("2024-03-01T00:00:00Z"), files: { "y.py": text(lines("y", 30)), "z.py": text(lines("z", 5)) } });
    const copy = b.treeOf(v2);
    const y = lines("y", 20);
    y[3] = "y_4 = vendored_patch()";
    b.commit({ branch: "vendored", parents: [], message: "import tensorforge 2.0", author: vendor("2024-04-01T00:00:00Z"), files: { ...Object.fromEntries(copy), "y.py": text(y) } });
    const dir = join(root, "vendored");
    await b.write(dir);
    const r = (await drift({ repo: dir, upstream: "main", forks: ["vendored"] })) as DriftPair;
    expect(r.base).toMatchObject({ method: "closest-tree", treeDistance: 1, commit: git(dir, "rev-parse", "main~1").trim() });
    expect(r.warnings[0]).toMatch(/unrelated histories; used the upstream commit [0-9a-f]{40} whose tree is closest/);
    // Upstream grew y.py later but kept line 4: the vendored patch is private.
    expect(statuses(r)).toEqual({ "y.py": ["private"] });
  });
});

describe("binary files, deletions and odd paths", () => {
  it("classifies binaries by blob identity and keeps unicode and spaced paths exact", async () => {
    const b = new HistoryBuilder();
    const base = b.commit({
      branch: "main",
      message: "base",
      author: up("2024-01-01T00:00:00Z"),
      files: { "img/a.bin": Buffer.from([0, 1, 2]), "img/b.bin": Buffer.from([0, 1, 3]), "dir with space/ünï cödé.py": text(lines("u", 5)), "tab\there.py": text(lines("t", 3)) },
    });
    b.branch("fork", base);
    b.commit({
      branch: "fork",
      message: "drop",
      author: vendor("2024-02-01T00:00:00Z"),
      files: { "img/a.bin": Buffer.from([0, 9, 9]), "img/b.bin": Buffer.from([0, 7, 7]), "dir with space/ünï cödé.py": null, "tab\there.py": text([...lines("t", 3), "t_new = 1"]) },
    });
    b.commit({ branch: "main", message: "adopt a.bin, delete file", author: up("2024-03-01T00:00:00Z"), files: { "img/a.bin": Buffer.from([0, 9, 9]), "dir with space/ünï cödé.py": null } });
    const dir = join(root, "odd");
    await b.write(dir);
    const r = (await drift({ repo: dir, upstream: "main", forks: ["fork"] })) as DriftPair;
    expect(r.files.map((f) => [f.path, f.binary ? f.binaryStatus : f.hunks.map((h) => h.status).join(",")])).toEqual([
      ["dir with space/ünï cödé.py", "upstreamed"],
      ["img/a.bin", "upstreamed"],
      ["img/b.bin", "private"],
      ["tab\there.py", "private"],
    ]);
    const n = numstat(dir, r.mergeBase, "fork");
    expect([r.netPatch.files, r.netPatch.added, r.netPatch.deleted]).toEqual([n.files, n.added, n.deleted]);
  });
});

describe("deletions at file edges", () => {
  it("a file the fork deleted but upstream only edited is diverged; edge deletions upstream closed are upstreamed", async () => {
    const b = new HistoryBuilder();
    const base = b.commit({ branch: "main", message: "base", author: up("2024-01-01T00:00:00Z"), files: { "gone.py": text(lines("g", 10)), "head.py": text(lines("h", 10)), "tail.py": text(lines("t", 10)) } });
    b.branch("fork", base);
    b.commit({ branch: "fork", message: "trim", author: vendor("2024-02-01T00:00:00Z"), files: { "gone.py": null, "head.py": text(lines("h", 8, 3)), "tail.py": text(lines("t", 7)) } });
    const g = lines("g", 10);
    g.splice(4, 1);
    b.commit({
      branch: "main",
      message: "edit gone.py, trim head and tail the same way",
      author: up("2024-03-01T00:00:00Z"),
      files: { "gone.py": text(g), "head.py": text([...lines("h", 8, 3), "h_new = 1"]), "tail.py": text(["t_new = 0", ...lines("t", 7)]) },
    });
    const dir = join(root, "edges");
    await b.write(dir);
    const r = (await drift({ repo: dir, upstream: "main", forks: ["fork"] })) as DriftPair;
    expect(Object.fromEntries(r.files.map((f) => [f.path, f.hunks.map((h) => `${h.status}/${h.evidence.reason}`)]))).toEqual({
      "gone.py": ["diverged/region-rewritten"],
      "head.py": ["upstreamed/deletion-upstream"],
      "tail.py": ["upstreamed/deletion-upstream"],
    });
  });
});

describe("renames and mode changes", () => {
  it("a rename the fork made and upstream made too reads as upstreamed; a private rename as private", async () => {
    const b = new HistoryBuilder();
    const base = b.commit({ branch: "main", message: "base", author: up("2024-01-01T00:00:00Z"), files: { "pkg/a.py": text(lines("a", 12)), "pkg/c.py": text(lines("c", 12)), "run.sh": "echo hi\n" } });
    b.branch("fork", base);
    b.commit({
      branch: "fork",
      message: "rename a and c, make run.sh executable",
      author: vendor("2024-02-01T00:00:00Z"),
      files: { "pkg/a.py": null, "pkg/b.py": text(lines("a", 12)), "pkg/c.py": null, "pkg/vendor_c.py": text(lines("c", 12)), "run.sh": "echo hi\n" },
      executable: ["run.sh"],
    });
    b.commit({ branch: "main", message: "rename a", author: up("2024-03-01T00:00:00Z"), files: { "pkg/a.py": null, "pkg/b.py": text(lines("a", 12)) } });
    const dir = join(root, "renames");
    await b.write(dir);
    const r = (await drift({ repo: dir, upstream: "main", forks: ["fork"] })) as DriftPair;
    expect(r.files.map((f) => [f.path, f.change, f.hunks.map((h) => `${h.status}/${h.evidence.reason}`).join(","), f.mode ?? null])).toEqual([
      ["pkg/a.py", "deleted", "upstreamed/file-deleted-upstream", null],
      ["pkg/b.py", "added", "upstreamed/file-identical-upstream", null],
      ["pkg/c.py", "deleted", "private/upstream-unchanged", null],
      ["pkg/vendor_c.py", "added", "private/file-absent-upstream", null],
      ["run.sh", "modified", "", { old: "100644", new: "100755" }],
    ]);
    const n = numstat(dir, r.mergeBase, "fork");
    expect([r.netPatch.files, r.netPatch.added, r.netPatch.deleted]).toEqual([n.files, n.added, n.deleted]);
  });
});
