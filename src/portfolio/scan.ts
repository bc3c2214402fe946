import { createHash } from "node:crypto";
import { DEPS_SCHEMA_VERSION } from "../analyzers/deps/index.js";
import { depsPortfolio } from "../analyzers/deps/portfolio.js";
import { neutrality, neutralityLint, NEUTRALITY_SCHEMA_VERSION } from "../analyzers/neutrality/index.js";
import { waiversFrom } from "../analyzers/neutrality/policy.js";
import { community, COMMUNITY_SCHEMA_VERSION } from "../analyzers/community/index.js";
import { apiHistory, API_SCHEMA_VERSION } from "../analyzers/api/index.js";
import { NoPythonPackageError } from "../analyzers/api/surface.js";
import { pluginContract, type PluginContract } from "./contract.js";
import { driftHistory } from "../analyzers/drift/index.js";
import { DRIFT_SCHEMA_VERSION } from "../analyzers/drift/types.js";
import { InputError, isStewardError, StoreError } from "../errors.js";
import { Repository } from "../git/repository.js";
import { findCoverages } from "../git/tree.js";
import { openStore, openStoreReadOnly, storeLabel, type Store } from "../store/store.js";
import { queueState, type QueueState } from "../queue/state.js";
import { loadConfig, repositoriesOf, type PortfolioConfig, type RepositoryKind } from "./config.js";
import { depsOf, fullPattern, refCommits, releaseCommits, resolveIn, viewOf } from "./sources.js";

/** Bumped when an analyzer's output for the same input changes: its results are recomputed. */
const ANALYZER_VERSIONS = { drift: `${DRIFT_SCHEMA_VERSION}.1`, deps: `${DEPS_SCHEMA_VERSION}.1`, "deps-matrix": `${DEPS_SCHEMA_VERSION}.1`, neutrality: `${NEUTRALITY_SCHEMA_VERSION}.1`, community: `${COMMUNITY_SCHEMA_VERSION}.3`, api: `${API_SCHEMA_VERSION}.3`, contract: `${API_SCHEMA_VERSION}.1` } as const;

/** Repository name of portfolio-wide results (config names start with a letter or digit, so it never clashes). */
export const PORTFOLIO = "*";
export type AnalyzerId = keyof typeof ANALYZER_VERSIONS;

export type ScanProgress =
  | { kind: "planned"; tasks: number }
  | { kind: "start"; repository: string; analyzer: AnalyzerId }
  | { kind: "task"; repository: string; analyzer: AnalyzerId; state: "analysed" | "unchanged" | "failed"; done: number; total: number; error?: string };

export interface ScanSummary {
  schemaVersion: 1;
  config: string;
  store: string;
  analysed: number;
  unchanged: number;
  failed: number;
  tasks: { repository: string; analyzer: AnalyzerId; state: "analysed" | "unchanged" | "failed"; error?: string }[];
}

interface Point {
  ref: string;
  date: string;
  metric: string;
  value: number;
}

export interface Task {
  repository: string;
  kind: RepositoryKind | "portfolio";
  analyzer: AnalyzerId;
  /** Resolves the commit ids the analysis would read (fast: no analysis). */
  key: () => Promise<string>;
  run: () => Promise<{ result: unknown; points: Point[] }>;
}

function hash(parts: string[]): string {
  return createHash("sha256").update(parts.join("\n")).digest("hex");
}

/** The commit a portfolio repository's branch points at, wherever the repository is stored, and its date. */
async function tipOf(c: PortfolioConfig, name: string, branch: string): Promise<{ view: Awaited<ReturnType<typeof viewOf>>; commit: string; date: string }> {
  const view = await viewOf(c, name);
  const repo = await Repository.open(view.path);
  try {
    const commit = await resolveIn(view, repo, branch);
    return { view, commit, date: (await repo.commitInfo(commit)).commitDate };
  } finally {
    repo.close();
  }
}

/**
 * What to analyse for each repository of the portfolio: the one plan both the
 * in-process scan and the queue's workers run (src/queue), so a task's store
 * key is the same wherever it is computed.
 */
