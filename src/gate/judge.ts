import { applyBaseline, type Baseline } from "../analyzers/neutrality/lint.js";
import { attributionLabel } from "../analyzers/neutrality/taxonomy.js";
import type { LintFinding, NeutralityFootprint, NeutralityLint } from "../analyzers/neutrality/types.js";
import type { ApiHistory } from "../analyzers/api/index.js";
import type { CommunityResult } from "../analyzers/community/types.js";
import type { CheckResult, DepsPortfolio } from "../analyzers/deps/portfolio.js";
import type { DriftHistory } from "../analyzers/drift/types.js";
import type { RepositoryKind } from "../portfolio/config.js";
import { POLICY_IDS, ruleFor, type Policies, type RuleSettings } from "./schema.js";
import { GATE_SCHEMA_VERSION, type GateFinding, type GateResult, type PolicyResult, type WaiverResult } from "./types.js";
import { declaredIn } from "../report/format.js";

/**
 * The gate's judgement: pure functions from stored analyzer results and the
 * policies to verdicts, each with its evidence. Nothing here reads git or the
 * store (src/gate/index.ts does), so every threshold is tested on both sides.
 */

/** One analyzer's latest stored result for a repository. */
export interface Stored {
  ok: boolean;
  result: unknown;
  error: string | null;
  computedAt: string;
}

export interface RepositoryEvidence {
  name: string;
  kind: RepositoryKind;
  analyzers: Partial<Record<string, Stored>>;
}

export interface JudgeInput {
  policies: Policies;
  repositories: RepositoryEvidence[];
  /** Portfolio-wide results (the deps matrix). */
  portfolio: Partial<Record<string, Stored>>;
  /** YYYY-MM-DD: waivers expiring before this day are expired. */
  today: string;
  /** Lint baselines named by `neutrality.lint.baseline`, already loaded, by the name given. */
  baselines?: Record<string, Baseline>;
  /** Where a key path is in steward.yaml (for SARIF locations and people). */
  locate?: (path: (string | number)[]) => { file: string; line: number } | undefined;
  config?: string | null;
  /** `steward deps check` of each companion set (key: the set's pins joined by spaces), or why it could not run. */
  companions?: Record<string, CheckResult | { error: string }>;
}

/** What a rule measured: a one-line summary, the numbers read, and the findings (empty: pass). */
interface Measure {
  summary: string;
  evidence: Record<string, unknown>;
  findings: GateFinding[];
}

type Rule = {
  analyzer: string;
  /** Which repositories it applies to. */
  applies: (r: RepositoryEvidence) => boolean;
  /** Whether the rule has anything to judge for this repository with these settings (default: yes). */
  relevant?: (s: RuleSettings, r: RepositoryEvidence, input: JudgeInput) => boolean;
  /** null: nothing to judge for this repository (no result is reported). */
  measure: (s: RuleSettings, result: unknown, ctx: { repository: RepositoryEvidence; input: JudgeInput }) => Measure | null;
};

