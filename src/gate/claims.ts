import type { ApiHistory } from "../analyzers/api/index.js";
import type { CommunityResult } from "../analyzers/community/types.js";
import { codeownersPattern } from "../analyzers/community/ownership.js";
import type { NeutralityFootprint } from "../analyzers/neutrality/types.js";
import type { Stored } from "./judge.js";
import type { ClaimKind, ClaimSpec } from "./schema.js";
import type { ClaimResult, ClaimStatus } from "./types.js";

/**
 * Claims a project makes about itself ("deprecation policy: one release",
 * "supports AMD", "no single-vendor ownership of core/"), re-proven from the
 * scan's evidence on every run: a claim nobody re-proves cannot stay green.
 * Pure functions of stored results.
 */

export function kindOf(c: ClaimSpec): ClaimKind {
  return c.deprecation ? "deprecation" : c.supports ? "supports" : "ownership";
}

/** The analyzer whose result proves a claim of this kind. */
export function analyzerOf(kind: ClaimKind): string {
  return kind === "deprecation" ? "api" : kind === "supports" ? "neutrality" : "community";
}

/** The claim as people read it, when steward.yaml does not word it. */
export function claimText(c: ClaimSpec): string {
  if (c.claim) return c.claim;
  if (c.deprecation) return `deprecation policy: ${c.deprecation.releases} release${c.deprecation.releases === 1 ? "" : "s"}${c.deprecation.days ? ` and ${c.deprecation.days} days` : ""}`;
  if (c.supports) return `supports: ${c.supports.join(", ")}`;
  return `no single-vendor ownership of ${c.ownership!.path}`;
}

interface Proof {
  status: ClaimStatus;
  why: string;
  evidence: Record<string, unknown>;
  /** A date the evidence itself carries (the release that broke a deprecation claim). */
  since?: string | null;
}

