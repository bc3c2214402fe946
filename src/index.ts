/**
 * Steward's library API. The CLI uses only this module and src/report/.
 * Each analyzer is a function from repository reads to a typed, versioned,
 * JSON-serialisable result.
 */
export { drift, driftHistory, type DriftOptions, type DriftHistoryOptions, type DriftSources } from "./analyzers/drift/index.js";
export * from "./analyzers/drift/types.js";
export type { CheckResult, DepsPortfolio, LagRow, MatrixRow } from "./analyzers/deps/portfolio.js";
export type { DepsResult, ReleaseRequirements, Requirement } from "./analyzers/deps/index.js";
export type { ScanSummary, ScanProgress, PortfolioStatus } from "./portfolio/scan.js";
export type { FetchSummary, FetchProgress } from "./portfolio/sources.js";
export type { PortfolioConfig, RepositoryKind } from "./portfolio/config.js";
export type { ReportSummary } from "./web/report.js";
export type { RunningServer, ServeOptions } from "./web/serve.js";
export { ConfigError, GitError, InputError, StewardError, StoreError, isStewardError } from "./errors.js";
export { HistoryBuilder, type CommitRef, type CommitSpec, type Signature } from "./git/builder.js";
export { findCoverages, type Coverage, type Promisor } from "./git/tree.js";
export { defaultCacheDir } from "./git/workspace.js";
export type { DemoManifest } from "./demo/index.js";
export type * from "./analyzers/neutrality/types.js";
export type * from "./analyzers/community/types.js";
export type { OwnerToResolve } from "./analyzers/community/index.js";
export type { OwnerInfo, OwnerMatch } from "./analyzers/community/ownership.js";
export type { ApiDiff, ApiHistory, ApiImpact, ApiSurfaceResult, ApiBreak, DownstreamImpact, ImpactHit, ApiContract, DownstreamContractImpact, ContractSummary, CouplingStatus } from "./analyzers/api/index.js";
export type { Baseline, ConfigWaiver } from "./analyzers/neutrality/lint.js";
export type * from "./gate/types.js";

/*
 * The portfolio side (config, store drivers, PEP 440, TOML) and the demo are
 * loaded on first use: `steward drift` must not pay for SQLite, PostgreSQL and
 * zod at start-up (they cost ~140 ms before the first git call).
 */
type Deps = typeof import("./analyzers/deps/index.js");
type DepsPortfolioModule = typeof import("./analyzers/deps/portfolio.js");
type Scan = typeof import("./portfolio/scan.js");
type Config = typeof import("./portfolio/config.js");
type Sources = typeof import("./portfolio/sources.js");
type Neutrality = typeof import("./analyzers/neutrality/index.js");
type Community = typeof import("./analyzers/community/index.js");
type Api = typeof import("./analyzers/api/index.js");
type NeutralityPolicy = typeof import("./analyzers/neutrality/policy.js");
type Gate = typeof import("./gate/index.js");
type Report = typeof import("./web/report.js");
type Serve = typeof import("./web/serve.js");

