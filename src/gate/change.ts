import { realpathSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { apiDiff } from "../analyzers/api/index.js";
import { drift } from "../analyzers/drift/index.js";
import type { DriftMulti } from "../analyzers/drift/types.js";
import { neutralityLint } from "../analyzers/neutrality/index.js";
import { loadBaseline, waiversFrom } from "../analyzers/neutrality/policy.js";
import { ConfigError, InputError } from "../errors.js";
import { diffCommits } from "../git/diff.js";
import { Repository } from "../git/repository.js";
import { configLocator, loadConfig, repositoriesOf, type PortfolioConfig } from "../portfolio/config.js";
import { packOfAbstraction } from "../portfolio/scan.js";
import { applyWaivers } from "./judge.js";
import { policiesSchema, ruleFor, type Policies } from "./schema.js";
import type { GateFinding, GateResult, PolicyResult } from "./types.js";

/**
 * `steward check --repo DIR --base REF --head REF`: one change (a pull
 * request) judged by the policies that apply to a change. Only regressions
 * fail: API breaks between the merge base and head, lint findings on lines
 * the change adds, and, for a fork, private debt growth and a base that got
 * older than allowed.
 */

/** Policies of a change when no steward.yaml is given. */
export const DEFAULT_CHANGE_POLICIES: Policies = policiesSchema.parse({
  api: { unannounced: { reason: "Deprecate before you remove: a public API may break only after a release that warned about it." } },
  neutrality: { lint: { reason: "Generic code must reach devices through the project's abstraction, not hard-code a vendor.", maxNew: 0 } },
});

export interface ChangeOptions {
  repo: string;
  base: string;
  head: string;
  /** steward.yaml with the policies (and, for a portfolio repository, its packages, abstraction, fork upstream). */
  config?: string;
  /** Which repository of the config the change is in (default: the one whose path is --repo). */
  repository?: string;
  today?: string;
  cacheDir?: string;
}

function sameDir(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** The portfolio entry of the changed repository, if the config names it. */
function entryOf(c: PortfolioConfig | null, o: ChangeOptions): { name: string; kind: "project" | "fork" | "plugin" | "downstream" } | null {
  if (!c) return null;
  const repos = repositoriesOf(c);
  if (o.repository) {
    const r = repos.find((x) => x.name === o.repository);
    if (!r) throw new InputError(`--repository: no repository named '${o.repository}' in ${o.config} (known: ${repos.map((x) => x.name).join(", ")})`);
    return r;
  }
  return repos.find((x) => !x.isUrl && sameDir(x.location, o.repo)) ?? null;
}

/** Lines each file gains in the change (head side), from the zero-context diff of merge base -> head. */
async function addedLines(repo: Repository, from: string, to: string): Promise<{ files: number; lines: Map<string, Set<number>> }> {
  const diffs = await diffCommits(repo.gitDir, from, to);
  const lines = new Map<string, Set<number>>();
  for (const d of diffs) {
    if (d.status === "D") continue;
    const set = new Set<number>();
    for (const h of d.hunks) for (let i = 0; i < h.newLines; i++) set.add(h.newStart + i);
    lines.set(d.path, set);
  }
  return { files: diffs.length, lines };
}

export async function changeCheck(o: ChangeOptions): Promise<GateResult> {
  const c = o.config ? loadConfig(o.config) : null;
  const policies = c ? c.policies : DEFAULT_CHANGE_POLICIES;
  const entry = entryOf(c, o);
  const name = entry?.name ?? basename(resolve(o.repo));
  const today = o.today ?? new Date().toISOString().slice(0, 10);
  const locate = c ? configLocator(c.file) : null;
  const definedAt = (path: (string | number)[]) => (c && locate ? { definedAt: { file: o.config!, line: locate(path) } } : {});

  const repo = await Repository.open(o.repo);
  let base: string;
  let head: string;
  let from: string;
  let changed: Awaited<ReturnType<typeof addedLines>>;
  try {
    [base, head] = await Promise.all([repo.resolveCommit(o.base), repo.resolveCommit(o.head)]);
    // What the pull request shows: head against its merge base with the target.
    from = (await repo.mergeBase(base, head)) ?? base;
    changed = await addedLines(repo, from, head);
  } finally {
    repo.close();
  }

  const results: PolicyResult[] = [];
  const rule = (id: string) => ruleFor(policies, id, name);
  const start = (id: string, s: NonNullable<ReturnType<typeof rule>>) => {
    const { reason, ...threshold } = s;
    const [g, r] = id.split(".") as [string, string];
    return { policy: id, repository: name, reason, threshold, ...definedAt(["policies", g, r]) };
  };

  const project = c && entry && (entry.kind === "project" || entry.kind === "plugin" || entry.kind === "downstream") ? [...c.projects, ...c.plugins, ...c.downstreams].find((p) => p.name === entry.name) : undefined;
  const packages = project?.packages.length ? { packages: project.packages } : {};

  const unannounced = rule("api.unannounced");
  if (unannounced && entry?.kind !== "fork") {
    const d = await apiDiff({ repo: o.repo, from, to: head, ...packages });
    const findings: GateFinding[] = d.breaking
      .filter((b) => b.deprecation.verdict === "unannounced")
      .map((b) => ({
        fingerprint: `change:${b.object}`,
        message: `${b.object} (${b.kind}${b.parts.length ? `: ${b.parts.map((p) => p.kind).join(", ")}` : ""}) breaks without a deprecation at the base`,
        object: b.object,
        path: b.to?.file ?? b.file,
        line: b.to?.line ?? b.line,
        ref: o.head,
        evidence: { kind: b.kind, parts: b.parts, was: { file: b.file, line: b.line }, ...(b.to ? { now: b.to } : {}) },
      }));
    results.push({ ...start("api.unannounced", unannounced), status: findings.length ? "fail" : "pass", summary: `${d.summary.breaking} API break${d.summary.breaking === 1 ? "" : "s"} in the change, ${d.summary.announced} announced, suggested bump ${d.suggestedBump}`, evidence: { analyzer: "api", base: from, head, packages: d.packages, packagesFrom: d.packagesFrom, breaking: d.summary.breaking, announced: d.summary.announced, warnings: d.warnings }, findings });
  }

  const lint = rule("neutrality.lint");
  if (lint && entry?.kind !== "fork") {
    const lintWaivers = policies.neutrality?.waivers;
    const waivers = lintWaivers ? waiversFrom({ waivers: lintWaivers }, `${o.config ?? "config"}: policies.neutrality`) : [];
    const baselineName = lint.baseline as string | undefined;
    if (baselineName && !c) throw new ConfigError("a lint baseline needs --config");
    const baseline = baselineName ? loadBaseline(resolve(dirname(c!.file), baselineName)) : undefined;
    const abstraction = c?.projects.find((p) => p.name === name)?.abstraction;
    const pack = packOfAbstraction(abstraction);
    const r = await neutralityLint({ repo: o.repo, ref: head, waivers, ...(baseline ? { baseline } : {}), ...(pack ? { pack } : {}), ...(abstraction ? { abstraction } : {}) });
    const onChanged = r.findings.filter((f) => changed.lines.get(f.file)?.has(f.line));
    const open = onChanged.filter((f) => !f.waived && !f.baseline);
    const maxNew = Number(lint.maxNew ?? 0);
    const findings: GateFinding[] =
      open.length > maxNew
        ? open.map((f) => ({ fingerprint: `${f.rule}:${f.file}:${f.snippet.replace(/\s+/g, " ").trim()}`, message: `${f.file}:${f.line}: ${f.rule} hard-codes ${f.vendor}: ${f.snippet.trim()} (use ${f.suggestion})`, path: f.file, line: f.line, ref: o.head, evidence: { rule: f.rule, vendor: f.vendor, snippet: f.snippet, suggestion: f.suggestion } }))
        : [];
    results.push({ ...start("neutrality.lint", lint), status: findings.length ? "fail" : "pass", summary: `${open.length} new lint finding${open.length === 1 ? "" : "s"} on changed lines (max ${maxNew}); ${r.findings.length} in the whole tree at head, ${onChanged.length - open.length} on changed lines waived or in the baseline`, evidence: { analyzer: "neutrality", head, pack: r.pack.id, tree: r.findings.length, onChangedLines: onChanged.length }, findings });
  }

  // A fork: its drift against upstream at base and at head (the refs themselves: a fork release is
  // often not an ancestor of the next one); only a regression fails.
  const growth = rule("drift.debtGrowth");
  const age = rule("drift.baseAge");
  const fork = c && entry?.kind === "fork" ? c.forks.find((f) => f.name === entry.name) : undefined;
  if (fork && (growth || age)) {
    const upstream = repositoriesOf(c!).find((x) => x.name === fork.of)!;
    const upProject = c!.projects.find((p) => p.name === fork.of)!;
    const d = (await drift({ upstreamRepo: upstream.location, forkRepo: o.repo, upstream: upProject.branch, forks: [base, head], cacheDir: o.cacheDir ?? c!.cacheDir })) as DriftMulti;
    const [before, after] = d.forks as [DriftMulti["forks"][0], DriftMulti["forks"][0]];
    const evidence = { analyzer: "drift", upstream: d.upstream, base: { commit: before.fork.commit, debt: before.netPatch.debt, baseAgeDays: before.baseAgeDays }, head: { commit: after.fork.commit, debt: after.netPatch.debt, baseAgeDays: after.baseAgeDays } };
    if (growth) {
      const max = Number(growth.maxPercent);
      const pct = before.netPatch.debt === 0 ? (after.netPatch.debt > 0 ? Infinity : 0) : ((after.netPatch.debt - before.netPatch.debt) / before.netPatch.debt) * 100;
      const shown = Number.isFinite(pct) ? `${Math.round(pct * 10) / 10}%` : "from 0";
      const findings: GateFinding[] = pct > max ? [{ fingerprint: "change:debtGrowth", message: `private debt grows ${shown} (${before.netPatch.debt} → ${after.netPatch.debt} lines) in this change, more than ${max}%`, ref: o.head, evidence: { before: before.netPatch.debt, after: after.netPatch.debt } }] : [];
      results.push({ ...start("drift.debtGrowth", growth), status: findings.length ? "fail" : "pass", summary: `private debt ${before.netPatch.debt} → ${after.netPatch.debt} lines: ${shown} (max ${max}%)`, evidence, findings });
    }
    if (age) {
      const max = Number(age.maxDays);
      // Only a regression: the change makes the base older than allowed (a rebase onto newer upstream passes).
      const worse = after.baseAgeDays > max && after.baseAgeDays > before.baseAgeDays;
      const findings: GateFinding[] = worse ? [{ fingerprint: "change:baseAge", message: `the change leaves the fork on a base ${after.baseAgeDays} days old (was ${before.baseAgeDays}; max ${max})`, ref: o.head, evidence: { before: before.baseAgeDays, after: after.baseAgeDays, base: after.base.commit } }] : [];
      results.push({ ...start("drift.baseAge", age), status: findings.length ? "fail" : "pass", summary: `base age ${before.baseAgeDays} → ${after.baseAgeDays} days (max ${max}; only a change that makes it worse fails)`, evidence, findings });
    }
  }

  const warnings = results.length ? [] : ["no policy applies to this change (set api.unannounced, neutrality.lint or, for a fork, drift.* in steward.yaml)"];
  const locateAt = c && locate ? { locate: (path: (string | number)[]) => ({ file: o.config!, line: locate(path) }) } : {};
  return applyWaivers({ policies, today, config: o.config ?? null, ...locateAt }, results, warnings, "change", { change: { repository: name, base: { ref: o.base, commit: base }, head: { ref: o.head, commit: head }, changedFiles: changed.files } }, name);
}