/** "1 break", "2 breaks". */
const n = (count: number, word: string, many = `${word}s`) => `${count} ${count === 1 ? word : many}`;
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const refName = (ref: string) => ref.replace(/^refs\/(heads|tags|remotes)\//, "");

/** A release's version from its tag name (v1.2.3, 1.2, release-0.4.0): [major, minor, patch], or null. */
export function versionOf(ref: string): [number, number, number] | null {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(refName(ref));
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

/**
 * The bump a version change made, read the way semantic versioning reads it
 * before 1.0 (0.y: a minor bump may break, so it counts as major; a patch bump as minor).
 */
export function bumpOf(from: [number, number, number], to: [number, number, number]): "major" | "minor" | "patch" | "none" {
  const [a, b, c] = from;
  const [x, y, z] = to;
  if (x !== a) return "major";
  if (y !== b) return x === 0 ? "major" : "minor";
  if (z !== c) return x === 0 ? "minor" : "patch";
  return "none";
}

/**
 * A companion set is judged once, on its first plugin or downstream, else its first project. A pin
 * may name a repository by one of its packages or in another spelling (`vllm-ascend==0.9.1` for the
 * plugin `ascend`): the repositories deps check chose for the pins say which it is. Pins count by
 * their own names too (the check may have failed), so a set naming something unknown still reaches
 * its first known project with the check's error rather than vanishing.
 */
export function companionOwner(set: string[], input: Pick<JudgeInput, "repositories" | "companions">): string | undefined {
  const kindOf = (name: string) => input.repositories.find((r) => r.name === name)?.kind;
  const checked = input.companions?.[set.join(" ")];
  const names = [...set.map((p) => p.split("==")[0]!), ...(checked && "chosen" in checked ? checked.chosen.map((c) => c.name) : [])];
  return names.find((x) => kindOf(x) === "plugin" || kindOf(x) === "downstream") ?? names.find((x) => kindOf(x) === "project") ?? names[0];
}

const BUMP_ORDER = { none: 0, patch: 1, minor: 2, major: 3 } as const;

function newestReleases(h: ApiHistory, n: number) {
  return h.releases.filter((r) => r.previous !== null).slice(-n);
}

export const RULES: Record<string, Rule> = {
  "neutrality.lint": {
    analyzer: "neutrality",
    applies: (r) => r.kind === "project" || r.kind === "plugin",
    measure: (s, result, { input }) => {
      const lint = structuredClone((result as { lint: NeutralityLint }).lint);
      const baselineName = s.baseline as string | undefined;
      if (baselineName) {
        const b = input.baselines?.[baselineName];
        if (!b) throw new Error(`baseline ${baselineName} not loaded`);
        applyBaseline(lint.findings, b);
      }
      const open = lint.findings.filter((f: LintFinding) => !f.waived && !f.baseline);
      const maxNew = Number(s.maxNew ?? 0);
      const waived = lint.findings.filter((f) => f.waived).length;
      const inBaseline = lint.findings.filter((f) => !f.waived && f.baseline).length;
      return {
        summary: `${n(open.length, "lint finding")} beyond the baseline (max ${maxNew}); ${inBaseline} in the baseline, ${waived} waived by the lint`,
        evidence: { ref: lint.ref, commit: lint.commit, pack: lint.pack.id, findings: lint.findings.length, open: open.length, inBaseline, lintWaived: waived },
        findings:
          open.length > maxNew
            ? open.map((f) => ({
                fingerprint: `${f.rule}:${f.file}:${f.snippet.replace(/\s+/g, " ").trim()}`,
                message: `${f.file}:${f.line}: ${f.rule} hard-codes ${f.vendor}: ${f.snippet.trim()} (use ${f.suggestion})`,
                path: f.file,
                line: f.line,
                ref: lint.ref,
                evidence: { rule: f.rule, vendor: f.vendor, snippet: f.snippet, suggestion: f.suggestion, commit: lint.commit },
              }))
            : [],
      };
    },
  },
  "neutrality.concentration": {
    analyzer: "neutrality",
    applies: (r) => r.kind === "project" || r.kind === "plugin",
    measure: (s, result) => {
      const fp = (result as { footprint: NeutralityFootprint }).footprint;
      const ceilings = (s.maxTopShare ?? {}) as Record<string, number>;
      const findings: GateFinding[] = [];
      const read: Record<string, unknown> = {};
      for (const [layer, max] of Object.entries(ceilings)) {
        const c = fp.concentration[layer as keyof typeof fp.concentration];
        read[layer] = { top: c.top, topShare: round(c.topShare), hhi: round(c.hhi), lines: c.lines };
        if (c.lines > 0 && c.topShare > max) {
          findings.push({
            fingerprint: layer,
            message: `${layer}: ${attributionLabel(String(c.top))} holds ${round(c.topShare * 100, 1)}% of vendor lines (max ${round(max * 100, 1)}%)`,
            ref: fp.ref,
            evidence: { layer, top: c.top, topShare: round(c.topShare), lines: c.lines, hhi: round(c.hhi), commit: fp.commit },
          });
        }
      }
      return { summary: Object.entries(ceilings).map(([l, m]) => `${l} top share ${round(fp.concentration[l as keyof typeof fp.concentration].topShare * 100, 1)}% (max ${round(m * 100, 1)}%)`).join(", ") || "no ceilings set", evidence: { ref: fp.ref, commit: fp.commit, layers: read }, findings };
    },
  },
  "api.unannounced": {
    analyzer: "api",
    applies: (r) => r.kind === "project",
    measure: (s, result) => {
      const h = result as ApiHistory;
      const rels = newestReleases(h, Number(s.releases ?? 1));
      const findings = rels.flatMap((rel) =>
        rel.breaks
          .filter((b) => b.verdict === "unannounced")
          .map((b) => ({
            fingerprint: `${refName(rel.ref)}:${b.object}`,
            message: `${refName(rel.ref)}: ${b.object} (${b.kind}) broke without a deprecation in an earlier release`,
            object: b.object,
            ref: rel.ref,
            evidence: { release: rel.ref, commit: rel.commit, date: rel.date, previous: rel.previous, kind: b.kind, verdict: b.verdict },
          })),
      );
      return {
        summary: `${n(findings.length, "unannounced break")} in ${rels.map((r) => refName(r.ref)).join(", ") || "no release"} (of ${n(rels.reduce((k, r) => k + r.breaking, 0), "break")})`,
        evidence: { releases: rels.map((r) => ({ ref: r.ref, commit: r.commit, date: r.date, breaking: r.breaking, announced: r.announced })) },
        findings,
      };
    },
  },
  "api.grace": {
    analyzer: "api",
    applies: (r) => r.kind === "project",
    measure: (s, result) => {
      const h = result as ApiHistory;
      const rels = newestReleases(h, Number(s.releases ?? 1));
      const minR = s.minReleases as number | undefined;
      const minD = s.minDays as number | undefined;
      const findings: GateFinding[] = [];
      for (const rel of rels) {
        for (const b of rel.breaks) {
          if (b.verdict !== "announced") continue;
          const short: string[] = [];
          if (minR !== undefined && (b.graceReleases ?? 0) < minR) short.push(`${b.graceReleases ?? 0} releases (min ${minR})`);
          if (minD !== undefined && (b.graceDays ?? 0) < minD) short.push(`${b.graceDays ?? 0} days (min ${minD})`);
          if (short.length) {
            findings.push({
              fingerprint: `${refName(rel.ref)}:${b.object}`,
              message: `${refName(rel.ref)}: ${b.object} removed after ${short.join(" and ")} of deprecation`,
              object: b.object,
              ref: rel.ref,
              evidence: { release: rel.ref, commit: rel.commit, date: rel.date, kind: b.kind, graceReleases: b.graceReleases ?? 0, graceDays: b.graceDays ?? 0 },
            });
          }
        }
      }
      const announced = rels.flatMap((r) => r.breaks.filter((b) => b.verdict === "announced"));
      return {
        summary: `${n(announced.length, "announced break")} in ${rels.map((r) => refName(r.ref)).join(", ") || "no release"}, ${findings.length} with less grace than ${[minR !== undefined ? `${minR} releases` : "", minD !== undefined ? `${minD} days` : ""].filter(Boolean).join(" and ") || "(no minimum set)"}`,
        evidence: { releases: rels.map((r) => ({ ref: r.ref, date: r.date, announced: r.announced, medianGraceReleases: r.medianGraceReleases, medianGraceDays: r.medianGraceDays })) },
        findings,
      };
    },
  },
  "api.bump": {
    analyzer: "api",
    applies: (r) => r.kind === "project",
    measure: (s, result) => {
      const h = result as ApiHistory;
      const rels = newestReleases(h, Number(s.releases ?? 1));
      const findings: GateFinding[] = [];
      const read: unknown[] = [];
      for (const rel of rels) {
        const from = versionOf(rel.previous!);
        const to = versionOf(rel.ref);
        const made = from && to ? bumpOf(from, to) : null;
        read.push({ ref: rel.ref, previous: rel.previous, suggested: rel.suggestedBump, made });
        if (!made || !rel.suggestedBump) continue;
        if (BUMP_ORDER[made] < BUMP_ORDER[rel.suggestedBump]) {
          findings.push({
            fingerprint: refName(rel.ref),
            message: `${refName(rel.previous!)} → ${refName(rel.ref)} is a ${made} bump; its API changes call for ${rel.suggestedBump} (${rel.breaking} breaks)`,
            ref: rel.ref,
            evidence: { release: rel.ref, commit: rel.commit, previous: rel.previous, suggested: rel.suggestedBump, made, breaking: rel.breaking, additions: rel.additions },
          });
        }
      }
      return { summary: read.map((x) => { const r = x as { ref: string; suggested: string | null; made: string | null }; return `${refName(r.ref)}: made ${r.made ?? "?"}, needed ${r.suggested ?? "?"}`; }).join("; ") || "no release", evidence: { releases: read }, findings };
    },
  },
  "drift.debtGrowth": {
    analyzer: "drift",
    applies: (r) => r.kind === "fork",
    measure: (s, result) => {
      const h = result as DriftHistory;
      const max = Number(s.maxPercent);
      const steps = h.history.slice(-2);
      const series = h.history.map((p) => ({ ref: p.fork.ref, date: p.date, debt: p.netPatch.debt }));
      if (steps.length < 2) return { summary: `one fork release (${steps[0] ? refName(steps[0].fork.ref) : "none"}): no growth to measure`, evidence: { series }, findings: [] };
      const [a, b] = steps as [(typeof steps)[0], (typeof steps)[0]];
      const growth = a.netPatch.debt === 0 ? (b.netPatch.debt > 0 ? Infinity : 0) : ((b.netPatch.debt - a.netPatch.debt) / a.netPatch.debt) * 100;
      const shown = Number.isFinite(growth) ? `${round(growth, 1)}%` : "from 0";
      return {
        summary: `private debt ${a.netPatch.debt} → ${b.netPatch.debt} lines from ${refName(a.fork.ref)} to ${refName(b.fork.ref)}: ${shown} (max ${max}%)`,
        evidence: { from: { ref: a.fork.ref, commit: a.fork.commit, debt: a.netPatch.debt }, to: { ref: b.fork.ref, commit: b.fork.commit, debt: b.netPatch.debt }, growthPercent: Number.isFinite(growth) ? round(growth, 1) : null, series },
        findings:
          growth > max
            ? [{ fingerprint: refName(b.fork.ref), message: `${refName(b.fork.ref)}: private debt grew ${shown} (${a.netPatch.debt} → ${b.netPatch.debt} lines) since ${refName(a.fork.ref)}, more than ${max}%`, ref: b.fork.ref, evidence: { commit: b.fork.commit, base: b.mergeBase, debt: b.netPatch.debt, previousDebt: a.netPatch.debt } }]
            : [],
      };
    },
  },
  "drift.baseAge": {
    analyzer: "drift",
    applies: (r) => r.kind === "fork",
    measure: (s, result) => {
      const h = result as DriftHistory;
      const p = h.history.at(-1);
      const max = Number(s.maxDays);
      if (!p) return { summary: "no fork ref", evidence: {}, findings: [] };
      return {
        summary: `${refName(p.fork.ref)} sits on a base ${p.baseAgeDays} days old (max ${max}), ${p.behind} upstream commits behind`,
        evidence: { ref: p.fork.ref, commit: p.fork.commit, base: p.base.commit, baseDate: p.base.date, baseAgeDays: p.baseAgeDays, behind: p.behind },
        findings: p.baseAgeDays > max ? [{ fingerprint: refName(p.fork.ref), message: `${refName(p.fork.ref)}: base ${p.base.commit.slice(0, 10)} is ${p.baseAgeDays} days older than the fork tip (max ${max})`, ref: p.fork.ref, evidence: { base: p.base.commit, baseDate: p.base.date, baseAgeDays: p.baseAgeDays } }] : [],
      };
    },
  },
  "community.elephantFactor": {
    analyzer: "community",
    applies: (r) => r.kind === "project",
    measure: (s, result) => {
      const c = result as CommunityResult;
      const p = c.periods.at(-1);
      const min = Number(s.min);
      if (!p) return { summary: "no commits", evidence: { ref: c.ref, commit: c.commit }, findings: [] };
      const worst = p.rolling.elephantFactor.worst;
      return {
        summary: `elephant factor ${p.rolling.elephantFactor.best}–${worst} over the ${p.rolling.periods} ${c.period}s to ${p.period}, judged on the worst bound ${worst} (min ${min})`,
        evidence: { ref: c.ref, commit: c.commit, period: p.period, window: p.rolling.periods, elephantFactor: p.rolling.elephantFactor, coverage: round(c.coverage) },
        findings: worst < min ? [{ fingerprint: "elephantFactor", message: `elephant factor's worst bound is ${worst} over the ${p.rolling.periods} ${c.period}s to ${p.period} (min ${min}): fewer organisations than that make half the commits if the unknown authors belong to the top one`, ref: c.ref, evidence: { period: p.period, elephantFactor: p.rolling.elephantFactor } }] : [],
      };
    },
  },
  "community.topShare": {
    analyzer: "community",
    applies: (r) => r.kind === "project",
    measure: (s, result) => {
      const c = result as CommunityResult;
      const p = c.periods.at(-1);
      const max = Number(s.max);
      if (!p) return { summary: "no commits", evidence: { ref: c.ref, commit: c.commit }, findings: [] };
      const worst = p.rolling.top1Share.worst;
      return {
        summary: `top organisation's share ${round(p.rolling.top1Share.best * 100, 1)}–${round(worst * 100, 1)}% over the ${p.rolling.periods} ${c.period}s to ${p.period} (max ${round(max * 100, 1)}%, judged on the worst bound)`,
        evidence: { ref: c.ref, commit: c.commit, period: p.period, window: p.rolling.periods, top1Share: p.rolling.top1Share, top: c.organizations[0]?.name ?? null },
        findings: worst > max ? [{ fingerprint: "topShare", message: `one organisation may hold ${round(worst * 100, 1)}% of the commits over the ${p.rolling.periods} ${c.period}s to ${p.period} (max ${round(max * 100, 1)}%)`, ref: c.ref, evidence: { period: p.period, top1Share: p.rolling.top1Share } }] : [],
      };
    },
  },
  "community.ownership": {
    analyzer: "community",
    applies: (r) => r.kind === "project",
    measure: (s, result) => {
      const c = result as CommunityResult;
      const max = Number(s.maxSingleOrganizationShare);
      if (!c.ownership) return { summary: "no CODEOWNERS file: no single-organisation ownership to measure", evidence: { ref: c.ref, commit: c.commit }, findings: [] };
      const o = c.ownership;
      const share = o.singleOrganizationShare.lines;
      const single = o.rules.filter((r) => r.verdict === "single-organization");
      return {
        summary: `${round(share * 100, 1)}% of owned lines have owners of one organisation only (max ${round(max * 100, 1)}%)`,
        evidence: { ref: c.ref, commit: c.commit, file: o.file, singleOrganizationShare: o.singleOrganizationShare },
        findings:
          share > max
            ? single.map((r) => ({ fingerprint: r.pattern, message: `${o.file}:${r.line}: ${r.pattern} is owned by ${r.organizations.join(", ")} alone (${r.lines} lines)`, path: o.file, line: r.line, ref: c.ref, evidence: { pattern: r.pattern, owners: r.owners, organizations: r.organizations, files: r.files, lines: r.lines } }))
            : [],
      };
    },
  },
  "deps.lag": {
    analyzer: "deps-matrix",
    applies: (r) => r.kind === "plugin" || r.kind === "downstream",
    measure: (s, result, { repository, input }) => {
      const m = result as DepsPortfolio;
      const max = Number(s.maxDays);
      const first = m.dependents.find((d) => d.name === repository.name)?.releases[0]?.date ?? null;
      const rows = m.lag.filter((l) => l.dependent === repository.name);
      const findings: GateFinding[] = [];
      for (const l of rows) {
        // A project release older than the dependent's first release is not lag: the dependent did not exist.
        if (l.days === null && (first === null || l.date < first)) continue;
        const days = l.days ?? Math.floor((Date.parse(`${input.today}T00:00:00Z`) - Date.parse(l.date)) / 86_400_000);
        if (days > max) {
          findings.push({
            fingerprint: `${l.project}==${l.version}`,
            message: l.days === null ? `${l.project} ${l.version} (${l.date.slice(0, 10)}): no ${repository.name} release admits it after ${days} days (max ${max})` : `${l.project} ${l.version}: ${repository.name} took ${days} days to admit it (${refName(l.firstRelease ?? "")}; max ${max})`,
            ref: l.firstRelease ?? undefined,
            evidence: { project: l.project, version: l.version, released: l.date, firstRelease: l.firstRelease, days },
          });
        }
      }
      const judged = rows.filter((l) => l.days !== null);
      return { summary: `upgrade lag ${judged.map((l) => `${l.project} ${l.version} ${l.days}d`).join(", ") || "none measured"} (max ${max} days)`, evidence: { lag: rows }, findings };
    },
  },
  "deps.companions": {
    // The releases are read again by the deps check (input.companions); the stored deps result says they were readable.
    analyzer: "deps",
    applies: (r) => r.kind !== "fork",
    relevant: (s, r, input) => (s.sets as string[][]).some((set) => companionOwner(set, input) === r.name),
    measure: (s, _result, { repository, input }) => {
      const sets = (s.sets as string[][]).filter((set) => companionOwner(set, input) === repository.name);
      const findings: GateFinding[] = [];
      const checked: unknown[] = [];
      for (const set of sets) {
        const key = set.join(" ");
        const r = input.companions?.[key];
        if (!r) throw new Error(`companion set ${key} was not checked`);
        if ("error" in r) {
          checked.push({ set, error: r.error });
          findings.push({ fingerprint: set.join(","), message: `${key}: ${r.error}`, evidence: { set, error: r.error } });
          continue;
        }
        checked.push({ set, coInstallable: r.coInstallable, chosen: r.chosen, shared: r.shared.map((x) => ({ name: x.name, witness: x.witness })) });
        for (const c of r.conflicts) {
          findings.push({
            // The file (a release's CUDA and ROCm requirement files are alternatives, each may clash) and, for a
            // shared requirement, the other side (one release may clash with two others) keep fingerprints apart.
            fingerprint: `${set.join(",")}:${c.kind}:${c.by}:${c.requires}:${c.file}${c.kind === "shared" ? `:${c.other.by}:${c.other.file}` : ""}`,
            message:
              c.kind === "pin"
                ? `${c.by} ${c.byVersion} requires ${c.requires}${c.specifier} (${declaredIn(c)}), which does not admit ${c.chosen}`
                : `${c.requires}: ${c.by} ${c.byVersion} requires ${c.specifier} (${declaredIn(c)}) and ${c.other.by} ${c.other.byVersion} requires ${c.other.specifier} (${declaredIn(c.other)}): no version satisfies both`,
            ref: r.chosen.find((x) => x.name === c.by)?.release,
            evidence: { set, conflict: c },
          });
        }
      }
      return { summary: `${n(sets.length, "companion set")}: ${findings.length ? "not co-installable" : "co-installable"} (portfolio pins and third-party requirements, as steward deps check)`, evidence: { checked }, findings };
    },
  },
};

/**
 * Files a stored result could not read (absent blobs of a partial clone), from the coverage the
 * analyzers record: a verdict on incomplete evidence says so.
 */
export function unread(result: unknown): { files: number; missing: number } | null {
  const r = result as { coverage?: unknown; footprint?: { coverage?: unknown }; lint?: { coverage?: unknown }; history?: { coverage?: unknown }[] } | null;
  const parts = [r?.coverage, r?.footprint?.coverage, r?.lint?.coverage, r?.history?.at(-1)?.coverage].filter((c): c is { files: number; missing: number } => typeof c === "object" && c !== null && typeof (c as { missing?: unknown }).missing === "number");
  const missing = Math.max(0, ...parts.map((c) => c.missing));
  return missing > 0 ? { files: Math.max(...parts.map((c) => c.files)), missing } : null;
}

/** A path glob (`*` within a segment, `**` across, `?` one character) as a regular expression. */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      out += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** Does a waiver's `match` cover a finding: "*", its fingerprint, its object path, or a glob over its path. */
export function waiverMatches(match: string, f: GateFinding): boolean {
  if (match === "*" || match === f.fingerprint) return true;
  if (f.object !== undefined && (match === f.object || f.object.startsWith(`${match}.`))) return true;
  if (f.path !== undefined && globToRegExp(match).test(f.path)) return true;
  return false;
}

/** Judges every policy on every repository it applies to, then applies the waivers. */
export function judge(input: JudgeInput): GateResult {
  const results: PolicyResult[] = [];
  const warnings: string[] = [];
  for (const id of POLICY_IDS) {
    const rule = RULES[id]!;
    for (const repo of input.repositories) {
      if (!rule.applies(repo)) continue;
      const s = ruleFor(input.policies, id, repo.name);
      if (!s || (rule.relevant && !rule.relevant(s, repo, input))) continue;
      const { reason, ...threshold } = s;
      const [g, r] = id.split(".") as [string, string];
      const over = (input.policies.repositories[repo.name] as Record<string, Record<string, unknown> | undefined> | undefined)?.[g]?.[r];
      const definedAt = input.locate?.(over !== undefined ? ["policies", "repositories", repo.name, g, r] : ["policies", g, r]);
      const base = { policy: id, repository: repo.name, reason, threshold, ...(definedAt ? { definedAt } : {}) };
      const stored = rule.analyzer === "deps-matrix" ? input.portfolio["deps-matrix"] : repo.analyzers[rule.analyzer];
      if (!stored || !stored.ok) {
        const why = !stored ? `no ${rule.analyzer} result in the store (run steward scan)` : `${rule.analyzer} failed: ${stored.error ?? "unknown error"}`;
        results.push({ ...base, status: "error", summary: why, evidence: { analyzer: rule.analyzer, ...(stored ? { computedAt: stored.computedAt, error: stored.error } : {}) }, findings: [] });
        continue;
      }
      try {
        const m = rule.measure(s, stored.result, { repository: repo, input });
        if (!m) continue;
        const gap = unread(stored.result);
        const summary = gap ? `${m.summary} [INCOMPLETE: ${gap.missing} of ${gap.files} files unread]` : m.summary;
        results.push({ ...base, status: m.findings.length ? "fail" : "pass", summary, evidence: { analyzer: rule.analyzer, computedAt: stored.computedAt, ...m.evidence, ...(gap ? { unread: gap } : {}) }, findings: m.findings });
        if (gap) warnings.push(`${id} on ${repo.name} was judged on incomplete evidence: ${gap.missing} of ${gap.files} files were absent from a partial clone and not read`);
      } catch (e) {
        results.push({ ...base, status: "error", summary: `could not judge: ${e instanceof Error ? e.message : String(e)}`, evidence: { analyzer: rule.analyzer, computedAt: stored.computedAt }, findings: [] });
      }
    }
  }
  return applyWaivers(input, results, warnings);
}

/** Marks findings covered by active waivers, re-grades each result, and reports expired and stale waivers. */
export function applyWaivers(input: Pick<JudgeInput, "policies" | "today" | "locate" | "config">, results: PolicyResult[], warnings: string[], mode: GateResult["mode"] = "portfolio", extra: Partial<GateResult> = {}, onlyRepository?: string): GateResult {
  // In change mode only the changed repository's waivers are in play (the others are neither used nor stale).
  const waivers: WaiverResult[] = input.policies.waivers.flatMap((w, index) => {
    if (onlyRepository !== undefined && w.repository !== onlyRepository) return [];
    const definedAt = input.locate?.(["policies", "waivers", index]);
    return [{ ...w, index, status: w.expires < input.today ? "expired" : "active", matched: 0, ...(definedAt ? { definedAt } : {}) }];
  });

  for (const r of results) {
    for (const f of r.findings) {
      const w = waivers.find((x) => x.status === "active" && x.policy === r.policy && x.repository === r.repository && waiverMatches(x.match, f));
      if (w) {
        f.waivedBy = w.index;
        w.matched++;
      }
    }
    if (r.status === "fail" && r.findings.every((f) => f.waivedBy !== undefined)) r.status = "waived";
  }
  // A waiver that covers nothing is stale (the finding is gone, or the waiver never matched): say so, so it is removed.
  // Not in change mode: a waiver for the repository's old findings has nothing to match in a change that adds none.
  if (mode === "portfolio") for (const w of waivers) if (w.status === "active" && w.matched === 0) w.status = "stale";
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const summary = { pass: count("pass"), fail: count("fail"), waived: count("waived"), error: count("error"), expiredWaivers: waivers.filter((w) => w.status === "expired").length, staleWaivers: waivers.filter((w) => w.status === "stale").length };
  const verdict = summary.error ? "error" : summary.fail || summary.expiredWaivers ? "fail" : "pass";
  return { schemaVersion: GATE_SCHEMA_VERSION, mode, config: input.config ?? null, date: input.today, verdict, ...extra, results, waivers, summary, warnings };
}
