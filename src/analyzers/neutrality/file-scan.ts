import { parseAllDocuments } from "yaml";
import { layerOf, fileKindOf, vendorOfPath, type Layer } from "./paths.js";
import { lexPython, type PyLine } from "./pylex.js";
import { cudaGuards, gatingLines, type Guard } from "./scopes.js";
import { FAMILIES, FAMILY_EVIDENCE, SIGNALS, VENDOR_MODULES, type Attribution, type FamilyId, type FileKind, type Signal, type SignalKind, type VendorId } from "./taxonomy.js";
import type { EvidenceSite } from "./types.js";

/** One place where code, tests, CI, build or docs name a vendor (the evidence the result carries). */
export type Site = EvidenceSite;

export interface FileScan {
  path: string;
  layer: Layer;
  kind: FileKind;
  /** Non-blank lines. */
  lines: number;
  /** The vendor the whole file serves (by name, kernel language or a vendor-only import), or null for generic code. */
  dedicatedTo: Attribution | null;
  because?: string;
  sites: Site[];
  /** CI jobs allowed to fail (`soft_fail`, `continue-on-error`), attributed with the file. */
  softFail: number;
  /** Set when the file could not be read as its format (malformed YAML). */
  unreadable?: string;
}

/** The lexed form of a file, kept only while it is linted. */
export interface FileText {
  lines: string[];
  py: PyLine[] | null;
}

interface Compiled extends Signal {
  re: RegExp;
}

const compiled: Compiled[] = SIGNALS.map((sig) => ({ ...sig, re: new RegExp(sig.pattern, sig.ignoreCase ? "i" : "") }));

/** Per file kind: the signals that apply, and one union regex to skip files that mention no vendor at all. */
const byKind = new Map<FileKind, { signals: Compiled[]; prefilter: RegExp }>();
function signalsFor(kind: FileKind) {
  let entry = byKind.get(kind);
  if (!entry) {
    const signals = compiled.filter((sig) => sig.in.length === 0 || sig.in.includes(kind));
    // String signals are anchored (^cuda$); unanchored here, they find candidate files.
    const alternatives = signals.map((sig) => `(?:${sig.pattern.replace(/^\^/, "").replace(/\$$/, "")})`);
    entry = { signals, prefilter: new RegExp(alternatives.join("|"), "i") };
    byKind.set(kind, entry);
  }
  return entry;
}

const GATING_LIST_NAME = /(?:xfail|skip|expected_fail|known_fail)/i;
const CI_KEY = /^\s*(?:-\s*)?(?:runs-on|queue|agents?|name|labels?|image|container|device|resource_class|machine|pool|vmImage|runner|flavou?r)\s*:/;
/** A CI file named for skipping or xfailing a vendor's tests (skip_gaudi_tests.yml) runs no job on that vendor's hardware. */
const CI_SKIP_NAME = /(?:^|[_.-])(?:skip|skips|xfail)(?:[_.-]|$)/i;
/**
 * A job allowed to fail: `continue-on-error: <anything but false>` (GitHub Actions), `soft_fail: true`
 * or Buildkite's block form (`soft_fail:` then a list of exit statuses on the next lines).
 */
