// Local portfolio: what `steward scan` costs on disk and in time when every repository is a
// local path. The demo portfolio, with its project made heavy (SIZE_MB of incompressible
// files in its history, as a big project's history is), its Gaudi fork given as a blobless
// partial clone and its ROCm fork's branch living in the project's own repository under
// refs/remotes/rocm/. Prints the scan's wall time, the workspace cache's size on disk and
// its object count (`git count-objects -v`) beside the project's.
//
//   npm run build && node bench/local-portfolio.bench.mjs [SIZE_MB] [full]
//
// With `full`, the Gaudi fork stays a complete repository (a Steward that copies local
// repositories into its cache cannot read a blobless one; this compares like with like).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateDemo } from "../dist/index.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, "..", "dist", "cli", "main.js");
const SIZE_MB = Number(process.argv[2] ?? 256);
const FULL = process.argv[3] === "full";
const log = (s) => process.stderr.write(`[local-portfolio] ${s}\n`);

function git(cwd, ...args) {
  const r = spawnSync("git", ["-c", "user.name=Bench", "-c", "user.email=bench@example.org", ...args], { cwd, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" } });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

function du(path) {
  let n = 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  for (const e of readdirSync(path)) n += du(join(path, e));
  return n;
}

function objects(gitDir) {
  const out = Object.fromEntries(git(gitDir, "count-objects", "-v").trim().split("\n").map((l) => l.split(": ")));
  return { count: Number(out.count) + Number(out["in-pack"]), kib: Number(out.size) + Number(out["size-pack"]) };
}

const dir = mkdtempSync(join(tmpdir(), "steward-local-bench-"));
try {
  await generateDemo(dir);
  const project = join(dir, "tensorforge");
  // History weight: files added and later deleted on main, before every fork's base is irrelevant
  // here; what matters is that the project's object store is big.
  mkdirSync(join(project, "assets"), { recursive: true });
  for (let i = 0; i < SIZE_MB; i++) writeFileSync(join(project, "assets", `blob-${i}.bin`), randomBytes(1 << 20));
  git(project, "add", "assets");
  git(project, "commit", "-q", "-m", "assets");
  git(project, "rm", "-q", "-r", "assets");
  git(project, "commit", "-q", "-m", "assets gone");
  git(project, "gc", "-q");
  // The Gaudi fork as users keep big repositories: a blobless clone.
  const gaudiSrc = join(dir, "forks/tensorforge-gaudi");
  git(gaudiSrc, "config", "uploadpack.allowFilter", "true");
  if (!FULL) git(dir, "clone", "-q", "--filter=blob:none", "--no-checkout", "--mirror", `file://${gaudiSrc}`, join(dir, "forks/gaudi-partial.git"));
  // The ROCm fork's branch inside the project's repository.
  git(project, "fetch", "-q", join(dir, "forks/tensorforge-rocm"), "+refs/heads/*:refs/remotes/rocm/*");
  let config = readFileSync(join(dir, "steward.yaml"), "utf8");
  if (!FULL) config = config.replace("repo: forks/tensorforge-gaudi\n", "repo: forks/gaudi-partial.git\n");
  config = config.replace("repo: forks/tensorforge-rocm\n    refs: [rocm-main]", "repo: tensorforge\n    refs: [refs/remotes/rocm/rocm-main]");
  writeFileSync(join(dir, "steward.yaml"), config);
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, "scan", "--no-progress", "--json", dir], { encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const s = JSON.parse(r.stdout);
  const t2 = process.hrtime.bigint();
  const again = spawnSync(process.execPath, [CLI, "scan", "--no-progress", "--json", dir], { encoding: "utf8" });
  const rescanMs = Number(process.hrtime.bigint() - t2) / 1e6;
  const cache = join(dir, ".steward-cache");
  const stores = (() => {
    try {
      return readdirSync(join(cache, "repos")).map((d) => join(cache, "repos", d));
    } catch {
      return [];
    }
  })();
  const cacheObjects = stores.map(objects).reduce((a, b) => ({ count: a.count + b.count, kib: a.kib + b.kib }), { count: 0, kib: 0 });
  const src = objects(project);
  const lines = [
    `| local portfolio, project ${(du(join(project, ".git")) / 2 ** 20).toFixed(1)} MiB on disk | value |`,
    "|---|--:|",
    `| steward scan (first, cold cache)${FULL ? ", Gaudi fork complete" : ", Gaudi fork blobless"} | ${ms.toFixed(0)} ms, exit ${r.status} |`,
    `| no-change rescan | ${rescanMs.toFixed(0)} ms, exit ${again.status} |`,
    `| tasks analysed / failed | ${s.analysed} / ${s.failed}${s.failed ? ` (${s.tasks.filter((x) => x.state === "failed").map((x) => `${x.repository} ${x.analyzer}`).join(", ")})` : ""} |`,
    `| workspace cache on disk | ${(du(cache) / 2 ** 20).toFixed(2)} MiB |`,
    `| objects in the cache / in the project | ${cacheObjects.count} (${cacheObjects.kib} KiB) / ${src.count} (${src.kib} KiB) |`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
  if (!FULL) {
    writeFileSync(
      join(HERE, "local-portfolio-results.md"),
      [
        "# Local portfolio: `node bench/local-portfolio.bench.mjs " + SIZE_MB + "` (part of `npm run bench`)",
        "",
        "The demo portfolio with every repository a local path: its project made heavy (" + SIZE_MB + " MiB of",
        "incompressible files in its history), the Gaudi fork a blobless clone, the ROCm fork's branch",
        "inside the project's repository. Last run:",
        "",
        ...lines,
        "",
        "Before local repositories joined by alternates (measured once with the same script on the previous",
        "code, 256 MiB, load ~7 on 2 cores): the first scan copied the project into the cache (256.2 MiB,",
        "537 objects) in 8.0–8.4 s, and the blobless fork's drift failed (`git-pack-objects died`); with",
        "the fork complete, 0 failures but the same 256 MiB copy. After, same machine and load: 2.9 s",
        "(complete fork) / 4.1 s (blobless), cache 0.02 MiB with 0 objects of its own.",
        "",
      ].join("\n"),
    );
  }
  for (const x of s.tasks.filter((x) => x.state === "failed")) log(`failed: ${x.repository} ${x.analyzer}: ${x.error}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
