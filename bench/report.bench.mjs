// npm run bench (part 6): steward report, the static dashboard, of the demo and of the
// 32-repository bench portfolio (bench/portfolio.mjs): wall time of the whole command (node
// start-up included, best of 3), total size and the largest page. Targets: the demo's report
// under 2 s, no page over 500 KB. `steward status --json` on the same store is measured in the
// same run as the floor (it reads the store and starts the same CLI).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateDemo } from "../dist/index.js";
import { writeBenchPortfolio } from "./portfolio.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, "..", "dist", "cli", "main.js");
const log = (s) => process.stderr.write(`[report-bench] ${s}\n`);

function run(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  if (r.status !== 0) throw new Error(`steward ${args.join(" ")}: ${r.stderr}`);
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, stdout: r.stdout };
}

function best(args, n = 3) {
  let out;
  for (let i = 0; i < n; i++) {
    const r = run(args);
    if (!out || r.ms < out.ms) out = r;
  }
  return out;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const dir = mkdtempSync(join(tmpdir(), "steward-report-bench-"));
const rows = [];
let failed = false;
try {
  const demo = join(dir, "demo");
  await generateDemo(demo);
  run(["scan", "--no-progress", demo]);
  const bench = join(dir, "bench");
  const repos = await writeBenchPortfolio(bench);
  log(`portfolio of ${repos.length} repositories written; scanning`);
  run(["scan", "--no-progress", bench]);
  for (const [label, config, target] of [["demo (4 repositories)", demo, 2000], [`bench portfolio (${repos.length} repositories)`, bench, null]]) {
    const r = best(["report", "--json", config, "--out", join(dir, `site-${rows.length}`)]);
    const s = JSON.parse(r.stdout);
    const floor = best(["status", "--json", config]);
    const over = s.largest.bytes > 500 * 1024 || (target !== null && r.ms > target);
    failed ||= over;
    rows.push(`| ${label} | ${r.ms.toFixed(0)} | ${floor.ms.toFixed(0)} | ${s.files} | ${kb(s.bytes)} | ${s.largest.path} ${kb(s.largest.bytes)} |${over ? " **over target**" : ""}`);
    log(`${label}: ${r.ms.toFixed(0)} ms, ${s.files} files, ${kb(s.bytes)}, largest ${s.largest.path} ${kb(s.largest.bytes)}`);
  }
  const out = [
    "",
    "| steward report | time (ms, best of 3) | steward status --json (ms) | files | total | largest page |",
    "|---|--:|--:|--:|--:|---|",
    ...rows,
    "",
    "Targets: the demo's report under 2,000 ms, no page over 500 KB. Times are whole CLI runs",
    "(node start-up, store read, rendering, writing); `status --json` reads the same store through the same CLI.",
    `Machine: ${process.platform} ${process.arch}, node ${process.version}, measured ${new Date().toISOString().slice(0, 10)}.`,
  ];
  process.stdout.write(out.join("\n") + "\n");
  writeFileSync(join(HERE, "report-results.md"), `# npm run bench: steward report\n${out.join("\n")}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exit(1);
