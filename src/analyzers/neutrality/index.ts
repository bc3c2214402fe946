import { InputError } from "../../errors.js";
import { Repository } from "../../git/repository.js";
import { noRefMatches } from "../../git/refs.js";
import { ownVendorPackages, scanFile, type FileScan } from "./file-scan.js";
import { rollUp } from "./footprint.js";
import { abstractionApi } from "./abstraction.js";
import { applyBaseline, choosePackAt, compilePack, lintFile, type Baseline, type CompiledPack, type ConfigWaiver } from "./lint.js";
import { PACKS, RULES, type RulePack } from "./packs.js";
import { BINARY_NAME, readBlobs, type TreeFile } from "./tree.js";
import { coverageOf, describeCoverage, mergeCoverage, type Coverage } from "../../git/tree.js";
import {
  NEUTRALITY_SCHEMA_VERSION,
  type EvidenceFile,
  type LintFinding,
  type NeutralityFootprint,
  type NeutralityHistory,
  type NeutralityLint,
  type NeutralityProgress,
} from "./types.js";

export * from "./types.js";
export { baselineOf } from "./lint.js";
export { PACKS, RULES } from "./packs.js";
export { SIGNALS, VENDORS, FAMILIES } from "./taxonomy.js";

export interface NeutralityOptions {
  repo?: string;
  /** Branch, tag or commit (default HEAD). */
  ref?: string;
  /** Files larger than this are skipped (default 2 MiB). */
  maxFileBytes?: number;
  onProgress?: (e: NeutralityProgress) => void;
  /** In a partial clone, fetch the absent blobs of the analysed tree first (one request per ref). */
  fetchMissing?: boolean;
}

export interface LintOptions extends NeutralityOptions {
  /** A built-in pack id, a pack object (from a YAML file), or undefined to detect it from the tree. */
  pack?: string | RulePack;
  waivers?: ConfigWaiver[];
  baseline?: Baseline;
  /** The project's device abstraction as its configuration spells it (steward.yaml `abstraction`): the result's header names it. */
  abstraction?: string;
  /**
   * Lint what is staged (the index) instead of a commit, reporting findings only in the files the
   * index changes against HEAD: what a pre-commit hook needs. `ref` is then ignored.
   */
  staged?: boolean;
}

const DEFAULT_MAX = 2 * 1024 * 1024;

interface TreeScan {
  files: FileScan[];
  identity: NeutralityFootprint["identity"];
  findings: LintFinding[];
  testGating: NeutralityLint["testGating"];
  totals: NeutralityFootprint["totals"];
  warnings: string[];
  coverage: Coverage;
}

/** One file's outcome, cached by blob and path across the refs of a history (most files do not change between releases). */
type Cached = { scan: FileScan | null; findings: LintFinding[]; gating: NeutralityLint["testGating"]; skipped: keyof NeutralityFootprint["totals"]["skipped"] | null };

async function scanTree(repo: Repository, commit: string, opts: { maxBytes: number; lint: CompiledPack | null; cache?: Map<string, Cached>; onProgress?: (e: NeutralityProgress) => void; ref?: string; fetchMissing?: boolean; files?: TreeFile[] }): Promise<TreeScan> {
  const tree = opts.files ?? (await repo.listTree(commit));
  // Files binary by name are never read (nor fetched in a partial clone): counted as binary, as reading would find.
  const binaryUnread = new Set(tree.filter((f) => BINARY_NAME.test(f.path)));
  const wanted = tree.filter((f) => !binaryUnread.has(f));
  const fetched = opts.fetchMissing ? await repo.fetchMissing(wanted) : 0;
  const coverage = await coverageOf(repo.gitDir, wanted, fetched);
  if (wanted.length > 0 && coverage.missing === wanted.length) throw new InputError(`nothing to read at ${opts.ref ?? commit}: ${describeCoverage(coverage)}`);
  // The plugin's own vendor-named package (vllm_ascend): its identity, masked out of the per-line signals.
  const identity = ownVendorPackages(tree.map((f) => f.path));
  const ownPackages = identity.map((x) => x.package);
  const cacheKey = (f: TreeFile) => `${f.oid}\0${f.path}\0${ownPackages.join(",")}`;
  const out: TreeScan = { files: [], identity, findings: [], testGating: [], totals: { files: tree.length, scanned: 0, skipped: { binary: 0, minified: 0, tooLarge: 0, missing: 0, unreadable: 0 } }, warnings: [], coverage };
  const missingPaths: string[] = [];
  const unreadable: string[] = [];
  const record = (f: TreeFile, c: Cached) => {
    if (c.skipped) {
      out.totals.skipped[c.skipped]++;
      if (c.skipped === "missing") missingPaths.push(f.path);
      return;
    }
    if (c.scan?.unreadable) {
      out.totals.skipped.unreadable++;
      unreadable.push(`${f.path} (${c.scan.unreadable})`);
      return;
    }
    out.totals.scanned++;
    if (c.scan && (c.scan.sites.length || c.scan.dedicatedTo || c.scan.softFail)) out.files.push(c.scan);
    out.findings.push(...c.findings);
    out.testGating.push(...c.gating);
  };
  const todo: TreeFile[] = [];
  for (const f of tree) {
    if (binaryUnread.has(f)) {
      record(f, { scan: null, findings: [], gating: [], skipped: "binary" });
      continue;
    }
    const hit = opts.cache?.get(cacheKey(f));
    if (hit) record(f, hit);
    else todo.push(f);
  }
  let done = 0;
  await readBlobs(repo, todo, { maxBytes: opts.maxBytes }, (f, content, skipped) => {
    let c: Cached;
    if (skipped || !content) c = { scan: null, findings: [], gating: [], skipped: skipped ?? "missing" };
    else {
      const { scan, text } = scanFile(f.path, content.toString("utf8"), { ownPackages });
      const lint = opts.lint ? lintFile(scan, text, opts.lint) : { findings: [], gating: [] };
      c = { scan, findings: lint.findings, gating: lint.gating, skipped: null };
    }
    opts.cache?.set(cacheKey(f), c);
    record(f, c);
    if (++done % 500 === 0) opts.onProgress?.({ kind: "files", done, total: todo.length, ...(opts.ref ? { ref: opts.ref } : {}) });
  });
  if (missingPaths.length) out.warnings.push(`${describeCoverage(coverage)}: ${missingPaths.slice(0, 5).join(", ")}${missingPaths.length > 5 ? ", ..." : ""}`);
  if (unreadable.length) out.warnings.push(`${unreadable.length} CI file(s) are not valid YAML, counted as unreadable: ${unreadable.slice(0, 3).join("; ")}${unreadable.length > 3 ? "; ..." : ""}`);
  if (out.totals.skipped.tooLarge) out.warnings.push(`${out.totals.skipped.tooLarge} file(s) over ${opts.maxBytes} bytes not scanned`);
  out.files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return out;
}