export function planTasks(c: PortfolioConfig, fetchAll = false): Task[] {
  const tasks: Task[] = [];
  // --fetch-missing for the whole scan, or `fetchMissing: true` per repository in steward.yaml.
  const fetchMissing = (name: string) => fetchAll || [...c.projects, ...c.forks, ...c.plugins, ...c.downstreams].some((r) => r.name === name && r.fetchMissing);
  for (const f of c.forks) {
    const project = c.projects.find((p) => p.name === f.of)!;
    tasks.push({
      repository: f.name,
      kind: "fork",
      analyzer: "drift",
      key: async () => {
        const [up, fork] = await Promise.all([viewOf(c, project.name), viewOf(c, f.name)]);
        const upRepo = await Repository.open(up.path);
        try {
          return hash(["drift", ANALYZER_VERSIONS.drift, await resolveIn(up, upRepo, project.branch), ...(await refCommits(fork, f.refs))]);
        } finally {
          upRepo.close();
        }
      },
      run: async () => {
        const [up, fork] = await Promise.all([viewOf(c, project.name), viewOf(c, f.name)]);
        // Offline: URL repositories are read from what `steward fetch` brought; a scan never touches the network.
        const h = await driftHistory({ upstreamRepo: up.source.location, forkRepo: fork.source.location, upstream: project.branch, patterns: f.refs, cacheDir: c.cacheDir, offline: true, fetchMissing: fetchMissing(f.name) });
        const points = h.history.flatMap((p) => [
          { ref: p.fork.ref, date: p.date, metric: "debt", value: p.netPatch.debt },
          { ref: p.fork.ref, date: p.date, metric: "reconnection", value: p.netPatch.reconnection ?? 0 },
          { ref: p.fork.ref, date: p.date, metric: "baseAgeDays", value: p.baseAgeDays },
          { ref: p.fork.ref, date: p.date, metric: "behind", value: p.behind },
        ]);
        return { result: h, points };
      },
    });
  }
  const withTags = [...c.projects.map((p) => ({ ...p, kind: "project" as const })), ...c.plugins.map((p) => ({ ...p, kind: "plugin" as const })), ...c.downstreams.map((p) => ({ ...p, kind: "downstream" as const }))];
  for (const p of withTags) {
    tasks.push({
      repository: p.name,
      kind: p.kind,
      analyzer: "deps",
      // Without release tags the branch is the release: its commit is then the input.
      key: async () => hash(["deps", ANALYZER_VERSIONS.deps, ...(await releaseCommits(await viewOf(c, p.name), p.tags, p.branch))]),
      run: async () => ({ result: await depsOf(await viewOf(c, p.name), p.tags, p.branch, fetchMissing(p.name)), points: [] }),
    });
  }
  // The portfolio's compatibility matrix and upgrade lag: its input is every release read above.
  const depsKeys = tasks.filter((t) => t.analyzer === "deps").map((t) => ({ name: t.repository, key: t.key }));
  if (c.plugins.length + c.downstreams.length > 0) {
    tasks.push({
      repository: PORTFOLIO,
      kind: "portfolio",
      analyzer: "deps-matrix",
      key: async () => hash(["deps-matrix", ANALYZER_VERSIONS["deps-matrix"], ...(await Promise.all(depsKeys.map(async (d) => `${d.name} ${await d.key().catch(() => "unresolved")}`)))]),
      run: async () => {
        const r = await depsPortfolio(c.file);
        // A pair that cannot be read is listed in the result (unreadable) and the rest of the matrix stands;
        // only a matrix with no readable pair at all is a failure.
        if (r.unreadable.length > 0 && r.unreadable.length === r.pairs) {
          throw new InputError(`no matrix: no (dependent, project) pair could be read (${r.warnings.join("; ")})`);
        }
        // One series per (project, dependent): days until the dependent admitted each project release.
        const points = r.lag.flatMap((l) => (l.days === null ? [] : [{ ref: `${l.project}==${l.version}`, date: l.date, metric: `lag:${l.dependent}`, value: l.days }]));
        return { result: r, points };
      },
    });
  }
  // Hardware neutrality at each project's and plugin's branch tip: footprint and lint debt over time.
  // Waivers with reasons may live in steward.yaml: policies.neutrality.waivers (checked when the scan plans).
  // (The rest of policies.neutrality is the gate's: steward check judges the lint's findings.)
  const lintWaivers = c.policies.neutrality?.waivers;
  const waivers = lintWaivers === undefined ? [] : waiversFrom({ waivers: lintWaivers }, `${c.file}: policies.neutrality`);
  for (const p of [...c.projects.map((x) => ({ ...x, kind: "project" as const, abstraction: x.abstraction })), ...c.plugins.map((x) => ({ ...x, kind: "plugin" as const, abstraction: undefined }))]) {
    tasks.push({
      repository: p.name,
      kind: p.kind,
      analyzer: "neutrality",
      key: async () => hash(["neutrality", ANALYZER_VERSIONS.neutrality, p.abstraction ?? "", JSON.stringify(waivers), (await tipOf(c, p.name, p.branch)).commit]),
      run: async () => {
        const { view, commit, date } = await tipOf(c, p.name, p.branch);
        const pack = packOfAbstraction(p.abstraction);
        const [footprint, lint] = await Promise.all([neutrality({ repo: view.path, ref: commit, fetchMissing: fetchMissing(p.name) }), neutralityLint({ repo: view.path, ref: commit, waivers, fetchMissing: fetchMissing(p.name), ...(pack ? { pack } : {}), ...(p.abstraction ? { abstraction: p.abstraction } : {}) })]);
        // Named as the repository names it, not by the workspace namespace or the bare commit.
        footprint.ref = lint.ref = p.branch;
        const points: Point[] = [];
        for (const [vendor, byLayer] of Object.entries(footprint.vendors)) {
          points.push({ ref: p.branch, date, metric: `lines:${vendor}`, value: Object.values(byLayer).reduce((n, x) => n + x.lines, 0) });
        }
        for (const [layer, conc] of Object.entries(footprint.concentration)) if (conc.lines) points.push({ ref: p.branch, date, metric: `hhi:${layer}`, value: conc.hhi });
        points.push({ ref: p.branch, date, metric: "lintDebt", value: lint.findings.filter((f) => !f.waived).length });
        return { result: { footprint, lint }, points };
      },
    });
  }
  // API: the deprecation ledger across each project's releases.
  for (const p of c.projects) {
    tasks.push({
      repository: p.name,
      kind: "project",
      analyzer: "api",
      key: async () => hash(["api", ANALYZER_VERSIONS.api, JSON.stringify(p.packages), ...(await releaseCommits(await viewOf(c, p.name), p.tags, p.branch))]),
      run: async () => {
        const view = await viewOf(c, p.name);
        // Without release tags the branch is the one release (as for deps): a ledger of one entry, no breaks yet.
        const untagged = (await refCommits(view, [p.tags])).length === 0;
        const pattern = untagged ? view.toStore(fullPattern(p.branch)) : view.toStore(p.tags);
        let r: Awaited<ReturnType<typeof apiHistory>> & { notApplicable?: string };
        try {
          r = await apiHistory({ repo: view.path, patterns: [pattern], fetchMissing: fetchMissing(p.name), ...(p.packages.length ? { packages: p.packages } : {}) });
        } catch (e) {
          // No package declared and none found: a project that is not Python has no Python API to
          // judge. Stored as such (status says so), not a failure every nightly scan repeats.
          if (!(e instanceof NoPythonPackageError) || p.packages.length) throw e;
          const none = { schemaVersion: API_SCHEMA_VERSION, patterns: [p.tags], packages: [], packagesFrom: null, releases: [], coverage: { files: 0, missing: 0, missingPaths: [], promisor: null, fetched: 0 }, warnings: [e.message], notApplicable: e.message };
          return { result: none, points: [] };
        }
        if (untagged) r.warnings.unshift(`no ref matches ${p.tags}: branch ${fullPattern(p.branch)} read as the one release`);
        for (const rel of r.releases) {
          rel.ref = view.fromStore(rel.ref);
          if (rel.previous) rel.previous = view.fromStore(rel.previous);
        }
        r.patterns = [p.tags];
        const points: Point[] = r.releases.flatMap((rel) => [
          { ref: rel.ref, date: rel.date, metric: "breaking", value: rel.breaking },
          { ref: rel.ref, date: rel.date, metric: "announced", value: rel.announced },
          ...(rel.medianGraceDays !== null ? [{ ref: rel.ref, date: rel.date, metric: "medianGraceDays", value: rel.medianGraceDays }] : []),
        ]);
        return { result: r, points };
      },
    });
  }
  // Plugins: their contract with each project they depend on, judged against every release newer than the one they target.
  for (const p of c.plugins) {
    tasks.push({
      repository: p.name,
      kind: "plugin",
      analyzer: "contract",
      key: async () => {
        const parts = ["contract", ANALYZER_VERSIONS.contract, (await tipOf(c, p.name, p.branch)).commit];
        for (const name of p.depends) {
          const project = c.projects.find((x) => x.name === name)!;
          parts.push(name, JSON.stringify(project.packages), ...(await refCommits(await viewOf(c, name), [project.tags])));
        }
        return hash(parts);
      },
      run: async () => {
        const r = await pluginContract(c, p, fetchMissing);
        // One series per (project, release): the plugin's stale couplings against that release.
        const points: Point[] = r.projects.flatMap((x) =>
          x.releases.flatMap((rel) => [
            { ref: rel.ref, date: rel.date, metric: `contract:${x.project}:removed`, value: rel.stale.removed },
            { ref: rel.ref, date: rel.date, metric: `contract:${x.project}:moved`, value: rel.stale.moved },
            { ref: rel.ref, date: rel.date, metric: `contract:${x.project}:signatureChanged`, value: rel.stale.signatureChanged },
          ]),
        );
        return { result: r, points };
      },
    });
  }
  // Community: who writes each project, with the portfolio's identities and affiliations.
  for (const p of c.projects) {
    tasks.push({
      repository: p.name,
      kind: "project",
      analyzer: "community",
      key: async () => hash(["community", ANALYZER_VERSIONS.community, JSON.stringify(c.identities), (await tipOf(c, p.name, p.branch)).commit]),
      run: async () => {
        const { view, commit } = await tipOf(c, p.name, p.branch);
        // A project's .mailmap is not the steward's to fix: lines git skips are skipped too, named in the result's warnings.
        const r = await community({ repo: view.path, ref: commit, period: "quarter", identities: c.identities, lenientMailmap: true, fetchMissing: fetchMissing(p.name) });
        r.ref = p.branch;
        // One series per quarter: the concentration interval and coverage.
        const points: Point[] = r.periods.flatMap((q) => {
          const date = `${q.period.slice(0, 4)}-${String((Number(q.period.slice(6)) - 1) * 3 + 1).padStart(2, "0")}-01`;
          return [
            { ref: p.branch, date, metric: "elephantFactor:best", value: q.elephantFactor.best },
            { ref: p.branch, date, metric: "elephantFactor:worst", value: q.elephantFactor.worst },
            { ref: p.branch, date, metric: "top1Share:worst", value: q.top1Share.worst },
            { ref: p.branch, date, metric: "coverage", value: q.coverage },
          ];
        });
        return { result: r, points };
      },
    });
  }
  return tasks;
}

