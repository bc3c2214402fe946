// Precision measurement for `steward api diff` (docs/api.md, "Precision"): pools the `breaking`
// findings of one or more release pairs and draws a fixed-seed random sample of them, printed with
// what each verdict rests on (kind, parts, file and line at both refs, aliases), for a person to
// judge by reading the code at both refs. Not a timed bench: its output is the list to judge; the
// judged counts go to the docs.
//
//   node bench/api-sample.mjs --repo DIR --pair FROM..TO [--pair FROM..TO ...] [--seed 16] [--n 50]
//        [--cli dist/cli/main.js] [--json FILE ...]
//
// --json FILE (repeatable) reads saved `api diff --json` outputs instead of running the CLI, so the
// same sample can be re-drawn. The pool is sorted by pair, object and kind before drawing, so the
// same runs and seed give the same sample on any machine.
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
    options: { repo: { type: "string" }, pair: { type: "string", multiple: true, default: [] }, seed: { type: "string", default: "16" }, n: { type: "string", default: "50" }, cli: { type: "string" }, json: { type: "string", multiple: true, default: [] } },
  });
  const pairs = v.pair.map((x) => {
    const [from, to] = x.split("..");
    if (!from || !to) throw new Error(`--pair must be FROM..TO: ${x}`);
    return { from, to };
  });
  const o = { repo: v.repo, pairs, json: v.json, seed: Number(v.seed), n: Number(v.n), cli: v.cli ? resolve(v.cli) : join(HERE, "..", "dist", "cli", "main.js") };
  if (o.json.length === 0 && (!o.repo || o.pairs.length === 0)) throw new Error("--repo DIR and at least one --pair FROM..TO are required (or --json FILE)");
  return o;
}

function runs(o) {
  if (o.json.length > 0) return o.json.map((f) => JSON.parse(readFileSync(f, "utf8")));
  return o.pairs.map(({ from, to }) => {
    const r = spawnSync(process.execPath, [o.cli, "api", "diff", "--repo", o.repo, "--json", "--", from, to], { encoding: "utf8", maxBuffer: 1 << 30 });
    if (r.status !== 0 && r.status !== 1) throw new Error(`steward failed (${r.status}): ${r.stderr.trim()}`);
    return JSON.parse(r.stdout);
  });
}

function refName(side) {
  return typeof side === "object" && side !== null ? `${side.ref ?? side.commit}` : String(side);
}

function pooled(results) {
  const rows = results.flatMap((res) => res.breaking.map((b) => ({ pair: `${refName(res.from)}..${refName(res.to)}`, ...b })));
  const key = (r) => `${r.pair}\u0000${r.object}\u0000${r.kind}`;
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `n` distinct rows, drawn with the seeded generator (a partial Fisher-Yates shuffle). */
function partText(p) {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`)
    .join(" ");
}

const o = args(process.argv.slice(2));
const rows = pooled(runs(o));
const picked = sample(rows, o.n, o.seed);
const byPair = new Map();
for (const r of rows) byPair.set(r.pair, (byPair.get(r.pair) ?? 0) + 1);
console.log(`# api breaking sample: ${picked.length} of ${rows.length} findings, seed ${o.seed} (${[...byPair].map(([p, c]) => `${p}: ${c}`).join(", ")})`);
picked.forEach((r, i) => {
  console.log(`\n## ${i + 1}. [${r.pair}] ${r.object} -> ${r.kind}`);
  console.log(`   from ${r.file}:${r.line}${r.to ? `  to ${r.to.file}:${r.to.line}` : ""}`);
  for (const p of r.parts ?? []) console.log(`   part: ${partText(p)}`);
  if (r.aliases?.length) console.log(`   aliases: ${r.aliases.join(", ")}`);
  if (r.deprecation) console.log(`   deprecation: ${r.deprecation.verdict}`);
});