function evidenceOf(files: FileScan[]): EvidenceFile[] {
  return files.map((f) => ({
    path: f.path,
    layer: f.layer,
    dedicatedTo: f.dedicatedTo,
    ...(f.because ? { because: f.because } : {}),
    lines: f.lines,
    sites: f.sites.map((s) => ({ line: s.line, signal: s.signal, vendor: s.vendor, kind: s.kind, ...(s.family ? { family: s.family } : {}), ...(s.resolvedBy ? { resolvedBy: s.resolvedBy } : {}), ...(s.guardLine ? { guardLine: s.guardLine } : {}), snippet: s.snippet })),
  }));
}

async function openAt(o: NeutralityOptions): Promise<{ repo: Repository; ref: string; commit: string }> {
  const repo = await Repository.open(o.repo ?? ".");
  const ref = o.ref ?? "HEAD";
  try {
    return { repo, ref, commit: await repo.resolveCommit(ref) };
  } catch (e) {
    repo.close();
    throw e;
  }
}

/**
 * `steward neutrality`: how much of the code, kernels, tests, CI, docs and
 * build at a ref serves each hardware vendor, how concentrated each layer
 * is, and which vendors lack tests, CI or docs (shared/DESIGN.md §3.3).
 */
export async function neutrality(o: NeutralityOptions = {}): Promise<NeutralityFootprint> {
  const { repo, ref, commit } = await openAt(o);
  try {
    o.onProgress?.({ kind: "stage", stage: "reading the tree" });
    const t = await scanTree(repo, commit, { maxBytes: o.maxFileBytes ?? DEFAULT_MAX, lint: null, ref, fetchMissing: o.fetchMissing === true, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
    return { schemaVersion: NEUTRALITY_SCHEMA_VERSION, ref, commit, identity: t.identity, ...rollUp(t.files), totals: t.totals, coverage: t.coverage, files: evidenceOf(t.files), warnings: t.warnings };
  } finally {
    repo.close();
  }
}

/**
 * The rule pack compiled for one tree: chosen (or detected) with the folder it was found in, the
 * abstraction's API read at the commit (suggestions name only what exists), the project's own hook
 * if the tree has it. `abstraction` is the project's configured spelling (steward.yaml), if any.
 */
async function packFor(repo: Repository, commit: string, o: Pick<LintOptions, "pack" | "waivers" | "abstraction">, files?: TreeFile[]): Promise<{ pack: RulePack; compiled: CompiledPack }> {
  const paths = files ? new Set(files.map((f) => f.path)) : new Set(await repo.listPaths(commit));
  let pack: RulePack;
  let base = "";
  if (o.pack && typeof o.pack === "object") pack = o.pack;
  else ({ pack, base } = choosePackAt(o.pack, paths));
  if (o.abstraction) pack = { ...pack, abstraction: o.abstraction };
  const api = pack.api ? await abstractionApi(repo, commit, pack, base, paths) : null;
  return { pack, compiled: compilePack(pack, o.waivers ?? [], { api, treePaths: paths }) };
}

/** The lint result of a scanned tree: baseline applied, findings in file and line order. */
function lintResult(t: TreeScan, pack: RulePack, ref: string, commit: string, baseline: Baseline | undefined): NeutralityLint {
  if (baseline) applyBaseline(t.findings, baseline);
  t.findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.rule < b.rule ? -1 : 1)));
  return {
    schemaVersion: NEUTRALITY_SCHEMA_VERSION,
    ref,
    commit,
    pack: { id: pack.id, abstraction: pack.abstraction },
    findings: t.findings,
    testGating: t.testGating,
    failing: t.findings.filter((f) => !f.waived && !f.baseline).length,
    coverage: t.coverage,
    warnings: [...t.warnings, ...packWarnings(pack)],
  };
}

