import { describe, expect, it } from "vitest";
import { applyWaivers, companionOwner, globToRegExp, judge, unread, versionOf, type RepositoryEvidence, type Stored } from "../../src/gate/judge.js";
import { policiesSchema } from "../../src/gate/schema.js";
import { apiOf } from "./fixtures.js";

/*
 * Rules of the gate's judgement that its threshold tests (judge.test.ts) left open, each tried on
 * both sides: which repositories a policy judges, how refs and versions are read, what a summary
 * says at its edges, whose companion set is whose, and what waivers cover.
 */

const R = "why";
const ok = (result: unknown): Stored => ({ ok: true, result, error: null, computedAt: "2026-01-02T00:00:00.000Z" });
const repo = (name: string, kind: RepositoryEvidence["kind"], analyzers: Record<string, unknown> = {}): RepositoryEvidence => ({
  name,
  kind,
  analyzers: Object.fromEntries(Object.entries(analyzers).map(([k, v]) => [k, ok(v)])),
});
const run = (policies: unknown, repositories: RepositoryEvidence[], extra: Partial<Parameters<typeof judge>[0]> = {}) =>
  judge({ policies: policiesSchema.parse(policies), repositories, portfolio: {}, today: "2026-01-01", ...extra });

const fork = (name: string, points: { ref: string; debt: number; baseAgeDays?: number }[]) =>
  repo(name, "fork", {
    drift: {
      history: points.map((p, i) => ({
        fork: { ref: p.ref, commit: String(i).repeat(40) },
        date: `2025-0${i + 1}-01T00:00:00Z`,
        base: { commit: "b".repeat(40), date: "2024-01-01T00:00:00Z" },
        behind: 3,
        baseAgeDays: p.baseAgeDays ?? 10,
        netPatch: { debt: p.debt },
      })),
    },
  });

describe("gate rules: which repositories a policy judges", () => {
  it("each policy judges the kinds it is written for and no other (neutrality: projects and plugins; api, community: projects; drift: forks; deps: dependents)", () => {
    const policies = {
      neutrality: { lint: { reason: R }, concentration: { reason: R, maxTopShare: { code: 0.5 } } },
      api: { unannounced: { reason: R }, grace: { reason: R, minReleases: 1 }, bump: { reason: R } },
      drift: { debtGrowth: { reason: R, maxPercent: 10 }, baseAge: { reason: R, maxDays: 10 } },
      community: { elephantFactor: { reason: R, min: 2 }, topShare: { reason: R, max: 0.5 }, ownership: { reason: R, maxSingleOrganizationShare: 0.5 } },
      deps: { lag: { reason: R, maxDays: 10 }, companions: { reason: R, sets: [["core==1.0", "down==1.0"]] } },
    };
    // Nothing stored: every pair the policy judges is an error naming the missing result, so the pairs show.
    const r = run(policies, [repo("core", "project"), repo("plug", "plugin"), repo("vf", "fork"), repo("down", "downstream")], { companions: { "core==1.0 down==1.0": { error: "x" } } });
    expect(r.results.map((x) => `${x.policy} ${x.repository}`)).toEqual([
      "neutrality.lint core",
      "neutrality.lint plug",
      "neutrality.concentration core",
      "neutrality.concentration plug",
      "api.unannounced core",
      "api.grace core",
      "api.bump core",
      "drift.debtGrowth vf",
      "drift.baseAge vf",
      "community.elephantFactor core",
      "community.topShare core",
      "community.ownership core",
      "deps.lag plug",
      "deps.lag down",
      "deps.companions down",
    ]);
    expect(r.results.every((x) => x.status === "error")).toBe(true);
  });

  it("a companion set is judged on its first plugin or downstream, else its first project, never on a fork", () => {
    const repos = [repo("core", "project"), repo("vf", "fork"), repo("plug", "plugin"), repo("down", "downstream"), repo("aux", "project")];
    const owner = (set: string[], companions = {}) => companionOwner(set, { repositories: repos, companions });
    expect(owner(["core==1", "plug==1"])).toBe("plug");
    expect(owner(["down==1", "plug==1"])).toBe("down");
    expect(owner(["vf==1", "core==1"])).toBe("core");
    expect(owner(["aux==1", "core==1"])).toBe("aux");
    // A name the portfolio does not know (the check's error says so) does not hide the set from its project.
    expect(owner(["ghost==1", "core==1"], { "ghost==1 core==1": { error: "not in the portfolio: ghost" } })).toBe("core");
  });

  it("a companion pin naming a repository by its package is judged on that repository (deps check resolved it)", () => {
    const repos = [repo("core", "project", { deps: {} }), repo("ascend", "plugin", { deps: {} })];
    const set = ["vllm-ascend==0.9.1", "core==1.0"];
    const answer = { schemaVersion: 1, chosen: [{ name: "ascend", version: "0.9.1", release: "refs/tags/v0.9.1" }, { name: "core", version: "1.0", release: "refs/tags/v1.0" }], conflicts: [], shared: [], coInstallable: true };
    const r = run({ deps: { companions: { reason: R, sets: [set] } } }, repos, { companions: { [set.join(" ")]: answer as never } });
    expect(r.results.map((x) => [x.repository, x.status])).toEqual([["ascend", "pass"]]);
  });

  it("each dependent judges its own companion sets only, and a set no check ran for is an error saying so", () => {
    const repos = [repo("core", "project", { deps: {} }), repo("down", "downstream", { deps: {} }), repo("plug", "plugin", { deps: {} })];
    const sets = [["core==1", "down==1"], ["core==1", "plug==1"]];
    const answer = (names: string[]) => ({ schemaVersion: 1, chosen: names.map((name) => ({ name, version: "1", release: "v1" })), conflicts: [], shared: [], coInstallable: true });
    const r = run({ deps: { companions: { reason: R, sets } } }, repos, { companions: { "core==1 down==1": answer(["core", "down"]) as never, "core==1 plug==1": answer(["core", "plug"]) as never } });
    expect(r.results.map((x) => [x.repository, x.summary.split(":")[0], (x.evidence.checked as { set: string[] }[]).map((c) => c.set.join(" "))])).toEqual([
      ["down", "1 companion set", ["core==1 down==1"]],
      ["plug", "1 companion set", ["core==1 plug==1"]],
    ]);
    const unchecked = run({ deps: { companions: { reason: R, sets: [sets[0]!] } } }, repos, { companions: {} }).results[0]!;
    expect([unchecked.status, unchecked.summary]).toEqual(["error", "could not judge: companion set core==1 down==1 was not checked"]);
  });
});

