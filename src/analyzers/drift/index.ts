import { InputError } from "../../errors.js";
import { filesByCommit } from "../../git/patches.js";
import { Repository } from "../../git/repository.js";
import { noRefMatches } from "../../git/refs.js";
import { isUrl, readFetchErrors, sameRepository, Workspace, type Namespace } from "../../git/workspace.js";
import { DriftContext } from "./context.js";
import { CarryTracker, carriedSummary } from "./carry.js";
import { overlapRegions } from "./overlap.js";
import { analyzePair, upstreamPatchIds, type Side } from "./pair.js";
import { DRIFT_SCHEMA_VERSION, type DriftHistory, type DriftMulti, type DriftPair, type DriftProgress } from "./types.js";

export * from "./types.js";

export interface DriftSources {
  /** Repository holding both sides (default: the current directory). */
  repo?: string;
  /** Take the upstream side from this repository (path or URL) via the workspace cache. */
  upstreamRepo?: string;
  /** Take the fork side from this repository (path or URL) via the workspace cache. */
  forkRepo?: string;
  /** Workspace cache directory (default: $STEWARD_CACHE_DIR or ~/.cache/steward). */
  cacheDir?: string;
  /**
   * Never contact a remote: URL sides are read from what an earlier
   * `steward fetch` left in the workspace cache (local paths join it through
   * alternates either way, which needs no network and copies nothing). The
   * portfolio scan runs this way.
   */
  offline?: boolean;
  /** In a partial clone, fetch the blobs each pair needs from the promisor remote first (one request per fork ref). */
  fetchMissing?: boolean;
  onProgress?: (e: DriftProgress) => void;
}

export interface DriftOptions extends DriftSources {
  upstream: string;
  forks: string[];
}

export interface DriftHistoryOptions extends DriftSources {
  upstream: string;
  /** git for-each-ref patterns naming the fork refs of the series. */
  patterns: string[];
}

/** Where refs of each side are resolved: one repository, or namespaces of the workspace cache. */
interface Sides {
  repo: Repository;
  upstream(ref: string): Promise<string>;
  fork(ref: string): Promise<string>;
  forkRefs(patterns: string[]): Promise<{ ref: string; commit: string }[]>;
}

async function openSides(o: DriftSources): Promise<Sides> {
  if (!o.upstreamRepo && !o.forkRepo) {
    const repo = await Repository.open(o.repo ?? ".");
    return {
      repo,
      upstream: (r) => repo.resolveCommit(r),
      fork: (r) => repo.resolveCommit(r),
      forkRefs: (p) => repo.refsMatching(p),
    };
  }
  const local = o.repo ?? ".";
  const upstreamSource = o.upstreamRepo ?? local;
  const forkSource = o.forkRepo ?? local;
  if (!isUrl(upstreamSource) && !isUrl(forkSource) && (await sameRepository(upstreamSource, forkSource))) {
    // Project and fork in one repository (the fork under another ref namespace): read in place.
    // Names as in the workspace: a bare pattern is a branch.
    const repo = await Repository.open(upstreamSource);
    return {
      repo,
      upstream: (r) => repo.resolveCommit(r),
      fork: (r) => repo.resolveCommit(r),
      forkRefs: (p) => repo.refsMatching(p.map((x) => (x.startsWith("refs/") ? x : `refs/heads/${x}`))),
    };
  }
  if (o.offline) o.onProgress?.({ kind: "stage", stage: "reading the workspace cache" });
  else o.onProgress?.({ kind: "stage", stage: "fetching into the workspace cache" });
  const ws = await Workspace.forFamily(upstreamSource, o.cacheDir);
  const side = async (source: string, role: "upstream" | "fork"): Promise<Namespace> => {
    // A local repository joins the store through alternates (no copy); a URL is fetched, unless offline.
    if (!isUrl(source)) return ws.join(source, role);
    if (!o.offline) return ws.fetch(source, role);
    const ns = ws.namespace(source, role);
    if (!(await ws.hasRefs(ns))) {
      const last = readFetchErrors(o.cacheDir)[source];
      throw new InputError(last ? `${source} could not be fetched (steward fetch at ${last.at}): ${last.error}` : `${source} has not been fetched into the workspace cache yet (run steward fetch)`);
    }
    return ns;
  };
  const up = await side(upstreamSource, "upstream");
  const fk = await side(forkSource, "fork");
  return {
    repo: ws.repo,
    upstream: (r) => ws.resolve(up, r),
    fork: (r) => ws.resolve(fk, r),
    forkRefs: async (patterns) => {
      const refs = await ws.repo.refsMatching(patterns.map((p) => ws.pattern(fk, p)));
      return refs.map((r) => ({ ref: ws.unprefix(fk, r.ref), commit: r.commit }));
    },
  };
}

