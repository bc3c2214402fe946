// The bench portfolio shared by scan.bench.mjs and report.bench.mjs: 8 copies of the demo's
// family (project, two forks, plugin) = 32 repositories in one steward.yaml.
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateDemo } from "../dist/index.js";

export const COPIES = 8; // 8 families x 4 repositories = 32

/** Writes the portfolio under dir (steward.yaml at its root); returns the repositories' paths relative to dir. */
export async function writeBenchPortfolio(dir) {
  const seed = join(dir, "seed");
  await generateDemo(seed);
  const lines = ["version: 1", "store: steward.db", "projects:"];
  const forks = ["forks:"];
  const plugins = ["plugins:"];
  const repos = [];
  for (let i = 0; i < COPIES; i++) {
    const fam = `f${i}`;
    cpSync(seed, join(dir, fam), { recursive: true });
    lines.push(`  - {name: core-${i}, repo: ${fam}/tensorforge, branch: main}`);
    forks.push(`  - {name: gaudi-${i}, of: core-${i}, repo: ${fam}/forks/tensorforge-gaudi, refs: ["refs/heads/1.*"]}`);
    forks.push(`  - {name: rocm-${i}, of: core-${i}, repo: ${fam}/forks/tensorforge-rocm, refs: [rocm-main]}`);
    plugins.push(`  - {name: npu-${i}, repo: ${fam}/plugins/tensorforge-npu, depends: [core-${i}]}`);
    repos.push(`${fam}/tensorforge`, `${fam}/forks/tensorforge-gaudi`, `${fam}/forks/tensorforge-rocm`, `${fam}/plugins/tensorforge-npu`);
  }
  writeFileSync(join(dir, "steward.yaml"), [...lines, ...forks, ...plugins].join("\n") + "\n");
  return repos;
}
