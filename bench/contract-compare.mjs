// The plugin contract read twice: by Steward (tree-sitter, src/python/couplings.ts) and by Python's own
// `ast` (bench/contract_ast.py, the same rules written independently), on one real adaptor, and what
// each found that the other did not. Not part of `npm run bench`: it needs a plugin repository.
//
//   node bench/contract-compare.mjs PLUGIN_REPO [REF] --roots vllm [--show N]
//
// The plugin's tree at REF is written to a temp dir for the Python side (git archive); nothing is run.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { extractContract } from "../dist/analyzers/api/contract.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  if (i === -1) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const roots = flag("--roots", "").split(",").filter(Boolean);
const show = Number(flag("--show", "15"));
const [repo, ref = "HEAD"] = args;
if (!repo || !roots.length) {
  process.stderr.write("usage: node bench/contract-compare.mjs PLUGIN_REPO [REF] --roots ROOT[,ROOT] [--show N]\n");
  process.exit(2);
}

const t0 = performance.now();
const steward = await extractContract(`${repo}:${ref}`, new Set(roots));
const tsMs = performance.now() - t0;

const dir = mkdtempSync(join(tmpdir(), "contract-compare-"));
try {
  const archive = execFileSync("git", ["-C", repo, "archive", "--format=tar", ref], { maxBuffer: 1 << 30 });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  const t1 = performance.now();
  const py = spawnSync("python3", [join(HERE, "contract_ast.py"), dir, roots.join(",")], { encoding: "utf8", maxBuffer: 1 << 28 });
  const pyMs = performance.now() - t1;
  if (py.status !== 0) throw new Error(py.stderr);
  const ast = JSON.parse(py.stdout);

  // Each coupling as a comparable key; entry points without a line (the Python side reads TOML without positions).
  const keys = {
    imports: [steward.imports.map((x) => `${x.file}:${x.line} ${x.target}`), ast.imports.map(([f, l, t]) => `${f}:${l} ${t}`)],
    calls: [steward.calls.map((x) => `${x.file}:${x.line} ${x.target}`), ast.calls.map(([f, l, t]) => `${f}:${l} ${t}`)],
    subclasses: [steward.subclasses.map((x) => `${x.file}:${x.line} ${x.base}`), ast.subclasses.map(([f, l, t]) => `${f}:${l} ${t}`)],
    patches: [steward.patches.map((x) => `${x.file}:${x.line} ${x.kind} ${x.target}`), ast.patches.map(([f, l, k, t]) => `${f}:${l} ${k} ${t}`)],
    registrations: [steward.registrations.map((x) => (x.kind === "entry-point" ? `${x.file} entry-point ${x.target}` : `${x.file}:${x.line} call ${x.target}`)), ast.registrations.map(([f, l, k, t]) => (k === "entry-point" ? `${f} entry-point ${t}` : `${f}:${l} call ${t}`))],
    unresolved: [steward.unresolved.map((x) => `${x.file}:${x.line} ${x.kind}`), ast.unresolved.map(([f, l, k]) => `${f}:${l} ${k}`)],
    thirdPartyPatches: [steward.thirdPartyPatches.map((x) => `${x.file}:${x.line} ${x.kind} ${x.target}`), ast.thirdPartyPatches.map(([f, l, k, t]) => `${f}:${l} ${k} ${t}`)],
  };
  /** Multiset difference: what `a` has that `b` does not (as many times as it has it more). */
  const minus = (a, b) => {
    const left = new Map();
    for (const k of b) left.set(k, (left.get(k) ?? 0) + 1);
    const out = [];
    for (const k of a) {
      const n = left.get(k) ?? 0;
      if (n > 0) left.set(k, n - 1);
      else out.push(k);
    }
    return out;
  };
  process.stdout.write(`Contract of ${repo} at ${ref} (roots ${roots.join(", ")}): Steward ${steward.files} Python files in ${Math.round(tsMs)} ms; ast ${Math.round(pyMs)} ms, ${ast.skipped.length} file(s) it could not parse\n`);
  process.stdout.write(`${"coupling".padEnd(18)} ${"steward".padStart(8)} ${"ast".padStart(8)} ${"both".padStart(8)} ${"only st".padStart(8)} ${"only ast".padStart(8)}\n`);
  for (const [name, [s, a]] of Object.entries(keys)) {
    const onlyS = minus(s, a);
    const onlyA = minus(a, s);
    process.stdout.write(`${name.padEnd(18)} ${String(s.length).padStart(8)} ${String(a.length).padStart(8)} ${String(s.length - onlyS.length).padStart(8)} ${String(onlyS.length).padStart(8)} ${String(onlyA.length).padStart(8)}\n`);
    for (const k of onlyS.slice(0, show)) process.stdout.write(`    only steward: ${k}\n`);
    for (const k of onlyA.slice(0, show)) process.stdout.write(`    only ast:     ${k}\n`);
  }
  for (const w of steward.warnings.slice(0, 10)) process.stdout.write(`  steward warning: ${w}\n`);
  for (const [f, why] of ast.skipped.slice(0, 10)) process.stdout.write(`  ast skipped: ${f} (${why})\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
