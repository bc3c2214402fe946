// npm run bench (part 3): steward neutrality over a generated tree of >= 20k files, beside
// `git grep -c -E` with the same raw signal patterns over the same commit, measured in the same
// run (target: within 3x). Also the lint on the same tree. The tree is cached in the temp dir.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { mulberry32 } from "../dist/demo/content.js";
import { HistoryBuilder } from "../dist/index.js";
import { SIGNALS } from "../dist/analyzers/neutrality/taxonomy.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, "..", "dist", "cli", "main.js");
const FILES = 20_000;
const REPO = join(tmpdir(), `steward-neutrality-bench-v2-${FILES}`);
const log = (s) => process.stderr.write(`[neutrality-bench] ${s}\n`);

const VENDOR_PY = ["torch.cuda.synchronize()", "x = x.cuda()", 'dev = "cuda"', 'backend = "nccl"', "import habana_frameworks.torch.core as htcore", 'dev = "xpu"', "torch.xpu.empty_cache()", "import torch_npu", 'b = "hccl"', "if torch.version.hip:", "ok = torch.backends.mps.is_available()"];
const VENDOR_C = ["cudaMalloc(&p, n);", "hipMalloc(&p, n);", "sycl::queue q;", "#include <cuda_runtime.h>"];
const DIRS = ["core", "runtime", "ops", "models", "utils", "comm", "inference", "training", "moe", "zero"];

function generate() {
  const rand = mulberry32(42);
  const b = new HistoryBuilder();
  const files = {};
  for (let i = 0; i < FILES; i++) {
    const d = `pkg/${DIRS[i % DIRS.length]}/m${Math.floor(i / 100)}`;
    const kind = rand();
    const n = 20 + Math.floor(rand() * 60);
    const lines = [];
    if (kind < 0.75) {
      for (let j = 0; j < n; j++) lines.push(rand() < 0.01 ? VENDOR_PY[Math.floor(rand() * VENDOR_PY.length)] : `value_${j} = compute(${j}, "item_${i}")  # step ${j}`);
      files[`${d}/mod_${i}.py`] = lines.join("\n") + "\n";
    } else if (kind < 0.85) {
      for (let j = 0; j < n; j++) lines.push(rand() < 0.01 ? VENDOR_C[Math.floor(rand() * VENDOR_C.length)] : `int v${j} = f(${j}); // line ${j}`);
      files[`csrc/${DIRS[i % DIRS.length]}/k_${i}.${rand() < 0.2 ? "cu" : "cpp"}`] = lines.join("\n") + "\n";
    } else if (kind < 0.95) {
      for (let j = 0; j < n; j++) lines.push(rand() < 0.01 ? "Runs on CUDA, ROCm and Gaudi." : `Paragraph ${j} of page ${i}.`);
      files[`docs/p${Math.floor(i / 100)}/page_${i}.md`] = lines.join("\n") + "\n";
    } else if (kind < 0.96) {
      files[`.github/workflows/w_${i}.yml`] = `name: w${i}\njobs:\n  t:\n    runs-on: [self-hosted, ${["nvidia", "amd", "gaudi2", "xpu"][i % 4]}]\n    steps:\n      - run: pytest\n`;
    } else {
      for (let j = 0; j < n; j++) lines.push(`def test_${j}(): assert f(${j})`);
      if (rand() < 0.3) lines.splice(1, 0, "@pytest.mark.skipif(not torch.cuda.is_available(), reason='gpu')");
      files[`tests/t${Math.floor(i / 100)}/test_${i}.py`] = lines.join("\n") + "\n";
    }
  }
  files["accelerator/real_accelerator.py"] = "def get_accelerator():\n    return None\n";
  b.commit({ branch: "main", message: "tree", author: { name: "Bench", email: "bench@example.org", date: "2025-01-01T00:00:00Z" }, files });
  return b.write(REPO);
}

function time(cmd, args, okCodes = [0]) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: "1" } });
  if (!okCodes.includes(r.status)) throw new Error(`${cmd} ${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, stdout: r.stdout };
}

/** The signal's JavaScript pattern in POSIX ERE as git grep -E reads it (glibc keeps \b and \w). */
function toEre(p) {
  // ERE has no lookahead: drop it (the raw pattern then matches a little more, which only makes git grep's job no smaller).
  return p.replace(/\(\?!(?:\\.|[^()\\])*\)/g, "").replace(/\(\?:/g, "(").replace(/\\d/g, "[0-9]").replace(/\\s/g, "[[:space:]]").replace(/\^|\$/g, "");
}

if (!existsSync(join(REPO, "HEAD")) && !existsSync(join(REPO, ".git"))) {
  log(`generating ${FILES} files (cached in ${REPO})`);
  await generate();
}
const patterns = SIGNALS.flatMap((s) => ["-e", toEre(s.pattern)]);
const runs = 3;
const best = (f) => Math.min(...Array.from({ length: runs }, f));
const grep = best(() => time("git", ["-C", REPO, "grep", "-c", "-E", "-I", ...patterns, "HEAD"], [0, 1]).ms);
const floor = best(() => time("git", ["-C", REPO, "grep", "-c", "-E", "-I", "-e", "cuda", "HEAD"], [0, 1]).ms);
const grepI = best(() => time("git", ["-C", REPO, "grep", "-c", "-E", "-I", "-i", ...patterns, "HEAD"], [0, 1]).ms);
let footprint;
const fp = best(() => {
  const r = time(process.execPath, [CLI, "neutrality", "--json", "--no-progress", "--repo", REPO, "HEAD"]);
  footprint = JSON.parse(r.stdout);
  return r.ms;
});
let lint;
const lt = best(() => {
  const r = time(process.execPath, [CLI, "neutrality", "lint", "--json", "--no-progress", "--repo", REPO, "HEAD"], [0, 1]);
  lint = JSON.parse(r.stdout);
  return r.ms;
});
const vendors = Object.keys(footprint.vendors).length;
const out = [
  "",
  `| steward neutrality, ${footprint.totals.files} files (${footprint.files.length} with sites or dedicated, ${vendors} vendors/families; best of ${runs}) | time (ms) | ratio |`,
  "|---|--:|--:|",
  `| baseline: \`git grep -c -E -I\` with the ${SIGNALS.length} raw signal patterns | ${grep.toFixed(0)} | 1.0× |`,
  `| floor: \`git grep -c -E -I -e cuda\` (one keyword) | ${floor.toFixed(0)} | ${(floor / grep).toFixed(2)}× |`,
  `| the same, case-insensitive (\`-i\`, as Steward's prefilter) | ${grepI.toFixed(0)} | ${(grepI / grep).toFixed(2)}× |`,
  `| \`steward neutrality --json\` (footprint, evidence) | ${fp.toFixed(0)} | ${(fp / grep).toFixed(2)}× |`,
  `| \`steward neutrality lint --json\` (${lint.findings.length} findings) | ${lt.toFixed(0)} | ${(lt / grep).toFixed(2)}× |`,
  "",
  `- target: footprint within 3× of git grep: ${(fp / grep).toFixed(2)}× — ${fp / grep <= 3 ? "PASS" : "MISS"}`,
  `- against the one-keyword floor: ${(fp / floor).toFixed(1)}× (glibc's ERE engine slows down with many alternatives; Steward tests one case-insensitive union per file as a prefilter, then the signals of the file's kind line by line only in files that pass it)`,
];
process.stdout.write(out.join("\n") + "\n");
writeFileSync(join(HERE, "neutrality-results.md"), "# npm run bench: steward neutrality\n" + out.join("\n") + "\n");
