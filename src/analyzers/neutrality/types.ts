import type { Coverage } from "../../git/tree.js";
/**
 * The neutrality results: versioned, JSON-serialisable, described by
 * docs/schema/neutrality.schema.json and docs/schema/neutrality-lint.schema.json.
 */
import type { Layer } from "./paths.js";
import type { Attribution, FamilyId, SignalKind } from "./taxonomy.js";

export const NEUTRALITY_SCHEMA_VERSION = 2;

export interface LayerFootprint {
  /** Signal occurrences. */
  sites: number;
  /** Lines serving the vendor: every non-blank line of files dedicated to it, plus the lines of generic files holding its sites. */
  lines: number;
  /** Files dedicated to it plus generic files holding its sites. */
  files: number;
  /** Of those, files dedicated to it. */
  dedicatedFiles: number;
  /** CI only: jobs allowed to fail (soft_fail, continue-on-error) in CI files attributed to it. */
  softFail?: number;
}

export interface Concentration {
  /** Herfindahl index of the vendors' line shares in the layer (0..1; 1 = one vendor). */
  hhi: number;
  top: Attribution | null;
  topShare: number;
  /** Lines of all vendors in the layer. */
  lines: number;
}

export interface EvidenceSite {
  line: number;
  signal: string;
  vendor: Attribution;
  kind: SignalKind;
  family?: FamilyId;
  /** How the family was resolved: a file dedicated to one member, the guard around the site, or same-file evidence (hccl, xla). */
  resolvedBy?: string;
  /** The line of the guard (`if current_platform.is_rocm():`, `@pytest.mark.skipif(...)`) that resolved a CUDA-family site. */
  guardLine?: number;
  snippet: string;
}

export interface EvidenceFile {
  path: string;
  layer: Layer;
  /** The vendor the whole file serves, or null for generic code. */
  dedicatedTo: Attribution | null;
  because?: string;
  lines: number;
  sites: EvidenceSite[];
}

export interface NeutralityFootprint {
  schemaVersion: number;
  ref: string;
  commit: string;
  /**
   * The repository's own top-level packages whose name names a vendor (`vllm_ascend` in the Ascend
   * plugin): counted once here as the plugin's identity; its imports and patches of itself are not sites.
   */
  identity: { package: string; vendor: Attribution; path: string }[];
  /** Per vendor (and unresolved family), per layer. */
  vendors: Partial<Record<Attribution, Partial<Record<Layer, LayerFootprint>>>>;
  concentration: Record<Layer, Concentration>;
  /** Vendors present in code, kernels or build but absent from tests, CI or docs. */
  gaps: { vendor: Attribution; has: Layer[]; lacks: Layer[] }[];
  totals: { files: number; scanned: number; skipped: { binary: number; minified: number; tooLarge: number; missing: number; unreadable: number } };
  /** What could be read: files whose blobs are absent (partial clone) are counted here. */
  coverage: Coverage;
  /** Files with sites or dedicated to a vendor: the evidence of every number above. */
  files: EvidenceFile[];
  warnings: string[];
}

export interface LintFinding {
  rule: string;
  file: string;
  line: number;
  vendor: Attribution;
  snippet: string;
  /** The neutral replacement, in the host project's idiom; absent when none names an API the project (or torch) has at the ref. */
  suggestion?: string;
  waived: boolean;
  /** Why it is waived: the inline comment or the config entry's reason. */
  waiver?: string;
  /** Present in the baseline (an old finding): only new findings fail the lint. */
  baseline?: boolean;
}

export interface NeutralityLint {
  schemaVersion: number;
  ref: string;
  commit: string;
  pack: { id: string; abstraction: string };
  findings: LintFinding[];
  /**
   * Lines of test gating the rules match (`@pytest.mark.skipif(not current_platform.is_cuda())`,
   * `if not is_cuda(): pytest.skip(...)`): the legitimate way to gate a vendor's tests, reported
   * apart and never failing.
   */
  testGating: { rule: string; file: string; line: number; vendor: Attribution; snippet: string }[];
  /** Unwaived findings not in the baseline: what fails the gate. */
  failing: number;
  coverage: Coverage;
  warnings: string[];
}

export interface NeutralityHistoryPoint {
  ref: string;
  commit: string;
  date: string;
  /** Lines per vendor, all layers. */
  vendors: Partial<Record<Attribution, number>>;
  concentration: Record<Layer, Concentration>;
  /** Unwaived lint findings (the debt). */
  lintDebt: number;
  lintByRule: Record<string, number>;
  /** Files at this ref, and how many were not read (absent blobs). */
  coverage: { files: number; missing: number };
}

export interface NeutralityHistory {
  schemaVersion: number;
  patterns: string[];
  pack: { id: string; abstraction: string };
  history: NeutralityHistoryPoint[];
  /** Summed over the refs. */
  coverage: Coverage;
  warnings: string[];
}

export type NeutralityProgress = { kind: "files"; done: number; total: number; ref?: string } | { kind: "stage"; stage: string; ref?: string };
