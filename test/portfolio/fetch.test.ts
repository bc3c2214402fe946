import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "../../src/demo/index.js";
import { scanPortfolio } from "../../src/portfolio/scan.js";
import { fetchPortfolio } from "../../src/portfolio/sources.js";
import { git, tempDir } from "../helpers/git.js";

const root = tempDir();
const demo = join(root, "demo");
const REPOS = ["tensorforge", "forks/tensorforge-gaudi", "forks/tensorforge-rocm", "plugins/tensorforge-npu"];

/** The demo's config with every repository given as a file:// URL (a remote, as far as Steward can tell). */
function remoteConfig(dir: string, extra = ""): string {
  mkdirSync(dir, { recursive: true });
  let text = readFileSync(join(demo, "steward.yaml"), "utf8");
  for (const r of REPOS) text = text.replace(`repo: ${r}\n`, `repo: file://${join(demo, r)}\n`);
  writeFileSync(join(dir, "steward.yaml"), text + extra);
  return join(dir, "steward.yaml");
}

/** Everything a scan stored, minus ids, times and the repository locations that differ by design. */
function stored(db: string, reposAt: string, config: string) {
  const d = new Database(db, { readonly: true });
  try {
    const results = d.prepare("SELECT repository, analyzer, ok, result FROM result WHERE ok = 1 ORDER BY repository, analyzer").all() as { result: string }[];
    const points = d.prepare("SELECT repository, analyzer, ref, date, metric, value FROM point ORDER BY repository, analyzer, ref, date, metric").all();
    return { results: results.map((r) => ({ ...r, result: r.result.split(JSON.stringify(config)).join('"<config>"').split(reposAt).join("<repos>") })), points };
  } finally {
    d.close();
  }
}

function refsOf(dir: string): string {
  return git(dir, "for-each-ref", "--format=%(refname) %(objectname)");
}

beforeAll(async () => {
  await generateDemo(demo);
});

