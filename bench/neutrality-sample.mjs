// Precision measurement for `steward neutrality` (docs/neutrality.md, "Precision on real forks"):
// draws a fixed-seed random sample of verdicts from one run on a real repository and prints each
// with the lines it cites, for a person to judge by reading the code. Not a timed bench: its output
// is the list to judge; the judged counts go to the docs.
//
//   node bench/neutrality-sample.mjs --repo DIR [--ref REF] [--what sites|lint] [--seed 16] [--n 50]
//        [--context 3] [--cli dist/cli/main.js] [--json FILE]
//
// --what sites samples footprint sites (each site's vendor is the verdict); --what lint samples lint
// findings (the verdict: this line hard-codes a vendor in generic code, and the suggestion exists).
// --json FILE reads a saved `--json` output instead of running the CLI (to re-draw the same sample).
// --cli points at another build (e.g. the previous commit's) to measure before and after a change.
// The sample is drawn from the verdicts sorted by file, line and signal, so the same run and seed
// give the same sample on any machine.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sample } from "./sampling.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));

function args(argv) {
  const { values: v } = parseArgs({
    args: argv,
    options: { repo: { type: "string" }, ref: { type: "string", default: "HEAD" }, what: { type: "string", default: "sites" }, seed: { type: "string", default: "16" }, n: { type: "string", default: "50" }, context: { type: "string", default: "3" }, cli: { type: "string" }, json: { type: "string" } },
  });
  const o = { repo: v.repo, ref: v.ref, what: v.what, seed: Number(v.seed), n: Number(v.n), context: Number(v.context), cli: v.cli ? resolve(v.cli) : join(HERE, "..", "dist", "cli", "main.js"), json: v.json };
  if (!o.repo) throw new Error("--repo DIR is required");
  if (o.what !== "sites" && o.what !== "lint") throw new Error(`--what must be sites or lint: ${o.what}`);
  return o;
}

function run(o) {
  if (o.json) return JSON.parse(readFileSync(o.json, "utf8"));
  const cmd = o.what === "lint" ? ["neutrality", "lint"] : ["neutrality"];
  const r = spawnSync(process.execPath, [o.cli, ...cmd, "--repo", o.repo, "--json", "--no-progress", "--", o.ref], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`steward failed (${r.status}): ${r.stderr.trim()}`);
  return JSON.parse(r.stdout);
}

function verdictsOf(result, what) {
  const rows =
    what === "lint"
      ? result.findings.map((f) => ({ file: f.file, line: f.line, key: f.rule, verdict: `${f.rule} (${f.vendor})${f.waived ? " waived" : ""}`, note: f.suggestion ? `use ${f.suggestion}` : "(no suggestion)" }))
      : result.files.flatMap((f) =>
          f.sites.map((s) => ({
            file: f.path,
            line: s.line,
            key: s.signal,
            verdict: `${s.vendor} [${s.signal}, ${f.layer}${s.kind === "test" ? ", test gating" : ""}]`,
            note: [f.dedicatedTo ? `file dedicated to ${f.dedicatedTo} (${f.because})` : "", s.resolvedBy ? `${s.family} resolved by: ${s.resolvedBy}${s.guardLine ? ` (line ${s.guardLine})` : ""}` : ""].filter(Boolean).join("; "),
          })),
        );
  return rows.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
}

/** `n` distinct rows, drawn with the seeded generator (a partial Fisher-Yates shuffle). */
function fileLines(repo, commit, path, cache) {
  const key = `${commit}:${path}`;
  if (!cache.has(key)) {
    // A blob read by object name: the path never reaches git as an option.
    const r = spawnSync("git", ["--git-dir", repo, "cat-file", "blob", `${commit}:${path}`], { encoding: "utf8", maxBuffer: 1 << 28 });
    cache.set(key, r.status === 0 ? r.stdout.split("\n") : [`(unreadable: ${r.stderr.trim()})`]);
  }
  return cache.get(key);
}

function gitDirOf(repo) {
  const r = spawnSync("git", ["-C", repo, "rev-parse", "--absolute-git-dir"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : repo;
}

const o = args(process.argv.slice(2));
const result = run(o);
const rows = verdictsOf(result, o.what);
const picked = sample(rows, o.n, o.seed);
const gitDir = gitDirOf(o.repo);
const cache = new Map();
console.log(`# ${o.what} sample: ${picked.length} of ${rows.length} verdicts, seed ${o.seed}, ${result.ref} = ${result.commit}`);
picked.forEach((r, i) => {
  const lines = fileLines(gitDir, result.commit, r.file, cache);
  console.log(`\n## ${i + 1}. ${r.file}:${r.line} -> ${r.verdict}${r.note ? `\n   ${r.note}` : ""}`);
  for (let l = Math.max(1, r.line - o.context); l <= Math.min(lines.length, r.line + o.context); l++) console.log(`${l === r.line ? ">" : " "}${String(l).padStart(6)}  ${lines[l - 1]}`);
});
