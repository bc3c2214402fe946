import type { Coverage } from "../../git/tree.js";
/**
 * The drift result: versioned, JSON-serialisable, described by
 * docs/schema/drift.schema.json. Every verdict carries its evidence.
 */
export const DRIFT_SCHEMA_VERSION = 1;

export type HunkStatus = "upstreamed" | "private" | "diverged";

export interface LineTotals {
  hunks: number;
  added: number;
  deleted: number;
}

export interface HunkEvidence {
  /** Which test decided the status (see docs/drift.md). */
  reason:
    | "added-run-upstream"
    | "deletion-upstream"
    | "file-identical-upstream"
    | "upstream-unchanged"
    | "preimage-upstream"
    | "file-absent-upstream"
    | "region-rewritten"
    | "file-deleted-upstream"
    | "blob-missing";
  /** Path of the upstream copy compared against (differs from the fork path when upstream moved the file). */
  upstreamPath: string | null;
  /** 1-based line in the upstream copy where the matching run (or pre-image) starts. */
  upstreamLine?: number;
  /** Share of the hunk's non-blank added lines found anywhere in the upstream copy (0..1). */
  similarity?: number;
  /** First non-blank added (or deleted) line, for a reviewer's eye. */
  snippet?: string;
}

export interface Attribution {
  commit: string;
  author: string;
  email: string;
  date: string;
  /** Days between that commit's author date and the fork tip's commit date. */
  ageDays: number;
  subject: string;
}

export interface HunkResult {
  status: HunkStatus;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  added: number;
  deleted: number;
  evidence: HunkEvidence;
  /** For private hunks: the fork commit that brought the lines (null when no fork-only commit did). */
  introducedBy?: Attribution | null;
  /**
   * In a --history series: the earliest ref of the series whose net patch already
   * carried most of this hunk's lines as private (a squashed fork re-ships them each release).
   */
  carriedSince?: { ref: string; date: string; days: number };
}

export interface FileResult {
  path: string;
  change: "added" | "deleted" | "modified" | "type-changed";
  binary: boolean;
  /** Mode change (e.g. 100644 -> 100755), when any. */
  mode?: { old: string; new: string };
  /** Status of a binary file, decided by blob identity. */
  binaryStatus?: HunkStatus;
  /** A base or upstream blob was absent (partial clone): the hunks are "diverged" unread. */
  unread?: boolean;
  added: number;
  deleted: number;
  debt: number;
  reconnection: number | null;
  upstreamPath: string | null;
  hunks: HunkResult[];
}

export interface NetPatch extends LineTotals {
  files: number;
  upstreamed: LineTotals;
  private: LineTotals;
  diverged: LineTotals;
  /** Private added + deleted lines. */
  debt: number;
  /** upstreamed / (upstreamed + private + diverged), by changed lines; null for an empty patch. */
  reconnection: number | null;
}

export interface DirectoryRollup {
  path: string;
  files: number;
  upstreamed: number;
  private: number;
  diverged: number;
  debt: number;
  reconnection: number | null;
}

export interface CommitView {
  commit: string;
  author: string;
  email: string;
  date: string;
  subject: string;
  /** `git patch-id --stable` of the commit (null for an empty diff). */
  patchId: string | null;
  /** Upstream commit with the same patch-id (the `git cherry` "-"), or null. */
  upstreamMatch: string | null;
}

export interface BaseInfo {
  commit: string;
  date: string;
  /** How the base was found: git merge-base, or the upstream commit whose tree is closest to the fork's. */
  method: "merge-base" | "closest-tree";
  /** For closest-tree: paths whose blob differs between the base and the fork tip. */
  treeDistance?: number;
}

export interface DriftPair {
  schemaVersion: number;
  upstream: { ref: string; commit: string; date: string };
  fork: { ref: string; commit: string; date: string };
  mergeBase: string;
  base: BaseInfo;
  /** Upstream commits not in the fork. */
  behind: number;
  /** Fork commits not in upstream. */
  ahead: number;
  /** Fork tip commit date minus merge-base commit date, in days. */
  baseAgeDays: number;
  /** Upstream commits made since the base (= behind for a merge-base). */
  upstreamSinceBase: number;
  netPatch: NetPatch;
  files: FileResult[];
  directories: DirectoryRollup[];
  commits: CommitView[];
  /** The `git cherry` view in numbers. */
  cherry: { commits: number; matched: number; unmatched: number };
  /**
   * Files of the net patch, and those not read because a blob is absent
   * (partial clone): left out of the totals, or classified diverged unread.
   * A result with missing > 0 is incomplete and says so in its headline.
   */
  coverage: Coverage;
  warnings: string[];
}

export interface OverlapRegion {
  /** Path in the upstream tip. */
  path: string;
  /** 1-based line range in the upstream tip that several forks patch. */
  startLine: number;
  endLine: number;
  forks: { ref: string; hunks: { newStart: number; newLines: number; status: HunkStatus }[] }[];
}

export interface DriftMulti {
  schemaVersion: number;
  upstream: { ref: string; commit: string };
  forks: DriftPair[];
  overlap: OverlapRegion[];
  warnings: string[];
}

export interface DriftHistoryPoint extends DriftPair {
  /** Fork tip commit date (the series is ordered by it). */
  date: string;
  /** How long the private lines of this ref have been carried through the series. */
  carried: { medianDays: number | null; over180Days: number };
}

export interface DriftHistory {
  schemaVersion: number;
  upstream: { ref: string; commit: string };
  patterns: string[];
  history: DriftHistoryPoint[];
  warnings: string[];
}

export type DriftProgress =
  | { kind: "stage"; ref?: string; stage: string }
  | { kind: "ref"; ref: string; index: number; total: number };