const SOFT_FAIL = /^\s*(?:-\s*)?(?:continue-on-error\s*:\s*\S|soft_fail\s*:)/;
const SOFT_FAIL_ANYWHERE = new RegExp(SOFT_FAIL.source, "m");
/** `runs-on: ${{ matrix.KEY }}`: the matrix's KEY values are the job's runner labels. */
const RUNS_ON_MATRIX = /^\s*(?:-\s*)?runs-on\s*:.*\$\{\{\s*matrix\.([A-Za-z_][\w-]*)/gm;

function snippetOf(line: string): string {
  const t = line.trim();
  return t.length > 160 ? t.slice(0, 157) + "..." : t;
}

/** Vendor named by an identifier's tokens (hpu_xfail_tests -> intel-gaudi), if exactly one. */
function vendorOfName(name: string): Attribution | null {
  const found = vendorOfPath(name.replace(/\./g, "_"));
  if (found) return found.vendor;
  const tokens = new Set(name.toLowerCase().split(/[_.-]+/).map((t) => GATING_NAME_TOKENS[t]).filter((v): v is Attribution => v !== undefined));
  return tokens.size === 1 ? [...tokens][0]! : null;
}

/**
 * Extra vendor tokens for the names of skip/xfail lists only: HabanaAI's
 * DeepSpeed fork keys its lists by Gaudi generation (`g1_lazy_xfail_tests`,
 * `g2_eager_skip_tests`), and `gpu_xfail_tests` means the CUDA family there.
 * Too ambiguous for file paths.
 */
const GATING_NAME_TOKENS: Record<string, Attribution> = { g1: "intel-gaudi", g2: "intel-gaudi", g3: "intel-gaudi", gaudi1: "intel-gaudi", gpu: "cuda-api" };

/** A dict entry's key: the line starts with a string followed by a colon (`"test_x": "reason",` or a key whose value is on the next line). */
const KEY_LINE = /^\s*(?:[rRbBuUfF]{0,2})(["'])[^"']*\1\s*:/;

/**
 * Same-file evidence for each family: a ROCm check makes torch.cuda AMD's,
 * Gaudi or Ascend imports decide hccl, Neuron or TPU imports decide xla
 * (research §3, ambiguity rules 1–3). A file dedicated to one member of the
 * family decides too. Several members' evidence leaves the family as is.
 */
function familyResolution(text: string, dedicated: Attribution | null): Map<FamilyId, { vendor: VendorId; because: string }> {
  const out = new Map<FamilyId, { vendor: VendorId; because: string }>();
  for (const [family, members] of Object.entries(FAMILIES) as [FamilyId, readonly VendorId[]][]) {
    if (dedicated && (members as readonly string[]).includes(dedicated)) {
      out.set(family, { vendor: dedicated as VendorId, because: "file dedicated to it" });
      continue;
    }
    const hits = FAMILY_EVIDENCE[family].filter((e) => new RegExp(e.pattern).test(text));
    const vendors = new Set(hits.map((h) => h.vendor));
    if (vendors.size === 1) out.set(family, { vendor: hits[0]!.vendor, because: hits[0]!.description });
  }
  return out;
}

const NVIDIA_CUDA = /\bNVIDIA(?:®|™|\s|-)*CUDA\b/i;
/** Signals that find Intel's PyTorch extensions (IPEX, oneCCL bindings; as requirements or imports), which serve CPUs too. */
const IPEX_SIGNALS = new Set(["pkg.intel-xpu", "py.intel-xpu-libs"]);

/** A top-level `import X` / `from X import` of a vendor-only module makes a Python file vendor-specific. */
function vendorModuleOf(py: PyLine[]): { vendor: VendorId; module: string } | null {
  const found = new Map<VendorId, string>();
  for (const l of py) {
    const m = /^(?:import|from)\s+([A-Za-z_]\w*)/.exec(l.code);
    if (m && m[1]! in VENDOR_MODULES) found.set(VENDOR_MODULES[m[1]!]!, m[1]!);
  }
  if (found.size !== 1) return null;
  const [vendor, module] = [...found][0]!;
  return { vendor, module };
}

/**
 * Scans one file's text: its layer, whether it is dedicated to one vendor,
 * and every vendor signal site with the vendor it is attributed to.
 */
export interface ScanOptions {
  /**
   * The analysed repository's own top-level packages that name a vendor
   * (`vllm_ascend` in the Ascend plugin): importing or patching itself is
   * the plugin's identity, counted once (ownPackages), not a site per line.
   */
  ownPackages?: string[];
}

export function scanFile(path: string, content: string, opts: ScanOptions = {}): { scan: FileScan; text: FileText } {
  const kind = fileKindOf(path);
  const layer = layerOf(path);
  const lines = content.split("\n");
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  const nonBlank = lines.reduce((n, l) => (l.trim() ? n + 1 : n), 0);
  const byName = vendorOfPath(path);
  const scan: FileScan = { path, layer, kind, lines: nonBlank, dedicatedTo: byName?.vendor ?? null, ...(byName ? { because: byName.because } : {}), sites: [], softFail: 0 };
  const listed = scanGatingListFile(path, content);
  if (listed) {
    // A vendor's skip/xfail list is that vendor's test gating, wherever it lives.
    return { scan: { ...scan, layer: "tests", dedicatedTo: listed.vendor, because: `a ${listed.vendor} skip/xfail list`, sites: listed.sites }, text: { lines, py: null } };
  }
  if (layer === "ci" && byName && CI_SKIP_NAME.test(path.slice(path.lastIndexOf("/") + 1))) {
    // Its signals count, not every line as the vendor's CI.
    scan.dedicatedTo = null;
    delete scan.because;
  }
  if (kind === "yaml" && layer === "ci") {
    // A CI file that is not valid YAML runs nothing: count it as unreadable rather than guess at its jobs.
    // Several documents in one file (`---`) are valid YAML.
    const docs = parseAllDocuments(content, { prettyErrors: false });
    const error = ("errors" in docs ? docs.errors : docs.flatMap((d) => d.errors))[0];
    if (error) return { scan: { ...scan, unreadable: error.message.split("\n")[0]! }, text: { lines, py: null } };
  }
  const { signals, prefilter } = signalsFor(kind);
  if (!prefilter.test(content) && !SOFT_FAIL_ANYWHERE.test(content)) return { scan, text: { lines, py: null } };

  if (kind === "c" && scan.dedicatedTo === "cuda-api" && includesHipOnly(lines)) {
    scan.dedicatedTo = "amd";
    scan.because = `${scan.because}, including HIP headers outside any #if`;
  }
  const py = kind === "python" ? maskNames(lexPython(content), opts.ownPackages ?? []) : null;
  if (py && !scan.dedicatedTo) {
    const mod = vendorModuleOf(py);
    if (mod) {
      scan.dedicatedTo = mod.vendor;
      scan.because = `imports ${mod.module}`;
    }
  }
  const evidenceText = py ? py.map((l) => l.text).join("\n") : content;
  const resolve = familyResolution(evidenceText + "\n" + path, scan.dedicatedTo);
  // CUDA-family sites in Python: the guard around each one says AMD or NVIDIA (scopes.ts), computed once per file.
  let guards: (Guard | null)[] | null = null;
  const guardOf = (line: number): Guard | null => {
    if (!py) return null;
    guards ??= cudaGuards(py, lines);
    return guards[line - 1] ?? null;
  };
  const add = (line: number, sig: Pick<Signal, "id" | "vendor" | "kind">, raw: string, kindOverride?: SignalKind) => {
    let r: { vendor: VendorId; because: string; guardLine?: number } | undefined = sig.vendor in FAMILIES ? resolve.get(sig.vendor as FamilyId) : undefined;
    if (!r && sig.vendor === "cuda-api") {
      const g = guardOf(line);
      if (g) r = { vendor: g.vendor, because: `${g.vendor === "amd" ? "a ROCm" : "a CUDA-only"} guard: ${g.text}`, guardLine: g.line };
      // "NVIDIA CUDA" (a docs tab, a section title) names the member, not the family.
      else if (NVIDIA_CUDA.test(raw)) r = { vendor: "nvidia", because: "the line says NVIDIA CUDA" };
    }
    if (sig.vendor === "intel-xpu" && IPEX_SIGNALS.has(sig.id) && scan.dedicatedTo === "cpu") {
      // Intel's PyTorch extensions (IPEX, the oneCCL bindings) serve Intel CPUs as well as XPUs: in the CPU back-end's files they are the CPU's.
      scan.sites.push({ line, signal: sig.id, vendor: "cpu", kind: kindOverride ?? sig.kind, resolvedBy: `an Intel extension that serves CPUs too, in a file dedicated to cpu (${scan.because})`, snippet: snippetOf(raw) });
      return;
    }
    scan.sites.push({
      line,
      signal: sig.id,
      vendor: r ? r.vendor : sig.vendor,
      kind: kindOverride ?? sig.kind,
      ...(r ? { family: sig.vendor as FamilyId, resolvedBy: r.because, ...(r.guardLine ? { guardLine: r.guardLine } : {}) } : {}),
      snippet: snippetOf(raw),
    });
  };

  // CI: only labels, queues, images and names say which hardware a job runs on, and the matrix
  // values a `runs-on: ${{ matrix.KEY }}` picks its runner from.
  const matrixKeys = kind === "yaml" && layer === "ci" ? [...content.matchAll(RUNS_ON_MATRIX)].map((m) => m[1]!) : [];
  const labelKey = matrixKeys.length ? new RegExp(`^\\s*(?:-\\s*)?(?:${matrixKeys.map((k) => k.replace(/-/g, "\\-")).join("|")})\\s*:`) : null;
  const labelListKey = new RegExp(`^\\s*(?:-\\s*)?(?:runs-on${matrixKeys.map((k) => `|${k.replace(/-/g, "\\-")}`).join("")})\\s*:\\s*$`);
  let inRunsOn = -1;
  let envOnly = false;
  let gating: boolean[] | null = null;
  let gatingList: { vendor: Attribution; depth: number; mode: "unknown" | "dict" | "seq" } | null = null;
  // Outside Python the plugin names itself as a product too (vllm-ascend, "vLLM Ascend"): not hardware evidence either.
  const ownName = opts.ownPackages?.length ? new RegExp(opts.ownPackages.map((n) => n.split("_").map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[-_ ]")).join("|"), "gi") : null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const p = py?.[i];
    if (kind === "yaml" && layer === "ci") {
      if (SOFT_FAIL.test(raw) && !/:\s*["']?false\b/.test(raw)) scan.softFail++;
      const indent = raw.length - raw.trimStart().length;
      const listItem = inRunsOn >= 0 && /^\s*-\s/.test(raw) && indent > inRunsOn;
      if (!listItem) inRunsOn = labelListKey.test(raw) ? indent : -1;
      // Elsewhere in a job (its commands, its env), only a vendor's environment variables say which hardware it drives.
      envOnly = !CI_KEY.test(raw) && !labelKey?.test(raw) && !listItem;
    }
    const seen = new Set<string>();
    for (const sig of signals) {
      if (sig.kind === "ci" && layer !== "ci") continue;
      if (envOnly && sig.kind !== "env") continue;
      if (sig.scope === "string") {
        if (!p) continue;
        for (const str of p.strings) if (str.whole && sig.re.test(str.value)) add(i + 1, sig, raw);
        continue;
      }
      const plain = ownName ? raw.replace(ownName, (m) => "_".repeat(m.length)) : raw;
      const subject = sig.scope === "code" ? (p ? p.code : kind === "c" ? plain.replace(/\/\/.*$/, "") : plain) : p ? p.text : plain;
      if (!seen.has(sig.id) && sig.re.test(subject)) {
        seen.add(sig.id);
        add(i + 1, sig, raw);
      }
    }
    // In tests, a site on a skip/xfail/only line (or a mark over several lines) is test gating for its vendor.
    if (layer === "tests" && p && (gating ??= gatingLines(py))[i]) {
      for (const site of scan.sites) if (site.line === i + 1) site.kind = "test";
    }
    // A vendor's list of tests to skip or xfail (hpu_xfail_tests = {...}): one site per entry.
    if (p) {
      if (gatingList) {
        // One site per entry: in a dict only keys count (a long reason may sit on the next line).
        if (p.strings.some((x) => x.whole)) {
          const key = KEY_LINE.test(p.code);
          if (gatingList.mode === "unknown") gatingList.mode = key ? "dict" : "seq";
          if (gatingList.mode === "seq" || key) add(i + 1, { id: "test.vendor-list", vendor: gatingList.vendor, kind: "test" }, raw);
        }
        gatingList.depth += (p.code.match(/[[{(]/g)?.length ?? 0) - (p.code.match(/[\]})]/g)?.length ?? 0);
        if (gatingList.depth <= 0) gatingList = null;
      } else {
        const m = /^\s*([A-Za-z_]\w*)\s*(?::[^=]*)?=\s*(?:\w+\()?([[{(])/.exec(p.code);
        if (m && GATING_LIST_NAME.test(m[1]!)) {
          const vendor = vendorOfName(m[1]!) ?? (layer === "tests" ? scan.dedicatedTo : null);
          if (vendor) {
            const depth = (p.code.match(/[[{(]/g)?.length ?? 0) - (p.code.match(/[\]})]/g)?.length ?? 0);
            const rest = p.code.slice(m[0].length);
            if (p.strings.some((x) => x.whole)) add(i + 1, { id: "test.vendor-list", vendor, kind: "test" }, raw);
            if (depth > 0) gatingList = { vendor, depth, mode: rest.trim() === "" ? "unknown" : KEY_LINE.test(rest) ? "dict" : "seq" };
          }
        }
      }
    }
  }
  // A file named for the CPU (tests/test_cpu_offload.py) whose sites are all one other vendor's tests that vendor's offload, not the CPU back-end.
  if (layer === "tests" && scan.dedicatedTo === "cpu" && byName?.vendor === "cpu" && scan.sites.length > 0) {
    const others = new Set(scan.sites.map((x) => x.vendor));
    if (others.size === 1 && !others.has("cpu")) {
      scan.dedicatedTo = null;
      delete scan.because;
    }
  }
  return { scan, text: { lines, py } };
}

/** Blanks whole-word occurrences of `names` in code, text and strings (same length, so columns hold). */
function maskNames(py: PyLine[], names: string[]): PyLine[] {
  if (names.length === 0) return py;
  const re = new RegExp(`\\b(?:${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})\\b`, "g");
  const mask = (x: string) => x.replace(re, (m) => "_".repeat(m.length));
  return py.map((l) => ({ ...l, code: mask(l.code), text: mask(l.text), strings: l.strings.map((x) => ({ ...x, value: mask(x.value) })) }));
}

/**
 * The repository's own top-level Python packages whose name names a vendor
 * (`vllm_ascend/__init__.py`, `src/vllm_gaudi/__init__.py`): the plugin's
 * identity, with the vendor its name says.
 */
export function ownVendorPackages(paths: Iterable<string>): { package: string; vendor: Attribution; path: string }[] {
  const out = new Map<string, { package: string; vendor: Attribution; path: string }>();
  for (const p of paths) {
    const m = /^(?:src\/)?([A-Za-z_]\w*)\/__init__\.py$/.exec(p);
    if (!m || out.has(m[1]!)) continue;
    const v = vendorOfPath(m[1]!);
    if (v) out.set(m[1]!, { package: m[1]!, vendor: v.vendor, path: p });
  }
  return [...out.values()].sort((a, b) => (a.package < b.package ? -1 : 1));
}

/**
 * A CUDA-family kernel file that includes `hip/...` headers unconditionally is
 * HIP code with a .cu name (a dual file includes them under `#ifdef USE_ROCM`).
 * The include guard (`#ifndef X_H` + `#define X_H` as the first conditional) is
 * not a condition.
 */
function includesHipOnly(lines: string[]): boolean {
  let depth = 0;
  let first = true;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (!t.startsWith("#")) continue;
    const d = /^#\s*(\w+)\s*(.*)$/.exec(t);
    if (!d) continue;
    const [, word, rest] = d;
    if (word === "if" || word === "ifdef" || word === "ifndef") {
      if (first && word === "ifndef" && new RegExp(`^#\\s*define\\s+${rest!.trim().replace(/\W/g, "")}\\b`).test((lines[i + 1] ?? "").trim())) {
        // the include guard: not a condition
      } else depth++;
      first = false;
    } else if (word === "endif") {
      if (depth > 0) depth--;
    } else if (word === "include" && depth === 0 && /^[<"]hip\//.test(rest!)) return true;
  }
  return false;
}

/**
 * A plain-text list of tests to skip or xfail on one vendor
 * (`tests/xfail_hpu.txt`): every entry is a test-gating site.
 */
export function scanGatingListFile(path: string, content: string): { vendor: Attribution; sites: Site[] } | null {
  const base = path.slice(path.lastIndexOf("/") + 1);
  // A list is plain text (tests/xfail_hpu.txt), not a workflow or a script that happens to say "skip".
  if (!GATING_LIST_NAME.test(base) || !/^[^.]+(?:\.(?:txt|lst|list|csv))?$/.test(base)) return null;
  const vendor = vendorOfPath(base)?.vendor;
  if (!vendor) return null;
  const sites: Site[] = [];
  content.split("\n").forEach((l, i) => {
    const t = l.trim();
    if (t && !t.startsWith("#") && !t.startsWith("//")) sites.push({ line: i + 1, signal: "test.vendor-list", vendor, kind: "test", snippet: snippetOf(l) });
  });
  return { vendor, sites };
}