describe("gate rules: refs, versions and summaries at their edges", () => {
  it("a version has as many digits as its tag: v10.20.30 is 10.20.30, not 0.2.3", () => {
    expect(versionOf("refs/tags/v10.20.30")).toEqual([10, 20, 30]);
    expect(versionOf("v2.11")).toEqual([2, 11, 0]);
    expect(versionOf("v2")).toBeNull();
  });

  it("a ref is shortened by its leading refs/heads|tags|remotes/ only, not by the same text inside the name", () => {
    const r = run({ drift: { baseAge: { reason: R, maxDays: 1 } } }, [fork("vf", [{ ref: "refs/heads/users/refs/tags/tip", debt: 1, baseAgeDays: 5 }])]).results[0]!;
    expect(r.findings.map((f) => f.fingerprint)).toEqual(["users/refs/tags/tip"]);
    const short = run({ drift: { baseAge: { reason: R, maxDays: 1 } } }, [fork("vf", [{ ref: "release/refs/tags/tip", debt: 1, baseAgeDays: 5 }])]).results[0]!;
    expect(short.findings.map((f) => f.fingerprint)).toEqual(["release/refs/tags/tip"]);
  });

  it("api.grace looks at the newest `releases` releases (2: both), and its summary lists them and the minimums", () => {
    const h = apiOf([
      { ref: "v1", previous: null },
      { ref: "v2", previous: "v1", breaks: [{ object: "pkg.f", verdict: "announced", graceReleases: 0, graceDays: 3 }] },
      { ref: "v3", previous: "v2" },
    ]);
    const at = (t: Record<string, number>) => run({ api: { grace: { reason: R, ...t } } }, [repo("core", "project", { api: h })]).results[0]!;
    expect(at({ minReleases: 1 }).status).toBe("pass"); // the newest release, v3, removed nothing
    const two = at({ minReleases: 1, minDays: 7, releases: 2 });
    expect(two.status).toBe("fail");
    expect(two.summary).toBe("1 announced break in v2, v3, 1 with less grace than 1 releases and 7 days");
    expect(two.findings.map((f) => f.message)).toEqual(["v2: pkg.f removed after 0 releases (min 1) and 3 days (min 7) of deprecation"]);
    const none = run({ api: { grace: { reason: R, minDays: 7 } } }, [repo("core", "project", { api: apiOf([{ ref: "v1", previous: null }]) })]).results[0]!;
    expect(none.summary).toBe("0 announced breaks in no release, 0 with less grace than 7 days");
  });

  it("drift.debtGrowth: from 0 to 0 lines is 0% growth, from 0 to more is growth from 0", () => {
    const at = (debts: number[]) => run({ drift: { debtGrowth: { reason: R, maxPercent: 0 } } }, [fork("vf", debts.map((debt, i) => ({ ref: `r${i}`, debt })))]).results[0]!;
    expect([at([0, 0]).status, at([0, 0]).summary]).toEqual(["pass", "private debt 0 → 0 lines from r0 to r1: 0% (max 0%)"]);
    expect(at([0, 0]).evidence.growthPercent).toBe(0);
    expect([at([0, 2]).status, at([0, 2]).summary]).toEqual(["fail", "private debt 0 → 2 lines from r0 to r1: from 0 (max 0%)"]);
  });

  it("community.ownership: without CODEOWNERS the evidence still names the ref and commit read; over the ceiling each single-organisation rule is a finding saying whose", () => {
    const c = (ownership: unknown) => ({ ref: "main", commit: "d".repeat(40), period: "quarter", coverage: 1, organizations: [], periods: [], ownership });
    const none = run({ community: { ownership: { reason: R, maxSingleOrganizationShare: 0 } } }, [repo("core", "project", { community: c(null) })]).results[0]!;
    expect(none.evidence).toEqual({ analyzer: "community", computedAt: "2026-01-02T00:00:00.000Z", ref: "main", commit: "d".repeat(40) });
    const owned = {
      file: "CODEOWNERS",
      singleOrganizationShare: { files: 1, lines: 0.8 },
      rules: [
        { line: 4, pattern: "/kernels/", owners: ["@a", "@b"], organizations: ["X"], verdict: "single-organization", files: 2, lines: 80 },
        { line: 5, pattern: "/docs/", owners: ["@a", "@c"], organizations: ["X", "Y"], verdict: "multi-organization", files: 1, lines: 20 },
      ],
    };
    const over = run({ community: { ownership: { reason: R, maxSingleOrganizationShare: 0.5 } } }, [repo("core", "project", { community: c(owned) })]).results[0]!;
    expect(over.findings.map((f) => [f.fingerprint, f.message, f.line])).toEqual([["/kernels/", "CODEOWNERS:4: /kernels/ is owned by X alone (80 lines)", 4]]);
  });

  it("deps.lag: each dependent's first release is its own; a measured lag names the release that admitted it; the summary lists every measured lag", () => {
    const matrix = {
      dependents: [
        { name: "early", releases: [{ ref: "refs/tags/v0.1.0", version: "0.1.0", date: "2024-01-01T00:00:00Z" }] },
        { name: "late", releases: [{ ref: "refs/tags/v0.1.0", version: "0.1.0", date: "2025-06-01T00:00:00Z" }] },
      ],
      lag: [
        // Released before "late" existed, never admitted by it: not lag for "late".
        { project: "core", version: "1.0.0", date: "2025-01-01T00:00:00Z", dependent: "late", firstRelease: null, days: null },
        { project: "core", version: "2.0.0", date: "2025-07-01T00:00:00Z", dependent: "late", firstRelease: "refs/tags/v0.2.0", days: 40 },
        { project: "core", version: "2.1.0", date: "2025-07-02T00:00:00Z", dependent: "late", firstRelease: "refs/tags/v0.2.0", days: 39 },
      ],
    };
    const r = run({ deps: { lag: { reason: R, maxDays: 30 } } }, [repo("late", "plugin")], { portfolio: { "deps-matrix": ok(matrix) }, today: "2025-12-01" }).results[0]!;
    expect(r.findings.map((f) => f.message)).toEqual(["core 2.0.0: late took 40 days to admit it (v0.2.0; max 30)", "core 2.1.0: late took 39 days to admit it (v0.2.0; max 30)"]);
    expect(r.summary).toBe("upgrade lag core 2.0.0 40d, core 2.1.0 39d (max 30 days)");
    // With no first release of its own recorded, the release that admitted it is not named.
    const unnamed = run({ deps: { lag: { reason: R, maxDays: 30 } } }, [repo("late", "plugin")], { portfolio: { "deps-matrix": ok({ ...matrix, lag: [{ ...matrix.lag[1]!, firstRelease: null }] }) }, today: "2025-12-01" }).results[0]!;
    expect(unnamed.findings.map((f) => f.message)).toEqual(["core 2.0.0: late took 40 days to admit it (; max 30)"]);
  });
});

