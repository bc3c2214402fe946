import { InputError } from "../../errors.js";
import type { FileScan, FileText } from "./file-scan.js";
import { verifiedSuggestion, type AbstractionApi } from "./abstraction.js";
import { PACKS, RULES, STEWARD_WAIVER, type LintRule, type RulePack } from "./packs.js";
import { gatingLines } from "./scopes.js";
import type { Attribution } from "./taxonomy.js";
import type { LintFinding } from "./types.js";

const BRANCH_VENDOR: Record<string, Attribution> = {
  cuda: "cuda-api",
  cuda_alike: "cuda-api",
  rocm: "amd",
  hpu: "intel-gaudi",
  xpu: "intel-xpu",
  npu: "huawei-ascend",
  mps: "apple",
  mlu: "cambricon",
  tpu: "google-tpu",
  cpu: "cpu",
};

/** A waiver from configuration: findings of `rule` (all rules if absent) under `path` (a glob) are accepted, for `reason`. */
export interface ConfigWaiver {
  path: string;
  rule?: string;
  reason: string;
}

interface CompiledRule extends LintRule {
  re: RegExp;
  suggestion: string;
}

export interface CompiledPack {
  pack: RulePack;
  rules: CompiledRule[];
  waivers: { re: RegExp; rule?: string; reason: string }[];
  /** The abstraction's API at the analysed ref: suggestions naming anything else are dropped (null: not checked, a YAML pack's own names). */
  api: AbstractionApi | null;
  /** The project's own hook, when the analysed tree has it: its note is added to the messages of its rules. */
  hook: { rules: string[]; note: string } | null;
}

/** One line of test gating the lint's rules match (`@pytest.mark.skipif(not current_platform.is_cuda())`): reported apart, never a finding. */
export interface GatingLine {
  rule: string;
  file: string;
  line: number;
  vendor: Attribution;
  snippet: string;
}

/** `**` any depth, `*` within a segment, `?` one character; a pattern ending in `/` is a folder prefix. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      re += ".*";
      i++;
      if (glob[i + 1] === "/") i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}${glob.endsWith("/") ? "" : "$"}`);
}

export function compilePack(pack: RulePack, waivers: ConfigWaiver[] = [], context: { api?: AbstractionApi | null; treePaths?: Set<string> } = {}): CompiledPack {
  const rules = RULES.filter((r) => r.id in pack.rules).map((r) => ({ ...r, re: new RegExp(r.pattern), suggestion: pack.rules[r.id]! }));
  for (const w of waivers) if (w.rule && !RULES.some((r) => r.id === w.rule)) throw new InputError(`waiver for unknown rule '${w.rule}' (rules: ${RULES.map((r) => r.id).join(", ")})`);
  const hasHook = pack.hook && context.treePaths ? pack.hook.paths.some((h) => context.treePaths!.has(h)) : false;
  return {
    pack,
    rules,
    waivers: waivers.map((w) => ({ re: globToRegExp(w.path), ...(w.rule ? { rule: w.rule } : {}), reason: w.reason })),
    api: context.api ?? null,
    hook: hasHook && pack.hook ? { rules: pack.hook.rules, note: pack.hook.note } : null,
  };
}

/**
 * The pack named by id, else the one whose marker files the tree has, else the generic pack; with
 * the folder holding its marker (`tensorforge/` for tensorforge/accelerator/real_accelerator.py) and
 * the abstraction as that project spells it (`tensorforge.accelerator.get_accelerator()`).
 */
export function choosePack(id: string | undefined, treePaths: Set<string>): RulePack {
  return choosePackAt(id, treePaths).pack;
}

export function choosePackAt(id: string | undefined, treePaths: Set<string>): { pack: RulePack; base: string } {
  let pack: RulePack | undefined;
  if (id) {
    pack = PACKS.find((x) => x.id === id);
    if (!pack) throw new InputError(`unknown rule pack '${id}' (packs: ${PACKS.map((x) => x.id).join(", ")}, or a YAML file)`);
  }
  // A marker file at the root or inside a package folder (tensorforge/accelerator/real_accelerator.py).
  const markerOf = (p: RulePack): string | null => {
    for (const d of p.detect) {
      if (treePaths.has(d)) return "";
      for (const t of treePaths) if (t.endsWith(`/${d}`)) return t.slice(0, t.length - d.length);
    }
    return null;
  };
  if (!pack) pack = PACKS.find((p) => markerOf(p) !== null) ?? PACKS.find((p) => p.id === "generic")!;
  const base = markerOf(pack) ?? "";
  // The DeepSpeed-style accelerator inside another package: the header names that package's, not deepspeed's.
  if (pack.id === "deepspeed" && base && base !== "deepspeed/") {
    pack = { ...pack, abstraction: `${base.replace(/\/$/, "").replace(/\//g, ".")}.accelerator.get_accelerator()` };
  }
  return { pack, base };
}

/**
 * Lint findings of one Python file: generic code (not a file dedicated to a
 * vendor, not under a path where the pack's abstraction is implemented) that
 * hard-codes a vendor. One finding per line (the first rule in RULES order
 * that is not waived, else the first), with a suggestion naming only APIs the
 * project (or torch) has at the ref, and its waiver, if any. Lines of test
 * gating (skip marks, skip calls) are returned apart: gating a vendor's tests
 * is how a project should do it, not hard-coding.
 */