/** The lint pack a project's configured abstraction names (else detected from its tree). */
export function packOfAbstraction(abstraction: string | undefined): string | undefined {
  if (!abstraction) return undefined;
  if (/get_accelerator/.test(abstraction)) return "deepspeed";
  if (/current_platform/.test(abstraction)) return "vllm";
  if (/torch\.accelerator/.test(abstraction)) return "pytorch";
  return undefined;
}

/**
 * `steward scan`: plans the work, skips every (repository, analyzer) whose
 * input commits and analyzer version already have a stored result, runs the
 * rest two at a time, and writes each result in its own transaction — a
 * killed scan keeps everything it finished, and the next scan resumes.
 * A repository that fails is recorded and the scan goes on.
 */
export async function scanPortfolio(configPath: string, opts: { onProgress?: (e: ScanProgress) => void; concurrency?: number; fetchMissing?: boolean } = {}): Promise<ScanSummary> {
  const c = loadConfig(configPath);
  // Planning validates what the config holds for the analyzers (waivers...): before the store is touched.
  const tasks = planTasks(c, opts.fetchMissing === true);
  const store = await openStore(c.storeLocation);
  const started = new Date().toISOString();
  opts.onProgress?.({ kind: "planned", tasks: tasks.length });
  const summary: ScanSummary = { schemaVersion: 1, config: configPath, store: storeLabel(c.storeLocation), analysed: 0, unchanged: 0, failed: 0, tasks: [] };
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    // After a store failure no new task starts: nothing more could be recorded.
    for (let i = next++; i < tasks.length && failure === null; i = next++) {
      const t = tasks[i]!;
      opts.onProgress?.({ kind: "start", repository: t.repository, analyzer: t.analyzer });
      const outcome = await runTask({ db: store, location: c.storeLocation }, t);
      summary[outcome.state === "analysed" ? "analysed" : outcome.state === "unchanged" ? "unchanged" : "failed"]++;
      summary.tasks[i] = { repository: t.repository, analyzer: t.analyzer, ...outcome };
      opts.onProgress?.({ kind: "task", repository: t.repository, analyzer: t.analyzer, done: summary.analysed + summary.unchanged + summary.failed, total: tasks.length, ...outcome });
    }
  };
  try {
    // Every worker settles before the store closes, so none writes into a closed pool.
    const settled = await Promise.allSettled(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, () => worker().catch((e: unknown) => {
      failure ??= e;
      throw e;
    })));
    if (failure !== null || settled.some((x) => x.status === "rejected")) throw failure;
    await storeOp(c.storeLocation, () =>
      store
        .insertInto("scan")
        .values({ started_at: started, finished_at: new Date().toISOString(), config: c.file, analysed: summary.analysed, skipped: summary.unchanged, failed: summary.failed })
        .execute(),
    );
  } finally {
    await store.destroy().catch(() => undefined);
  }
  return summary;
}

