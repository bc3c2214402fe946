import { describe, expect, it } from "vitest";
import { badgeFile, badgeOf, prove, proveClaim } from "../../src/gate/claims.js";
import { bumpOf, globToRegExp, judge, versionOf, waiverMatches, type RepositoryEvidence, type Stored } from "../../src/gate/judge.js";
import { policiesSchema, ruleFor } from "../../src/gate/schema.js";
import type { GateFinding } from "../../src/gate/types.js";

/*
 * The gate's rules as pure functions: each threshold on both sides, and harmless
 * input that must yield nothing. Results are shaped like the stored analyzer results.
 */

const ok = (result: unknown, computedAt = "2026-01-02T00:00:00.000Z"): Stored => ({ ok: true, result, error: null, computedAt });

function driftOf(points: { ref: string; debt: number; baseAgeDays?: number }[]) {
  return {
    history: points.map((p, i) => ({
      fork: { ref: p.ref, commit: String(i).repeat(40) },
      date: `2025-0${i + 1}-01T00:00:00Z`,
      mergeBase: "b".repeat(40),
      base: { commit: "b".repeat(40), date: "2024-01-01T00:00:00Z", method: "merge-base" },
      behind: 3,
      baseAgeDays: p.baseAgeDays ?? 10,
      netPatch: { debt: p.debt },
    })),
  };
}

function apiOf(releases: { ref: string; previous: string | null; suggestedBump?: string | null; breaks?: { object: string; verdict: string; graceReleases?: number; graceDays?: number }[] }[]) {
  return {
    releases: releases.map((r) => ({
      ref: r.ref,
      commit: "c".repeat(40),
      date: "2025-01-01T00:00:00Z",
      previous: r.previous,
      breaking: r.breaks?.length ?? 0,
      announced: r.breaks?.filter((b) => b.verdict === "announced").length ?? 0,
      additions: 0,
      medianGraceReleases: null,
      medianGraceDays: null,
      suggestedBump: r.suggestedBump ?? null,
      breaks: (r.breaks ?? []).map((b) => ({ kind: "object-removed", ...b })),
    })),
  };
}

function communityOf(o: { efWorst: number; topWorst: number; single?: number }) {
  return {
    ref: "main",
    commit: "d".repeat(40),
    period: "quarter",
    coverage: 0.9,
    organizations: [{ name: "Org" }],
    periods: [{ period: "2025-Q2", rolling: { periods: 4, elephantFactor: { best: 3, worst: o.efWorst }, top1Share: { best: 0.3, worst: o.topWorst } } }],
    ownership:
      o.single === undefined
        ? null
        : {
            file: ".github/CODEOWNERS",
            singleOrganizationShare: { files: o.single, lines: o.single },
            rules: [
              { line: 2, pattern: "/core/", owners: ["a@x.com"], organizations: ["X"], verdict: "single-organization", files: 1, lines: 10 },
              { line: 3, pattern: "/accel/", owners: ["a@x.com", "b@y.com"], organizations: ["X", "Y"], verdict: "multi-organization", files: 1, lines: 10 },
            ],
          },
  };
}

function footprintOf(vendors: Record<string, Record<string, { lines: number; softFail?: number }>>, codeTop = 0.5) {
  const layer = (topShare: number, lines: number) => ({ hhi: topShare * topShare, top: lines ? "nvidia" : null, topShare, lines });
  return {
    footprint: {
      ref: "main",
      commit: "e".repeat(40),
      vendors,
      concentration: { code: layer(codeTop, 100), kernels: layer(0, 0), tests: layer(0, 0), ci: layer(0, 0), docs: layer(0, 0), build: layer(0, 0) },
    },
    lint: {
      ref: "main",
      commit: "e".repeat(40),
      pack: { id: "deepspeed", abstraction: "get_accelerator()" },
      findings: [
        { rule: "torch-cuda-call", file: "pkg/a.py", line: 3, vendor: "cuda-api", snippet: "torch.cuda.synchronize()", suggestion: "get_accelerator().synchronize()", waived: false },
        { rule: "torch-cuda-call", file: "pkg/b.py", line: 7, vendor: "cuda-api", snippet: "torch.cuda.empty_cache()", suggestion: "get_accelerator().empty_cache()", waived: true, waiver: "inline" },
      ],
      failing: 1,
      warnings: [],
    },
  };
}