/** Writes the offline demo portfolio. */
export async function generateDemo(...a: Parameters<typeof import("./demo/index.js").generateDemo>) {
  return (await import("./demo/index.js")).generateDemo(...a);
}
/** Requirements declared at each release tag of one repository. */
export async function depsReleases(...a: Parameters<Deps["depsReleases"]>) {
  return (await import("./analyzers/deps/index.js")).depsReleases(...a);
}
/** The portfolio's compatibility matrix and upgrade lag. */
export async function depsPortfolio(...a: Parameters<DepsPortfolioModule["depsPortfolio"]>) {
  return (await import("./analyzers/deps/portfolio.js")).depsPortfolio(...a);
}
/** Are these portfolio versions co-installable? */
export async function depsCheck(...a: Parameters<DepsPortfolioModule["depsCheck"]>) {
  return (await import("./analyzers/deps/portfolio.js")).depsCheck(...a);
}
/** `steward scan`. */
export async function scanPortfolio(...a: Parameters<Scan["scanPortfolio"]>) {
  return (await import("./portfolio/scan.js")).scanPortfolio(...a);
}
/** `steward fetch`: URL repositories of the portfolio into the workspace cache. */
export async function fetchPortfolio(...a: Parameters<Sources["fetchPortfolio"]>) {
  return (await import("./portfolio/sources.js")).fetchPortfolio(...a);
}
/** `steward status`. */
export async function portfolioStatus(...a: Parameters<Scan["portfolioStatus"]>) {
  return (await import("./portfolio/scan.js")).portfolioStatus(...a);
}
/** `steward report`: the dashboard as a static site, from the store (read-only). */
export async function writeReport(...a: Parameters<Report["writeReport"]>) {
  return (await import("./web/report.js")).writeReport(...a);
}
/** `steward serve`: the same pages live from the store, plus /api JSON (loopback by default). */
export async function serveDashboard(...a: Parameters<Serve["serveDashboard"]>) {
  return (await import("./web/serve.js")).serveDashboard(...a);
}
/** `steward neutrality`: each vendor's footprint per layer, concentration, gaps. */
export async function neutrality(...a: Parameters<Neutrality["neutrality"]>) {
  return (await import("./analyzers/neutrality/index.js")).neutrality(...a);
}
/** `steward neutrality lint`: generic code hard-coding a vendor, in the rule pack's idiom. */
export async function neutralityLint(...a: Parameters<Neutrality["neutralityLint"]>) {
  return (await import("./analyzers/neutrality/index.js")).neutralityLint(...a);
}
/** `steward neutrality history`: footprint and lint debt per release. */
export async function neutralityHistory(...a: Parameters<Neutrality["neutralityHistory"]>) {
  return (await import("./analyzers/neutrality/index.js")).neutralityHistory(...a);
}
/** Rule pack, waivers and baseline files for the lint, validated (errors name file and key). */
export async function loadLintInputs(o: { rules?: string; waivers?: string; baseline?: string }): Promise<{ pack: ReturnType<NeutralityPolicy["loadPack"]>; waivers: ReturnType<NeutralityPolicy["loadWaivers"]>; baseline: ReturnType<NeutralityPolicy["loadBaseline"]> }> {
  const m = await import("./analyzers/neutrality/policy.js");
  return { pack: m.loadPack(o.rules), waivers: m.loadWaivers(o.waivers), baseline: m.loadBaseline(o.baseline) };
}
/** Lint rules (for SARIF rule metadata) and the baseline of a lint result. */
export async function lintRules() {
  return (await import("./analyzers/neutrality/packs.js")).RULES;
}
export async function lintBaseline(...a: Parameters<Neutrality["baselineOf"]>) {
  return (await import("./analyzers/neutrality/index.js")).baselineOf(...a);
}
/** `steward community`: organisations, concentration intervals, periods, areas, review, ownership. */
export async function community(...a: Parameters<Community["community"]>) {
  return (await import("./analyzers/community/index.js")).community(...a);
}
/** `steward identities unknown`: the most active identities without an organisation. */
export async function unknownIdentities(...a: Parameters<Community["unknownIdentities"]>) {
  return (await import("./analyzers/community/index.js")).unknownIdentities(...a);
}
/** `steward identities unknown --owners`: CODEOWNERS owners not placed, or placed only by a heuristic. */
export async function ownersToResolve(...a: Parameters<Community["ownersToResolve"]>) {
  return (await import("./analyzers/community/index.js")).ownersToResolve(...a);
}
/** `steward api surface`: the public API model of Python packages at a ref. */
export async function apiSurface(...a: Parameters<Api["apiSurface"]>) {
  return (await import("./analyzers/api/index.js")).apiSurface(...a);
}
/** `steward api diff`: breaking changes with deprecation verdicts. */
export async function apiDiff(...a: Parameters<Api["apiDiff"]>) {
  return (await import("./analyzers/api/index.js")).apiDiff(...a);
}
/** `steward api history`: the deprecation ledger across releases. */
export async function apiHistory(...a: Parameters<Api["apiHistory"]>) {
  return (await import("./analyzers/api/index.js")).apiHistory(...a);
}
/** `steward api impact`: the downstream lines the breaks hit. */
export async function apiImpact(...a: Parameters<Api["apiImpact"]>) {
  return (await import("./analyzers/api/index.js")).apiImpact(...a);
}
/** `steward api contract`: everything a downstream couples to in its upstream (imports, calls, subclasses, overrides, patches, registrations). */
export async function apiContract(...a: Parameters<Api["apiContract"]>) {
  return (await import("./analyzers/api/index.js")).apiContract(...a);
}
/** Loads and validates a steward.yaml, with its repositories resolved. */
export async function loadPortfolio(path: string): Promise<{ config: ReturnType<Config["loadConfig"]>; repositories: ReturnType<Config["repositoriesOf"]>; problems: { name: string; level: "error" | "warning"; message: string }[] }> {
  const m = await import("./portfolio/config.js");
  const config = m.loadConfig(path);
  // Local paths that do not exist are errors; URLs never fetched (or whose fetch failed) are warnings.
  const problems = (await import("./portfolio/sources.js")).locationProblems(config);
  return { config, repositories: m.repositoriesOf(config), problems };
}
/** The `identities` of a steward.yaml that may hold nothing else (one repository's community analysis). */
export async function loadIdentities(path: string): Promise<ReturnType<Config["loadIdentities"]>> {
  return (await import("./portfolio/config.js")).loadIdentities(path);
}

/** `steward check CONFIG`: the portfolio's policies judged on the latest scan, waivers applied. */
export async function portfolioCheck(...a: Parameters<Gate["portfolioCheck"]>) {
  return (await import("./gate/index.js")).portfolioCheck(...a);
}
/** `steward claims CONFIG`: each claim re-proven from the scan's evidence. */
export async function portfolioClaims(...a: Parameters<Gate["portfolioClaims"]>) {
  return (await import("./gate/index.js")).portfolioClaims(...a);
}
/** `steward check --repo DIR --base REF --head REF`: one change judged (only regressions fail). */
export async function changeCheck(...a: Parameters<typeof import("./gate/change.js").changeCheck>) {
  return (await import("./gate/change.js")).changeCheck(...a);
}
/** A claim's shields.io endpoint JSON and its file name. */
export async function claimBadges(claims: import("./gate/types.js").ClaimResult[]): Promise<{ file: string; badge: unknown }[]> {
  const m = await import("./gate/claims.js");
  return claims.map((c) => ({ file: m.badgeFile(c), badge: m.badgeOf(c) }));
}

/** Version of the steward package (also in results). */
export const VERSION = "0.1.0";
