import { badgeFile, badgeOf } from "../gate/claims.js";
import type { DashboardData } from "../portfolio/dashboard.js";
import { APP_JS, STYLE_CSS } from "../report/html/assets.js";
import { evidenceOf } from "../report/html/layout.js";
import { pageNames, renderPage, renderPages } from "../report/html/pages.js";

/** Media types of what the site holds. */
export function contentType(path: string): string {
  if (path.endsWith(".html")) return "text/html; charset=utf-8";
  if (path.endsWith(".css")) return "text/css; charset=utf-8";
  if (path.endsWith(".js")) return "text/javascript; charset=utf-8";
  if (path.endsWith(".json")) return "application/json; charset=utf-8";
  return "application/octet-stream";
}

/** The stored results the site publishes as JSON (path -> analyzer output), as `steward <analyzer> --json` prints them. */
function apiEntries(d: DashboardData): [string, () => string][] {
  const out: [string, () => string][] = [["api/status.json", () => JSON.stringify(d.status, null, 2) + "\n"]];
  // Only the config's repositories (and the portfolio-wide results), under analyzer names of the
  // expected shape: a store row can never choose a path (a stale or hand-edited store included).
  const names = new Set([...d.repositories.map((r) => r.name), "*"]);
  for (const [repo, m] of d.results) {
    if (!names.has(repo)) continue;
    for (const [analyzer, r] of m) if (r.ok && /^[a-z][a-z0-9-]*$/.test(analyzer)) out.push([decodeURIComponent(evidenceOf(repo, analyzer)), () => JSON.stringify(r.result, null, 2) + "\n"]);
  }
  // A shields.io endpoint per claim (https://shields.io/badges/endpoint-badge): a README badge that goes grey when the claim lapses.
  for (const c of d.claims) out.push([`badges/${badgeFile(c)}`, () => JSON.stringify(badgeOf(c)) + "\n"]);
  return out;
}

/** Every file of the static site: pages, the two assets, and the JSON evidence. */
export function siteFiles(d: DashboardData, generated: string): Map<string, string> {
  const files = new Map<string, string>(renderPages(d, generated));
  files.set("assets/style.css", STYLE_CSS);
  files.set("assets/app.js", APP_JS);
  for (const [path, body] of apiEntries(d)) files.set(path, body());
  return files;
}

/** One file of the site, rendered on demand (serve): undefined when the site has no such file. */
export function siteFile(d: DashboardData, path: string, generated: string): string | undefined {
  if (path === "assets/style.css") return STYLE_CSS;
  if (path === "assets/app.js") return APP_JS;
  if (path.endsWith(".html")) return pageNames(d).includes(path) ? renderPage(d, path, generated) : undefined;
  return apiEntries(d).find(([p]) => p === path)?.[1]();
}