function run(policies: unknown, repositories: RepositoryEvidence[], portfolio: Record<string, Stored> = {}, today = "2026-01-01") {
  return judge({ policies: policiesSchema.parse(policies), repositories, portfolio, today });
}

const fork = (result: unknown): RepositoryEvidence => ({ name: "vf", kind: "fork", analyzers: { drift: ok(result) } });
const project = (analyzers: Record<string, unknown>): RepositoryEvidence => ({ name: "core", kind: "project", analyzers: Object.fromEntries(Object.entries(analyzers).map(([k, v]) => [k, ok(v)])) });
const statusOf = (r: ReturnType<typeof run>, policy: string) => r.results.filter((x) => x.policy === policy).map((x) => x.status);
const R = "why";

describe("gate rules on both sides of each threshold", () => {
  it("drift.debtGrowth: growth of the newest fork release against the one before", () => {
    const at = (maxPercent: number, debts: number[]) => statusOf(run({ drift: { debtGrowth: { reason: R, maxPercent } } }, [fork(driftOf(debts.map((debt, i) => ({ ref: `refs/heads/1.${i}`, debt }))))]), "drift.debtGrowth");
    expect(at(50, [100, 150])).toEqual(["pass"]); // exactly 50%
    expect(at(50, [100, 151])).toEqual(["fail"]);
    expect(at(0, [100, 90])).toEqual(["pass"]); // shrinking
    expect(at(1000, [0, 1])).toEqual(["fail"]); // from nothing: infinite growth
    expect(at(0, [0, 0])).toEqual(["pass"]);
    expect(at(0, [5])).toEqual(["pass"]); // one release: nothing to compare
    expect(at(50, [1000, 100, 151])).toEqual(["fail"]); // only the newest step counts
    expect(at(50, [100, 1000, 1001])).toEqual(["pass"]);
  });

  it("drift.baseAge: the newest ref's base", () => {
    const at = (maxDays: number, ages: number[]) => run({ drift: { baseAge: { reason: R, maxDays } } }, [fork(driftOf(ages.map((baseAgeDays, i) => ({ ref: `r${i}`, debt: 1, baseAgeDays }))))]);
    expect(statusOf(at(180, [180]), "drift.baseAge")).toEqual(["pass"]);
    expect(statusOf(at(180, [181]), "drift.baseAge")).toEqual(["fail"]);
    expect(statusOf(at(180, [400, 20]), "drift.baseAge")).toEqual(["pass"]);
    const f = at(180, [181]).results[0]!;
    expect(f.findings[0]).toMatchObject({ fingerprint: "r0", ref: "r0", evidence: { baseAgeDays: 181 } });
    expect(f.evidence).toMatchObject({ analyzer: "drift", baseAgeDays: 181, behind: 3 });
  });

  it("api.unannounced: unannounced breaks in the newest releases only", () => {
    const h = apiOf([
      { ref: "refs/tags/v1.0.0", previous: null },
      { ref: "refs/tags/v1.1.0", previous: "refs/tags/v1.0.0", breaks: [{ object: "pkg.old", verdict: "unannounced" }] },
      { ref: "refs/tags/v1.2.0", previous: "refs/tags/v1.1.0", breaks: [{ object: "pkg.gone", verdict: "announced", graceReleases: 1, graceDays: 30 }] },
    ]);
    const at = (releases: number) => run({ api: { unannounced: { reason: R, releases } } }, [project({ api: h })]).results[0]!;
    expect(at(1).status).toBe("pass");
    expect(at(2).status).toBe("fail");
    expect(at(2).findings).toEqual([expect.objectContaining({ fingerprint: "v1.1.0:pkg.old", object: "pkg.old", ref: "refs/tags/v1.1.0" })]);
    expect(at(5).findings).toHaveLength(1);
  });

  it("api.grace: releases and days between the first marker and the removal", () => {
    const h = apiOf([{ ref: "v2", previous: "v1", breaks: [{ object: "pkg.f", verdict: "announced", graceReleases: 2, graceDays: 90 }, { object: "pkg.g", verdict: "unannounced" }] }]);
    const at = (t: Record<string, number>) => run({ api: { grace: { reason: R, ...t } } }, [project({ api: h })]).results[0]!.status;
    expect(at({ minReleases: 2 })).toBe("pass");
    expect(at({ minReleases: 3 })).toBe("fail");
    expect(at({ minDays: 90 })).toBe("pass");
    expect(at({ minDays: 91 })).toBe("fail");
    expect(at({ minReleases: 2, minDays: 91 })).toBe("fail");
    expect(at({})).toBe("pass"); // no minimum: nothing to fail (unannounced breaks are api.unannounced's)
  });

  it("api.bump: the version change must be at least the suggested bump (0.y minor counts as major)", () => {
    expect(versionOf("refs/tags/v1.2.3")).toEqual([1, 2, 3]);
    expect(versionOf("release-0.4")).toEqual([0, 4, 0]);
    expect(versionOf("nightly")).toBeNull();
    expect(bumpOf([1, 2, 3], [2, 0, 0])).toBe("major");
    expect(bumpOf([1, 2, 3], [1, 3, 0])).toBe("minor");
    expect(bumpOf([1, 2, 3], [1, 2, 4])).toBe("patch");
    expect(bumpOf([0, 4, 0], [0, 5, 0])).toBe("major");
    expect(bumpOf([0, 4, 0], [0, 4, 1])).toBe("minor");
    expect(bumpOf([1, 0, 0], [1, 0, 0])).toBe("none");
    const at = (from: string, to: string, suggestedBump: string) => run({ api: { bump: { reason: R } } }, [project({ api: apiOf([{ ref: to, previous: from, suggestedBump }]) })]).results[0]!.status;
    expect(at("v1.2.0", "v2.0.0", "major")).toBe("pass");
    expect(at("v1.2.0", "v1.3.0", "major")).toBe("fail");
    expect(at("v1.2.0", "v1.2.1", "minor")).toBe("fail");
    expect(at("v1.2.0", "v1.3.0", "minor")).toBe("pass");
    expect(at("v0.4.0", "v0.5.0", "major")).toBe("pass");
    expect(at("v1.2.0", "v1.2.1", "patch")).toBe("pass");
  });

  it("community: elephant factor floor and top share ceiling on the worst bound; CODEOWNERS ownership ceiling", () => {
    const ef = (min: number, efWorst: number) => run({ community: { elephantFactor: { reason: R, min } } }, [project({ community: communityOf({ efWorst, topWorst: 0.5 }) })]).results[0]!.status;
    expect(ef(2, 2)).toBe("pass");
    expect(ef(2, 1)).toBe("fail"); // the best bound is 3: the worst decides
    const top = (max: number, topWorst: number) => run({ community: { topShare: { reason: R, max } } }, [project({ community: communityOf({ efWorst: 2, topWorst }) })]).results[0]!.status;
    expect(top(0.5, 0.5)).toBe("pass");
    expect(top(0.5, 0.51)).toBe("fail");
    const own = (max: number, single?: number) => run({ community: { ownership: { reason: R, maxSingleOrganizationShare: max } } }, [project({ community: communityOf({ efWorst: 2, topWorst: 0.5, ...(single === undefined ? {} : { single }) }) })]).results[0]!;
    expect(own(0.5, 0.5).status).toBe("pass");
    expect(own(0.5, 0.6).status).toBe("fail");
    expect(own(0.5, 0.6).findings).toEqual([expect.objectContaining({ fingerprint: "/core/", path: ".github/CODEOWNERS", line: 2 })]);
    expect(own(0, undefined).status).toBe("pass"); // no CODEOWNERS: nothing owned by one organisation
  });

  it("neutrality: lint findings beyond the baseline, and per-layer top-share ceilings", () => {
    const lint = (maxNew: number, baseline?: { rule: string; file: string; snippet: string; count: number }[]) =>
      judge({
        policies: policiesSchema.parse({ neutrality: { lint: { reason: R, maxNew, ...(baseline ? { baseline: "b.json" } : {}) } } }),
        repositories: [project({ neutrality: footprintOf({}) })],
        portfolio: {},
        today: "2026-01-01",
        ...(baseline ? { baselines: { "b.json": { schemaVersion: 1, findings: baseline } } } : {}),
      }).results[0]!;
    expect(lint(0).status).toBe("fail");
    expect(lint(0).findings).toEqual([expect.objectContaining({ fingerprint: "torch-cuda-call:pkg/a.py:torch.cuda.synchronize()", path: "pkg/a.py", line: 3 })]);
    expect(lint(1).status).toBe("pass");
    expect(lint(0, [{ rule: "torch-cuda-call", file: "pkg/a.py", snippet: "torch.cuda.synchronize()", count: 1 }]).status).toBe("pass");
    expect(lint(0, [{ rule: "torch-cuda-call", file: "pkg/other.py", snippet: "torch.cuda.synchronize()", count: 1 }]).status).toBe("fail");
    const conc = (max: number, share: number) => run({ neutrality: { concentration: { reason: R, maxTopShare: { code: max, tests: 0.1 } } } }, [project({ neutrality: footprintOf({}, share) })]).results[0]!.status;
    expect(conc(0.6, 0.6)).toBe("pass");
    expect(conc(0.6, 0.61)).toBe("fail"); // tests has no vendor lines: no share to cap
    // A family on top says which vendors it stands for; a vendor is named as it is.
    const topMessage = (top: string) => {
      const fp = footprintOf({}, 0.7);
      fp.footprint.concentration.code.top = top;
      return run({ neutrality: { concentration: { reason: R, maxTopShare: { code: 0.6 } } } }, [project({ neutrality: fp })]).results[0]!.findings[0]!.message;
    };
    expect(topMessage("cuda-api")).toBe("code: cuda-api (NVIDIA or AMD) holds 70% of vendor lines (max 60%)");
    expect(topMessage("hccl-api")).toBe("code: hccl-api (Intel Gaudi or Huawei Ascend) holds 70% of vendor lines (max 60%)");
    expect(topMessage("nvidia")).toBe("code: nvidia holds 70% of vendor lines (max 60%)");
  });

  it("deps: upgrade lag ceiling (releases older than the dependent do not count) and companion sets", () => {
    const matrix = {
      projects: [{ name: "core", releases: [] }],
      dependents: [{ name: "plug", releases: [{ ref: "refs/tags/v0.1.0", version: "0.1.0", date: "2025-01-01T00:00:00Z" }] }],
      matrix: [{ dependent: "plug", release: "refs/tags/v0.1.0", version: "0.1.0", project: "core", specifiers: [{ specifier: ">=2" }], admits: ["2.0.0"] }],
      lag: [
        { project: "core", version: "1.0.0", date: "2024-01-01T00:00:00Z", dependent: "plug", firstRelease: null, days: null },
        { project: "core", version: "2.0.0", date: "2024-12-01T00:00:00Z", dependent: "plug", firstRelease: "refs/tags/v0.1.0", days: 31 },
        { project: "core", version: "3.0.0", date: "2025-06-01T00:00:00Z", dependent: "plug", firstRelease: null, days: null },
      ],
    };
    const plug: RepositoryEvidence = { name: "plug", kind: "plugin", analyzers: {} };
    const lag = (maxDays: number, today: string) => run({ deps: { lag: { reason: R, maxDays } } }, [plug], { "deps-matrix": ok(matrix) }, today).results[0]!;
    expect(lag(31, "2025-07-01").status).toBe("pass"); // 3.0.0 unsupported for 30 days
    expect(lag(30, "2025-07-01").findings.map((f) => f.fingerprint)).toEqual(["core==2.0.0"]);
    expect(lag(31, "2025-07-03").findings.map((f) => f.fingerprint)).toEqual(["core==3.0.0"]); // 32 days and counting
    // Companion sets are judged on `steward deps check`'s answer, once, on the set's first plugin or downstream.
    const core: RepositoryEvidence = { name: "core", kind: "project", analyzers: { deps: ok({}) } };
    const plugDeps: RepositoryEvidence = { ...plug, analyzers: { deps: ok({}) } };
    const check = (conflicts: unknown[]) => ({ schemaVersion: 1, chosen: [{ name: "plug", version: "0.1.0", release: "refs/tags/v0.1.0" }, { name: "core", version: "2.0.0", release: "refs/tags/v2.0.0" }], conflicts, shared: [], coInstallable: conflicts.length === 0 });
    const comp = (answer: unknown) =>
      judge({ policies: policiesSchema.parse({ deps: { companions: { reason: R, sets: [["core==2.0.0", "plug==0.1.0"]] } } }), repositories: [core, plugDeps], portfolio: {}, today: "2026-01-01", companions: { "core==2.0.0 plug==0.1.0": answer as never } }).results;
    expect(comp(check([])).map((x) => [x.repository, x.status])).toEqual([["plug", "pass"]]);
    const pin = { kind: "pin", by: "plug", byVersion: "0.1.0", requires: "core", specifier: ">=3", file: "requirements.txt", chosen: "2.0.0" };
    expect(comp(check([pin]))[0]!.findings.map((f) => [f.message, f.ref])).toEqual([["plug 0.1.0 requires core>=3 (requirements.txt), which does not admit 2.0.0", "refs/tags/v0.1.0"]]);
    const shared = { kind: "shared", requires: "torch", by: "plug", byVersion: "0.1.0", specifier: "==2.4.0", file: "requirements.txt", other: { by: "core", byVersion: "2.0.0", specifier: ">=2.5", file: "setup.py", marker: "" } };
    expect(comp(check([shared]))[0]!.findings[0]!.message).toBe("torch: plug 0.1.0 requires ==2.4.0 (requirements.txt) and core 2.0.0 requires >=2.5 (setup.py): no version satisfies both");
    // One finding per clash, each with its own fingerprint: a release's CUDA and ROCm files are alternatives that may
    // both clash, and one release may clash with two others on the same requirement.
    const third = { ...shared, other: { ...shared.other, by: "extra", byVersion: "1.0.0" } };
    const prints = comp(check([pin, { ...pin, file: "requirements-rocm.txt" }, shared, third]))[0]!.findings.map((f) => f.fingerprint);
    expect(prints).toEqual([
      "core==2.0.0,plug==0.1.0:pin:plug:core:requirements.txt",
      "core==2.0.0,plug==0.1.0:pin:plug:core:requirements-rocm.txt",
      "core==2.0.0,plug==0.1.0:shared:plug:torch:requirements.txt:core:setup.py",
      "core==2.0.0,plug==0.1.0:shared:plug:torch:requirements.txt:extra:setup.py",
    ]);
    expect(comp({ error: "plug has no release 0.1.0" })[0]).toMatchObject({ status: "fail", findings: [{ message: "core==2.0.0 plug==0.1.0: plug has no release 0.1.0" }] });
    expect(comp(undefined)[0]).toMatchObject({ status: "error" });
  });

  it("a missing or failed analysis is an error, not a pass", () => {
    const r = run({ drift: { baseAge: { reason: R, maxDays: 1 } } }, [{ name: "vf", kind: "fork", analyzers: {} }, { name: "vg", kind: "fork", analyzers: { drift: { ok: false, result: null, error: "unknown ref 'x'", computedAt: "t" } } }]);
    expect(r.results.map((x) => [x.status, x.summary])).toEqual([
      ["error", "no drift result in the store (run steward scan)"],
      ["error", "drift failed: unknown ref 'x'"],
    ]);
    expect(r.verdict).toBe("error");
  });

  it("a verdict on incomplete evidence (a partial clone's absent files) says so", () => {
    const partial = { ...driftOf([{ ref: "r", debt: 1, baseAgeDays: 5 }]) };
    (partial.history[0] as Record<string, unknown>).coverage = { files: 40, missing: 3, missingPaths: [], promisor: null, fetched: 0 };
    const r = run({ drift: { baseAge: { reason: R, maxDays: 10 } } }, [fork(partial)]);
    expect(r.results[0]).toMatchObject({ status: "pass", summary: expect.stringMatching(/\[INCOMPLETE: 3 of 40 files unread\]$/), evidence: { unread: { files: 40, missing: 3 } } });
    expect(r.warnings).toEqual(["drift.baseAge on vf was judged on incomplete evidence: 3 of 40 files were absent from a partial clone and not read"]);
    expect(run({ drift: { baseAge: { reason: R, maxDays: 10 } } }, [fork(driftOf([{ ref: "r", debt: 1, baseAgeDays: 5 }]))]).warnings).toEqual([]);
  });

  it("no policies: nothing judged, pass", () => {
    const r = run({}, [fork(driftOf([{ ref: "a", debt: 1 }]))]);
    expect(r).toMatchObject({ verdict: "pass", results: [], waivers: [] });
  });
});

