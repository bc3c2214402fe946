import { dirname, relative, resolve } from "node:path";
import { depsCheck, type CheckResult } from "../analyzers/deps/portfolio.js";
import type { Baseline } from "../analyzers/neutrality/lint.js";
import { isStewardError } from "../errors.js";
import { loadBaseline } from "../analyzers/neutrality/policy.js";
import { configLocator, loadConfig, repositoriesOf, type PortfolioConfig } from "../portfolio/config.js";
import { PORTFOLIO, scanPortfolio, type ScanProgress, type ScanSummary } from "../portfolio/scan.js";
import { openStore } from "../store/store.js";
import { analyzerOf, kindOf, proveClaim } from "./claims.js";
import { judge, type RepositoryEvidence, type Stored } from "./judge.js";
import { GATE_SCHEMA_VERSION, type ClaimsResult, type GateResult } from "./types.js";

export type { GateResult, ClaimsResult, ClaimResult, PolicyResult, GateFinding, WaiverResult } from "./types.js";

export interface GateOptions {
  /** Scan what is out of date first (default true): the gate judges the current commits. */
  scan?: boolean;
  /** The day waivers are compared with (YYYY-MM-DD); default today (UTC). */
  today?: string;
  onProgress?: (e: ScanProgress) => void;
}

function todayOf(o: GateOptions): string {
  return o.today ?? new Date().toISOString().slice(0, 10);
}

/** Every stored result of the portfolio, by repository and analyzer, oldest first. */
async function readStore(c: PortfolioConfig): Promise<Map<string, Map<string, Stored[]>>> {
  const store = await openStore(c.storeLocation);
  try {
    const rows = await store.selectFrom("result").select(["id", "repository", "analyzer", "ok", "computed_at", "error", "result"]).orderBy("computed_at", "asc").orderBy("id", "asc").execute();
    const out = new Map<string, Map<string, Stored[]>>();
    for (const row of rows) {
      const byAnalyzer = out.get(row.repository) ?? new Map<string, Stored[]>();
      out.set(row.repository, byAnalyzer);
      const list = byAnalyzer.get(row.analyzer) ?? [];
      byAnalyzer.set(row.analyzer, list);
      list.push({ ok: row.ok === 1, result: row.result === null ? null : (JSON.parse(row.result) as unknown), error: row.error, computedAt: row.computed_at });
    }
    return out;
  } finally {
    await store.destroy();
  }
}

async function prepare(configPath: string, o: GateOptions): Promise<{ c: PortfolioConfig; stored: Map<string, Map<string, Stored[]>>; scan: ScanSummary | null }> {
  const c = loadConfig(configPath);
  const scan = o.scan === false ? null : await scanPortfolio(configPath, { ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
  return { c, stored: await readStore(c), scan };
}

/**
 * `steward check CONFIG`: judges the portfolio's policies on the latest scan
 * (scanning what is out of date first), applies the waivers, and says which
 * waivers expired or match nothing.
 */
export async function portfolioCheck(configPath: string, o: GateOptions = {}): Promise<GateResult> {
  const { c, stored, scan } = await prepare(configPath, o);
  const latest = (name: string) => new Map([...(stored.get(name) ?? new Map<string, Stored[]>())].map(([a, list]) => [a, list.at(-1)!]));
  const repositories: RepositoryEvidence[] = repositoriesOf(c).map((r) => ({ name: r.name, kind: r.kind, analyzers: Object.fromEntries(latest(r.name)) }));
  const baselines: Record<string, Baseline> = {};
  const names = new Set<string>();
  const lint = c.policies.neutrality?.lint as { baseline?: string } | undefined;
  if (lint?.baseline) names.add(lint.baseline);
  for (const over of Object.values(c.policies.repositories)) {
    const b = (over.neutrality?.lint as { baseline?: string } | false | undefined) || undefined;
    if (b?.baseline) names.add(b.baseline);
  }
  for (const n of names) baselines[n] = loadBaseline(resolve(dirname(c.file), n))!;
  // Companion sets: co-installability as `steward deps check` decides it (portfolio pins and third-party requirements).
  const companions: Record<string, CheckResult | { error: string }> = {};
  const sets = [c.policies.deps?.companions, ...Object.values(c.policies.repositories).map((o) => o.deps?.companions)].flatMap((x) => (x && typeof x === "object" && Array.isArray((x as { sets?: unknown }).sets) ? (x as { sets: string[][] }).sets : []));
  for (const set of sets) {
    const key = set.join(" ");
    if (key in companions) continue;
    try {
      companions[key] = await depsCheck(c.file, set);
    } catch (e) {
      if (!isStewardError(e)) throw e;
      companions[key] = { error: e.message };
    }
  }
  const lines = configLocator(c.file);
  const shown = relative(process.cwd(), c.file) || c.file;
  const result = judge({
    policies: c.policies,
    repositories,
    portfolio: Object.fromEntries(latest(PORTFOLIO)),
    today: todayOf(o),
    baselines,
    locate: (path) => ({ file: shown, line: lines(path) }),
    config: configPath,
    companions,
  });
  if (scan) for (const t of scan.tasks) if (t.state === "failed") result.warnings.push(`scan: ${t.repository} (${t.analyzer}) failed: ${t.error ?? ""}`);
  return result;
}

/** `steward claims CONFIG`: every claim of steward.yaml re-proven from the latest scan, verified or lapsed with since when and why. */
export async function portfolioClaims(configPath: string, o: GateOptions = {}): Promise<ClaimsResult> {
  const { c, stored } = await prepare(configPath, o);
  return {
    schemaVersion: GATE_SCHEMA_VERSION,
    config: configPath,
    date: todayOf(o),
    claims: c.claims.map((cl) => proveClaim(cl, stored.get(cl.project)?.get(analyzerOf(kindOf(cl))) ?? [])),
  };
}
