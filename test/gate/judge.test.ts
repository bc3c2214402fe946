import { describe, expect, it } from "vitest";
import { badgeFile, badgeOf, prove, proveClaim } from "../../src/gate/claims.js";
import { bumpOf, globToRegExp, judge, versionOf, waiverMatches, type RepositoryEvidence, type Stored } from "../../src/gate/judge.js";
import { policiesSchema, ruleFor } from "../../src/gate/schema.js";
import type { GateFinding } from "../../src/gate/types.js";
import { apiOf } from "./fixtures.js";

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

/*
 * Every result says what it measured: the one-line summary, the numbers it read (evidence) and,
 * for each finding, a message a reviewer can check against that evidence. Expected values below
 * are worked out by hand from the inputs.
 */
const reported = (r: ReturnType<typeof run>) => r.results.map(({ summary, evidence, findings, status }) => ({ status, summary, evidence, findings }));
const AT = "2026-01-02T00:00:00.000Z";

describe("gate rules report what they measured, in numbers the evidence holds", () => {
  it("drift.debtGrowth: the growth of the newest step in percent (one decimal), from the previous release's debt", () => {
    const h = (debts: number[]) => fork(driftOf(debts.map((debt, i) => ({ ref: `refs/heads/1.${i}`, debt }))));
    const at = (maxPercent: number, debts: number[]) => reported(run({ drift: { debtGrowth: { reason: R, maxPercent } } }, [h(debts)]));
    const series = (debts: number[]) => debts.map((debt, i) => ({ ref: `refs/heads/1.${i}`, date: `2025-0${i + 1}-01T00:00:00Z`, debt }));
    expect(at(33, [3, 4])).toEqual([
      {
        status: "fail",
        summary: "private debt 3 → 4 lines from 1.0 to 1.1: 33.3% (max 33%)",
        evidence: { analyzer: "drift", computedAt: AT, from: { ref: "refs/heads/1.0", commit: "0".repeat(40), debt: 3 }, to: { ref: "refs/heads/1.1", commit: "1".repeat(40), debt: 4 }, growthPercent: 33.3, series: series([3, 4]) },
        findings: [{ fingerprint: "1.1", message: "1.1: private debt grew 33.3% (3 → 4 lines) since 1.0, more than 33%", ref: "refs/heads/1.1", evidence: { commit: "1".repeat(40), base: "b".repeat(40), debt: 4, previousDebt: 3 } }],
      },
    ]);
    expect(at(34, [3, 4])[0]).toMatchObject({ status: "pass", findings: [] });
    const fromZero = at(10, [0, 2])[0]!;
    expect([fromZero.summary, fromZero.evidence.growthPercent, fromZero.findings[0]!.message]).toEqual(["private debt 0 → 2 lines from 1.0 to 1.1: from 0 (max 10%)", null, "1.1: private debt grew from 0 (0 → 2 lines) since 1.0, more than 10%"]);
    expect(at(0, [7])).toEqual([{ status: "pass", summary: "one fork release (1.0): no growth to measure", evidence: { analyzer: "drift", computedAt: AT, series: series([7]) }, findings: [] }]);
    expect(at(0, [])[0]!.summary).toBe("one fork release (none): no growth to measure");
  });

  it("drift.baseAge: the newest ref's base age and how far behind it is; a finding names the base commit", () => {
    const r = reported(run({ drift: { baseAge: { reason: R, maxDays: 180 } } }, [fork(driftOf([{ ref: "refs/remotes/origin/r1", debt: 1, baseAgeDays: 181 }]))]));
    expect(r).toEqual([
      {
        status: "fail",
        summary: "origin/r1 sits on a base 181 days old (max 180), 3 upstream commits behind",
        evidence: { analyzer: "drift", computedAt: AT, ref: "refs/remotes/origin/r1", commit: "0".repeat(40), base: "b".repeat(40), baseDate: "2024-01-01T00:00:00Z", baseAgeDays: 181, behind: 3 },
        findings: [{ fingerprint: "origin/r1", message: "origin/r1: base bbbbbbbbbb is 181 days older than the fork tip (max 180)", ref: "refs/remotes/origin/r1", evidence: { base: "b".repeat(40), baseDate: "2024-01-01T00:00:00Z", baseAgeDays: 181 } }],
      },
    ]);
    expect(reported(run({ drift: { baseAge: { reason: R, maxDays: 1 } } }, [fork(driftOf([]))]))).toEqual([{ status: "pass", summary: "no fork ref", evidence: { analyzer: "drift", computedAt: AT }, findings: [] }]);
  });

  it("api.unannounced: counts breaks of the newest releases with a previous release, and names each unannounced one", () => {
    const h = apiOf([
      { ref: "refs/tags/v1.0.0", previous: null },
      { ref: "refs/tags/v1.1.0", previous: "refs/tags/v1.0.0", breaks: [{ object: "pkg.old", verdict: "unannounced" }] },
      { ref: "refs/tags/v1.2.0", previous: "refs/tags/v1.1.0", breaks: [{ object: "pkg.gone", verdict: "announced", graceReleases: 1, graceDays: 30 }] },
    ]);
    const at = (releases: number) => reported(run({ api: { unannounced: { reason: R, releases } } }, [project({ api: h })]))[0]!;
    expect(at(1).summary).toBe("0 unannounced breaks in v1.2.0 (of 1 break)");
    const two = at(5);
    expect(two.summary).toBe("1 unannounced break in v1.1.0, v1.2.0 (of 2 breaks)");
    expect(two.evidence).toEqual({
      analyzer: "api",
      computedAt: AT,
      releases: [
        { ref: "refs/tags/v1.1.0", commit: "c".repeat(40), date: "2025-01-01T00:00:00Z", breaking: 1, announced: 0 },
        { ref: "refs/tags/v1.2.0", commit: "c".repeat(40), date: "2025-01-01T00:00:00Z", breaking: 1, announced: 1 },
      ],
    });
    expect(two.findings).toEqual([
      { fingerprint: "v1.1.0:pkg.old", message: "v1.1.0: pkg.old (object-removed) broke without a deprecation in an earlier release", object: "pkg.old", ref: "refs/tags/v1.1.0", evidence: { release: "refs/tags/v1.1.0", commit: "c".repeat(40), date: "2025-01-01T00:00:00Z", previous: "refs/tags/v1.0.0", kind: "object-removed", verdict: "unannounced" } },
    ]);
    expect(reported(run({ api: { unannounced: { reason: R } } }, [project({ api: apiOf([{ ref: "v1", previous: null }]) })]))[0]!.summary).toBe("0 unannounced breaks in no release (of 0 breaks)");
  });

  it("api.grace: each announced break with less grace than a minimum names every minimum it missed", () => {
    const h = apiOf([{ ref: "refs/tags/v2", previous: "v1", breaks: [{ object: "pkg.f", verdict: "announced", graceReleases: 2, graceDays: 90 }, { object: "pkg.h", verdict: "announced" }, { object: "pkg.g", verdict: "unannounced" }] }]);
    const at = (t: Record<string, number>) => reported(run({ api: { grace: { reason: R, ...t } } }, [project({ api: h })]))[0]!;
    const both = at({ minReleases: 3, minDays: 91 });
    expect(both.summary).toBe("2 announced breaks in v2, 2 with less grace than 3 releases and 91 days");
    expect(both.findings).toEqual([
      { fingerprint: "v2:pkg.f", message: "v2: pkg.f removed after 2 releases (min 3) and 90 days (min 91) of deprecation", object: "pkg.f", ref: "refs/tags/v2", evidence: { release: "refs/tags/v2", commit: "c".repeat(40), date: "2025-01-01T00:00:00Z", kind: "object-removed", graceReleases: 2, graceDays: 90 } },
      { fingerprint: "v2:pkg.h", message: "v2: pkg.h removed after 0 releases (min 3) and 0 days (min 91) of deprecation", object: "pkg.h", ref: "refs/tags/v2", evidence: { release: "refs/tags/v2", commit: "c".repeat(40), date: "2025-01-01T00:00:00Z", kind: "object-removed", graceReleases: 0, graceDays: 0 } },
    ]);
    expect(both.evidence).toEqual({ analyzer: "api", computedAt: AT, releases: [{ ref: "refs/tags/v2", date: "2025-01-01T00:00:00Z", announced: 2, medianGraceReleases: null, medianGraceDays: null }] });
    expect(at({ minDays: 90 }).findings.map((f) => f.message)).toEqual(["v2: pkg.h removed after 0 days (min 90) of deprecation"]);
    expect(at({ minReleases: 0 }).summary).toBe("2 announced breaks in v2, 0 with less grace than 0 releases");
    expect(at({}).summary).toBe("2 announced breaks in v2, 0 with less grace than (no minimum set)");
    expect(at({ minDays: 1 }).summary).toBe("2 announced breaks in v2, 1 with less grace than 1 days");
  });

  it("api.bump: each release reads the bump it made against the one its changes call for", () => {
    const h = apiOf([
      { ref: "refs/tags/v1.2.0", previous: "refs/tags/v1.1.0", suggestedBump: "minor" },
      { ref: "refs/tags/v1.3.0", previous: "refs/tags/v1.2.0", suggestedBump: "major", breaks: [{ object: "pkg.a", verdict: "unannounced" }] },
      { ref: "nightly", previous: "refs/tags/v1.3.0", suggestedBump: "major" },
      { ref: "refs/tags/v1.3.1", previous: "nightly", suggestedBump: null },
    ]);
    const r = reported(run({ api: { bump: { reason: R, releases: 4 } } }, [project({ api: h })]))[0]!;
    expect(r.summary).toBe("v1.2.0: made minor, needed minor; v1.3.0: made minor, needed major; nightly: made ?, needed major; v1.3.1: made ?, needed ?");
    expect(r.evidence.releases).toEqual([
      { ref: "refs/tags/v1.2.0", previous: "refs/tags/v1.1.0", suggested: "minor", made: "minor" },
      { ref: "refs/tags/v1.3.0", previous: "refs/tags/v1.2.0", suggested: "major", made: "minor" },
      { ref: "nightly", previous: "refs/tags/v1.3.0", suggested: "major", made: null },
      { ref: "refs/tags/v1.3.1", previous: "nightly", suggested: null, made: null },
    ]);
    expect(r.findings).toEqual([
      { fingerprint: "v1.3.0", message: "v1.2.0 → v1.3.0 is a minor bump; its API changes call for major (1 breaks)", ref: "refs/tags/v1.3.0", evidence: { release: "refs/tags/v1.3.0", commit: "c".repeat(40), previous: "refs/tags/v1.2.0", suggested: "major", made: "minor", breaking: 1, additions: 0 } },
    ]);
    // A release whose version is unchanged and whose changes call for a patch: a bump is still missing.
    expect(reported(run({ api: { bump: { reason: R } } }, [project({ api: apiOf([{ ref: "v1.2.0-b", previous: "v1.2.0", suggestedBump: "patch" }]) })]))[0]!.status).toBe("fail");
    expect(reported(run({ api: { bump: { reason: R } } }, [project({ api: apiOf([]) })]))[0]!.summary).toBe("no release");
  });

  it("community rules: the window, the bounds read and the worst bound judged; each CODEOWNERS rule owned by one organisation", () => {
    const c = communityOf({ efWorst: 1, topWorst: 0.5126, single: 0.6 });
    const ef = reported(run({ community: { elephantFactor: { reason: R, min: 2 } } }, [project({ community: c })]))[0]!;
    expect(ef).toEqual({
      status: "fail",
      summary: "elephant factor 3–1 over the 4 quarters to 2025-Q2, judged on the worst bound 1 (min 2)",
      evidence: { analyzer: "community", computedAt: AT, ref: "main", commit: "d".repeat(40), period: "2025-Q2", window: 4, elephantFactor: { best: 3, worst: 1 }, coverage: 0.9 },
      findings: [{ fingerprint: "elephantFactor", message: "elephant factor's worst bound is 1 over the 4 quarters to 2025-Q2 (min 2): fewer organisations than that make half the commits if the unknown authors belong to the top one", ref: "main", evidence: { period: "2025-Q2", elephantFactor: { best: 3, worst: 1 } } }],
    });
    const top = reported(run({ community: { topShare: { reason: R, max: 0.5 } } }, [project({ community: c })]))[0]!;
    expect(top).toEqual({
      status: "fail",
      summary: "top organisation's share 30–51.3% over the 4 quarters to 2025-Q2 (max 50%, judged on the worst bound)",
      evidence: { analyzer: "community", computedAt: AT, ref: "main", commit: "d".repeat(40), period: "2025-Q2", window: 4, top1Share: { best: 0.3, worst: 0.5126 }, top: "Org" },
      findings: [{ fingerprint: "topShare", message: "one organisation may hold 51.3% of the commits over the 4 quarters to 2025-Q2 (max 50%)", ref: "main", evidence: { period: "2025-Q2", top1Share: { best: 0.3, worst: 0.5126 } } }],
    });
    expect(reported(run({ community: { topShare: { reason: R, max: 0.5 } } }, [project({ community: { ...c, organizations: [] } })]))[0]!.evidence.top).toBeNull();
    const own = reported(run({ community: { ownership: { reason: R, maxSingleOrganizationShare: 0.5 } } }, [project({ community: c })]))[0]!;
    expect(own).toEqual({
      status: "fail",
      summary: "60% of owned lines have owners of one organisation only (max 50%)",
      evidence: { analyzer: "community", computedAt: AT, ref: "main", commit: "d".repeat(40), file: ".github/CODEOWNERS", singleOrganizationShare: { files: 0.6, lines: 0.6 } },
      findings: [{ fingerprint: "/core/", message: ".github/CODEOWNERS:2: /core/ is owned by X alone (10 lines)", path: ".github/CODEOWNERS", line: 2, ref: "main", evidence: { pattern: "/core/", owners: ["a@x.com"], organizations: ["X"], files: 1, lines: 10 } }],
    });
    const none = { ...c, periods: [], ownership: null };
    for (const rule of [{ elephantFactor: { reason: R, min: 2 } }, { topShare: { reason: R, max: 0.5 } }]) {
      expect(reported(run({ community: rule }, [project({ community: none })]))).toEqual([{ status: "pass", summary: "no commits", evidence: { analyzer: "community", computedAt: AT, ref: "main", commit: "d".repeat(40) }, findings: [] }]);
    }
    expect(reported(run({ community: { ownership: { reason: R, maxSingleOrganizationShare: 0 } } }, [project({ community: none })]))[0]!.summary).toBe("no CODEOWNERS file: no single-organisation ownership to measure");
  });

  it("neutrality.lint: open findings beyond the baseline, each naming file, line, rule, vendor and the neutral call to use", () => {
    const fp = footprintOf({});
    fp.lint.findings.push({ rule: "torch-cuda-call", file: "pkg/c.py", line: 9, vendor: "cuda-api", snippet: "  torch.cuda.synchronize(   x)  ", suggestion: "get_accelerator().synchronize()", waived: false });
    const lint = (maxNew: number, baseline?: { rule: string; file: string; snippet: string; count: number }[]) =>
      judge({
        policies: policiesSchema.parse({ neutrality: { lint: { reason: R, maxNew, ...(baseline ? { baseline: "b.json" } : {}) } } }),
        repositories: [project({ neutrality: fp })],
        portfolio: {},
        today: "2026-01-01",
        ...(baseline ? { baselines: { "b.json": { schemaVersion: 1, findings: baseline } } } : {}),
      }).results[0]!;
    const r = lint(1);
    expect([r.status, r.summary]).toEqual(["fail", "2 lint findings beyond the baseline (max 1); 0 in the baseline, 1 waived by the lint"]);
    expect(r.evidence).toEqual({ analyzer: "neutrality", computedAt: AT, ref: "main", commit: "e".repeat(40), pack: "deepspeed", findings: 3, open: 2, inBaseline: 0, lintWaived: 1 });
    expect(r.findings[1]).toEqual({
      fingerprint: "torch-cuda-call:pkg/c.py:torch.cuda.synchronize( x)",
      message: "pkg/c.py:9: torch-cuda-call hard-codes cuda-api: torch.cuda.synchronize(   x) (use get_accelerator().synchronize())",
      path: "pkg/c.py",
      line: 9,
      ref: "main",
      evidence: { rule: "torch-cuda-call", vendor: "cuda-api", snippet: "  torch.cuda.synchronize(   x)  ", suggestion: "get_accelerator().synchronize()", commit: "e".repeat(40) },
    });
    expect(lint(2).status).toBe("pass");
    const based = lint(0, [{ rule: "torch-cuda-call", file: "pkg/a.py", snippet: "torch.cuda.synchronize()", count: 1 }]);
    expect([based.summary, based.evidence.inBaseline]).toEqual(["1 lint finding beyond the baseline (max 0); 1 in the baseline, 1 waived by the lint", 1]);
    // The stored result is not changed by applying a baseline.
    expect(fp.lint.findings.some((f) => "baseline" in f)).toBe(false);
    const missing = judge({ policies: policiesSchema.parse({ neutrality: { lint: { reason: R, baseline: "gone.json" } } }), repositories: [project({ neutrality: fp })], portfolio: {}, today: "2026-01-01" }).results[0]!;
    expect([missing.status, missing.summary, missing.evidence]).toEqual(["error", "could not judge: baseline gone.json not loaded", { analyzer: "neutrality", computedAt: AT }]);
  });

  it("neutrality.concentration: each capped layer's top vendor share; a layer with no vendor lines has no share to cap", () => {
    const fp = footprintOf({}, 0.6149);
    (fp.footprint.concentration as Record<string, unknown>).tests = { hhi: 1, top: null, topShare: 1, lines: 0 };
    const r = reported(run({ neutrality: { concentration: { reason: R, maxTopShare: { code: 0.6, tests: 0.1 } } } }, [project({ neutrality: fp })]))[0]!;
    expect(r).toEqual({
      status: "fail",
      summary: "code top share 61.5% (max 60%), tests top share 100% (max 10%)",
      evidence: { analyzer: "neutrality", computedAt: AT, ref: "main", commit: "e".repeat(40), layers: { code: { top: "nvidia", topShare: 0.615, hhi: 0.378, lines: 100 }, tests: { top: null, topShare: 1, hhi: 1, lines: 0 } } },
      findings: [{ fingerprint: "code", message: "code: nvidia holds 61.5% of vendor lines (max 60%)", ref: "main", evidence: { layer: "code", top: "nvidia", topShare: 0.615, lines: 100, hhi: 0.378, commit: "e".repeat(40) } }],
    });
    expect(reported(run({ neutrality: { concentration: { reason: R, maxTopShare: {} } } }, [project({ neutrality: fp })]))[0]).toMatchObject({ status: "pass", summary: "no ceilings set" });
  });

  it("deps.lag: days until a dependent release admitted each project release, or days waiting so far; older than the dependent: not lag", () => {
    const matrix = (firstDate: string | null) => ({
      dependents: [{ name: "plug", releases: firstDate ? [{ ref: "refs/tags/v0.1.0", version: "0.1.0", date: firstDate }] : [] }],
      lag: [
        { project: "core", version: "1.0.0", date: "2025-01-01T00:00:00Z", dependent: "plug", firstRelease: null, days: null },
        { project: "core", version: "2.0.0", date: "2024-12-01T00:00:00Z", dependent: "plug", firstRelease: "refs/tags/v0.1.0", days: 31 },
        { project: "core", version: "3.0.0", date: "2025-06-01T00:00:00Z", dependent: "plug", firstRelease: null, days: null },
        { project: "core", version: "3.0.0", date: "2025-06-01T00:00:00Z", dependent: "other", firstRelease: null, days: null },
      ],
    });
    const plug: RepositoryEvidence = { name: "plug", kind: "plugin", analyzers: {} };
    const lag = (firstDate: string | null, maxDays: number) => reported(run({ deps: { lag: { reason: R, maxDays } } }, [plug], { "deps-matrix": ok(matrix(firstDate)) }, "2025-07-03"))[0]!;
    const r = lag("2025-01-01T00:00:00Z", 30);
    expect(r.summary).toBe("upgrade lag core 2.0.0 31d (max 30 days)");
    expect(r.evidence.lag).toEqual(matrix(null).lag.slice(0, 3));
    expect(r.findings).toEqual([
      // Released the day of the dependent's first release: the dependent existed, so it counts.
      { fingerprint: "core==1.0.0", message: "core 1.0.0 (2025-01-01): no plug release admits it after 183 days (max 30)", evidence: { project: "core", version: "1.0.0", released: "2025-01-01T00:00:00Z", firstRelease: null, days: 183 } },
      { fingerprint: "core==2.0.0", message: "core 2.0.0: plug took 31 days to admit it (v0.1.0; max 30)", ref: "refs/tags/v0.1.0", evidence: { project: "core", version: "2.0.0", released: "2024-12-01T00:00:00Z", firstRelease: "refs/tags/v0.1.0", days: 31 } },
      { fingerprint: "core==3.0.0", message: "core 3.0.0 (2025-06-01): no plug release admits it after 32 days (max 30)", evidence: { project: "core", version: "3.0.0", released: "2025-06-01T00:00:00Z", firstRelease: null, days: 32 } },
    ]);
    // A day later, 1.0.0 predates the dependent's first release: not lag.
    expect(lag("2025-01-02T00:00:00Z", 30).findings.map((f) => f.fingerprint)).toEqual(["core==2.0.0", "core==3.0.0"]);
    // A dependent with no release yet: nothing waits on it.
    expect(lag(null, 30).findings.map((f) => f.fingerprint)).toEqual(["core==2.0.0"]);
    expect(lag(null, 31)).toMatchObject({ status: "pass", findings: [] });
    expect(reported(run({ deps: { lag: { reason: R, maxDays: 1 } } }, [plug], { "deps-matrix": ok({ dependents: [], lag: [] }) }))[0]!.summary).toBe("upgrade lag none measured (max 1 days)");
  });

  it("deps.companions: a set is judged once, on its first plugin or downstream, else on its first name; the summary counts sets", () => {
    const repo = (name: string, kind: RepositoryEvidence["kind"]): RepositoryEvidence => ({ name, kind, analyzers: { deps: ok({}) } });
    const answer = { schemaVersion: 1, chosen: [{ name: "core", version: "2.0.0", release: "refs/tags/v2.0.0" }], conflicts: [], shared: [{ name: "torch", constraints: [], witness: "2.4.0" }], coInstallable: true };
    const at = (sets: string[][], repositories: RepositoryEvidence[]) =>
      judge({ policies: policiesSchema.parse({ deps: { companions: { reason: R, sets } } }), repositories, portfolio: {}, today: "2026-01-01", companions: Object.fromEntries(sets.map((s) => [s.join(" "), answer as never])) }).results;
    const repos = [repo("core", "project"), repo("aux", "project"), repo("down", "downstream"), repo("plug", "plugin")];
    expect(at([["core==2.0.0", "down==1.0"]], repos).map((x) => x.repository)).toEqual(["down"]);
    expect(at([["core==2.0.0", "aux==1.0"]], repos).map((x) => x.repository)).toEqual(["core"]);
    const two = at([["core==2.0.0", "plug==1"], ["plug==2", "core==2.0.0"]], repos);
    expect(two.map((x) => [x.repository, x.status, x.summary])).toEqual([["plug", "pass", "2 companion sets: co-installable (portfolio pins and third-party requirements, as steward deps check)"]]);
    expect(two[0]!.evidence.checked).toEqual([
      { set: ["core==2.0.0", "plug==1"], coInstallable: true, chosen: answer.chosen, shared: [{ name: "torch", witness: "2.4.0" }] },
      { set: ["plug==2", "core==2.0.0"], coInstallable: true, chosen: answer.chosen, shared: [{ name: "torch", witness: "2.4.0" }] },
    ]);
    const failed = judge({ policies: policiesSchema.parse({ deps: { companions: { reason: R, sets: [["core==2.0.0", "plug==1"]] } } }), repositories: repos, portfolio: {}, today: "2026-01-01", companions: { "core==2.0.0 plug==1": { error: "no release 1" } } }).results[0]!;
    expect([failed.summary, failed.evidence.checked, failed.findings]).toEqual(["1 companion set: not co-installable (portfolio pins and third-party requirements, as steward deps check)", [{ set: ["core==2.0.0", "plug==1"], error: "no release 1" }], [{ fingerprint: "core==2.0.0,plug==1", message: "core==2.0.0 plug==1: no release 1", evidence: { set: ["core==2.0.0", "plug==1"], error: "no release 1" } }]]);
    const conflict = { kind: "pin", by: "plug", byVersion: "1", requires: "core", specifier: ">=3", file: "requirements.txt", chosen: "2.0.0" };
    const pinned = judge({ policies: policiesSchema.parse({ deps: { companions: { reason: R, sets: [["core==2.0.0", "plug==1"]] } } }), repositories: repos, portfolio: {}, today: "2026-01-01", companions: { "core==2.0.0 plug==1": { ...answer, conflicts: [conflict], coInstallable: false } as never } }).results[0]!;
    expect(pinned.findings).toEqual([{ fingerprint: "core==2.0.0,plug==1:pin:plug:core:requirements.txt", message: "plug 1 requires core>=3 (requirements.txt), which does not admit 2.0.0", evidence: { set: ["core==2.0.0", "plug==1"], conflict } }]);
  });
});