export function lintFile(scan: FileScan, text: FileText, c: CompiledPack): { findings: LintFinding[]; gating: GatingLine[] } {
  const none = { findings: [], gating: [] };
  if (!text.py || scan.dedicatedTo !== null) return none;
  if (scan.layer !== "code" && scan.layer !== "tests") return none;
  if (c.pack.exempt.some((p) => scan.path.startsWith(p) || scan.path.includes(`/${p}`))) return none;
  // A CUDA-family site resolved by the guard around it (or the file) makes the finding that vendor's.
  const resolvedAt = new Map<number, Attribution>();
  for (const s of scan.sites) if (s.family === "cuda-api") resolvedAt.set(s.line, s.vendor);
  let gatingAt: boolean[] | null = null;
  const findings: LintFinding[] = [];
  const gating: GatingLine[] = [];
  text.py.forEach((l, i) => {
    const candidates: LintFinding[] = [];
    for (const rule of c.rules) {
      const m = rule.re.exec(rule.scope === "code" ? l.code : l.text);
      if (!m) continue;
      // A line that is nothing but string content is prose (a docstring naming is_rocm() or CUDA_VISIBLE_DEVICES), not code.
      if (rule.scope === "text" && l.code.replace(/["']/g, "").trim() === "") continue;
      const capture = m.slice(1).find((x) => x !== undefined && !/^["']$/.test(x)) ?? "";
      // A branch on a vendor names that vendor ("hpu" is Gaudi's), not the rule's default; vLLM's is_cuda() is true on NVIDIA only.
      const named = rule.id === "vendor-branch" ? (/\bis_cuda\(\)/.test(m[0]) ? "nvidia" : BRANCH_VENDOR[capture]) : undefined;
      // `torch.cuda.set_stream = patched` replaces torch's function; "use torch.accelerator.set_stream(...)" would not say what to do instead.
      const assigned = rule.scope === "code" && /^\s*=(?!=)/.test(l.code.slice(m.index + m[0].length));
      const suggestion = assigned ? null : verifiedSuggestion(rule.suggestion, capture, c.api);
      const finding: LintFinding = {
        rule: rule.id,
        file: scan.path,
        line: i + 1,
        vendor: named ?? (rule.vendor === "cuda-api" ? (resolvedAt.get(i + 1) ?? rule.vendor) : rule.vendor),
        snippet: text.lines[i]!.trim().slice(0, 200),
        ...(suggestion !== null ? { suggestion: c.hook?.rules.includes(rule.id) ? `${suggestion} (${c.hook.note})` : suggestion } : {}),
        waived: false,
      };
      const waiver = waiverOf(l.comment, rule.id, c, scan.path);
      if (waiver) {
        finding.waived = true;
        finding.waiver = waiver;
      }
      candidates.push(finding);
    }
    if (candidates.length === 0) return;
    const chosen = candidates.find((f) => !f.waived) ?? candidates[0]!;
    if ((gatingAt ??= gatingLines(text.py!))[i]) gating.push({ rule: chosen.rule, file: chosen.file, line: chosen.line, vendor: chosen.vendor, snippet: chosen.snippet });
    else findings.push(chosen);
  });
  return { findings, gating };
}

function waiverOf(comment: string | null, rule: string, c: CompiledPack, path: string): string | null {
  if (comment !== null) {
    const m = STEWARD_WAIVER.exec(comment);
    if (m && (!m[1] || m[1].split(",").map((x) => x.trim()).includes(rule))) return `# ${m[0]}`;
    const hash = `#${comment}`;
    for (const marker of [...(c.pack.waiverComments[rule] ?? []), ...(c.pack.waiverComments["*"] ?? [])]) if (hash.includes(marker)) return marker;
  }
  const w = c.waivers.find((x) => (!x.rule || x.rule === rule) && x.re.test(path));
  return w ? `config: ${w.reason}` : null;
}

/** A finding's identity in a baseline: rule, file and the line's text, not its number (code moves). */
function keyOf(f: LintFinding): string {
  return `${f.rule}\0${f.file}\0${f.snippet.replace(/\s+/g, " ")}`;
}

export interface Baseline {
  schemaVersion: 1;
  findings: { rule: string; file: string; snippet: string; count: number }[];
}

export function baselineOf(findings: LintFinding[]): Baseline {
  const counts = new Map<string, { rule: string; file: string; snippet: string; count: number }>();
  for (const f of findings) {
    if (f.waived) continue;
    const k = keyOf(f);
    const e = counts.get(k);
    if (e) e.count++;
    else counts.set(k, { rule: f.rule, file: f.file, snippet: f.snippet.replace(/\s+/g, " "), count: 1 });
  }
  return { schemaVersion: 1, findings: [...counts.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.rule < b.rule ? -1 : 1)) };
}

/** Marks findings the baseline already holds (each baseline entry absorbs as many findings as its count). */
export function applyBaseline(findings: LintFinding[], baseline: Baseline): void {
  const left = new Map<string, number>();
  for (const b of baseline.findings) left.set(`${b.rule}\0${b.file}\0${b.snippet}`, (left.get(`${b.rule}\0${b.file}\0${b.snippet}`) ?? 0) + b.count);
  for (const f of findings) {
    if (f.waived) continue;
    const k = keyOf(f);
    const n = left.get(k) ?? 0;
    f.baseline = n > 0;
    if (n > 0) left.set(k, n - 1);
  }
}