describe("gate rules: incomplete evidence", () => {
  it("files unread are the most any part of the result missed; a part without a missing count, or null, changes nothing", () => {
    expect(unread({ coverage: { files: 10, missing: 2 } })).toEqual({ files: 10, missing: 2 });
    expect(unread({ coverage: null, footprint: { coverage: { files: 8, missing: 1 } } })).toEqual({ files: 8, missing: 1 });
    expect(unread({ coverage: { files: 3 }, lint: { coverage: { files: 8, missing: 1 } } })).toEqual({ files: 8, missing: 1 });
    expect(unread({ coverage: { files: 10, missing: 0 } })).toBeNull();
    expect(unread(null)).toBeNull();
  });
});

describe("gate rules: what a waiver covers", () => {
  const finding = (fingerprint: string) => ({ fingerprint, message: fingerprint, evidence: {} });
  const result = (policy: string, fingerprints: string[]) => ({ policy, repository: "vf", reason: R, threshold: {}, status: "fail" as const, summary: "", evidence: {}, findings: fingerprints.map(finding) });
  const policiesWith = (waivers: unknown[]) => policiesSchema.parse({ waivers });
  const w = (policy: string, match: string) => ({ policy, repository: "vf", match, reason: "r", owner: "o", expires: "2030-01-01" });

  it("a waiver covers its own policy's and its own repository's findings only", () => {
    const g = applyWaivers({ policies: policiesWith([w("drift.baseAge", "*")]), today: "2026-01-01" }, [result("drift.debtGrowth", ["a"]), result("drift.baseAge", ["a"])], []);
    expect(g.results.map((r) => [r.policy, r.status])).toEqual([["drift.debtGrowth", "fail"], ["drift.baseAge", "waived"]]);
    const other = applyWaivers({ policies: policiesWith([{ ...w("drift.baseAge", "*"), repository: "vg" }]), today: "2026-01-01" }, [result("drift.baseAge", ["a"])], []);
    expect([other.results[0]!.status, other.waivers[0]!.status]).toEqual(["fail", "stale"]);
  });

  it("a failed result is waived only when every finding is; one waived of two still fails", () => {
    const g = applyWaivers({ policies: policiesWith([w("drift.baseAge", "a")]), today: "2026-01-01" }, [result("drift.baseAge", ["a", "b"])], []);
    expect([g.results[0]!.status, g.results[0]!.findings.map((f) => f.waivedBy ?? null)]).toEqual(["fail", [0, null]]);
  });

  it("a waiver points at its entry in steward.yaml (policies.waivers[index])", () => {
    const asked: (string | number)[][] = [];
    const g = applyWaivers({ policies: policiesWith([w("drift.baseAge", "x"), w("drift.baseAge", "a")]), today: "2026-01-01", locate: (p) => (asked.push(p), { file: "s.yaml", line: 20 + Number(p[2]) }) }, [result("drift.baseAge", ["a"])], []);
    expect(asked).toEqual([["policies", "waivers", 0], ["policies", "waivers", 1]]);
    expect(g.waivers.map((x) => x.definedAt)).toEqual([{ file: "s.yaml", line: 20 }, { file: "s.yaml", line: 21 }]);
  });

  it("a path glob's `**/` spans zero or more folders, `**` at the end anything below, `*` one segment", () => {
    const m = (glob: string, path: string) => globToRegExp(glob).test(path);
    expect([m("a/**/b.py", "a/b.py"), m("a/**/b.py", "a/x/b.py"), m("a/**/b.py", "a/x/y/b.py")]).toEqual([true, true, true]);
    expect([m("a/**/b.py", "ab.py"), m("a/**/b.py", "a/xb.py"), m("a/**/b.py", "b/a/b.py")]).toEqual([false, false, false]);
    expect([m("**/c.py", "c.py"), m("**/c.py", "d/e/c.py"), m("**/c.py", "dc.py")]).toEqual([true, true, false]);
    expect([m("a/**.py", "a/x/b.py"), m("a/**.py", "a/x/b_py")]).toEqual([true, false]);
    expect([m("a/**", "a/x/y"), m("a/*", "a/x"), m("a/*", "a/x/y"), m("a/?.py", "a/b.py"), m("a/?.py", "a/bc.py")]).toEqual([true, true, false, true, false]);
  });
});