describe("the gate's judgement: errors, locations and incomplete evidence", () => {
  it("a failed analysis with no message is an error saying so, with when it was computed", () => {
    const r = reported(run({ drift: { baseAge: { reason: R, maxDays: 1 } } }, [{ name: "vf", kind: "fork", analyzers: { drift: { ok: false, result: null, error: null, computedAt: "t" } } }]));
    expect(r).toEqual([{ status: "error", summary: "drift failed: unknown error", evidence: { analyzer: "drift", computedAt: "t", error: null }, findings: [] }]);
    expect(reported(run({ drift: { baseAge: { reason: R, maxDays: 1 } } }, [{ name: "vf", kind: "fork", analyzers: {} }]))[0]!.evidence).toEqual({ analyzer: "drift" });
  });

  it("each result points at where its rule is set: the repository's override when it has one, else the shared rule", () => {
    const located: (string | number)[][] = [];
    const locate = (p: (string | number)[]) => {
      located.push(p);
      return p.includes("vg") ? undefined : { file: "steward.yaml", line: p.length };
    };
    const policies = policiesSchema.parse({ drift: { baseAge: { reason: R, maxDays: 100 } }, repositories: { vf: { drift: { baseAge: { maxDays: 500 } } }, vg: { drift: { baseAge: { maxDays: 5 } } } } });
    const old = driftOf([{ ref: "r", debt: 1, baseAgeDays: 300 }]);
    const r = judge({ policies, repositories: [fork(old), { ...fork(old), name: "vg" }, { ...fork(old), name: "vh" }], portfolio: {}, today: "2026-01-01", locate, config: "steward.yaml" });
    expect(r.results.map((x) => [x.repository, x.definedAt ?? null, x.threshold])).toEqual([
      ["vf", { file: "steward.yaml", line: 5 }, { maxDays: 500 }],
      ["vg", null, { maxDays: 5 }],
      ["vh", { file: "steward.yaml", line: 3 }, { maxDays: 100 }],
    ]);
    expect(located).toEqual([["policies", "repositories", "vf", "drift", "baseAge"], ["policies", "repositories", "vg", "drift", "baseAge"], ["policies", "drift", "baseAge"]]);
    expect(r.config).toBe("steward.yaml");
  });

  it("unread files: the most missing of any coverage the result records, out of the most files", () => {
    const fp = footprintOf({}) as Record<string, unknown> & { footprint: Record<string, unknown>; lint: Record<string, unknown> };
    fp.footprint.coverage = { files: 50, missing: 2 };
    fp.lint.coverage = { files: 40, missing: 4 };
    const r = run({ neutrality: { concentration: { reason: R, maxTopShare: { code: 1 } } } }, [project({ neutrality: fp })]);
    expect(r.results[0]!.summary).toBe("code top share 50% (max 100%) [INCOMPLETE: 4 of 50 files unread]");
    expect(r.results[0]!.evidence.unread).toEqual({ files: 50, missing: 4 });
    fp.footprint.coverage = { files: 50, missing: 0 };
    fp.lint.coverage = { files: 40, missing: "?" };
    expect(run({ neutrality: { concentration: { reason: R, maxTopShare: { code: 1 } } } }, [project({ neutrality: fp })]).warnings).toEqual([]);
  });

  it("a path glob: '*' and '?' stay within one folder, '**' crosses them, every other character is literal", () => {
    expect(globToRegExp("pkg/**").test("pkg/a/b.py")).toBe(true);
    expect(globToRegExp("pkg**").test("pkg/a/b.py")).toBe(true);
    expect(globToRegExp("pkg/*").test("pkg/a/b.py")).toBe(false);
    expect(globToRegExp("a?b").test("a/b")).toBe(false);
    expect(globToRegExp("a?b").test("axb")).toBe(true);
    expect(globToRegExp("a.py").test("axpy")).toBe(false);
    expect(globToRegExp("a(b)+.py").test("a(b)+.py")).toBe(true);
    expect(globToRegExp("**/b.py").test("b.py")).toBe(true);
    expect(globToRegExp("*.py").test("x/a.py")).toBe(false);
    expect(globToRegExp("a/*.py").test("b/a/x.py")).toBe(false);
    const f: GateFinding = { fingerprint: "fp", message: "", evidence: {} };
    expect(waiverMatches("**", f)).toBe(false); // no object, no path: only '*' or the fingerprint
    expect(waiverMatches("*", f)).toBe(true);
  });

  it("waivers: a failure is waived only when every finding is covered; results are counted by status", () => {
    const two = fork(driftOf([{ ref: "refs/heads/r1", debt: 10 }, { ref: "refs/heads/r2", debt: 100 }]));
    const w = (match: string, repository = "vf", policy = "drift.debtGrowth") => ({ policy, repository, match, reason: "planned", owner: "ops@vendor.example", expires: "2030-01-01" });
    const policies = (waivers: unknown[]) => ({ drift: { debtGrowth: { reason: R, maxPercent: 10 }, baseAge: { reason: R, maxDays: 5 } }, waivers });
    const r = run(policies([w("r2"), w("r2", "vg"), w("*", "vf", "drift.baseAge")]), [two]);
    expect(r.results.map((x) => [x.policy, x.status, x.findings.map((f) => f.waivedBy ?? null)])).toEqual([
      ["drift.debtGrowth", "waived", [0]],
      ["drift.baseAge", "waived", [2]],
    ]);
    expect(r.waivers.map((x) => [x.status, x.matched])).toEqual([["active", 1], ["stale", 0], ["active", 1]]);
    expect(r.summary).toEqual({ pass: 0, fail: 0, waived: 2, error: 0, expiredWaivers: 0, staleWaivers: 1 });
    expect(r.verdict).toBe("pass");
    const partly = run(policies([w("r2")]), [two, { name: "vg", kind: "fork", analyzers: {} }]);
    expect(partly.summary).toEqual({ pass: 0, fail: 1, waived: 1, error: 2, expiredWaivers: 0, staleWaivers: 0 });
    expect(partly.verdict).toBe("error");
  });

  it("in change mode only the changed repository's waivers are in play, and one that matched nothing is not stale", async () => {
    const { applyWaivers } = await import("../../src/gate/judge.js");
    const policies = policiesSchema.parse({ waivers: [{ policy: "drift.baseAge", repository: "vf", match: "*", reason: "x", owner: "o@x.com", expires: "2030-01-01" }, { policy: "drift.baseAge", repository: "vg", match: "*", reason: "x", owner: "o@x.com", expires: "2020-01-01" }] });
    const change = applyWaivers({ policies, today: "2026-01-01", locate: (p) => ({ file: "s.yaml", line: Number(p[2]) + 10 }) }, [], [], "change", {}, "vf");
    expect(change.waivers.map((x) => [x.repository, x.status, x.definedAt])).toEqual([["vf", "active", { file: "s.yaml", line: 10 }]]);
    expect([change.mode, change.verdict, change.config]).toEqual(["change", "pass", null]);
    const all = applyWaivers({ policies, today: "2026-01-01" }, [], []);
    expect(all.waivers.map((x) => x.status)).toEqual(["stale", "expired"]);
    expect(all.verdict).toBe("fail");
  });
});
