// npm run bench (part 5): steward api diff on a generated package of 600 and 1,200 modules at two
// refs, beside the time to merely read the same blobs out of git (`git cat-file --batch`) and, when
// STEWARD_GRIFFE_SRC names a checkout of griffe 2.x's source (mkdocstrings/griffe), beside
// `griffe check PKG -a v1 -b v2` on the same pair in the same run; time, CPU and peak memory (GNU
// time). STEWARD_API_BENCH_PAIR=REPO:FROM:TO:PACKAGE adds a real pair (a git repository with a work
// tree holding both refs). The generated repositories are cached in the temp dir.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HistoryBuilder } from "../dist/index.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, "..", "dist", "cli", "main.js");
const SIZES = [600, 1200];
let MODULES = 0;
let REPO = "";
const log = (s) => process.stderr.write(`[api-bench] ${s}\n`);

function moduleText(i, v) {
  const lines = ['"""Generated module."""', "import warnings", "from typing import Optional", ""];
  for (let f = 0; f < 12; f++) {
    const changed = v === 2 && f === 0 && i % 10 === 0;
    const params = changed ? "x, y, *, scale: float = 1.0" : "x, y, scale: float = 1.0, bias: Optional[int] = None";
    lines.push(`def func_${f}(${params}):`, `    """Function ${f} of module ${i}."""`);
    if (v === 2 && f === 1 && i % 25 === 0) {
      lines.pop(); // func_1 deprecated in v1 is gone in v2
      lines.pop();
      continue;
    }
    if (v === 1 && f === 1 && i % 25 === 0) lines.push('    warnings.warn("func_1 is deprecated", DeprecationWarning)');
    lines.push("    total = x + y", "    for k in range(3):", "        total += k * scale", "    return total", "");
  }
  for (let c = 0; c < 3; c++) {
    lines.push(`class Model${c}(object):`, `    """Model ${c}."""`, "    kind = 'model'", "", "    def __init__(self, size, depth=2):", "        self.size = size", "        self.depth = depth", "");
    for (let m = 0; m < 6; m++) {
      if (v === 2 && c === 0 && m === 5 && i % 20 === 0) continue; // removed in v2
      lines.push(`    def method_${m}(self, a, b=None):`, "        return a", "");
    }
  }
  return lines.join("\n") + "\n";
}

async function generate() {
  const b = new HistoryBuilder();
  const files = (v) => {
    const out = { "pkg/__init__.py": '"""Bench package."""\n' };
    for (let i = 0; i < MODULES; i++) {
      const d = `pkg/sub${i % 40}`;
      out[`${d}/__init__.py`] = "";
      out[`${d}/mod_${i}.py`] = moduleText(i, v);
    }
    return out;
  };
  const v1 = b.commit({ branch: "main", message: "v1", author: { name: "Bench", email: "bench@example.org", date: "2025-01-01T00:00:00Z" }, files: files(1) });
  b.tag("v1", v1);
  const v2 = b.commit({ branch: "main", message: "v2", author: { name: "Bench", email: "bench@example.org", date: "2025-03-01T00:00:00Z" }, files: files(2) });
  b.tag("v2", v2);
  await b.write(REPO);
}

function measure(cmd, args, input) {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M %U %S", cmd, ...args], { input, encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: "1" }, stdio: [input ? "pipe" : "ignore", "pipe", "pipe"] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: exit ${r.status}: ${r.stderr.slice(-400)}`);
  const [secs, kb, user, sys] = r.stderr.trim().split("\n").at(-1).split(" ");
  return { ms: Number(secs) * 1000, rssMb: Number(kb) / 1024, cpuMs: (Number(user) + Number(sys)) * 1000, stdout: r.stdout };
}

const GRIFFE = process.env.STEWARD_GRIFFE_SRC ?? "";
const griffeEnv = GRIFFE ? { PYTHONPATH: [join(GRIFFE, "packages", "griffelib", "src"), join(GRIFFE, "packages", "griffecli", "src")].join(":") } : null;
if (!GRIFFE) log("griffe skipped: set STEWARD_GRIFFE_SRC to a checkout of griffe 2.x's source (github.com/mkdocstrings/griffe) to time it beside Steward");
else if (!existsSync(join(GRIFFE, "packages", "griffelib", "src", "griffe"))) throw new Error(`STEWARD_GRIFFE_SRC=${GRIFFE}: no packages/griffelib/src/griffe there (griffe 2.x's source tree)`);

/** griffe check in a work tree holding both refs (it checks each ref out in a temporary git worktree); exit 1 means it found breakages. */
function griffe(work, pkg, from, to) {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M %U %S", "python3", "-m", "griffe", "check", pkg, "-a", from, "-b", to], { cwd: work, encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, ...griffeEnv, NO_COLOR: "1" } });
  if (r.status !== 0 && r.status !== 1) throw new Error(`griffe check: exit ${r.status}: ${r.stderr.slice(-400)}`);
  const lines = r.stderr.trim().split("\n");
  const [secs, kb, user, sys] = lines.at(-1).split(" ");
  return { ms: Number(secs) * 1000, rssMb: Number(kb) / 1024, cpuMs: (Number(user) + Number(sys)) * 1000, breakages: lines.length - 1 };
}

