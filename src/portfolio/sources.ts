import { existsSync } from "node:fs";
import { join } from "node:path";
import { depsReleases, type DepsResult } from "../analyzers/deps/index.js";
import { InputError, isStewardError } from "../errors.js";
import { Repository, type RefInfo } from "../git/repository.js";
import { readFetchErrors, recordFetchErrors, Workspace, type Namespace } from "../git/workspace.js";
import { loadConfig, repositoriesOf, type PortfolioConfig, type RepositoryKind } from "./config.js";

/**
 * Where each repository of the portfolio is read from. Local paths are read
 * in place. URL repositories are read from the workspace cache, where
 * `steward fetch` keeps one bare object store per upstream family: a project
 * and its forks share one store (so drift needs no copying), a plugin or a
 * downstream has its own. Each repository's refs live under its own
 * namespace there (refs/steward/<role>/<id>/).
 */
export interface PortfolioSource {
  name: string;
  kind: RepositoryKind;
  location: string;
  isUrl: boolean;
  /** Location of the family's upstream (the project, for a fork). */
  family: string;
  role: "upstream" | "fork";
}

export function sourcesOf(c: PortfolioConfig): PortfolioSource[] {
  const all = repositoriesOf(c);
  const byName = new Map(all.map((r) => [r.name, r]));
  return all.map((r) => {
    if (r.kind !== "fork") return { ...r, family: r.location, role: "upstream" as const };
    const of = c.forks.find((f) => f.name === r.name)!.of;
    return { ...r, family: byName.get(of)!.location, role: "fork" as const };
  });
}

/**
 * A read-only view of one portfolio repository, speaking the repository's own
 * ref names (refs/tags/v1.0, main) whichever store holds it.
 */
export interface RepositoryView {
  source: PortfolioSource;
  /** Path to open with Repository.open: the repository itself or its family's store. */
  path: string;
  /** A ref or for-each-ref pattern of the repository, as named in `path`. */
  toStore(ref: string): string;
  /** The repository's own name for a ref of `path`. */
  fromStore(ref: string): string;
}

/** Opens the view of `name`; a URL repository that was never fetched is an InputError naming the fix. */
export async function viewOf(c: PortfolioConfig, name: string): Promise<RepositoryView> {
  const source = sourcesOf(c).find((s) => s.name === name);
  if (!source) throw new InputError(`not in the portfolio: ${name}`);
  if (!source.isUrl) return { source, path: source.location, toStore: (r) => r, fromStore: (r) => r };
  // After a failed fetch, its cause ("does not appear to be a git repository") is the message, not "not fetched yet".
  const last = readFetchErrors(c.cacheDir)[source.location];
  const notFetched = new InputError(last ? `${source.location} could not be fetched (steward fetch at ${last.at}): ${last.error}` : `${source.location} has not been fetched yet (run steward fetch ${c.file})`);
  const ws = Workspace.existing(source.family, c.cacheDir);
  if (!ws) throw notFetched;
  const ns: Namespace = ws.namespace(source.location, source.role);
  const fetched = await ws.hasRefs(ns);
  ws.repo.close();
  if (!fetched) throw notFetched;
  return {
    source,
    path: ws.repo.gitDir,
    // A bare name is a branch here, as in the config's `branch` and fork `refs`.
    toStore: (r) => (r.startsWith("refs/") ? ns.prefix + r.slice(5) : `${ns.prefix}heads/${r}`),
    fromStore: (r) => ws.unprefix(ns, r),
  };
}

/** Resolves a branch, tag or commit named as in the repository itself. */
export async function resolveIn(view: RepositoryView, repo: Repository, ref: string): Promise<string> {
  if (!view.source.isUrl) return repo.resolveCommit(ref);
  for (const candidate of ref.startsWith("refs/") ? [view.toStore(ref)] : [view.toStore(ref), view.toStore(`refs/tags/${ref}`)]) {
    try {
      return await repo.resolveCommit(candidate);
    } catch {
      // next spelling
    }
  }
  throw new InputError(`unknown ref in ${view.source.location}: ${ref}`);
}

/** The for-each-ref form of a config ref pattern: a bare name is a branch. */
export function fullPattern(pattern: string): string {
  return pattern.startsWith("refs/") ? pattern : `refs/heads/${pattern}`;
}

/** Commits of the refs matching config patterns, as "ref commit" lines in the repository's own names (a cache key part). */
export async function refCommits(view: RepositoryView, patterns: string[]): Promise<string[]> {
  const repo = await Repository.open(view.path);
  try {
    return (await repo.refsMatching(patterns.map((p) => view.toStore(fullPattern(p))))).map((r) => `${view.fromStore(r.ref)} ${r.commit}`).sort();
  } finally {
    repo.close();
  }
}

/**
 * Requirements at each release tag of a portfolio repository, wherever it is
 * stored; without any tag matching, its configured branch is the one release.
 */
export async function depsOf(view: RepositoryView, tags: string, branch: string, fetchMissing = false): Promise<DepsResult> {
  if (!view.source.isUrl) return depsReleases({ repo: view.path, patterns: [tags], branch: fullPattern(branch), fetchMissing });
  return depsReleases({ repo: view.path, patterns: [view.toStore(tags)], branch: view.toStore(fullPattern(branch)), refName: (r) => view.fromStore(r), label: { repo: view.source.location, patterns: [tags] }, fetchMissing });
}

