import type { ClaimResult } from "../gate/types.js";
import { loadConfig, repositoriesOf, type PortfolioConfig, type RepositoryKind } from "./config.js";
import { PORTFOLIO, statusFromStore, type PortfolioStatus } from "./scan.js";
import { openStoreReadOnly, type Store } from "../store/store.js";

/** One stored analysis: the newest row of a (repository, analyzer). */
export interface StoredResult {
  repository: string;
  analyzer: string;
  ok: boolean;
  computedAt: string;
  error: string | null;
  /** The analyzer's JSON result as stored (the same as the CLI's --json), null for a failure. */
  result: unknown;
}

/** A time-series point of the store. */
export interface StoredPoint {
  ref: string;
  date: string;
  metric: string;
  value: number;
}

/**
 * Everything the dashboard shows, read from the store in one pass and never
 * written: the config's repositories, the newest result of each analyzer, the
 * time series of every stored result (old scans included: a project's
 * neutrality over its branch tips), the scans, and the status (`steward
 * status --json`).
 */
export interface DashboardData {
  config: PortfolioConfig;
  /** The config path as given (shown, and in status). */
  configPath: string;
  repositories: { name: string; kind: RepositoryKind; location: string }[];
  status: PortfolioStatus;
  /** repository -> analyzer -> newest result. */
  results: Map<string, Map<string, StoredResult>>;
  /** repository -> analyzer -> points (one per ref, date and metric: the newest result's value), by date. */
  points: Map<string, Map<string, StoredPoint[]>>;
  scans: { startedAt: string; finishedAt: string | null; analysed: number; skipped: number; failed: number }[];
  /** False when the store does not exist yet (never scanned). */
  scanned: boolean;
  /** The config's claims re-proven from the store (steward claims), empty without claims or results. */
  claims: ClaimResult[];
}

export { PORTFOLIO };

/** Reads the dashboard's data for a portfolio config (read-only; a never-scanned store is not created). */
export async function dashboardData(configPath: string): Promise<DashboardData> {
  const config = loadConfig(configPath);
  const store = await openStoreReadOnly(config.storeLocation);
  let data: DashboardData;
  try {
    data = await dataFrom(configPath, config, store);
  } finally {
    await store?.destroy();
  }
  // Claims are re-proven each time the pages are drawn, so a badge goes grey when its evidence lapses.
  if (data.scanned && config.claims.length) data.claims = (await (await import("../gate/index.js")).portfolioClaims(configPath, { scan: false })).claims;
  return data;
}

async function dataFrom(configPath: string, config: PortfolioConfig, store: Store | null): Promise<DashboardData> {
  const status = await statusFromStore(configPath, config, store);
  const repositories = repositoriesOf(config).map((r) => ({ name: r.name, kind: r.kind, location: r.location }));
  const results = new Map<string, Map<string, StoredResult>>();
  const points = new Map<string, Map<string, StoredPoint[]>>();
  const data: DashboardData = { config, configPath, repositories, status, results, points, scans: [], scanned: store !== null, claims: [] };
  if (store === null) return data;
  // Newest first: the first row of each (repository, analyzer) is its current result.
  const rows = await store.selectFrom("result").select(["id", "repository", "analyzer", "ok", "computed_at", "error"]).orderBy("computed_at", "desc").orderBy("id", "desc").execute();
  const newest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!newest.has(`${r.repository}\0${r.analyzer}`)) newest.set(`${r.repository}\0${r.analyzer}`, r);
  const okIds = [...newest.values()].filter((r) => r.ok === 1).map((r) => r.id);
  const bodies = new Map<number, string | null>();
  // In chunks: SQLite limits bound parameters per statement.
  for (let i = 0; i < okIds.length; i += 500) {
    for (const b of await store.selectFrom("result").select(["id", "result"]).where("id", "in", okIds.slice(i, i + 500)).execute()) bodies.set(b.id, b.result);
  }
  for (const r of newest.values()) {
    const body = bodies.get(r.id);
    const entry: StoredResult = { repository: r.repository, analyzer: r.analyzer, ok: r.ok === 1, computedAt: r.computed_at, error: r.error, result: r.ok === 1 && body ? (JSON.parse(body) as unknown) : null };
    let m = results.get(r.repository);
    if (!m) results.set(r.repository, (m = new Map<string, StoredResult>()));
    m.set(r.analyzer, entry);
  }
  // Every point of every successful result: a series outlives the result that wrote its older points.
  const rank = new Map(rows.map((r, i) => [r.id, i]));
  const all = await store.selectFrom("point").select(["result_id", "repository", "analyzer", "ref", "date", "metric", "value"]).execute();
  const best = new Map<string, (typeof all)[number]>();
  for (const p of all) {
    const k = `${p.repository}\0${p.analyzer}\0${p.ref}\0${p.date}\0${p.metric}`;
    const seen = best.get(k);
    // The same point written by several results (a rescan): the newest result's value.
    if (!seen || (rank.get(p.result_id) ?? Infinity) < (rank.get(seen.result_id) ?? Infinity)) best.set(k, p);
  }
  for (const p of best.values()) {
    let m = points.get(p.repository);
    if (!m) points.set(p.repository, (m = new Map<string, StoredPoint[]>()));
    let list = m.get(p.analyzer);
    if (!list) m.set(p.analyzer, (list = []));
    list.push({ ref: p.ref, date: p.date, metric: p.metric, value: p.value });
  }
  for (const m of points.values()) for (const list of m.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : a.metric < b.metric ? -1 : 1));
  const scans = await store.selectFrom("scan").select(["started_at", "finished_at", "analysed", "skipped", "failed"]).orderBy("id", "desc").limit(20).execute();
  data.scans = scans.map((s) => ({ startedAt: s.started_at, finishedAt: s.finished_at, analysed: s.analysed, skipped: s.skipped, failed: s.failed }));
  return data;
}
