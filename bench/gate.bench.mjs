// npm run bench (part 6): steward check and steward claims over the generated 32-repository
// portfolio (8 copies of the demo, every policy set), against the no-change rescan they start
// with, measured in the same run: what the gate adds on top of keeping the store current.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateDemo } from "../dist/index.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, "..", "dist", "cli", "main.js");
const COPIES = 8;
const log = (s) => process.stderr.write(`[gate-bench] ${s}\n`);

function time(args, ok = [0]) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  if (!ok.includes(r.status)) throw new Error(`steward ${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, stdout: r.stdout };
}

function best(args, ok) {
  let min = Infinity;
  let out;
  for (let i = 0; i < 3; i++) {
    const r = time(args, ok);
    min = Math.min(min, r.ms);
    out = r.stdout;
  }
  return { ms: min, stdout: out };
}

const POLICIES = `policies:
  neutrality:
    lint: {reason: r, maxNew: 0}
    concentration: {reason: r, maxTopShare: {code: 0.6}}
  api:
    unannounced: {reason: r}
    grace: {reason: r, minReleases: 1, minDays: 90, releases: 2}
    bump: {reason: r}
  drift:
    debtGrowth: {reason: r, maxPercent: 50}
    baseAge: {reason: r, maxDays: 180}
  community:
    elephantFactor: {reason: r, min: 2}
    topShare: {reason: r, max: 0.6}
    ownership: {reason: r, maxSingleOrganizationShare: 0.5}
  deps:
    lag: {reason: r, maxDays: 120}
`;

const dir = mkdtempSync(join(tmpdir(), "steward-gate-bench-"));
try {
  const seed = join(dir, "seed");
  await generateDemo(seed);
  const lines = ["version: 1", "store: steward.db", "projects:"];
  const forks = ["forks:"];
  const plugins = ["plugins:"];
  const claims = ["claims:"];
  for (let i = 0; i < COPIES; i++) {
    const fam = `f${i}`;
    cpSync(seed, join(dir, fam), { recursive: true });
    lines.push(`  - {name: core-${i}, repo: ${fam}/tensorforge, branch: main, packages: [tensorforge], abstraction: get_accelerator()}`);
    forks.push(`  - {name: gaudi-${i}, of: core-${i}, repo: ${fam}/forks/tensorforge-gaudi, refs: ["refs/heads/1.*"]}`);
    forks.push(`  - {name: rocm-${i}, of: core-${i}, repo: ${fam}/forks/tensorforge-rocm, refs: [rocm-main]}`);
    plugins.push(`  - {name: npu-${i}, repo: ${fam}/plugins/tensorforge-npu, depends: [core-${i}]}`);
    claims.push(`  - {project: core-${i}, supports: [amd]}`, `  - {project: core-${i}, ownership: {path: tensorforge/accelerator/}}`, `  - {project: core-${i}, deprecation: {releases: 1}}`);
  }
  writeFileSync(join(dir, "steward.yaml"), [...lines, ...forks, ...plugins, POLICIES, ...claims].join("\n") + "\n");
  log(`portfolio of ${COPIES * 4} repositories written`);
  time(["scan", "--no-progress", dir]);
  const rescan = best(["scan", "--no-progress", "--json", dir]);
  const check = best(["check", "--no-progress", "--json", dir], [0, 1]);
  const judged = best(["check", "--no-scan", "--json", dir], [0, 1]);
  const claimed = best(["claims", "--no-progress", "--json", dir]);
  const r = JSON.parse(check.stdout);
  const c = JSON.parse(claimed.stdout);
  if (JSON.parse(rescan.stdout).analysed !== 0 || r.summary.error !== 0) {
    log(`MISMATCH: rescan analysed something or the check could not judge: ${JSON.stringify(r.summary)}`);
    process.exit(1);
  }
  const out = [
    "",
    `| ${COPIES * 4} repositories, ${r.results.length} policy results, ${c.claims.length} claims | time (ms, best of 3) | ratio |`,
    "|---|--:|--:|",
    `| baseline: no-change \`steward scan\` | ${rescan.ms.toFixed(0)} | 1.0× |`,
    `| \`steward check\` (the same rescan, then judge) | ${check.ms.toFixed(0)} | ${(check.ms / rescan.ms).toFixed(2)}× |`,
    `| \`steward check --no-scan\` (judge the store only) | ${judged.ms.toFixed(0)} | ${(judged.ms / rescan.ms).toFixed(2)}× |`,
    `| \`steward claims\` (rescan, then prove) | ${claimed.ms.toFixed(0)} | ${(claimed.ms / rescan.ms).toFixed(2)}× |`,
    "",
    `- verdict ${r.verdict}: ${r.summary.pass} pass, ${r.summary.fail} fail, ${r.summary.waived} waived; claims ${c.claims.filter((x) => x.status === "verified").length} verified, ${c.claims.filter((x) => x.status === "lapsed").length} lapsed`,
    `- target: check within 1.5× of the no-change rescan: ${(check.ms / rescan.ms).toFixed(2)}× — ${check.ms < 1.5 * rescan.ms ? "PASS" : "FAIL"}`,
  ];
  process.stdout.write(out.join("\n") + "\n");
  writeFileSync(join(HERE, "gate-results.md"), `# npm run bench: steward check and claims\n${out.join("\n")}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