describe("overrides and waivers", () => {
  const policies = { drift: { baseAge: { reason: "rebase twice a year", maxDays: 100 } }, repositories: { vf: { drift: { baseAge: { maxDays: 500 } } }, vg: { drift: { baseAge: false } } } };

  it("a repository override changes thresholds, keeps the reason, or switches the rule off", () => {
    const p = policiesSchema.parse(policies);
    expect(ruleFor(p, "drift.baseAge", "vf")).toEqual({ reason: "rebase twice a year", maxDays: 500 });
    expect(ruleFor(p, "drift.baseAge", "other")).toEqual({ reason: "rebase twice a year", maxDays: 100 });
    expect(ruleFor(p, "drift.baseAge", "vg")).toBeNull();
    expect(ruleFor(p, "drift.debtGrowth", "vf")).toBeNull();
    const old = driftOf([{ ref: "r", debt: 1, baseAgeDays: 300 }]);
    const r = run(policies, [fork(old), { ...fork(old), name: "vg" }, { ...fork(old), name: "vh" }]);
    expect(r.results.map((x) => [x.repository, x.status])).toEqual([
      ["vf", "pass"],
      ["vh", "fail"],
    ]);
  });

  it("match: '*', a fingerprint, an object path (and its members), a path glob", () => {
    const f: GateFinding = { fingerprint: "v2:pkg.mod.f", message: "", object: "pkg.mod.f", path: "pkg/mod/a.py", evidence: {} };
    for (const m of ["*", "v2:pkg.mod.f", "pkg.mod.f", "pkg.mod", "pkg/**", "pkg/mod/*.py", "**/a.py"]) expect(waiverMatches(m, f), m).toBe(true);
    for (const m of ["pkg.mo", "pkg.mod.g", "pkg/*.py", "v1:pkg.mod.f", "other/**"]) expect(waiverMatches(m, f), m).toBe(false);
    expect(globToRegExp("a/**/b.py").test("a/b.py")).toBe(true);
    expect(globToRegExp("a/**/b.py").test("a/x/y/b.py")).toBe(true);
    expect(globToRegExp("a/?.py").test("a/bb.py")).toBe(false);
  });

  it("an active waiver waives; an expired one waives nothing and fails the check; one matching nothing is stale", () => {
    const old = fork(driftOf([{ ref: "refs/heads/r1", debt: 1, baseAgeDays: 300 }]));
    const w = (expires: string, match = "*") => ({ policy: "drift.baseAge", repository: "vf", match, reason: "rebase planned", owner: "ops@vendor.example", expires });
    const base = { drift: { baseAge: { reason: R, maxDays: 100 } } };
    const active = run({ ...base, waivers: [w("2026-01-01")] }, [old], {}, "2026-01-01"); // expires at the end of that day
    expect(active.results[0]!.status).toBe("waived");
    expect(active.results[0]!.findings[0]!.waivedBy).toBe(0);
    expect(active.waivers[0]).toMatchObject({ status: "active", matched: 1 });
    expect(active.verdict).toBe("pass");
    const expired = run({ ...base, waivers: [w("2025-12-31")] }, [old], {}, "2026-01-01");
    expect(expired.results[0]!.status).toBe("fail");
    expect(expired.waivers[0]).toMatchObject({ status: "expired", matched: 0 });
    expect(expired.verdict).toBe("fail");
    // An expired waiver fails the check even when its findings are gone.
    const fixed = run({ ...base, waivers: [w("2025-12-31")] }, [fork(driftOf([{ ref: "r", debt: 1, baseAgeDays: 5 }]))], {}, "2026-01-01");
    expect(fixed.summary).toMatchObject({ pass: 1, fail: 0, expiredWaivers: 1 });
    expect(fixed.verdict).toBe("fail");
    const stale = run({ ...base, waivers: [w("2030-01-01", "refs/heads/other")] }, [old], {}, "2026-01-01");
    expect(stale.waivers[0]).toMatchObject({ status: "stale", matched: 0 });
    expect(stale.verdict).toBe("fail"); // the finding is not covered
    expect(run({ ...base, waivers: [w("2030-01-01", "r1")] }, [old], {}, "2026-01-01").verdict).toBe("pass"); // the fingerprint
  });
});