/**
 * Fork drift of one or more fork refs against an upstream ref. One fork gives a
 * DriftPair; several give a DriftMulti with the overlap report.
 */
export async function drift(o: DriftOptions): Promise<DriftPair | DriftMulti> {
  if (o.forks.length === 0) throw new InputError("no fork ref given");
  const sides = await openSides(o);
  const ctx = new DriftContext(sides.repo, o.onProgress, o.fetchMissing === true);
  try {
    const [upstreamCommit, ...forkCommits] = await Promise.all([sides.upstream(o.upstream), ...o.forks.map((f) => sides.fork(f))]);
    const upstream: Side = { ref: o.upstream, commit: upstreamCommit };
    const forks: Side[] = o.forks.map((f, i) => ({ ref: f, commit: forkCommits[i]! }));
    if (forks.length === 1) return await analyzePair(ctx, upstream, forks[0]!);
    const pairs = await analyzeSeries(ctx, upstream, forks);
    ctx.onProgress({ kind: "stage", stage: "overlap across forks" });
    const overlap = await overlapRegions(ctx, upstream.commit, pairs);
    return {
      schemaVersion: DRIFT_SCHEMA_VERSION,
      upstream: { ref: upstream.ref, commit: upstream.commit },
      forks: pairs,
      overlap,
      warnings: [...ctx.warnings],
    };
  } finally {
    ctx.close();
  }
}

/**
 * Several fork refs against one upstream in one process: the upstream
 * patch-ids are computed once for the whole series (commits since the oldest
 * base), and blobs and upstream diffs are shared through the context.
 */
async function analyzeSeries(ctx: DriftContext, upstream: Side, forks: Side[], opts: { carry?: CarryTracker } = {}): Promise<DriftPair[]> {
  ctx.onProgress({ kind: "stage", stage: "upstream patch-ids for the series" });
  const forkTips = forks.map((f) => f.commit);
  // Commits reachable from every fork tip cannot be "upstream commits not in the fork" for any of them.
  const common = (await ctx.repo.octopusBase(forkTips).catch(() => null)) ?? "";
  const forkSets = await filesByCommit(ctx.repo.gitDir, [...forkTips, `^${upstream.commit}`]);
  const seriesWarnings = await upstreamPatchIds(ctx, upstream.commit, common ? [common] : [], forkSets);
  // Two refs at a time: while one waits on git, the other parses (2 cores).
  const pairs: DriftPair[] = new Array<DriftPair>(forks.length);
  const privateHunks: Parameters<CarryTracker["visit"]>[][] = forks.map(() => []);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < forks.length; i = next++) {
      const f = forks[i]!;
      const date = (await ctx.commitInfo(f.commit)).commitDate;
      pairs[i] = await analyzePair(ctx, upstream, f, {
        upstreamPatchIdsReady: true,
        seriesWarnings,
        ...(opts.carry ? { onPrivateHunk: (path, lines, h) => privateHunks[i]!.push([f.ref, date, path, lines, h]) } : {}),
      });
      ctx.onProgress({ kind: "ref", ref: f.ref, index: done++, total: forks.length });
    }
  };
  await Promise.all([worker(), worker()]);
  // Carry tracking needs the series in date order, whatever order the workers finished in.
  if (opts.carry) for (const list of privateHunks) for (const args of list) opts.carry.visit(...args);
  return pairs;
}

/** The drift of every fork ref matching `patterns`, ordered by fork tip date: a time series. */
export async function driftHistory(o: DriftHistoryOptions): Promise<DriftHistory> {
  if (o.patterns.length === 0) throw new InputError("no ref pattern given for --history");
  const sides = await openSides(o);
  // Closed on every path: its cat-file process would otherwise keep the process alive.
  const ctx = new DriftContext(sides.repo, o.onProgress, o.fetchMissing === true);
  try {
    const upstream: Side = { ref: o.upstream, commit: await sides.upstream(o.upstream) };
    const refs = await sides.forkRefs(o.patterns);
    if (refs.length === 0) throw new InputError(await noRefMatches(o.patterns, (p) => sides.forkRefs(p)));
    const dated = await Promise.all(refs.map(async (r) => ({ ...r, date: (await ctx.commitInfo(r.commit)).commitDate })));
    dated.sort((a, b) => Date.parse(a.date) - Date.parse(b.date) || (a.ref < b.ref ? -1 : 1));
    const pairs = await analyzeSeries(ctx, upstream, dated, { carry: new CarryTracker() });
    return {
      schemaVersion: DRIFT_SCHEMA_VERSION,
      upstream: { ref: upstream.ref, commit: upstream.commit },
      patterns: o.patterns,
      history: pairs.map((p) => ({ ...p, date: p.fork.date, carried: carriedSummary(p) })),
      warnings: [],
    };
  } finally {
    ctx.close();
  }
}
