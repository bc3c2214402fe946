// npm run bench (part 2): steward scan over a generated portfolio of >= 30 repositories:
// first scan, then a no-change rescan (target: under 1 s), beside `git for-each-ref` over
// the same repositories measured in the same run (the floor any change detection pays).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeBenchPortfolio } from "./portfolio.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, "..", "dist", "cli", "main.js");
const log = (s) => process.stderr.write(`[scan-bench] ${s}\n`);

function time(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, stdout: r.stdout };
}

const dir = mkdtempSync(join(tmpdir(), "steward-scan-bench-"));
try {
  const repos = await writeBenchPortfolio(dir);
  log(`portfolio of ${repos.length} repositories written`);
  const first = time(process.execPath, [CLI, "scan", "--no-progress", "--json", dir]);
  const s1 = JSON.parse(first.stdout);
  let best = Infinity;
  let s2;
  for (let i = 0; i < 3; i++) {
    const r = time(process.execPath, [CLI, "scan", "--no-progress", "--json", dir]);
    best = Math.min(best, r.ms);
    s2 = JSON.parse(r.stdout);
  }
  let floor = 0;
  for (const r of repos) floor += time("git", ["-C", join(dir, r), "for-each-ref"]).ms;
  if (s1.failed || s2.analysed !== 0 || s2.unchanged !== s1.analysed) {
    log(`MISMATCH: first ${JSON.stringify([s1.analysed, s1.failed])}, rescan ${JSON.stringify([s2.analysed, s2.unchanged])}`);
    process.exit(1);
  }
  const out = [
    "",
    `| steward scan, ${repos.length} repositories (${s1.analysed} analyses) | time (ms) | ratio |`,
    "|---|--:|--:|",
    `| baseline: \`git for-each-ref\` in each repository, one after another | ${floor.toFixed(0)} | 1.0× |`,
    `| first scan | ${first.ms.toFixed(0)} | ${(first.ms / floor).toFixed(1)}× |`,
    `| no-change rescan (best of 3) | ${best.toFixed(0)} | ${(best / floor).toFixed(1)}× |`,
    "",
    `- target: no-change rescan under 1 s: ${best.toFixed(0)} ms — ${best < 1000 ? "PASS" : "FAIL"}`,
  ];
  process.stdout.write(out.join("\n") + "\n");
  writeFileSync(join(HERE, "scan-results.md"), `# npm run bench: steward scan\n${out.join("\n")}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
