/**
 * The gate's results: versioned, JSON-serialisable, described by
 * docs/schema/check.schema.json and docs/schema/claims.schema.json.
 */
import type { Waiver } from "./schema.js";

export const GATE_SCHEMA_VERSION = 1;

export type PolicyStatus = "pass" | "fail" | "waived" | "error";

/** One thing a policy found wrong, with what shows it. */
export interface GateFinding {
  /** Stable across runs (policy-specific subject, never a line number): what a waiver or a SARIF alert keys on. */
  fingerprint: string;
  message: string;
  /** API object path, when the finding is about one. */
  object?: string;
  /** Repository path (and line) when the finding is about a place in the code. */
  path?: string;
  line?: number;
  /** The release or fork ref it is about. */
  ref?: string;
  /** Index (in `waivers`) of the active waiver that covers it. */
  waivedBy?: number;
  evidence: Record<string, unknown>;
}

export interface PolicyResult {
  /** `group.rule`, e.g. `api.unannounced`. */
  policy: string;
  repository: string;
  status: PolicyStatus;
  /** The rule's human reason (from steward.yaml), shown when it fails. */
  reason: string;
  /** What was measured against which threshold, in one line. */
  summary: string;
  /** The rule's settings after per-repository overrides. */
  threshold: Record<string, unknown>;
  /** What the verdict was read from: analyzer, ref, commit, when it was computed, the numbers. */
  evidence: Record<string, unknown>;
  findings: GateFinding[];
  /** Where the rule is set in steward.yaml (file and line), for SARIF and for people. */
  definedAt?: { file: string; line: number };
}

export type WaiverStatus = "active" | "expired" | "stale";

export interface WaiverResult extends Waiver {
  index: number;
  status: WaiverStatus;
  /** Findings it covers (0 for stale; an expired waiver covers nothing). */
  matched: number;
  definedAt?: { file: string; line: number };
}

export interface GateResult {
  schemaVersion: number;
  mode: "portfolio" | "change";
  config: string | null;
  /** The day the waivers' expiry dates were compared with. */
  date: string;
  /** fail: a policy failed or a waiver expired; error: some evidence could not be read (exit 2). */
  verdict: "pass" | "fail" | "error";
  /** In change mode: the repository, base and head judged. */
  change?: { repository: string; base: { ref: string; commit: string }; head: { ref: string; commit: string }; changedFiles: number };
  results: PolicyResult[];
  waivers: WaiverResult[];
  summary: { pass: number; fail: number; waived: number; error: number; expiredWaivers: number; staleWaivers: number };
  warnings: string[];
}

export type ClaimStatus = "verified" | "lapsed";

export interface ClaimResult {
  project: string;
  /** The claim as people read it. */
  claim: string;
  kind: "deprecation" | "supports" | "ownership";
  status: ClaimStatus;
  /** Since when it has been in this state: for a deprecation claim the release that broke it; otherwise the first stored scan in the current run of the same verdict. */
  since: string | null;
  /** When the evidence was computed. */
  checkedAt: string | null;
  /** Why, in one line. */
  why: string;
  evidence: Record<string, unknown>;
}

export interface ClaimsResult {
  schemaVersion: number;
  config: string;
  date: string;
  claims: ClaimResult[];
}