describe("steward fetch and URL repositories", () => {
  it("scans URL repositories from the workspace cache after a fetch, with the same results as local paths", async () => {
    const local = join(root, "local");
    cpSync(demo, local, { recursive: true });
    await scanPortfolio(local);

    const cfg = remoteConfig(join(root, "remote"));
    const before = await scanPortfolio(cfg);
    expect(before.tasks.map((t) => [t.repository, t.state])).toEqual([
      ["tensorforge-gaudi", "failed"],
      ["tensorforge-rocm", "failed"],
      ["tensorforge", "failed"],
      ["tensorforge-npu", "failed"],
      ["*", "failed"],
      ["tensorforge", "failed"],
      ["tensorforge-npu", "failed"],
      ["tensorforge", "failed"],
      ["tensorforge-npu", "failed"],
      ["tensorforge", "failed"],
    ]);
    expect(before.tasks[0]!.error).toBe(`file://${join(demo, "tensorforge")} has not been fetched yet (run steward fetch ${cfg})`);

    const sourceRefs = REPOS.map((r) => refsOf(join(demo, r)));
    const events: string[] = [];
    const f = await fetchPortfolio(cfg, { onProgress: (e) => events.push(e.kind === "fetch" ? `${e.repository} ${e.state}` : `start ${e.repository}`) });
    expect(f.repositories.map((r) => [r.name, r.state, r.refs])).toEqual([
      ["tensorforge", "fetched", refsOf(join(demo, "tensorforge")).split("\n").filter(Boolean).length],
      ["tensorforge-gaudi", "fetched", refsOf(join(demo, "forks/tensorforge-gaudi")).split("\n").filter(Boolean).length],
      ["tensorforge-rocm", "fetched", refsOf(join(demo, "forks/tensorforge-rocm")).split("\n").filter(Boolean).length],
      ["tensorforge-npu", "fetched", refsOf(join(demo, "plugins/tensorforge-npu")).split("\n").filter(Boolean).length],
    ]);
    // A first fetch brings every ref.
    expect(f.repositories.map((r) => r.changed)).toEqual(f.repositories.map((r) => r.refs));
    expect(events.filter((e) => !e.startsWith("start")).sort()).toEqual(["tensorforge fetched", "tensorforge-gaudi fetched", "tensorforge-npu fetched", "tensorforge-rocm fetched"]);
    // The project and its forks share one store; the plugin has its own.
    expect(readdirSync(join(root, "remote/.steward-cache/repos")).sort()).toHaveLength(2);
    // Nothing was written into the repositories fetched from.
    expect(REPOS.map((r) => refsOf(join(demo, r)))).toEqual(sourceRefs);

    const after = await scanPortfolio(cfg);
    expect([after.analysed, after.unchanged, after.failed]).toEqual([10, 0, 0]);
    expect(stored(join(root, "remote/steward.db"), `file://${demo}`, cfg)).toEqual(stored(join(local, "steward.db"), local, join(local, "steward.yaml")));
  });

  it("sees new commits only after the next fetch, and reports an unreachable repository without stopping", async () => {
    const src = join(root, "moving");
    cpSync(demo, src, { recursive: true });
    const dir = join(root, "remote-moving");
    mkdirSync(dir, { recursive: true });
    let text = readFileSync(join(demo, "steward.yaml"), "utf8");
    for (const r of REPOS) text = text.replace(`repo: ${r}\n`, `repo: file://${join(src, r)}\n`);
    text = text.replace("plugins:\n", "  - name: gone\n    of: tensorforge\n    repo: file:///nonexistent/steward-test/gone.git\n    refs: [main]\n\nplugins:\n");
    const cfg = join(dir, "steward.yaml");
    writeFileSync(cfg, text);

    const f = await fetchPortfolio(cfg);
    expect(f.repositories.map((r) => [r.name, r.state])).toEqual([
      ["tensorforge", "fetched"],
      ["tensorforge-gaudi", "fetched"],
      ["tensorforge-rocm", "fetched"],
      ["gone", "failed"],
      ["tensorforge-npu", "fetched"],
    ]);
    expect(f.repositories[3]!.error).toMatch(/^cannot fetch file:\/\/\/nonexistent\/steward-test\/gone\.git into the workspace cache: .+/);
    const first = await scanPortfolio(cfg);
    // The fetch's cause is kept, not replaced by "has not been fetched yet".
    expect(first.tasks.find((t) => t.repository === "gone")!.error).toMatch(/^file:\/\/\/nonexistent\/steward-test\/gone\.git could not be fetched \(steward fetch at \d{4}-\d\d-\d\dT[\d:]+Z\): cannot fetch file:\/\/\/nonexistent\/steward-test\/gone\.git into the workspace cache: .+/);
    expect(first.tasks.map((t) => [t.repository, t.state])).toEqual([
      ["tensorforge-gaudi", "analysed"],
      ["tensorforge-rocm", "analysed"],
      ["gone", "failed"],
      ["tensorforge", "analysed"],
      ["tensorforge-npu", "analysed"],
      ["*", "analysed"],
      ["tensorforge", "analysed"],
      ["tensorforge-npu", "analysed"],
      ["tensorforge", "analysed"],
      ["tensorforge-npu", "analysed"],
      ["tensorforge", "analysed"],
    ]);

    git(join(src, "forks/tensorforge-rocm"), "-c", "user.name=T", "-c", "user.email=t@x", "commit", "-q", "--allow-empty", "-m", "rocm: more");
    const stale = await scanPortfolio(cfg);
    expect(stale.tasks.filter((t) => t.state === "analysed")).toEqual([]);
    // The fetch says which repository brought something new: only the ROCm fork's branch moved.
    expect((await fetchPortfolio(cfg)).repositories.map((r) => [r.name, r.changed])).toEqual([
      ["tensorforge", 0],
      ["tensorforge-gaudi", 0],
      ["tensorforge-rocm", 1],
      ["gone", 0],
      ["tensorforge-npu", 0],
    ]);
    const fresh = await scanPortfolio(cfg);
    expect(fresh.tasks.filter((t) => t.state === "analysed").map((t) => t.repository)).toEqual(["tensorforge-rocm"]);

    // The CLI: every fetch line, then one error line and exit 2 for the unreachable one.
    const cli = spawnSync(process.execPath, [resolve("dist/cli/main.js"), "fetch", cfg], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(cli.status).toBe(2);
    expect(cli.stdout).toMatch(/: 4 fetched \(0 with new refs, 4 up to date\), 1 failed\n/);
    expect(cli.stdout).toMatch(/\n  ✓ tensorforge-rocm {3}up to date \(\d+ refs\), \d+ ms {2}file:\/\//);
    // Failed rows align with the others: the error starts in the column where the fetched rows' state does.
    const rows = cli.stdout.split("\n").filter((l) => /^ {2}[✓✗] /.test(l));
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((l) => l.search(/(up to date|cannot fetch)/)))).toEqual(new Set([4 + "tensorforge-gaudi".length + 2]));
    expect(cli.stderr).toBe("steward: 1 of 5 repositories could not be fetched: gone\n");
  });
});