/**
 * Runs one store operation; a failure of the store itself (a PostgreSQL
 * server gone away mid-scan, a full disk) becomes one readable StoreError.
 * Each result is one transaction, so nothing partial was recorded, and the
 * next scan resumes from what was committed.
 */
export async function storeOp<T>(location: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    if (isStewardError(e)) throw e;
    throw new StoreError(`store ${storeLabel(location)} failed during the scan: ${e instanceof Error ? e.message : String(e)} (finished results are kept; run steward scan again to resume)`);
  }
}

/** The store and its location (for errors) as the tasks use them. */
export interface StoreHandle {
  db: Store;
  location: string;
}

export type TaskOutcome = { state: "analysed" | "unchanged" | "failed"; error?: string };

/**
 * Runs ONE task into the store: resolves its key, skips it when a result for
 * that key is stored, else analyses and writes the result and its points in
 * one transaction. `record: false` (a queue job with tries left) throws the
 * analysis's error instead of recording it, so the queue retries it.
 */
export async function runTask(store: StoreHandle, t: Task, opts: { record?: boolean } = {}): Promise<TaskOutcome> {
  const record = opts.record ?? true;
  let key: string;
  try {
    key = await t.key();
  } catch (e) {
    if (!record) throw e;
    return recordFailure(store, t, unresolvedKey(t.analyzer), e);
  }
  if (await isStored(store, t.repository, t.analyzer, key)) return { state: "unchanged" };
  let output: Awaited<ReturnType<Task["run"]>>;
  try {
    output = await t.run();
  } catch (e) {
    if (!record) throw e;
    return recordFailure(store, t, key, e);
  }
  await storeResult(store, t, key, output);
  return { state: "analysed" };
}