/** Proves one claim against one analyzer result. */
export function prove(c: ClaimSpec, result: unknown): Proof {
  if (c.deprecation) {
    const h = result as ApiHistory;
    const need = c.deprecation;
    const rels = h.releases.filter((r) => r.previous !== null && (!need.since || r.date.slice(0, 10) >= need.since));
    const bad = rels.flatMap((r) =>
      r.breaks
        .filter((b) => b.verdict !== "announced" || (b.graceReleases ?? 0) < need.releases || (need.days !== undefined && (b.graceDays ?? 0) < need.days))
        .map((b) => ({ release: r.ref, date: r.date, commit: r.commit, object: b.object, kind: b.kind, verdict: b.verdict, graceReleases: b.graceReleases ?? null, graceDays: b.graceDays ?? null })),
    );
    const breaks = rels.reduce((n, r) => n + r.breaking, 0);
    if (bad.length) {
      const first = bad[0]!;
      const how = first.verdict === "announced" ? `after ${first.graceReleases} releases / ${first.graceDays} days of deprecation` : "without a deprecation";
      return { status: "lapsed", why: `${first.object} broke in ${first.release.replace(/^refs\/tags\//, "")} ${how}${bad.length > 1 ? ` (and ${bad.length - 1} more)` : ""}`, evidence: { releases: rels.length, breaks, violations: bad }, since: first.date };
    }
    return { status: "verified", why: `${breaks} breaks across ${rels.length} releases, each announced at least ${need.releases} release${need.releases === 1 ? "" : "s"}${need.days ? ` and ${need.days} days` : ""} before`, evidence: { releases: rels.map((r) => ({ ref: r.ref, date: r.date, breaking: r.breaking, announced: r.announced })), breaks } };
  }
  if (c.supports) {
    const fp = (result as { footprint: NeutralityFootprint }).footprint;
    const per = c.supports.map((v) => {
      const layers = fp.vendors[v as keyof typeof fp.vendors] ?? {};
      const code = (layers.code?.lines ?? 0) + (layers.kernels?.lines ?? 0);
      const tests = layers.tests?.lines ?? 0;
      const ci = layers.ci?.lines ?? 0;
      const missing = [code ? "" : "code", tests ? "" : "tests", ci ? "" : "CI"].filter(Boolean);
      return { vendor: v, code, tests, ci, softFailCi: layers.ci?.softFail ?? 0, missing };
    });
    const lacking = per.filter((p) => p.missing.length);
    return lacking.length
      ? { status: "lapsed", why: lacking.map((p) => `${p.vendor} has no ${p.missing.join(", ")}`).join("; "), evidence: { ref: fp.ref, commit: fp.commit, vendors: per } }
      : { status: "verified", why: per.map((p) => `${p.vendor}: ${p.code} code, ${p.tests} test, ${p.ci} CI lines`).join("; "), evidence: { ref: fp.ref, commit: fp.commit, vendors: per } };
  }
  const o = c.ownership!;
  const r = result as CommunityResult;
  if (!r.ownership) return { status: "lapsed", why: "no CODEOWNERS file: ownership cannot be shown", evidence: { ref: r.ref, commit: r.commit } };
  const path = o.path.replace(/^\//, "");
  const probe = path.endsWith("/") ? `${path}x` : path;
  // CODEOWNERS: the last matching rule wins, so the rules that decide anything under PATH are the last
  // one matching PATH itself and every later, more specific one inside it.
  const covering = r.ownership.rules.filter((x) => codeownersPattern(x.pattern).test(probe));
  const last = covering.at(-1);
  const rules = r.ownership.rules.filter((x) => x === last || (x.line > (last?.line ?? 0) && x.pattern.replace(/^\//, "").startsWith(path)));
  const single = rules.filter((x) => x.verdict === "single-organization");
  const evidence = { ref: r.ref, commit: r.commit, file: r.ownership.file, rules: rules.map((x) => ({ line: x.line, pattern: x.pattern, organizations: x.organizations, verdict: x.verdict })) };
  if (!rules.length) return { status: "lapsed", why: `no CODEOWNERS rule covers ${o.path}`, evidence };
  if (single.length) return { status: "lapsed", why: single.map((x) => `${r.ownership!.file}:${x.line} ${x.pattern} is owned by ${x.organizations.join(", ")} alone`).join("; "), evidence };
  return { status: "verified", why: rules.map((x) => `${r.ownership!.file}:${x.line} ${x.pattern}: ${x.organizations.join(", ") || "unresolved owners"}`).join("; "), evidence };
}

/**
 * Proves a claim on the latest stored result and dates its state: `history`
 * holds the repository's stored results of the analyzer, oldest first; the
 * state holds since the first of the newest run of results that agree.
 */
export function proveClaim(c: ClaimSpec, history: Stored[]): ClaimResult {
  const kind = kindOf(c);
  const base = { project: c.project, claim: claimText(c), kind };
  const latest = history.at(-1);
  if (!latest || !latest.ok) {
    return { ...base, status: "lapsed", since: latest?.computedAt ?? null, checkedAt: latest?.computedAt ?? null, why: latest ? `no evidence: ${analyzerOf(kind)} failed: ${latest.error ?? "unknown error"}` : `no evidence: no ${analyzerOf(kind)} result in the store (run steward scan)`, evidence: { analyzer: analyzerOf(kind) } };
  }
  const p = prove(c, latest.result);
  let since = latest.computedAt;
  for (let i = history.length - 2; i >= 0; i--) {
    const h = history[i]!;
    if (!h.ok || prove(c, h.result).status !== p.status) break;
    since = h.computedAt;
  }
  return { ...base, status: p.status, since: p.since ?? since, checkedAt: latest.computedAt, why: p.why, evidence: { analyzer: analyzerOf(kind), computedAt: latest.computedAt, ...p.evidence } };
}

/** shields.io endpoint JSON: a README badge that turns grey by itself when the claim lapses. */
export function badgeOf(c: ClaimResult): { schemaVersion: 1; label: string; message: string; color: string } {
  return { schemaVersion: 1, label: c.claim, message: c.status, color: c.status === "verified" ? "brightgreen" : "lightgrey" };
}

/** A file name for a claim's badge: project and claim, lower case, dashes. */
export function badgeFile(c: ClaimResult): string {
  return `${c.project}--${c.claim.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}.json`;
}
