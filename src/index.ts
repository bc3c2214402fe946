/**
 * Steward's library API. The CLI uses only this module and src/report/.
 * Each analyzer is a function from repository reads to a typed, versioned,
 * JSON-serialisable result.
 */
export { drift, driftHistory, type DriftOptions, type DriftHistoryOptions, type DriftSources } from "./analyzers/drift/index.js";
export * from "./analyzers/drift/types.js";
export { depsCheck, depsPortfolio, type CheckResult, type DepsPortfolio, type LagRow, type MatrixRow } from "./analyzers/deps/portfolio.js";
export { depsReleases, versionOfTag, type DepsResult, type ReleaseRequirements, type Requirement } from "./analyzers/deps/index.js";
export { ConfigError, GitError, InputError, StewardError, isStewardError } from "./errors.js";
export { HistoryBuilder, type CommitRef, type CommitSpec, type Signature } from "./git/builder.js";
export { defaultCacheDir } from "./git/workspace.js";
export { scanPortfolio, portfolioStatus, type ScanSummary, type ScanProgress, type PortfolioStatus } from "./portfolio/scan.js";
export { loadConfig, parseConfig, repositoriesOf, CONFIG_VERSION, type PortfolioConfig, type RepositoryKind } from "./portfolio/config.js";
export type { DemoManifest } from "./demo/index.js";

/** Writes the offline demo portfolio (loaded on demand: the analyzers never need it). */
export async function generateDemo(dir: string, opts: { force?: boolean } = {}): Promise<import("./demo/index.js").DemoManifest> {
  const demo = await import("./demo/index.js");
  return demo.generateDemo(dir, opts);
}

/** Version of the steward package (also in results). */
export const VERSION = "0.1.0";