/** The key a failure is recorded under when the task's input commits could not even be resolved. */
export function unresolvedKey(analyzer: string): string {
  return `unresolved:${analyzer}`;
}

/** Is a successful result for this (repository, analyzer, key) stored? */
export async function isStored(store: StoreHandle, repository: string, analyzer: string, key: string): Promise<boolean> {
  const row = await storeOp(store.location, () =>
    store.db.selectFrom("result").select("id").where("repository", "=", repository).where("analyzer", "=", analyzer).where("input_key", "=", key).where("ok", "=", 1).executeTakeFirst(),
  );
  return row !== undefined;
}

/**
 * Writes one result and its points in one transaction. A stored failure under
 * the key is replaced; a stored success is kept (a second worker completing
 * the same job is a no-op, even when both commit at once: the unique key and
 * ON CONFLICT DO NOTHING decide, and the loser writes no points). An
 * incomplete result (partial clone) is replaced, as before: the next scan
 * computes it again.
 */
async function storeResult(store: StoreHandle, t: Task, key: string, output: { result: unknown; points: Point[] }): Promise<void> {
  const { result, points } = output;
  // A result computed on a partial clone's present blobs is kept, marked by its key as incomplete
  // (so the next scan computes it again rather than calling it unchanged), with its unread count.
  const unread = unreadFiles(result);
  if (unread > 0) {
    key = `${key}:incomplete`;
    points.push({ ref: "", date: new Date().toISOString(), metric: "unread", value: unread });
  }
  const replaceable = unread > 0 ? [0, 1] : [0];
  await storeOp(store.location, () =>
    store.db.transaction().execute(async (tx) => {
      await tx.deleteFrom("result").where("repository", "=", t.repository).where("analyzer", "=", t.analyzer).where("input_key", "=", key).where("ok", "in", replaceable).execute();
      const row = await tx
        .insertInto("result")
        .values({ repository: t.repository, analyzer: t.analyzer, input_key: key, computed_at: new Date().toISOString(), ok: 1, error: null, result: JSON.stringify(result) })
        .onConflict((oc) => oc.columns(["repository", "analyzer", "input_key"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      if (row && points.length) await tx.insertInto("point").values(points.map((p) => ({ ...p, result_id: row.id, repository: t.repository, analyzer: t.analyzer }))).execute();
    }),
  );
}

/** Files a result could not read (absent blobs), summed over its coverage records. */
export function unreadFiles(result: unknown): number {
  return findCoverages(result).reduce((n, c) => n + c.missing, 0);
}

/**
 * Records a task's failure under its key (one transaction). Bad input about one
 * repository (missing, not a repository, unknown ref) is recorded; bugs are not.
 * A success stored under the same key is never overwritten by a failure.
 */
export async function recordFailure(store: StoreHandle, t: { repository: string; analyzer: string }, key: string, e: unknown): Promise<{ state: "failed"; error: string }> {
  if (!isStewardError(e)) throw e;
  const error = e.message;
  await storeOp(store.location, () =>
    store.db.transaction().execute(async (tx) => {
      await tx.deleteFrom("result").where("repository", "=", t.repository).where("analyzer", "=", t.analyzer).where("input_key", "=", key).where("ok", "=", 0).execute();
      await tx
        .insertInto("result")
        .values({ repository: t.repository, analyzer: t.analyzer, input_key: key, computed_at: new Date().toISOString(), ok: 0, error, result: null })
        .onConflict((oc) => oc.columns(["repository", "analyzer", "input_key"]).doNothing())
        .execute();
    }),
  );
  return { state: "failed", error };
}

type AnalyzerStatus = { analyzer: string; ok: boolean; computedAt: string; error: string | null };

export interface PortfolioStatus {
  config: string;
  store: string;
  lastScan: string | null;
  repositories: {
    name: string;
    kind: RepositoryKind;
    ok: boolean;
    lastScan: string | null;
    analyzers: AnalyzerStatus[];
    /** Key numbers of the latest successful results: a fork's newest ref (debt, reconnection, base age, behind); releases and newest version of the others. */
    headline: Record<string, string | number | null>;
  }[];
  /** Portfolio-wide results (the deps matrix and upgrade lag). */
  portfolio: { analyzers: AnalyzerStatus[]; headline: Record<string, string | number | null> };
  /** PostgreSQL store that held a queue (steward scan --queue): its jobs and workers. */
  queue?: QueueState;
}

/**
 * `steward status`: the portfolio at a glance, from the store only. Reading
 * writes nothing: a never-scanned portfolio gets an empty status and no store.
 */
export async function portfolioStatus(configPath: string): Promise<PortfolioStatus> {
  const c = loadConfig(configPath);
  const store = await openStoreReadOnly(c.storeLocation);
  try {
    const status = await statusFromStore(configPath, c, store);
    const queue = store && /^postgres(ql)?:\/\//.test(c.storeLocation) ? await queueState(store) : null;
    return queue ? { ...status, queue } : status;
  } finally {
    await store?.destroy();
  }
}

/** The status of a portfolio from an open store (null: never scanned). */
export async function statusFromStore(configPath: string, c: PortfolioConfig, store: Store | null): Promise<PortfolioStatus> {
  if (store === null) {
    return {
      config: configPath,
      store: storeLabel(c.storeLocation),
      lastScan: null,
      repositories: repositoriesOf(c).map((r) => ({ name: r.name, kind: r.kind, ok: false, lastScan: null, analyzers: [], headline: {} })),
      portfolio: { analyzers: [], headline: {} },
    };
  }
  const rows = await store.selectFrom("result").select(["id", "repository", "analyzer", "ok", "computed_at", "error"]).orderBy("computed_at", "desc").orderBy("id", "desc").execute();
  const scan = await store.selectFrom("scan").select("finished_at").orderBy("id", "desc").executeTakeFirst();
  const latestOf = (name: string) => {
    const latest = new Map<string, (typeof rows)[number]>();
    for (const row of rows) if (row.repository === name && !latest.has(row.analyzer)) latest.set(row.analyzer, row);
    return latest;
  };
  const statusOf = (latest: Map<string, (typeof rows)[number]>): AnalyzerStatus[] =>
    [...latest.values()].map((row) => ({ analyzer: row.analyzer, ok: row.ok === 1, computedAt: row.computed_at, error: row.error })).sort((a, b) => (a.analyzer < b.analyzer ? -1 : 1));
  const headline = async (latest: Map<string, (typeof rows)[number]>): Promise<Record<string, string | number | null>> => {
    const out: Record<string, string | number | null> = {};
    const drift = latest.get("drift");
    if (drift?.ok === 1) {
      const points = await store.selectFrom("point").select(["ref", "date", "metric", "value"]).where("result_id", "=", drift.id).orderBy("date", "desc").orderBy("ref", "desc").execute();
      const newest = points[0];
      if (newest) {
        out.ref = newest.ref;
        for (const p of points) if (p.ref === newest.ref) out[p.metric] = p.value;
      }
    }
    const neutral = latest.get("neutrality");
    if (neutral?.ok === 1) {
      const points = await store.selectFrom("point").select(["metric", "value"]).where("result_id", "=", neutral.id).execute();
      const lines = points.filter((p) => p.metric.startsWith("lines:")).sort((a, b) => b.value - a.value);
      const total = lines.reduce((n, p) => n + p.value, 0);
      out.topVendor = lines[0] ? lines[0].metric.slice("lines:".length) : null;
      out.topVendorShare = lines[0] && total ? Math.round((lines[0].value / total) * 1000) / 1000 : null;
      out.lintDebt = points.find((p) => p.metric === "lintDebt")?.value ?? null;
    }
    const comm = latest.get("community");
    if (comm?.ok === 1) {
      const r = await store.selectFrom("result").select("result").where("id", "=", comm.id).executeTakeFirst();
      const parsed = JSON.parse(r?.result ?? "{}") as { coverage?: number; elephantFactor?: { best: number; worst: number }; organizations?: { name: string }[] };
      out.coverage = parsed.coverage ?? null;
      out.elephantFactorBest = parsed.elephantFactor?.best ?? null;
      out.elephantFactorWorst = parsed.elephantFactor?.worst ?? null;
      out.topOrganization = parsed.organizations?.[0]?.name ?? null;
    }
    const api = latest.get("api");
    if (api?.ok === 1) {
      const r = await store.selectFrom("result").select("result").where("id", "=", api.id).executeTakeFirst();
      const parsed = JSON.parse(r?.result ?? "{}") as { releases?: { breaking: number; announced: number }[]; notApplicable?: string };
      const rels = parsed.releases ?? [];
      if (parsed.notApplicable) out.apiNotApplicable = parsed.notApplicable;
      else {
        out.apiBreaks = rels.reduce((n, x) => n + x.breaking, 0);
        out.apiAnnounced = rels.reduce((n, x) => n + x.announced, 0);
      }
    }
    const contract = latest.get("contract");
    if (contract?.ok === 1) {
      const r = await store.selectFrom("result").select("result").where("id", "=", contract.id).executeTakeFirst();
      Object.assign(out, contractHeadline(JSON.parse(r?.result ?? "{}") as PluginContract));
    }
    // Results computed on a partial clone's present blobs: how many files they could not read.
    const okRows = [...latest.values()].filter((row) => row.ok === 1);
    if (okRows.length) {
      const unread = await store.selectFrom("point").select(["value"]).where("metric", "=", "unread").where("result_id", "in", okRows.map((row) => row.id)).execute();
      if (unread.length) out.unreadFiles = unread.reduce((n, p) => n + p.value, 0);
    }
    for (const analyzer of ["deps", "deps-matrix"]) {
      const row = latest.get(analyzer);
      if (row?.ok !== 1) continue;
      const r = await store.selectFrom("result").select("result").where("id", "=", row.id).executeTakeFirst();
      const parsed = JSON.parse(r?.result ?? "{}") as { releases?: { version: string | null; ref: string }[]; matrix?: unknown[]; lag?: { days: number | null }[] };
      if (analyzer === "deps") {
        out.releases = parsed.releases?.length ?? 0;
        const last = parsed.releases?.at(-1);
        out.latestRelease = last ? (last.version ?? last.ref) : null;
      } else {
        out.matrixRows = parsed.matrix?.length ?? 0;
        out.releasesAwaitingSupport = parsed.lag?.filter((l) => l.days === null).length ?? 0;
      }
    }
    return out;
  };
  const portfolioLatest = latestOf(PORTFOLIO);
  return {
    config: configPath,
    store: storeLabel(c.storeLocation),
    lastScan: scan?.finished_at ?? null,
    repositories: await Promise.all(
      repositoriesOf(c).map(async (r) => {
        const latest = latestOf(r.name);
        const analyzers = statusOf(latest);
        return {
          name: r.name,
          kind: r.kind,
          ok: analyzers.length > 0 && analyzers.every((a) => a.ok),
          lastScan: analyzers.reduce<string | null>((m, a) => (m === null || a.computedAt > m ? a.computedAt : m), null),
          analyzers,
          headline: await headline(latest),
        };
      }),
    ),
    portfolio: { analyzers: statusOf(portfolioLatest), headline: await headline(portfolioLatest) },
  };
}

/**
 * A plugin's contract in a few numbers, for its first project: how many upstream members it
 * patches or overrides, and how many of them the newest release removed, moved or re-signed
 * since the release the plugin targets.
 */
function contractHeadline(r: PluginContract): Record<string, string | number | null> {
  const x = r.projects?.[0];
  if (!x) return {};
  const newest = x.releases.at(-1);
  return {
    contractProject: x.project,
    contractTarget: x.target?.ref ?? null,
    contractPatched: x.patched,
    contractNewest: newest?.ref ?? null,
    contractRemoved: newest?.stale.removed ?? 0,
    contractMoved: newest?.stale.moved ?? 0,
    contractResigned: newest?.stale.signatureChanged ?? 0,
  };
}