describe("claims", () => {
  const history = apiOf([
    { ref: "refs/tags/v1", previous: null },
    { ref: "refs/tags/v2", previous: "refs/tags/v1", breaks: [{ object: "pkg.a", verdict: "announced", graceReleases: 2, graceDays: 200 }] },
    { ref: "refs/tags/v3", previous: "refs/tags/v2", breaks: [{ object: "pkg.b", verdict: "announced", graceReleases: 1, graceDays: 50 }] },
  ]);

  it("deprecation: every break announced long enough before; lapsed since the release that broke it", () => {
    expect(prove({ project: "core", deprecation: { releases: 1 } }, history)).toMatchObject({ status: "verified" });
    expect(prove({ project: "core", deprecation: { releases: 2 } }, history)).toMatchObject({ status: "lapsed", since: "2025-01-01T00:00:00Z", why: "pkg.b broke in v3 after 1 releases / 50 days of deprecation" });
    expect(prove({ project: "core", deprecation: { releases: 1, days: 100 } }, history)).toMatchObject({ status: "lapsed" });
    expect(prove({ project: "core", deprecation: { releases: 1, since: "2025-06-01" } }, history)).toMatchObject({ status: "verified", why: "0 breaks across 0 releases, each announced at least 1 release before" });
  });

  it("supports: code, tests and CI for each vendor", () => {
    const fp = footprintOf({ amd: { code: { lines: 5 }, tests: { lines: 2 }, ci: { lines: 1 } }, "intel-gaudi": { code: { lines: 5 }, ci: { lines: 3 } } });
    expect(prove({ project: "core", supports: ["amd"] }, fp).status).toBe("verified");
    expect(prove({ project: "core", supports: ["amd", "intel-gaudi", "apple"] }, fp)).toMatchObject({ status: "lapsed", why: "intel-gaudi has no tests; apple has no code, tests, CI" });
  });

  it("ownership: no CODEOWNERS rule covering the path names one organisation only", () => {
    const c = communityOf({ efWorst: 2, topWorst: 0.5, single: 0.5 });
    expect(prove({ project: "core", ownership: { path: "accel/" } }, c)).toMatchObject({ status: "verified", why: ".github/CODEOWNERS:3 /accel/: X, Y" });
    expect(prove({ project: "core", ownership: { path: "core/" } }, c)).toMatchObject({ status: "lapsed", why: ".github/CODEOWNERS:2 /core/ is owned by X alone" });
    expect(prove({ project: "core", ownership: { path: "docs/" } }, c)).toMatchObject({ status: "lapsed", why: "no CODEOWNERS rule covers docs/" });
    expect(prove({ project: "core", ownership: { path: "docs/" } }, { ...c, ownership: null })).toMatchObject({ status: "lapsed" });
    // CODEOWNERS: the last matching rule decides; an earlier catch-all owned by one organisation does not.
    const own = c.ownership!;
    const layered = { ...c, ownership: { ...own, rules: [{ line: 1, pattern: "*", owners: ["a@x.com"], organizations: ["X"], verdict: "single-organization", files: 9, lines: 90 }, ...own.rules, { line: 4, pattern: "/accel/gpu/", owners: ["c@z.com"], organizations: ["Z"], verdict: "single-organization", files: 1, lines: 5 }] } };
    expect(prove({ project: "core", ownership: { path: "accel/" } }, layered)).toMatchObject({ status: "lapsed", why: ".github/CODEOWNERS:4 /accel/gpu/ is owned by Z alone" });
    expect(prove({ project: "core", ownership: { path: "accel/cpu/" } }, layered)).toMatchObject({ status: "verified", why: ".github/CODEOWNERS:3 /accel/: X, Y" });
  });

  it("a claim nobody re-proved lapses; the state is dated from the first scan of the current run", () => {
    const spec = { project: "core", supports: ["amd"] };
    const good = footprintOf({ amd: { code: { lines: 5 }, tests: { lines: 2 }, ci: { lines: 1 } } });
    const bad = footprintOf({ amd: { code: { lines: 5 } } });
    expect(proveClaim(spec, [])).toMatchObject({ status: "lapsed", since: null, why: "no evidence: no neutrality result in the store (run steward scan)" });
    expect(proveClaim(spec, [ok(good, "t1"), { ok: false, result: null, error: "boom", computedAt: "t2" }])).toMatchObject({ status: "lapsed", since: "t2", why: "no evidence: neutrality failed: boom" });
    expect(proveClaim(spec, [ok(bad, "t1"), ok(good, "t2"), ok(good, "t3")])).toMatchObject({ status: "verified", since: "t2", checkedAt: "t3", claim: "supports: amd" });
    expect(proveClaim(spec, [ok(good, "t1"), ok(bad, "t2")])).toMatchObject({ status: "lapsed", since: "t2" });
  });

  it("badges: shields.io endpoint JSON, grey when lapsed", () => {
    const c = proveClaim({ project: "core", claim: "Supports AMD & Gaudi!", supports: ["amd"] }, [ok(footprintOf({}), "t")]);
    expect(badgeOf(c)).toEqual({ schemaVersion: 1, label: "Supports AMD & Gaudi!", message: "lapsed", color: "lightgrey" });
    expect(badgeFile(c)).toBe("core--supports-amd-gaudi.json");
  });
});