/** The deps cache-key part: the release tags' commits, or the branch's when no tag matches (it is then the release). */
export async function releaseCommits(view: RepositoryView, tags: string, branch: string): Promise<string[]> {
  const tagged = await refCommits(view, [tags]);
  return tagged.length ? tagged : ["branch", ...(await refCommits(view, [branch]))];
}

export type FetchProgress =
  | { kind: "fetch-start"; repository: string; location: string }
  | { kind: "fetch"; repository: string; state: "fetched" | "failed"; done: number; total: number; error?: string; ms: number };

export interface FetchSummary {
  schemaVersion: 1;
  config: string;
  cacheDir: string;
  /**
   * `refs`: the source's refs now in the cache; `changed`: how many of them this fetch added,
   * moved or removed (0: the repository was already up to date).
   */
  repositories: { name: string; kind: RepositoryKind; location: string; state: "fetched" | "failed"; refs: number; changed: number; ms: number; error?: string }[];
  /** Local repositories are read in place and not fetched. */
  local: string[];
}

/**
 * `steward fetch`: brings every URL repository of the portfolio (branches,
 * tags, remote-tracking refs) into the workspace cache, forks into their
 * project's store. Families are fetched in parallel, repositories of one
 * family one after another (they share ref locks and packs). A repository
 * that cannot be fetched is reported and the others go on.
 */
export async function fetchPortfolio(configPath: string, opts: { onProgress?: (e: FetchProgress) => void; concurrency?: number } = {}): Promise<FetchSummary> {
  const c = loadConfig(configPath);
  const sources = sourcesOf(c);
  const remote = sources.filter((s) => s.isUrl);
  const summary: FetchSummary = { schemaVersion: 1, config: c.file, cacheDir: c.cacheDir, repositories: [], local: sources.filter((s) => !s.isUrl).map((s) => s.name) };
  // Upstreams first within a family: a fork's fetch then finds most objects already there.
  const families = new Map<string, PortfolioSource[]>();
  for (const s of remote) families.set(s.family, [...(families.get(s.family) ?? []), s].sort((a, b) => (a.role === b.role ? 0 : a.role === "upstream" ? -1 : 1)));
  const queue = [...families.values()];
  let done = 0;
  const rows = new Map<string, FetchSummary["repositories"][number]>();
  const worker = async () => {
    for (let family = queue.shift(); family; family = queue.shift()) {
      for (const s of family) {
        const started = Date.now();
        opts.onProgress?.({ kind: "fetch-start", repository: s.name, location: s.location });
        let row: FetchSummary["repositories"][number];
        try {
          const ws = await Workspace.forFamily(s.family, c.cacheDir);
          const namespace = ws.namespace(s.location, s.role).prefix.replace(/\/$/, "");
          const before = await ws.repo.refsMatching([namespace]);
          await ws.fetch(s.location, s.role);
          const refs = await ws.repo.refsMatching([namespace]);
          ws.repo.close();
          row = { name: s.name, kind: s.kind, location: s.location, state: "fetched", refs: refs.length, changed: changedRefs(before, refs), ms: Date.now() - started };
        } catch (e) {
          if (!isStewardError(e)) throw e;
          row = { name: s.name, kind: s.kind, location: s.location, state: "failed", refs: 0, changed: 0, ms: Date.now() - started, error: e.message };
        }
        rows.set(s.name, row);
        opts.onProgress?.({ kind: "fetch", repository: s.name, state: row.state, done: ++done, total: remote.length, ms: row.ms, ...(row.error ? { error: row.error } : {}) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker));
  // Config order, whatever order the families finished in.
  summary.repositories = remote.map((s) => rows.get(s.name)!);
  recordFetchErrors(c.cacheDir, summary.repositories);
  return summary;
}

/** Refs added, moved or removed between two listings of one namespace. */
function changedRefs(before: readonly RefInfo[], after: readonly RefInfo[]): number {
  const old = new Map(before.map((r) => [r.ref, r.commit]));
  let changed = 0;
  for (const r of after) {
    if (old.get(r.ref) !== r.commit) changed++;
    old.delete(r.ref);
  }
  return changed + old.size;
}

/**
 * What `steward config check` says about each repository's location: a local path that does not
 * exist or is not a git repository is an error (the config cannot be scanned as written); a URL
 * never fetched, or whose last fetch failed, is a warning (steward fetch is the fix).
 */
export function locationProblems(c: PortfolioConfig): { name: string; level: "error" | "warning"; message: string }[] {
  const out: { name: string; level: "error" | "warning"; message: string }[] = [];
  const errors = readFetchErrors(c.cacheDir);
  for (const s of sourcesOf(c)) {
    if (!s.isUrl) {
      if (!existsSync(s.location)) out.push({ name: s.name, level: "error", message: `repo ${s.location} does not exist` });
      else if (!existsSync(join(s.location, ".git")) && !existsSync(join(s.location, "HEAD"))) out.push({ name: s.name, level: "error", message: `repo ${s.location} is not a git repository` });
    } else if (errors[s.location]) out.push({ name: s.name, level: "warning", message: `the last fetch failed (${errors[s.location]!.at}): ${errors[s.location]!.error}` });
    else if (!existsSync(Workspace.storeDir(s.family, c.cacheDir))) out.push({ name: s.name, level: "warning", message: `never fetched (run steward fetch ${c.file})` });
  }
  return out;
}
