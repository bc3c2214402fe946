import { InputError } from "../../errors.js";
import type { FileScan, FileText } from "./file-scan.js";
import { PACKS, RULES, STEWARD_WAIVER, type LintRule, type RulePack } from "./packs.js";
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

export function compilePack(pack: RulePack, waivers: ConfigWaiver[] = []): CompiledPack {
  const rules = RULES.filter((r) => r.id in pack.rules).map((r) => ({ ...r, re: new RegExp(r.pattern), suggestion: pack.rules[r.id]! }));
  for (const w of waivers) if (w.rule && !RULES.some((r) => r.id === w.rule)) throw new InputError(`waiver for unknown rule '${w.rule}' (rules: ${RULES.map((r) => r.id).join(", ")})`);
  return { pack, rules, waivers: waivers.map((w) => ({ re: globToRegExp(w.path), ...(w.rule ? { rule: w.rule } : {}), reason: w.reason })) };
}

/** The pack named by id, else the one whose marker files the tree has, else the generic pack. */
export function choosePack(id: string | undefined, treePaths: Set<string>): RulePack {
  if (id) {
    const p = PACKS.find((x) => x.id === id);
    if (!p) throw new InputError(`unknown rule pack '${id}' (packs: ${PACKS.map((x) => x.id).join(", ")}, or a YAML file)`);
    return p;
  }
  // A marker file at the root or inside a package folder (tensorforge/accelerator/real_accelerator.py).
  const has = (d: string) => treePaths.has(d) || [...treePaths].some((p) => p.endsWith(`/${d}`));
  return PACKS.find((p) => p.detect.some(has)) ?? PACKS.find((p) => p.id === "generic")!;
}

/**
 * Lint findings of one Python file: generic code (not a file dedicated to a
 * vendor, not under a path where the pack's abstraction is implemented) that
 * hard-codes a vendor. One finding per rule and line, with the suggestion in
 * the pack's idiom and its waiver, if any.
 */
export function lintFile(scan: FileScan, text: FileText, c: CompiledPack): LintFinding[] {
  if (!text.py || scan.dedicatedTo !== null) return [];
  if (scan.layer !== "code" && scan.layer !== "tests") return [];
  if (c.pack.exempt.some((p) => scan.path.startsWith(p) || scan.path.includes(`/${p}`))) return [];
  // A CUDA-family site resolved by the guard around it (or the file) makes the finding that vendor's.
  const resolvedAt = new Map<number, Attribution>();
  for (const s of scan.sites) if (s.family === "cuda-api") resolvedAt.set(s.line, s.vendor);
  const findings: LintFinding[] = [];
  text.py.forEach((l, i) => {
    for (const rule of c.rules) {
      const m = rule.re.exec(rule.scope === "code" ? l.code : l.text);
      if (!m) continue;
      const capture = m.slice(1).find((x) => x !== undefined && !/^["']$/.test(x)) ?? "";
      // A branch on a vendor names that vendor ("hpu" is Gaudi's), not the rule's default.
      // vLLM's is_cuda() is true on NVIDIA only (is_cuda_alike() covers ROCm).
      const named = rule.id === "vendor-branch" ? (/\bis_cuda\(\)/.test(m[0]) ? "nvidia" : BRANCH_VENDOR[capture]) : undefined;
      const finding: LintFinding = {
        rule: rule.id,
        file: scan.path,
        line: i + 1,
        vendor: named ?? (rule.vendor === "cuda-api" ? (resolvedAt.get(i + 1) ?? rule.vendor) : rule.vendor),
        snippet: text.lines[i]!.trim().slice(0, 200),
        suggestion: rule.suggestion.replace(/\$1/g, capture),
        waived: false,
      };
      const waiver = waiverOf(l.comment, rule.id, c, scan.path);
      if (waiver) {
        finding.waived = true;
        finding.waiver = waiver;
      }
      findings.push(finding);
    }
  });
  return findings;
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
