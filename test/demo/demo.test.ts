import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { drift, driftHistory, type DriftMulti, type DriftPair } from "../../src/analyzers/drift/index.js";
import { DEMO_FACTS, generateDemo } from "../../src/demo/index.js";
import { git, tempDir } from "../helpers/git.js";

const root = tempDir();
const demo = join(root, "demo");
const cache = join(root, "cache");
const repo = (p: string) => join(demo, p);

beforeAll(async () => {
  await generateDemo(demo);
});

describe("steward demo", () => {
  it("is deterministic: a second generation has the same refs and commit ids", async () => {
    const again = join(root, "again");
    await generateDemo(again);
    for (const r of [DEMO_FACTS.upstream.path, DEMO_FACTS.gaudi.path, DEMO_FACTS.rocm.path, DEMO_FACTS.plugin.path]) {
      expect(git(join(again, r), "for-each-ref")).toBe(git(repo(r), "for-each-ref"));
    }
  });

  it("refuses a non-empty directory unless forced", async () => {
    const busy = join(root, "busy");
    mkdirSync(busy);
    writeFileSync(join(busy, "notes.txt"), "mine");
    await expect(generateDemo(busy)).rejects.toThrow(/demo directory is not empty: .*busy/);
    await generateDemo(busy, { force: true });
    expect(git(join(busy, "tensorforge"), "rev-parse", "main")).toBe(git(repo("tensorforge"), "rev-parse", "main"));
  });

  it("tells the Gaudi story: squashed drops on stale bases, partly upstreamed, partly rewritten", async () => {
    const gaudi = repo(DEMO_FACTS.gaudi.path);
    const h = await driftHistory({ upstreamRepo: repo("tensorforge"), forkRepo: gaudi, cacheDir: cache, upstream: "main", patterns: ["1.*"] });
    expect(h.history.map((p) => p.fork.ref)).toEqual(["refs/heads/1.0.0", "refs/heads/1.1.0", "refs/heads/1.2.0"]);
    for (const p of h.history) {
      expect(p.ahead).toBe(1);
      expect(p.cherry.matched).toBe(0);
    }
    // The demo's dates are fixed: each drop sits on a base about five months old, and the patch grows.
    expect(h.history.map((p) => [p.baseAgeDays, p.netPatch.files])).toEqual([
      [151, 8],
      [143, 10],
      [157, 11],
    ]);
    const last = h.history[2]!;
    const byFile = Object.fromEntries(last.files.map((f) => [f.path, f.hunks.map((x) => x.status).join(",")]));
    expect(byFile["tensorforge/runtime/engine.py"]).toBe("upstreamed");
    expect(byFile["tensorforge/runtime/zero/stage3.py"]).toBe("diverged");
    expect(byFile["tensorforge/accelerator/hpu_accelerator.py"]).toBe("diverged");
    expect(byFile["tests/unit/xfail_marker.py"]).toBe("private");
    // 1.2.0 re-ships the xfail list first shipped in 1.1.0.
    const xfail = last.files.find((f) => f.path === "tests/unit/xfail_marker.py")!.hunks[0]!;
    expect(xfail.carriedSince?.ref).toBe("refs/heads/1.1.0");
    expect(h.history[0]!.files.find((f) => f.path === "tensorforge/accelerator/hpu_accelerator.py")!.hunks[0]!.status).toBe("upstreamed");
  });

  it("tells the ROCm story: exact cherry-picks match by patch-id, the edited one diverges", async () => {
    const r = (await drift({ upstreamRepo: repo("tensorforge"), forkRepo: repo(DEMO_FACTS.rocm.path), cacheDir: cache, upstream: "main", forks: ["rocm-main", "rocm-main-old"] })) as DriftMulti;
    const [rebased, old] = r.forks as [DriftPair, DriftPair];
    expect(rebased.cherry).toEqual({ commits: 6, matched: 2, unmatched: 4 });
    expect(old.cherry).toEqual({ commits: 6, matched: 2, unmatched: 4 });
    expect(rebased.netPatch.diverged.hunks).toBe(1);
    expect([rebased.baseAgeDays, old.baseAgeDays]).toEqual([9, 34]);
    expect(rebased.netPatch.debt).toBe(old.netPatch.debt);
    expect(r.overlap.length).toBe(6);
  });

  it("tells the hardware story: CUDA-biased generic code, tests and docs; Gaudi's CI allowed to fail; the fork's xfail list", async () => {
    const { neutrality, neutralityLint } = await import("../../src/analyzers/neutrality/index.js");
    const up = await neutrality({ repo: repo("tensorforge"), ref: "main" });
    expect([up.concentration.tests.top, up.concentration.docs.top, up.vendors["intel-gaudi"]?.ci?.softFail]).toEqual(["cuda-api", "cuda-api", 1]);
    // The CUDA family lacks no CI: NVIDIA, a member, has the a100 runner.
    expect(up.gaps.map((g) => [g.vendor, g.lacks])).toEqual([
      ["amd", ["tests", "ci", "docs"]],
      ["intel-gaudi", ["tests", "docs"]],
    ]);
    const lint = await neutralityLint({ repo: repo("tensorforge"), ref: "main" });
    expect(lint.pack.id).toBe("deepspeed");
    expect(lint.findings.filter((f) => f.file === "tensorforge/runtime/comm.py").map((f) => [f.line, f.rule, f.vendor, f.waived])).toEqual([
      [10, "nccl-backend", "cuda-api", false],
      [11, "torch-cuda-api", "cuda-api", false],
      [15, "vendor-branch", "cuda-api", false],
      [16, "torch-cuda-api", "cuda-api", true],
    ]);
    const gaudi = await neutrality({ repo: repo(DEMO_FACTS.gaudi.path), ref: "1.2.0" });
    expect(gaudi.vendors["intel-gaudi"]?.tests?.sites).toBe(95);
  });

  it("tells the community story: several organisations, an employer change, co-authors, a bot, CODEOWNERS", async () => {
    const { community } = await import("../../src/analyzers/community/index.js");
    const { loadConfig } = await import("../../src/portfolio/config.js");
    const identities = loadConfig(join(demo, "steward.yaml")).identities;
    const r = await community({ repo: repo("tensorforge"), period: "year", identities });
    expect(r.organizations.map((o) => o.name)).toEqual(["AMD", "Microsoft", "NVIDIA", "Intel"]);
    expect(r.bots.identities).toEqual(["pre-commit-ci[bot]"]);
    // Dan: Intel by config until 2024, then AMD from his new address; one person, merged by his full name.
    expect(r.merges.map((m) => [m.name, m.reasons.map((x) => x.reason)])).toEqual([["Dan Kowalski", ["same full name 'Dan Kowalski'"]]]);
    const dan = r.periods.map((p) => [p.period, p.organizations.filter((o) => o.name === "AMD" || o.name === "Intel").map((o) => o.name).sort()]);
    expect(dan).toEqual([
      ["2024", ["AMD", "Intel"]],
      ["2025", ["AMD"]],
    ]);
    // Frank's gmail commits are unknown: the intervals say how much that matters.
    expect([r.unknown.bySource, r.elephantFactor.best >= r.elephantFactor.worst]).toEqual([{ webmail: 4 }, true]);
    const full = await community({ repo: repo("tensorforge"), period: "year", identities, coauthors: "full" });
    expect(full.organizations.reduce((n, o) => n + o.commits, 0)).toBeGreaterThan(r.organizations.reduce((n, o) => n + o.commits, 0));
    expect(r.ownership?.byOrganization.map((b) => b.organization)).toEqual(["Microsoft", "NVIDIA"]);
    expect(r.ownership?.owners.find((o) => o.owner === "@tensorforge/docs")?.organization).toBeNull();
  });

  it("tells the API story: deprecated then removed, broken without warning, and the plugin hit", async () => {
    const { apiHistory, apiImpact } = await import("../../src/analyzers/api/index.js");
    const h = await apiHistory({ repo: repo("tensorforge"), patterns: ["refs/tags/v*"] });
    expect(h.releases.map((r) => [r.ref, r.breaking, r.announced, r.deprecations])).toEqual([
      ["refs/tags/v0.1.0", 0, 0, 0],
      ["refs/tags/v0.2.0", 0, 0, 0],
      ["refs/tags/v0.3.0", 0, 0, 1],
      ["refs/tags/v0.4.0", 1, 1, 0],
      ["refs/tags/v0.5.0", 1, 0, 0],
    ]);
    expect(h.releases[3]!.breaks).toEqual([{ object: "tensorforge.runtime.comm.all_reduce_legacy", kind: "object-removed", verdict: "announced", graceReleases: 1, graceDays: 105 }]);
    const impact = await apiImpact({ repo: repo("tensorforge"), from: "v0.4.0", to: "v0.5.0", downstreams: [repo(DEMO_FACTS.plugin.path)] });
    expect(impact.breaking.map((b) => [b.object, b.parts, b.deprecation.verdict])).toEqual([["tensorforge.runtime.comm.init_distributed", [{ kind: "parameter-renamed", name: "world_size", to: "size" }], "unannounced"]]);
    const d = impact.downstreams[0]!;
    expect(d.hits.map((x) => [x.file, x.line, x.breaks, x.why])).toEqual([["tensorforge_npu/launch.py", 5, true, "keyword 'world_size' is no longer accepted"]]);
    expect(d.privateCoupling.map((p) => p.path)).toEqual(["tensorforge._C", "tensorforge.runtime.zero.stage3._partition_param"]);
  });

  it("keeps the squash-merged PR branch for the replay case", async () => {
    const up = repo("tensorforge");
    const r = (await drift({ repo: up, upstream: "main", forks: [DEMO_FACTS.upstream.pullBranch] })) as DriftPair;
    expect(r.ahead).toBe(3);
    expect(r.cherry.matched).toBe(0);
    expect(r.netPatch.reconnection).toBe(1);
    // Not an ancestor of main: upstream squashed it.
    expect(() => git(up, "merge-base", "--is-ancestor", DEMO_FACTS.upstream.pullBranch, "main")).toThrow();
  });

  it("describes itself in DIR/steward.yaml, every repository of which exists", async () => {
    const { loadConfig, repositoriesOf } = await import("../../src/portfolio/config.js");
    const repos = repositoriesOf(loadConfig(demo));
    expect(repos.map((r) => [r.name, r.kind])).toEqual([
      ["tensorforge", "project"],
      ["tensorforge-gaudi", "fork"],
      ["tensorforge-rocm", "fork"],
      ["tensorforge-npu", "plugin"],
    ]);
    for (const r of repos) expect(git(r.location, "rev-parse", "--is-inside-work-tree").trim()).toBe("true");
  });

  it("has a plugin that imports upstream internals", () => {
    const plugin = repo(DEMO_FACTS.plugin.path);
    expect(git(plugin, "show", "v0.2.0:tensorforge_npu/zero.py")).toContain("from tensorforge.runtime.zero.stage3 import _partition_param");
    expect(git(plugin, "tag").trim().split("\n")).toEqual(["v0.1.0", "v0.2.0"]);
  });
});