// STEWARD_API_BENCH_BASE names another build of Steward (a checkout with dist/ built, e.g. the
// commit before a speed change): it runs in turn with this one, so before and after meet the same load.
const BASE = process.env.STEWARD_API_BENCH_BASE ?? "";
const BASE_CLI = BASE ? join(BASE, "dist", "cli", "main.js") : "";
if (BASE && !existsSync(BASE_CLI)) throw new Error(`STEWARD_API_BENCH_BASE=${BASE}: no dist/cli/main.js there (build it first)`);

/** Steward, the base build (if any) and griffe in turn, three times each: best wall time of each, CPU of that run. */
function sideBySide(repo, work, pkg, from, to) {
  const runs = { steward: [], base: [], griffe: [] };
  let result;
  const args = ["api", "diff", "--json", "--repo", repo, "--package", pkg, from, to];
  for (let i = 0; i < 3; i++) {
    const r = measure(process.execPath, [CLI, ...args]);
    result = JSON.parse(r.stdout);
    runs.steward.push(r);
    if (BASE) {
      const b = measure(process.execPath, [BASE_CLI, ...args]);
      // A speed change must not change the result.
      if (b.stdout !== r.stdout) log(`${pkg} ${from} → ${to}: the base build's JSON differs from this build's`);
      runs.base.push(b);
    }
    if (griffeEnv) runs.griffe.push(griffe(work, pkg, from, to));
  }
  const best = (rs) => (rs.length ? rs.reduce((a, b) => (b.ms < a.ms ? b : a)) : null);
  return { steward: best(runs.steward), base: best(runs.base), griffe: best(runs.griffe), all: runs, result };
}

