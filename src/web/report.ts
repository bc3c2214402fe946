import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { InputError } from "../errors.js";
import { dashboardData } from "../portfolio/dashboard.js";
import { siteFiles } from "./site.js";

/** Marks a directory as a report Steward wrote, so a later run may replace it (and never another directory). */
const MARKER = ".steward-report";

export interface ReportSummary {
  /** Absolute path of the report's index.html. */
  index: string;
  dir: string;
  files: number;
  bytes: number;
  largest: { path: string; bytes: number };
  ms: number;
}

/**
 * `steward report`: the dashboard as a static site from the store (read-only):
 * relative links only, no request to any other host, works from file:// and
 * any static host. Default directory: steward-report/ beside the config. A
 * directory that holds anything but an earlier report is refused.
 */
export async function writeReport(configPath: string, opts: { out?: string } = {}): Promise<ReportSummary> {
  const started = Date.now();
  const data = await dashboardData(configPath);
  const dir = resolve(opts.out ?? join(dirname(data.config.file), "steward-report"));
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length && !entries.includes(MARKER)) throw new InputError(`${dir} exists and is not a Steward report: give an empty or new directory with --out`);
    for (const e of entries) rmSync(join(dir, e), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), "Written by steward report; the next run replaces this directory's contents.\n");
  const files = siteFiles(data, new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC");
  let bytes = 0;
  let largest = { path: "", bytes: 0 };
  for (const [path, body] of files) {
    const file = join(dir, ...path.split("/"));
    // Belt and braces: every path comes from the site map, and none may leave the report directory.
    if (relative(dir, file).startsWith("..") || isAbsolute(relative(dir, file))) throw new InputError(`refusing to write outside ${dir}: ${path}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
    const n = Buffer.byteLength(body);
    bytes += n;
    if (path.endsWith(".html") && n > largest.bytes) largest = { path, bytes: n };
  }
  return { index: join(dir, "index.html"), dir, files: files.size, bytes, largest, ms: Date.now() - started };
}
