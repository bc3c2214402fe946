import { readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "../../src/demo/index.js";
import { portfolioStatus, scanPortfolio } from "../../src/portfolio/scan.js";
import { writeReport } from "../../src/web/report.js";
import { git, tempDir } from "../helpers/git.js";

/**
 * A portfolio whose project is a real blobless clone (`git clone
 * --filter=blob:none`, checked out at main, so only main's blobs are local):
 * the scan keeps what it could compute, marks incomplete results (status says
 * so, the next scan computes them again) and, with --fetch-missing, stores
 * exactly what a scan of complete repositories stores.
 */
const root = tempDir("steward-partial-scan-");
const full = join(root, "full");
const partial = join(root, "partial");

type Row = { repository: string; analyzer: string; input_key: string; result: string };

function results(dir: string): Map<string, Row> {
  const db = new Database(join(dir, "steward.db"), { readonly: true });
  try {
    const rows = db.prepare("SELECT repository, analyzer, input_key, result FROM result WHERE ok = 1 ORDER BY id").all() as Row[];
    return new Map(rows.map((r) => [`${r.repository} ${r.analyzer}`, r]));
  } finally {
    db.close();
  }
}

/** A stored result without what legitimately differs between a partial and a full clone. */
function comparable(json: string, dir: string): unknown {
  return JSON.parse(json.split(dir).join("<portfolio>"), (k: string, v: unknown) => (k === "coverage" || k === "lineCoverage" || k === "warnings" ? undefined : v));
}

beforeAll(async () => {
  await generateDemo(full);
  await generateDemo(partial);
  const project = join(partial, "tensorforge");
  const origin = join(root, "tensorforge-origin");
  renameSync(project, origin);
  git(origin, "config", "uploadpack.allowFilter", "true");
  git(root, "clone", "-q", "--filter=blob:none", `file://${origin}`, project);
  // The clone's own branches: main checked out, the release tags fetched with it.
  git(project, "branch", "-q", "pr/123-fused-adam-multi-tensor", "origin/pr/123-fused-adam-multi-tensor");
  await scanPortfolio(join(full, "steward.yaml"));
}, 120_000);

describe("scan of a portfolio holding a blobless clone", () => {
  it("keeps incomplete results, says so in status, and computes them again next time", async () => {
    const first = await scanPortfolio(join(partial, "steward.yaml"));
    const stored = results(partial);
    const apiKey = stored.get("tensorforge api")!.input_key;
    // Old releases' blobs are not local: the API ledger is incomplete, and keyed so.
    expect(apiKey.endsWith(":incomplete")).toBe(true);
    const ledger = JSON.parse(stored.get("tensorforge api")!.result) as { coverage: { missing: number; files: number } };
    expect(ledger.coverage.missing).toBeGreaterThan(0);
    expect(ledger.coverage.missing).toBeLessThan(ledger.coverage.files);
    // main's blobs are local: neutrality at main read everything, and is stored as complete.
    expect(stored.get("tensorforge neutrality")!.input_key.endsWith(":incomplete")).toBe(false);
    // Community counts every commit but skips the line counts of files whose blobs are absent.
    const comm = JSON.parse(stored.get("tensorforge community")!.result) as { lineCoverage: { missing: number; files: number } };
    expect(comm.lineCoverage.missing).toBeGreaterThan(0);
    expect(stored.get("tensorforge community")!.input_key.endsWith(":incomplete")).toBe(true);
    const status = await portfolioStatus(join(partial, "steward.yaml"));
    const row = status.repositories.find((r) => r.name === "tensorforge")!;
    expect(row.headline.unreadFiles).toBe(ledger.coverage.missing + comm.lineCoverage.missing);
    // The dashboard's portfolio row leads with it too.
    const report = await writeReport(join(partial, "steward.yaml"), { out: join(root, "report") });
    expect(readFileSync(report.index, "utf8")).toContain(`INCOMPLETE: ${row.headline.unreadFiles} file(s) not read`);
    const again = await scanPortfolio(join(partial, "steward.yaml"));
    expect(again.tasks.find((t) => t.repository === "tensorforge" && t.analyzer === "api")?.state).toBe("analysed");
    expect(again.tasks.find((t) => t.repository === "tensorforge" && t.analyzer === "neutrality")?.state).toBe("unchanged");
    expect(first.failed).toBe(again.failed);
  });

  it("with --fetch-missing stores what a scan of complete repositories stores", async () => {
    const s = await scanPortfolio(join(partial, "steward.yaml"), { fetchMissing: true });
    expect(s.failed).toBe(0);
    const got = results(partial);
    const want = results(full);
    for (const [key, row] of want) {
      expect(got.get(key)?.input_key, key).toBe(row.input_key);
      expect(comparable(got.get(key)!.result, partial), key).toEqual(comparable(row.result, full));
    }
    const status = await portfolioStatus(join(partial, "steward.yaml"));
    expect(status.repositories.find((r) => r.name === "tensorforge")!.headline.unreadFiles).toBeUndefined();
  });
});