/** `neutralityLint({staged: true})`: the index's content, findings in the staged files only. */
async function lintStaged(o: LintOptions): Promise<NeutralityLint> {
  const repo = await Repository.open(o.repo ?? ".");
  try {
    const head = await repo.resolveCommit("HEAD").catch(() => null);
    const files = await repo.listIndex();
    const { pack, compiled } = await packFor(repo, head ?? "", o, files);
    const changed = await repo.stagedPaths(head);
    const maxBytes = o.maxFileBytes ?? DEFAULT_MAX;
    const t = await scanTree(repo, head ?? "", { maxBytes, lint: compiled, files: files.filter((f) => changed.has(f.path)), ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
    return lintResult(t, pack, "(staged)", head ?? "0".repeat(40), o.baseline);
  } finally {
    repo.close();
  }
}

/**
 * `steward neutrality lint`: generic code that hard-codes a vendor where the
 * project has an abstraction, in the rule pack's idiom, with waivers and a
 * baseline (only new, unwaived findings fail).
 */
export async function neutralityLint(o: LintOptions = {}): Promise<NeutralityLint> {
  if (o.staged) return lintStaged(o);
  const { repo, ref, commit } = await openAt(o);
  try {
    const { pack, compiled } = await packFor(repo, commit, o);
    const t = await scanTree(repo, commit, { maxBytes: o.maxFileBytes ?? DEFAULT_MAX, lint: compiled, ref, fetchMissing: o.fetchMissing === true, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
    return lintResult(t, pack, ref, commit, o.baseline);
  } finally {
    repo.close();
  }
}

/** A YAML pack turns off every rule it does not word: say which, rather than find nothing silently. */
function packWarnings(pack: RulePack): string[] {
  if (PACKS.some((p) => p.rules === pack.rules)) return [];
  const off = RULES.filter((r) => !(r.id in pack.rules)).map((r) => r.id);
  return off.length ? [`rule pack ${pack.id} gives no suggestion for ${off.join(", ")}: those rules are off`] : [];
}

/**
 * `steward neutrality history`: footprint and lint debt at every ref matching
 * the patterns, ordered by date. Files are cached by blob and path, so a
 * release pays only for what changed since the previous one.
 */
export async function neutralityHistory(o: Omit<LintOptions, "ref" | "baseline"> & { patterns: string[] }): Promise<NeutralityHistory> {
  if (o.patterns.length === 0) throw new InputError("no ref pattern given (--tags)");
  const repo = await Repository.open(o.repo ?? ".");
  try {
    const refs = await repo.refsMatching(o.patterns);
    if (refs.length === 0) throw new InputError(await noRefMatches(o.patterns, (p) => repo.refsMatching(p)));
    const dated = await Promise.all(refs.map(async (r) => ({ ...r, date: (await repo.commitInfo(r.commit)).commitDate })));
    dated.sort((a, b) => Date.parse(a.date) - Date.parse(b.date) || (a.ref < b.ref ? -1 : 1));
    const { pack, compiled } = await packFor(repo, dated.at(-1)!.commit, o);
    const cache = new Map<string, Cached>();
    const history: NeutralityHistory["history"] = [];
    const warnings: string[] = [];
    const coverages: Coverage[] = [];
    for (const r of dated) {
      o.onProgress?.({ kind: "stage", stage: "scanning", ref: r.ref });
      const t = await scanTree(repo, r.commit, { maxBytes: o.maxFileBytes ?? DEFAULT_MAX, lint: compiled, cache, ref: r.ref, fetchMissing: o.fetchMissing === true, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
      coverages.push(t.coverage);
      const fp = rollUp(t.files);
      const vendors: NeutralityHistory["history"][number]["vendors"] = {};
      for (const [v, byLayer] of Object.entries(fp.vendors)) vendors[v as keyof typeof vendors] = Object.values(byLayer).reduce((n, c) => n + c.lines, 0);
      const open = t.findings.filter((f) => !f.waived);
      const lintByRule: Record<string, number> = {};
      for (const f of open) lintByRule[f.rule] = (lintByRule[f.rule] ?? 0) + 1;
      history.push({ ref: r.ref, commit: r.commit, date: r.date, vendors, concentration: fp.concentration, lintDebt: open.length, lintByRule, coverage: { files: t.coverage.files, missing: t.coverage.missing } });
      warnings.push(...t.warnings.map((w) => `${r.ref}: ${w}`));
    }
    return { schemaVersion: NEUTRALITY_SCHEMA_VERSION, patterns: o.patterns, pack: { id: pack.id, abstraction: pack.abstraction }, history, coverage: mergeCoverage(coverages), warnings };
  } finally {
    repo.close();
  }
}
