import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { drift, type DriftPair } from "../../src/analyzers/drift/index.js";
import { git, numstat, tempDir } from "../helpers/git.js";
import { buildFamily } from "./fixture.js";

describe("drift: net patch classification on a squashed content drop", () => {
  const dir = join(tempDir(), "family");
  let r: DriftPair;

  beforeAll(async () => {
    await buildFamily().write(dir);
    r = (await drift({ repo: dir, upstream: "main", forks: ["fork"] })) as DriftPair;
  });

  it("counts commits and base staleness like git does", () => {
    const mb = git(dir, "merge-base", "main", "fork").trim();
    expect({ mergeBase: r.mergeBase, behind: r.behind, ahead: r.ahead, baseAgeDays: r.baseAgeDays, upstreamSinceBase: r.upstreamSinceBase }).toEqual({
      mergeBase: mb,
      behind: 3,
      ahead: 1,
      baseAgeDays: 60,
      upstreamSinceBase: 3,
    });
    expect(r.base).toEqual({ commit: mb, date: "2024-01-01T00:00:00+00:00", method: "merge-base" });
  });

  it("totals equal git diff --numstat of merge-base..fork", () => {
    const n = numstat(dir, r.mergeBase, "fork");
    expect({ files: r.netPatch.files, added: r.netPatch.added, deleted: r.netPatch.deleted }).toEqual(n);
    const byStatus = r.netPatch.upstreamed.added + r.netPatch.private.added + r.netPatch.diverged.added;
    expect(byStatus).toBe(r.netPatch.added);
  });

  it("classifies every hunk with the rule that decided it", () => {
    const summary = Object.fromEntries(
      r.files.map((f) => [f.path, f.binary ? `binary:${f.binaryStatus}` : f.hunks.map((h) => `${h.newStart}+${h.added}-${h.deleted} ${h.status}/${h.evidence.reason}`)]),
    );
    expect(summary).toEqual({
      "assets/logo.bin": "binary:private",
      "docs/a b ü.md": ["2+1-1 private/upstream-unchanged"],
      "pkg/engine.py": [
        "5+1-1 upstreamed/added-run-upstream",
        "21+2-0 private/preimage-upstream",
        "32+1-1 diverged/region-rewritten",
        "38+1-0 private/preimage-upstream",
      ],
      "pkg/hpu.py": ["1+12-0 upstreamed/file-identical-upstream"],
      "pkg/latin.py": ["2+1-1 private/upstream-unchanged"],
      "pkg/moved.py": ["3+1-1 private/preimage-upstream"],
      "pkg/old.py": ["0+0-20 upstreamed/file-deleted-upstream"],
      "pkg/private_new.py": ["1+8-0 private/file-absent-upstream"],
      "pkg/util.py": ["31+1-0 private/upstream-unchanged"],
    });
  });

  it("gives evidence a reviewer can check: upstream path and line", () => {
    const engine = r.files.find((f) => f.path === "pkg/engine.py")!;
    expect(engine.hunks[0]!.evidence).toEqual({
      reason: "added-run-upstream",
      upstreamPath: "pkg/engine.py",
      upstreamLine: 5,
      snippet: "engine_5 = accelerator().compute('engine', 5)",
    });
    const upstreamLine5 = git(dir, "show", "main:pkg/engine.py").split("\n")[4];
    expect(upstreamLine5).toBe("engine_5 = accelerator().compute('engine', 5)");
    expect(engine.hunks[2]!.evidence.similarity).toBe(0);
  });

  it("follows a file upstream moved", () => {
    const moved = r.files.find((f) => f.path === "pkg/moved.py")!;
    expect(moved.upstreamPath).toBe("pkg/core/moved.py");
    expect(moved.hunks[0]!.evidence.upstreamPath).toBe("pkg/core/moved.py");
    expect(moved.hunks[0]!.evidence.upstreamLine).toBe(3);
  });

  it("keeps non-UTF-8 content exact and shows it readably", () => {
    const latin = r.files.find((f) => f.path === "pkg/latin.py")!;
    expect(latin.hunks[0]!.evidence.snippet).toBe("café = 'vendor'");
  });

  it("attributes private hunks to the fork commit that brought them", () => {
    const forkCommit = git(dir, "rev-parse", "fork").trim();
    const privates = r.files.flatMap((f) => f.hunks.filter((h) => h.status === "private"));
    expect(privates.length).toBe(7);
    for (const h of privates) {
      expect(h.introducedBy).toEqual({
        commit: forkCommit,
        author: "Vic Vendor",
        email: "vic@vendor.example",
        date: "2024-03-01T00:00:00+00:00",
        ageDays: 0,
        subject: "Vendor content for 1.0",
      });
    }
  });

  it("rolls up debt and reconnection per file and directory", () => {
    expect(r.netPatch.debt).toBe(r.netPatch.private.added + r.netPatch.private.deleted);
    const root = r.directories.find((d) => d.path === ".")!;
    expect(root.debt).toBe(r.netPatch.debt);
    const pkg = r.directories.find((d) => d.path === "pkg")!;
    const pkgDebt = r.files.filter((f) => f.path.startsWith("pkg/")).reduce((s, f) => s + f.debt, 0);
    expect(pkg.debt).toBe(pkgDebt);
    const lines = (t: { added: number; deleted: number }) => t.added + t.deleted;
    const up = lines(r.netPatch.upstreamed);
    expect(r.netPatch.reconnection).toBeCloseTo(up / (up + lines(r.netPatch.private) + lines(r.netPatch.diverged)), 4);
  });

  it("keeps the git cherry view as evidence: one squash commit, nothing matched", () => {
    expect(r.cherry).toEqual({ commits: 1, matched: 0, unmatched: 1 });
    expect(git(dir, "cherry", "main", "fork").trim().startsWith("+ ")).toBe(true);
    expect(r.warnings).toEqual([]);
  });

  it("writes nothing into the analysed repository", async () => {
    const before = git(dir, "for-each-ref") + git(dir, "status", "--porcelain") + git(dir, "count-objects", "-v");
    await drift({ repo: dir, upstream: "main", forks: ["fork"] });
    expect(git(dir, "for-each-ref") + git(dir, "status", "--porcelain") + git(dir, "count-objects", "-v")).toBe(before);
  });
});