const rows = [];
// The machine may be shared: the load at the start says how far the times can be trusted.
const load = loadavg()[0].toFixed(2);
for (const size of SIZES) {
  MODULES = size;
  REPO = join(tmpdir(), `steward-api-bench-v2-${MODULES}`);
  if (!existsSync(join(REPO, "HEAD")) && !existsSync(join(REPO, ".git"))) {
    log(`generating ${MODULES} modules at two refs (cached in ${REPO})`);
    await generate();
  }
  const list = ["v1", "v2"].map((ref) => spawnSync("git", ["-C", REPO, "ls-tree", "-r", ref], { encoding: "utf8" }).stdout).join("");
  const blobs = [...new Set([...list.matchAll(/blob ([0-9a-f]{40})\t.*\.py/g)].map((m) => m[1]))].join("\n") + "\n";
  const best = (f) => {
    const rs = [f(), f(), f()];
    return rs.reduce((a, b) => (b.ms < a.ms ? b : a));
  };
  // GNU time has 10 ms resolution: the read is timed here directly.
  const read = best(() => {
    const t = process.hrtime.bigint();
    const r = spawnSync("git", ["-C", REPO, "cat-file", "--batch"], { input: blobs, maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error("cat-file failed");
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, rssMb: NaN };
  });
  // griffe needs a work tree: a clone of the generated repository, made once (not timed).
  const work = `${REPO}-work`;
  if (griffeEnv && !existsSync(join(work, ".git"))) execFileSync("git", ["clone", "-q", REPO, work]);
  const { steward: diff, base, griffe: g, all, result } = sideBySide(REPO, work, "pkg", "v1", "v2");
  rows.push({ size, blobs: blobs.trim().split("\n").length, read, diff, base, griffe: g, all, result });
  log(`${size}: read ${read.ms.toFixed(0)} ms; diff ${diff.ms.toFixed(0)} ms, ${diff.rssMb.toFixed(0)} MB${g ? `; griffe ${g.ms.toFixed(0)} ms (${(g.ms / diff.ms).toFixed(1)}×)` : ""}`);
}

// A real pair, when given: REPO:FROM:TO:PACKAGE.
let real = null;
if (process.env.STEWARD_API_BENCH_PAIR) {
  const [repo, from, to, pkg] = process.env.STEWARD_API_BENCH_PAIR.split(":");
  const files = spawnSync("git", ["-C", repo, "ls-tree", "-r", "--name-only", to], { encoding: "utf8" }).stdout.split("\n").filter((f) => f.endsWith(".py")).length;
  real = { name: `${pkg} ${from} → ${to}`, files, ...sideBySide(repo, repo, pkg, from, to) };
  log(`${real.name}: diff ${real.steward.ms.toFixed(0)} ms${real.griffe ? `; griffe ${real.griffe.ms.toFixed(0)} ms (${(real.griffe.ms / real.steward.ms).toFixed(1)}×)` : ""}`);
}
const out = [
  "",
  "Command: `npm run bench` (this part alone: `npm run build && node bench/api.bench.mjs`). Each time is the best of three runs; load average at the start: " + load + ".",
  "",
  "| modules × 2 refs | distinct blobs | breaking (announced) | `git cat-file --batch` of those blobs (ms) | `steward api diff --json v1 v2` (ms) | ratio | Steward CPU, user+sys (ms) | Steward peak RSS (MB) |",
  "|--:|--:|--:|--:|--:|--:|--:|--:|",
  ...rows.map((r) => `| ${r.size.toLocaleString("en")} | ${r.blobs} | ${r.result.summary.breaking} (${r.result.summary.announced}) | ${r.read.ms.toFixed(1)} | ${r.diff.ms.toFixed(0)} | ${(r.diff.ms / r.read.ms).toFixed(0)}× | ${r.diff.cpuMs.toFixed(0)} | ${r.diff.rssMb.toFixed(0)} |`),
  "",
  `- target (issue #3): a DeepSpeed-size package (~600 files) diffed between two refs in under 2 s: ${(rows[0].diff.ms / 1000).toFixed(2)} s — ${rows[0].diff.ms < 2000 ? "PASS" : "MISS"}`,
  ...griffeLines(),
  ...baseLines(),
  "- On a shared machine the wall time follows the load; CPU time (user+sys, which can exceed wall time: git and Node's own threads run beside the parser) is the steadier measure.",
  "- Steward's time includes Node start-up, reading every module of both refs through one cat-file process, parsing each distinct blob once with tree-sitter, building both surfaces and the diff; reading the bytes is the small part, parsing the large one.",
];
function baseLines() {
  if (!BASE) return [];
  const pairs = [...rows.map((r) => ({ name: `generated, ${r.size.toLocaleString("en")} modules`, steward: r.diff, base: r.base })), ...(real ? [real] : [])];
  return [
    "",
    "Beside the base build (STEWARD_API_BENCH_BASE, the same diffs run in turn with this build's; best of three each):",
    "",
    "| pair | base (ms) | this build (ms) | base / this | base CPU (ms) | this CPU (ms) | CPU ratio |",
    "|---|--:|--:|--:|--:|--:|--:|",
    ...pairs.map((p) => `| ${p.name} | ${p.base.ms.toFixed(0)} | ${p.steward.ms.toFixed(0)} | ${(p.base.ms / p.steward.ms).toFixed(2)}× | ${p.base.cpuMs.toFixed(0)} | ${p.steward.cpuMs.toFixed(0)} | ${(p.base.cpuMs / p.steward.cpuMs).toFixed(2)}× |`),
    "",
    `- every run (CPU ms, base / this): ${[...rows.map((r) => ({ name: `generated, ${r.size.toLocaleString("en")} modules`, all: r.all })), ...(real ? [real] : [])].map((p) => `${p.name}: ${p.all.base.map((r) => r.cpuMs.toFixed(0)).join(", ")} / ${p.all.steward.map((r) => r.cpuMs.toFixed(0)).join(", ")}`).join("; ")}`,
  ];
}

function griffeLines() {
  if (!griffeEnv) return ["- griffe 2.x not timed (STEWARD_GRIFFE_SRC not set)."];
  const ms = (r) => r.ms.toFixed(0);
  const pairs = [...rows.map((r) => ({ name: `generated, ${r.size.toLocaleString("en")} modules`, files: r.size, steward: r.diff, griffe: r.griffe, all: r.all, result: r.result })), ...(real ? [real] : [])];
  return [
    "",
    "Beside griffe 2.x (`python3 -m griffe check PKG -a FROM -b TO` from its source, in a work tree of the same repository; runs alternate with Steward's, best of three each):",
    "",
    "| pair | Python files at TO | Steward (ms) | griffe (ms) | griffe / Steward | Steward CPU (ms) | griffe CPU (ms) | CPU ratio | Steward findings | griffe breakages |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ...pairs.map((p) => `| ${p.name} | ${p.files} | ${ms(p.steward)} | ${ms(p.griffe)} | ${(p.griffe.ms / p.steward.ms).toFixed(1)}× | ${p.steward.cpuMs.toFixed(0)} | ${p.griffe.cpuMs.toFixed(0)} | ${(p.griffe.cpuMs / p.steward.cpuMs).toFixed(1)}× | ${p.result.summary.breaking} | ${p.griffe.breakages} |`),
    "",
    // Each pair has its own verdict: one passing pair must not hide a real project's miss.
    `- target (issue #11): a 600-file pair at least 5× faster than griffe 2.x: ${pairs.map((p) => `${p.name} ${(p.griffe.ms / p.steward.ms).toFixed(1)}× ${p.griffe.ms / p.steward.ms >= 5 ? "PASS" : "MISS"}`).join(", ")}`,
    `- every run (ms, Steward / griffe): ${pairs.map((p) => `${p.name}: ${p.all.steward.map(ms).join(", ")} / ${p.all.griffe.map(ms).join(", ")}`).join("; ")}`,
  ];
}

process.stdout.write(out.join("\n") + "\n");
// Sections written by hand below the bench's part (from the first "## " heading on) are kept: a rerun replaced them too.
const RESULTS = join(HERE, "api-results.md");
const previous = existsSync(RESULTS) ? readFileSync(RESULTS, "utf8") : "";
const kept = previous.indexOf("\n## ") >= 0 ? previous.slice(previous.indexOf("\n## ")) : "";
writeFileSync(RESULTS, "# npm run bench: steward api\n" + out.join("\n") + "\n" + kept);