describe("the policy catalogue", () => {
  it("every policy has a rule, is documented in docs/gate.md, has SARIF help and is in the JSON schemas", async () => {
    const { readFileSync } = await import("node:fs");
    const { POLICY_IDS } = await import("../../src/gate/schema.js");
    const { RULES } = await import("../../src/gate/judge.js");
    const { checkSarif } = await import("../../src/report/gate.js");
    const doc = readFileSync("docs/gate.md", "utf8");
    const checkSchema = JSON.parse(readFileSync("docs/schema/check.schema.json", "utf8")) as { $defs: { result: { properties: { policy: { enum: string[] } } } } };
    const configSchema = readFileSync("docs/schema/steward-config.schema.json", "utf8");
    expect(Object.keys(RULES).sort()).toEqual([...POLICY_IDS].sort());
    expect(checkSchema.$defs.result.properties.policy.enum).toEqual([...POLICY_IDS]);
    for (const id of POLICY_IDS) {
      expect(doc, id).toContain(`| \`${id}\` |`);
      expect(configSchema, id).toContain(`"${id}"`);
      const result = { schemaVersion: 1, mode: "portfolio" as const, config: null, date: "2026-01-01", verdict: "pass" as const, results: [{ policy: id, repository: "r", status: "pass" as const, reason: "why", summary: "", threshold: {}, evidence: {}, findings: [] }], waivers: [], summary: { pass: 1, fail: 0, waived: 0, error: 0, expiredWaivers: 0, staleWaivers: 0 }, warnings: [] };
      const rule = (checkSarif(result, "0") as { runs: { tool: { driver: { rules: { id: string; fullDescription: { text: string } }[] } } }[] }).runs[0]!.tool.driver.rules[0]!;
      expect(rule.id).toBe(id);
      expect(rule.fullDescription.text, id).not.toBe(id);
    }
  });
});
